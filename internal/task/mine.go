package task

import (
	"github.com/sotay-vn/sotay/internal/auth"
)

// Relation is how a task concerns the reader, for the tabs of "my tasks".
type Relation string

const (
	// Held: the reader holds the task now (CapacityOf answers AsHolder).
	Held Relation = "held"
	// Accountable: the task was assigned to a unit on which the reader
	// holds a role (the unit itself, not its subtree), or to the reader.
	Accountable Relation = "accountable"
	// Issued: the task was given in the name of a unit on which the reader
	// holds a role, or created by the reader's account.
	Issued Relation = "issued"
)

// related is how tasks must stand to the actor to be in relation rel
// (Accountable or Issued), for the store's filter (Filter.Accountable,
// Filter.IssuedBy); nil when no task can.
func related(actor *auth.Actor, rel Relation) *Related {
	if actor == nil {
		return nil
	}
	r := &Related{}
	for _, g := range actor.Grants {
		if hasRole(ViewRoles, g.Role) {
			r.UnitIDs = append(r.UnitIDs, g.UnitID)
		}
	}
	if rel == Accountable {
		r.MemberID = actor.MemberID
	} else {
		r.AccountID = actor.AccountID
	}
	if len(r.UnitIDs) == 0 && r.MemberID == 0 && r.AccountID == 0 {
		return nil
	}
	return r
}
