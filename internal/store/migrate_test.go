package store

import (
	"context"
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
