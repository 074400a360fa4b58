package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// TestTaskListPagesAcrossKeys: a list read through several keys (two
// subtrees and a member) pages through every task in reach once, in the
// list's order, pages of two at a time, with the same total on each page;
// a unit moved to another parent brings its tasks into the new parent's
// reach and out of the old one's (issue 17: task_scopes kept by the
// writes).
func TestTaskListPagesAcrossKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		var all []int64
		for _, c := range []struct {
			unit  int
			due   string
			title string
		}{{0, "2026-11-30", "A1"}, {1, "2026-11-10", "B1"}, {2, "2026-11-20", "C1"}, {3, "2026-11-10", "cell A"}, {0, "2026-11-10", "A2"}, {2, "2026-12-01", "C2"}} {
			unit := [...]*org.Unit{f.a, f.b, f.c, f.cellA}[c.unit]
			all = append(all, f.create(t, unit, c.title, c.due))
		}
		// The commune A's subtree and the commune C's, and cell A's head as a member.
		filter := task.Filter{Paths: []string{f.a.Path, f.c.Path}, MemberID: f.headA.ID, Today: date.MustParse("2026-11-02"), Limit: 2}
		for _, byDue := range []bool{false, true} {
			filter.OrderByDue = byDue
			got, pageTotals := pagedIDs(t, func(cursor string) (*page.Of[task.Task], error) {
				filter.Cursor = cursor
				return Tasks{db}.List(ctx, filter)
			}, taskID)
			totals := map[int]bool{}
			for _, n := range pageTotals {
				totals[n] = true
			}
			// A1, cell A, A2 (commune A's subtree), C1, C2: not B1.
			want := []int64{all[5], all[4], all[3], all[2], all[0]}
			if byDue {
				want = []int64{all[3], all[4], all[2], all[0], all[5]}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("by due %v: pages (-want +got):\n%s", byDue, diff)
			}
			if diff := cmp.Diff(map[int]bool{5: true}, totals); diff != "" {
				t.Errorf("by due %v: totals (-want +got):\n%s", byDue, diff)
			}
		}
		// A path of no unit reaches nothing, whatever else the filter asks.
		none, err := Tasks{db}.List(ctx, task.Filter{Paths: []string{"/999999/"}, HeldBy: &task.HeldBy{UnitIDs: []int64{f.a.ID}}, Today: filter.Today, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(none.Items) != 0 || none.Total != 0 {
			t.Errorf("a path of no unit: got %d tasks, total %d; want none", len(none.Items), none.Total)
		}
		// The rows the writes kept (worked out in Go, one task at a time)
		// are those the set-based SQL of the migration writes.
		f.step(t, f.comA, all[0], task.StepInput{Action: task.ActAccept})
		f.step(t, f.comC, all[2], task.StepInput{Action: task.ActForward, ToUnitID: &f.b.ID, Note: "chuyển"})
		kept := taskScopeRows(t, db)
		if err := db.Write(ctx, func(tx *Tx) error { return tx.refreshTaskScopes(ctx, `SELECT id FROM tasks`) }); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(taskScopeRows(t, db), kept); diff != "" {
			t.Errorf("scope rows kept by the writes (-set-based +kept):\n%s", diff)
		}
		// Move commune B under commune A: B1 comes into A's reach.
		if err := (Units{db}).Move(ctx, f.b.ID, f.a.ID, date.MustParse("2026-11-02"), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		p, err := Tasks{db}.List(ctx, task.Filter{Paths: []string{f.a.Path}, Today: date.MustParse("2026-11-02"), Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, it := range p.Items {
			got = append(got, it.ID)
		}
		if diff := cmp.Diff([]int64{all[4], all[3], all[2], all[1], all[0]}, got); diff != "" {
			t.Errorf("after the move, commune A's list (-want +got):\n%s", diff)
		}
	})
}

// taskScopeRows reads task_scopes in a fixed order.
func taskScopeRows(t *testing.T, db *DB) []string {
	t.Helper()
	var rel, state, kind, due string
	var scope, id int64
	out := readRows(t, db, `SELECT rel, scope, task_id, state, kind, due_on FROM task_scopes ORDER BY task_id, rel, scope`,
		[]any{&rel, &scope, &id, &state, &kind, &due}, func() string { return fmt.Sprint(id, " ", rel, " ", scope, " ", state, " ", kind, " ", due) })
	if len(out) == 0 {
		t.Fatal("no task_scopes rows")
	}
	return out
}

// TestTaskCountAcrossKeys: the bounded count of a list read through
// several keys (taskCountSQL) says "more than the bound" when one key
// alone holds more, and when the keys together do though none alone
// does, and is exact otherwise, each task once however many keys hold
// it; checked for every bound from 1 to past the list's size against
// the tasks the list pages through.
func TestTaskCountAcrossKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		for _, c := range []struct {
			unit *org.Unit
			due  string
		}{{f.a, "2026-11-30"}, {f.a, "2026-11-10"}, {f.c, "2026-11-20"}, {f.cellA, "2026-11-12"}} {
			f.create(t, c.unit, "office", c.due)
		}
		// Two tasks the commune A issues to its cell (account 2).
		for _, due := range []string{"2026-11-25", "2026-11-26"} {
			if _, err := f.svc.Create(ctx, f.comA, task.CreateInput{Title: "commune A", UnitID: f.cellA.ID, DueOn: date.MustParse(due)}); err != nil {
				t.Fatal(err)
			}
		}
		today := date.MustParse("2026-11-02")
		for _, s := range []struct {
			name    string
			f       task.Filter
			unitIDs []int64
		}{
			// r:A holds 5, r:C 1, the member none.
			{"two subtrees and a member", task.Filter{Paths: []string{f.a.Path, f.c.Path}, MemberID: f.headA.ID}, []int64{f.a.ID, f.c.ID}},
			// The district's unit and the office's account: the same 4 tasks.
			{"issuer unit and account", task.Filter{IssuedBy: &task.Related{UnitIDs: []int64{f.district.ID}, AccountID: 1}}, nil},
			// i:A 2, i:district 4, account 2 the same 2 as i:A.
			{"two issuers and an account", task.Filter{IssuedBy: &task.Related{UnitIDs: []int64{f.a.ID, f.district.ID}, AccountID: 2}}, nil},
			// h:A 2, h:C 1, h:cellA 3.
			{"three holders", task.Filter{HeldBy: &task.HeldBy{UnitIDs: []int64{f.a.ID, f.c.ID, f.cellA.ID}}}, nil},
		} {
			s.f.Today, s.f.Limit = today, 2
			// What the list holds, paged through.
			ids, _ := pagedIDs(t, func(cursor string) (*page.Of[task.Task], error) {
				s.f.Cursor = cursor
				return Tasks{db}.List(ctx, s.f)
			}, taskID)
			n := len(ids)
			s.f.Cursor = ""
			if n == 0 {
				t.Fatalf("%s: an empty list", s.name)
			}
			for bound := 1; bound <= n+1; bound++ {
				p, err := taskListSQLBound(db.dialect, s.f, s.unitIDs, bound)
				if err != nil {
					t.Fatal(err)
				}
				var got int
				if err := db.read.QueryRowContext(ctx, p.count, p.countArgs...).Scan(&got); err != nil {
					t.Fatalf("%s: %v\n%s", s.name, err, p.count)
				}
				if over := got > bound; over != (n > bound) || !over && got != n {
					t.Errorf("%s, bound %d: count %d, want %d (more than the bound: %v)", s.name, bound, got, n, n > bound)
				}
			}
		}
	})
}
