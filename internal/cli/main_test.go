package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/testpg"
	"github.com/sotay-vn/sotay/internal/testrun"
)

// asProgramEnv, in a child's environment, makes the test binary run the
// program with its arguments instead of the tests (see programCommand).
const asProgramEnv = "SOTAY_TEST_AS_PROGRAM"

func TestMain(m *testing.M) {
	if os.Getenv(asProgramEnv) != "" {
		os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// New password hashes (the demo accounts', changed and reset passwords)
	// use cheap argon2id parameters: a hash records its parameters and
	// verification reads them from it, so only the cost changes. The
	// program's parameters are tested in internal/auth.
	auth.SetHashParamsForTests(auth.HashParams{Time: 1, Memory: 64, Threads: 1})
	testrun.RaiseParallel(testParallel)
	testrun.RaiseGCPercent(testGCPercent)
	removeScratch := testrun.ScratchInMemory(scratchMinFree)
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	if demoSQLite.dir != "" {
		os.RemoveAll(demoSQLite.dir)
	}
	testpg.Stop()
	removeScratch()
	os.Exit(code)
}

// testParallel is how many tests of this package run at once unless
// -test.parallel is given. The tests spend most of their time waiting (on
// their own server, Chromium, child processes, PostgreSQL), not computing:
// with go test's default (GOMAXPROCS, 2 on the CI machine) the two cores
// were busy about a third of the package's time. Browser tests are bounded
// separately (browserTabs).
const testParallel = 8

// scratchMinFree is how much room /dev/shm must have for this test binary
// to keep its temporary files there (testrun.ScratchInMemory): the whole
// tmpfs held at most about 0.8–0.9 GB during a run of the package (eight
// tests at a time, each with its copy of the 70 MB demo file and its WAL,
// Chromium's and LibreOffice's profiles; docs/benchmarks.md, r21-cli), so
// four leaves the machine its margin.
const scratchMinFree = 4 << 30

// testGCPercent is GOGC for this test binary (not for the children it
// starts as the program): its tests run dozens of servers in one process,
// and with Go's default of 100 the collector's marking was about a tenth
// of the process's CPU (docs/benchmarks.md, r18-clitests).
const testGCPercent = 400

// startDemo runs the real program on a fresh SQLite database with the demo
// district loaded, and stops it when the test ends.
func startDemo(t testing.TB) *Main {
	t.Helper()
	return startDemoOn(t, "sqlite")
}

// startDemoOn is startDemo on the given engine, "sqlite" or "postgres";
// without a PostgreSQL server the test is skipped (it fails when
// SOTAY_REQUIRE_POSTGRES is set).
//
// The demo district is generated once per test binary and each test gets
// its own copy of it (the SQLite file, or a PostgreSQL database made with
// CREATE DATABASE … TEMPLATE); Main.Run with Demo finds the demo loaded
// and goes on as after a restart.
func startDemoOn(t testing.TB, engine string) *Main {
	t.Helper()
	var flags dbFlags
	switch engine {
	case "sqlite":
		// Attachments go beside the database file.
		flags.DB = "sqlite:" + filepath.Join(t.TempDir(), "t.db")
		if err := copyFile(demoSQLiteFile(t), strings.TrimPrefix(flags.DB, "sqlite:")); err != nil {
			t.Fatal(err)
		}
	case "postgres":
		tmpl := demoPostgresTemplate(t)
		if tmpl == "" {
			t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
		}
		flags = dbFlags{DB: testpg.FromTemplate(t, tmpl), Files: filepath.Join(t.TempDir(), "files")}
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	m := &Main{Flags: flags, Addr: "127.0.0.1:0", Demo: true}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// onEachEngine runs fn as one subtest per database engine, each on its own
// copy of the demo district. The subtests run in parallel: fn must not
// change the process's state (environment, package variables).
func onEachEngine(t *testing.T, fn func(t *testing.T, m *Main)) {
	t.Helper()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, startDemoOn(t, engine))
		})
	}
}

// demoSQLite is the demo district in a SQLite file, built once per test
// binary by demoSQLiteFile.
var demoSQLite struct {
	once sync.Once
	dir  string
	file string
	err  error
}

func demoSQLiteFile(t testing.TB) string {
	t.Helper()
	demoSQLite.once.Do(func() {
		dir, err := os.MkdirTemp("", "sotay-demo-")
		if err != nil {
			demoSQLite.err = err
			return
		}
		demoSQLite.dir = dir
		file := filepath.Join(dir, "demo.db")
		// Closing the database checkpoints its WAL into the file and
		// removes it, so the file alone is the whole demo: no copy of it
		// (a VACUUM INTO rewrote all 50 MB, about 0.5 s of CPU per binary).
		if demoSQLite.err = buildDemo(dbFlags{DB: "sqlite:" + file}, nil); demoSQLite.err != nil {
			return
		}
		demoSQLite.err = wholeSQLiteFile(file)
		demoSQLite.file = file
	})
	if demoSQLite.err != nil {
		t.Fatalf("build the demo database: %v", demoSQLite.err)
	}
	return demoSQLite.file
}

// wholeSQLiteFile fails when a closed SQLite database file left a WAL or
// a rollback journal beside it: a copy of the file alone would miss what
// they hold.
func wholeSQLiteFile(file string) error {
	for _, side := range []string{"-wal", "-journal"} {
		if st, err := os.Stat(file + side); err == nil && st.Size() > 0 {
			return fmt.Errorf("%s%s holds %d bytes after the close: the file alone is not the database", file, side, st.Size())
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// buildDemo loads the demo district into the empty database of flags as
// `sotay serve --demo` does on first start, calls then (if not nil) and
// closes the database.
func buildDemo(flags dbFlags, then func(*store.DB) error) error {
	ctx := context.Background()
	a, err := openApp(ctx, flags, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	if _, err := a.loadDemo(ctx, "district", 1, io.Discard); err != nil {
		a.Close()
		return err
	}
	if then != nil {
		if err := then(a.DB); err != nil {
			a.Close()
			return err
		}
	}
	return a.Close()
}

// programCommand runs sotay with args as a separate process: this test
// binary, which then does what cmd/sotay's main does (it only calls Run),
// with the program's own password hashing parameters. Building cmd/sotay
// instead would cost a link of the whole program per test.
func programCommand(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), asProgramEnv+"=1")
	return cmd
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// client is a small JSON API client for scenario tests.
type client struct {
	t     testing.TB
	base  string
	token string
}

func (m *Main) client(t testing.TB) *client { return &client{t: t, base: "http://" + m.Addr} }

// signIn returns a client signed in as username with the demo password.
func (m *Main) signIn(t testing.TB, username string) *client {
	t.Helper()
	return m.signInPassword(t, username, demoPassword())
}

// signInPassword returns a client signed in as username with password,
// failing the test unless the sign-in answers 200.
func (m *Main) signInPassword(t testing.TB, username, password string) *client {
	t.Helper()
	c := m.client(t)
	var out struct{ Token string }
	if st := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": password}, &out); st != 200 {
		t.Fatalf("sign in %s: status %d", username, st)
	}
	c.token = out.Token
	return c
}

// do sends a JSON request and decodes the JSON answer into out (if not nil).
func (c *client) do(method, path string, body any, out any, headers ...string) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.send(req, out)
}

func (c *client) send(req *http.Request, out any) int {
	c.t.Helper()
	st, _, b := c.roundTrip(req)
	if out != nil && len(b) > 0 {
		if p, ok := out.(*[]byte); ok {
			*p = b
		} else if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: status %d, body not JSON: %v: %.300s", req.Method, req.URL.Path, st, err, b)
		}
	}
	return st
}

// roundTrip sends req, with c's token unless it carries an Authorization
// of its own, and reads the whole answer.
func (c *client) roundTrip(req *http.Request) (int, http.Header, []byte) {
	c.t.Helper()
	if c.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}
