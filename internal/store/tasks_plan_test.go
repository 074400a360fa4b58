package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/member"

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
// (EXPLAIN QUERY PLAN on SQLite, EXPLAIN with sequential scans off on
// PostgreSQL) and fails on what would cost the subtree instead of the
// page: a scan of a table, or a sort (SQLite's temp B-tree, PostgreSQL's
// Sort node) of anything but the page's few rows.
func TestTaskListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.dialect == postgresDialect {
			explain = "EXPLAIN (FORMAT JSON) "
			// The test's tables are small: without this the planner reads
			// them whole, as it should there.
			if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
				t.Fatal(err)
			}
		}
		plan := func(t *testing.T, q string, args []any) []string {
			rows, err := conn.QueryContext(ctx, explain+q, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
			lines, err := planLines(rows)
			if err != nil {
				t.Fatal(err)
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
					bad := badPlanLines(db.dialect, lines)
					if db.dialect == postgresDialect {
						var nodes []pgPlanNode
						if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
							t.Fatalf("plan: %v", err)
						}
						bad = badPGNodes(nodes[0].Plan, false)
					}
					if len(bad) > 0 {
						t.Errorf("%s: the plan scans or sorts more than the page: %q\nplan:\n%s", q.what, bad, strings.Join(lines, "\n"))
					}
					if u := uncoveredStateReads(db.dialect, lines); len(u) > 0 {
						t.Errorf("%s: the plan reads task_scopes' rows to check a state arm: %q\nplan:\n%s", q.what, u, strings.Join(lines, "\n"))
					}
					if db.dialect == postgresDialect {
						checkPGGeneric(t, conn, q.what, q.sql, q.args)
					}
				}
			})
		}
	})
}

// uncoveredStateReads returns the reads of task_scopes_state in a plan
// that are not covering: the arms select task_id and due_on, and an arm
// bounded by the due date (the overdue list, newest first) checks the
// bound on its way down the index, so a read that fetches the rows (or,
// on PostgreSQL, one that the planner avoids by sorting the overdue range
// of task_scopes_state_due) costs the state's range instead of the page
// (issue 17; migration 0037 ends the index with due_on).
func uncoveredStateReads(d dialect, lines []string) []string {
	var bad []string
	if d == sqliteDialect {
		for _, l := range lines {
			if strings.Contains(l, "INDEX task_scopes_state ") && !strings.Contains(l, "COVERING INDEX") {
				bad = append(bad, strings.TrimSpace(l))
			}
		}
		return bad
	}
	var nodes []pgPlanNode
	if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
		return []string{"plan: not JSON"}
	}
	var walk func(n *pgPlanNode)
	walk = func(n *pgPlanNode) {
		if n.Index == "task_scopes_state" && n.NodeType != "Index Only Scan" {
			bad = append(bad, n.NodeType+" "+n.Index)
		}
		for i := range n.Plans {
			walk(&n.Plans[i])
		}
	}
	walk(nodes[0].Plan)
	return bad
}

var (
	// A full scan of a table (SQLite names the table or its alias; the
	// bounded subqueries p and c and the co-routines are the page's rows;
	// stale is an unread page's set of stale receipts, built once from
	// index reads that are checked themselves: docListSQL; stepN the
	// one-row steps of a digits search's counts: digitsFoundSQL).
	sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)
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
			if m := sqliteScan.FindStringSubmatch(l); m != nil && m[1] != "p" && m[1] != "c" && m[1] != "stale" && !strings.HasPrefix(m[1], "step") && !strings.HasPrefix(l, "SCAN CONSTANT ROW") {
				bad = append(bad, l)
			}
		}
	}
	return bad
}

// scanColumns reads the current row's n columns, whatever their types.
func scanColumns(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// planLines reads the last column of every row of a plan (EXPLAIN's lines
// or its JSON) as text, and closes rows.
func planLines(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var lines []string
	for rows.Next() {
		vals, err := scanColumns(rows, len(cols))
		if err != nil {
			return nil, err
		}
		lines = append(lines, toString(vals[len(vals)-1]))
	}
	return lines, rows.Err()
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

// pgPlanNode is a node of PostgreSQL's EXPLAIN (FORMAT JSON).
type pgPlanNode struct {
	Plan     *pgPlanNode  `json:"Plan"`
	NodeType string       `json:"Node Type"`
	Relation string       `json:"Relation Name"`
	Index    string       `json:"Index Name"`
	Cond     string       `json:"Index Cond"`
	Plans    []pgPlanNode `json:"Plans"`
}

// badPGNodes returns the nodes of a plan that read more than the page: a
// sequential scan, an index read whole (no Index Cond), or a sort with a scan below it that no Limit stops
// (sorting the few rows of each arm's page is the page's cost).
func badPGNodes(n *pgPlanNode, sorting bool) []string {
	var bad []string
	switch n.NodeType {
	case "Seq Scan":
		bad = append(bad, "Seq Scan on "+n.Relation)
	case "Sort", "Incremental Sort":
		sorting = true
	case "Limit":
		sorting = false
	case "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan":
		// documents_revised (migration 0039) holds the revised documents
		// only: read whole, it costs the revisions, not a subtree (the
		// documents list's unread, unreadSQL).
		if n.Cond == "" && n.NodeType != "Bitmap Heap Scan" && n.Index != "documents_revised" {
			bad = append(bad, "whole index "+n.Index+" of "+n.Relation)
		}
		if sorting {
			bad = append(bad, "Sort over "+n.NodeType+" "+n.Relation+" "+n.Index)
		}
	}
	for i := range n.Plans {
		bad = append(bad, badPGNodes(&n.Plans[i], sorting)...)
	}
	return bad
}

// pgGenericPlan is PostgreSQL's generic plan of q (EXPLAIN (FORMAT JSON)
// of a prepared statement with plan_cache_mode = force_generic_plan): the
// plan a prepared statement keeps after five runs on a connection when it
// is not dearer than the custom ones, planned without the parameters'
// values (issue 17: the task list's generic plan once sorted the city's
// 66,193 overdue tasks). args are given as literals of unknown type, which
// PostgreSQL casts to the parameters' types.
func pgGenericPlan(ctx context.Context, conn *sql.Conn, q string, args []any) ([]string, error) {
	lits := make([]string, len(args))
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case []byte:
			s = fmt.Sprintf(`\x%x`, v)
		case time.Time:
			s = v.UTC().Format(time.RFC3339Nano)
		default:
			s = fmt.Sprint(v)
		}
		lits[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	if _, err := conn.ExecContext(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
		return nil, err
	}
	defer conn.ExecContext(ctx, `RESET plan_cache_mode`)
	if _, err := conn.ExecContext(ctx, `PREPARE generic_plan_check AS `+q); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	defer conn.ExecContext(ctx, `DEALLOCATE generic_plan_check`)
	rows, err := conn.QueryContext(ctx, `EXPLAIN (FORMAT JSON) EXECUTE generic_plan_check(`+strings.Join(lits, ", ")+`)`)
	if err != nil {
		return nil, err
	}
	return planLines(rows)
}

// checkPGGeneric fails t when the generic plan of q (pgGenericPlan) scans
// or sorts more than the page; a query without parameters has no other
// plan than the one EXPLAIN showed.
func checkPGGeneric(t *testing.T, conn *sql.Conn, what, q string, args []any) {
	t.Helper()
	if len(args) == 0 {
		return
	}
	lines, err := pgGenericPlan(context.Background(), conn, q, args)
	if err != nil {
		t.Fatalf("%s: generic plan: %v\n%s", what, err, q)
	}
	checkPGGenericPlan(t, what, lines)
}

// checkPGGenericPlan is checkPGGeneric on the generic plan's lines.
func checkPGGenericPlan(t *testing.T, what string, lines []string) {
	t.Helper()
	var nodes []pgPlanNode
	if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
		t.Fatalf("%s: generic plan: %v", what, err)
	}
	if bad := badPGNodes(nodes[0].Plan, false); len(bad) > 0 {
		t.Errorf("%s: the generic plan scans or sorts more than the page: %q\nplan:\n%s", what, bad, strings.Join(lines, "\n"))
	}
}

// TestPGListValuesInline: on PostgreSQL the task and member lists write
// their values into the SQL (inlineArgs) and keep as parameters only the
// cursor's and the reader's text, so that the plan PostgreSQL keeps for a
// text after five runs (a generic plan) knows the scope, the states and
// the bounds (issue 17: with them as parameters the generic plan of the
// city's overdue list sorted 66,193 tasks). The generic plans themselves
// are checked by the plan tests (checkPGGeneric), on the tests' small
// tables, where they do not show that regression: this test does.
func TestPGListValuesInline(t *testing.T) {
	for _, s := range taskListShapes() {
		p, err := taskListSQL(postgresDialect, s.f, s.unitIDs)
		if err != nil || p.empty {
			t.Fatalf("%s: %v", s.name, err)
		}
		// The shapes' cursors are (benchToday,) 77: every parameter of the
		// page is one of those, once per arm.
		cursorOnly := s.f.Cursor != "" || len(p.pageArgs) == 0
		for _, a := range p.pageArgs {
			if a != int64(77) && a != benchToday {
				cursorOnly = false
			}
		}
		if len(p.countArgs) != 0 || !cursorOnly || len(p.pageArgs) > 0 && !p.genericPage {
			t.Errorf("%s: count parameters %v, page %v (generic %v); want none, and the cursor's only, with the generic plan", s.name, p.countArgs, p.pageArgs, p.genericPage)
		}
	}
	cursor := encodeCursor([]byte{0x41}, 77)
	for _, f := range []member.Filter{
		{Path: "/1/2/", Limit: 50},
		{Path: "/1/2/", Limit: 50, Cursor: cursor, Statuses: []member.Status{member.StatusFull}},
		{Path: "/1/2/", Limit: 50, Query: "nguyen", Cursor: cursor},
		{Path: "/1/2/", Limit: 50, Digits: "0123"},
	} {
		l, _, err := memberListQuery(f, memberCountBounds{})
		if err != nil || l == nil || !l.Inline {
			t.Fatalf("%+v: %v, inline %v", f, err, l != nil && l.Inline)
		}
		_, countArgs := inlineArgs(l.Count, l.CountArgs, l.Keep)
		pa := append(argList{}, l.PageArgs...)
		_, pageArgs := inlineArgs(l.Page+` LIMIT `+pa.add(51), pa, l.Keep)
		text := 0
		if f.Query != "" || f.Digits != "" {
			text = 1
		}
		cur := 0
		if f.Cursor != "" {
			cur = 2 // the cursor's key and id, one row comparison
		}
		if len(countArgs) > text || len(pageArgs) != text+cur {
			t.Errorf("%+v: count parameters %v, page %v; want the text's %d and the cursor's %d", f, countArgs, pageArgs, text, cur)
		}
	}
}
