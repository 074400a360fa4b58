// Package readroute says, in a context, where a read may go when the
// database has a streaming replica (sotay serve --db-replica): the heavy
// reads (reports, roll-ups, search, exports) go to the replica unless the
// context asks for the primary, which the web server does for a write
// request and for a session that wrote a moment ago (so a user reads their
// own writes). The store decides which of its reads are heavy; the web
// middleware and the services only mark contexts. Without a replica the
// marks change nothing.
package readroute

import (
	"context"
	"sync/atomic"
)

type key int

const (
	primaryKey key = iota
	bulkKey
	afterKey
)

// Primary marks ctx: every read goes to the primary.
func Primary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey, true)
}

// WantsPrimary reports whether ctx was marked with Primary.
func WantsPrimary(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey).(bool)
	return v
}

// Bulk marks ctx as the reads of a long job over many pages (an export):
// the store sends its list reads to the replica too, unless ctx also wants
// the primary.
func Bulk(ctx context.Context) context.Context {
	return context.WithValue(ctx, bulkKey, true)
}

// IsBulk reports whether ctx was marked with Bulk.
func IsBulk(ctx context.Context) bool {
	v, _ := ctx.Value(bulkKey).(bool)
	return v
}

// After marks ctx as the reads of a session that wrote a moment ago,
// when the primary's write-ahead log stood at lsn (PostgreSQL's text form,
// "16/B374D848"): a heavy read may go to the replica only once the replica
// has replayed that far, else it goes to the primary. The store checks the
// replica (pg_last_wal_replay_lsn()) at the first heavy read and, once it
// has caught up, no more in this context.
func After(ctx context.Context, lsn string) context.Context {
	if lsn == "" {
		return ctx
	}
	return context.WithValue(ctx, afterKey, &Wrote{LSN: lsn})
}

// Wrote is the mark of After.
type Wrote struct {
	// LSN is where the session's last write left the primary's log.
	LSN string
	// caughtUp is set once the replica was seen at LSN or beyond (it
	// only moves forward).
	caughtUp atomic.Bool
}

// CaughtUp reports whether the replica was already seen past LSN.
func (w *Wrote) CaughtUp() bool { return w.caughtUp.Load() }

// SetCaughtUp records that the replica was seen past LSN.
func (w *Wrote) SetCaughtUp() { w.caughtUp.Store(true) }

// WroteAt returns the mark of After, or nil.
func WroteAt(ctx context.Context) *Wrote {
	w, _ := ctx.Value(afterKey).(*Wrote)
	return w
}
