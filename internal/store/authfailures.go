package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// AuthFailures keeps the sign-in limiter's failures (auth.FailureStore) in
// the database, so that every process counts the same ones.
type AuthFailures struct{ *DB }

var _ auth.FailureStore = AuthFailures{}

// RecentFailures counts each key's failures at or after since.
func (db AuthFailures) RecentFailures(ctx context.Context, keys []string, since time.Time) (map[string]auth.Failures, error) {
	out := map[string]auth.Failures{}
	if len(keys) == 0 {
		return out, nil
	}
	args := argList{since.UnixMicro()}
	marks := make([]string, len(keys))
	for i, k := range keys {
		marks[i] = args.add(k)
	}
	err := queryEach(ctx, db.write, func(rows *sql.Rows) error {
		var k string
		var n int
		var oldest int64
		err := rows.Scan(&k, &n, &oldest)
		out[k] = auth.Failures{Count: n, Oldest: time.UnixMicro(oldest).UTC()}
		return err
	}, `SELECT key, COUNT(*), MIN(at_us) FROM auth_failures
		WHERE key IN (`+strings.Join(marks, ", ")+`) AND at_us >= $1 GROUP BY key`, args...)
	if err != nil {
		return nil, fmt.Errorf("sign-in failures: %w", err)
	}
	return out, nil
}

// AddFailure records a failure under every key and deletes the failures
// older than before (an index range on at_us: the rows of the last
// moments are all that is ever kept).
func (db AuthFailures) AddFailure(ctx context.Context, keys []string, at, before time.Time) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM auth_failures WHERE at_us < $1`, before.UnixMicro()); err != nil {
			return fmt.Errorf("sign-in failures: %w", err)
		}
		var args argList
		rows := make([]string, len(keys))
		for i, k := range keys {
			rows[i] = "(" + args.add(k) + ", " + args.add(at.UnixMicro()) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO auth_failures (key, at_us) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return fmt.Errorf("sign-in failures: %w", err)
		}
		return nil
	})
}
