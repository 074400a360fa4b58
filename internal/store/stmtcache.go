package store

import (
	"context"
	"database/sql"
)

// prepared is the reader pool with its statements prepared once and kept,
// by query text, for the queries that every page runs (the session and its
// roles, a document and its reader's state). SQLite compiles a statement
// each time one is prepared, and database/sql prepares one per call unless
// it is kept: for these short indexed reads the compiling was most of the
// cost. Use it only with query texts that do not vary with the values (the
// values go in the arguments), so that the kept statements stay few.
// PostgreSQL's driver (pgx) keeps prepared statements by itself, so there
// the calls go to the pool as they are.
func (db *DB) prepared() Querier {
	if db.dialect != sqliteDialect {
		return db.read
	}
	return preparedReader{db}
}

type preparedReader struct{ db *DB }

func (p preparedReader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.db.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := p.db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := p.db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (p preparedReader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p preparedReader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		// The pool reports the same error through the row's Scan.
		return p.db.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p preparedReader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.read.ExecContext(ctx, query, args...)
}

// readPrepared is Read for the lists whose SQL text depends only on the
// list's shape (its filters and the number of its keys, every value an
// argument): on SQLite the statements are kept (prepared), since compiling
// the task list's count and page was about a sixth of the server's CPU for
// a page (bench/tasklist profile, docs/benchmarks.md); on PostgreSQL it is
// Read (a read-only snapshot; pgx keeps its statements).
func (db *DB) readPrepared(ctx context.Context, fn func(q Querier) error) error {
	if db.dialect == sqliteDialect {
		return fn(db.prepared())
	}
	return db.Read(ctx, fn)
}
