// Package jobs is the durable job queue. Work that must happen even when
// the process stops (e-mail, reminders, overdue scans, digests) is written
// to the database as a job — in the same transaction as the change that
// causes it, when there is one — and a Runner on every app node claims due
// jobs, runs their handler and records the outcome.
//
// What the queue guarantees:
//
//   - No job is lost. A claimed job carries a lease (locked_until) that the
//     runner renews while the handler runs. A node that dies stops renewing
//     it; when the lease expires any node claims the job again.
//   - Two nodes never hold the same job at once. Claiming is one UPDATE
//     (with FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer).
//   - The same event is enqueued once. Give the job a UniqueKey naming the
//     event ("meeting.reminder:42:2026-11-20"); enqueueing a key that is
//     already in the table is a no-op and reports false. The key stays
//     taken while the row exists, whether the job is pending, done or
//     failed.
//
// Delivery is at least once, not exactly once. A handler that finished its
// side effect but whose node died before the job was marked done runs
// again when the lease expires. Handlers must therefore be idempotent:
// check whether the work is already done, or make doing it twice harmless
// (e-mail carries a Message-ID derived from the job, so mail clients drop
// the duplicate). A handler must also return when its context is
// cancelled: that is how Stop interrupts it and how a lost lease is
// enforced.
//
// The package defines the Store it needs; internal/store implements it for
// SQLite and PostgreSQL.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults.
const (
	DefaultMaxAttempts  = 10
	DefaultWorkers      = 2
	DefaultPollInterval = time.Second
	DefaultLease        = 5 * time.Minute
	// MaxBackoff caps the wait between two attempts.
	MaxBackoff = time.Hour
	// MaxErrorLength is how much of a handler's error is kept in last_error.
	MaxErrorLength = 2000
)

// Job is work to do later.
type Job struct {
	// Kind names the handler, e.g. "mail.send".
	Kind string
	// Payload is marshalled to JSON and given to the handler (nil: {}).
	Payload any
	// RunAt is the earliest moment to run the job (zero: now).
	RunAt time.Time
	// UniqueKey, when set, makes enqueueing idempotent: a second job with
	// the same key is not created.
	UniqueKey string
	// MaxAttempts is how many times the handler may fail before the job
	// is marked failed (0: DefaultMaxAttempts).
	MaxAttempts int
}

// Encoded is a job ready to be written: validated, payload marshalled,
// defaults filled in, times in UTC to the microsecond.
type Encoded struct {
	Kind        string
	Payload     string
	RunAt       time.Time
	UniqueKey   string // "" for none
	MaxAttempts int
}

// Encode validates j and fills in its defaults; a zero RunAt becomes now.
func (j Job) Encode(now time.Time) (Encoded, error) {
	if j.Kind == "" || len(j.Kind) > 100 || strings.TrimSpace(j.Kind) != j.Kind {
		return Encoded{}, fmt.Errorf("job kind %q: must be 1 to 100 characters without surrounding spaces", j.Kind)
	}
	if len(j.UniqueKey) > 500 {
		return Encoded{}, fmt.Errorf("job %s: unique key longer than 500 bytes", j.Kind)
	}
	if j.MaxAttempts < 0 {
		return Encoded{}, fmt.Errorf("job %s: negative MaxAttempts", j.Kind)
	}
	payload := []byte("{}")
	if j.Payload != nil {
		var err error
		if payload, err = json.Marshal(j.Payload); err != nil {
			return Encoded{}, fmt.Errorf("job %s: payload: %w", j.Kind, err)
		}
	}
	e := Encoded{Kind: j.Kind, Payload: string(payload), RunAt: j.RunAt, UniqueKey: j.UniqueKey, MaxAttempts: j.MaxAttempts}
	if e.RunAt.IsZero() {
		e.RunAt = now
	}
	e.RunAt = DBTime(e.RunAt)
	if e.MaxAttempts == 0 {
		e.MaxAttempts = DefaultMaxAttempts
	}
	return e, nil
}

// DBTime is t as the store keeps it: UTC, to the microsecond (PostgreSQL's
// precision), without a monotonic reading.
func DBTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Lease identifies one claim of a job: the job, the runner that holds it
// and the attempt. Each claim increments the attempt, so a stale holder
// can never finish a job that was claimed again after its lease expired.
type Lease struct {
	ID      int64
	Worker  string
	Attempt int // 1 for the first attempt
}

// Claimed is a job that a runner holds.
type Claimed struct {
	Lease
	Kind        string
	Payload     json.RawMessage
	UniqueKey   string
	MaxAttempts int
}

// ClaimRequest asks the store for up to Limit due jobs of the given kinds:
// not done, not failed, run_at <= Now, and not leased (or the lease ended
// before Now). The store locks them for Worker until Now+Lease and
// increments their attempts.
type ClaimRequest struct {
	Worker string
	Kinds  []string
	Now    time.Time
	Lease  time.Duration
	Limit  int
}

// Info is a job as stored, for tests, tools and administration pages.
type Info struct {
	ID          int64
	Kind        string
	Payload     json.RawMessage
	UniqueKey   string
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	LockedBy    string
	LockedUntil *time.Time
	DoneAt      *time.Time
	FailedAt    *time.Time
	LastError   string
	CreatedAt   time.Time
}

// State is where a job is in its life.
type State string

const (
	Pending State = "pending" // waiting for run_at, or for a retry
	Running State = "running" // leased at the moment
	Done    State = "done"
	Failed  State = "failed"
)

// State says where the job is at the moment now.
func (i *Info) State(now time.Time) State {
	switch {
	case i.DoneAt != nil:
		return Done
	case i.FailedAt != nil:
		return Failed
	case i.LockedUntil != nil && i.LockedUntil.After(now):
		return Running
	}
	return Pending
}

// ErrLeaseLost is returned by the store when a lease no longer holds: the
// job was finished, or claimed again after the lease expired.
var ErrLeaseLost = errors.New("job lease lost")

// Store is what the queue needs from the database. Every method that
// takes a Lease changes the job only while that lease still holds
// (locked_by and attempts match, not done, not failed) and otherwise
// returns ErrLeaseLost.
type Store interface {
	// Enqueue writes j in its own transaction; false when j.UniqueKey
	// is already taken.
	Enqueue(ctx context.Context, j Job) (bool, error)
	// Claim leases due jobs (see ClaimRequest).
	Claim(ctx context.Context, r ClaimRequest) ([]Claimed, error)
	// ExtendLease moves the lease's end to until.
	ExtendLease(ctx context.Context, l Lease, until time.Time) error
	// Complete marks the job done at at.
	Complete(ctx context.Context, l Lease, at time.Time) error
	// Retry records lastErr and makes the job due again at runAt.
	Retry(ctx context.Context, l Lease, runAt time.Time, lastErr string) error
	// Fail records lastErr and marks the job failed at at: it is not
	// run again.
	Fail(ctx context.Context, l Lease, at time.Time, lastErr string) error
	// Release gives an interrupted job back without counting the
	// attempt, so that it can be claimed at once.
	Release(ctx context.Context, l Lease) error
}

// Enqueuer is what a module needs to create jobs: a *Queue, or a store
// transaction (store.Tx) when the job must be created atomically with the
// change that causes it.
type Enqueuer interface {
	Enqueue(ctx context.Context, j Job) (bool, error)
}

// Queue enqueues jobs in their own transaction.
type Queue struct {
	Store interface {
		Enqueue(ctx context.Context, j Job) (bool, error)
	}
	// Now is the clock for jobs without RunAt (nil: time.Now).
	Now func() time.Time
	// Notify, when set, is called after a job that is already due was
	// enqueued; wire it to Runner.Notify to run it without waiting for the
	// next poll.
	Notify func()
}

// Enqueue writes j. It reports false, and writes nothing, when j.UniqueKey
// is already taken.
func (q *Queue) Enqueue(ctx context.Context, j Job) (bool, error) {
	now := time.Now()
	if q.Now != nil {
		now = q.Now()
	}
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	ok, err := q.Store.Enqueue(ctx, j)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	if ok && q.Notify != nil && !j.RunAt.After(now) {
		q.Notify()
	}
	return ok, nil
}

// Handler runs one job. payload is the job's JSON payload. Returning nil
// marks the job done; an error schedules a retry with backoff, or fails
// the job for good when it is Permanent or the attempts are used up.
// Handlers must be idempotent and must return when ctx is cancelled (see
// the package documentation).
type Handler func(ctx context.Context, payload json.RawMessage) error

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent wraps err so that the runner fails the job at once instead of
// retrying it: for errors that another attempt cannot cure (a malformed
// payload, an address the mail server rejects).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

type currentKey struct{}

// Current returns the job whose handler ctx was given to, so that a
// handler can derive stable identifiers (e.g. a Message-ID) from it.
func Current(ctx context.Context) (Claimed, bool) {
	c, ok := ctx.Value(currentKey{}).(Claimed)
	return c, ok
}

// BaseBackoff is the wait after the attempt-th failure without jitter:
// 1 s, 2 s, 4 s, … doubling, capped at MaxBackoff.
func BaseBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 32 {
		return MaxBackoff
	}
	return min(time.Second<<(attempt-1), MaxBackoff)
}

// Backoff is BaseBackoff less a random jitter of up to a fifth, so that
// jobs that failed together (a mail server down) do not all retry in the
// same second. The result is in (0.8·base, base].
func Backoff(attempt int) time.Duration {
	d := BaseBackoff(attempt)
	return d - rand.N(d/5+1)
}

// truncateError keeps the first MaxErrorLength bytes of a message, on a
// rune boundary, as valid UTF-8.
func truncateError(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= MaxErrorLength {
		return s
	}
	cut := MaxErrorLength
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
