package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// What a broken audit chain shows.
const (
	AuditAltered   = "altered"   // an entry's contents (or its hash) were changed
	AuditRemoved   = "removed"   // an entry is missing
	AuditReordered = "reordered" // an entry is out of its place in the chain
)

// AuditProblem is the first break in the audit chain.
type AuditProblem struct {
	Kind string // AuditAltered, AuditRemoved or AuditReordered
	// Seq is the entry's place in the chain (for a removed entry, the
	// first missing place).
	Seq int64
	// ID is the entry's row id, 0 when the entry is gone.
	ID     int64
	Detail string // one sentence naming the entry and what is wrong
}

func (p *AuditProblem) String() string { return p.Detail }

// VerifyResult is what VerifyAudit found.
type VerifyResult struct {
	// Entries is the number of entries checked and found intact: all of
	// them when Problem is nil, those before the break otherwise.
	Entries int64
	// LastSeq and LastHash are the end of the intact chain. Someone who can
	// write to the database can rewrite the log's tail consistently; keep
	// them elsewhere to notice that (a later LastHash at this LastSeq must
	// be the same).
	LastSeq  int64
	LastHash string
	Problem  *AuditProblem // nil when the chain is intact
	// Pending is the number of entries committed but not linked yet (on
	// PostgreSQL, see auditchain.go), and OldestPending when the oldest
	// of them was written (zero when none). They are not a break: they
	// are linked by the next pass of any process's chainer. Many, or an
	// old one, mean no process is running one (see `sotay audit verify
	// --max-pending`).
	Pending       int64
	OldestPending time.Time
}

// OK reports whether the chain is intact.
func (r VerifyResult) OK() bool { return r.Problem == nil }

// VerifyAudit walks the audit chain in seq order, one row at a time, and
// reports the first entry that was altered, removed or reordered, and the
// entries still pending (not linked yet) apart. It does not link pending
// entries (ChainAudit does): it reports the log as it is. Entries from
// before the chain existed are hashed first (see chainLegacy), so
// verifying right after the upgrade covers them from then on.
//
// Every entry must carry seq = the previous seq + 1 (starting at 1),
// prev_hash = the previous entry's hash ("" for the first) and hash =
// computeHash of its own contents. At the first entry that does not, a few
// look-ups tell what happened: an entry changed in place, an entry taken
// out, or entries swapped.
func (db *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	var res VerifyResult
	if err := db.chainLegacyAudit(ctx); err != nil {
		return res, err
	}
	err := db.snapshot(ctx, func(q Querier) error {
		var prev *auditRow // last entry found intact
		var bad *auditRow  // first entry that does not fit
		rows, err := q.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > 0 ORDER BY seq`)
		if err != nil {
			return err
		}
		var cur, last auditRow
		for rows.Next() {
			if err := scanAuditRow(rows, &cur); err != nil {
				rows.Close()
				return err
			}
			if cur.Seq != res.LastSeq+1 || cur.PrevHash != res.LastHash || cur.computeHash() != cur.Hash {
				bad = &cur
				break
			}
			last = cur
			prev = &last
			res.Entries++
			res.LastSeq, res.LastHash = cur.Seq, cur.Hash
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if bad != nil {
			// The rows are closed: PostgreSQL runs one query at a time
			// per connection, and the look-ups share the snapshot.
			if res.Problem, err = diagnose(ctx, q, prev, bad); err != nil {
				return err
			}
		}
		res.Pending, res.OldestPending, err = pendingAudit(ctx, q)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("verify the audit log: %w", err)
	}
	return res, nil
}

// diagnose names what broke the chain at r, the first entry that does not
// follow prev (nil when r is the first entry).
func diagnose(ctx context.Context, q Querier, prev, r *auditRow) (*AuditProblem, error) {
	wantSeq, wantPrev := int64(1), ""
	after := "the start of the log"
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
		after = fmt.Sprintf("seq %d (id %d)", prev.Seq, prev.ID)
	}
	intact := r.computeHash() == r.Hash

	// The entry that really comes next names itself: its prev_hash is the
	// last intact hash. If it is not at wantSeq but would hash correctly
	// there, it was moved.
	next, err := auditRowWhere(ctx, q, `seq > 0 AND prev_hash = $1 AND seq <> $2`, wantPrev, wantSeq)
	if err != nil {
		return nil, err
	}
	if p := movedProblem(r, next, wantSeq, after); p != nil {
		return p, nil
	}
	if p := seqProblem(prev, r, wantSeq, wantPrev, after); p != nil {
		return p, nil
	}

	// The link to the previous entry is broken and seq has no gap.
	if next != nil {
		// Another entry follows the previous one: r does not belong here.
		return &AuditProblem{Kind: AuditReordered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
			"audit entry seq %d (id %d) is out of order: the entry that follows %s is id %d, at seq %d",
			r.Seq, r.ID, after, next.ID, next.Seq)}, nil
	}
	if intact && prev != nil {
		// r is as it was written, so the entry before it changed and was
		// given a new hash that r does not know.
		return &AuditProblem{Kind: AuditAltered, Seq: prev.Seq, ID: prev.ID, Detail: fmt.Sprintf(
			"audit entry seq %d (id %d) was altered: its hash was recomputed, but seq %d (id %d) still links to the old one",
			prev.Seq, prev.ID, r.Seq, r.ID)}, nil
	}
	relinked := *r
	relinked.PrevHash = wantPrev
	if !intact && relinked.computeHash() == r.Hash {
		return &AuditProblem{Kind: AuditAltered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
			"audit entry seq %d (id %d) was altered: its link to %s was changed", r.Seq, r.ID, after)}, nil
	}
	// r links to an entry that is not the previous one: if that entry is
	// gone, entries were removed and the rest renumbered.
	linked, err := auditRowWhere(ctx, q, `seq > 0 AND hash = $1 AND seq <> $2`, r.PrevHash, r.Seq)
	if err != nil {
		return nil, err
	}
	if linked == nil {
		return &AuditProblem{Kind: AuditRemoved, Seq: wantSeq, Detail: fmt.Sprintf(
			"audit entry seq %d was removed and the entries after it renumbered: seq %d (id %d) links to an entry that is no longer in the log",
			wantSeq, r.Seq, r.ID)}, nil
	}
	return &AuditProblem{Kind: AuditReordered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
		"audit entry seq %d (id %d) is out of order: it follows seq %d (id %d), not %s",
		r.Seq, r.ID, linked.Seq, linked.ID, after)}, nil
}

// movedProblem names the entry that really comes next (next, whose
// prev_hash is the last intact hash) when it is not at wantSeq but would
// hash correctly there: it was moved; nil otherwise.
func movedProblem(r, next *auditRow, wantSeq int64, after string) *AuditProblem {
	if next != nil && next.Seq > wantSeq {
		moved := *next
		moved.Seq = wantSeq
		if moved.computeHash() == next.Hash {
			switch {
			case next.ID == r.ID:
				return &AuditProblem{Kind: AuditAltered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
					"audit entry seq %d (id %d) was altered: its seq was changed from %d", r.Seq, r.ID, wantSeq)}
			case r.Seq == wantSeq:
				return &AuditProblem{Kind: AuditReordered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
					"audit entry seq %d (id %d) is out of order: the entry that belongs at seq %d, after %s, is id %d, now at seq %d",
					r.Seq, r.ID, wantSeq, after, next.ID, next.Seq)}
			default:
				return &AuditProblem{Kind: AuditReordered, Seq: next.Seq, ID: next.ID, Detail: fmt.Sprintf(
					"audit entry seq %d (id %d) is out of order: it belongs at seq %d, after %s",
					next.Seq, next.ID, wantSeq, after)}
			}
		}
	}
	return nil
}

// seqProblem names a gap or a repeat in seq at r, or r altered in place
// (its link is right but not its hash); nil otherwise.
func seqProblem(prev, r *auditRow, wantSeq int64, wantPrev, after string) *AuditProblem {
	switch {
	case r.Seq < wantSeq:
		return &AuditProblem{Kind: AuditAltered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
			"audit entry seq %d (id %d) was altered: its seq repeats %s", r.Seq, r.ID, after)}
	case r.Seq > wantSeq:
		what := fmt.Sprintf("audit entry seq %d was", wantSeq)
		if r.Seq > wantSeq+1 {
			what = fmt.Sprintf("audit entries seq %d to %d were", wantSeq, r.Seq-1)
		}
		gap := fmt.Sprintf("the log goes from %s to seq %d (id %d)", after, r.Seq, r.ID)
		if prev == nil {
			gap = fmt.Sprintf("the log starts at seq %d (id %d)", r.Seq, r.ID)
		}
		return &AuditProblem{Kind: AuditRemoved, Seq: wantSeq, Detail: what + " removed: " + gap}
	case r.PrevHash == wantPrev:
		return &AuditProblem{Kind: AuditAltered, Seq: r.Seq, ID: r.ID, Detail: fmt.Sprintf(
			"audit entry seq %d (id %d) was altered: its contents do not match its hash", r.Seq, r.ID)}
	}
	return nil
}

// snapshot runs fn on the reader pool in one snapshot: on PostgreSQL a
// read-only REPEATABLE READ transaction, so that the walk, its look-ups
// and the count of pending entries see the same log while chainers run.
func (db *DB) snapshot(ctx context.Context, fn func(q Querier) error) error {
	if db.dialect != postgresDialect {
		return db.Read(ctx, fn)
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// auditRowWhere returns the first entry (by seq) matching cond, or nil.
// These look-ups scan the table; they run only on a broken chain.
func auditRowWhere(ctx context.Context, q Querier, cond string, args ...any) (*auditRow, error) {
	var r auditRow
	err := scanAuditRow(q.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+cond+` ORDER BY seq LIMIT 1`, args...), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}
