// Package store implements every module's Store on database/sql, for the
// embedded SQLite default and for PostgreSQL. SQL is hand-written in the
// subset both engines share; per-dialect text lives next to it only where
// the engines differ.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"

	"github.com/sotay-vn/sotay/internal/readroute"
)

// dialect names the database engine; nothing outside the store asks
// which one it is (DB.SQLiteFile says what the wiring needs).
type dialect string

const (
	sqliteDialect   dialect = "sqlite"
	postgresDialect dialect = "postgres"
)

// DB is the database: one writer and a pool of readers for SQLite (so
// writers queue in Go instead of failing with "database is locked"), one
// shared pool for PostgreSQL.
type DB struct {
	dialect dialect
	write   *sql.DB
	read    *sql.DB
	// Now is the clock; tests replace it.
	Now func() time.Time
	// path is the SQLite file ("" for PostgreSQL).
	path string
	// hub is the subscribers of the change notifications (notifier.go).
	hub hub
	// replica is a streaming replica for the heavy reads (replica.go), nil
	// without one.
	replica *sql.DB
	// chain links the pending audit entries after their commits
	// (auditchainer.go); nil on SQLite, where entries are chained as they
	// are written.
	chain *auditChainer
	// pastLog tells whether the schema logs rows for the past statistics'
	// counters (migration 0035): 0 not known yet, 1 no, 2 yes.
	pastLog atomic.Int32
	// asOfScopes tells whether the schema has member_asof_scopes
	// (migration 0045; members_asof.go): 0 not known yet, 1 no, 2 yes.
	asOfScopes atomic.Int32
	// memberBounds are where two member lists stop counting (members.go;
	// the defaults unless a test lowers them on its own database).
	memberBounds memberCountBounds
	// memberKeysFrom is where the name search's keys switch on
	// (members_keys_grow.go): memberKeysFrom when 0, lower on a test's own
	// database.
	memberKeysFrom int
	// keysKept: the database is known to keep member_keys (a growth
	// past memberKeysFrom asks no more).
	keysKept atomic.Bool
	// readTxs counts the read transactions readOn began (ReadTransactions).
	readTxs atomic.Int64
	// shareSlots bounds the connections held by shared reads
	// (readShared), made at the first one (shareOnce).
	shareSlots chan struct{}
	shareOnce  sync.Once
}

// Open connects to dsn: "" or "sqlite" means the SQLite file sotay.db in
// dataDir; "postgres://..." means PostgreSQL. It does not migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	if dsn != "" && dsn != "sqlite" && !strings.HasPrefix(dsn, "sqlite:") {
		return nil, fmt.Errorf("unknown database %q: use sqlite or postgres://…", dsn)
	}
	file := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite"), ":")
	if file == "" {
		if dataDir == "" {
			dataDir = "data"
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		file = filepath.Join(dataDir, "sotay.db")
	}
	return openSQLite(ctx, file)
}

func sqliteDSN(file string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32000)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return sqliteURI(file, q)
}

// sqliteURI is the URI that opens file with the parameters q. SQLite
// reads a "file:" name as a URI: a path's '?' would start the
// parameters and its '#' a fragment, so /srv/a#1/sotay.db would open
// /srv/a; they and '%' are escaped so every path opens itself.
func sqliteURI(file string, q url.Values) string {
	path := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(file)
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, file string) (*DB, error) {
	w, err := openSQLiteDB(sqliteDSN(file, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r, err := openSQLiteDB(sqliteDSN(file, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{dialect: sqliteDialect, write: w, read: r, Now: time.Now, path: file}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(16)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db := &DB{dialect: postgresDialect, write: p, read: p, Now: time.Now}
	db.chain = newAuditChainer(db)
	return db, nil
}

// SQLiteFile is the file of an embedded (SQLite) database, "" for
// PostgreSQL: what keeps its attachments beside it needs to know.
func (db *DB) SQLiteFile() string { return db.path }

// Close closes the pools.
func (db *DB) Close() error {
	if db.chain != nil {
		db.chain.close() // links what this process left pending first
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.replica != nil {
		err = errors.Join(err, db.replica.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Tx is a write transaction that carries the moment it began, so every row
// written in it has the same "now".
type Tx struct {
	*sql.Tx
	Now   time.Time
	db    *DB
	stmts map[string]txStmt
	// afterCommit runs after a successful commit (SQLite's in-process
	// notifications).
	afterCommit []func()
	// wakesChainer: the audit chainer is woken after the commit.
	wakesChainer bool
	// growsKeys: a member inserted got an id above the keys' threshold;
	// the commit tries their switch-on (members_keys_grow.go).
	growsKeys bool
	// memberLock is the lock the transaction holds on the writes of
	// members (members_lock.go).
	memberLock int8
}

// txStmt is a statement of a transaction run again and again with other
// arguments (prepared).
type txStmt interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
}

// prepared returns a statement prepared once per transaction, for the
// statements that a bulk write runs thousands of times.
//
// On PostgreSQL it is the text, run with the transaction's Exec and
// Query: pgx prepares each text once per connection and keeps it (its
// statement cache), across transactions. A statement prepared for the
// transaction (database/sql's Prepare) cost a Parse and a Deallocate, two
// more round trips, in every transaction, and PostgreSQL planned it at
// every run, since a new prepared statement gets five custom plans before
// a generic one: the five statements that keep a conference's attendees
// in step with a member's write (conferences_follow.go) spent about 3 ms
// planning on each write (docs/benchmarks.md, r18-randw).
//
// On SQLite a text the connection keeps (sqlitestmts.go: up to
// stmtCacheMaxText) is run the same way, on the connection's kept
// statement, compiled once per connection instead of once per
// transaction: the member writes' statements were compiled at each write
// (docs/benchmarks.md, r20-store). Longer texts (the loaders' statements
// of hundreds of rows) are prepared once per transaction, as before.
func (tx *Tx) prepared(ctx context.Context, query string) (txStmt, error) {
	if tx.db.dialect == postgresDialect || len(query) <= stmtCacheMaxText {
		return textTxStmt{tx.Tx, query}, nil
	}
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]txStmt{}
	}
	tx.stmts[query] = st
	return st, nil
}

// textTxStmt runs its text in the transaction (see prepared).
type textTxStmt struct {
	tx    *sql.Tx
	query string
}

func (s textTxStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.tx.ExecContext(ctx, s.query, args...)
}

func (s textTxStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.tx.QueryRowContext(ctx, s.query, args...)
}

func (s textTxStmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return s.tx.QueryContext(ctx, s.query, args...)
}

// execAffecting runs a statement that must change a row; when it changes
// none it answers none (the row is missing, or its version is stale).
func (tx *Tx) execAffecting(ctx context.Context, none error, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return none
	}
	return nil
}

// Write runs fn in one write transaction (BEGIN IMMEDIATE on SQLite) and
// commits when fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, Now: db.Now().UTC(), db: db}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if db.logsPast(ctx) {
		// The past statistics' counters, in the write's own transaction
		// (pastcounts.go).
		if err := tx.applyPastLog(ctx); err != nil {
			_ = sqlTx.Rollback()
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// logsPast tells whether the schema has the past statistics' log
// (migration 0035, named *_past_counts.sql).
func (db *DB) logsPast(ctx context.Context) bool {
	return db.schemaHas(ctx, &db.pastLog, "%past_counts.sql")
}

// schemaHas tells whether a migration whose name is like pattern has run,
// asking the database once and keeping the answer in known (0 not known
// yet, 1 no, 2 yes; migrate sets it too). It asks on the reader pool: the
// writer may be in the transaction asking.
func (db *DB) schemaHas(ctx context.Context, known *atomic.Int32, pattern string) bool {
	switch known.Load() {
	case 1:
		return false
	case 2:
		return true
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name LIKE `+likeParam("$1"), pattern).Scan(&n); err != nil {
		return false // no schema yet: ask again next time
	}
	known.Store(1 + min(int32(n), 1))
	return n > 0
}

// Read runs fn on the reader pool inside a read-only snapshot.
func (db *DB) Read(ctx context.Context, fn func(q Querier) error) error {
	return db.readOn(ctx, db.read, fn)
}

// readOn runs fn in one read-only transaction of pool whose statements all
// see one snapshot, so that a list's count and its page describe the same
// rows: on PostgreSQL REPEATABLE READ (the default READ COMMITTED takes a
// snapshot per statement; a read-only transaction never fails to
// serialise), on SQLite a deferred BEGIN, whose snapshot is the WAL's state
// at the first read (outside a transaction each statement took its own).
//
// The reads of a context marked with readroute.Together share one such
// transaction on the reader pool (readShared, readbatch.go).
func (db *DB) readOn(ctx context.Context, pool *sql.DB, fn func(q Querier) error) error {
	if b := readroute.BatchOf(ctx); b != nil && pool == db.read {
		if held, ok := b.Take(); ok {
			return db.readShared(ctx, b, held, fn)
		}
	}
	return db.readOwn(ctx, pool, fn)
}

// readOwn is readOn in a transaction of the read's own.
func (db *DB) readOwn(ctx context.Context, pool *sql.DB, fn func(q Querier) error) error {
	tx, err := db.beginRead(ctx, pool)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// beginRead begins readOn's transaction on pool and counts it.
func (db *DB) beginRead(ctx context.Context, pool *sql.DB) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == postgresDialect {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	db.readTxs.Add(1)
	return tx, nil
}

// Querier is what both *sql.DB and *sql.Tx offer.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Reader returns the reader pool for simple single queries.
func (db *DB) Reader() Querier { return db.read }

// insertID runs an INSERT ... RETURNING id and returns the id.
func insertID(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// insertOrTaken is insertID where a unique violation means the row's key is
// taken: it answers taken (the caller's Conflict); another error is wrapped
// with what, when what is not empty.
func insertOrTaken(ctx context.Context, q Querier, taken error, what, query string, args ...any) (int64, error) {
	id, err := insertID(ctx, q, query, args...)
	if _, ok := uniqueViolation(err); ok {
		return 0, taken
	}
	if err != nil && what != "" {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return id, err
}

// readPrepared is Read for the lists whose SQL text depends only on the
// list's shape (its filters and the number of its keys, every value an
// argument): each SQLite connection keeps such statements compiled
// (sqlitestmts.go; compiling the task list's count and page was about a
// sixth of the server's CPU for a page, bench/tasklist profile,
// docs/benchmarks.md), in a transaction as outside one, and pgx keeps
// PostgreSQL's; it reads in one snapshot, as Read, so that the count and
// the page agree.
func (db *DB) readPrepared(ctx context.Context, fn func(q Querier) error) error {
	return db.Read(ctx, fn)
}
