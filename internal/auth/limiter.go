package auth

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Limiter slows down password and code guessing: after too many failures
// within a window, further attempts for that account or from that address
// are refused until the window has passed. Failed passwords and failed
// second-factor codes count alike (a code is tried only after a right
// password), and so do wrong codes when a second factor is confirmed.
//
// With a Store the failures are rows in the database, so that every
// process behind a load balancer counts the same failures and a restart
// forgets nothing (issue 16); without one (tests, tools) they are kept in
// this process's memory.
type Limiter struct {
	Store      FailureStore
	Window     time.Duration
	PerAccount int
	PerAddress int

	mu          sync.Mutex
	failures    map[string][]time.Time
	lastCleanup time.Time
}

// FailureStore keeps failed attempts by key ("u:<username>", "a:<address>").
type FailureStore interface {
	// RecentFailures returns, for each key with failures at or after
	// since, how many there are and the oldest.
	RecentFailures(ctx context.Context, keys []string, since time.Time) (map[string]Failures, error)
	// AddFailure records one failure under every key at at, and may drop
	// failures older than before.
	AddFailure(ctx context.Context, keys []string, at, before time.Time) error
}

// Failures is the count and the oldest time of a key's recent failures.
type Failures struct {
	Count  int
	Oldest time.Time
}

// NewLimiter returns an in-memory limiter with the defaults: 5 failures per
// account and 20 per address within 15 minutes.
func NewLimiter() *Limiter {
	return &Limiter{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20}
}

// NewStoredLimiter is NewLimiter with its failures in st.
func NewStoredLimiter(st FailureStore) *Limiter {
	l := NewLimiter()
	l.Store = st
	return l
}

func limiterKeys(username, address string) []string {
	return []string{"u:" + username, "a:" + address}
}

// Check refuses when the account or the address is over its limit.
func (l *Limiter) Check(ctx context.Context, username, address string, now time.Time) error {
	if l == nil {
		return nil
	}
	keys := limiterKeys(username, address)
	recent, err := l.recent(ctx, keys, now)
	if err != nil {
		return err
	}
	for i, limit := range []int{l.PerAccount, l.PerAddress} {
		f := recent[keys[i]]
		if f.Count >= limit {
			wait := f.Oldest.Add(l.Window).Sub(now)
			secs := max(1, int(math.Ceil(wait.Seconds())))
			e := apperr.Keyed(apperr.RateLimited, "auth.too_many_failed_sign", "too many failed sign-ins: try again in %d minutes", (secs+59)/60)
			e.Extra = map[string]any{"retry_after": secs}
			return e
		}
	}
	return nil
}

// Fail records a failed attempt.
func (l *Limiter) Fail(ctx context.Context, username, address string, now time.Time) error {
	if l == nil {
		return nil
	}
	keys := limiterKeys(username, address)
	if l.Store != nil {
		return l.Store.AddFailure(context.WithoutCancel(ctx), keys, now, now.Add(-l.Window))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failures == nil {
		l.failures = map[string][]time.Time{}
	}
	for _, k := range keys {
		l.failures[k] = append(l.inWindow(k, now), now)
	}
	return nil
}

func (l *Limiter) recent(ctx context.Context, keys []string, now time.Time) (map[string]Failures, error) {
	if l.Store != nil {
		return l.Store.RecentFailures(ctx, keys, now.Add(-l.Window))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cleanup(now)
	out := map[string]Failures{}
	for _, k := range keys {
		if ts := l.inWindow(k, now); len(ts) > 0 {
			out[k] = Failures{Count: len(ts), Oldest: ts[0]}
		}
	}
	return out, nil
}

// inWindow is the failures of key within the window (in memory).
func (l *Limiter) inWindow(key string, now time.Time) []time.Time {
	ts := l.failures[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.Window {
		i++
	}
	return ts[i:]
}

// cleanup drops old entries now and then so memory stays bounded.
func (l *Limiter) cleanup(now time.Time) {
	if now.Sub(l.lastCleanup) < l.Window {
		return
	}
	l.lastCleanup = now
	for k := range l.failures {
		if len(l.inWindow(k, now)) == 0 {
			delete(l.failures, k)
		}
	}
}
