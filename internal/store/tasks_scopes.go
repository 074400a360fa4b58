package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// The task lists (issue 17) read task_scopes, not tasks: one row per task
// and per key under which a list may find it, carrying the task's state,
// kind and due date, so that every list is an index range in its own order
// (newest first: task_id; by due date: due_on, task_id) that stops after
// the page. The keys (rel, scope):
//
//	'r', unit id     the task is in reach of the unit's subtree: the unit is
//	                 its holder, accountable or issuer unit or an ancestor
//	                 of one of them
//	'r', 0           every task (the root's reach)
//	'r', -member id  the member holds it, answers for it or was given it
//	'h', unit id     the unit holds it (holder_unit_id); 'h', -member id:
//	                 the member holds it (holder_member_id)
//	'a', unit id     accountable unit (unit_id); 'a', -member id: the
//	                 accountable member
//	'i', unit id     issued in the unit's name (issuer_unit_id); 'i',
//	                 -account id: created by the account (created_by)
//
// The rows of a task are rewritten in the transaction of every write that
// changes what they hold (creation, a step, a group's roll-up, a move of a
// unit of the tree): refreshTaskScopes.

// taskScopesSQL rewrites the scope rows of the tasks whose ids the SQL
// query sel selects (it may use placeholders). The same text fills the
// table in the migration (0014_task_scopes.sql, with every task).
func taskScopesSQL(sel string) string {
	return `WITH RECURSIVE sel AS (` + sel + `),
anc(unit_id, anc_id) AS (
  SELECT u.id, u.id FROM units u WHERE u.id IN (
    SELECT t.holder_unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
    UNION SELECT t.unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
    UNION SELECT t.issuer_unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel))
  UNION
  SELECT a.unit_id, u.parent_id FROM anc a JOIN units u ON u.id = a.anc_id WHERE u.parent_id IS NOT NULL
)
INSERT INTO task_scopes (rel, scope, task_id, state, kind, due_on)
SELECT k.rel, k.scope, t.id, t.state, t.kind, t.due_on FROM (
  SELECT 'r' AS rel, a.anc_id AS scope, t.id AS task_id FROM tasks t JOIN anc a ON a.unit_id = t.holder_unit_id WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', a.anc_id, t.id FROM tasks t JOIN anc a ON a.unit_id = t.unit_id WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', a.anc_id, t.id FROM tasks t JOIN anc a ON a.unit_id = t.issuer_unit_id WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', 0, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', -t.holder_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.holder_member_id IS NOT NULL
  UNION SELECT 'r', -t.accountable_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.accountable_member_id IS NOT NULL
  UNION SELECT 'r', -t.assignee_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.assignee_id IS NOT NULL
  UNION SELECT 'h', t.holder_unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'h', -t.holder_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.holder_member_id IS NOT NULL
  UNION SELECT 'a', t.unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'a', -t.accountable_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.accountable_member_id IS NOT NULL
  UNION SELECT 'i', t.issuer_unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'i', -t.created_by, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.created_by IS NOT NULL
) k JOIN tasks t ON t.id = k.task_id`
}

// refreshTaskScopes rewrites the scope rows of the tasks that sel selects
// (SELECT id FROM tasks WHERE …), inside the write's transaction.
//
// On PostgreSQL it turns JIT compilation off for the rest of the
// transaction first: the planner estimates the recursive ancestors of
// taskScopesSQL hundreds of times too many (453,590 rows for 1,882 over
// 3,000 tasks, ANALYZE or not), so the statement's cost passes
// jit_above_cost and PostgreSQL compiled some 280 functions for it, about
// 1.9 s of the server's CPU on a statement that runs in 0.6 s without
// (docs/benchmarks.md, r16-store and r18-randw). A unit's move runs it for
// the tasks of the subtree moved. What follows it in the transaction (the
// past statistics' log) is a few small statements, which JIT does not
// take either.
func (tx *Tx) refreshTaskScopes(ctx context.Context, sel string, args ...any) error {
	if tx.db.dialect == postgresDialect {
		if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
			return fmt.Errorf("task scopes: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM task_scopes WHERE task_id IN (`+sel+`)`, args...); err != nil {
		return fmt.Errorf("task scopes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, taskScopesSQL(sel), args...); err != nil {
		return fmt.Errorf("task scopes: %w", err)
	}
	return nil
}

// refreshTaskScopesOf rewrites the scope rows of one task: the keys are
// worked out here (a unit's path is the ids of its ancestors and itself,
// "/1/5/23/"), so that each write runs three short statements rather than
// taskScopesSQL.
func (tx *Tx) refreshTaskScopesOf(ctx context.Context, id int64) error {
	var holder, unit, issuer int64
	var hp, ap, ip, state, kind, due string
	var hm, am, as, by sql.NullInt64
	sel, err := tx.prepared(ctx, `SELECT t.holder_unit_id, t.unit_id, t.issuer_unit_id, hu.path, au.path, iu.path,
			t.holder_member_id, t.accountable_member_id, t.assignee_id, t.created_by, t.state, t.kind, t.due_on
		FROM tasks t JOIN units hu ON hu.id = t.holder_unit_id JOIN units au ON au.id = t.unit_id JOIN units iu ON iu.id = t.issuer_unit_id
		WHERE t.id = $1`)
	if err != nil {
		return err
	}
	if err := sel.QueryRowContext(ctx, id).Scan(&holder, &unit, &issuer, &hp, &ap, &ip, &hm, &am, &as, &by, &state, &kind, &due); err != nil {
		return fmt.Errorf("task scopes of %d: %w", id, err)
	}
	keys := taskScopeKeys(holder, unit, issuer, hp, ap, ip, hm.Int64, am.Int64, as.Int64, by.Int64)
	del, err := tx.prepared(ctx, `DELETE FROM task_scopes WHERE task_id = $1`)
	if err != nil {
		return err
	}
	if _, err := del.ExecContext(ctx, id); err != nil {
		return fmt.Errorf("task scopes of %d: %w", id, err)
	}
	var args argList
	var rows []string
	for _, k := range keys {
		rows = append(rows, `(`+args.add(k.rel)+`, `+args.add(k.scope)+`, `+args.add(id)+`, `+args.add(state)+`, `+args.add(kind)+`, `+args.add(due)+`)`)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO task_scopes (rel, scope, task_id, state, kind, due_on) VALUES `+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("task scopes of %d: %w", id, err)
	}
	return nil
}

// taskScopeKeys are the keys of a task's scope rows, each once: its
// holder, accountable and issuer units (ids) and their paths, and its
// holder member, accountable member, assignee and creator (0: none).
func taskScopeKeys(holder, unit, issuer int64, hp, ap, ip string, hm, am, as, by int64) []taskScopeKey {
	keys := []taskScopeKey{{"r", 0}, {"h", holder}, {"a", unit}, {"i", issuer}}
	for _, p := range []string{hp, ap, ip} {
		for _, u := range doc.AncestorIDs(p) {
			keys = append(keys, taskScopeKey{"r", u})
		}
	}
	for _, m := range []struct {
		v   int64
		rel string
	}{{hm, "r"}, {am, "r"}, {as, "r"}, {hm, "h"}, {am, "a"}, {by, "i"}} {
		if m.v != 0 {
			keys = append(keys, taskScopeKey{m.rel, -m.v})
		}
	}
	out := keys[:0]
	seen := make(map[taskScopeKey]bool, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// taskScopeKey is one key of task_scopes.
type taskScopeKey struct {
	rel   string
	scope int64
}

// taskCountBound is where a task list stops counting: above it, Total is
// taskCountBound and TotalAtLeast is set (docs/api.md).
const taskCountBound = 1000

// taskListPlan is the SQL of one task list: the bounded count and the
// page, each a merge of index ranges of task_scopes (arms).
type taskListPlan struct {
	count, page         string
	countArgs, pageArgs []any
	// bound is where the count stops: a count above it says "more".
	bound int
	// genericPage: the page keeps a parameter (the cursor, on PostgreSQL)
	// and is run with PostgreSQL's generic plan from its first run (see
	// taskListSQLBound).
	genericPage bool
	empty       bool
}

// taskListKeys are the keys whose union is what the list reads (one
// condition of the filter: the reach, a relation or the holder member),
// and the conditions on t of the others. units resolves the paths of the
// reach to unit ids.
//
// long: it is one decision per filter condition (the reach, each relation,
// the holder member, the state, kind and due date), each deciding whether
// the condition drives the read or is checked on the way; they are kept
// together because a condition moved from one side to the other changes
// which index ranges the list reads (tests in lists_plan_test.go).
func taskListKeys(f task.Filter, unitIDs []int64, args *argList) (drive []taskScopeKey, post []string, ok bool) {
	all := false
	var reach []taskScopeKey
	for _, p := range f.Paths {
		if p == "/" {
			all = true
		}
	}
	if all {
		reach = []taskScopeKey{{"r", 0}}
	} else {
		for _, id := range unitIDs {
			reach = append(reach, taskScopeKey{"r", id})
		}
		if f.MemberID != 0 {
			reach = append(reach, taskScopeKey{"r", -f.MemberID})
		}
	}
	hasReach := len(f.Paths) > 0 || f.MemberID != 0
	if hasReach && len(reach) == 0 {
		// Paths of no unit: nothing is in that reach.
		return nil, nil, false
	}
	if !hasReach && f.HeldBy == nil && f.Accountable == nil && f.IssuedBy == nil {
		return nil, nil, false
	}
	// Each condition as keys (to drive) and as SQL on t (to filter).
	type cond struct {
		keys []taskScopeKey
		sql  func() string
	}
	var conds []cond
	if x := f.HolderMemberID; x != 0 {
		conds = append(conds, cond{[]taskScopeKey{{"h", -x}}, func() string { return `t.holder_member_id = ` + args.add(x) }})
	}
	if h := f.HeldBy; h != nil {
		var keys []taskScopeKey
		for _, u := range h.UnitIDs {
			keys = append(keys, taskScopeKey{"h", u})
		}
		if h.MemberID != 0 {
			keys = append(keys, taskScopeKey{"h", -h.MemberID})
		}
		if len(keys) == 0 {
			return nil, nil, false
		}
		conds = append(conds, cond{keys, func() string {
			var held []string
			if len(h.UnitIDs) > 0 {
				held = append(held, `t.holder_unit_id IN (`+idMarks(args, h.UnitIDs)+`)`)
			}
			if h.MemberID != 0 {
				held = append(held, `t.holder_member_id = `+args.add(h.MemberID))
			}
			return `(` + strings.Join(held, " OR ") + `)`
		}})
	}
	for _, rel := range []struct {
		r                 *task.Related
		key               string
		unit, member, acc string
	}{{f.Accountable, "a", "t.unit_id", "t.accountable_member_id", ""}, {f.IssuedBy, "i", "t.issuer_unit_id", "", "t.created_by"}} {
		r := rel.r
		if r == nil {
			continue
		}
		var keys []taskScopeKey
		for _, u := range r.UnitIDs {
			keys = append(keys, taskScopeKey{rel.key, u})
		}
		if rel.member != "" && r.MemberID != 0 {
			keys = append(keys, taskScopeKey{rel.key, -r.MemberID})
		}
		if rel.acc != "" && r.AccountID != 0 {
			keys = append(keys, taskScopeKey{rel.key, -r.AccountID})
		}
		if len(keys) == 0 {
			return nil, nil, false
		}
		conds = append(conds, cond{keys, func() string {
			var or []string
			if len(r.UnitIDs) > 0 {
				or = append(or, rel.unit+` IN (`+idMarks(args, r.UnitIDs)+`)`)
			}
			if rel.member != "" && r.MemberID != 0 {
				or = append(or, rel.member+` = `+args.add(r.MemberID))
			}
			if rel.acc != "" && r.AccountID != 0 {
				or = append(or, rel.acc+` = `+args.add(r.AccountID))
			}
			return `(` + strings.Join(or, " OR ") + `)`
		}})
	}
	if hasReach && !all {
		conds = append(conds, cond{reach, func() string {
			marks := make([]string, len(reach))
			for i, k := range reach {
				marks[i] = args.add(k.scope)
			}
			return `EXISTS (SELECT 1 FROM task_scopes r WHERE r.rel = 'r' AND r.scope IN (` + strings.Join(marks, ",") + `) AND r.task_id = t.id)`
		}})
	}
	if len(conds) == 0 {
		// The root's reach alone: every task.
		return reach, nil, true
	}
	// The first condition drives (the narrowest: the holder member, what
	// the actor holds, answers for or issued, then the reach).
	drive = conds[0].keys
	for _, c := range conds[1:] {
		post = append(post, c.sql())
	}
	return drive, post, true
}

// taskArm is one index range of task_scopes: a key, and a state and kind
// with the due date's bound, or no state at all.
type taskArm struct {
	state, kind string
	dueBefore   bool // due_on < today (overdue)
	dueFrom     bool // due_on >= today (running, not overdue)
}

// taskArms splits the state and overdue filters into index ranges.
func taskArms(f task.Filter) (arms []taskArm, ok bool) {
	if f.Overdue && f.NotOverdue {
		return nil, false
	}
	if len(f.States) == 0 && !f.Overdue && !f.NotOverdue {
		return []taskArm{{}}, true
	}
	states := f.States
	if len(states) == 0 {
		states = []task.State{task.StateAssigned, task.StateInProgress, task.StateSuspended, task.StateDone}
	}
	seen := map[task.State]bool{}
	for _, s := range states {
		if seen[s] {
			continue
		}
		seen[s] = true
		for _, kind := range []string{"task", "group"} {
			running := (s == task.StateAssigned || s == task.StateInProgress) && kind == "task"
			a := taskArm{state: string(s), kind: kind}
			switch {
			case f.Overdue && !running:
				continue
			case f.Overdue:
				a.dueBefore = true
			case f.NotOverdue && running:
				a.dueFrom = true
			}
			arms = append(arms, a)
		}
	}
	return arms, len(arms) > 0
}

// taskListSQL writes the SQL of a list (see taskListPlan); unitIDs are
// the ids of f.Paths' units.
func taskListSQL(d dialect, f task.Filter, unitIDs []int64) (*taskListPlan, error) {
	return taskListSQLBound(d, f, unitIDs, taskCountBound)
}

// taskListSQLBound is taskListSQL with the count's bound (tests use a
// small one).
//
// long: it writes one statement, the page and the bounded count from the
// same arms, in the order the SQL reads (index hint, arm conditions,
// cursor, order, limits); split, the count and the page could drift
// apart, and the plans are checked as a whole in lists_plan_test.go.
func taskListSQLBound(d dialect, f task.Filter, unitIDs []int64, bound int) (*taskListPlan, error) {
	// SQLite would take a range on due_on (the overdue bound) over the
	// order the list needs: name the index that yields the order.
	// The count (in no order) of an arm bounded by the due date reads the
	// range of that bound in task_scopes_state_due: the overdue tasks
	// only, not every running task checked one by one.
	indexed := func(a taskArm, forPage bool) string {
		switch {
		case d != sqliteDialect:
			return ""
		case a.state != "" && (f.OrderByDue || !forPage && (a.dueBefore || a.dueFrom)):
			return " INDEXED BY task_scopes_state_due"
		case a.state != "":
			return " INDEXED BY task_scopes_state"
		case f.OrderByDue:
			return " INDEXED BY task_scopes_due"
		}
		return ""
	}
	var cursorDue date.Date
	var cursorID int64
	if f.Cursor != "" {
		var err error
		if cursorDue, cursorID, err = taskCursor(f.Cursor, f.OrderByDue); err != nil {
			return nil, err
		}
	}
	arms, ok := taskArms(f)
	if !ok {
		return &taskListPlan{empty: true}, nil
	}
	// The arms: on SQLite a compound SELECT, whose ORDER BY SQLite merges
	// (MERGE). PostgreSQL does not merge the arms of a UNION ALL that have
	// WHERE clauses of their own (it sorts their union): there each arm of
	// the page is its own index range in the list's order with LIMIT
	// Limit+1, and only those few rows are sorted (the plan test allows a
	// Sort whose every input stops at a Limit).
	armOrder := ` ORDER BY s.task_id DESC`
	if f.OrderByDue {
		armOrder = ` ORDER BY s.due_on, s.task_id`
	}
	cursorMarks := map[string]bool{}
	// compound returns the arms of each key of the list (a key's arms
	// are one per state and kind).
	compound := func(args *argList, forPage bool) ([][]string, bool) {
		drive, post, ok := taskListKeys(f, unitIDs, args)
		if !ok {
			return nil, false
		}
		postSQL := ""
		if len(post) > 0 {
			postSQL = " AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = s.task_id AND " + strings.Join(post, " AND ") + ")"
		}
		var keys [][]string
		for _, k := range drive {
			var parts []string
			for _, a := range arms {
				w := []string{`s.rel = ` + args.add(k.rel), `s.scope = ` + args.add(k.scope)}
				if a.state != "" {
					w = append(w, `s.state = `+args.add(a.state), `s.kind = `+args.add(a.kind))
				}
				if a.dueBefore {
					w = append(w, `s.due_on < `+args.add(f.Today))
				}
				// By due date from a cursor, a running arm not overdue has two
				// lower bounds, of which SQLite ranges on one: keep the higher
				// (the other follows from it), so that the range starts at the
				// cursor, not at today (43 ms for the city's board).
				fromCursor := forPage && f.Cursor != "" && f.OrderByDue
				if a.dueFrom && !(fromCursor && !cursorDue.Before(f.Today)) {
					w = append(w, `s.due_on >= `+args.add(f.Today))
				}
				if forPage && f.Cursor != "" && !(fromCursor && a.dueFrom && cursorDue.Before(f.Today)) {
					if f.OrderByDue {
						due, id := args.add(cursorDue), args.add(cursorID)
						cursorMarks[due], cursorMarks[id] = true, true
						w = append(w, `(s.due_on, s.task_id) > (`+due+`, `+id+`)`)
					} else {
						id := args.add(cursorID)
						cursorMarks[id] = true
						w = append(w, `s.task_id < `+id)
					}
				}
				arm := `SELECT s.task_id, s.due_on FROM task_scopes s` + indexed(a, forPage) + ` WHERE ` + strings.Join(w, " AND ") + postSQL
				if forPage && d != sqliteDialect {
					arm = `(` + arm + armOrder + ` LIMIT ` + args.add(f.Limit+1) + `)`
				}
				parts = append(parts, arm)
			}
			keys = append(keys, parts)
		}
		return keys, true
	}
	p := &taskListPlan{bound: bound}
	var cargs argList
	ck, ok := compound(&cargs, false)
	if !ok {
		return &taskListPlan{empty: true}, nil
	}
	p.count = taskCountSQL(ck, &cargs, bound)
	p.countArgs = cargs
	if d == postgresDialect {
		p.count, p.countArgs = inlineArgs(p.count, p.countArgs, nil)
	}
	var pargs argList
	pk, _ := compound(&pargs, true)
	keys := len(pk)
	var all []string
	for _, parts := range pk {
		all = append(all, parts...)
	}
	pc := strings.Join(all, " UNION ALL ")
	// The arms in a subquery of their own and the order outside, so that
	// PostgreSQL flattens the UNION ALL and merges the ranges (Merge
	// Append) as SQLite does (MERGE), instead of sorting their union.
	order := ` ORDER BY task_id DESC`
	if f.OrderByDue {
		order = ` ORDER BY due_on, task_id`
	}
	var inner string
	if d == sqliteDialect {
		inner = pc + order + ` LIMIT ` + pargs.add(keys*(f.Limit+1))
	} else {
		inner = `SELECT u.task_id FROM (` + pc + `) u` + strings.NewReplacer("task_id", "u.task_id", "due_on", "u.due_on").Replace(order) +
			` LIMIT ` + pargs.add(keys*(f.Limit+1))
	}
	p.page = `SELECT ` + taskColumns + ` FROM (` + inner + `) p
	JOIN tasks t ON t.id = p.task_id` + strings.TrimPrefix(taskFrom, ` FROM tasks t`)
	p.pageArgs = pargs
	if d == postgresDialect {
		p.page, p.pageArgs = inlineArgs(p.page, p.pageArgs, cursorMarks)
		// A next page keeps its cursor as a parameter, so that one text
		// serves every page of the list; PostgreSQL would plan it with the
		// cursor's value for its first five runs on a connection (2.5–3 ms
		// of planning each, the join of the page with the tasks and their
		// units and members), and for some lists on every run, where the
		// generic plan (built once; the other values are in the text) runs
		// in about 1 ms. docs/benchmarks.md, "Lists, session 7".
		p.genericPage = len(p.pageArgs) > 0
	}
	return p, nil
}

// taskCountSQL is the bounded count of a list whose keys' arms are keys:
// a number above the bound n says "more than n". A task is
// under a key at most once, so a key that holds more than the bound
// proves it alone: each key is counted up to one row past the bound, in
// order, and only when none reaches it are the keys' rows (at most the
// bound each) counted together, each task once. The keys' counts are
// scalar subqueries under CASE, which both engines run only when reached:
// the district's issuer=me (the issuing unit and the account that
// created them hold the same tasks) reads 1,001 entries, not 2,002 under
// a DISTINCT.
func taskCountSQL(keys [][]string, args *argList, n int) string {
	over := args.add(n + 1)
	count := func(parts []string) string {
		return `(SELECT COUNT(*) FROM (SELECT x.task_id FROM (` + strings.Join(parts, " UNION ALL ") + `) x LIMIT ` + over + `) c)`
	}
	if len(keys) == 1 {
		return `SELECT ` + count(keys[0])
	}
	bound := args.add(n)
	var whens, all []string
	for _, parts := range keys {
		whens = append(whens, ` WHEN `+count(parts)+` > `+bound+` THEN `+over)
		all = append(all, parts...)
	}
	return `SELECT CASE` + strings.Join(whens, "") + ` ELSE (SELECT COUNT(DISTINCT c.task_id) FROM (` + strings.Join(all, " UNION ALL ") + `) c) END`
}

// List returns one page of tasks in reach (see task.Filter), newest
// first or by due date, and how many there are, counted up to
// taskCountBound. Both read task_scopes in the list's order and stop
// after the page (or the bound).
func (db Tasks) List(ctx context.Context, f task.Filter) (*page.Of[task.Task], error) {
	out := &page.Of[task.Task]{Items: []task.Task{}}
	f.Limit = page.Limit(f.Limit)
	unitIDs, err := db.pathUnitIDs(ctx, f.Paths)
	if err != nil {
		return nil, err
	}
	p, err := taskListSQL(db.dialect, f, unitIDs)
	if err != nil || p.empty {
		return out, err
	}
	err = db.readPrepared(ctx, func(q Querier) error {
		var n int
		if err := q.QueryRowContext(ctx, p.count, p.countArgs...).Scan(&n); err != nil {
			return fmt.Errorf("count tasks: %w", err)
		}
		out.Total = n
		if n > p.bound {
			out.Total, out.TotalAtLeast = p.bound, true
		}
		if p.genericPage {
			if _, err := q.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
				return fmt.Errorf("list tasks: %w", err)
			}
		}
		out.Items = make([]task.Task, 0, f.Limit+1)
		if err := readDistinctInto(ctx, q, p.page, p.pageArgs, scanTaskInto, func(t *task.Task) int64 { return t.ID }, &out.Items); err != nil {
			return fmt.Errorf("list tasks: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b task.Task) int {
		if f.OrderByDue {
			if c := strings.Compare(a.DueOn.String(), b.DueOn.String()); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	cutPage(out, f.Limit, func(last task.Task) string {
		if f.OrderByDue {
			return encodeDateCursor(last.DueOn, last.ID)
		}
		return encodeCursor(nil, last.ID)
	})
	return out, nil
}

// pathUnitIDs returns the ids of the units at paths ("/", every unit, has
// none).
func (db Tasks) pathUnitIDs(ctx context.Context, paths []string) ([]int64, error) {
	var args argList
	var marks []string
	for _, p := range paths {
		if p != "/" {
			marks = append(marks, args.add(p))
		}
	}
	if len(marks) == 0 {
		return nil, nil
	}
	// Kept prepared: one text per number of paths (an actor's roles).
	return queryAll(ctx, db.read, scanValue[int64], `SELECT id FROM units WHERE path IN (`+strings.Join(marks, ",")+`) ORDER BY id`, args...)
}

// updateTaskScopes copies a task's state, kind and due date to its scope
// rows, for a write that leaves its keys as they were.
func (tx *Tx) updateTaskScopes(ctx context.Context, id int64) error {
	st, err := tx.prepared(ctx, `UPDATE task_scopes SET state = t.state, kind = t.kind, due_on = t.due_on
		FROM (SELECT state, kind, due_on FROM tasks WHERE id = $1) t WHERE task_scopes.task_id = $1
		AND (task_scopes.state <> t.state OR task_scopes.kind <> t.kind OR task_scopes.due_on <> t.due_on)`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, id); err != nil {
		return fmt.Errorf("task scopes of %d: %w", id, err)
	}
	return nil
}

// inlineArgs writes the arguments of a PostgreSQL list query into its
// text as literals, but those of keep (the cursor's, "$n"), renumbered.
// pgx prepares each text once per connection and PostgreSQL then keeps a
// generic plan: with the scope, states and bounds as parameters that plan
// does not know how many rows a range holds, and sorted a whole range
// (66,193 overdue tasks of the city) where the plan with the values reads
// the range in the page's order and stops after the page (issue 17,
// docs/benchmarks.md). The values are ids, fixed words, dates and
// numbers made here, never the reader's text.
func inlineArgs(q string, args argList, keep map[string]bool) (string, argList) {
	var out argList
	renum := map[string]string{}
	lit := func(mark string) string {
		if keep[mark] {
			if r, ok := renum[mark]; ok {
				return r
			}
			i, _ := strconv.Atoi(mark[1:])
			renum[mark] = out.add(args[i-1])
			return renum[mark]
		}
		i, _ := strconv.Atoi(mark[1:])
		switch v := args[i-1].(type) {
		case int:
			return strconv.Itoa(v)
		case int64:
			return strconv.FormatInt(v, 10)
		case string:
			return "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case date.Date:
			return "'" + v.String() + "'"
		}
		// Anything else stays a parameter.
		return out.add(args[i-1])
	}
	return placeholder.ReplaceAllStringFunc(q, lit), out
}

var placeholder = regexp.MustCompile(`\$[0-9]+`)
