package task

import (
	"context"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
)

// Lists of tasks. Every list is one query of the store with a limit and a
// keyset cursor: the API (GET /api/v1/tasks) and the work pages ask the
// same List with the same ListInput, so they agree on what a list holds
// and how many tasks it counts (page.Of.Total).

// ListInput is a list request as the API receives it.
type ListInput struct {
	UnitID int64
	// State: "" or "all", open, overdue (running and past its due date),
	// or one state or several separated by commas (assigned,
	// in_progress, suspended, done).
	State string
	// Overdue: "" (any), "true" (overdue only) or "false" (not overdue).
	Overdue string
	// Holder: "" (any) or "me": the tasks the actor holds, as CapacityOf
	// counts it (its own as a member, or held by a unit where it has a
	// committee, cell officer, office or admin role).
	Holder string
	// Accountable: "" (any) or "me": the tasks assigned to a unit on which
	// the actor holds a role that sees tasks (the unit itself), or to the
	// actor's member (Relation Accountable).
	Accountable string
	// Issuer: "" (any) or "me": the tasks issued in the name of a unit on
	// which the actor holds such a role, or created by its account
	// (Relation Issued).
	Issuer string
	// Assignee: "" (any), "me", or a member id: the member holding the task.
	Assignee string
	// Order: "" or "new" (newest first), or "due" (earliest due date first).
	Order  string
	Limit  int
	Cursor string
}

// Group is one list of a work page, by name (overdue, to_accept,
// in_progress, open).
type Group struct {
	Name string
	In   ListInput
}

// RelationGroups are the lists of the tabs "accountable" and "issued" of
// "my tasks": the overdue tasks, the other open ones, each by due date,
// and those done, the latest first.
func RelationGroups(rel Relation) []Group {
	in := func(state, overdue, order string) ListInput {
		l := ListInput{State: state, Overdue: overdue, Order: order}
		if rel == Accountable {
			l.Accountable = "me"
		} else {
			l.Issuer = "me"
		}
		return l
	}
	return []Group{
		{"overdue", in("overdue", "", "due")},
		{"open", in("open", "false", "due")},
		{"done", in(string(StateDone), "", "new")},
	}
}

// MyGroups are the lists of "My tasks": the open tasks the actor holds,
// those to accept, those accepted (suspended ones included), and those
// overdue, each by due date. A task is in one list: an overdue one only
// in the last.
func MyGroups() []Group {
	return []Group{
		{"to_accept", ListInput{Holder: "me", State: string(StateAssigned), Overdue: "false", Order: "due"}},
		{"in_progress", ListInput{Holder: "me", State: string(StateInProgress) + "," + string(StateSuspended), Overdue: "false", Order: "due"}},
		{"overdue", ListInput{Holder: "me", State: "overdue", Order: "due"}},
	}
}

// BoardGroups are the lists of a committee's board: the open tasks of the
// unit's subtree, overdue ones first, then the others, each by due date.
func BoardGroups(unitID int64) []Group {
	return []Group{
		{"overdue", ListInput{UnitID: unitID, State: "overdue", Order: "due"}},
		{"open", ListInput{UnitID: unitID, State: "open", Overdue: "false", Order: "due"}},
	}
}

// GroupNamed finds a group by name.
func GroupNamed(gs []Group, name string) (Group, bool) {
	for _, g := range gs {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// List returns the tasks in the actor's reach: held, answered for or
// issued by its subtree (or, for a member, its own).
func (s *Service) List(ctx context.Context, actor *auth.Actor, in ListInput) (*page.Of[Task], error) {
	f, empty, err := s.listFilter(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	if empty || len(f.Paths) == 0 && f.MemberID == 0 && f.HeldBy == nil && f.Accountable == nil && f.IssuedBy == nil {
		return &page.Of[Task]{Items: []Task{}}, nil
	}
	page, err := s.Store.List(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		page.Items[i].Overdue = IsOverdue(&page.Items[i], f.Today)
	}
	if page.Items == nil {
		page.Items = []Task{}
	}
	return page, nil
}

// listFilter turns a list request into the store's filter. empty says the
// answer is known to be no task (a "me" the actor cannot be), so the store
// is not asked. The parts are read in a fixed order and the first mistake
// or empty answer wins, so the same request always gets the same answer.
func (s *Service) listFilter(ctx context.Context, actor *auth.Actor, in ListInput) (f Filter, empty bool, err error) {
	f = Filter{Today: s.today(), Limit: in.Limit, Cursor: in.Cursor, OrderByDue: in.Order == "due"}
	if in.Order != "" && in.Order != "new" && in.Order != "due" {
		return f, false, apperr.Keyed(apperr.Invalid, "task.unknown_order", "unknown order").With(apperr.FieldKeyed("order", "task.must_new_due", "must be new or due"))
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	if err := s.listScope(ctx, actor, in.UnitID, &f); err != nil {
		return f, false, err
	}
	if f.States, f.Overdue, err = parseStates(in.State); err != nil {
		return f, false, err
	}
	if err := parseOverdue(in.Overdue, &f); err != nil {
		return f, false, err
	}
	for _, part := range []func(*auth.Actor, ListInput, *Filter) (bool, error){holderFilter, relationFilters, assigneeFilter} {
		if empty, err := part(actor, in, &f); empty || err != nil {
			return f, empty, err
		}
	}
	return f, false, nil
}

// listScope limits the list to one unit's subtree (404 when out of the
// actor's reach, as for any unit) or else to the actor's whole reach.
func (s *Service) listScope(ctx context.Context, actor *auth.Actor, unitID int64, f *Filter) error {
	if unitID == 0 {
		f.Paths = actor.Paths(ViewRoles)
		f.MemberID = actor.MemberID
		return nil
	}
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil || !actor.Can(u.Path, ViewRoles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		return apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	f.Paths = []string{u.Path}
	return nil
}

// parseOverdue reads ListInput.Overdue: empty (either), true or false.
func parseOverdue(v string, f *Filter) error {
	switch v {
	case "":
	case "true", "1":
		f.Overdue = true
	case "false", "0":
		f.NotOverdue = true
	default:
		return apperr.Keyed(apperr.Invalid, "task.not_yes_no", "not a yes or no").With(apperr.FieldKeyed("overdue", "task.must_true_false", "must be true or false"))
	}
	return nil
}

// holderFilter reads ListInput.Holder ("me": what the actor holds). What
// the actor holds is in its reach, so without a unit the reach is dropped.
func holderFilter(actor *auth.Actor, in ListInput, f *Filter) (empty bool, err error) {
	switch in.Holder {
	case "":
	case "me":
		if f.HeldBy = heldBy(actor); f.HeldBy == nil && !actor.System {
			return true, nil
		}
		if in.UnitID == 0 && f.HeldBy != nil {
			// What the actor holds is in its reach.
			f.Paths, f.MemberID = nil, 0
		}
	default:
		return false, apperr.Keyed(apperr.Invalid, "task.unknown_holder", "unknown holder").With(apperr.FieldKeyed("holder", "task.must_me", "must be me"))
	}
	return false, nil
}

// relationFilters reads ListInput.Accountable and Issuer ("me": the tasks
// the actor answers for, or issued). The system stands in no relation.
func relationFilters(actor *auth.Actor, in ListInput, f *Filter) (empty bool, err error) {
	for _, rel := range []struct {
		field, v string
		rel      Relation
		to       **Related
	}{{"accountable", in.Accountable, Accountable, &f.Accountable}, {"issuer", in.Issuer, Issued, &f.IssuedBy}} {
		switch rel.v {
		case "":
		case "me":
			if actor.System {
				continue // the system stands in no relation: it sees everything
			}
			if *rel.to = related(actor, rel.rel); *rel.to == nil {
				return true, nil
			}
			if in.UnitID == 0 {
				// What concerns the actor is in its reach.
				f.Paths, f.MemberID = nil, 0
			}
		default:
			return false, apperr.Keyed(apperr.Invalid, "task.filter_unknown", "unknown %s", rel.field).With(apperr.FieldKeyed(rel.field, "task.must_me", "must be me"))
		}
	}
	return false, nil
}

// assigneeFilter reads ListInput.Assignee: "me" or a member id, the member
// holding the task.
func assigneeFilter(actor *auth.Actor, in ListInput, f *Filter) (empty bool, err error) {
	switch in.Assignee {
	case "":
	case "me":
		if actor.MemberID == 0 {
			return true, nil
		}
		f.HolderMemberID = actor.MemberID
	default:
		id, err := strconv.ParseInt(in.Assignee, 10, 64)
		if err != nil || id <= 0 {
			return false, apperr.Keyed(apperr.Invalid, "task.not_member_id", "not a member id").With(apperr.FieldKeyed("assignee", "task.must_me_member_id", "must be me or a member id"))
		}
		f.HolderMemberID = id
	}
	return false, nil
}

// parseStates reads ListInput.State: the states kept, and whether only
// overdue tasks are.
func parseStates(v string) ([]State, bool, error) {
	switch v {
	case "", "all":
		return nil, false, nil
	case "open":
		return []State{StateAssigned, StateInProgress, StateSuspended}, false, nil
	case "overdue":
		return []State{StateAssigned, StateInProgress}, true, nil
	}
	var out []State
	for _, p := range strings.Split(v, ",") {
		s := State(strings.TrimSpace(p))
		switch s {
		case StateAssigned, StateInProgress, StateSuspended, StateDone:
			out = append(out, s)
		default:
			return nil, false, apperr.Keyed(apperr.Invalid, "task.unknown_state", "unknown state").With(apperr.FieldKeyed("state", "task.must_open_overdue_one", "must be open, overdue, or one or more of done, assigned, in_progress, suspended separated by commas"))
		}
	}
	return out, false, nil
}

// heldBy is what the actor holds (CapacityOf's AsHolder): nil for an
// actor that holds nothing, and for the system, which holds everything.
func heldBy(actor *auth.Actor) *HeldBy {
	if actor == nil || actor.System {
		return nil
	}
	h := &HeldBy{MemberID: actor.MemberID}
	for _, g := range actor.Grants {
		if hasRole(HolderRoles, g.Role) {
			h.UnitIDs = append(h.UnitIDs, g.UnitID)
		}
	}
	if len(h.UnitIDs) == 0 && h.MemberID == 0 {
		return nil
	}
	return h
}
