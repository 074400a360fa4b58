package store

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/task"
)

// readRows runs q on the reader and answers row() for each row, after
// scanning the row into dest (pointers that row reads).
func readRows(t *testing.T, db *DB, q string, dest []any, row func() string) []string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		out = append(out, row())
	}
	return out
}

// mustInsert runs the INSERT q on the writer (insertID) and answers the
// new row's id, failing the test with q when it fails.
func mustInsert(t *testing.T, db *DB, q string, args ...any) int64 {
	t.Helper()
	id, err := insertID(context.Background(), db.write, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// benchCount is how many things (what) a benchmark makes: the positive
// number in the environment variable env, or def.
func benchCount(b testing.TB, env string, def int, what string) int {
	v := os.Getenv(env)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: a number of %s", env, v, what)
	}
	return n
}

// loadDistrictDemo writes the district demo (seed 1) into db with the
// bulk loader.
func loadDistrictDemo(tb testing.TB, db *DB) {
	tb.Helper()
	l, err := db.NewLoader(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Generate(demo.Options{Scale: "district", Seed: 1}, l); err != nil {
		tb.Fatal(err)
	}
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
}

// loadDistrictOfficers writes the district demo's tree (seed 1) and, of
// its 9,700 members, only those with a position (about 15%, the cells'
// officers among them, with the demo's ids) into db with the bulk loader:
// for tests that need the tree and its officers, not the membership
// (TestCityTasksScopes), at a sixth of the members' load and of the past
// statistics' rebuild that ends it.
func loadDistrictOfficers(tb testing.TB, db *DB) {
	tb.Helper()
	l, err := db.NewLoader(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Generate(demo.Options{Scale: "district", Seed: 1}, officersOnly{l}); err != nil {
		tb.Fatal(err)
	}
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
}

// officersOnly passes on every unit and the members with a position.
type officersOnly struct{ demo.Sink }

func (s officersOnly) Member(m *member.Member) error {
	if m.Position == "" {
		return nil
	}
	return s.Sink.Member(m)
}

// benchDocument publishes a directive to the subtree of unit, removed with
// what it wrote when the benchmark ends.
func benchDocument(b *testing.B, db *DB, unit int64, title string) *doc.Document {
	b.Helper()
	ctx := context.Background()
	svc := &doc.Service{Store: Docs{db}, Now: db.Now}
	d, err := svc.Create(ctx, auth.SystemActor(), doc.CreateInput{Type: "CT", IssuerCode: "TU", IssuedOn: date.MustParse("2026-11-20"),
		Title: title, Audience: doc.Audience{UnitID: unit}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		db.Write(ctx, func(tx *Tx) error {
			for _, q := range []string{`DELETE FROM doc_receipts WHERE document_id = $1`, `DELETE FROM doc_revisions WHERE document_id = $1`, `DELETE FROM doc_scopes WHERE doc_id = $1`, `DELETE FROM documents WHERE id = $1`} {
				if _, err := tx.ExecContext(ctx, q, d.ID); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return d
}

// rootUnitID is the id of the tree's root (the first unit without a
// parent), where a benchmark's widest scope starts.
func rootUnitID(tb testing.TB, db *DB) int64 {
	tb.Helper()
	id, _ := rootUnit(tb, db)
	return id
}

// rootUnit is the id and the path of the tree's root (rootUnitID).
func rootUnit(tb testing.TB, db *DB) (id int64, path string) {
	tb.Helper()
	if err := db.read.QueryRowContext(context.Background(), `SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&id, &path); err != nil {
		tb.Fatal(err)
	}
	return id, path
}

// checkNoDrift fails t when a counter differs from its recount
// (CheckCounters); after says after what.
func checkNoDrift(t *testing.T, db *DB, after string) {
	t.Helper()
	drift, err := db.CheckCounters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Errorf("%d counters drifted%s, the first: %v", len(drift), after, drift[:min(len(drift), 5)])
	}
}

// accountabilityBoth is the accountability report of q by the old
// statements (want) and from the counters (got).
func accountabilityBoth(t *testing.T, db *DB, q task.ReportQuery) (want, got *task.ReportData) {
	t.Helper()
	want, err := Tasks{db}.accountabilityScan(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = (Tasks{db}).Accountability(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return want, got
}

// openBenchTarget opens and migrates the benchmark dataset named by the
// environment variable env (a generator's target), or skips t with a
// word on what setting it does.
func openBenchTarget(t *testing.T, env, what string) *DB {
	t.Helper()
	dsn := os.Getenv(env)
	if dsn == "" {
		t.Skip("set " + env + "=dsn to add " + what + " to a benchmark dataset")
	}
	ctx := context.Background()
	db, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = time.Now
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// backendCPU returns a function giving the PostgreSQL server's CPU time
// so far for the one backend db reads on (its read pool cut to one
// connection), its parallel workers' included (serverCPU), or zero on
// SQLite, whose work is this process's.
func backendCPU(tb testing.TB, db *DB) func() time.Duration {
	return newServerCPU(tb, db).cpu
}
