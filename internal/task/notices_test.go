package task

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// noticeAccount is an account of the fake tree (reachStore): its roles'
// unit and role (0: none) and its member.
type noticeAccount struct {
	unit   int64
	role   auth.Role
	member int64
}

// noticeAccounts: the officers of the district (1), of commune A (2,
// account 201 is its head 21), of commune B (3), of cells A1 (4, account
// 401 is its head 10) and A2 (5), and two plain members' accounts (11 in
// A2, 12 in B1).
var noticeAccounts = map[int64]noticeAccount{
	101: {1, auth.RoleCommittee, 0}, 102: {1, auth.RoleOffice, 0},
	201: {2, auth.RoleCommittee, 21}, 203: {2, auth.RoleStandingCommittee, 0},
	301: {3, auth.RoleCommittee, 0},
	401: {4, auth.RoleCellOfficer, 10}, 501: {5, auth.RoleCellOfficer, 0},
	411: {0, "", 11}, 412: {0, "", 12},
}

func (f *reachStore) HandoverAccounts(ctx context.Context, a Audience) (map[int64][]int64, map[int64][]int64, error) {
	byUnit, byMember := map[int64][]int64{}, map[int64][]int64{}
	for id, ac := range noticeAccounts {
		if ac.role != "" && slices.Contains(a.UnitIDs, ac.unit) && slices.Contains(a.Roles, ac.role) {
			byUnit[ac.unit] = append(byUnit[ac.unit], id)
		}
		if ac.member != 0 && slices.Contains(a.MemberIDs, ac.member) {
			byMember[ac.member] = append(byMember[ac.member], id)
		}
	}
	return byUnit, byMember, nil
}

// accountActor is the actor of an account of noticeAccounts.
func accountActor(f *reachStore, id int64) *auth.Actor {
	ac := noticeAccounts[id]
	a := &auth.Actor{AccountID: id, Username: fmt.Sprint(id), MemberID: ac.member}
	if ac.role != "" {
		a.Grants = []auth.Grant{{UnitID: ac.unit, UnitPath: f.units[ac.unit].Path, Role: ac.role}}
	}
	return a
}

type noticeLog []Notice

func (l *noticeLog) TaskNotices(ctx context.Context, ns []Notice) error {
	*l = append(*l, ns...)
	return nil
}

// summary reads a notice as "kind task accounts".
func (l noticeLog) summary() []string {
	var out []string
	for _, n := range l {
		ids := make([]string, len(n.AccountIDs))
		for i, id := range n.AccountIDs {
			ids[i] = fmt.Sprint(id)
		}
		out = append(out, n.Kind+" "+n.Link+" "+strings.Join(ids, ","))
	}
	return out
}

// TestHandoverNotices: who is told of each hand-over. The new holder (the
// officers on the receiving unit and its head's accounts, or the member
// named), and on a return or an escalation the issuer (the creating
// account, or the issuing unit's officers); never the actor, nobody
// twice, never the members of a unit.
func TestHandoverNotices(t *testing.T) {
	ctx := context.Background()
	due := date.MustParse("2026-12-01")
	tests := []struct {
		name string
		// A step on task 1, issued by unit issuer (created by account
		// creator, 0: the system) and held by unit holder; or a creation.
		issuer, holder, creator int64
		actor                   int64
		step                    *StepInput
		create                  *CreateInput
		want                    []string
	}{
		{name: "assign to a commune", actor: 101, create: &CreateInput{Title: "Việc", UnitID: 2, DueOn: due},
			want: []string{"task_assigned /cong-viec/900 201,203"}},
		{name: "fan-out tells the officers of each unit, not their members", actor: 102, create: &CreateInput{Title: "Việc", UnitID: 1, DueOn: due, FanOut: true},
			want: []string{"task_assigned /cong-viec/900 201,203", "task_assigned /cong-viec/901 301"}},
		{name: "assign to a member", actor: 201, create: &CreateInput{Title: "Việc", UnitID: 5, DueOn: due, AssigneeID: ptr[int64](11)},
			want: []string{"task_assigned /cong-viec/900 411"}},
		{name: "the actor is not told", actor: 201, create: &CreateInput{Title: "Việc", UnitID: 2, DueOn: due},
			want: []string{"task_assigned /cong-viec/900 203"}},
		{name: "forward to a cell", issuer: 2, holder: 4, creator: 201, actor: 401, step: &StepInput{Action: ActForward, ToUnitID: ptr[int64](5)},
			want: []string{"task_assigned /cong-viec/1 501"}},
		{name: "forward to a member: the member alone", issuer: 2, holder: 4, creator: 201, actor: 401, step: &StepInput{Action: ActForward, ToMemberID: ptr[int64](11)},
			want: []string{"task_assigned /cong-viec/1 411"}},
		{name: "return to the issuer: told once", issuer: 2, holder: 4, creator: 203, actor: 401, step: &StepInput{Action: ActReturn, Note: "không thuộc thẩm quyền"},
			want: []string{"task_assigned /cong-viec/1 201,203"}},
		{name: "escalate: the unit above and the issuer", issuer: 1, holder: 4, creator: 102, actor: 401, step: &StepInput{Action: ActEscalate, Note: "xin ý kiến"},
			want: []string{"task_assigned /cong-viec/1 201,203", "task_handed_back /cong-viec/1 102"}},
		{name: "escalate a task of the system: the issuing unit's officers", issuer: 1, holder: 4, actor: 401, step: &StepInput{Action: ActEscalate, Note: "xin ý kiến"},
			want: []string{"task_assigned /cong-viec/1 201,203", "task_handed_back /cong-viec/1 101,102"}},
		{name: "accept: nobody", issuer: 2, holder: 4, creator: 201, actor: 401, step: &StepInput{Action: ActAccept}},
		{name: "report: nobody", issuer: 2, holder: 4, creator: 201, actor: 401, step: &StepInput{Action: ActReport, Percent: ptr(50)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReachStore()
			s := reachService(f)
			var log noticeLog
			s.Notifier = &log
			actor := accountActor(f, tt.actor)
			var err error
			if tt.create != nil {
				_, err = s.Create(ctx, actor, *tt.create)
			} else {
				tk := &Task{ID: 1, Title: "Việc"}
				if tt.step.Action == ActAccept {
					tk.State = StateAssigned
				}
				if tt.creator != 0 {
					tk.CreatedBy = ptr(tt.creator)
				}
				f.held(tk, tt.issuer, tt.holder)
				_, err = s.Step(ctx, actor, 1, *tt.step)
			}
			if err != nil {
				t.Fatalf("got %v, want the step recorded", err)
			}
			if diff := cmp.Diff(tt.want, log.summary()); diff != "" {
				t.Errorf("notices (-want +got):\n%s", diff)
			}
			for _, n := range log {
				if !strings.Contains(n.Title, "Việc") || strings.Contains(n.Title+n.Body, "Đảng bộ") || strings.Contains(n.Title+n.Body, "Chi bộ") {
					t.Errorf("got the notice %q %q, want the task's title and no unit's name", n.Title, n.Body)
				}
			}
		})
	}
}

func (f *reachStore) ChildUnits(ctx context.Context, parentID int64) ([]UnitRef, error) {
	var out []UnitRef
	for id := int64(1); id <= 8; id++ {
		if u := f.units[id]; u.ParentID != nil && *u.ParentID == parentID {
			out = append(out, *u)
		}
	}
	return out, nil
}
