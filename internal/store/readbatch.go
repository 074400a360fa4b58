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
func (db *DB) readShared(ctx context.Context, b *readroute.Batch, held any, fn func(q Querier) error) (err error) {
	tx, _ := held.(*sql.Tx)
	defer func() {
		if err != nil && tx != nil {
			_ = tx.Rollback()
			tx = nil
		}
		if tx == nil {
			b.Release(nil, nil)
			return
		}
		kept := tx
		b.Release(kept, func() { _ = kept.Rollback() })
	}()
	if tx == nil {
		// Begun with the batch's context: a read's own may end with it.
		if tx, err = db.beginRead(b.Context(), db.read); err != nil {
			return err
		}
	}
	q := &sharedTx{Tx: tx}
	if err := fn(q); err != nil {
		return err
	}
	return q.restore(ctx)
}

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
