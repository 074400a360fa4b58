package store

import (
	"context"
	"github.com/sotay-vn/sotay/internal/testpg"
	"strings"
	"testing"
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
