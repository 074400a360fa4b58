package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
)

// taskCountColumns are the counted columns of task_counts (migration 0026).
var taskCountColumns = []string{"received", "done_on_time", "done_late", "days_late", "escalations", "sideways", "returns", "extensions", "unanswered", "flags"}

// taskCountsRecount recomputes task_counts from tasks, task_steps and
// task_flags: the same text as the backfill of migration 0026 (both
// engines). Each event is one row (unit, person, day, rule, counts...),
// counted twice: on its month ('m') and on its day ('d').
const taskCountsRecount = `SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT t.unit_id AS unit_id, COALESCE(t.accountable_member_id, 0) AS member_id, t.assigned_on AS d, '' AS rule, 1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags FROM tasks t WHERE t.kind = 'task'
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), t.done_on, '', 0, CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 * t.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL
      UNION ALL SELECT s.from_unit_id, COALESCE(s.from_member_id, 0), s.on_date, '', 0, 0, 0, 0, CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END, CASE WHEN s.action = 'forward' THEN 1 ELSE 0 END, CASE WHEN s.action = 'return' THEN 1 ELSE 0 END, CASE WHEN s.action = 'extend' THEN 1 ELSE 0 END, 0, 0 FROM task_steps s WHERE s.capacity = 'holder' AND s.from_unit_id IS NOT NULL AND (s.action IN ('escalate', 'return', 'extend') OR (s.action = 'forward' AND s.direction = 'sideways'))
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), s.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND ((s.answered_on IS NULL AND s.ended_on IS NOT NULL AND s.accept_due_on < s.ended_on) OR s.answered_on > s.accept_due_on)
      UNION ALL SELECT f.unit_id, COALESCE(f.member_id, 0), f.raised_on, f.rule, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM task_flags f WHERE f.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule`

// Accountability computes the raw numbers of the accountability report of
// a subtree (see internal/task/accountability.go for the definitions) from
// the counters of task_counts: the whole months of the period from month
// rows, the days at its ends (at most two part-months) from day rows, in
// one statement (by unit, person, month and rule) over the
// subtree's units (a range scan of units.path) and the counters' primary
// key. What depends on the clock is read from the rows by partial
// indexes: running tasks due before today (tasks_unit_running) and
// arrivals still open whose acceptance fell due before today
// (task_steps_open_accept). The cost follows the subtree's units and the
// months of the period (and the open work), not its tasks and steps.
func (db Tasks) Accountability(ctx context.Context, q task.ReportQuery) (*task.ReportData, error) {
	a := newReportAcc()
	lo, hi := q.Path, prefixEnd(q.Path)
	// The counter rows of the period: (grain, first, last) ranges.
	var ranges [][3]string
	full, windows := monthSplit(q.From, q.To)
	if full != nil {
		ranges = append(ranges, [3]string{"m", monthOf(full[0]), monthOf(full[1])})
	}
	for _, w := range windows {
		ranges = append(ranges, [3]string{"d", w[0].String(), w[1].String()})
	}
	// One branch per range, each driven by the subtree's units and the
	// primary key (an OR of the ranges in one WHERE makes PostgreSQL scan
	// the whole table); the sums over them are grouped outside.
	cols := "c." + strings.Join(taskCountColumns, ", c.")
	args := []any{lo, hi}
	var branches []string
	for _, r := range ranges {
		args = append(args, r[0], r[1], r[2])
		n := len(args)
		branches = append(branches, fmt.Sprintf(`SELECT c.unit_id, c.member_id, c.period, c.rule, %s FROM units u CROSS JOIN task_counts c
			WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.grain = $%d AND c.period >= $%d AND c.period <= $%d`, cols, n-2, n-1, n))
	}
	sums := make([]string, len(taskCountColumns))
	for i, c := range taskCountColumns {
		sums[i] = "CAST(SUM(x." + c + ") AS BIGINT)"
	}
	from := ` FROM (` + strings.Join(branches, "\n\t\t\tUNION ALL ") + `) x`
	err := db.readHeavy(ctx, func(qr Querier) error {
		if len(ranges) > 0 {
			if err := a.counted(ctx, qr, `SELECT x.unit_id, x.member_id, substr(x.period, 1, 7), x.rule, `+strings.Join(sums, ", ")+from+`
				GROUP BY x.unit_id, x.member_id, substr(x.period, 1, 7), x.rule`, args); err != nil {
				return err
			}
		}
		// Running tasks due before today (no period), and arrivals of the
		// period still open whose acceptance fell due before today.
		for _, c := range []struct {
			name, query string
			args        []any
			set         func(r *task.MetricRow, n int)
		}{
			{"open overdue", `SELECT t.unit_id, t.accountable_member_id, COUNT(*) FROM units u CROSS JOIN tasks t
				WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.state IN ('assigned', 'in_progress') AND t.kind = 'task' AND t.due_on < $3
				GROUP BY t.unit_id, t.accountable_member_id`, []any{lo, hi, q.Today},
				func(r *task.MetricRow, n int) { r.OpenOverdue += n }},
			{"open arrivals", `SELECT s.to_unit_id, s.to_member_id, COUNT(*) FROM units u CROSS JOIN task_steps s
				WHERE s.to_unit_id = u.id AND u.path >= $1 AND u.path < $2
					AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
					AND s.accept_due_on < $3 AND s.on_date >= $4 AND s.on_date <= $5
				GROUP BY s.to_unit_id, s.to_member_id`, []any{lo, hi, q.Today, q.From, q.To},
				func(r *task.MetricRow, n int) { r.Unanswered += n }},
		} {
			rs, err := qr.QueryContext(ctx, c.query, c.args...)
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

// counted adds the rows of the counters statement answering (unit,
// member, month, rule, the counted columns...) to the rows by unit and
// person, the months and the flags by rule.
func (a *reportAcc) counted(ctx context.Context, qr Querier, query string, args []any) error {
	rs, err := qr.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("accountability counters: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var unit, member int64
		var month, rule string
		var n [10]int64
		if err := rs.Scan(&unit, &member, &month, &rule, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9]); err != nil {
			return err
		}
		if n == [10]int64{} {
			continue
		}
		r := a.row(unit, sql.NullInt64{Int64: member, Valid: member != 0})
		r.Received += int(n[0])
		r.DoneOnTime += int(n[1])
		r.DoneLate += int(n[2])
		r.DaysLateTotal += int(n[3])
		r.Escalations += int(n[4])
		r.PushedSideways += int(n[5])
		r.Returns += int(n[6])
		r.ExtensionRequests += int(n[7])
		r.Unanswered += int(n[8])
		r.Flags += int(n[9])
		m := a.month(month)
		m.Received += int(n[0])
		m.DoneOnTime += int(n[1])
		m.DoneLate += int(n[2])
		m.Escalations += int(n[4])
		m.PushedSideways += int(n[5])
		m.Returns += int(n[6])
		m.Flags += int(n[9])
		if rule != "" && n[9] != 0 {
			a.byRule[rule] += int(n[9])
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
