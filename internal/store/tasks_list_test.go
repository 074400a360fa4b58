package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
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
		f.at("2026-11-10")
		today := date.MustParse("2026-11-10")

		// The rules in Go, over every task.
		var all []task.Task
		for _, id := range ids {
			tk, err := db.Task(ctx, id)
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
			page, err := f.svc.List(ctx, actor, g.In)
			if err != nil {
				t.Fatal(err)
			}
			got := []int64{}
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			w := want(keep)
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("%s of %s (-want +got):\n%s", g.Name, actor.Username, diff)
			}
			if page.Total != len(w) {
				t.Errorf("%s of %s: total %d, want %d", g.Name, actor.Username, page.Total, len(w))
			}
			// One at a time, by cursor.
			paged := []int64{}
			in := g.In
			in.Limit = 1
			for n := 0; n <= len(w); n++ {
				p, err := f.svc.List(ctx, actor, in)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range p.Items {
					paged = append(paged, it.ID)
				}
				if p.Total != len(w) {
					t.Errorf("%s of %s, page %d: total %d, want %d", g.Name, actor.Username, n, p.Total, len(w))
				}
				if p.NextCursor == nil {
					break
				}
				in.Cursor = *p.NextCursor
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
