package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/testpg"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testpg.Stop()
	os.Exit(code)
}

// forEachDB runs fn on a fresh, migrated SQLite database and, when a
// PostgreSQL server is available, on a fresh PostgreSQL database.
//
// The test runs in parallel with the other store tests (each has its own
// database; PostgreSQL's work is in its own processes).
func forEachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, OpenTest(t, filepath.Join(t.TempDir(), "test.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		tmpl := testpg.Template(t, "migrated", migrateEmpty)
		if tmpl == "" {
			t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
		}
		fn(t, OpenTest(t, testpg.FromTemplate(t, tmpl)))
	})
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
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

var system = auth.SystemActor()
