package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRewriteParams(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no parameters", `SELECT 1`, `SELECT 1`},
		{"in order", `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`, `SELECT a FROM t WHERE b = ? AND c IN (?, ?)`},
		{"ten and one", `VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`, `VALUES (?,?,?,?,?,?,?,?,?,?,?)`},
		{"$10 before $1", `SELECT $10, $1`, `SELECT ?10, ?1`},
		{"repeated", `SELECT a FROM t WHERE b = $1 OR c = $1`, `SELECT a FROM t WHERE b = ?1 OR c = ?1`},
		{"out of order", `SELECT $2, $1`, `SELECT ?2, ?1`},
		{"a gap", `SELECT $1, $3`, `SELECT ?1, ?3`},
		{"in a literal", `SELECT '$1', $1, 'a $2 b'`, `SELECT '$1', ?, 'a $2 b'`},
		{"doubled quote", `SELECT 'it''s $1', $1`, `SELECT 'it''s $1', ?`},
		{"doubled quote at the end", `SELECT '$1''', $1`, `SELECT '$1''', ?`},
		{"blob literal", `SELECT x'24', $1`, `SELECT x'24', ?`},
		{"quoted identifiers", `SELECT "a$1", "x""$2", ` + "`$3`" + `, [$4], $1 FROM t`, `SELECT "a$1", "x""$2", ` + "`$3`" + `, [$4], ? FROM t`},
		{"line comment", "SELECT $1 -- not $2\n, $2", "SELECT ? -- not $2\n, ?"},
		{"line comment at the end", "SELECT $1 -- $1", "SELECT ? -- $1"},
		{"block comment", `SELECT /* $1 */ $1 /* $9`, `SELECT /* $1 */ ? /* $9`},
		{"minus and divide", `SELECT $1-$2/$3`, `SELECT ?-?/?`},
		{"inside an identifier", `SELECT a$1, $1 FROM t`, `SELECT a$1, ? FROM t`},
		{"json path in a literal", `SELECT json_extract(d, '$.a[1]') FROM t WHERE id = $1`, `SELECT json_extract(d, '$.a[1]') FROM t WHERE id = ?`},
		{"time in a literal", `SELECT '12:30', $1`, `SELECT '12:30', ?`},
		{"trailing semicolon", "SELECT $1;\n", "SELECT ?;\n"},
		{"two statements", `UPDATE t SET a = $1; UPDATE u SET b = $2`, `UPDATE t SET a = ?1; UPDATE u SET b = ?2`},
		{"unterminated literal", `SELECT '$1`, `SELECT '$1`},
		{"anonymous parameter", `SELECT ?, $1`, `SELECT ?, $1`},
		{"numbered parameter", `SELECT ?1, $2`, `SELECT ?1, $2`},
		{"named parameter", `SELECT :a, $1`, `SELECT :a, $1`},
		{"at parameter", `SELECT @a, $1`, `SELECT @a, $1`},
		{"dollar name", `SELECT $a, $1`, `SELECT $a, $1`},
		{"dollar zero", `SELECT $0`, `SELECT $0`},
		{"leading zero", `SELECT $01`, `SELECT $01`},
		{"tcl suffix", `SELECT $1(x)`, `SELECT $1(x)`},
		{"tcl colons", `SELECT $1::x`, `SELECT $1::x`},
		{"digits then letters", `SELECT $1a`, `SELECT $1a`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rewriteParams(tt.in); got != tt.want {
				t.Errorf("rewriteParams(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSQLiteParamsStatementPath runs statements through every way the
// store reaches SQLite and checks that SQLite got the rewritten text: in
// `SELECT $2, $1` SQLite numbers the named $2 first (parameter 1), while
// the rewritten ?2, ?1 keep their numbers, which EXPLAIN shows (p1 of the
// Variable instructions). A statement of 3,000 parameters and one that
// uses a parameter twice run and give the values of their arguments.
func TestSQLiteParamsStatementPath(t *testing.T) {
	ctx := context.Background()
	db := openBareSQLite(t)
	other, err := openSQLiteFile(db.path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	inWrite := func(fn func(q Querier) error) error {
		return db.Write(ctx, func(tx *Tx) error { return fn(tx) })
	}
	preparedInWrite := func(fn func(q Querier) error) error {
		return db.Write(ctx, func(tx *Tx) error { return fn(txPrepared{tx}) })
	}
	paths := []struct {
		name string
		run  func(fn func(q Querier) error) error
	}{
		{"write transaction", inWrite},
		{"prepared in a write", preparedInWrite},
		{"reader pool", func(fn func(q Querier) error) error { return db.Read(ctx, fn) }},
		{"file outside the pools", func(fn func(q Querier) error) error { return fn(other) }},
	}
	var marks []string
	args := make([]any, 3000)
	want := 0
	for i := range args {
		args[i] = i + 1
		want += i + 1
		marks = append(marks, "($"+strconv.Itoa(i+1)+")")
	}
	sum := `SELECT sum(column1) FROM (VALUES ` + strings.Join(marks, ", ") + `)`
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			err := p.run(func(q Querier) error {
				got, err := variableNumbers(ctx, q, `EXPLAIN SELECT $2, $1`, "a", "b")
				if err != nil {
					return err
				}
				if diff := cmp.Diff([]int64{2, 1}, got); diff != "" {
					t.Errorf("EXPLAIN SELECT $2, $1: the parameters' numbers (-want +got):\n%s", diff)
				}
				var n int
				if err := q.QueryRowContext(ctx, sum, args...).Scan(&n); err != nil {
					return err
				}
				if n != want {
					t.Errorf("sum of 3,000 parameters = %d, want %d", n, want)
				}
				var a, b, c string
				if err := q.QueryRowContext(ctx, `SELECT $2 || $1, $1, $2 || $3`, "x", "y", "z").Scan(&a, &b, &c); err != nil {
					return err
				}
				if diff := cmp.Diff([]string{"yx", "x", "yz"}, []string{a, b, c}); diff != "" {
					t.Errorf("repeated parameters (-want +got):\n%s", diff)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// txPrepared runs a write transaction's queries through its prepared
// statements (Tx.prepared).
type txPrepared struct{ tx *Tx }

func (p txPrepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.tx.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p txPrepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.tx.prepared(ctx, query)
	if err != nil {
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p txPrepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.tx.ExecContext(ctx, query, args...)
}

// variableNumbers is p1 of each Variable instruction of an EXPLAIN.
func variableNumbers(ctx context.Context, q Querier, explain string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, explain, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var addr, p1, p2, p3, p5 int64
		var op string
		var p4, comment sql.NullString
		if err := rows.Scan(&addr, &op, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
			return nil, err
		}
		if op == "Variable" {
			out = append(out, p1)
		}
	}
	return out, rows.Err()
}

// BenchmarkSQLiteParams runs a statement of 2,800 parameters (the past
// counters' 400 rows of 7) on the store's SQLite pool and on a pool of
// the driver as it is.
func BenchmarkSQLiteParams(b *testing.B) {
	ctx := context.Background()
	db := openBareSQLite(b)
	plain := plainSQLite(b, db)
	var marks []string
	var args []any
	for r := range 400 {
		var row []string
		for c := range 7 {
			args = append(args, r*7+c)
			row = append(row, "$"+strconv.Itoa(len(args)))
		}
		marks = append(marks, "("+strings.Join(row, ", ")+")")
	}
	query := `SELECT count(*) FROM (VALUES ` + strings.Join(marks, ", ") + `)`
	for _, pool := range []struct {
		name string
		q    Querier
	}{{"store", db.read}, {"driver", plain.read}} {
		b.Run(pool.name, func(b *testing.B) {
			cpu := benchCPU(b, db)
			start := cpu()
			for b.Loop() {
				var n int
				if err := pool.q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil || n != 400 {
					b.Fatal(n, err)
				}
			}
			reportCPU(b, cpu, start)
		})
	}
}

// BenchmarkMembersExisting looks up 10,000 card numbers and 10,000
// citizen IDs (a 10,000-row import's check: 40 statements of 500
// parameters) on an empty SQLite database through the store's pools and
// through the driver as it is (plainSQLite): the statements' own cost,
// the search finds nothing.
func BenchmarkMembersExisting(b *testing.B) {
	ctx := context.Background()
	db := benchAuditDB(b, sqliteDialect)
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = fmt.Sprintf("%012d", i)
	}
	for _, pool := range []struct {
		name string
		db   *DB
	}{{"store", db}, {"driver", plainSQLite(b, db)}} {
		b.Run(pool.name, func(b *testing.B) {
			cpu := benchCPU(b, pool.db)
			start := cpu()
			for b.Loop() {
				if _, _, err := (Members{pool.db}).Existing(ctx, keys, keys); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu, start)
		})
	}
}

// BenchmarkRewriteParams is the cost of writing a statement's parameters
// for SQLite: a task list's page (about 700 bytes, 6 parameters) rewritten
// each time and read from the cache (sqliteParams).
func BenchmarkRewriteParams(b *testing.B) {
	query := `SELECT ` + taskColumns + ` FROM task_scopes s JOIN tasks t ON t.id = s.task_id
		WHERE s.rel = $1 AND s.scope = $2 AND s.state = $3 AND (s.due_on, s.task_id) > ($4, $5)
		ORDER BY s.due_on, s.task_id LIMIT $6`
	b.Run("rewrite", func(b *testing.B) {
		for b.Loop() {
			_ = rewriteParams(query)
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			_ = sqliteParams(query)
		}
	})
}

// openBareSQLite opens a new SQLite database, not migrated.
func openBareSQLite(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(tb.TempDir(), "params.db"), "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
