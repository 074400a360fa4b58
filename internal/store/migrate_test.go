package store

import (
	"context"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/testpg"
)

func TestMigrateRefusesNewerSchema(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if n, err := db.Migrate(ctx); err != nil || n != 0 {
			t.Fatalf("second migrate: applied %d, err %v; want 0 and nil", n, err)
		}
		if _, err := db.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')`); err != nil {
			t.Fatal(err)
		}
		_, err := db.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "9999") {
			t.Errorf("migrate on a newer schema: got %v, want a refusal naming version 9999", err)
		}
	})
}

// TestMigrateOnNewerExpandSchema: a rolling upgrade. The newer release's
// migrations that only add (-- sotay:expand) let this binary start; one
// that does not makes it refuse.
func TestMigrateOnNewerExpandSchema(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		latest := db.LatestVersion()
		steps := []struct {
			name   string
			sql    string
			refuse bool
		}{
			{"an added table", `INSERT INTO schema_migrations (version, name) VALUES ($1, 'added'); INSERT INTO schema_expand (version) VALUES ($1)`, false},
			{"a dropped column", `INSERT INTO schema_migrations (version, name) VALUES ($1, 'dropped')`, true},
		}
		for i, st := range steps {
			for _, q := range strings.Split(st.sql, "; ") {
				if _, err := db.write.ExecContext(ctx, q, latest+1+i); err != nil {
					t.Fatal(err)
				}
			}
			n, err := db.Migrate(ctx)
			if got := err != nil; got != st.refuse || n != 0 {
				t.Errorf("after %s: applied %d, err %v; want a refusal: %v", st.name, n, err, st.refuse)
			}
		}
	})
}

func TestMigrationsMarkedExpand(t *testing.T) {
	db := OpenTest(t, t.TempDir()+"/m.db")
	first := 0 // the migration that creates schema_expand
	for _, m := range mustMigrations(t, db) {
		if strings.Contains(m.sql, "CREATE TABLE schema_expand") {
			first = m.version
			if !m.expand() {
				t.Errorf("%s is not marked -- sotay:expand", m.name)
			}
		}
	}
	for _, m := range mustMigrations(t, db) {
		if (first == 0 || m.version < first) && m.expand() {
			t.Errorf("%s is marked -- sotay:expand before schema_expand exists (in %d)", m.name, first)
		}
	}
	if first == 0 {
		t.Error("no migration creates schema_expand")
	}
}

// TestMigrateConcurrently: several processes starting at once on one empty
// PostgreSQL database all succeed, and the schema is migrated once.
func TestMigrateConcurrently(t *testing.T) {
	dsn := testpg.NewDatabase(t)
	if dsn == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	ctx := context.Background()
	const n = 4
	dbs := make([]*DB, n)
	for i := range dbs {
		db, err := Open(ctx, dsn, "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	errs := make(chan error, n)
	applied := make(chan int, n)
	for _, db := range dbs {
		go func() {
			k, err := db.Migrate(ctx)
			errs <- err
			applied <- k
		}()
	}
	total := 0
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("migrate: %v", err)
		}
		total += <-applied
	}
	if want := len(mustMigrations(t, dbs[0])); total != want {
		t.Errorf("migrations applied by all: got %d, want %d (each once)", total, want)
	}
}

func mustMigrations(t *testing.T, db *DB) []migration {
	ms, err := db.migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}
