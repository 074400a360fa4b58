package store

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/task"
)

// taskListShapes are the shapes of the task lists (issue 17): every filter
// of GET /api/v1/tasks and the work pages, both orders, with and without
// a cursor. unitIDs stands for the units of Paths.
func taskListShapes() []struct {
	name    string
	f       task.Filter
	unitIDs []int64
} {
	open := []task.State{task.StateAssigned, task.StateInProgress, task.StateSuspended}
	running := []task.State{task.StateAssigned, task.StateInProgress}
	held := &task.HeldBy{UnitIDs: []int64{3, 4}, MemberID: 9}
	rel := &task.Related{UnitIDs: []int64{3}, MemberID: 9, AccountID: 2}
	district := []string{"/1/2/"}
	type shape = struct {
		name    string
		f       task.Filter
		unitIDs []int64
	}
	var out []shape
	for _, s := range []shape{
		{"unit", task.Filter{Paths: district}, []int64{2}},
		{"unit-done", task.Filter{Paths: district, States: []task.State{task.StateDone}}, []int64{2}},
		{"unit-open", task.Filter{Paths: district, States: open}, []int64{2}},
		{"unit-overdue", task.Filter{Paths: district, States: running, Overdue: true}, []int64{2}},
		{"unit-open-not-overdue", task.Filter{Paths: district, States: open, NotOverdue: true}, []int64{2}},
		{"unit-overdue-flag", task.Filter{Paths: district, Overdue: true}, []int64{2}},
		{"unit-holder-me", task.Filter{Paths: district, HeldBy: held, States: open}, []int64{2}},
		{"unit-assignee", task.Filter{Paths: district, HolderMemberID: 9}, []int64{2}},
		{"reach-of-two-units-and-member", task.Filter{Paths: []string{"/1/2/", "/1/5/"}, MemberID: 9}, []int64{2, 5}},
		{"member-only", task.Filter{MemberID: 9, States: open}, nil},
		{"root", task.Filter{Paths: []string{"/"}}, nil},
		{"root-open", task.Filter{Paths: []string{"/"}, States: open}, nil},
		{"holder-me", task.Filter{HeldBy: held, States: running, Overdue: true}, nil},
		{"accountable-me", task.Filter{Accountable: rel, States: open, NotOverdue: true}, nil},
		{"issuer-me", task.Filter{IssuedBy: rel, States: []task.State{task.StateDone}}, nil},
		{"issuer-and-accountable", task.Filter{IssuedBy: rel, Accountable: rel}, nil},
	} {
		for _, byDue := range []bool{false, true} {
			for _, cursor := range []bool{false, true} {
				s := s
				s.f.Today, s.f.Limit, s.f.OrderByDue = benchToday, 50, byDue
				s.name += map[bool]string{false: "/new", true: "/due"}[byDue]
				if cursor {
					s.name += "/next"
					if byDue {
						s.f.Cursor = encodeDateCursor(benchToday, 77)
					} else {
						s.f.Cursor = encodeCursor(nil, 77)
					}
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// TestTaskListPlans asks each engine how it runs every task list shape
// (EXPLAIN QUERY PLAN on SQLite, EXPLAIN with sequential scans and sorts
// off on PostgreSQL) and fails on what would cost the subtree instead of the
// page: a scan of a table, or a sort (SQLite's temp B-tree, PostgreSQL's
// Sort node) of anything but the page's few rows.
func TestTaskListPlans(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.dialect == postgresDialect {
			explain = "EXPLAIN "
			// On the test's small tables the planner would sort a few
			// rows rather than merge: forbid both, so that a plan that
			// remains with a scan or a sort has no way around it.
			if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, `SET enable_sort = off`); err != nil {
				t.Fatal(err)
			}
		}
		plan := func(t *testing.T, q string, args []any) []string {
			rows, err := conn.QueryContext(ctx, explain+q, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var lines []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				lines = append(lines, toString(vals[len(vals)-1]))
			}
			return lines
		}
		for _, s := range taskListShapes() {
			t.Run(s.name, func(t *testing.T) {
				p, err := taskListSQL(db.dialect, s.f, s.unitIDs)
				if err != nil || p.empty {
					t.Fatalf("taskListSQL: %v, empty %v", err, p != nil && p.empty)
				}
				for _, q := range []struct {
					what string
					sql  string
					args []any
				}{{"count", p.count, p.countArgs}, {"page", p.page, p.pageArgs}} {
					lines := plan(t, q.sql, q.args)
					if bad := badPlanLines(db.dialect, lines); len(bad) > 0 {
						t.Errorf("%s: the plan scans or sorts more than the page: %q\nplan:\n%s", q.what, bad, strings.Join(lines, "\n"))
					}
				}
			})
		}
	})
}

var (
	// A full scan of a table (SQLite names the table or its alias; the
	// bounded subqueries p and c and the co-routines are the page's rows).
	sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)
	pgBad      = regexp.MustCompile(`(^|->\s*)(Seq Scan|Sort|Incremental Sort|Bitmap Heap Scan)(\s+on\s|\s+\()`)
)

// badPlanLines returns the lines of a plan that read more than the page.
func badPlanLines(d dialect, lines []string) []string {
	var bad []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch d {
		case sqliteDialect:
			// count(DISTINCT) over the bounded rows of c (several keys) is
			// the bound's cost, not the subtree's.
			if strings.Contains(l, "TEMP B-TREE") && !strings.Contains(l, "count(DISTINCT)") {
				bad = append(bad, l)
			}
			if m := sqliteScan.FindStringSubmatch(l); m != nil && m[1] != "p" && m[1] != "c" && !strings.HasPrefix(l, "SCAN CONSTANT ROW") {
				bad = append(bad, l)
			}
		case postgresDialect:
			if pgBad.MatchString(l) {
				bad = append(bad, l)
			}
		}
	}
	return bad
}

func toString(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	}
	return ""
}
