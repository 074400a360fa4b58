package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
)

// Every statement the store sends to SQLite without preparing it first
// (ExecContext, QueryContext: nearly all of them) used to be compiled
// anew: the driver prepares the text, runs it once and finalizes it.
// SQLite's parser was a fifth of the CPU of writing the demo district and
// of the end-to-end tests' requests (internal/cli's profiles, session 10,
// docs/benchmarks.md). So each SQLite connection keeps its last
// stmtCacheSize statements by text (the text after sqliteParams) and runs
// a text it has seen on the kept statement: the driver resets it after an
// Exec, and when a query's rows are closed. A kept statement whose rows
// are still open (a query that reads while the same text's rows are being
// read, on the same connection) is not shared: the second use gets a
// statement of its own, compiled and finalized as before. Texts longer
// than stmtCacheMaxText (the loader's statements of thousands of
// parameters, compiled once per thousand rows anyway) are not kept.
// SQLite compiles a kept statement again by itself when it must: after a
// change of the schema, and a PRAGMA every time (SQLite marks it to be run
// once). Tx.prepared runs its texts on these kept statements too, but
// for the longer ones (prepared once per transaction); the
// reader pool's own map of prepared statements and the writer's kept
// past-log check, which did this for a few statements, are gone.
const (
	stmtCacheSize    = 200
	stmtCacheMaxText = 8 << 10
)

// cachingStmt is what a kept statement of the driver implements.
type cachingStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// stmtCache is one connection's kept statements, the most recently used
// first. A connection is used by one goroutine at a time (database/sql),
// so the cache needs no lock.
type stmtCache struct {
	byText map[string]*list.Element // of *keptStmt
	order  list.List
}

type keptStmt struct {
	text string
	stmt cachingStmt
	// busy: a query's rows are open on it; evicted: it left the cache
	// while busy and is finalized when its rows close; closed: finalized.
	busy, evicted, closed bool
}

func (k *keptStmt) finalize() {
	k.stmt.Close()
	k.closed = true
}

// take returns the kept statement for text, compiling and keeping it on
// a miss, or nil when text is not kept (too long, or its statement is
// busy): the caller then runs it the driver's way.
func (c *sqliteConn) take(ctx context.Context, text string) (*keptStmt, error) {
	if len(text) > stmtCacheMaxText {
		return nil, nil
	}
	sc := &c.stmts
	if e, ok := sc.byText[text]; ok {
		k := e.Value.(*keptStmt)
		if k.busy {
			return nil, nil
		}
		sc.order.MoveToFront(e)
		return k, nil
	}
	st, err := c.fullConn.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	cs, ok := st.(cachingStmt)
	if !ok {
		st.Close()
		return nil, nil
	}
	kept := &keptStmt{text: text, stmt: cs}
	if sc.byText == nil {
		sc.byText = map[string]*list.Element{}
	}
	sc.byText[text] = sc.order.PushFront(kept)
	for sc.order.Len() > stmtCacheSize {
		old := sc.order.Back()
		sc.order.Remove(old)
		k := old.Value.(*keptStmt)
		delete(sc.byText, k.text)
		if k.busy {
			k.evicted = true
		} else {
			k.finalize()
		}
	}
	return kept, nil
}

// closeAll finalizes the kept statements, before the connection closes
// (SQLite would keep the connection's memory for a statement left, and
// the driver frees what finalizing it needs).
func (sc *stmtCache) closeAll() {
	for e := sc.order.Front(); e != nil; e = e.Next() {
		e.Value.(*keptStmt).finalize()
	}
	sc.order.Init()
	sc.byText = nil
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	text := sqliteParams(query)
	k, err := c.take(ctx, text)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.fullConn.ExecContext(ctx, text, args)
	}
	return k.stmt.ExecContext(ctx, args)
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	text := sqliteParams(query)
	k, err := c.take(ctx, text)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.fullConn.QueryContext(ctx, text, args)
	}
	rows, err := k.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	full, ok := rows.(fullRows)
	if !ok {
		rows.Close()
		return nil, errNotFullRows
	}
	k.busy = true
	return &keptRows{fullRows: full, kept: k}, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *sqliteConn) Close() error {
	c.stmts.closeAll()
	return c.fullConn.Close()
}

// fullRows is what the driver's rows implement (the column types are
// forwarded for sql.Rows.ColumnTypes).
type fullRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

var errNotFullRows = errors.New("sqlite: the driver's rows lack an interface the store forwards")

// keptRows are the rows of a kept statement: closing them hands the
// statement back.
type keptRows struct {
	fullRows
	kept *keptStmt
}

func (r *keptRows) Close() error {
	err := r.fullRows.Close()
	if k := r.kept; k != nil {
		r.kept = nil
		k.busy = false
		if k.evicted {
			k.finalize()
		}
	}
	return err
}
