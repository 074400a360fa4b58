// Package testpg gives tests a real PostgreSQL server: the one named by
// SOTAY_TEST_POSTGRES, or else a throwaway cluster started from the local
// PostgreSQL binaries (initdb, pg_ctl) when they are on PATH. Each call to
// NewDatabase creates a fresh, empty database on that server; Template
// builds a database once per test binary and FromTemplate copies it for
// one test (CREATE DATABASE … TEMPLATE), much faster than building it again.
package testpg

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once    sync.Once
	baseDSN string
	initErr error
	counter atomic.Int64
	cleanup func()
)

// Server returns the DSN of the test server's maintenance database, or ""
// when no PostgreSQL is available (the caller should skip).
func Server(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if dsn := os.Getenv("SOTAY_TEST_POSTGRES"); dsn != "" {
			baseDSN = dsn
			return
		}
		if os.Getenv("SOTAY_TEST_NO_POSTGRES") != "" {
			return
		}
		if _, err := exec.LookPath("initdb"); err != nil {
			return
		}
		baseDSN, cleanup, initErr = startCluster()
	})
	if initErr != nil {
		tb.Fatalf("start throwaway PostgreSQL: %v", initErr)
	}
	return baseDSN
}

// Stop drops the template databases and shuts down a cluster started by
// this package; call it from TestMain.
func Stop() {
	dropSpares()
	templates.Lock()
	names := make([]string, 0, len(templates.m))
	for _, t := range templates.m {
		if t.name != "" {
			names = append(names, t.name)
		}
	}
	templates.Unlock()
	if len(names) > 0 && baseDSN != "" {
		if a, err := sql.Open("pgx", baseDSN); err == nil {
			for _, n := range names {
				a.Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
			}
			a.Close()
		}
	}
	admin.Lock()
	if admin.db != nil {
		admin.db.Close()
		admin.db = nil
	}
	admin.Unlock()
	if cleanup != nil {
		cleanup()
	}
}

// NewDatabase creates an empty database and returns its DSN, or "" when no
// server is available. The database is dropped when the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, "")
}

// FromTemplate creates a database as a copy of template (a name returned
// by Template) with CREATE DATABASE … TEMPLATE, and returns its DSN, or ""
// when no server is available. The copy is dropped when the test ends.
func FromTemplate(tb testing.TB, template string) string {
	tb.Helper()
	return newDatabase(tb, template)
}

func newDatabase(tb testing.TB, template string) string {
	tb.Helper()
	base := available(tb)
	if base == "" {
		return ""
	}
	name := createDatabase(tb, base, template)
	tb.Cleanup(func() {
		adminPool(tb, base).Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return databaseDSN(tb, base, name)
}

// createDatabase creates a database, empty or a copy of template, and
// returns its name.
func createDatabase(tb testing.TB, base, template string) string {
	tb.Helper()
	name := fmt.Sprintf("sotay_test_%d_%d", os.Getpid(), counter.Add(1))
	create := "CREATE DATABASE " + name
	pool := adminPool(tb, base)
	if template != "" {
		create += " TEMPLATE " + template
		if fileCopy(pool) {
			create += " STRATEGY FILE_COPY"
		}
	}
	if _, err := pool.Exec(create); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	return name
}

// fileCopy says whether the server copies a template with STRATEGY
// FILE_COPY (PostgreSQL 15 and later). Since 15 the default, WAL_LOG,
// copies the template block by block through the shared buffers and
// writes every block to the WAL; the copy's dirty buffers are then
// written out again by the checkpointer, and dropped again by DROP
// DATABASE. FILE_COPY copies the template's files (after a checkpoint),
// which for the tests' templates of tens of megabytes costs the server
// less CPU per CREATE and per DROP (docs/benchmarks.md: r16-cli, and
// r18-clitests for the whole package). Asked once per test binary.
func fileCopy(pool *sql.DB) bool {
	strategy.once.Do(func() {
		var v int
		if err := pool.QueryRow(`SELECT current_setting('server_version_num')::int`).Scan(&v); err == nil {
			strategy.fileCopy = v >= 150000
		}
	})
	return strategy.fileCopy
}

var strategy struct {
	once     sync.Once
	fileCopy bool
}

// admin is the pool on the server's maintenance database that creates and
// drops the tests' databases, opened once per test binary: a connection
// per CREATE and per DROP cost a server process start each (about 20–30 ms
// of the server's CPU under load, two per test). Stop closes it.
var admin struct {
	sync.Mutex
	db *sql.DB
}

func adminPool(tb testing.TB, base string) *sql.DB {
	tb.Helper()
	admin.Lock()
	defer admin.Unlock()
	if admin.db == nil {
		db, err := sql.Open("pgx", base)
		if err != nil {
			tb.Fatal(err)
		}
		db.SetMaxIdleConns(4)
		admin.db = db
	}
	return admin.db
}

// available returns the server's DSN, or "" (failing the test when
// SOTAY_REQUIRE_POSTGRES is set) when there is none.
func available(tb testing.TB) string {
	tb.Helper()
	base := Server(tb)
	if base == "" && os.Getenv("SOTAY_REQUIRE_POSTGRES") != "" {
		tb.Fatal("SOTAY_REQUIRE_POSTGRES is set but no PostgreSQL is available")
	}
	return base
}

func databaseDSN(tb testing.TB, base, name string) string {
	tb.Helper()
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// templates are the databases built once per test binary, by key.
var templates struct {
	sync.Mutex
	m map[string]*template
}

type template struct {
	once sync.Once
	name string
	err  error
}

// Template returns the name of a database that build filled (given its
// DSN) once per test binary for key; tests copy it with FromTemplate. It
// returns "" when no server is available. build must close every
// connection it opened: PostgreSQL copies only a database nobody is
// connected to. Stop drops the templates.
func Template(tb testing.TB, key string, build func(dsn string) error) string {
	tb.Helper()
	base := available(tb)
	if base == "" {
		return ""
	}
	templates.Lock()
	if templates.m == nil {
		templates.m = map[string]*template{}
	}
	t := templates.m[key]
	if t == nil {
		t = &template{}
		templates.m[key] = t
	}
	templates.Unlock()
	t.once.Do(func() {
		name := fmt.Sprintf("sotay_template_%d_%d", os.Getpid(), counter.Add(1))
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.err = err
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.err = fmt.Errorf("create database: %w", err)
			return
		}
		if err := build(databaseDSN(tb, base, name)); err != nil {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			t.err = err
			return
		}
		templates.Lock()
		t.name = name
		templates.Unlock()
	})
	if t.err != nil {
		tb.Fatalf("build the template database %q: %v", key, t.err)
	}
	return t.name
}

// startCluster runs initdb and pg_ctl in a temporary directory, as the
// "postgres" user when we are root (PostgreSQL refuses to run as root).
func startCluster() (string, func(), error) {
	dir, err := os.MkdirTemp("", "sotay-pg-")
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	runAs := func(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }
	if os.Geteuid() == 0 {
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, fmt.Errorf("running as root needs a 'postgres' user: %w", err)
		}
		uid, _ := strconv.Atoi(pgUser.Uid)
		gid, _ := strconv.Atoi(pgUser.Gid)
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", nil, err
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", nil, err
		}
		runAs = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := runAs("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if out, err := runAs("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop := func() {
		runAs("pg_ctl", "-D", data, "-m", "immediate", "stop").Run()
		os.RemoveAll(dir)
	}
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, _ := sql.Open("pgx", dsn)
	defer db.Close()
	for db.PingContext(ctx) != nil {
		if ctx.Err() != nil {
			stop()
			return "", nil, fmt.Errorf("PostgreSQL did not answer on port %d", port)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return dsn, stop, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
