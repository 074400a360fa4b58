package cli

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/testpg"
)

// TestLoad is a load generator, not a test of correctness: it runs only
// with SOTAY_LOAD=1. It builds and starts the real program on 127.0.0.1
// with the demo district (or uses a running one), signs in many clients,
// lets them read and edit for a bounded time, and reports throughput,
// latency per kind of request, statuses, "database is locked" answers and
// the server's memory.
//
//	SOTAY_LOAD=1 go test -run TestLoad -v -timeout 30m ./internal/cli/
//
// Settings (environment):
//
//	SOTAY_LOAD_DURATION  how long the clients run (default 60s)
//	SOTAY_LOAD_CLIENTS   concurrent signed-in clients (default 500)
//	SOTAY_LOAD_DB        sqlite (default), postgres (a throwaway database
//	                     from testpg), or a postgres:// URL
//	SOTAY_LOAD_URL       a server already running on this machine
//	                     (http://127.0.0.1:PORT) instead of starting one;
//	                     SOTAY_LOAD_PID its process id, for its memory
//
// Every client is a closed loop without think time: it sends its next
// request when the last one is answered. Each loop stops at the deadline
// or after loadMaxPerClient requests, whichever comes first.
func TestLoad(t *testing.T) {
	if os.Getenv("SOTAY_LOAD") == "" {
		t.Skip("a load generator: set SOTAY_LOAD=1 to run it")
	}
	duration := loadEnvDuration(t, "SOTAY_LOAD_DURATION", 60*time.Second, time.Hour)
	clients := loadEnvInt(t, "SOTAY_LOAD_CLIENTS", 500, 1, 5000)
	// SOTAY_LOAD_PROCS processes on one PostgreSQL database (issue 16):
	// the clients are spread over them in turn, as a balancer would.
	targets := startConferenceTargets(t, loadEnvInt(t, "SOTAY_LOAD_PROCS", 1, 1, 8))
	target := targets[0]
	for _, tg := range targets {
		t.Logf("target %s (pid %d, %s)", tg.base, tg.pid, tg.db)
	}

	mem := &rssSampler{pid: target.pid}
	stopMem := mem.start()
	defer stopMem()

	lg := &loadGen{base: target.base, http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: clients + 16,
		IdleConnTimeout:     2 * time.Minute,
	}}}
	lg.discover(t)

	// Sign the clients in: a few at a time, as each sign-in costs an
	// argon2id hash (64 MiB, about 50–100 ms) on the server.
	start := time.Now()
	rssBefore := mem.current()
	sessions := lg.signInClients(t, clients, 4)
	signInTime := time.Since(start)
	t.Logf("signed in %d clients in %s (%.1f sign-ins/s, 4 at a time); server RSS %s before, peak %s so far",
		clients, signInTime.Round(time.Millisecond), float64(clients)/signInTime.Seconds(), mib(rssBefore), mib(mem.peak()))

	mem.resetPeak()
	cpuOf := func() time.Duration {
		var d time.Duration
		for _, tg := range targets {
			d += processCPU(tg.pid)
		}
		return d
	}
	backends := postgresBackends(t, target.dsn)
	cpuStart, pgStart := cpuOf(), backendsCPU(backends)
	// (A backend of the start that ends during the run would be counted
	// below its due: the pools keep idle connections for 5 minutes.)
	dbStart := fileSize(target.file)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	results := make([]*clientResult, len(sessions))
	var wg sync.WaitGroup
	var inFlight atomic.Int64
	runStart := time.Now()
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inFlight.Add(1)
			defer inFlight.Add(-1)
			g := *lg
			g.base = targets[i%len(targets)].base
			results[i] = g.runClient(ctx, s, rand.New(rand.NewPCG(uint64(i), 7)))
		}()
	}
	// A progress line every 15 seconds; bounded by the same deadline.
	go func() {
		tick := time.NewTicker(15 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.Logf("%s: %d clients running, server RSS %s", time.Since(runStart).Round(time.Second), inFlight.Load(), mib(mem.current()))
			}
		}
	}()
	wg.Wait()
	elapsed := time.Since(runStart)
	stopMem()
	cpu := cpuOf() - cpuStart
	report := summarise(results, elapsed)
	report.serverCPU = cpu
	report.procs = len(targets)
	if len(backends) > 0 {
		// The backends connected now: those of the start by their CPU
		// since, those opened during the run by all of theirs.
		report.pgCPU = backendsCPU(postgresBackends(t, target.dsn)) - pgStart
	}
	report.dbStart, report.dbEnd = dbStart, fileSize(target.file)
	report.clients, report.db = clients, target.db
	report.loadAvg = loadAverage()
	report.signIn, report.rssEnd, report.rssSamples = signInTime, mem.current(), mem.series()
	report.rssSettled, report.rssPeak = mem.settled(5)
	t.Log("\n" + report.String())
	if report.locked > 0 {
		t.Errorf("%d answers said \"database is locked\"", report.locked)
	}
	if report.failures > 0 {
		t.Errorf("%d requests failed (non-2xx other than 409 on edits, or transport errors)", report.failures)
	}
}

// loadTarget is the server under load.
type loadTarget struct {
	base string
	// dsn is the PostgreSQL database, when the generator made it.
	dsn string
	pid int
	db  string
	// file is the SQLite database, when known.
	file string
}

// startLoadTarget builds and starts the program, or returns the server of
// SOTAY_LOAD_URL (which must be on this machine).
func startLoadTarget(t *testing.T) loadTarget {
	t.Helper()
	if raw := os.Getenv("SOTAY_LOAD_URL"); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "http" {
			t.Fatalf("SOTAY_LOAD_URL=%q: want http://127.0.0.1:PORT", raw)
		}
		if h := u.Hostname(); h != "127.0.0.1" && h != "::1" && h != "localhost" {
			t.Fatalf("SOTAY_LOAD_URL=%q: the load generator only sends traffic to this machine", raw)
		}
		pid, _ := strconv.Atoi(os.Getenv("SOTAY_LOAD_PID"))
		return loadTarget{base: strings.TrimSuffix(raw, "/"), pid: pid, db: "running server"}
	}
	dir := t.TempDir()
	db, label := "sqlite:"+filepath.Join(dir, "load.db"), "SQLite"
	switch v := os.Getenv("SOTAY_LOAD_DB"); {
	case v == "" || v == "sqlite":
	case v == "postgres":
		if db = testpg.NewDatabase(t); db == "" {
			t.Skip("no PostgreSQL available (set SOTAY_TEST_POSTGRES or put initdb on PATH)")
		}
		label = "PostgreSQL"
	case strings.HasPrefix(v, "postgres://"):
		db, label = v, "PostgreSQL"
	default:
		t.Fatalf("SOTAY_LOAD_DB=%q: sqlite, postgres or a postgres:// URL", v)
	}
	bin := buildSotay(t, dir)
	base, pid := startServer(t, 50, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db, "--data", dir)
	file := ""
	if f, ok := strings.CutPrefix(db, "sqlite:"); ok {
		file = f
	}
	dsn := ""
	if label == "PostgreSQL" {
		dsn = db
	}
	return loadTarget{base: base, pid: pid, db: label, file: file, dsn: dsn}
}

// loadEnvInt reads a whole number from the environment (def when unset).
func loadEnvInt(t *testing.T, name string, def, lo, hi int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		t.Fatalf("%s=%q: %d to %d", name, v, lo, hi)
	}
	return n
}

// loadEnvDuration reads a duration from the environment (def when unset).
func loadEnvDuration(t *testing.T, name string, def, most time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > most {
		t.Fatalf("%s=%q: a duration up to %s", name, v, most)
	}
	return d
}

// buildSotay builds the program into dir.
func buildSotay(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "sotay")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/sotay-vn/sotay/cmd/sotay").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServer runs bin with args until the test ends, passes its first
// logLines lines of log to the test log, and answers its address and
// process id once it listens.
func startServer(t *testing.T, logLines int, bin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &limitedLog{t: t, left: logLines}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (http://[0-9.:]+)/`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return a, cmd.Process.Pid
	case <-time.After(10 * time.Minute):
		t.Fatal("the server did not start within 10 minutes")
	}
	return "", 0
}

// limitedLog passes the server's first log lines to the test log.
type limitedLog struct {
	mu   sync.Mutex
	t    *testing.T
	left int
}

func (l *limitedLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.left > 0 {
		l.left--
		l.t.Logf("server: %s", strings.TrimSpace(string(b)))
	}
	return len(b), nil
}

// rssSampler reads the server's resident memory (VmRSS) once a second.
type rssSampler struct {
	pid     int
	mu      sync.Mutex
	last    int64
	max     int64
	samples []int64
}

func (s *rssSampler) read() int64 {
	if s.pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// start samples until the returned function is called (at most 2 hours).
func (s *rssSampler) start() func() {
	stop := make(chan struct{})
	var once sync.Once
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for range 7200 {
			s.sample()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { once.Do(func() { close(stop) }); s.sample() }
}

func (s *rssSampler) sample() {
	v := s.read()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = v
	s.max = max(s.max, v)
	s.samples = append(s.samples, v)
}

func (s *rssSampler) current() int64 { s.mu.Lock(); defer s.mu.Unlock(); return s.last }
func (s *rssSampler) peak() int64    { s.mu.Lock(); defer s.mu.Unlock(); return s.max }
func (s *rssSampler) resetPeak() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.max, s.samples = s.last, nil
}

// settled returns the sample skip seconds into the run, and the highest
// sample after it.
func (s *rssSampler) settled(skip int) (int64, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) <= skip {
		return s.last, s.max
	}
	return s.samples[skip], slices.Max(s.samples[skip:])
}

// series returns the samples at about ten points of the run.
func (s *rssSampler) series() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	step := max(1, len(s.samples)/10)
	for i := 0; i < len(s.samples); i += step {
		out = append(out, s.samples[i])
	}
	return out
}

func mib(b int64) string {
	if b == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// loadAccount is a demo account and what it reaches.
type loadAccount struct {
	user    string
	weight  int  // share of the clients
	reads   bool // may read personal records and statistics
	writes  bool // may edit member records
	units   []int64
	members []int64
}

// loadGen holds what the clients share: the server and the fixtures.
type loadGen struct {
	base     string
	http     *http.Client
	accounts []*loadAccount
}

type loadSession struct {
	acc   *loadAccount
	token string
}

// loadQueries are searches people type: family names, middle names, a
// given name, with and without diacritics.
var loadQueries = []string{"", "nguyen", "trần", "tran van", "thị", "le thi", "hoa", "pham", "hoàng văn", "minh", "vu", "đặng"}

// loadPositions are the values the edits write.
var loadPositions = []string{"Đảng viên", "Chi ủy viên", "Phó bí thư chi bộ", "Tổ trưởng tổ đảng", "Trưởng thôn"}

func (lg *loadGen) call(method, path, token string, body io.Reader, headers ...string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, lg.base+path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if strings.HasPrefix(path, "/api/") {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
	} else if token != "" {
		req.AddCookie(&http.Cookie{Name: "sotay_session", Value: token})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := lg.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

func (lg *loadGen) mustJSON(t *testing.T, method, path, token string, body any, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	st, b, _, err := lg.call(method, path, token, rd)
	if err != nil || st/100 != 2 {
		t.Fatalf("%s %s: %d %v %.200s", method, path, st, err, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (lg *loadGen) signIn(t *testing.T, user string) string {
	t.Helper()
	var out struct{ Token string }
	lg.mustJSON(t, "POST", "/api/v1/session", "", map[string]string{"username": user, "password": demoPassword()}, &out)
	return out.Token
}

// discover walks the tree and the member list as admin, and works out
// what each demo account reaches.
func (lg *loadGen) discover(t *testing.T) {
	t.Helper()
	admin := lg.signIn(t, "admin")
	type unit struct {
		ID   int64  `json:"id"`
		Path string `json:"path"`
		Kind string `json:"kind"`
	}
	var roots listJSON[unit]
	lg.mustJSON(t, "GET", "/api/v1/units", admin, nil, &roots)
	paths := map[int64]string{}
	var all []unit
	queue := roots.Items
	for len(queue) > 0 && len(all) < 100000 {
		u := queue[0]
		queue = queue[1:]
		all = append(all, u)
		paths[u.ID] = u.Path
		if u.Kind != "cell" {
			var kids listJSON[unit]
			lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/units?parent=%d", u.ID), admin, nil, &kids)
			queue = append(queue, kids.Items...)
		}
	}
	type mem struct {
		ID     int64 `json:"id"`
		UnitID int64 `json:"unit_id"`
	}
	var members []mem
	cursor := ""
	for range 1000 {
		var page listJSON[mem]
		lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=500&cursor=%s", roots.Items[0].ID, url.QueryEscape(cursor)), admin, nil, &page)
		members = append(members, page.Items...)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	t.Logf("the tree has %d units and %d members in cells", len(all), len(members))
	lg.accounts = []*loadAccount{
		{user: "admin", weight: 5, reads: true, writes: true},
		{user: "vanphong", weight: 10, reads: true, writes: true},
		{user: "btv", weight: 10, reads: true},
		{user: "danguy.phutuc", weight: 25, reads: true, writes: true},
		{user: "bithu.phutuc", weight: 25, reads: true, writes: true},
		{user: "dangvien", weight: 25},
	}
	for _, a := range lg.accounts {
		tok := lg.signIn(t, a.user)
		var me struct {
			MemberID *int64 `json:"member_id"`
			Roles    []struct {
				UnitID int64 `json:"unit_id"`
			} `json:"roles"`
		}
		lg.mustJSON(t, "GET", "/api/v1/accounts/me", tok, nil, &me)
		root := paths[me.Roles[0].UnitID]
		if !a.reads {
			// A member reaches their own cell only.
			var rec struct {
				UnitID int64 `json:"unit_id"`
			}
			lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/members/%d", *me.MemberID), tok, nil, &rec)
			root = paths[rec.UnitID]
		}
		for _, u := range all {
			if strings.HasPrefix(u.Path, root) {
				a.units = append(a.units, u.ID)
			}
		}
		for _, m := range members {
			if strings.HasPrefix(paths[m.UnitID], root) {
				a.members = append(a.members, m.ID)
			}
		}
		lg.call("DELETE", "/api/v1/session", tok, nil)
		t.Logf("%-14s reaches %5d units, %5d members", a.user, len(a.units), len(a.members))
	}
	lg.call("DELETE", "/api/v1/session", admin, nil)
}

// signInClients opens one session per client, par at a time.
func (lg *loadGen) signInClients(t *testing.T, n, par int) []loadSession {
	t.Helper()
	var pool []*loadAccount
	for _, a := range lg.accounts {
		for range a.weight {
			pool = append(pool, a)
		}
	}
	out := make([]loadSession, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() != nil {
					return
				}
				acc := pool[i%len(pool)]
				b, _ := json.Marshal(map[string]string{"username": acc.user, "password": demoPassword()})
				st, body, _, err := lg.call("POST", "/api/v1/session", "", strings.NewReader(string(b)))
				var tok struct{ Token string }
				if err != nil || st != 200 || json.Unmarshal(body, &tok) != nil {
					failed.Store(fmt.Sprintf("sign in %s: %d %v %.200s", acc.user, st, err, body))
					return
				}
				out[i] = loadSession{acc: acc, token: tok.Token}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		t.Fatal(f)
	}
	return out
}

// loadMaxPerClient bounds each client's loop whatever the duration.
const loadMaxPerClient = 200000

// clientResult is what one client saw.
type clientResult struct {
	latency   map[string][]time.Duration
	status    map[string]map[int]int
	transport int
	locked    int
	conflicts int
	samples   []string // a few failed answers, for the report
}

func (r *clientResult) record(kind string, d time.Duration, st int, body []byte, err error) {
	r.latency[kind] = append(r.latency[kind], d)
	if r.status[kind] == nil {
		r.status[kind] = map[int]int{}
	}
	r.status[kind][st]++
	if err != nil {
		r.transport++
		if len(r.samples) < 3 {
			r.samples = append(r.samples, kind+": "+err.Error())
		}
		return
	}
	if strings.Contains(string(body), "database is locked") {
		r.locked++
	}
	if st == http.StatusConflict && kind == "edit" {
		r.conflicts++
	} else if st/100 != 2 && len(r.samples) < 3 {
		r.samples = append(r.samples, fmt.Sprintf("%s: %d %.200s", kind, st, body))
	}
}

// runClient sends requests until ctx ends. Readers of personal records
// mix API and HTML reads; writers also edit (a form load, then a PATCH
// with If-Match); a member browses their cell.
func (lg *loadGen) runClient(ctx context.Context, s loadSession, rnd *rand.Rand) *clientResult {
	r := &clientResult{latency: map[string][]time.Duration{}, status: map[string]map[int]int{}}
	a := s.acc
	pickUnit := func() int64 { return a.units[rnd.IntN(len(a.units))] }
	pickMember := func() int64 { return a.members[rnd.IntN(len(a.members))] }
	query := func() string { return url.QueryEscape(loadQueries[rnd.IntN(len(loadQueries))]) }
	get := func(kind, path string) {
		t0 := time.Now()
		st, b, _, err := lg.call("GET", path, s.token, nil)
		r.record(kind, time.Since(t0), st, b, err)
	}
	for range loadMaxPerClient {
		if ctx.Err() != nil {
			break
		}
		x := rnd.IntN(100)
		switch {
		case a.writes && x < 22:
			// Load the record (as the edit form does), then save it.
			id := pickMember()
			t0 := time.Now()
			st, b, h, err := lg.call("GET", fmt.Sprintf("/api/v1/members/%d", id), s.token, nil)
			r.record("member (API)", time.Since(t0), st, b, err)
			if st != 200 {
				continue
			}
			body := fmt.Sprintf(`{"position":%q}`, loadPositions[rnd.IntN(len(loadPositions))])
			t0 = time.Now()
			st, b, _, err = lg.call("PATCH", fmt.Sprintf("/api/v1/members/%d", id), s.token, strings.NewReader(body), "If-Match", h.Get("ETag"))
			r.record("edit", time.Since(t0), st, b, err)
		case x < 35:
			get("list+search (API)", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=50", pickUnit(), query()))
		case x < 50:
			get("member (API)", fmt.Sprintf("/api/v1/members/%d", pickMember()))
		case x < 60 && a.reads:
			get("unit stats (API)", fmt.Sprintf("/api/v1/units/%d/stats", pickUnit()))
		case x < 68:
			get("unit (API)", fmt.Sprintf("/api/v1/units/%d", pickUnit()))
		case x < 80:
			get("unit page (HTML)", fmt.Sprintf("/don-vi/%d", pickUnit()))
		case x < 90:
			get("member list page (HTML)", fmt.Sprintf("/don-vi/%d/dang-vien?q=%s", pickUnit(), query()))
		default:
			get("member page (HTML)", fmt.Sprintf("/dang-vien/%d", pickMember()))
		}
	}
	return r
}

// loadReport is the summary of a run.
type loadReport struct {
	clients    int
	db         string
	elapsed    time.Duration
	signIn     time.Duration
	total      int
	kinds      []kindReport
	statuses   map[int]int
	transport  int
	locked     int
	conflicts  int
	failures   int
	samples    []string
	rssSettled int64
	rssPeak    int64
	serverCPU  time.Duration
	// dbStart and dbEnd are the SQLite database's size (with its WAL).
	dbStart, dbEnd int64
	rssEnd         int64
	rssSamples     []int64
	loadAvg        string
	// procs is how many server processes shared the load; pgCPU the CPU
	// of the PostgreSQL backends serving them.
	procs int
	pgCPU time.Duration
}

type kindReport struct {
	name               string
	n                  int
	p50, p95, p99, max time.Duration
	statuses           map[int]int
}

func summarise(results []*clientResult, elapsed time.Duration) *loadReport {
	rep := &loadReport{elapsed: elapsed, statuses: map[int]int{}}
	lat := map[string][]time.Duration{}
	sts := map[string]map[int]int{}
	for _, r := range results {
		if r == nil {
			continue
		}
		for k, v := range r.latency {
			lat[k] = append(lat[k], v...)
		}
		for k, m := range r.status {
			if sts[k] == nil {
				sts[k] = map[int]int{}
			}
			for st, n := range m {
				sts[k][st] += n
				rep.statuses[st] += n
				if st/100 != 2 && !(st == http.StatusConflict && k == "edit") {
					rep.failures += n
				}
			}
		}
		rep.transport += r.transport
		rep.locked += r.locked
		rep.conflicts += r.conflicts
		if len(rep.samples) < 10 {
			rep.samples = append(rep.samples, r.samples...)
		}
	}
	names := make([]string, 0, len(lat))
	for k := range lat {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v := lat[k]
		slices.Sort(v)
		pct := func(p float64) time.Duration { return v[min(len(v)-1, int(p*float64(len(v))))] }
		rep.kinds = append(rep.kinds, kindReport{name: k, n: len(v), p50: pct(0.50), p95: pct(0.95), p99: pct(0.99), max: v[len(v)-1], statuses: sts[k]})
		rep.total += len(v)
	}
	return rep
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

func (r *loadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d clients, %s: %d requests, %.0f req/s (sign-in of the clients took %s)\n\n",
		r.db, r.clients, r.elapsed.Round(time.Second), r.total, float64(r.total)/r.elapsed.Seconds(), r.signIn.Round(time.Second))
	fmt.Fprintln(&b, "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | statuses |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|")
	for _, k := range r.kinds {
		var sts []string
		for _, st := range slices.Sorted(maps.Keys(k.statuses)) {
			sts = append(sts, fmt.Sprintf("%d×%d", st, k.statuses[st]))
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %s | %s |\n", k.name, k.n, float64(k.n)/r.elapsed.Seconds(), ms(k.p50), ms(k.p95), ms(k.p99), ms(k.max), strings.Join(sts, ", "))
	}
	var edits int
	for _, k := range r.kinds {
		if k.name == "edit" {
			edits = k.n
		}
	}
	fmt.Fprintf(&b, "\nwrites (edits): %.1f%% of requests; 409 on edits (concurrent edits of the same record): %d\n", 100*float64(edits)/float64(max(1, r.total)), r.conflicts)
	fmt.Fprintf(&b, "failures (non-2xx other than those 409s): %d; transport errors: %d; \"database is locked\": %d\n", r.failures, r.transport, r.locked)
	for _, s := range r.samples {
		fmt.Fprintf(&b, "  e.g. %s\n", s)
	}
	var series []string
	for _, v := range r.rssSamples {
		series = append(series, strings.TrimSuffix(mib(v), " MiB"))
	}
	fmt.Fprintf(&b, "machine load average at the end (1, 5, 15 min): %s\n", r.loadAvg)
	fmt.Fprintf(&b, "server RSS: %s 5 s into the run (once the memory of the sign-in burst is returned), peak %s after that, %s at the end; over the run (MiB): %s\n",
		mib(r.rssSettled), mib(r.rssPeak), mib(r.rssEnd), strings.Join(series, " "))
	if r.dbEnd > 0 {
		fmt.Fprintf(&b, "SQLite database (with its WAL): %s at the start of the run, %s at the end\n", mib(r.dbStart), mib(r.dbEnd))
	}
	if r.serverCPU > 0 {
		fmt.Fprintf(&b, "server CPU time during the run (%d process(es)): %s (%.2f cores on average), %.2f ms per request\n", max(1, r.procs),
			r.serverCPU.Round(time.Second), r.serverCPU.Seconds()/r.elapsed.Seconds(), float64(r.serverCPU)/float64(time.Millisecond)/float64(max(1, r.total)))
	}
	if r.pgCPU > 0 {
		fmt.Fprintf(&b, "PostgreSQL backends of the database: %s CPU, %.2f ms per request\n",
			r.pgCPU.Round(time.Second), float64(r.pgCPU)/float64(time.Millisecond)/float64(max(1, r.total)))
	}
	return b.String()
}

// loadAverage is the machine's load average (other work on the machine
// skews the figures).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// processCPU is the user and system CPU time a process has used so far
// (0 when it cannot be read).
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count from its ")".
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks are 1/100 s on Linux (USER_HZ).
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// fileSize is the size of an SQLite database file and its WAL (0 when
// there is no file).
func fileSize(file string) int64 {
	if file == "" {
		return 0
	}
	var n int64
	for _, f := range []string{file, file + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// postgresBackends are the server processes of the connections to the
// database of dsn (none without one, or when PostgreSQL is not on this
// machine's /proc).
func postgresBackends(t *testing.T, dsn string) []int {
	if dsn == "" {
		return nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil
	}
	defer db.Close()
	rows, err := db.Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		t.Logf("PostgreSQL backends: %v", err)
		return nil
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

func backendsCPU(pids []int) time.Duration {
	var d time.Duration
	for _, p := range pids {
		d += processCPU(p)
	}
	return d
}
