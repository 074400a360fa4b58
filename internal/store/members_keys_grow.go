package store

import (
	"context"
	"fmt"
	"log/slog"
)

// The keys of the name search switch on when a database grows past
// memberKeysFrom members through ordinary writes (an import, a member
// created: insertMember), not only through the bulk loader, the migration
// or `check counters --fix`.
//
// The trigger point costs an ordinary write nothing: a new member's id is
// above every id already there (PostgreSQL's sequence, set past the loaded
// ids by the bulk loader and by a restore; SQLite's largest rowid + 1), and
// ids are positive and unique, so the members are at most the new id: an
// insert whose id is at most the threshold cannot have crossed it, and a
// database known to keep the keys (DB.keysKept) is not asked again. Only a write that got an
// id above the threshold while the keys are off asks, after its commit:
// the flag and a count bounded at the threshold+1.
//
// The switch-on is a transaction of its own after the write's commit, not
// part of it: on PostgreSQL it must see every member committed by the
// writers running beside it (their triggers saw the flag off and wrote no
// keys), so it first takes LOCK members, units IN SHARE ROW EXCLUSIVE MODE,
// which waits for them and keeps new ones out until it commits; the write
// that crossed already holds ROW EXCLUSIVE on members, and two crossing
// imports asking for that lock inside their own transactions would
// deadlock. The lock conflicts with itself: two switch-ons run one after
// the other, and the second finds the flag set and writes nothing
// (keepMemberKeysIfBig asks again under the lock, in READ COMMITTED: a
// fresh snapshot). The flag and the keys are written in that one
// transaction: both or neither. It runs in the request that crossed, after
// its commit, not in a background job: it happens once in a database's
// life, and costs that request about 0.3 s of CPU at 10,000 members on
// either engine (0.3-0.6 s of wall time; 100,000 members loaded by one
// import into a small database: 4-6 s, against that import's own minutes;
// docs/benchmarks.md, r22-keys); a job would add a queue, a handler and a
// window where the database is big and the keys are off, for a cost the
// user sees once. The lock holds the writers of members and units for
// that time. If it fails (or the process stops between the commits), the
// write stays saved, the failure is logged, the search goes the old way,
// and the next member inserted with an id above the threshold tries again;
// `check counters` reports the flag missing meanwhile.

// keysFrom is the number of members above which the database keeps the
// keys: memberKeysFrom, or a test's lower number on its own database.
func (db *DB) keysFrom() int {
	if db.memberKeysFrom > 0 {
		return db.memberKeysFrom
	}
	return memberKeysFrom
}

// noteMemberID is told the id of each member the transaction inserts: the
// first id above the threshold, while the database is not known to keep
// the keys, makes the commit try the switch-on.
func (tx *Tx) noteMemberID(ctx context.Context, id int64) {
	db := tx.db
	if id <= int64(db.keysFrom()) || tx.growsKeys || db.keysKept.Load() {
		return
	}
	tx.growsKeys = true
	ctx = context.WithoutCancel(ctx) // the write is saved: finish the switch-on
	tx.afterCommit = append(tx.afterCommit, func() {
		if err := db.keepKeysAfterGrowth(ctx); err != nil {
			slog.Default().Warn("member keys: switch-on after growth failed; the next member insert tries again", "err", err)
		}
	})
}

// keepKeysAfterGrowth makes the database keep the keys if it has more
// than keysFrom members and does not yet: asked first without the lock
// (a database with gaps in its ids may be under the threshold), then
// again under it.
func (db *DB) keepKeysAfterGrowth(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		wanted, on, err := keysWanted(ctx, tx, db.keysFrom())
		if err != nil {
			return fmt.Errorf("member keys after growth: %w", err)
		}
		if on {
			tx.afterCommit = append(tx.afterCommit, func() { db.keysKept.Store(true) })
		}
		if !wanted || on {
			return nil
		}
		if db.dialect == postgresDialect {
			if _, err := tx.ExecContext(ctx, `LOCK TABLE members, units IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("member keys after growth: lock: %w", err)
			}
		}
		return tx.keepMemberKeysIfBig(ctx)
	})
}
