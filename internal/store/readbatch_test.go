package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/readroute"
)

// TestSharedReadOneTransaction: the reads of a context marked with
// readroute.Together run in one read transaction (one begun for three
// reads, each seeing the same snapshot), a read that fails gives the
// transaction up and the next read begins another, and after end the
// reads take their own again.
func TestSharedReadOneTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, end := readroute.Together(context.Background())
		defer end()
		read := func(ctx context.Context) error {
			return db.Read(ctx, func(q Querier) error {
				var n int
				return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&n)
			})
		}
		before := db.ReadTransactions()
		for range 3 {
			if err := read(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := db.ReadTransactions() - before; n != 1 {
			t.Fatalf("three reads of one page began %d read transactions, want 1", n)
		}
		// A failed read: the next one begins a new transaction, and works.
		if err := db.Read(ctx, func(q Querier) error {
			_, err := q.ExecContext(ctx, `SELECT no_such_column FROM units`)
			return err
		}); err == nil {
			t.Fatal("a read of a missing column did not fail")
		}
		if err := read(ctx); err != nil {
			t.Fatalf("the read after a failed one: %v", err)
		}
		if n := db.ReadTransactions() - before; n != 2 {
			t.Fatalf("after a failed read, %d read transactions began, want 2", n)
		}
		end()
		if err := read(ctx); err != nil {
			t.Fatal(err)
		}
		if err := read(ctx); err != nil {
			t.Fatal(err)
		}
		if n := db.ReadTransactions() - before; n != 4 {
			t.Fatalf("two reads after end began %d read transactions in all, want 4", n)
		}
	})
}

// TestSharedReadSetLocalStaysInItsRead: on PostgreSQL a read's SET LOCAL
// lasts to the end of its transaction; in a page's shared transaction it
// must not reach the next read (docs_scopes.go, tasks_scopes.go, stats.go
// and docs_search.go set the plan cache mode or parallel workers for one
// statement's plan).
func TestSharedReadSetLocalStaysInItsRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			t.Skip("SET LOCAL is PostgreSQL's")
		}
		ctx, end := readroute.Together(context.Background())
		defer end()
		setting := func(name string) (v string) {
			t.Helper()
			if err := db.Read(ctx, func(q Querier) error {
				return q.QueryRowContext(ctx, `SELECT current_setting($1)`, name).Scan(&v)
			}); err != nil {
				t.Fatal(err)
			}
			return v
		}
		mode, workers := setting("plan_cache_mode"), setting("max_parallel_workers_per_gather")
		before := db.ReadTransactions()
		if err := db.Read(ctx, func(q Querier) error {
			if _, err := q.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
				return err
			}
			var v string
			if err := q.QueryRowContext(ctx, `SELECT current_setting('plan_cache_mode')`).Scan(&v); err != nil {
				return err
			}
			if v != "force_generic_plan" {
				t.Errorf("inside the read, plan_cache_mode is %q", v)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := setting("plan_cache_mode"); got != mode {
			t.Errorf("the next read of the page sees plan_cache_mode %q, want %q", got, mode)
		}
		if got := setting("max_parallel_workers_per_gather"); got != workers {
			t.Errorf("the next read of the page sees max_parallel_workers_per_gather %q, want %q", got, workers)
		}
		if n := db.ReadTransactions() - before; n != 0 {
			t.Errorf("the reads began %d transactions of their own, want none (the page's)", n)
		}
	})
}

// TestSetLocalName: which statements sharedTx notes.
func TestSetLocalName(t *testing.T) {
	for q, want := range map[string]string{
		`SET LOCAL plan_cache_mode = force_generic_plan`: "plan_cache_mode",
		`SET LOCAL jit = off`:                            "jit",
		` SET LOCAL max_parallel_workers_per_gather=0`:   "max_parallel_workers_per_gather",
		`SET LOCAL "x; DROP" = 1`:                        "",
		`SELECT 1`:                                       "",
		`SET jit = off`:                                  "",
	} {
		got, ok := setLocalName(q)
		if got != want || ok != (want != "") {
			t.Errorf("setLocalName(%q) = %q, %v; want %q", q, got, ok, want)
		}
	}
}

// TestSharedReadUnitOnce: in one page's reads a unit is read once
// (Units.Unit, Tasks.Unit: the page's own and each list's reach check),
// so a change made meanwhile is not seen by the page's later reads; after
// end, each read reads it again.
func TestSharedReadUnitOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		bg := context.Background()
		var id int64
		if err := db.read.QueryRowContext(bg, `SELECT COALESCE(MAX(id), 0) + 1 FROM units`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(bg, `INSERT INTO units (id, parent_id, kind, cell_type, name, name_folded, code, path, depth, version, valid_from, created_at)
			VALUES ($1, NULL, 'cell', '', 'Chi bộ Một', 'chi bo mot', $2, $3, 1, 1, '2020-01-01', $4)`,
			id, fmt.Sprintf("RB%d", id), fmt.Sprintf("/%d/", id), db.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		ctx, end := readroute.Together(bg)
		defer end()
		u, err := Units{DB: db}.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := Tasks{DB: db}.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(bg, `UPDATE units SET name = $1 WHERE id = $2`, u.Name+" (đổi)", id); err != nil {
			t.Fatal(err)
		}
		u.Name = "changed by the caller" // each caller has its own copy
		again, err := Units{DB: db}.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		refAgain, err := Tasks{DB: db}.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if again.Name != ref.Name || refAgain.Name != ref.Name {
			t.Errorf("the page read its unit again: %q, %q, first %q", again.Name, refAgain.Name, ref.Name)
		}
		end()
		after, err := Units{DB: db}.Unit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Name != ref.Name+" (đổi)" {
			t.Errorf("after end, the unit reads %q, want the new name", after.Name)
		}
	})
}

// TestSharedReadsLeaveConnections: a page's shared transaction holds its
// connection between reads and the page's single statements take another
// meanwhile. As many pages at once as the pool has connections must each
// still find a second one: shared reads hold at most half the pool, and
// the pages past that read as unmarked ones. Without the bound the last
// page waits for a connection until the deadline below.
func TestSharedReadsLeaveConnections(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		n := min(db.read.Stats().MaxOpenConnections, 32)
		var ends []func()
		defer func() {
			for _, end := range ends {
				end()
			}
		}()
		for i := range n {
			ctx, end := readroute.Together(context.Background())
			ends = append(ends, end)
			if err := db.Read(ctx, func(q Querier) error {
				var one int
				return q.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
			}); err != nil {
				t.Fatal(err)
			}
			// A deadlock detector, not a speed limit: a free connection
			// answers at once.
			wait, cancel := context.WithTimeout(ctx, 20*time.Second)
			var one int
			err := db.read.QueryRowContext(wait, `SELECT 1`).Scan(&one)
			cancel()
			if err != nil {
				t.Fatalf("page %d of %d (pool of %d) found no second connection: %v", i+1, n, n, err)
			}
		}
		if held, want := len(db.shareSlots), n/2; held != want {
			t.Errorf("%d shared reads hold connections, want %d (half the pool)", held, want)
		}
		for _, end := range ends {
			end()
		}
		if held := len(db.shareSlots); held != 0 {
			t.Errorf("after every page ended, %d shared reads still hold connections", held)
		}
	})
}

// TestSharedReadEndsWithItsContext: a page whose handler does not call
// end still gives its connection back when its context is done (the
// request's end).
func TestSharedReadEndsWithItsContext(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		req, cancel := context.WithCancel(context.Background())
		ctx, _ := readroute.Together(req)
		if err := db.Read(ctx, func(q Querier) error {
			var one int
			return q.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
		}); err != nil {
			t.Fatal(err)
		}
		if held := len(db.shareSlots); held != 1 {
			t.Fatalf("%d shared reads hold connections, want 1", held)
		}
		cancel()
		// End runs in a goroutine of its own after cancel.
		for i := 0; len(db.shareSlots) != 0; i++ {
			if i == 1000 {
				t.Fatal("the shared read still holds its connection 10 s after its context ended")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
