package store

import (
	"context"
	"testing"
)

// TestReadIsOneSnapshot: the statements of one Read see the same committed
// state, so a list's count and its page agree when a write commits between
// them (both engines read in a transaction of one snapshot).
func TestReadIsOneSnapshot(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		count := func(q Querier) int {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var before, after int
		err := db.Read(ctx, func(q Querier) error {
			before = count(q)
			// A write another request commits between the count and the page.
			if _, err := db.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (99999, 'snapshot test')`); err != nil {
				return err
			}
			after = count(q)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("second statement of one Read counted %d migrations, want %d (the first statement's snapshot)", after, before)
		}
		if got := count(db.read); got != before+1 {
			t.Errorf("after the Read: %d migrations, want %d", got, before+1)
		}
	})
}
