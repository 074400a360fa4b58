package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The queue's behaviour against a real database (claims, leases, retries,
// periodic jobs, both engines) is tested in internal/store/jobs_test.go;
// these are the rules that need no database.

func TestBackoffSchedule(t *testing.T) {
	want := map[int]time.Duration{
		0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second,
		10: 512 * time.Second, 12: 2048 * time.Second, 13: time.Hour, 40: time.Hour, 1000: time.Hour,
	}
	for attempt, w := range want {
		if got := BaseBackoff(attempt); got != w {
			t.Errorf("BaseBackoff(%d) = %v, want %v", attempt, got, w)
		}
		seen := map[time.Duration]bool{}
		for range 200 {
			got := Backoff(attempt)
			if got > w || got < w-w/5 {
				t.Fatalf("Backoff(%d) = %v, want within (%v, %v]", attempt, got, w-w/5, w)
			}
			seen[got] = true
		}
		if len(seen) < 2 {
			t.Errorf("Backoff(%d) has no jitter: always %v", attempt, Backoff(attempt))
		}
	}
}

func TestEncode(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 123456789, time.FixedZone("ICT", 7*3600))
	e, err := Job{Kind: "mail.send", Payload: map[string]string{"subject": "Thông báo"}}.Encode(now)
	if err != nil {
		t.Fatal(err)
	}
	if e.Payload != `{"subject":"Thông báo"}` || e.MaxAttempts != DefaultMaxAttempts || e.UniqueKey != "" ||
		!e.RunAt.Equal(now.Truncate(time.Microsecond)) || e.RunAt.Location() != time.UTC {
		t.Errorf("encoded: %+v", e)
	}
	if e, _ := (Job{Kind: "x"}).Encode(now); e.Payload != "{}" {
		t.Errorf("nil payload encoded as %q", e.Payload)
	}
	if e, _ := (Job{Kind: "x", Payload: json.RawMessage(`{"a": 1}`)}).Encode(now); e.Payload != `{"a":1}` {
		t.Errorf("raw payload encoded as %q", e.Payload)
	}
	for _, bad := range []Job{{}, {Kind: " x"}, {Kind: strings.Repeat("k", 101)}, {Kind: "x", MaxAttempts: -1},
		{Kind: "x", UniqueKey: strings.Repeat("k", 501)}, {Kind: "x", Payload: make(chan int)}} {
		if _, err := bad.Encode(now); err == nil {
			t.Errorf("Encode(%+v) accepted", bad)
		}
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("550 no such user")
	err := fmt.Errorf("send: %w", Permanent(base))
	if !IsPermanent(err) || !errors.Is(err, base) || err.Error() != "send: 550 no such user" {
		t.Errorf("wrapped permanent error: %v", err)
	}
	if IsPermanent(base) || Permanent(nil) != nil {
		t.Error("IsPermanent or Permanent(nil) wrong")
	}
}

func TestTruncateError(t *testing.T) {
	long := strings.Repeat("Lỗi ", MaxErrorLength)
	got := truncateError(long)
	if len(got) > MaxErrorLength+len("…") || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("truncated to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if got := truncateError("bad \xff byte"); !utf8.ValidString(got) {
		t.Errorf("invalid UTF-8 kept: %q", got)
	}
}

func TestState(t *testing.T) {
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Minute), now.Add(-time.Minute)
	for _, c := range []struct {
		info Info
		want State
	}{
		{Info{}, Pending},
		{Info{LockedUntil: &later}, Running},
		{Info{LockedUntil: &earlier}, Pending}, // a dead node's expired lease
		{Info{DoneAt: &earlier, LockedUntil: &later}, Done},
		{Info{FailedAt: &earlier}, Failed},
	} {
		if got := c.info.State(now); got != c.want {
			t.Errorf("%+v: %s, want %s", c.info, got, c.want)
		}
	}
}

type fakeEnqueuer struct{ jobs []Job }

func (f *fakeEnqueuer) Enqueue(ctx context.Context, j Job) (bool, error) {
	f.jobs = append(f.jobs, j)
	return true, nil
}

func TestQueueNotifiesOnlyForDueJobs(t *testing.T) {
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	store := &fakeEnqueuer{}
	notified := 0
	q := &Queue{Store: store, Now: func() time.Time { return now }, Notify: func() { notified++ }}
	ctx := context.Background()
	q.Enqueue(ctx, Job{Kind: "x"})
	q.Enqueue(ctx, Job{Kind: "x", RunAt: now.Add(-time.Hour)})
	q.Enqueue(ctx, Job{Kind: "x", RunAt: now.Add(time.Hour)})
	if notified != 2 {
		t.Errorf("notified %d times, want 2 (not for the job due later)", notified)
	}
	if !store.jobs[0].RunAt.Equal(now) {
		t.Errorf("a job without RunAt got %v, want now", store.jobs[0].RunAt)
	}
}

func TestRunnerChecks(t *testing.T) {
	r := &Runner{}
	if err := r.Start(context.Background()); err == nil {
		t.Error("started without a store")
	}
	r.Store = nopStore{}
	r.Every("report.digest", time.Hour)
	if err := r.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "report.digest") {
		t.Errorf("periodic job without a handler: %v", err)
	}
	r.Register("report.digest", func(context.Context, json.RawMessage) error { return nil })
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err == nil {
		t.Error("started twice")
	}
	r.Notify()
	if err := r.Stop(context.Background()); err != nil {
		t.Error(err)
	}
	if err := r.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if r.ID == "" {
		t.Error("no runner ID")
	}
}

type nopStore struct{}

func (nopStore) Enqueue(context.Context, Job) (bool, error)             { return true, nil }
func (nopStore) Claim(context.Context, ClaimRequest) ([]Claimed, error) { return nil, nil }
func (nopStore) ExtendLease(context.Context, Lease, time.Time) error    { return nil }
func (nopStore) Complete(context.Context, Lease, time.Time) error       { return nil }
func (nopStore) Retry(context.Context, Lease, time.Time, string) error  { return nil }
func (nopStore) Fail(context.Context, Lease, time.Time, string) error   { return nil }
func (nopStore) Release(context.Context, Lease) error                   { return nil }
