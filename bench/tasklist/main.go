// Command tasklist is the task-list benchmark of issue 17, against the
// peer task tracker (docs/benchmarks.md, "The task list over HTTP"). It is
// a program of its own, not part of the sotay binary:
//
//	go run ./bench/tasklist [-tasks 10000] [-clients 8,32] [-rounds 2] [-dur 5s] [-profile dir]
//	    [-small 1000] [-vikunja-bin /tmp/vikunja | -vikunja-url URL -vikunja-pid PID]
//
// It builds sotay, starts `sotay serve --demo` on 127.0.0.1 as a child
// process (with --pprof when -profile is given) on a fresh SQLite database
// in a temporary directory, signs in as the district office (vanphong),
// creates -tasks tasks through the API (POST /api/v1/tasks, to the
// district's communes, 8 at a time), then, in alternating rounds, runs
// closed loops of keep-alive clients without think time:
//
//	list  GET /api/v1/tasks?unit=<district>&limit=50 (the first page)
//	one   GET /api/v1/tasks/{id} (a task created above, at random)
//
// and prints per run req/s, p50/p95 latency and the server's CPU per
// request (utime+stime of the server process from /proc/<pid>/stat,
// before and after). With -profile, each list run also saves the
// server's CPU profile and mutex profile (delta) for the run into dir.
// With -url and -pid it measures a server already running instead (its
// tasks already loaded: -tasks 0).
//
// With -small N it also starts a second `sotay serve --demo` of its own
// and creates N tasks there the same way: its district's first page is
// the same list with N tasks in the subtree (the target: within 20% of
// the list with -tasks tasks, flat in the subtree's size).
//
// The peer, Vikunja (built apart, see docs/benchmarks.md): with
// -vikunja-bin it starts that binary on a fresh SQLite database in a
// temporary directory (configured by VIKUNJA_* variables: 127.0.0.1, a
// free port, registration on, rate limits off, request log off); with
// -vikunja-url and -vikunja-pid it drives one already running. It
// registers -vikunja-user (when the login fails), logs in (or takes
// -vikunja-token), creates a project and -tasks tasks in it (PUT
// /api/v1/projects/{id}/tasks, -vikunja-writers at a time, retrying a
// write that fails, e.g. "database is locked"), unless -vikunja-project
// names one already loaded, and measures
//
//	list  GET /api/v1/projects/{id}/views/{list view}/tasks?page=1&per_page=50
//	one   GET /api/v1/tasks/{id}
//
// (-vikunja-list picks another of its lists: a view of another kind, the
// project's tasks without a view, or every task of the user's; see
// vikunjaListURL).
//
// Each run of a round goes to each system in turn (Sổ tay, Vikunja, Sổ
// tay with -small tasks), so that they see the same load of the machine;
// each line also gives the machine's load average (1 min) at its end. A
// summary at the end gives the median of the rounds for each line and the
// ratios the targets speak of.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	bin       *string
	url       *string
	pid       *int
	pprofURL  *string
	nTasks    *int
	small     *int
	clientsF  *string
	rounds    *int
	dur       *time.Duration
	user      *string
	password  *string
	profile   *string
	vBin      *string
	vURL      *string
	vPid      *int
	vUser     *string
	vPassword *string
	vToken    *string
	vProject  *int64
	vWriters  *int
	vList     *string
	vPprof    *string
	vLists    []string
	clients   []int
}

// parseFlags reads and checks the command line.
func parseFlags() options {
	o := options{
		bin:      flag.String("bin", "", "the sotay binary (default: go build it)"),
		url:      flag.String("url", "", "a server already running (with -pid); default: start one"),
		pid:      flag.Int("pid", 0, "the process id of the server at -url"),
		pprofURL: flag.String("pprof", "", "the profiler of the server at -url (its --pprof, as http://ADDR), for -profile"),
		nTasks:   flag.Int("tasks", 10000, "tasks to create before measuring"),
		small:    flag.Int("small", 0, "also start a second sotay with this many tasks and measure its list (0: not)"),
		clientsF: flag.String("clients", "8,32", "numbers of concurrent keep-alive clients"),
		rounds:   flag.Int("rounds", 2, "rounds (each: every client count, list then one task)"),
		dur:      flag.Duration("dur", 5*time.Second, "length of each run"),
		user:     flag.String("user", "vanphong", "the account that creates and reads"),
		password: flag.String("password", envOr("SOTAY_DEMO_PASSWORD", "sotay-demo-2026"), "its password"),
		profile:  flag.String("profile", "", "save the server's CPU and mutex profiles of each list run here"),

		vBin:      flag.String("vikunja-bin", "", "start this Vikunja binary on a fresh SQLite database and measure it too"),
		vURL:      flag.String("vikunja-url", "", "a Vikunja already running (with -vikunja-pid), measured too"),
		vPid:      flag.Int("vikunja-pid", 0, "the process id of the Vikunja at -vikunja-url"),
		vUser:     flag.String("vikunja-user", "bench", "the Vikunja account (registered when the login fails)"),
		vPassword: flag.String("vikunja-password", "bench-password-2026", "its password"),
		vToken:    flag.String("vikunja-token", "", "a Vikunja token to use instead of logging in"),
		vProject:  flag.Int64("vikunja-project", 0, "a Vikunja project already loaded (0: create one with -tasks tasks)"),
		vWriters:  flag.Int("vikunja-writers", 4, "concurrent clients creating Vikunja's tasks"),
		vList:     flag.String("vikunja-list", "list", "Vikunja's list(s) read, comma-separated: "+strings.Join(vikunjaEndpoints, ", ")+" (see vikunjaListURL)"),
		vPprof:    flag.String("vikunja-pprof", "", "the net/http/pprof base URL of the Vikunja at -vikunja-url (a build with it), for -profile"),
	}
	flag.Parse()
	for _, s := range strings.Split(*o.clientsF, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Fatalf("-clients: %q", s)
		}
		o.clients = append(o.clients, n)
	}
	if *o.vURL != "" && *o.vPid == 0 {
		log.Fatal("-vikunja-url needs -vikunja-pid (its process, for its CPU time)")
	}
	for _, e := range strings.Split(*o.vList, ",") {
		e = strings.TrimSpace(e)
		if !slices.Contains(vikunjaEndpoints, e) {
			log.Fatalf("-vikunja-list: %q, not one of %s", e, strings.Join(vikunjaEndpoints, ", "))
		}
		o.vLists = append(o.vLists, e)
	}
	if *o.vURL != "" && *o.vBin != "" {
		log.Fatal("-vikunja-url or -vikunja-bin, not both")
	}
	return o
}

func main() {
	o := parseFlags()
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	loadavg("at the start")

	var targets []*server
	// The servers start one after the other (so that a failing one is
	// seen early) and are loaded at the same time (so the creation rates
	// printed are each under the others' load).
	var loads sync.WaitGroup
	sotay := func(name string, n int, url string, pid int) *server {
		s := &server{name: name, base: strings.TrimSuffix(url, "/"), pid: pid, http: client}
		if s.base == "" {
			stop := s.start(*o.bin, *o.profile != "")
			stops = append(stops, stop)
		} else if s.pid == 0 {
			log.Fatal("-url needs -pid (the server's process, for its CPU time)")
		} else {
			s.pprof = strings.TrimSuffix(strings.TrimSuffix(*o.pprofURL, "/"), "/debug/pprof")
		}
		s.signIn(*o.user, *o.password)
		district := s.district()
		s.listURL = fmt.Sprintf("/api/v1/tasks?unit=%d&limit=50", district)
		s.onePath = "/api/v1/tasks/%d"
		loads.Add(1)
		go func() {
			defer loads.Done()
			s.ids = s.createTasks(s.name, district, n)
			if len(s.ids) == 0 {
				s.ids = s.someTasks(district)
			}
			fmt.Printf("%s: server pid %d, district %d, %d tasks created, %d task ids to read\n", s.name, s.pid, district, n, len(s.ids))
		}()
		return s
	}
	defer stopAll()
	if *o.bin == "" && (*o.url == "" || *o.small > 0) {
		var remove func()
		*o.bin, remove = buildSotay()
		defer remove()
	}
	var v *server
	if *o.vBin != "" || *o.vURL != "" {
		v = &server{name: "vikunja", base: strings.TrimSuffix(*o.vURL, "/"), pid: *o.vPid, pprof: strings.TrimSuffix(strings.TrimSuffix(*o.vPprof, "/"), "/debug/pprof"), http: client, one: true}
		if *o.vBin != "" {
			stops = append(stops, v.startVikunja(*o.vBin, *o.profile != ""))
		}
	}
	first := sotay("sotay", *o.nTasks, *o.url, *o.pid)
	first.one = true
	targets = append(targets, first)
	if v != nil {
		loads.Add(1)
		go func() {
			defer loads.Done()
			v.vikunjaLoad(*o.vUser, *o.vPassword, *o.vToken, *o.vProject, *o.nTasks, *o.vWriters, o.vLists[0])
		}()
		targets = append(targets, v)
	}
	if *o.small > 0 {
		targets = append(targets, sotay(fmt.Sprintf("sotay-%d", *o.small), *o.small, "", 0))
	}
	loads.Wait()
	if v != nil && len(o.vLists) > 1 {
		targets = slices.Insert(targets, slices.Index(targets, v)+1, v.otherLists(o.vLists)...)
		v.name = "vikunja-" + o.vLists[0]
	}
	fmt.Printf("this machine: %d CPUs\n", cpus())
	loadavg("after loading")
	fmt.Printf("%-5s %-16s %-4s %-7s %8s %8s %8s %8s %10s %6s\n", "round", "system", "what", "clients", "requests", "req/s", "p50 ms", "p95 ms", "CPU/req ms", "load1")
	if *o.profile != "" {
		if err := os.MkdirAll(*o.profile, 0o755); err != nil {
			log.Fatal(err)
		}
	}
	results := measure(targets, first, o.clients, *o.rounds, *o.dur, *o.profile)
	summary(targets, o.clients, results)
	loadavg("at the end")
}

// measure runs every round: for each client count, the list and then one
// task, each system in turn (the rounds alternate between the systems so
// that each sees the same machine load), printing a line per run.
func measure(targets []*server, first *server, clients []int, rounds int, dur time.Duration, profile string) map[key][]result {
	results := map[key][]result{}
	for r := 1; r <= rounds; r++ {
		for _, c := range clients {
			for _, what := range []string{"list", "one"} {
				for _, t := range targets {
					if what == "one" && !t.one {
						continue // the small sotay and Vikunja's other lists are there for their list
					}
					pick := func(rnd *rand.Rand) string { return t.listURL }
					if what == "one" {
						pick = func(rnd *rand.Rand) string { return fmt.Sprintf(t.onePath, t.ids[rnd.IntN(len(t.ids))]) }
					}
					if t.relogin != nil {
						t.relogin()
					}
					var prof func()
					if what == "list" && profile != "" && t.pprof != "" {
						prof = t.profile(filepath.Join(profile, fmt.Sprintf("%s-r%d-c%d", t.name, r, c)), dur)
					}
					res := t.run(c, dur, pick)
					if prof != nil {
						prof()
					}
					res.load1 = load1()
					k := key{t.name, what, c}
					results[k] = append(results[k], res)
					fmt.Printf("%-5d %-16s %-4s %-7d %8d %8.0f %8.1f %8.1f %10.2f %6.1f\n", r, t.name, what, c, res.n, res.rate, res.p50, res.p95, res.cpuPerReq, res.load1)
					if res.errors > 0 {
						fmt.Printf("      %d requests failed (first: %s)\n", res.errors, res.firstErr)
					}
				}
			}
		}
	}
	return results
}

// stops are the functions that stop the servers this program started.
var stops []func()

func stopAll() {
	for _, stop := range stops {
		stop()
	}
}

// key names one line of the summary.
type key struct {
	system, what string
	clients      int
}

// summary prints the median over the rounds of each line, and the ratios
// the targets of issue 17 speak of.
func summary(targets []*server, clients []int, results map[key][]result) {
	med := func(rs []result, f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v) == 0 {
			return 0
		}
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	rate := func(r result) float64 { return r.rate }
	cpu := func(r result) float64 { return r.cpuPerReq }
	fmt.Printf("\nmedians over the rounds\n%-16s %-4s %-7s %8s %8s %8s %10s\n", "system", "what", "clients", "req/s", "p50 ms", "p95 ms", "CPU/req ms")
	for _, t := range targets {
		for _, what := range []string{"list", "one"} {
			for _, c := range clients {
				rs := results[key{t.name, what, c}]
				if len(rs) == 0 {
					continue
				}
				fmt.Printf("%-16s %-4s %-7d %8.0f %8.1f %8.1f %10.2f\n", t.name, what, c, med(rs, rate),
					med(rs, func(r result) float64 { return r.p50 }), med(rs, func(r result) float64 { return r.p95 }), med(rs, cpu))
			}
		}
	}
	if len(targets) < 2 {
		return
	}
	fmt.Println("\nratios (medians)")
	for _, t := range targets[1:] {
		for _, what := range []string{"list", "one"} {
			for _, c := range clients {
				a, b := results[key{targets[0].name, what, c}], results[key{t.name, what, c}]
				if len(a) == 0 || len(b) == 0 {
					continue
				}
				fmt.Printf("%s/%s %s %d clients: req/s %.2f, CPU/req %.2f\n", targets[0].name, t.name, what, c,
					med(a, rate)/med(b, rate), med(a, cpu)/med(b, cpu))
			}
		}
	}
}

// loadavg prints the machine's load averages.
func loadavg(when string) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return
	}
	f := strings.Fields(string(b))
	if len(f) >= 3 {
		fmt.Printf("load average %s: %s %s %s\n", when, f[0], f[1], f[2])
	}
}

// load1 is the machine's load average over one minute.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return v
}

// server is the program under test.
type server struct {
	name, base, pprof string
	pid               int
	http              *http.Client
	token             string
	listURL           string        // the first page of the list
	onePath           string        // one task, a format with its id
	ids               []int64       // tasks to read one at a time
	relogin           func()        // signs in again (Vikunja's tokens are short-lived)
	one               bool          // measure one task too (not only the list)
	project           int64         // Vikunja: the project read
	views             []vikunjaView // Vikunja: its views
}

// buildSotay builds the sotay binary in a temporary directory; it
// returns its path and the function that removes it.
func buildSotay() (string, func()) {
	dir, err := os.MkdirTemp("", "sotay-bin-")
	if err != nil {
		log.Fatal(err)
	}
	bin := filepath.Join(dir, "sotay")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/sotay-vn/sotay/cmd/sotay").CombinedOutput()
	if err != nil {
		log.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, func() { os.RemoveAll(dir) }
}

// start starts bin serve --demo on a fresh database; it returns the
// function that stops it.
func (s *server) start(bin string, withPprof bool) func() {
	dir, err := os.MkdirTemp("", "sotay-bench-")
	if err != nil {
		log.Fatal(err)
	}
	args := []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", "sqlite", "--data", dir}
	if withPprof {
		args = append(args, "--pprof", freeAddr())
	}
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // stopped with this program, even by log.Fatal
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (http://[0-9.:]+)/`)
		pp := regexp.MustCompile(`profiler on (http://[0-9.:]+)/`)
		for sc.Scan() {
			if m := pp.FindStringSubmatch(sc.Text()); m != nil {
				s.pprof = m[1]
			}
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
			}
		}
	}()
	select {
	case s.base = <-listening:
	case <-time.After(10 * time.Minute):
		cmd.Process.Kill()
		log.Fatal("the server did not start within 10 minutes")
	}
	s.pid = cmd.Process.Pid
	return func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
		os.RemoveAll(dir)
	}
}

// freeAddr is a loopback address with a port free now.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// do sends one request and decodes the answer into out (when not nil and
// the status is a success).
func (s *server) do(method, path string, body, out any) (int, error) {
	resp, err := s.request(method, path, body)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// request sends one request, body as JSON, with the server's token.
func (s *server) request(method, path string, body any) (*http.Response, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	return s.http.Do(req)
}

func (s *server) must(method, path string, body, out any) {
	code, err := s.do(method, path, body, out)
	if err != nil || code >= 300 {
		log.Fatalf("%s %s: %d %v", method, path, code, err)
	}
}

func (s *server) signIn(user, password string) {
	var out struct{ Token string }
	s.must("POST", "/api/v1/session", map[string]string{"username": user, "password": password}, &out)
	s.token = out.Token
}

type unitJSON struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
}

// district is the first unit the account reaches (the office's district).
func (s *server) district() int64 {
	var roots struct{ Items []unitJSON }
	s.must("GET", "/api/v1/units", nil, &roots)
	if len(roots.Items) == 0 {
		log.Fatal("the account reaches no unit")
	}
	return roots.Items[0].ID
}

// createTasks creates n tasks for the district's children, 8 at a time,
// and returns their ids.
func (s *server) createTasks(name string, district int64, n int) []int64 {
	if n == 0 {
		return nil
	}
	var kids struct{ Items []unitJSON }
	s.must("GET", fmt.Sprintf("/api/v1/units?parent=%d", district), nil, &kids)
	if len(kids.Items) == 0 {
		log.Fatal("the district has no units below it")
	}
	start := time.Now()
	ids := make([]int64, n)
	inParallel(8, n, func(i int) {
		var out struct{ ID int64 }
		u := kids.Items[i%len(kids.Items)]
		s.must("POST", "/api/v1/tasks", map[string]any{"title": fmt.Sprintf("Việc thử số %d", i+1), "unit_id": u.ID, "workdays": 1 + i%30}, &out)
		ids[i] = out.ID
	})
	el := time.Since(start)
	fmt.Printf("%s: created %d tasks in %s (%.0f tasks/s, 8 clients)\n", name, n, el.Round(time.Millisecond), float64(n)/el.Seconds())
	return ids
}

// inParallel calls fn(i) for every i in [0, n), from workers goroutines
// taking the next i in turn, and waits for them.
func inParallel(workers, n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// someTasks reads the ids of the first page of the district's list (a
// server already loaded).
func (s *server) someTasks(district int64) []int64 {
	var p struct{ Items []struct{ ID int64 } }
	s.must("GET", fmt.Sprintf("/api/v1/tasks?unit=%d&limit=500", district), nil, &p)
	var ids []int64
	for _, t := range p.Items {
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		log.Fatal("no tasks in the district")
	}
	return ids
}

// result is one run's figures.
type result struct {
	n, errors      int
	rate, p50, p95 float64
	cpuPerReq      float64
	load1          float64
	firstErr       string
}

// run keeps c clients requesting pick() for d and measures.
func (s *server) run(c int, d time.Duration, pick func(*rand.Rand) string) result {
	type sample struct {
		lat []time.Duration
		err int
		msg string
	}
	samples := make([]sample, c)
	cpu0 := procCPU(s.pid)
	t0 := time.Now()
	deadline := t0.Add(d)
	var wg sync.WaitGroup
	for i := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(i), 17))
			for time.Now().Before(deadline) {
				start := time.Now()
				code, err := s.do("GET", pick(rnd), nil, nil)
				if err != nil || code != http.StatusOK {
					samples[i].err++
					if samples[i].msg == "" {
						samples[i].msg = fmt.Sprint(code, " ", err)
					}
					continue
				}
				samples[i].lat = append(samples[i].lat, time.Since(start))
			}
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	cpu := procCPU(s.pid) - cpu0
	var all []time.Duration
	var res result
	for _, sm := range samples {
		all = append(all, sm.lat...)
		res.errors += sm.err
		if res.firstErr == "" {
			res.firstErr = sm.msg
		}
	}
	slices.Sort(all)
	res.n = len(all)
	if res.n == 0 {
		return res
	}
	ms := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))]) / 1e6 }
	res.rate, res.p50, res.p95 = float64(res.n)/el.Seconds(), ms(0.50), ms(0.95)
	res.cpuPerReq = cpu.Seconds() * 1000 / float64(res.n+res.errors)
	return res
}

// profile starts fetching the server's CPU profile for d and returns the
// function that waits for it and then saves the mutex profile of the same
// d (a delta), as base.cpu.pprof and base.mutex.pprof.
func (s *server) profile(base string, d time.Duration) func() {
	secs := max(1, int(d.Seconds()))
	get := func(path, file string) {
		ctx, cancel := context.WithTimeout(context.Background(), d+time.Minute)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", s.pprof+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Printf("profile %s: %v", path, err)
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(file)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		io.Copy(f, resp.Body)
	}
	var wg sync.WaitGroup
	for _, p := range []struct{ path, file string }{
		{fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), base + ".cpu.pprof"},
		{fmt.Sprintf("/debug/pprof/mutex?seconds=%d", secs), base + ".mutex.pprof"},
	} {
		wg.Add(1)
		go func() { defer wg.Done(); get(p.path, p.file) }()
	}
	return wg.Wait
}

// procCPU is the user+system CPU time of a process (/proc/<pid>/stat,
// fields 14 and 15, in clock ticks of 1/100 s).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		log.Fatal(err)
	}
	// The command name (field 2) may hold spaces: count after its ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

func cpus() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "processor\t:")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
