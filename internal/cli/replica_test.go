package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/web"
)

// TestReadReplica starts a PostgreSQL primary and a streaming replica made
// with pg_basebackup -R from the local binaries, serves the demo district
// with --db-replica, and pauses the replica's replay so that what the
// replica answers is visibly older than the primary: a report (a unit's
// statistics) read by a session that did not write comes from the replica
// (it lacks the new cell), the session that wrote reads its own write (the
// primary, for a few seconds after the write), and no request ever asks
// the replica to write.
func TestReadReplica(t *testing.T) {
	if os.Getenv("SOTAY_TEST_POSTGRES") == "" {
		if os.Getenv("SOTAY_REQUIRE_POSTGRES") != "" {
			t.Fatal("SOTAY_REQUIRE_POSTGRES is set but SOTAY_TEST_POSTGRES is not")
		}
		t.Skip("set SOTAY_TEST_POSTGRES to run the replica test (it starts its own servers from the local binaries)")
	}
	for _, bin := range []string{"initdb", "pg_ctl", "pg_basebackup"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("SOTAY_REQUIRE_POSTGRES") != "" {
				t.Fatalf("%s is not on PATH", bin)
			}
			t.Skipf("%s is not on PATH", bin)
		}
	}
	t.Parallel()
	ctx := context.Background()
	start := time.Now()
	pg := newPGPair(t)
	t.Logf("primary up after %s", time.Since(start).Round(time.Millisecond))

	// A province with one commune and two administrators on the primary,
	// then the replica from a base backup.
	commune := seedReplicaTest(t, pg.primary)
	pg.startReplica(t)
	t.Logf("replica up after %s", time.Since(start).Round(time.Millisecond))

	var logBuf lockedBuffer
	m := &Main{Flags: dbFlags{DB: pg.primary, Replica: pg.replica, Files: filepath.Join(t.TempDir(), "files")}, Addr: "127.0.0.1:0",
		Log: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	writer := newJarClient(t, m, "writer")
	reader := newJarClient(t, m, "reader")
	stats := "/api/v1/units/" + strconv.FormatInt(commune, 10) + "/stats"
	cells := func(c *jarClient, withCookies bool) int {
		t.Helper()
		var s struct {
			Units struct {
				Total int `json:"total"`
			} `json:"units"`
		}
		if st := c.get(stats, withCookies, &s); st != 200 {
			t.Fatalf("%s GET %s: %d", c.name, stats, st)
		}
		return s.Units.Total
	}
	t.Logf("serving after %s", time.Since(start).Round(time.Millisecond))
	before := cells(reader, true)
	if got := cells(writer, true); got != before {
		t.Fatalf("the replica and the primary disagree before any write: %d, %d", got, before)
	}

	// The replica stops replaying: from now on it shows the past.
	pg.exec(t, pg.replica, `SELECT pg_wal_replay_pause()`)
	var created unitJSON
	body := fmt.Sprintf(`{"parent_id":%d,"kind":"cell","name":"Chi bộ Thử bản sao","code":"T.X.1"}`, commune)
	st, cookie := writer.post("/api/v1/units", body, &created)
	if st != 201 {
		t.Fatalf("create a cell: %d", st)
	}
	if cookie == nil {
		t.Fatalf("the write's answer sets no %s cookie", web.PrimaryCookie)
	}

	for _, tc := range []struct {
		who         *jarClient
		withCookies bool
		want        int
		why         string
	}{
		{writer, true, before + 1, "the session that wrote reads its own write (the primary)"},
		{reader, true, before, "another session reads the replica, which has not replayed the write"},
		{writer, false, before, "the session that wrote, without the cookie, reads the replica"},
	} {
		if got := cells(tc.who, tc.withCookies); got != tc.want {
			t.Errorf("%s (cookies %v): %d units, want %d: %s", tc.who.name, tc.withCookies, got, tc.want, tc.why)
		}
	}

	// /metrics shows the replica behind while its replay is paused with
	// the write received, and caught up (0) once it replays again.
	eventually(t, "a lag above 0 in /metrics while replay is paused", func() bool {
		lag, ok := replicaLagMetric(t, writer.c.base)
		return ok && lag > 0
	})

	// Replaying again, the replica catches up and everyone sees the cell.
	pg.exec(t, pg.replica, `SELECT pg_wal_replay_resume()`)
	pg.waitCaughtUp(t)
	eventually(t, "a lag of 0 in /metrics once caught up", func() bool {
		lag, ok := replicaLagMetric(t, writer.c.base)
		return ok && lag == 0
	})
	if got := cells(reader, true); got != before+1 {
		t.Errorf("reader after the replica caught up: %d units, want %d", got, before+1)
	}
	if strings.Contains(logBuf.String(), "read-only transaction") || strings.Contains(logBuf.String(), "during recovery") {
		t.Errorf("the server asked the replica to write:\n%s", logBuf.String())
	}
}

// seedReplicaTest writes, at dsn, a province with one commune and two
// administrators, writer and reader, and returns the commune's id.
func seedReplicaTest(t *testing.T, dsn string) int64 {
	t.Helper()
	ctx := context.Background()
	a, err := openApp(ctx, dbFlags{DB: dsn}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sys, today := auth.SystemActor(), date.Today(time.Now())
	root, err := a.Org.Create(ctx, sys, org.CreateInput{Kind: org.KindProvince, Name: "Tỉnh ủy Thử", Code: "T"}, today)
	if err != nil {
		t.Fatal(err)
	}
	commune, err := a.Org.Create(ctx, sys, org.CreateInput{ParentID: &root.ID, Kind: org.KindGrassroots, Name: "Đảng bộ xã Thử", Code: "T.X"}, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"writer", "reader"} {
		if _, err := a.Auth.CreateAccount(ctx, sys, auth.CreateInput{Username: u, Password: demoPassword(),
			Roles: []auth.Grant{{UnitID: root.ID, Role: auth.RoleOffice}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Offices must enrol a second factor before anything else: these two
	// are exempt, as the demo's accounts are.
	if err := a.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_exempt = TRUE`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return commune.ID
}

// pgPair is a primary and its streaming replica in a temporary directory,
// run as the "postgres" user when the test runs as root.
type pgPair struct {
	dir              string
	primaryPort      int
	replicaPort      int
	primary, replica string // DSNs of the sotay database on each
	runAs            func(name string, args ...string) *exec.Cmd
}

func newPGPair(t *testing.T) *pgPair {
	t.Helper()
	dir, err := os.MkdirTemp("", "sotay-replica-")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgPair{dir: dir, runAs: exec.Command}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a 'postgres' user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		p.runAs = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	os.Chmod(dir, 0o700)
	t.Cleanup(func() {
		for _, d := range []string{"replica", "primary"} {
			p.runAs("pg_ctl", "-D", filepath.Join(dir, d), "-m", "immediate", "stop").Run()
		}
		os.RemoveAll(dir)
	})
	if p.primaryPort, err = freeTCPPort(); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "primary")
	p.run(t, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	p.start(t, data, p.primaryPort)
	p.primary = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/sotay?sslmode=disable", p.primaryPort)
	p.exec(t, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.primaryPort), `CREATE DATABASE sotay`)
	return p
}

// startReplica makes the replica with pg_basebackup -R (which writes
// standby.signal and the primary's address) and starts it.
func (p *pgPair) startReplica(t *testing.T) {
	t.Helper()
	var err error
	if p.replicaPort, err = freeTCPPort(); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(p.dir, "replica")
	p.run(t, "pg_basebackup", "-D", data, "-h", "127.0.0.1", "-p", strconv.Itoa(p.primaryPort), "-U", "postgres", "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")
	p.start(t, data, p.replicaPort)
	p.replica = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/sotay?sslmode=disable", p.replicaPort)
	var standby bool
	p.query(t, p.replica, `SELECT pg_is_in_recovery()`, &standby)
	if !standby {
		t.Fatal("the replica is not in recovery")
	}
}

func (p *pgPair) start(t *testing.T, data string, port int) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100 -c hot_standby=on", port, p.dir)
	p.run(t, "pg_ctl", "-D", data, "-o", opts, "-l", data+".log", "-w", "start")
}

func (p *pgPair) run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := p.runAs(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (p *pgPair) exec(t *testing.T, dsn, q string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (p *pgPair) query(t *testing.T, dsn, q string, out any) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(q).Scan(out); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// waitCaughtUp waits until the replica has replayed what the primary has
// written (a wait, not a measure: it ends when the replica says so).
func (p *pgPair) waitCaughtUp(t *testing.T) {
	t.Helper()
	var target string
	p.query(t, p.primary, `SELECT pg_current_wal_lsn()::text`, &target)
	db, err := sql.Open("pgx", p.replica)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		var done bool
		if err := db.QueryRow(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not replay up to %s in a minute", target)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeTCPPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	_, port, _ := strings.Cut(l.Addr().String(), ":")
	return strconv.Atoi(port)
}

// jarClient is an API client that keeps cookies, as a browser does.
type jarClient struct {
	t     *testing.T
	name  string
	c     *client
	http  *http.Client
	plain *http.Client
}

func newJarClient(t *testing.T, m *Main, username string) *jarClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &jarClient{t: t, name: username, c: m.signIn(t, username), http: &http.Client{Jar: jar}, plain: &http.Client{}}
}

func (j *jarClient) send(req *http.Request, withCookies bool, out any) (int, *http.Response) {
	j.t.Helper()
	req.Header.Set("Authorization", "Bearer "+j.c.token)
	hc := j.http
	if !withCookies {
		hc = j.plain
	}
	resp, err := hc.Do(req)
	if err != nil {
		j.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			j.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
		}
	}
	return resp.StatusCode, resp
}

func (j *jarClient) get(path string, withCookies bool, out any) int {
	req, _ := http.NewRequest("GET", j.c.base+path, nil)
	st, _ := j.send(req, withCookies, out)
	return st
}

// post sends a JSON body and returns the status and the primary cookie
// the answer set, if any.
func (j *jarClient) post(path, body string, out any) (int, *http.Cookie) {
	req, _ := http.NewRequest("POST", j.c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	st, resp := j.send(req, true, out)
	for _, c := range resp.Cookies() {
		if c.Name == web.PrimaryCookie {
			return st, c
		}
	}
	return st, nil
}

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// replicaLagMetric reads sotay_replica_lag_seconds from base's /metrics;
// ok is false when the line is missing (no replica, or it did not answer).
func replicaLagMetric(t *testing.T, base string) (lag float64, ok bool) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, found := strings.CutPrefix(line, "sotay_replica_lag_seconds "); found {
			lag, err := strconv.ParseFloat(v, 64)
			return lag, err == nil
		}
	}
	return 0, false
}
