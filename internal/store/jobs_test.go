package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/jobs"
)

// testClock is the demo's settable clock, which tests move by hand.
type testClock struct{ *demo.Clock }

func newTestClock(t time.Time) testClock { return testClock{demo.NewClock(t)} }

// Add moves the clock on by d.
func (c testClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

func countJobs(t *testing.T, db *DB, where string, args ...any) int {
	t.Helper()
	var n int
	if err := db.write.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM jobs WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func jobByKey(t *testing.T, db *DB, key string) *jobs.Info {
	t.Helper()
	j, err := Jobs{db}.ByKey(context.Background(), key)
	if err != nil {
		t.Fatalf("job %s: %v", key, err)
	}
	return j
}

func TestJobsUniqueKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		q := &jobs.Queue{Store: Jobs{db}, Now: db.Now}
		for i, want := range []bool{true, false, false} {
			ok, err := q.Enqueue(ctx, jobs.Job{Kind: "test.note", Payload: map[string]int{"try": i}, UniqueKey: "meeting:42:reminder"})
			if err != nil || ok != want {
				t.Fatalf("enqueue #%d: got %v, %v; want %v", i+1, ok, err, want)
			}
		}
		j := jobByKey(t, db, "meeting:42:reminder")
		if string(j.Payload) != `{"try":0}` || j.MaxAttempts != jobs.DefaultMaxAttempts || !j.RunAt.Equal(db.Now()) || j.Attempts != 0 {
			t.Errorf("stored job: %+v", j)
		}
		// Jobs without a key are all kept.
		for range 2 {
			if ok, err := q.Enqueue(ctx, jobs.Job{Kind: "test.note"}); !ok || err != nil {
				t.Fatalf("enqueue without a key: %v, %v", ok, err)
			}
		}
		if n := countJobs(t, db, `kind = 'test.note'`); n != 3 {
			t.Errorf("%d jobs, want 3", n)
		}

		// Inside a transaction the job lives or dies with the change.
		boom := errors.New("the change failed")
		err := db.Write(ctx, func(tx *Tx) error {
			if ok, err := tx.Enqueue(ctx, jobs.Job{Kind: "test.note", UniqueKey: "tx:1"}); !ok || err != nil {
				t.Fatalf("tx enqueue: %v, %v", ok, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := countJobs(t, db, `unique_key = 'tx:1'`); n != 0 {
			t.Fatalf("a rolled-back transaction left %d jobs", n)
		}
		if err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.Enqueue(ctx, jobs.Job{Kind: "test.note", UniqueKey: "tx:1"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n := countJobs(t, db, `unique_key = 'tx:1'`); n != 1 {
			t.Fatalf("%d jobs after commit, want 1", n)
		}

		// Many nodes enqueueing the same event at once create one job.
		var created atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := q.Enqueue(ctx, jobs.Job{Kind: "test.note", UniqueKey: "race"})
				if err != nil {
					t.Error(err)
				}
				if ok {
					created.Add(1)
				}
			})
		}
		wg.Wait()
		if created.Load() != 1 || countJobs(t, db, `unique_key = 'race'`) != 1 {
			t.Errorf("concurrent enqueue of one key: %d reported created", created.Load())
		}

		if _, err := q.Enqueue(ctx, jobs.Job{Kind: ""}); err == nil {
			t.Error("a job without a kind was accepted")
		}
		if _, err := q.Enqueue(ctx, jobs.Job{Kind: "test.note", Payload: func() {}}); err == nil {
			t.Error("a payload that is not JSON was accepted")
		}
	})
}

func TestJobsConcurrentClaim(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		const total = 200
		if err := db.Write(ctx, func(tx *Tx) error {
			for i := range total {
				if _, err := tx.Enqueue(ctx, jobs.Job{Kind: "test.claim", Payload: i}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for w := range 4 {
			worker := fmt.Sprintf("node-%d", w)
			wg.Go(func() {
				for {
					got, err := Jobs{db}.Claim(ctx, jobs.ClaimRequest{Worker: worker, Kinds: []string{"test.claim", "test.other"}, Now: now, Lease: time.Minute, Limit: 7})
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, c := range got {
						if prev, dup := seen[c.ID]; dup {
							t.Errorf("job %d claimed by %s and again by %s", c.ID, prev, worker)
						}
						if c.Attempt != 1 || c.Worker != worker || c.Kind != "test.claim" {
							t.Errorf("claimed %+v", c)
						}
						seen[c.ID] = worker
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != total {
			t.Errorf("claimed %d distinct jobs, want %d", len(seen), total)
		}
		if n := countJobs(t, db, `attempts <> 1 OR locked_by IS NULL`); n != 0 {
			t.Errorf("%d jobs were not claimed exactly once", n)
		}
	})
}

func TestJobsLeaseExpiry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		t0 := db.Now()
		if _, err := (Jobs{db}).Enqueue(ctx, jobs.Job{Kind: "test.lease", UniqueKey: "lease"}); err != nil {
			t.Fatal(err)
		}
		claim := func(worker string, at time.Time) []jobs.Claimed {
			t.Helper()
			got, err := Jobs{db}.Claim(ctx, jobs.ClaimRequest{Worker: worker, Kinds: []string{"test.lease"}, Now: at, Lease: 30 * time.Second, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// A job of a kind the claimer does not handle is left alone.
		if got, _ := (Jobs{db}).Claim(ctx, jobs.ClaimRequest{Worker: "x", Kinds: []string{"other"}, Now: t0, Lease: time.Second, Limit: 10}); len(got) != 0 {
			t.Fatalf("claimed a job of another kind: %+v", got)
		}
		first := claim("dead-node", t0)
		if len(first) != 1 || first[0].Attempt != 1 {
			t.Fatalf("first claim: %+v", first)
		}
		if j := jobByKey(t, db, "lease"); j.State(t0) != jobs.Running || j.LockedBy != "dead-node" || !j.LockedUntil.Equal(t0.Add(30*time.Second)) {
			t.Errorf("leased job: %+v", j)
		}
		if got := claim("other-node", t0.Add(10*time.Second)); len(got) != 0 {
			t.Fatalf("claimed a leased job: %+v", got)
		}
		// The lease holder renews it; then it dies and the lease runs out.
		if err := (Jobs{db}).ExtendLease(ctx, first[0].Lease, t0.Add(40*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := claim("other-node", t0.Add(35*time.Second)); len(got) != 0 {
			t.Fatalf("claimed a renewed lease: %+v", got)
		}
		second := claim("other-node", t0.Add(41*time.Second))
		if len(second) != 1 || second[0].ID != first[0].ID || second[0].Attempt != 2 {
			t.Fatalf("claim after the lease expired: %+v", second)
		}
		// The old holder can no longer touch the job.
		for name, err := range map[string]error{
			"complete": Jobs{db}.Complete(ctx, first[0].Lease, t0),
			"retry":    Jobs{db}.Retry(ctx, first[0].Lease, t0, "x"),
			"fail":     Jobs{db}.Fail(ctx, first[0].Lease, t0, "x"),
			"release":  Jobs{db}.Release(ctx, first[0].Lease),
			"extend":   Jobs{db}.ExtendLease(ctx, first[0].Lease, t0.Add(time.Hour)),
		} {
			if !errors.Is(err, jobs.ErrLeaseLost) {
				t.Errorf("%s with a stale lease: %v, want ErrLeaseLost", name, err)
			}
		}
		if err := (Jobs{db}).Complete(ctx, second[0].Lease, t0.Add(42*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := claim("third-node", t0.Add(time.Hour)); len(got) != 0 {
			t.Fatalf("claimed a done job: %+v", got)
		}
		j := jobByKey(t, db, "lease")
		if j.State(t0.Add(time.Hour)) != jobs.Done || j.Attempts != 2 || j.LockedBy != "other-node" || !j.DoneAt.Equal(t0.Add(42*time.Second)) {
			t.Errorf("done job: %+v", j)
		}
	})
}

func TestJobsBackoffAndMaxAttempts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := newTestClock(db.Now())
		r := &jobs.Runner{Store: Jobs{db}, Now: clock.Now, Backoff: jobs.BaseBackoff}
		calls := 0
		r.Register("test.flaky", func(ctx context.Context, payload json.RawMessage) error {
			calls++
			return fmt.Errorf("mail server down (call %d)", calls)
		})
		if _, err := (Jobs{db}).Enqueue(ctx, jobs.Job{Kind: "test.flaky", UniqueKey: "flaky", MaxAttempts: 5}); err != nil {
			t.Fatal(err)
		}
		for attempt := 1; attempt <= 5; attempt++ {
			if n, err := r.RunDue(ctx); n != 1 || err != nil {
				t.Fatalf("attempt %d: ran %d, %v", attempt, n, err)
			}
			j := jobByKey(t, db, "flaky")
			if j.Attempts != attempt || !strings.Contains(j.LastError, fmt.Sprintf("call %d", attempt)) {
				t.Fatalf("after attempt %d: %+v", attempt, j)
			}
			if attempt == 5 {
				if j.State(clock.Now()) != jobs.Failed || !j.FailedAt.Equal(clock.Now()) {
					t.Fatalf("after the last attempt: %+v, want failed", j)
				}
				break
			}
			wait := jobs.BaseBackoff(attempt)
			if want := clock.Now().Add(wait); !j.RunAt.Equal(want) || j.State(clock.Now()) != jobs.Pending {
				t.Fatalf("after attempt %d: run_at %v, want %v (backoff %v)", attempt, j.RunAt, want, wait)
			}
			clock.Add(wait - time.Millisecond)
			if n, _ := r.RunDue(ctx); n != 0 {
				t.Fatalf("retried %v before its backoff of %v ended", time.Millisecond, wait)
			}
			clock.Add(time.Millisecond)
		}
		clock.Add(24 * time.Hour)
		if n, _ := r.RunDue(ctx); n != 0 || calls != 5 {
			t.Errorf("a failed job ran again: %d runs, %d calls", n, calls)
		}
	})
}

func TestJobsRunnerRetriesThenSucceeds(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := newTestClock(db.Now())
		r := &jobs.Runner{Store: Jobs{db}, Now: clock.Now}
		var got []string
		r.Register("test.twice", func(ctx context.Context, payload json.RawMessage) error {
			var p struct{ Name string }
			if err := json.Unmarshal(payload, &p); err != nil {
				return jobs.Permanent(err)
			}
			c, ok := jobs.Current(ctx)
			if !ok {
				t.Error("jobs.Current: no job in the handler's context")
			}
			got = append(got, p.Name)
			if c.Attempt < 3 {
				return fmt.Errorf("attempt %d fails", c.Attempt)
			}
			return nil
		})
		r.Register("test.bad", func(ctx context.Context, payload json.RawMessage) error {
			return jobs.Permanent(errors.New("no such recipient"))
		})
		q := &jobs.Queue{Store: Jobs{db}, Now: clock.Now}
		if _, err := q.Enqueue(ctx, jobs.Job{Kind: "test.twice", UniqueKey: "twice", Payload: map[string]string{"name": "Nguyễn Thị Hằng"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, jobs.Job{Kind: "test.bad", UniqueKey: "bad"}); err != nil {
			t.Fatal(err)
		}
		for range 10 {
			if _, err := r.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			clock.Add(jobs.MaxBackoff)
		}
		j := jobByKey(t, db, "twice")
		if j.State(clock.Now()) != jobs.Done || j.Attempts != 3 || j.LastError != "attempt 2 fails" {
			t.Errorf("job: %+v, want done after 3 attempts", j)
		}
		if len(got) != 3 || got[2] != "Nguyễn Thị Hằng" {
			t.Errorf("handler saw %q", got)
		}
		bad := jobByKey(t, db, "bad")
		if bad.State(clock.Now()) != jobs.Failed || bad.Attempts != 1 || bad.LastError != "no such recipient" {
			t.Errorf("permanent error: %+v, want failed after 1 attempt", bad)
		}
	})
}

func TestJobsPeriodicOncePerSlot(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := newTestClock(time.Date(2026, 11, 20, 3, 17, 0, 0, time.UTC))
		var mu sync.Mutex
		var slots []time.Time
		nodes := make([]*jobs.Runner, 3)
		for i := range nodes {
			nodes[i] = &jobs.Runner{Store: Jobs{db}, Now: clock.Now, ID: fmt.Sprintf("node-%d", i)}
			nodes[i].Register("test.digest", func(ctx context.Context, payload json.RawMessage) error {
				var tick jobs.Tick
				if err := json.Unmarshal(payload, &tick); err != nil {
					return err
				}
				mu.Lock()
				slots = append(slots, tick.Slot)
				mu.Unlock()
				return nil
			})
			nodes[i].Every("test.digest", time.Hour)
		}
		runAll := func() {
			var wg sync.WaitGroup
			for _, n := range nodes {
				wg.Go(func() {
					if _, err := n.RunDue(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
		runAll()
		runAll()
		clock.Add(30 * time.Minute) // 03:47: same slot
		runAll()
		clock.Add(20 * time.Minute) // 04:07: next slot
		runAll()
		want := []time.Time{time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC)}
		if len(slots) != 2 || !slots[0].Equal(want[0]) || !slots[1].Equal(want[1]) {
			t.Errorf("periodic job ran for slots %v, want %v", slots, want)
		}
		if n := countJobs(t, db, `kind = 'test.digest'`); n != 2 {
			t.Errorf("%d periodic jobs, want 2", n)
		}
		if j := jobByKey(t, db, jobs.PeriodicKey("test.digest", want[1])); j.DoneAt == nil {
			t.Errorf("periodic job not done: %+v", j)
		}
	})
}

// TestJobsRunnerLeaseRenewalAndStop runs the background runner on the real
// clock: a handler that outlives its lease keeps the job (the runner
// renews the lease), and Stop that runs out of time gives an interrupted
// job back to the queue.
func TestJobsRunnerLeaseRenewalAndStop(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		q := &jobs.Queue{Store: Jobs{db}, Now: time.Now}
		// The lease leaves a second of slack between renewals (every third
		// of it): the suite runs packages side by side and a write to a
		// busy database can stall for hundreds of milliseconds; what this
		// test proves is renewal, not speed.
		a := &jobs.Runner{Store: Jobs{db}, Lease: 1500 * time.Millisecond, PollInterval: 20 * time.Millisecond, ID: "a"}
		q.Notify = a.Notify
		var calls atomic.Int32
		release := make(chan struct{})
		a.Register("test.slow", func(ctx context.Context, payload json.RawMessage) error {
			calls.Add(1)
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		a.Register("test.block", func(ctx context.Context, payload json.RawMessage) error {
			calls.Add(1)
			<-ctx.Done()
			return ctx.Err()
		})
		if _, err := q.Enqueue(ctx, jobs.Job{Kind: "test.slow", UniqueKey: "slow"}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return calls.Load() == 1 })
		b := &jobs.Runner{Store: Jobs{db}, Lease: time.Minute, ID: "b"}
		b.Register("test.slow", func(ctx context.Context, payload json.RawMessage) error {
			t.Error("runner b ran a job that runner a holds")
			return nil
		})
		deadline := time.Now().Add(2 * time.Second) // longer than a lease: without renewal b would take the job
		for time.Now().Before(deadline) {
			if _, err := b.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(25 * time.Millisecond)
		}
		close(release)
		waitFor(t, func() bool { return jobByKey(t, db, "slow").DoneAt != nil })
		if n := calls.Load(); n != 1 {
			t.Errorf("handler ran %d times, want 1", n)
		}

		// Stop with no time left: the running job is given back.
		if _, err := q.Enqueue(ctx, jobs.Job{Kind: "test.block", UniqueKey: "interrupted"}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return calls.Load() == 2 })
		stopCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if err := a.Stop(stopCtx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Stop: %v, want deadline exceeded", err)
		}
		j := jobByKey(t, db, "interrupted")
		if j.State(time.Now()) != jobs.Pending || j.Attempts != 0 || j.LockedBy != "" || j.DoneAt != nil {
			t.Errorf("interrupted job: %+v, want pending with no attempt counted", j)
		}
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
