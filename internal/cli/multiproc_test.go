package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// nginxBinary finds nginx; without it the test is skipped, or fails when
// SOTAY_REQUIRE_NGINX is set (CI installs the Debian package).
func nginxBinary(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("SOTAY_REQUIRE_NGINX") != "" {
		t.Fatal("SOTAY_REQUIRE_NGINX is set but nginx is not installed")
	}
	t.Skip("no nginx: apt-get install nginx")
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveChild starts `sotay serve` (this test binary as the program) on
// addr with args and waits until it answers /healthz.
func serveChild(t *testing.T, addr string, logf *os.File, args ...string) *child {
	t.Helper()
	cmd := programCommand(t, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, addr: addr, done: make(chan error, 1)}
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(c.kill)
	if err := c.waitHealthy(60 * time.Second); err != nil {
		t.Fatalf("sotay serve on %s: %v (log: %s)", addr, err, tail(logf.Name()))
	}
	return c
}

// nginxConf is the reverse proxy in front of the processes: round robin,
// a process that refuses or fails is left alone for a second, and a
// request goes to the next process on a connection error or a timeout —
// only when it is idempotent or was never sent (nginx's default: without
// non_idempotent, a POST that reached a process is not sent again).
func nginxConf(dir, listen string, upstreams []string) string {
	var b strings.Builder
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // the temporary directories are root's
	}
	// One process, no master: when the test kills nginx (SIGKILL) no
	// worker is left behind.
	fmt.Fprintf(&b, `%sdaemon off;
master_process off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 512; }
http {
  log_format t '$http_x_test_id $upstream_addr $status $upstream_status';
  access_log %[2]s/access.log t;
  client_body_temp_path %[2]s/body;
  proxy_temp_path %[2]s/proxy;
  fastcgi_temp_path %[2]s/fastcgi;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  upstream sotay {
`, user, dir)
	for _, u := range upstreams {
		fmt.Fprintf(&b, "    server %s max_fails=1 fail_timeout=1s;\n", u)
	}
	fmt.Fprintf(&b, `    keepalive 16;
  }
  server {
    listen %s;
    location / {
      proxy_pass http://sotay;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_buffering off;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
  }
}
`, listen)
	return b.String()
}

// startNginx starts nginx (the binary ngx, its files in dir: nginx.conf,
// access.log, error.log) in front of the upstreams (host:port) and answers
// its base URL once it serves /healthz.
func startNginx(t *testing.T, ngx, dir string, upstreams []string) string {
	t.Helper()
	proxy := freeAddr(t)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConf(dir, proxy, upstreams)), 0o600); err != nil {
		t.Fatal(err)
	}
	ngxLog, _ := os.Create(filepath.Join(dir, "nginx.out"))
	nc := exec.Command(ngx, "-p", dir, "-c", conf)
	nc.Stdout, nc.Stderr = ngxLog, ngxLog
	if err := nc.Start(); err != nil {
		t.Fatal(err)
	}
	nginxUp := &child{cmd: nc, addr: proxy, done: make(chan error, 1)}
	go func() { nginxUp.done <- nc.Wait() }()
	t.Cleanup(nginxUp.kill)
	if err := nginxUp.waitHealthy(20 * time.Second); err != nil {
		t.Fatalf("nginx: %v: %s %s", err, tail(ngxLog.Name()), tail(filepath.Join(dir, "error.log")))
	}
	return "http://" + proxy
}

// loadRequest is one request of the mixed load as the client saw it.
type loadRequest struct {
	id         int
	kind       string // sign-in, read, write
	path       string
	start, end time.Time
	status     int
	err        error
	title      string // a write's task title
	taskID     int64  // a write's acknowledged task
}

// TestProcessesBehindProxy runs two `sotay serve` processes on one
// PostgreSQL database behind a real nginx, sends a mixed load (sign-ins,
// reads, task creations), kills one process with SIGKILL in the middle and
// starts it again, then checks: every acknowledged task is there once;
// every request that failed was in flight on the killed process (and was
// not idempotent: nginx retries the others); no e-mail was sent twice and
// no job ran twice; the sign-in limit counts failures made on both
// processes; the conference board streamed by one process shows a check-in
// made through the other; and the audit chain verifies.
//
// In parallel with the package's other tests: it has its own database,
// ports, mailbox and nginx, and changes no package variable. Run alone
// before the parallel tests it held them all back for its whole run
// (about 20 s of the package's time in the suite).
func TestProcessesBehindProxy(t *testing.T) {
	t.Parallel()
	ngx := nginxBinary(t)
	tmpl := demoPostgresTemplate(t)
	if tmpl == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	began := time.Now()
	dsn := testpg.FromTemplate(t, tmpl)
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	mb := startMailbox(t)
	logA, _ := os.Create(filepath.Join(dir, "a.log"))
	logB, _ := os.Create(filepath.Join(dir, "b.log"))
	defer func() {
		if t.Failed() {
			t.Logf("process A (tail):\n%s\nprocess B (tail):\n%s\nnginx errors:\n%s", tail(logA.Name()), tail(logB.Name()), tail(filepath.Join(dir, "error.log")))
		}
	}()
	args := []string{"--db", dsn, "--files", files, "--smtp", mb.addr, "--mail-from", "Sổ tay <sotay@phuxuyen.example.vn>"}
	addrA, addrB := freeAddr(t), freeAddr(t)
	var a, b *child
	var wg sync.WaitGroup
	wg.Go(func() { a = serveChild(t, addrA, logA, args...) })
	wg.Go(func() { b = serveChild(t, addrB, logB, args...) })
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}

	base := startNginx(t, ngx, dir, []string{addrA, addrB})

	hc := &http.Client{Timeout: 30 * time.Second}
	signIn := func(base, username string) string {
		t.Helper()
		st, body, err := httpJSON(hc, base, "", "POST", "/api/v1/session", map[string]string{"username": username, "password": demoPassword()})
		if err != nil || st != 200 {
			t.Fatalf("sign in %s: %d %v %s", username, st, err, body)
		}
		var out struct{ Token string }
		json.Unmarshal(body, &out)
		return out.Token
	}

	// The program as a third process would see it, for the fixtures.
	ctx := context.Background()
	app, err := openApp(ctx, dbFlags{DB: dsn, Files: files}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	district, err := app.Org.Resolve(ctx, auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	kids, err := app.Org.Children(ctx, auth.SystemActor(), district.ID)
	if err != nil {
		t.Fatal(err)
	}
	var phuTuc int64
	for _, k := range kids {
		if k.Name == "Đảng bộ xã Phú Túc" {
			phuTuc = k.ID
		}
	}
	office, officeB := signIn(base, "vanphong"), signIn("http://"+addrB, "vanphong")

	// The sign-in limit is the database's: five failures, alternating
	// between the processes, and the sixth attempt is refused by both.
	for i := range 6 {
		target := []string{addrA, addrB}[i%2]
		st, body, err := httpJSON(hc, "http://"+target, "", "POST", "/api/v1/session", map[string]string{"username": "khongco.thu", "password": "sai mật khẩu " + strconv.Itoa(i)})
		want := 401
		if i == 5 {
			want = 429
		}
		if err != nil || st != want {
			t.Errorf("failed sign-in %d on %s: got %d %v %.200s, want %d", i+1, target, st, err, body, want)
		}
	}

	// The board on process B hears a check-in made on process A.
	var cf struct {
		ID int64 `json:"id"`
	}
	start := time.Now().Add(-30 * time.Minute).UTC().Truncate(time.Second)
	if st, body, _ := httpJSON(hc, base, office, "POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị thử hai máy", "starts_at": start, "host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc}}); st != 201 || json.Unmarshal(body, &cf) != nil {
		t.Fatalf("create conference: %d %s", st, body)
	}
	var points []struct {
		ID int64 `json:"id"`
	}
	if st, body, _ := httpJSON(hc, base, office, "POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", cf.ID), []map[string]any{{"unit_id": phuTuc, "name": "Điểm cầu Phú Túc"}}); st != 201 || json.Unmarshal(body, &points) != nil || len(points) != 1 {
		t.Fatalf("bridge point: %d %s", st, body)
	}
	attendees, err := app.Members.List(ctx, auth.SystemActor(), member.ListInput{UnitID: phuTuc, Limit: 1})
	if err != nil || len(attendees.Items) == 0 {
		t.Fatalf("a member of Phú Túc: %v", err)
	}
	presents := watchPresent(t, "http://"+addrB, officeB, cf.ID)
	if got := <-presents; got != 0 {
		t.Fatalf("the board starts with %d present, want 0", got)
	}
	if st, body, _ := httpJSON(hc, "http://"+addrA, signIn("http://"+addrA, "vanphong"), "POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", cf.ID),
		map[string]any{"member_id": attendees.Items[0].ID, "bridge_point_id": points[0].ID}); st != 201 {
		t.Fatalf("check-in on A: %d %s", st, body)
	}
	select {
	case got := <-presents:
		if got != 1 {
			t.Errorf("the board on B after the check-in on A: %d present, want 1", got)
		}
	case <-time.After(8 * time.Second): // the board's own refresh is every 10 s
		t.Errorf("the board on B did not hear the check-in made on A")
	}

	// The mixed load through nginx; A is killed in the middle and started
	// again on the same port.
	dangvien := signIn(base, "dangvien")
	var (
		mu      sync.Mutex
		reqs    []*loadRequest
		killAt  time.Time
		counter int
		// answered counts the requests answered (or failed).
		answered atomic.Int64
		// gate holds the workers while A starts again: each request is
		// sent under its read lock. Unheld, they kept the survivor busy
		// for as long as the start took (seconds on a loaded machine, a
		// few hundred requests more that nothing looks at), so the load's
		// size followed the machine's speed instead of the answers
		// counted.
		gate sync.RWMutex
	)
	load, stop := context.WithCancel(ctx)
	send := func(r *loadRequest, method, path, token string, body any) []byte {
		req, _ := http.NewRequest(method, base+path, nil)
		if body != nil {
			js, _ := json.Marshal(body)
			req, _ = http.NewRequest(method, base+path, strings.NewReader(string(js)))
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("X-Test-Id", strconv.Itoa(r.id))
		r.path = method + " " + path
		r.start = time.Now()
		resp, err := hc.Do(req)
		var out []byte
		if err == nil {
			out, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			r.status = resp.StatusCode
		}
		r.end, r.err = time.Now(), err
		answered.Add(1)
		return out
	}
	var lw sync.WaitGroup
	for w := range 6 {
		lw.Go(func() {
			for i := 0; load.Err() == nil; i++ {
				gate.RLock()
				mu.Lock()
				counter++
				r := &loadRequest{id: counter}
				reqs = append(reqs, r)
				mu.Unlock()
				switch i % 10 {
				case 0:
					r.kind = "sign-in"
					send(r, "POST", "/api/v1/session", "", map[string]string{"username": "dangvien", "password": demoPassword()})
				case 1, 2, 3, 4, 5:
					r.kind = "read"
					path := []string{"/api/v1/tasks?holder=me&limit=20", fmt.Sprintf("/api/v1/units/%d", phuTuc), "/api/v1/accounts/me"}[i%3]
					tok := office
					if i%3 == 2 {
						tok = dangvien
					}
					send(r, "GET", path, tok, nil)
				default:
					r.kind = "write"
					r.title = fmt.Sprintf("Việc thử hai máy %d-%d", w, i)
					body := send(r, "POST", "/api/v1/tasks", office, map[string]any{"title": r.title, "unit_id": phuTuc, "workdays": 5})
					if r.status == 201 {
						var tj struct {
							ID int64 `json:"id"`
						}
						json.Unmarshal(body, &tj)
						r.taskID = tj.ID
					}
				}
				gate.RUnlock()
			}
		})
	}
	// The kill lands while the load runs: after some requests were
	// answered by both processes; the survivor answers alone for a while;
	// then A is back and answers some more. The load is counted in
	// answers, not in seconds, so that a slow machine still kills A in the
	// middle of it (the workers always have a request in flight).
	waitAnswered(t, &answered, 60, "before the kill")
	mu.Lock()
	killAt = time.Now()
	mu.Unlock()
	a.kill()
	killedAt := time.Now()
	waitAnswered(t, &answered, answered.Load()+30, "by the survivor")
	before := servedBy(t, dir, addrA)
	func() {
		gate.Lock()
		defer gate.Unlock() // also when the start fails the test
		a = serveChild(t, addrA, logA, args...)
	}()
	// nginx sends requests to A again (a second after its last failure).
	pollUntil(t, "the restarted process to answer 20 requests through nginx", time.Minute, 10*time.Millisecond,
		func() bool { return servedBy(t, dir, addrA) >= before+20 })
	stop()
	lw.Wait()

	// Which process served each request (nginx's log: the test id, the
	// upstreams tried, the status).
	served := map[string][]string{}
	logText, _ := os.ReadFile(filepath.Join(dir, "access.log"))
	for _, line := range strings.Split(string(logText), "\n") {
		if f := strings.SplitN(line, " ", 2); len(f) == 2 {
			served[f[0]] = append(served[f[0]], f[1])
		}
	}
	want := map[string]int{"sign-in": 200, "read": 200, "write": 201}
	counts := map[string]int{}
	var failed, inFlightWrites, inFlightReads, acrossKill int
	acked := map[string]int64{}
	for _, r := range reqs {
		if r.start.IsZero() {
			continue // not sent: the load stopped
		}
		counts[r.kind]++
		if r.start.Before(killedAt) && r.end.After(killAt) {
			acrossKill++
		}
		if r.err == nil && r.status == want[r.kind] {
			if r.kind == "write" {
				acked[r.title] = r.taskID
			}
			continue
		}
		failed++
		via := strings.Join(served[strconv.Itoa(r.id)], " | ")
		onA := strings.Contains(via, addrA)
		inFlight := r.start.Before(killedAt) && r.end.After(killAt)
		switch {
		case r.kind == "read" && (!onA || !inFlight || r.status != 200):
			// nginx retries a read the killed process failed before its
			// answer began; only one whose answer had begun (200, then the
			// body cut: "unexpected EOF") died with the process.
			t.Errorf("request %d (%s) failed: %d %v via %q; nginx retries idempotent requests", r.id, r.path, r.status, r.err, via)
		case !onA || !inFlight:
			t.Errorf("request %d (%s, %s–%s, kill at %s) failed: %d %v via %q; only requests in flight on the killed process may", r.id, r.kind,
				r.start.Format("15:04:05.000"), r.end.Format("15:04:05.000"), killAt.Format("15:04:05.000"), r.status, r.err, via)
		case r.kind == "write":
			inFlightWrites++
		case r.kind == "read":
			inFlightReads++
		}
	}
	t.Logf("load: %v requests (%d failed; see above for any not in flight on the killed process; %d reads cut by the kill; %d requests in flight across the kill); %d tasks acknowledged", counts, failed, inFlightReads, acrossKill, len(acked))
	if acrossKill == 0 {
		t.Error("no request was in flight when A was killed: the kill did not land in the middle of the load")
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged")
	}

	// Every acknowledged task is there, and no title twice.
	titles := map[string]int{}
	err = app.DB.Read(ctx, func(q store.Querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, title FROM tasks WHERE title LIKE 'Việc thử hai máy %'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var title string
			if err := rows.Scan(&id, &title); err != nil {
				return err
			}
			titles[title]++
			if want, ok := acked[title]; ok && want != id {
				t.Errorf("task %q has id %d, acknowledged as %d", title, id, want)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for title := range acked {
		if titles[title] != 1 {
			t.Errorf("acknowledged task %q: %d in the database, want 1", title, titles[title])
		}
	}
	for title, n := range titles {
		if n > 1 {
			t.Errorf("task %q written %d times", title, n)
		}
	}

	// No e-mail twice, and no job run twice: every job done was done on
	// its first attempt (the killed process's lease, five minutes, has not
	// passed, so nothing it held was taken over).
	eventually(t, "the e-mail jobs not held by the killed process to be done", func() bool {
		var n int
		app.DB.Read(ctx, func(q store.Querier) error {
			return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send' AND done_at IS NULL AND failed_at IS NULL AND locked_by IS NULL`).Scan(&n)
		})
		return n == 0
	})
	var mailJobs, twice int
	app.DB.Read(ctx, func(q store.Querier) error {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send' AND done_at IS NOT NULL`).Scan(&mailJobs); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE done_at IS NOT NULL AND attempts > 1`).Scan(&twice)
	})
	if twice != 0 {
		t.Errorf("%d jobs ran more than once", twice)
	}
	ids := map[string]int{}
	msgID := regexp.MustCompile(`(?mi)^Message-ID:\s*(\S+)`)
	for _, m := range mb.messages() {
		if g := msgID.FindSubmatch(m.data); g != nil {
			ids[string(g[1])]++
		}
	}
	var dup []string
	for id, n := range ids {
		if n > 1 {
			dup = append(dup, id)
		}
	}
	sort.Strings(dup)
	if len(dup) > 0 || len(mb.messages()) != mailJobs {
		t.Errorf("e-mail: %d messages received for %d mail jobs done; sent twice: %v", len(mb.messages()), mailJobs, dup)
	}

	// The audit chain verifies, and nothing stays pending: what the killed
	// process committed and did not link, the others link (their chainers
	// sweep every few seconds; the restarted one at its start).
	pollUntil(t, "every audit entry to be linked into the chain", time.Minute, 100*time.Millisecond, func() bool {
		res, err := app.DB.VerifyAudit(ctx)
		return err == nil && res.OK() && res.Pending == 0
	})
	if code, out, stderr := runCLI("audit", "verify", "--db", dsn, "--max-pending", "1m"); code != 0 {
		t.Errorf("audit verify: exit %d: %s %s", code, out, stderr)
	}
	t.Logf("%d e-mails, none twice; %d writes in flight on the killed process; %s in all (without building the demo)", mailJobs, inFlightWrites, time.Since(began).Round(time.Millisecond))
	_ = b
}

// waitAnswered waits until answered reaches n (the bound, a minute, stops
// a load that no longer moves; it is not a timing assertion).
func waitAnswered(t *testing.T, answered *atomic.Int64, n int64, when string) {
	t.Helper()
	pollUntil(t, fmt.Sprintf("%d requests answered %s", n, when), time.Minute, 10*time.Millisecond, func() bool { return answered.Load() >= n })
}

// servedBy counts the requests the process at addr answered with 2xx
// alone (nginx's access log in dir: test id, upstreams, status).
func servedBy(t *testing.T, dir, addr string) int {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(text), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[1] == addr && strings.HasPrefix(f[2], "2") {
			n++
		}
	}
	return n
}

// watchPresent opens the conference's event stream on base and sends the
// number present of every attendance event.
func watchPresent(t *testing.T, base, token string, confID int64) <-chan int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/conferences/%d/events", base, confID), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan int, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var a confAttendance
			if json.Unmarshal([]byte(data), &a) == nil {
				out <- a.Total.Present
			}
		}
	}()
	return out
}
