package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// TestTaskGroupsInSQL: the lists of "My tasks" and of a committee's board,
// each one query, hold exactly the tasks the rules in Go pick (CapacityOf's
// AsHolder, IsOverdue and the state), with the right total, and page
// through them by cursor without losing or repeating one, on both engines.
func TestTaskGroupsInSQL(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		note := func(a task.Action) task.StepInput { return task.StepInput{Action: a, Note: "ghi chú"} }
		cellA := actorOn(5, "cell", f.cellA, auth.RoleCellOfficer)
		cellA.MemberID = f.headA.ID // the head of commune A, a member of cell A
		memberC := &auth.Actor{AccountID: 6, Username: "cuc", MemberID: f.headC.ID}

		// Monday 2 November 2026.
		ids := []int64{
			f.create(t, f.a, "Chờ tiếp nhận", "2026-11-30"),
			f.create(t, f.a, "Đang làm", "2026-11-30"),
			f.create(t, f.a, "Quá hạn, chưa nhận", "2026-11-04"),
			f.create(t, f.b, "Của xã B", "2026-11-30"),
			f.create(t, f.cellA, "Của chi bộ", "2026-11-05"),
			f.create(t, f.c, "Tạm dừng", "2026-11-04"),
			f.create(t, f.a, "Xong", "2026-11-30"),
			f.create(t, f.c, "Chuyển sang B", "2026-11-30"),
		}
		f.step(t, f.comA, ids[1], task.StepInput{Action: task.ActAccept})
		f.step(t, cellA, ids[4], task.StepInput{Action: task.ActAccept})
		f.step(t, f.office, ids[5], note(task.ActSuspend))
		f.step(t, f.comA, ids[6], task.StepInput{Action: task.ActAccept})
		f.step(t, f.comA, ids[6], task.StepInput{Action: task.ActComplete})
		f.step(t, f.comC, ids[7], task.StepInput{Action: task.ActForward, ToUnitID: &f.b.ID, Note: "chuyển"})
		g, err := f.svc.Create(ctx, f.office, task.CreateInput{Title: "Chia cho các xã", UnitID: f.district.ID, DueOn: date.MustParse("2026-11-04"), FanOut: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
		for _, k := range g.SubTasks {
			ids = append(ids, k.ID)
		}
		// Commune A gives work to its cell: issued by A, not by the district.
		for i, due := range []string{"2026-11-06", "2026-11-30"} {
			d, err := f.svc.Create(ctx, f.comA, task.CreateInput{Title: fmt.Sprintf("Xã A giao chi bộ %d", i), UnitID: f.cellA.ID, DueOn: date.MustParse(due)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		f.step(t, cellA, ids[len(ids)-1], task.StepInput{Action: task.ActAccept})
		f.step(t, cellA, ids[len(ids)-1], task.StepInput{Action: task.ActComplete})
		f.at("2026-11-10")
		today := date.MustParse("2026-11-10")

		// The rules in Go, over every task.
		var all []task.Task
		for _, id := range ids {
			tk, err := Tasks{db}.Task(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, *tk)
		}
		inGroup := map[string]func(tk *task.Task) bool{
			"overdue":   func(tk *task.Task) bool { return task.IsOverdue(tk, today) },
			"to_accept": func(tk *task.Task) bool { return !task.IsOverdue(tk, today) && tk.State == task.StateAssigned },
			"in_progress": func(tk *task.Task) bool {
				return !task.IsOverdue(tk, today) && slices.Contains([]task.State{task.StateInProgress, task.StateSuspended}, tk.State)
			},
			"open": func(tk *task.Task) bool { return !task.IsOverdue(tk, today) && tk.State.Open() },
			"done": func(tk *task.Task) bool { return tk.State == task.StateDone },
		}
		// want is by due date, then id, as the lists are.
		want := func(keep func(tk *task.Task) bool) []int64 {
			var ts []task.Task
			for _, tk := range all {
				if keep(&tk) {
					ts = append(ts, tk)
				}
			}
			slices.SortFunc(ts, func(a, b task.Task) int {
				switch {
				case a.DueOn.Before(b.DueOn):
					return -1
				case a.DueOn.After(b.DueOn):
					return 1
				}
				return int(a.ID - b.ID)
			})
			out := []int64{}
			for _, tk := range ts {
				out = append(out, tk.ID)
			}
			return out
		}
		check := func(t *testing.T, actor *auth.Actor, g task.Group, keep func(tk *task.Task) bool) {
			t.Helper()
			first, err := f.svc.List(ctx, actor, g.In)
			if err != nil {
				t.Fatal(err)
			}
			got := []int64{}
			for _, it := range first.Items {
				got = append(got, it.ID)
			}
			w := want(keep)
			if g.In.Order == "new" {
				slices.Sort(w)
				slices.Reverse(w)
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("%s of %s (-want +got):\n%s", g.Name, actor.Username, diff)
			}
			if first.Total != len(w) {
				t.Errorf("%s of %s: total %d, want %d", g.Name, actor.Username, first.Total, len(w))
			}
			// One at a time, by cursor.
			in := g.In
			in.Limit = 1
			paged, totals := pagedIDs(t, func(cursor string) (*page.Of[task.Task], error) {
				in.Cursor = cursor
				return f.svc.List(ctx, actor, in)
			}, taskID)
			for n, total := range totals {
				if total != len(w) {
					t.Errorf("%s of %s, page %d: total %d, want %d", g.Name, actor.Username, n, total, len(w))
				}
			}
			if paged == nil {
				paged = []int64{}
			}
			if diff := cmp.Diff(w, paged); diff != "" {
				t.Errorf("%s of %s, paged (-want +got):\n%s", g.Name, actor.Username, diff)
			}
		}
		nonEmpty := 0
		for _, actor := range []*auth.Actor{f.office, f.comA, f.comB, f.comC, cellA, memberC} {
			for _, g := range task.MyGroups() {
				t.Run(fmt.Sprintf("%s %s", actor.Username, g.Name), func(t *testing.T) {
					holds := func(tk *task.Task) bool {
						return task.CapacityOf(actor, tk)&task.AsHolder != 0 && inGroup[g.Name](tk)
					}
					if len(want(holds)) > 0 {
						nonEmpty++
					}
					check(t, actor, g, holds)
				})
			}
		}
		if nonEmpty < 8 {
			t.Errorf("only %d of the lists checked hold a task: the fixture does not exercise them", nonEmpty)
		}
		// The tabs "accountable" and "issued", against the relation told in
		// Go: a role on the accountable (issuing) unit itself, or the
		// actor's member accountable (account the creator).
		onUnit := func(actor *auth.Actor, unit int64) bool {
			for _, g := range actor.Grants {
				if g.UnitID == unit && slices.Contains(task.ViewRoles, g.Role) {
					return true
				}
			}
			return false
		}
		relations := map[task.Relation]func(actor *auth.Actor, tk *task.Task) bool{
			task.Accountable: func(actor *auth.Actor, tk *task.Task) bool {
				return onUnit(actor, tk.UnitID) || actor.MemberID != 0 && tk.AccountableMemberID != nil && *tk.AccountableMemberID == actor.MemberID
			},
			task.Issued: func(actor *auth.Actor, tk *task.Task) bool {
				return onUnit(actor, tk.IssuerUnitID) || tk.CreatedBy != nil && *tk.CreatedBy == actor.AccountID
			},
		}
		nonEmpty = 0
		for rel, concerns := range relations {
			for _, actor := range []*auth.Actor{f.office, f.comA, f.comB, f.comC, cellA, memberC} {
				for _, g := range task.RelationGroups(rel) {
					t.Run(fmt.Sprintf("%s %s %s", rel, actor.Username, g.Name), func(t *testing.T) {
						keep := func(tk *task.Task) bool { return concerns(actor, tk) && inGroup[g.Name](tk) }
						if len(want(keep)) > 0 {
							nonEmpty++
						}
						check(t, actor, g, keep)
					})
				}
			}
		}
		if nonEmpty < 12 {
			t.Errorf("only %d of the relation lists checked hold a task: the fixture does not exercise them", nonEmpty)
		}
		for _, g := range task.BoardGroups(f.district.ID) {
			t.Run("board "+g.Name, func(t *testing.T) { check(t, f.office, g, inGroup[g.Name]) })
		}
		for _, g := range task.BoardGroups(f.a.ID) {
			t.Run("board of A "+g.Name, func(t *testing.T) {
				check(t, f.comA, g, func(tk *task.Task) bool {
					return inGroup[g.Name](tk) && (tk.HolderUnitID == f.a.ID || tk.UnitID == f.a.ID || tk.HolderUnitID == f.cellA.ID || tk.UnitID == f.cellA.ID)
				})
			})
		}
	})
}

// TestHandoverAccounts: the accounts told of a hand-over are those with
// one of the roles on the unit itself (not above, not below, not with
// another role, not disabled) and those linked to the member, on both
// engines.
func TestHandoverAccounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "grassroots HN.1.A", "cell HN.1.A.1")
		d, a, cell := u["HN.1"], u["HN.1.A"], u["HN.1.A.1"]
		head := mustMember(t, db, cell, "Lê Văn Dũng", "01000001")
		other := mustMember(t, db, cell, "Lê Thị Hoa", "01000002")
		ids := map[string]int64{}
		mk := func(name string, member *int64, gs ...auth.Grant) {
			t.Helper()
			acc := &auth.Account{Username: name, MemberID: member, Roles: gs}
			if err := (Accounts{db}).Create(ctx, acc, "x", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
				t.Fatal(err)
			}
			ids[name] = acc.ID
		}
		mk("a.committee", nil, auth.Grant{UnitID: a.ID, Role: auth.RoleCommittee})
		mk("a.office", nil, auth.Grant{UnitID: a.ID, Role: auth.RoleOffice})
		mk("a.member", nil, auth.Grant{UnitID: a.ID, Role: auth.RoleMember})
		mk("a.disabled", nil, auth.Grant{UnitID: a.ID, Role: auth.RoleCommittee})
		mk("d.committee", nil, auth.Grant{UnitID: d.ID, Role: auth.RoleCommittee})
		mk("cell.officer", &head.ID, auth.Grant{UnitID: cell.ID, Role: auth.RoleCellOfficer})
		mk("head.plain", &head.ID)
		mk("other.plain", &other.ID)
		if _, err := db.write.ExecContext(ctx, `UPDATE accounts SET disabled = $1 WHERE id = $2`, true, ids["a.disabled"]); err != nil {
			t.Fatal(err)
		}
		byUnit, byMember, err := Tasks{db}.HandoverAccounts(ctx, task.Audience{UnitIDs: []int64{a.ID, cell.ID}, Roles: task.HolderRoles, MemberIDs: []int64{head.ID}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][]int64{a.ID: {ids["a.committee"], ids["a.office"]}, cell.ID: {ids["cell.officer"]}}
		if diff := cmp.Diff(want, byUnit); diff != "" {
			t.Errorf("by unit (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[int64][]int64{head.ID: {ids["cell.officer"], ids["head.plain"]}}, byMember); diff != "" {
			t.Errorf("by member (-want +got):\n%s", diff)
		}
	})
}
