package task

import (
	"context"

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

// MaxMine bounds each tab of "my tasks".
const MaxMine = 500

// Concerns reports whether the task stands to the actor in relation rel.
func Concerns(actor *auth.Actor, t *Task, rel Relation) bool {
	if actor == nil {
		return false
	}
	switch rel {
	case Held:
		return CapacityOf(actor, t)&AsHolder != 0
	case Accountable:
		if actor.MemberID != 0 && t.AccountableMemberID != nil && *t.AccountableMemberID == actor.MemberID {
			return true
		}
		return onUnit(actor, t.UnitPath)
	case Issued:
		if actor.AccountID != 0 && t.CreatedBy != nil && *t.CreatedBy == actor.AccountID {
			return true
		}
		return onUnit(actor, t.IssuerPath)
	}
	return false
}

// onUnit: the actor holds a role that sees tasks on the unit at path itself.
func onUnit(actor *auth.Actor, path string) bool {
	for _, g := range actor.Grants {
		if g.UnitPath == path && hasRole(ViewRoles, g.Role) {
			return true
		}
	}
	return false
}

// Mine lists the tasks in the actor's reach that stand to it in relation
// rel, in state (as List takes it: "", open, overdue, done or one state),
// earliest due first. It reads the reach with List and keeps the tasks
// that concern the actor, at most MaxMine of the reach.
//
// TODO(i9-tasks): once List filters by relation in SQL, ask it directly.
func (s *Service) Mine(ctx context.Context, actor *auth.Actor, rel Relation, state string) ([]Task, error) {
	page, err := s.List(ctx, actor, ListInput{State: state, Order: "due", Limit: MaxMine})
	if err != nil {
		return nil, err
	}
	out := []Task{}
	for _, t := range page.Items {
		if Concerns(actor, &t, rel) {
			out = append(out, t)
		}
	}
	return out, nil
}
