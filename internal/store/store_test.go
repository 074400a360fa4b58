package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/testpg"
	"github.com/sotay-vn/sotay/internal/testrun"
)

// storeParallel is how many store tests run at once unless -test.parallel
// is given: they wait on PostgreSQL and on SQLite's writes more than they
// compute.
const storeParallel = 8

func TestMain(m *testing.M) {
	testrun.RaiseParallel(storeParallel)
	code := m.Run()
	testpg.Stop()
	if migratedSQLite.dir != "" {
		os.RemoveAll(migratedSQLite.dir)
	}
	os.Exit(code)
}

// forEachDB runs fn on a fresh, migrated SQLite database and, when a
// PostgreSQL server is available, on a migrated PostgreSQL database that
// holds what a fresh one holds (testpg.FromTemplateReused: the database of
// a test that ended, emptied, or a new copy of the template). Its rows and
// sequences are a fresh copy's, but not its pages and planner estimates: a
// test that looks at plans (EXPLAIN, ANALYZE) uses forEachFreshDB
// (TestPlanTestsGetFreshDatabases checks it).
//
// The test runs in parallel with the other store tests (each has its own
// database; PostgreSQL's work is in its own processes).
func forEachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	eachDB(t, openReused, fn)
}

// openReused opens forEachDB's PostgreSQL database on the pool that
// testpg keeps for it across tests (testpg.FromTemplateReusedPool): the
// server processes of the tests before, their caches warm, instead of new
// ones (about 0.1 s of the server's CPU a test, docs/benchmarks.md,
// r21-store). The pool is not closed with the test's DB.
func openReused(t *testing.T, template string) *DB {
	t.Helper()
	_, pool := testpg.FromTemplateReusedPool(t, template)
	db := &DB{dialect: postgresDialect, write: pool, read: pool, Now: time.Now}
	db.chain = newAuditChainer(db)
	t.Cleanup(db.chain.close)
	return migratedTest(t, db)
}

// openCopy opens a new copy of template (testpg.FromTemplate, dropped at
// the end).
func openCopy(t *testing.T, template string) *DB {
	t.Helper()
	return OpenTest(t, testpg.FromTemplate(t, template))
}

// migratedPostgres returns the DSN of a migrated PostgreSQL database for
// tests that open it twice, as two processes would (forEachDB's database,
// testpg.FromTemplateReused), or "" without a server. A new empty database
// migrated for the test cost about a second of the server's CPU and made
// some 750 files.
func migratedPostgres(t *testing.T) string {
	t.Helper()
	tmpl := testpg.Template(t, "migrated", migrateEmpty)
	if tmpl == "" {
		return ""
	}
	return testpg.FromTemplateReused(t, tmpl)
}

// forEachFreshDB is forEachDB with a new copy of the PostgreSQL template
// (CREATE DATABASE … TEMPLATE, dropped at the end) for the tests whose
// plans depend on a fresh database's sizes and statistics.
func forEachFreshDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	eachDB(t, openCopy, fn)
}

func eachDB(t *testing.T, open func(t *testing.T, template string) *DB, fn func(t *testing.T, db *DB)) {
	t.Helper()
	eachCopy(t, migratedSQLiteFile, func(t *testing.T) string { return testpg.Template(t, "migrated", migrateEmpty) }, open, fn)
}

// eachCopy runs fn on a copy of the SQLite file sqliteFile gives and on a
// copy (open) of the PostgreSQL template pgTemplate gives, in parallel
// with the other store tests, the two engines at the same time: one after
// the other, the slowest tests' two halves were the package's longest
// chain. It returns when both have ended, so that what the caller set up
// for them (and undoes when it returns) holds for both; fn must not share
// what it writes between its two calls.
func eachCopy(t *testing.T, sqliteFile, pgTemplate func(t *testing.T) string, open func(t *testing.T, template string) *DB, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Parallel()
	var wg sync.WaitGroup
	run := func(name string, engine func(t *testing.T)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(name, engine)
		}()
	}
	run("sqlite", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "test.db")
		if err := copyTestFile(sqliteFile(t), file); err != nil {
			t.Fatal(err)
		}
		fn(t, OpenTest(t, file))
	})
	run("postgres", func(t *testing.T) {
		tmpl := pgTemplate(t)
		if tmpl == "" {
			t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
		}
		fn(t, open(t, tmpl))
	})
	wg.Wait()
}

// forEachFreshDBWith is forEachFreshDB on databases that already hold a
// fixture: fill writes it once per test binary and engine (key names it),
// into a migrated database that becomes the template each test copies (the
// SQLite file copied, PostgreSQL CREATE DATABASE … TEMPLATE, statistics
// included), for the plan tests that each wrote the same rows and ran
// ANALYZE again.
func forEachFreshDBWith(t *testing.T, key string, fill func(context.Context, *DB) error, fn func(t *testing.T, db *DB)) {
	t.Helper()
	sqliteFile := func(t *testing.T) string { return sqliteFixtureFile(t, key, fill) }
	pgTemplate := func(t *testing.T) string {
		return testpg.Template(t, "migrated+"+key, func(dsn string) error { return fillFixture(dsn, fill) })
	}
	eachCopy(t, sqliteFile, pgTemplate, openCopy, fn)
}

// fillFixture migrates the empty database at dsn and fills it, with the
// tests' clock (OpenTest's).
func fillFixture(dsn string, fill func(context.Context, *DB) error) error {
	ctx := context.Background()
	db, err := Open(ctx, dsn, "")
	if err != nil {
		return err
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	return fill(ctx, db)
}

// sqliteFixtures are forEachFreshDBWith's SQLite files, by key: a copy of
// the migrated file, filled and written out whole (Backup), once per test
// binary; TestMain removes them with migratedSQLite.dir.
var sqliteFixtures struct {
	sync.Mutex
	m map[string]*sqliteFixture
}

type sqliteFixture struct {
	once sync.Once
	file string
	err  error
}

func sqliteFixtureFile(t *testing.T, key string, fill func(context.Context, *DB) error) string {
	t.Helper()
	migrated := migratedSQLiteFile(t)
	sqliteFixtures.Lock()
	if sqliteFixtures.m == nil {
		sqliteFixtures.m = map[string]*sqliteFixture{}
	}
	f := sqliteFixtures.m[key]
	if f == nil {
		f = &sqliteFixture{}
		sqliteFixtures.m[key] = f
	}
	sqliteFixtures.Unlock()
	f.once.Do(func() {
		dir := filepath.Dir(migrated)
		build := filepath.Join(dir, "build-"+key+".db")
		if f.err = copyTestFile(migrated, build); f.err != nil {
			return
		}
		defer os.Remove(build)
		if f.err = fillFixture("sqlite:"+build, fill); f.err != nil {
			return
		}
		db, err := Open(context.Background(), "sqlite:"+build, "")
		if err != nil {
			f.err = err
			return
		}
		defer db.Close()
		file := filepath.Join(dir, "fixture-"+key+".db")
		f.err = db.Backup(context.Background(), file)
		f.file = file
	})
	if f.err != nil {
		t.Fatalf("the SQLite fixture %q: %v", key, f.err)
	}
	return f.file
}

// migrateEmpty migrates the empty database at dsn: the template each
// PostgreSQL test copies (CREATE DATABASE … TEMPLATE), since migrating
// costs about three times as much as the copy.
func migrateEmpty(dsn string) error {
	db, err := Open(context.Background(), dsn, "")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(context.Background())
	return err
}

// migratedSQLite is an empty migrated SQLite database, made once per test
// binary by migratedSQLiteFile; forEachDB copies it for each test, as the
// PostgreSQL tests copy a migrated template database. Migrating a new file
// costs little CPU but a file sync per migration, about 0.5 s of waiting
// per test under load.
var migratedSQLite struct {
	once sync.Once
	dir  string
	file string
	err  error
}

func migratedSQLiteFile(t *testing.T) string {
	t.Helper()
	migratedSQLite.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "sotay-store-test-")
		if err != nil {
			migratedSQLite.err = err
			return
		}
		migratedSQLite.dir = dir
		db, err := Open(ctx, "sqlite:"+filepath.Join(dir, "build.db"), "")
		if err != nil {
			migratedSQLite.err = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			migratedSQLite.err = err
			return
		}
		// Backup (VACUUM INTO) writes one consistent file, WAL included.
		file := filepath.Join(dir, "migrated.db")
		migratedSQLite.err = db.Backup(ctx, file)
		migratedSQLite.file = file
	})
	if migratedSQLite.err != nil {
		t.Fatalf("migrate the SQLite template: %v", migratedSQLite.err)
	}
	return migratedSQLite.file
}

func copyTestFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// OpenTest opens and migrates a database for a test, with a fixed clock.
func OpenTest(tb testing.TB, dsn string) *DB {
	tb.Helper()
	ctx := context.Background()
	var db *DB
	var err error
	if filepath.IsAbs(dsn) {
		db, err = Open(ctx, "sqlite:"+dsn, "")
	} else {
		db, err = Open(ctx, dsn, "")
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return migratedTest(tb, db)
}

// migratedTest gives db the tests' clock and migrates it.
func migratedTest(tb testing.TB, db *DB) *DB {
	tb.Helper()
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

var system = auth.SystemActor()
