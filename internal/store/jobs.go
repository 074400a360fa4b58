package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/jobs"
)

// Jobs is the store of jobs.Store: the durable job queue.
type Jobs struct{ *DB }

// The job queue's Store (internal/jobs). Times come from the caller's clock
// (the runner's Now), never from the database's, so that SQLite and
// PostgreSQL behave the same and tests can move the clock.

var _ jobs.Store = Jobs{}
var _ jobs.Enqueuer = (*Tx)(nil)

// Enqueue writes a job inside tx, so that it exists if and only if the
// change that causes it commits. A zero RunAt means tx.Now. It reports
// false, and writes nothing, when j.UniqueKey is already taken. The job
// runs at the runner's next poll (a second at most by default).
func (tx *Tx) Enqueue(ctx context.Context, j jobs.Job) (bool, error) {
	e, err := j.Encode(tx.Now)
	if err != nil {
		return false, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO jobs (kind, payload, unique_key, run_at, max_attempts, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
		e.Kind, e.Payload, nullIfEmpty(e.UniqueKey), e.RunAt, e.MaxAttempts, jobs.DBTime(tx.Now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", e.Kind, err)
	}
	return true, nil
}

// Enqueue writes a job in its own transaction (see Tx.Enqueue).
func (db Jobs) Enqueue(ctx context.Context, j jobs.Job) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		ok, err = tx.Enqueue(ctx, j)
		return err
	})
	return ok, err
}

// Claim leases up to r.Limit due jobs of r.Kinds to r.Worker, oldest
// run_at first. On PostgreSQL the candidates are locked with FOR UPDATE
// SKIP LOCKED, so concurrent claimers on several nodes take disjoint sets
// without waiting for each other; on SQLite the one writer serialises
// claims.
func (db Jobs) Claim(ctx context.Context, r jobs.ClaimRequest) ([]jobs.Claimed, error) {
	if len(r.Kinds) == 0 || r.Limit <= 0 {
		return nil, nil
	}
	if r.Worker == "" || r.Lease <= 0 {
		return nil, errors.New("claim jobs: a worker and a lease are required")
	}
	now := jobs.DBTime(r.Now)
	args := argList{now, r.Worker, jobs.DBTime(now.Add(r.Lease)), r.Limit}
	marks := make([]string, len(r.Kinds))
	for i, k := range r.Kinds {
		marks[i] = args.add(k)
	}
	due := `SELECT id FROM jobs
		WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
		AND kind IN (` + strings.Join(marks, ", ") + `)
		ORDER BY run_at, id LIMIT $4`
	var query string
	if db.dialect == postgresDialect {
		query = `WITH due AS MATERIALIZED (` + due + ` FOR UPDATE SKIP LOCKED)
			UPDATE jobs j SET locked_by = $2, locked_until = $3, attempts = j.attempts + 1
			FROM due WHERE j.id = due.id
			RETURNING j.id, j.kind, j.payload, COALESCE(j.unique_key, ''), j.attempts, j.max_attempts`
	} else {
		query = `UPDATE jobs SET locked_by = $2, locked_until = $3, attempts = attempts + 1
			WHERE id IN (` + due + `)
			RETURNING id, kind, payload, COALESCE(unique_key, ''), attempts, max_attempts`
	}
	out, err := queryAll(ctx, db.write, func(rows *sql.Rows) (jobs.Claimed, error) {
		c := jobs.Claimed{Lease: jobs.Lease{Worker: r.Worker}}
		var payload string
		err := rows.Scan(&c.ID, &c.Kind, &payload, &c.UniqueKey, &c.Attempt, &c.MaxAttempts)
		c.Payload = []byte(payload)
		return c, err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// held is the condition that a lease still holds.
const held = `id = $1 AND locked_by = $2 AND attempts = $3 AND done_at IS NULL AND failed_at IS NULL`

// updateLeased runs an UPDATE of a leased job; ErrLeaseLost when the lease
// no longer holds.
func (db *DB) updateLeased(ctx context.Context, what string, l jobs.Lease, set string, args ...any) error {
	res, err := db.write.ExecContext(ctx, `UPDATE jobs SET `+set+` WHERE `+held, append([]any{l.ID, l.Worker, l.Attempt}, args...)...)
	if err != nil {
		return fmt.Errorf("%s job %d: %w", what, l.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s job %d: %w", what, l.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("%s job %d: %w", what, l.ID, jobs.ErrLeaseLost)
	}
	return nil
}

// ExtendLease moves the end of a lease to until.
func (db Jobs) ExtendLease(ctx context.Context, l jobs.Lease, until time.Time) error {
	return db.updateLeased(ctx, "extend the lease of", l, `locked_until = $4`, jobs.DBTime(until))
}

// Complete marks a job done.
func (db Jobs) Complete(ctx context.Context, l jobs.Lease, at time.Time) error {
	return db.updateLeased(ctx, "complete", l, `done_at = $4, locked_until = NULL`, jobs.DBTime(at))
}

// Retry records an error and makes the job due again at runAt.
func (db Jobs) Retry(ctx context.Context, l jobs.Lease, runAt time.Time, lastErr string) error {
	return db.updateLeased(ctx, "retry", l, `run_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL`, jobs.DBTime(runAt), lastErr)
}

// Fail records an error and marks the job failed for good.
func (db Jobs) Fail(ctx context.Context, l jobs.Lease, at time.Time, lastErr string) error {
	return db.updateLeased(ctx, "fail", l, `failed_at = $4, last_error = $5, locked_until = NULL`, jobs.DBTime(at), lastErr)
}

// Release gives an interrupted job back without counting the attempt.
func (db Jobs) Release(ctx context.Context, l jobs.Lease) error {
	return db.updateLeased(ctx, "release", l, `locked_by = NULL, locked_until = NULL, attempts = attempts - 1`)
}

const jobColumns = `id, kind, payload, COALESCE(unique_key, ''), run_at, attempts, max_attempts, COALESCE(locked_by, ''),
	locked_until, done_at, failed_at, last_error, created_at`

func scanJob(sc interface{ Scan(...any) error }) (*jobs.Info, error) {
	var j jobs.Info
	var payload string
	var lockedUntil, doneAt, failedAt sql.NullTime
	if err := sc.Scan(&j.ID, &j.Kind, &payload, &j.UniqueKey, &j.RunAt, &j.Attempts, &j.MaxAttempts, &j.LockedBy,
		&lockedUntil, &doneAt, &failedAt, &j.LastError, &j.CreatedAt); err != nil {
		return nil, err
	}
	j.Payload = []byte(payload)
	j.RunAt, j.CreatedAt = j.RunAt.UTC(), j.CreatedAt.UTC()
	for _, p := range []struct {
		src sql.NullTime
		dst **time.Time
	}{{lockedUntil, &j.LockedUntil}, {doneAt, &j.DoneAt}, {failedAt, &j.FailedAt}} {
		if p.src.Valid {
			t := p.src.Time.UTC()
			*p.dst = &t
		}
	}
	return &j, nil
}

// Info returns a job as stored.
func (db Jobs) Info(ctx context.Context, id int64) (*jobs.Info, error) {
	j, err := scanJob(db.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id))
	return j, notFound(err, "job %d not found", id)
}

// ByKey returns the job with a unique key.
func (db Jobs) ByKey(ctx context.Context, uniqueKey string) (*jobs.Info, error) {
	j, err := scanJob(db.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE unique_key = $1`, uniqueKey))
	return j, notFound(err, "no job with key %q", uniqueKey)
}
