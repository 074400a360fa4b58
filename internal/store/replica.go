package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/readroute"
)

// OpenReplica connects the heavy reads (reports, roll-ups, search,
// exports: the store's methods that read through heavy or readHeavy) to a
// streaming replica of the PostgreSQL primary (sotay serve --db-replica).
// A context marked readroute.Primary (a write request, a session that
// wrote a moment ago) reads from the primary all the same. Only reads go
// there: writes, sessions, migrations and everything else stay on the
// primary, so a replica that refuses writes is never asked to write.
func (db *DB) OpenReplica(ctx context.Context, dsn string) error {
	if db.dialect != postgresDialect {
		return errors.New("a read replica needs PostgreSQL: use --db postgres://… with --db-replica")
	}
	if !IsPostgresDSN(dsn) {
		return fmt.Errorf("the replica %q is not a postgres://… address", dsn)
	}
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(16)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return fmt.Errorf("connect to the replica: %w", err)
	}
	var inRecovery bool
	if err := p.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&inRecovery); err != nil {
		p.Close()
		return fmt.Errorf("replica: %w", err)
	}
	if !inRecovery {
		// A primary given as the replica works, but is surely a mistake.
		p.Close()
		return errors.New("--db-replica names a server that is not a standby (pg_is_in_recovery() is false)")
	}
	db.replica = p
	return nil
}

// HasReplica reports whether heavy reads may go to a replica.
func (db *DB) HasReplica() bool { return db.replica != nil }

// ReplicaLag is how far the replica's replay is behind what it has
// received from the primary: 0 when it has replayed all it received, else
// the age of the last transaction it replayed. (The age alone would grow
// on an idle primary with nothing to replay.) It is for /metrics.
func (db *DB) ReplicaLag(ctx context.Context) (time.Duration, error) {
	if db.replica == nil {
		return 0, errors.New("no replica")
	}
	var sec sql.NullFloat64
	err := db.replica.QueryRowContext(ctx, `SELECT CASE
		WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
		ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END`).Scan(&sec)
	if err != nil {
		return 0, fmt.Errorf("replica lag: %w", err)
	}
	return time.Duration(max(sec.Float64, 0) * float64(time.Second)), nil
}

// heavy returns the pool of a heavy read: the replica, when there is one
// and ctx does not want the primary, and, for a session that wrote a
// moment ago (readroute.After), when the replica has replayed its write.
func (db *DB) heavy(ctx context.Context) *sql.DB {
	if db.replica == nil || readroute.WantsPrimary(ctx) {
		return db.read
	}
	if w := readroute.WroteAt(ctx); w != nil && !w.CaughtUp() {
		if !db.ReplicaReplayed(ctx, w.LSN) {
			return db.read
		}
		w.SetCaughtUp()
	}
	return db.replica
}

// ReplicaReplayed reports whether the replica has replayed the primary's
// log up to lsn (false when it cannot tell: the read then goes to the
// primary). One short query on the replica.
func (db *DB) ReplicaReplayed(ctx context.Context, lsn string) bool {
	if db.replica == nil {
		return false
	}
	var ok sql.NullBool
	err := db.replica.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&ok)
	return err == nil && ok.Valid && ok.Bool
}

// MarkSessionWrote records, after a write of the session whose token hash
// is hash succeeded, where the primary's log stands now and until when
// the session's heavy reads wait for the replica to replay that far
// (readroute.After; Accounts.Session hands both back with the session).
// A no-op without a replica.
func (db *DB) MarkSessionWrote(ctx context.Context, hash string, until time.Time) error {
	if db.replica == nil {
		return nil
	}
	// Not through Write: no audit, no transaction of its own beyond the
	// statement. pg_current_wal_insert_lsn() is past the commit record of
	// every transaction committed before it, this request's included.
	_, err := db.write.ExecContext(ctx, `UPDATE sessions SET wrote_lsn = pg_current_wal_insert_lsn()::text, wrote_until = $1 WHERE token_hash = $2`, until, hash)
	return err
}

// readHeavy runs fn as Read does, on heavy(ctx). When the replica fails
// and does not answer a ping, fn runs again on the primary: a replica that
// is down slows the reports down, it does not stop them.
func (db *DB) readHeavy(ctx context.Context, fn func(q Querier) error) error {
	pool := db.heavy(ctx)
	err := db.readOn(ctx, pool, fn)
	if err != nil && pool != db.read && ctx.Err() == nil && pool.PingContext(ctx) != nil {
		return db.readOn(ctx, db.read, fn)
	}
	return err
}

// queryHeavy is QueryContext on heavy(ctx), with readHeavy's way back to
// the primary.
func (db *DB) queryHeavy(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	pool := db.heavy(ctx)
	rows, err := pool.QueryContext(ctx, query, args...)
	if err != nil && pool != db.read && ctx.Err() == nil && pool.PingContext(ctx) != nil {
		return db.read.QueryContext(ctx, query, args...)
	}
	return rows, err
}
