package auth

import "github.com/sotay-vn/sotay/internal/apperr"

// AuditEntry is one line of the audit trail: who did what to which object,
// with the object before and after. Stores write it in the same transaction
// as the change it records, so no write goes unrecorded.
type AuditEntry struct {
	Actor      *Actor
	Action     string // e.g. "member.update", "member.read", "unit.move"
	ObjectType string
	ObjectID   int64
	UnitPath   string // where the object sits in the tree, for scoping the log
	Before     any
	After      any
}

// MemberRecordPath answers the unit path of member memberID's record when
// the actor may read it: the member themself, or whoever reads personal
// data on that unit. A missing member (unitPath answering NotFound) and one
// out of reach answer the same NotFound, key included.
func (a *Actor) MemberRecordPath(memberID int64, unitPath func() (string, error)) (string, error) {
	missing := apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", memberID)
	path, err := unitPath()
	if apperr.Is(err, apperr.NotFound) {
		return "", missing
	}
	if err != nil {
		return "", err
	}
	self := a.MemberID != 0 && a.MemberID == memberID
	if !self && !a.Can(path, ReadPersonal) {
		return "", missing
	}
	return path, nil
}

// MemberRead is the audit entry of a read of member memberID's record (at
// path), after naming what was read when it is not the record itself.
func MemberRead(a *Actor, memberID int64, path string, after any) AuditEntry {
	return AuditEntry{Actor: a, Action: "member.read", ObjectType: "member", ObjectID: memberID, UnitPath: path, After: after}
}
