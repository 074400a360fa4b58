package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Runner claims due jobs and runs their handlers on a few workers. Set the
// fields, Register the handlers (and Every for periodic jobs), then Start;
// Stop before closing the database. Every app node runs one.
type Runner struct {
	Store Store
	// Workers is how many jobs run at once (0: DefaultWorkers).
	Workers int
	// PollInterval is how often the runner looks for due jobs when nobody
	// calls Notify (0: DefaultPollInterval).
	PollInterval time.Duration
	// Lease is how long a claim holds without renewal (0: DefaultLease).
	// The runner renews it every third of it while the handler runs, so a
	// job of a dead node is claimed again within one Lease.
	Lease time.Duration
	// Now is the clock (nil: time.Now). Nodes must keep their clocks in
	// sync (NTP); a skew much smaller than Lease does no harm.
	Now func() time.Time
	// Backoff is the wait after the attempt-th failure (nil: Backoff).
	Backoff func(attempt int) time.Duration
	// Log receives failures and retries (nil: discard).
	Log *slog.Logger
	// ID names this runner in locked_by (empty: host-pid-random).
	ID string

	mu       sync.Mutex
	handlers map[string]Handler
	periodic []*periodic
	started  bool
	stopped  bool
	base     context.Context
	cancel   context.CancelFunc
	wake     chan struct{}
	stop     chan struct{}
	loopDone chan struct{}
	running  sync.WaitGroup
	inflight atomic.Int64
}

type periodic struct {
	kind     string
	interval time.Duration
	last     time.Time // the last slot this runner scheduled
}

// Tick is the payload of a periodic job: the start of its time slot.
type Tick struct {
	Slot time.Time `json:"slot"`
}

// Register sets the handler of a kind of job. Jobs of kinds without a
// handler wait in the queue (for a node that has one).
func (r *Runner) Register(kind string, h Handler) {
	if kind == "" || h == nil {
		panic("jobs: Register needs a kind and a handler")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handlers == nil {
		r.handlers = map[string]Handler{}
	}
	r.handlers[kind] = h
}

// Every schedules a job of kind once per interval, in the slot that starts
// at the current time truncated to the interval (since the zero time, in
// UTC: a 24 h interval starts at 00:00 UTC). The job's unique key is the
// kind and the slot, so when several nodes schedule it only one job is
// created; its payload is a Tick. The kind needs a handler (Register).
func (r *Runner) Every(kind string, interval time.Duration) {
	if kind == "" || interval < time.Second {
		panic("jobs: Every needs a kind and an interval of at least a second")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.periodic = append(r.periodic, &periodic{kind: kind, interval: interval})
}

// PeriodicKey is the unique key of the periodic job of kind for slot.
func PeriodicKey(kind string, slot time.Time) string {
	return kind + "@" + slot.UTC().Format(time.RFC3339)
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) workers() int {
	if r.Workers > 0 {
		return r.Workers
	}
	return DefaultWorkers
}

func (r *Runner) lease() time.Duration {
	if r.Lease > 0 {
		return r.Lease
	}
	return DefaultLease
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (r *Runner) backoff(attempt int) time.Duration {
	if r.Backoff != nil {
		return r.Backoff(attempt)
	}
	return Backoff(attempt)
}

func (r *Runner) ensureID() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		r.ID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
}

func (r *Runner) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ks := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (r *Runner) handler(kind string) Handler {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handlers[kind]
}

// Start runs the runner in the background until Stop. ctx provides values
// to the handlers; cancelling it does not stop the runner (call Stop).
func (r *Runner) Start(ctx context.Context) error {
	if r.Store == nil {
		return errors.New("jobs: runner without a store")
	}
	r.ensureID()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return errors.New("jobs: runner already started")
	}
	for _, p := range r.periodic {
		if r.handlers[p.kind] == nil {
			return fmt.Errorf("jobs: periodic job %s has no handler", p.kind)
		}
	}
	r.started = true
	r.base, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
	r.wake = make(chan struct{}, 1)
	r.stop = make(chan struct{})
	r.loopDone = make(chan struct{})
	go r.loop()
	return nil
}

// Notify wakes the runner to look for due jobs now.
func (r *Runner) Notify() {
	r.mu.Lock()
	wake := r.wake
	r.mu.Unlock()
	if wake == nil {
		return
	}
	select {
	case wake <- struct{}{}:
	default:
	}
}

// Stop stops claiming jobs and waits for the running handlers to return.
// When ctx ends first it cancels their contexts, waits for them, gives
// their jobs back to the queue (without counting the attempt) and returns
// ctx's error.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	if !r.started || r.stopped {
		r.mu.Unlock()
		return nil
	}
	r.stopped = true
	close(r.stop)
	r.mu.Unlock()
	<-r.loopDone
	done := make(chan struct{})
	go func() { r.running.Wait(); close(done) }()
	select {
	case <-done:
		r.cancel()
		return nil
	case <-ctx.Done():
		r.cancel()
		<-done
		return fmt.Errorf("jobs: stop: %w", ctx.Err())
	}
}

// loop claims jobs whenever a worker is free and there is reason to look:
// the poll interval passed, Notify was called, or a job just finished.
func (r *Runner) loop() {
	defer close(r.loopDone)
	poll := r.PollInterval
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	freed := make(chan struct{}, 1)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-r.wake:
		case <-freed:
		case <-timer.C:
		}
		r.schedulePeriodic(r.base)
		for {
			free := r.workers() - int(r.inflight.Load())
			if free <= 0 {
				break
			}
			claimed, err := r.claim(r.base, free)
			if err != nil {
				r.log().Error("jobs: claim", "err", err)
				break
			}
			for _, c := range claimed {
				r.inflight.Add(1)
				r.running.Add(1)
				go func() {
					defer r.running.Done()
					r.execute(r.base, c)
					r.inflight.Add(-1)
					select {
					case freed <- struct{}{}:
					default:
					}
				}()
			}
			if len(claimed) < free {
				break
			}
		}
		timer.Reset(poll)
	}
}

func (r *Runner) claim(ctx context.Context, limit int) ([]Claimed, error) {
	kinds := r.kinds()
	if len(kinds) == 0 || limit <= 0 {
		return nil, nil
	}
	return r.Store.Claim(ctx, ClaimRequest{Worker: r.ID, Kinds: kinds, Now: DBTime(r.now()), Lease: r.lease(), Limit: limit})
}

// schedulePeriodic enqueues the current slot's job of every periodic kind
// that this runner has not yet scheduled.
func (r *Runner) schedulePeriodic(ctx context.Context) {
	r.mu.Lock()
	ps := append([]*periodic(nil), r.periodic...)
	r.mu.Unlock()
	now := r.now()
	for _, p := range ps {
		slot := now.UTC().Truncate(p.interval)
		if slot.Equal(p.last) {
			continue
		}
		_, err := r.Store.Enqueue(ctx, Job{Kind: p.kind, Payload: Tick{Slot: slot}, RunAt: slot, UniqueKey: PeriodicKey(p.kind, slot)})
		if err != nil {
			r.log().Error("jobs: schedule periodic job", "kind", p.kind, "err", err)
			continue
		}
		p.last = slot
	}
}

// RunDue makes one pass without starting the runner: it schedules the
// periodic jobs, claims up to Workers due jobs, runs them and waits for
// them. It returns how many jobs ran. For tests and command-line tools.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	if r.Store == nil {
		return 0, errors.New("jobs: runner without a store")
	}
	r.ensureID()
	r.schedulePeriodic(ctx)
	claimed, err := r.claim(ctx, r.workers())
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, c := range claimed {
		wg.Go(func() { r.execute(ctx, c) })
	}
	wg.Wait()
	return len(claimed), nil
}

var errLeaseLost = fmt.Errorf("%w: claimed by another runner", ErrLeaseLost)

// execute runs one claimed job and records the outcome. base is the
// runner's context: when it is cancelled (Stop ran out of time) an
// interrupted job is given back rather than counted as a failure.
func (r *Runner) execute(base context.Context, c Claimed) {
	log := r.log().With("job", c.ID, "kind", c.Kind, "attempt", c.Attempt)
	ctx, cancel := context.WithCancelCause(context.WithValue(base, currentKey{}, c))
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		r.renew(ctx, cancel, c.Lease)
	}()
	err := r.call(ctx, c)
	cancel(nil)
	<-renewed
	if context.Cause(ctx) == errLeaseLost {
		log.Warn("jobs: lease lost while the handler ran; another runner has the job", "err", err)
	}

	// Record the outcome even though base may be cancelled.
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(base), 30*time.Second)
	defer wcancel()
	now := DBTime(r.now())
	var werr error
	switch {
	case err == nil:
		werr = r.Store.Complete(wctx, c.Lease, now)
	case base.Err() != nil:
		log.Info("jobs: interrupted by shutdown; the job goes back to the queue", "err", err)
		werr = r.Store.Release(wctx, c.Lease)
	case IsPermanent(err) || c.Attempt >= c.MaxAttempts:
		log.Error("jobs: failed for good", "err", err, "max_attempts", c.MaxAttempts)
		werr = r.Store.Fail(wctx, c.Lease, now, truncateError(err.Error()))
	default:
		wait := r.backoff(c.Attempt)
		log.Warn("jobs: failed; will retry", "err", err, "in", wait)
		werr = r.Store.Retry(wctx, c.Lease, DBTime(now.Add(wait)), truncateError(err.Error()))
	}
	if errors.Is(werr, ErrLeaseLost) {
		log.Warn("jobs: could not record the outcome: the lease was lost")
	} else if werr != nil {
		log.Error("jobs: could not record the outcome; the job runs again when its lease expires", "err", werr)
	}
}

// call runs the handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, c Claimed) (err error) {
	h := r.handler(c.Kind)
	if h == nil {
		return fmt.Errorf("no handler for job kind %q", c.Kind)
	}
	defer func() {
		if p := recover(); p != nil {
			r.log().Error("jobs: handler panicked", "job", c.ID, "kind", c.Kind, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return h(ctx, c.Payload)
}

// renew extends the lease every third of it until ctx ends; it cancels ctx
// when the lease is lost.
func (r *Runner) renew(ctx context.Context, cancel context.CancelCauseFunc, l Lease) {
	lease := r.lease()
	t := time.NewTicker(lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := r.Store.ExtendLease(ctx, l, DBTime(r.now().Add(lease)))
		switch {
		case errors.Is(err, ErrLeaseLost):
			cancel(errLeaseLost)
			return
		case err != nil && ctx.Err() == nil:
			r.log().Warn("jobs: could not renew a lease", "job", l.ID, "err", err)
		}
	}
}
