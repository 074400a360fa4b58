package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
)

// taskCountColumns are the counted columns of task_counts (migration 0026;
// open_arrivals from 0029).
var taskCountColumns = []string{"received", "done_on_time", "done_late", "days_late", "escalations", "sideways", "returns", "extensions", "unanswered", "flags", "open_arrivals"}

// taskCountsRecount recomputes task_counts from tasks, task_steps and
// task_flags: the text of the backfill of migration 0026 (both engines)
// with the open arrivals of 0029 as one more branch and column. Each event
// is one row (unit, person, day, rule, counts...), counted twice: on its
// month ('m') and on its day ('d'). An open arrival (acceptance due, not
// answered, holding not ended) is counted by its on_date until it is
// answered or ends.
const taskCountsRecount = `SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags), SUM(x.open_arrivals)
    FROM (SELECT * FROM (SELECT t.unit_id AS unit_id, COALESCE(t.accountable_member_id, 0) AS member_id, t.assigned_on AS d, '' AS rule, 1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags, 0 AS open_arrivals FROM tasks t WHERE t.kind = 'task'
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), t.done_on, '', 0, CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 * t.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0, 0 FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL
      UNION ALL SELECT s.from_unit_id, COALESCE(s.from_member_id, 0), s.on_date, '', 0, 0, 0, 0, CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END, CASE WHEN s.action = 'forward' THEN 1 ELSE 0 END, CASE WHEN s.action = 'return' THEN 1 ELSE 0 END, CASE WHEN s.action = 'extend' THEN 1 ELSE 0 END, 0, 0, 0 FROM task_steps s WHERE s.capacity = 'holder' AND s.from_unit_id IS NOT NULL AND (s.action IN ('escalate', 'return', 'extend') OR (s.action = 'forward' AND s.direction = 'sideways'))
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), s.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND ((s.answered_on IS NULL AND s.ended_on IS NOT NULL AND s.accept_due_on < s.ended_on) OR s.answered_on > s.accept_due_on)
      UNION ALL SELECT f.unit_id, COALESCE(f.member_id, 0), f.raised_on, f.rule, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 FROM task_flags f WHERE f.unit_id IS NOT NULL
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), s.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule`

// taskDueCountsRecount recomputes task_due_counts (migration 0029, the
// text of its backfill): running tasks per accountable unit and person,
// all of them ('t', the empty period), by the month of due_on ('m') and by its
// day ('d').
const taskDueCountsRecount = `SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0), COUNT(*)
  FROM tasks t CROSS JOIN (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g
  WHERE t.kind = 'task' AND t.state IN ('assigned', 'in_progress')
  GROUP BY g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0)`

// Accountability computes the raw numbers of the accountability report of
// a subtree (see internal/task/accountability.go for the definitions) from
// the counters, in three statements over the subtree's units (a range scan
// of units.path) and the counters' keys:
//
//   - task_counts: the period as a signed sum of month and day rows
//     (counterRanges), added up in SQL by unit and person, by month and by
//     rule; its open_arrivals are the arrivals of the period still open;
//   - task_due_counts: running tasks overdue today = all running tasks
//     minus those due from today on (the months after today's, the days of
//     today's month from today): what is not due yet, not the past;
//   - the rows of the open arrivals whose acceptance is not due yet (index
//     task_steps_open_accept_due), taken off the open arrivals.
//
// The cost follows the subtree's units with work, the months of the
// period and the work not due yet, not the tasks and steps of the past.
func (db Tasks) Accountability(ctx context.Context, q task.ReportQuery) (*task.ReportData, error) {
	a := newReportAcc()
	lo, hi := q.Path, prefixEnd(q.Path)
	ranges := counterRanges(q.From, q.To, q.Today)
	counters, args := countersStatement(db.dialect, ranges, lo, hi)
	// On PostgreSQL the values are written into the texts (inlineArgs):
	// pgx prepares a text once per connection and PostgreSQL soon keeps a
	// generic plan, which cannot size the path range and walks every unit
	// of a city against the counters' key (22,453 probes a branch, 2 s for
	// the city under load) where the plan with the values reads the
	// period's rows as ranges.
	query := func(q string, args []any) (string, []any) {
		if db.dialect != postgresDialect {
			return q, args
		}
		return inlineArgs(q, args, nil)
	}
	err := db.readHeavy(ctx, func(qr Querier) error {
		join, err := db.joinOrder(ctx, qr, lo)
		if err != nil {
			return err
		}
		if len(ranges) > 0 {
			if err := a.counted(ctx, qr, join(counters), args, query); err != nil {
				return err
			}
		}
		for _, c := range clockStatements(q, lo, hi) {
			text, args := query(join(c.query), c.args)
			rs, err := qr.QueryContext(ctx, text, args...)
			if err != nil {
				return fmt.Errorf("accountability %s: %w", c.name, err)
			}
			if err := a.addRows(rs, c.set); err != nil {
				return err
			}
		}
		return nameRows(ctx, qr, a.rows)
	})
	if err != nil {
		return nil, err
	}
	return a.finish(q), nil
}

// countersStatement is the report's statement over task_counts: the
// signed rows of the ranges (one UNION ALL branch each: an OR of the
// ranges makes PostgreSQL scan the whole table), summed by unit and person
// (kind 0), by month (1) and by rule (2). PostgreSQL sums the three ways
// in one pass (GROUPING SETS); SQLite, which has no grouping sets, reads
// the rows once into a CTE and groups it three times. "@task_counts c"
// stands for the join with the units (joinOrder).
func countersStatement(d dialect, ranges []counterRange, lo, hi string) (string, []any) {
	args := []any{lo, hi}
	var branches []string
	for _, r := range ranges {
		args = append(args, r.grain, r.first, r.last)
		n := len(args)
		cols := make([]string, len(taskCountColumns))
		for i, c := range taskCountColumns {
			cols[i] = "c." + c
			if r.sign < 0 {
				cols[i] = "-c." + c
			}
			cols[i] += " AS " + c
		}
		branches = append(branches, fmt.Sprintf(`SELECT c.unit_id, c.member_id, c.period, c.rule, %s FROM @task_counts c
			WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.grain = $%d AND c.period >= $%d AND c.period <= $%d`, strings.Join(cols, ", "), n-2, n-1, n))
	}
	sum := func(used []bool) string {
		out := make([]string, len(taskCountColumns))
		for i, c := range taskCountColumns {
			out[i] = "0"
			if used == nil || used[i] {
				out[i] = "CAST(SUM(x." + c + ") AS BIGINT)"
			}
		}
		return strings.Join(out, ", ")
	}
	//                  received, on time, late, days late, esc, sideways, returns, ext, unans, flags, open
	monthCols := []bool{true, true, true, false, true, true, true, false, false, true, false}
	ruleCols := []bool{false, false, false, false, false, false, false, false, false, true, false}
	union := strings.Join(branches, "\n\t\t\tUNION ALL ")
	if d == postgresDialect {
		return `SELECT CASE WHEN GROUPING(x.unit_id) = 0 THEN 0 WHEN GROUPING(substr(x.period, 1, 7)) = 0 THEN 1 ELSE 2 END,
				COALESCE(x.unit_id, 0), COALESCE(x.member_id, 0), COALESCE(substr(x.period, 1, 7), ''), COALESCE(x.rule, ''), ` + sum(nil) + `
			FROM (` + union + `) x
			GROUP BY GROUPING SETS ((x.unit_id, x.member_id), (substr(x.period, 1, 7)), (x.rule))`, args
	}
	return `WITH x AS (` + union + `)
		SELECT 0, x.unit_id, x.member_id, '', '', ` + sum(nil) + ` FROM x GROUP BY x.unit_id, x.member_id
		UNION ALL SELECT 1, 0, 0, substr(x.period, 1, 7), '', ` + sum(monthCols) + ` FROM x GROUP BY substr(x.period, 1, 7)
		UNION ALL SELECT 2, 0, 0, '', x.rule, ` + sum(ruleCols) + ` FROM x WHERE x.rule <> '' GROUP BY x.rule`, args
}

// clockStatement is one of the report's statements for what depends on
// the day: it answers (unit, member, n) rows, added to the report by set.
type clockStatement struct {
	name, query string
	args        []any
	set         func(r *task.MetricRow, n int)
}

// clockStatements: running tasks overdue today (all running tasks minus
// those due from today on: the months after today's, the days of today's
// month from today), and the open arrivals of the period whose acceptance
// is not due yet (rows), taken off the open arrivals counted.
func clockStatements(q task.ReportQuery, lo, hi string) []clockStatement {
	month := monthOf(q.Today)
	monthEnd := date.New(q.Today.Year, q.Today.Month, 1).AddMonths(1).AddDays(-1)
	return []clockStatement{
		{"open overdue", `SELECT x.unit_id, x.member_id, CAST(SUM(x.n) AS BIGINT) FROM (
				SELECT c.unit_id, c.member_id, c.running AS n FROM @task_due_counts c
				WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.grain = 't' AND c.period = ''
			UNION ALL SELECT c.unit_id, c.member_id, -c.running FROM @task_due_counts c
				WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.grain = 'm' AND c.period > $3
			UNION ALL SELECT c.unit_id, c.member_id, -c.running FROM @task_due_counts c
				WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.grain = 'd' AND c.period >= $4 AND c.period <= $5) x
			GROUP BY x.unit_id, x.member_id`, []any{lo, hi, month, q.Today, monthEnd},
			func(r *task.MetricRow, n int) { r.OpenOverdue += n }},
		{"open arrivals not due", `SELECT s.to_unit_id, s.to_member_id, COUNT(*) FROM @task_steps s
			WHERE s.to_unit_id = u.id AND u.path >= $1 AND u.path < $2
				AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
				AND s.accept_due_on >= $3 AND s.on_date >= $4 AND s.on_date <= $5
			GROUP BY s.to_unit_id, s.to_member_id`, []any{lo, hi, q.Today, q.From, q.To},
			func(r *task.MetricRow, n int) { r.Unanswered -= n }},
	}
}

// joinOrder returns what writes the report's joins of a table with the
// units ("@task_counts c" and the like). PostgreSQL's planner sizes the
// path range from the values; SQLite's cannot, and is told: a subtree of
// many units (a city: 22,453, of which 1,029 have work) is read from the
// counters' ranges, each row's unit looked up by key; a smaller one unit
// by unit (a few probes of the counters' key per unit).
func (db Tasks) joinOrder(ctx context.Context, qr Querier, path string) (func(string) string, error) {
	countersFirst := false
	if db.dialect == sqliteDialect {
		var n int64
		if err := qr.QueryRowContext(ctx, `SELECT COALESCE(SUM(c.n), 0) FROM units u JOIN subtree_unit_counts c ON c.unit_id = u.id WHERE u.path = $1`, path).Scan(&n); err != nil {
			return nil, err
		}
		countersFirst = n > accountabilityManyUnits.Load()
	}
	return func(q string) string {
		for _, t := range []string{"task_counts c", "task_due_counts c", "task_steps s"} {
			j := "units u CROSS JOIN " + t
			if countersFirst {
				j = t + " CROSS JOIN units u"
			}
			q = strings.ReplaceAll(q, "@"+t, j)
		}
		return q
	}, nil
}

// accountabilityManyUnits is the size of a subtree (units) from which
// SQLite reads the counters before the units (Accountability): 5,000; a
// variable so that the tests compare both ways.
var accountabilityManyUnits atomic.Int64

func init() { accountabilityManyUnits.Store(5000) }

// counterRange is a range of task_counts rows of one grain ('m': period
// YYYY-MM, 'd': YYYY-MM-DD), added (sign 1) or taken off (-1).
type counterRange struct {
	grain, first, last string
	sign               int
}

// counterRanges are the month and day rows whose signed sum counts the
// days from..to: the whole months as month rows, and each part-month at an
// end (at most two) either as its day rows or as its month's row minus the
// day rows of the month outside the period, whichever reads fewer rows,
// taking the days after today for empty (no event is dated after the day
// it happens). "This year up to today" is thus month rows only: the month
// rows up to today's month, minus the day rows after today (none). Months
// read whole are merged into one range.
func counterRanges(from, to, today date.Date) []counterRange {
	full, windows := monthSplit(from, to)
	var months [][2]date.Date // first days of the first and last month
	if full != nil {
		months = append(months, [2]date.Date{full[0], date.New(full[1].Year, full[1].Month, 1)})
	}
	var days []counterRange
	for _, w := range windows {
		first := date.New(w[0].Year, w[0].Month, 1)
		last := first.AddMonths(1).AddDays(-1)
		direct := liveDays(w[0], w[1], today)
		complement := 1 + liveDays(first, w[0].AddDays(-1), today) + liveDays(w[1].AddDays(1), last, today)
		if direct <= complement {
			days = append(days, counterRange{"d", w[0].String(), w[1].String(), 1})
			continue
		}
		months = append(months, [2]date.Date{first, first})
		if first.Before(w[0]) {
			days = append(days, counterRange{"d", first.String(), w[0].AddDays(-1).String(), -1})
		}
		if w[1].Before(last) {
			days = append(days, counterRange{"d", w[1].AddDays(1).String(), last.String(), -1})
		}
	}
	slices.SortFunc(months, func(a, b [2]date.Date) int { return a[0].Time().Compare(b[0].Time()) })
	var out []counterRange
	for i := 0; i < len(months); {
		start, end := months[i][0], months[i][1]
		for i++; i < len(months) && months[i][0] == end.AddMonths(1); i++ {
			end = months[i][1]
		}
		out = append(out, counterRange{"m", monthOf(start), monthOf(end), 1})
	}
	return append(out, days...)
}

// liveDays is the number of days from a to b (inclusive) not after today.
func liveDays(a, b, today date.Date) int {
	if today.Before(b) {
		b = today
	}
	if b.Before(a) {
		return 0
	}
	return int(b.Time().Sub(a.Time()).Hours()/24) + 1
}

// counted adds the rows of the counters statement (kind, unit, member,
// month, rule, the counted columns...) to the rows by unit and person
// (kind 0), the months (1) and the flags by rule (2).
func (a *reportAcc) counted(ctx context.Context, qr Querier, query string, args []any, inline func(string, []any) (string, []any)) error {
	query, args = inline(query, args)
	rs, err := qr.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("accountability counters: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var kind int
		var unit, member int64
		var month, rule string
		var n [11]int64
		if err := rs.Scan(&kind, &unit, &member, &month, &rule, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10]); err != nil {
			return err
		}
		if n == [11]int64{} {
			continue
		}
		switch kind {
		case 0:
			a.row(unit, sql.NullInt64{Int64: member, Valid: member != 0}).Add(task.Metrics{
				Received: int(n[0]), DoneOnTime: int(n[1]), DoneLate: int(n[2]), DaysLateTotal: int(n[3]),
				Escalations: int(n[4]), PushedSideways: int(n[5]), Returns: int(n[6]), ExtensionRequests: int(n[7]),
				Unanswered: int(n[8] + n[10]), Flags: int(n[9])})
		case 1:
			m := a.month(month)
			m.Received += int(n[0])
			m.DoneOnTime += int(n[1])
			m.DoneLate += int(n[2])
			m.Escalations += int(n[4])
			m.PushedSideways += int(n[5])
			m.Returns += int(n[6])
			m.Flags += int(n[9])
		case 2:
			if rule != "" && n[9] != 0 {
				a.byRule[rule] += int(n[9])
			}
		}
	}
	return rs.Err()
}

// addRows adds (unit, member, n) rows with set.
func (a *reportAcc) addRows(rs *sql.Rows, set func(r *task.MetricRow, n int)) error {
	defer rs.Close()
	for rs.Next() {
		var unit int64
		var member sql.NullInt64
		var n int
		if err := rs.Scan(&unit, &member, &n); err != nil {
			return err
		}
		if n != 0 {
			set(a.row(unit, member), n)
		}
	}
	return rs.Err()
}

func monthOf(d date.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// monthSplit splits the days from..to into the whole months it covers
// (full: their first and last day, nil when none) and the windows of days
// before and after them (at most two).
func monthSplit(from, to date.Date) (full *[2]date.Date, windows [][2]date.Date) {
	if to.Before(from) {
		return nil, nil
	}
	start := date.New(from.Year, from.Month, 1)
	if start != from {
		start = start.AddMonths(1)
	}
	end := date.New(to.Year, to.Month, 1).AddMonths(1).AddDays(-1) // last day of to's month
	if end != to {
		end = date.New(to.Year, to.Month, 1).AddDays(-1)
	}
	if end.Before(start) {
		return nil, [][2]date.Date{{from, to}}
	}
	if from.Before(start) {
		windows = append(windows, [2]date.Date{from, start.AddDays(-1)})
	}
	if end.Before(to) {
		windows = append(windows, [2]date.Date{end.AddDays(1), to})
	}
	return &[2]date.Date{start, end}, windows
}

// reportAcc adds up the accountability report's figures by (unit,
// member), by month and by rule.
type reportAcc struct {
	rows   map[reportKey]*task.MetricRow
	order  []reportKey
	months map[string]*task.MonthRow
	byRule map[string]int
}

type reportKey struct {
	unit   int64
	member int64 // 0: nobody named
}

func newReportAcc() *reportAcc {
	return &reportAcc{rows: map[reportKey]*task.MetricRow{}, months: map[string]*task.MonthRow{}, byRule: map[string]int{}}
}

func (a *reportAcc) row(unit int64, member sql.NullInt64) *task.MetricRow {
	k := reportKey{unit, member.Int64}
	r := a.rows[k]
	if r == nil {
		r = &task.MetricRow{UnitID: unit}
		if member.Valid && member.Int64 != 0 {
			m := member.Int64
			r.MemberID = &m
		}
		a.rows[k] = r
		a.order = append(a.order, k)
	}
	return r
}

func (a *reportAcc) month(m string) *task.MonthRow {
	r := a.months[m]
	if r == nil {
		r = &task.MonthRow{Month: m}
		a.months[m] = r
	}
	return r
}

// nameRows reads the names of the units and people of the rows, by id, in
// chunks.
func nameRows(ctx context.Context, qr Querier, rows map[reportKey]*task.MetricRow) error {
	unitIDs, memberIDs := map[int64]bool{}, map[int64]bool{}
	for k := range rows {
		unitIDs[k.unit] = true
		if k.member != 0 {
			memberIDs[k.member] = true
		}
	}
	units, err := namesByID(ctx, qr, `SELECT id, name, kind FROM units WHERE id IN `, unitIDs)
	if err != nil {
		return err
	}
	members, err := namesByID(ctx, qr, `SELECT id, full_name, '' FROM members WHERE id IN `, memberIDs)
	if err != nil {
		return err
	}
	for k, r := range rows {
		r.UnitName, r.UnitKind = units[k.unit][0], units[k.unit][1]
		r.MemberName = members[k.member][0]
	}
	return nil
}

// finish makes the store's answer: the rows in the order first met, every
// month of the period in order.
func (a *reportAcc) finish(q task.ReportQuery) *task.ReportData {
	data := &task.ReportData{FlagsByRule: a.byRule}
	for _, k := range a.order {
		data.Rows = append(data.Rows, *a.rows[k])
	}
	for m := q.From.Year*12 + int(q.From.Month) - 1; m <= q.To.Year*12+int(q.To.Month)-1; m++ {
		key := fmt.Sprintf("%04d-%02d", m/12, m%12+1)
		data.Months = append(data.Months, *a.month(key))
	}
	return data
}
