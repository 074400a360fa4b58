package auth

import (
	"math"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Limiter slows down password guessing: after too many failures within a
// window, further attempts for that account or from that address are
// refused until the window has passed. It is kept in memory: a restart
// forgets it, which costs an attacker a restart they cannot cause.
type Limiter struct {
	mu          sync.Mutex
	failures    map[string][]time.Time
	Window      time.Duration
	PerAccount  int
	PerAddress  int
	lastCleanup time.Time
}

// NewLimiter returns a limiter with the defaults: 5 failures per account
// and 20 per address within 15 minutes.
func NewLimiter() *Limiter {
	return &Limiter{failures: map[string][]time.Time{}, Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20}
}

// Check refuses when the account or the address is over its limit.
func (l *Limiter) Check(username, address string, now time.Time) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cleanup(now)
	for _, k := range []struct {
		key   string
		limit int
	}{{"u:" + username, l.PerAccount}, {"a:" + address, l.PerAddress}} {
		recent := l.recent(k.key, now)
		if len(recent) >= k.limit {
			wait := recent[0].Add(l.Window).Sub(now)
			secs := int(math.Ceil(wait.Seconds()))
			e := apperr.Keyed(apperr.RateLimited, "auth.too_many_failed_sign", "too many failed sign-ins: try again in %d minutes", (secs+59)/60)
			e.Extra = map[string]any{"retry_after": secs}
			return e
		}
	}
	return nil
}

// Fail records a failed attempt.
func (l *Limiter) Fail(username, address string, now time.Time) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{"u:" + username, "a:" + address} {
		l.failures[k] = append(l.recent(k, now), now)
	}
}

func (l *Limiter) recent(key string, now time.Time) []time.Time {
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
		if len(l.recent(k, now)) == 0 {
			delete(l.failures, k)
		}
	}
}
