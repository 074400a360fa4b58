package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// keptTexts is the texts of the statements conn keeps, most recent first.
func keptTexts(t *testing.T, conn *sql.Conn) []string {
	t.Helper()
	var out []string
	for _, k := range kept(t, conn) {
		out = append(out, k.text)
	}
	return out
}

// kept is the statements conn keeps, most recent first.
func kept(t *testing.T, conn *sql.Conn) []*keptStmt {
	t.Helper()
	var out []*keptStmt
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*sqliteConn)
		if !ok {
			return fmt.Errorf("connection %T, want *sqliteConn", dc)
		}
		for e := c.stmts.order.Front(); e != nil; e = e.Next() {
			out = append(out, e.Value.(*keptStmt))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// oneConn is a pool of one connection on a fresh SQLite file, and that
// connection.
func oneConn(t *testing.T) (*sql.DB, *sql.Conn) {
	t.Helper()
	ctx := context.Background()
	pool, err := openSQLiteDB("file:" + filepath.Join(t.TempDir(), "kept.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := pool.Close(); err != nil {
			t.Errorf("close the pool: %v", err)
		}
	})
	conn, err := pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, `CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	return pool, conn
}

// TestSQLiteKeptStatements checks the connections' kept statements
// (sqlitestmts.go): a text run twice is compiled once and kept (its $N
// rewritten), PRAGMAs and texts over the limit are not kept, the least
// recently used goes when more are kept than the limit, and the kept
// statements give the same answers as new ones: after a change of the
// schema, with different arguments, and for a query run again (the same
// text) while its first rows are still being read.
func TestSQLiteKeptStatements(t *testing.T) {
	// A statement shared by mistake can make a query loop: SQLite stops
	// at the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, conn := oneConn(t)
	insert := `INSERT INTO k (id, v) VALUES ($1, $2)`
	for i := 1; i <= 5; i++ {
		if _, err := conn.ExecContext(ctx, insert, i, fmt.Sprint("giá trị ", i)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{`INSERT INTO k (id, v) VALUES (?, ?)`, `CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT)`}
	if diff := cmp.Diff(want, keptTexts(t, conn)); diff != "" {
		t.Errorf("kept after five inserts (-want +got):\n%s", diff)
	}

	// A query run again while its first rows are open: two statements.
	sel := `SELECT id, v FROM k WHERE id >= $1 ORDER BY id`
	outer, err := conn.QueryContext(ctx, sel, 2)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for outer.Next() {
		var id int
		var v string
		if err := outer.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		inner, err := conn.QueryContext(ctx, sel, id+2)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for inner.Next() {
			var j int
			var w string
			if err := inner.Scan(&j, &w); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, j)
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, fmt.Sprint(id, v, ids))
		if len(pairs) > 10 {
			t.Fatalf("the outer query goes on: %q", pairs)
		}
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	want = []string{"2giá trị 2[4 5]", "3giá trị 3[5]", "4giá trị 4[]", "5giá trị 5[]"}
	if diff := cmp.Diff(want, pairs); diff != "" {
		t.Errorf("nested queries of one text (-want +got):\n%s", diff)
	}

	// A kept SELECT * sees a column added since (SQLite compiles it again).
	star := `SELECT * FROM k WHERE id = $1`
	cols := func() []string {
		rows, err := conn.QueryContext(ctx, star, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return c
	}
	cols()
	if _, err := conn.ExecContext(ctx, `ALTER TABLE k ADD COLUMN w TEXT DEFAULT 'mới'`); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"id", "v", "w"}, cols()); diff != "" {
		t.Errorf("kept SELECT * after ALTER TABLE (-want +got):\n%s", diff)
	}

	// A PRAGMA run again takes effect again (SQLite sets busy_timeout
	// while it compiles the PRAGMA, and compiles a kept one anew).
	for _, ms := range []int{100, 200, 100, 200} {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, ms)); err != nil {
			t.Fatal(err)
		}
		var got int
		if err := conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != ms {
			t.Errorf("PRAGMA busy_timeout = %d reads back %d", ms, got)
		}
	}
	// The limit: the oldest go first.
	for i := range stmtCacheSize + 3 {
		var n int
		if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + $1`, i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("SELECT %d + 1 = %d, %v", i, n, err)
		}
	}
	kept := keptTexts(t, conn)
	if len(kept) != stmtCacheSize || kept[0] != fmt.Sprintf(`SELECT %d + ?`, stmtCacheSize+2) || kept[len(kept)-1] != `SELECT 3 + ?` {
		t.Errorf("kept %d statements, from %q to %q; want %d, from SELECT %d + ? to SELECT 3 + ?", len(kept), kept[0], kept[len(kept)-1], stmtCacheSize, stmtCacheSize+2)
	}
	long := `SELECT $1` + strings.Repeat(" ", stmtCacheMaxText)
	var got string
	if err := conn.QueryRowContext(ctx, long, "dài").Scan(&got); err != nil || got != "dài" {
		t.Errorf("a long text: %q, %v", got, err)
	}
	if k := keptTexts(t, conn); len(k[0]) > stmtCacheMaxText {
		t.Errorf("kept a text of %d bytes", len(k[0]))
	}
}

// TestSQLiteKeptStatementEvictedWhileRead pushes a query's statement out
// of the cache while its rows are being read: the rows read on, and the
// statement is finalized when they close. Closing the pool finalizes the
// statements its connection kept.
func TestSQLiteKeptStatementEvictedWhileRead(t *testing.T) {
	ctx := context.Background()
	pool, conn := oneConn(t)
	for i := 1; i <= 3; i++ {
		if _, err := conn.ExecContext(ctx, `INSERT INTO k (id, v) VALUES ($1, 'x')`, i); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, `SELECT id FROM k ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	query := kept(t, conn)[0]
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if id == 1 {
			for i := range stmtCacheSize + 1 {
				if _, err := conn.ExecContext(ctx, fmt.Sprintf(`UPDATE k SET v = 'y%d' WHERE id = $1`, i), 99); err != nil {
					t.Fatal(err)
				}
			}
			for _, text := range keptTexts(t, conn) {
				if text == query.text {
					t.Errorf("the query is still kept after %d others", stmtCacheSize+1)
				}
			}
			if query.closed {
				t.Errorf("the query's statement was finalized while its rows were read")
			}
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if !query.closed {
		t.Errorf("the query's statement, no longer kept, was not finalized when its rows closed")
	}
	if diff := cmp.Diff([]int{1, 2, 3}, ids); diff != "" {
		t.Errorf("rows read across the eviction (-want +got):\n%s", diff)
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM k`).Scan(&n); err != nil || n != 3 {
		t.Errorf("count after: %d, %v", n, err)
	}
	left := kept(t, conn)
	conn.Close()
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	for _, k := range left {
		if !k.closed {
			t.Errorf("%q: not finalized when the pool closed", k.text)
		}
	}
}
