package store

import (
	"context"
	"fmt"
)

// memberWritesLockKey is the pg_advisory_xact_lock key of the writes of
// members ("sotay_mw" in ASCII).
const memberWritesLockKey int64 = 0x736f7461795f6d77

// Lock levels a transaction holds on memberWritesLockKey (Tx.memberLock).
const (
	memberLockNone int8 = iota
	memberLockShared
	memberLockExclusive
)

// lockMemberWrites makes the writes of members on PostgreSQL take turns
// where they could deadlock. Every member written updates the subtree
// counters of each of its units' ancestors (members, birth months,
// birthdays: rows shared by the whole tree) in its statement's triggers,
// holding them to the commit. A transaction that writes many members (an
// import, a unit's members moved to another unit) takes such rows one
// member after another: two of them, or one of them and a single write,
// each holding a row the other wants next, deadlocked, and PostgreSQL
// failed one of them ("deadlock detected"; TestMemberImportsAtOnce: four
// of six imports failed). So a write of many members takes this lock
// exclusive, before its first member, and a write of one member takes it
// shared: writes of one member still run side by side (one statement
// each, taking the shared rows in one order), and a write of many runs
// alone. SQLite has one writer: nothing to do.
func (tx *Tx) lockMemberWrites(ctx context.Context, level int8) error {
	if tx.db.dialect != postgresDialect || tx.memberLock >= level {
		return nil
	}
	fn := "pg_advisory_xact_lock_shared"
	if level == memberLockExclusive {
		fn = "pg_advisory_xact_lock"
	}
	if _, err := tx.ExecContext(ctx, `SELECT `+fn+`($1)`, memberWritesLockKey); err != nil {
		return fmt.Errorf("lock the writes of members: %w", err)
	}
	tx.memberLock = level
	return nil
}
