package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/readroute"
)

// The shared read of a page (readroute.Together): the lists a page
// gathers read in one transaction of the reader pool. On PostgreSQL a
// read transaction of its own costs a connection taken from the pool, a
// BEGIN and a ROLLBACK, two round trips beside its statements, and the
// handbook's home opened seven (docs/benchmarks.md, r24-pages).

// readShared runs fn in the batch's transaction, beginning it at the
// batch's first read. A read that fails leaves the transaction to no one
// (on PostgreSQL a failed statement aborts it): it is rolled back and the
// next read of the batch begins another. What fn set with SET LOCAL is
// put back to its default after fn (sharedTx), so that it does not reach
// the next read.
//
// A shared transaction holds its connection from one read to the next,
// and the page's other reads (single statements on the pool, a read
// within a read) take another meanwhile: if every connection of the pool
// were held so, each page would wait for a second one forever. So at most
// half the pool's connections are held by shared reads (shareSlots); a
// page that finds none free reads as if unmarked.
func (db *DB) readShared(ctx context.Context, b *readroute.Batch, held any, fn func(q Querier) error) (err error) {
	tx, _ := held.(*sql.Tx)
	if tx == nil {
		if !db.takeShareSlot() {
			b.Release(nil, nil)
			return db.readOwn(ctx, db.read, fn)
		}
		// Begun with the batch's context: a read's own may end with it.
		if tx, err = db.beginRead(b.Context(), db.read); err != nil {
			db.freeShareSlot()
			b.Release(nil, nil)
			return err
		}
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			db.freeShareSlot()
			b.Release(nil, nil)
			return
		}
		b.Release(tx, func() {
			_ = tx.Rollback()
			db.freeShareSlot()
		})
	}()
	q := &sharedTx{Tx: tx}
	if err := fn(q); err != nil {
		return err
	}
	return q.restore(ctx)
}

// takeShareSlot takes one of the connections shared reads may hold, if
// one is free (readShared).
func (db *DB) takeShareSlot() bool {
	db.shareOnce.Do(func() {
		n := db.read.Stats().MaxOpenConnections / 2
		if n <= 0 {
			n = 16 // a pool without a bound
		}
		db.shareSlots = make(chan struct{}, n)
	})
	select {
	case db.shareSlots <- struct{}{}:
		return true
	default:
		return false
	}
}

// freeShareSlot gives back a slot takeShareSlot took.
func (db *DB) freeShareSlot() { <-db.shareSlots }

// sharedTx is the Querier of a shared read: it notes the settings a read
// changes with SET LOCAL (which lasts until the transaction ends, so into
// the next read of the batch) to put them back after the read.
type sharedTx struct {
	*sql.Tx
	set []string
}

// ExecContext runs query, noting the setting of a SET LOCAL.
func (q *sharedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if name, ok := setLocalName(query); ok && !slices.Contains(q.set, name) {
		q.set = append(q.set, name)
	}
	return q.Tx.ExecContext(ctx, query, args...)
}

// restore puts each setting the read changed back to its default (the
// session's value: the store never sets these for a session).
func (q *sharedTx) restore(ctx context.Context) error {
	for _, name := range q.set {
		if _, err := q.Tx.ExecContext(ctx, "SET LOCAL "+name+" TO DEFAULT"); err != nil {
			return fmt.Errorf("put %s back: %w", name, err)
		}
	}
	q.set = q.set[:0]
	return nil
}

// setLocalName is the setting a "SET LOCAL name = value" statement
// changes; ok is false for any other statement, or a name that is not a
// plain one (letters, digits, _ and .).
func setLocalName(query string) (name string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(query), "SET LOCAL ")
	if !ok {
		return "", false
	}
	name, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
	name, _, _ = strings.Cut(name, "=")
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_.") != "" {
		return "", false
	}
	return name, true
}

// ReadTransactions is how many read transactions the store's reads began
// since it opened (each list of its own, a shared read once): what
// readroute.Together saves, for the tests that count it.
func (db *DB) ReadTransactions() int64 { return db.readTxs.Load() }

// onceInBatch is load's row, read once in a page's shared read
// (readroute.Batch.Once under key) and once per call outside one; each
// caller gets its own copy. A failed load's answer is load's own (row
// and error), kept for no one.
func onceInBatch[T any](ctx context.Context, key any, load func() (*T, error)) (*T, error) {
	b := readroute.BatchOf(ctx)
	if b == nil {
		return load()
	}
	var failed *T
	v, err := b.Once(key, func() (any, error) {
		p, err := load()
		if err != nil {
			failed = p
		}
		return p, err
	})
	if err != nil {
		return failed, err
	}
	c := *v.(*T)
	return &c, nil
}

// unitKey and unitRefKey are the batch keys of Units.Unit and Tasks.Unit.
type (
	unitKey    int64
	unitRefKey int64
)
