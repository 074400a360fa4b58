package store

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// The member writes the random-writes tests share (the counters', the
// past-day lists'), written through the store as a request writes them.

// loadMember reads member id for a test's next write.
func loadMember(t *testing.T, db *DB, id int64) *member.Member {
	t.Helper()
	m, _, err := Members{db}.Member(context.Background(), id)
	if err != nil {
		t.Fatalf("member %d: %v", id, err)
	}
	return m
}

// transferMember writes m's official transfer to cell to on the day next
// gives (asked only when there is a transfer to write); false when m is
// already there.
func transferMember(t *testing.T, db *DB, m *member.Member, to int64, next func() date.Date, a auth.AuditEntry) bool {
	t.Helper()
	if to == m.UnitID {
		return false
	}
	ev := member.Event{Kind: "transfer_official", FromUnitID: m.UnitID, ToUnitID: to, EffectiveOn: next()}
	m.UnitID = to
	if err := (Members{db}).Transfer(context.Background(), m, m.Version, ev, a); err != nil {
		t.Fatalf("transfer: %v", err)
	}
	return true
}

// changeMemberStatus writes m's change to status to on the day next gives
// (asked only when there is a change to write); false when m has it.
func changeMemberStatus(t *testing.T, db *DB, m *member.Member, to member.Status, next func() date.Date, a auth.AuditEntry) bool {
	t.Helper()
	if to == m.Status {
		return false
	}
	ev := member.Event{Kind: "status", FromStatus: m.Status, ToStatus: to, EffectiveOn: next()}
	m.Status = to
	if err := (Members{db}).ChangeStatus(context.Background(), m, m.Version, ev, a); err != nil {
		t.Fatalf("status: %v", err)
	}
	return true
}

// mergeCellIntoNext merges cells[i] into the cell after it (the first
// after the last) on day, its members moved set-based, and returns cells
// without it.
func mergeCellIntoNext(t *testing.T, db *DB, cells []*org.Unit, i int, day date.Date, a auth.AuditEntry) []*org.Unit {
	t.Helper()
	from, into := cells[i], cells[(i+1)%len(cells)]
	if err := (Units{db}).Merge(context.Background(), []int64{from.ID}, into.ID, day, a); err != nil {
		t.Fatalf("merge: %v", err)
	}
	return append(cells[:i], cells[i+1:]...)
}
