// Command tasklist is the task-list benchmark of issue 17, against the
// peer task tracker (docs/benchmarks.md, "The task list over HTTP"). It is
// a program of its own, not part of the sotay binary:
//
//	go run ./bench/tasklist [-tasks 10000] [-clients 8,32] [-rounds 2] [-dur 5s] [-profile dir]
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
	"time"
)

func main() {
	var (
		bin      = flag.String("bin", "", "the sotay binary (default: go build it)")
		url      = flag.String("url", "", "a server already running (with -pid); default: start one")
		pid      = flag.Int("pid", 0, "the process id of the server at -url")
		nTasks   = flag.Int("tasks", 10000, "tasks to create before measuring")
		clientsF = flag.String("clients", "8,32", "numbers of concurrent keep-alive clients")
		rounds   = flag.Int("rounds", 2, "rounds (each: every client count, list then one task)")
		dur      = flag.Duration("dur", 5*time.Second, "length of each run")
		user     = flag.String("user", "vanphong", "the account that creates and reads")
		password = flag.String("password", envOr("SOTAY_DEMO_PASSWORD", "sotay-demo-2026"), "its password")
		profile  = flag.String("profile", "", "save the server's CPU and mutex profiles of each list run here")
	)
	flag.Parse()
	var clients []int
	for _, s := range strings.Split(*clientsF, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Fatalf("-clients: %q", s)
		}
		clients = append(clients, n)
	}
	s := &server{base: strings.TrimSuffix(*url, "/"), pid: *pid}
	if s.base == "" {
		stop := s.start(*bin, *profile != "")
		defer stop()
	} else if s.pid == 0 {
		log.Fatal("-url needs -pid (the server's process, for its CPU time)")
	}
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	s.http = &http.Client{Transport: tr, Timeout: time.Minute}
	s.signIn(*user, *password)
	district := s.district()
	ids := s.createTasks(district, *nTasks)
	if len(ids) == 0 {
		ids = s.someTasks(district)
	}
	fmt.Printf("server pid %d, district %d, %d tasks created, %d task ids to read; GOMAXPROCS of this machine: %d CPUs\n",
		s.pid, district, *nTasks, len(ids), cpus())
	fmt.Printf("%-5s %-4s %-8s %9s %9s %9s %12s %8s\n", "round", "what", "clients", "requests", "req/s", "p50 ms", "p95 ms", "CPU/req ms")
	if *profile != "" {
		if err := os.MkdirAll(*profile, 0o755); err != nil {
			log.Fatal(err)
		}
	}
	listURL := fmt.Sprintf("/api/v1/tasks?unit=%d&limit=50", district)
	for r := 1; r <= *rounds; r++ {
		for _, c := range clients {
			for _, what := range []string{"list", "one"} {
				pick := func(rnd *rand.Rand) string { return listURL }
				if what == "one" {
					pick = func(rnd *rand.Rand) string { return fmt.Sprintf("/api/v1/tasks/%d", ids[rnd.IntN(len(ids))]) }
				}
				var prof func()
				if what == "list" && *profile != "" && s.pprof != "" {
					prof = s.profile(filepath.Join(*profile, fmt.Sprintf("r%d-c%d", r, c)), *dur)
				}
				res := s.run(c, *dur, pick)
				if prof != nil {
					prof()
				}
				fmt.Printf("%-5d %-4s %-8d %9d %9.0f %9.1f %12.1f %8.2f\n", r, what, c, res.n, res.rate, res.p50, res.p95, res.cpuPerReq)
				if res.errors > 0 {
					fmt.Printf("      %d requests failed (first: %s)\n", res.errors, res.firstErr)
				}
			}
		}
	}
}

// server is the program under test.
type server struct {
	base, pprof string
	pid         int
	http        *http.Client
	token       string
}

// start builds (unless bin is given) and starts sotay serve --demo on a
// fresh database; it returns the function that stops it.
func (s *server) start(bin string, withPprof bool) func() {
	dir, err := os.MkdirTemp("", "sotay-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if bin == "" {
		bin = filepath.Join(dir, "sotay")
		out, err := exec.Command("go", "build", "-o", bin, "github.com/sotay-vn/sotay/cmd/sotay").CombinedOutput()
		if err != nil {
			log.Fatalf("go build: %v\n%s", err, out)
		}
	}
	args := []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", "sqlite", "--data", dir}
	if withPprof {
		args = append(args, "--pprof", freeAddr())
	}
	cmd := exec.Command(bin, args...)
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

// do sends one request and decodes the answer into out (when not nil).
func (s *server) do(method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.http.Do(req)
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
func (s *server) createTasks(district int64, n int) []int64 {
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
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				var out struct{ ID int64 }
				u := kids.Items[int(i)%len(kids.Items)]
				s.must("POST", "/api/v1/tasks", map[string]any{"title": fmt.Sprintf("Việc thử số %d", i+1), "unit_id": u.ID, "workdays": 1 + int(i)%30}, &out)
				ids[i] = out.ID
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	fmt.Printf("created %d tasks in %s (%.0f tasks/s, 8 clients)\n", n, el.Round(time.Millisecond), float64(n)/el.Seconds())
	return ids
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
