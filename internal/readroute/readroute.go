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
	"sync"
	"sync/atomic"
)

type key int

const (
	primaryKey key = iota
	bulkKey
	afterKey
	togetherKey
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

// Together marks ctx as the reads of one page that gathers several lists:
// the store runs them in one read transaction (one snapshot, one BEGIN and
// one ROLLBACK, one connection) instead of one transaction per list,
// whose BEGIN, ROLLBACK and connection were most of what a page of small
// lists cost (docs/benchmarks.md, r24-pages). end closes that transaction;
// the caller calls it once the page has its data (before rendering it), and
// may call it again (a deferred call). The reads of the marked context must
// not run at the same time (a page's handler reads one list after another);
// a read that finds the transaction busy (a read within a read) takes its
// own. Without a store that knows the mark, it changes nothing. When
// ctx is done (the request's end), End runs too: a handler that forgot it
// does not keep a connection of the pool.
func Together(ctx context.Context) (context.Context, func()) {
	b := &Batch{ctx: ctx}
	context.AfterFunc(ctx, b.End)
	return context.WithValue(ctx, togetherKey, b), b.End
}

// BatchOf returns the mark of Together, or nil.
func BatchOf(ctx context.Context) *Batch {
	b, _ := ctx.Value(togetherKey).(*Batch)
	return b
}

// Batch is the shared read of Together: the store keeps its open
// transaction in it (Hold) and how to close it.
type Batch struct {
	// ctx is Together's context: the transaction is begun with it rather
	// than with one read's (a read's context may be cancelled when that
	// read returns, which would roll the shared transaction back).
	ctx   context.Context
	mu    sync.Mutex
	held  any
	close func()
	ended bool
	// memo is Once's: what a read of the batch loaded, by key.
	memoMu sync.Mutex
	memo   map[any]any
}

// Once returns what load returned for key the first time in this batch
// (load's errors are not kept): a row the page reads several times (its
// unit, by each list's reach check) is read once; in one page's reads
// it cannot have changed in between. After End, load runs each time.
func (b *Batch) Once(key any, load func() (any, error)) (any, error) {
	b.memoMu.Lock()
	v, ok := b.memo[key]
	b.memoMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	b.memoMu.Lock()
	defer b.memoMu.Unlock()
	if b.memo == nil {
		b.memo = map[any]any{}
	}
	if !b.isEnded() {
		b.memo[key] = v
	}
	return v, nil
}

// isEnded reports whether End ran (Once keeps nothing after it).
func (b *Batch) isEnded() bool {
	if !b.mu.TryLock() {
		return false // a read holds the batch: it has not ended
	}
	defer b.mu.Unlock()
	return b.ended
}

// Context is the context the shared transaction is begun with.
func (b *Batch) Context() context.Context { return b.ctx }

// Take locks the batch for one read and returns what the store holds in
// it (nil before the first read); ok is false when another read holds it
// or the batch ended: the read then takes its own transaction. A read
// that took the batch calls Release.
func (b *Batch) Take() (held any, ok bool) {
	if !b.mu.TryLock() {
		return nil, false
	}
	if b.ended {
		b.mu.Unlock()
		return nil, false
	}
	return b.held, true
}

// Release unlocks the batch after a read, keeping held (with close, what
// ends it) for the next read, or nothing when held is nil.
func (b *Batch) Release(held any, close func()) {
	b.held, b.close = held, close
	b.mu.Unlock()
}

// End closes the shared transaction, if a read opened one; the reads of
// the context after it take their own.
func (b *Batch) End() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.close != nil {
		b.close()
	}
	b.held, b.close, b.ended = nil, nil, true
	b.memoMu.Lock()
	b.memo = nil
	b.memoMu.Unlock()
}
