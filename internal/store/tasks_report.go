package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/task"
)

// accountabilityScan computes the raw numbers of the accountability report
// of a subtree from the rows (see internal/task/accountability.go for the
// definitions). The report reads them from the counters (Accountability,
// tasks_counters.go); these statements stay as the definition the counters
// are tested against (the oracle of TestTaskCountersAfterRandomSteps): a
// few GROUP BY statements, each driven by the subtree's units (a range scan
// on units.path) and an index of tasks or steps by unit and date, so the
// cost follows the size of the subtree and the period, not the database.
// "units u CROSS JOIN …" keeps SQLite from starting with the tasks (its
// planner cannot size a path range given as parameters); PostgreSQL plans
// a CROSS JOIN with its conditions in WHERE like any inner join.
//
// long: it stays one function on purpose: its length is the table of
// statements, one SQL text per figure of the report with the field it
// fills, kept side by side so that each figure can be checked against its
// definition in one reading; the code around the table is short.
func (db Tasks) accountabilityScan(ctx context.Context, q task.ReportQuery) (*task.ReportData, error) {
	type key = reportKey
	rows := map[key]*task.MetricRow{}
	var order []key
	row := func(unit int64, member sql.NullInt64) *task.MetricRow {
		k := key{unit, member.Int64}
		r := rows[k]
		if r == nil {
			r = &task.MetricRow{UnitID: unit}
			if member.Valid {
				m := member.Int64
				r.MemberID = &m
			}
			rows[k] = r
			order = append(order, k)
		}
		return r
	}
	lo, hi := q.Path, prefixEnd(q.Path)
	// Each statement answers (unit, member, n1, n2, n3, n4).
	type metric struct {
		name  string
		query string
		args  []any
		set   func(r *task.MetricRow, n [4]int)
	}
	const running = `t.state IN ('assigned', 'in_progress') AND t.kind = 'task'`
	// The statements aggregate ids only; the names of the few units and
	// people in the result are read afterwards (a join before or after the
	// aggregation lets a planner that cannot tell how few groups there are
	// hash or rescan far more than it needs).
	metrics := []metric{
		{"received", `SELECT t.unit_id, t.accountable_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.assigned_on >= $3 AND t.assigned_on <= $4 AND t.kind = 'task'
			GROUP BY t.unit_id, t.accountable_member_id`, []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) { r.Received += n[0] }},
		{"done", `SELECT t.unit_id, t.accountable_member_id AS member_id,
				SUM(CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END) AS n1, SUM(CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END) AS n2,
				SUM(CASE WHEN t.days_late > 0 THEN t.days_late ELSE 0 END) AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.done_on IS NOT NULL AND t.kind = 'task' AND t.done_on >= $3 AND t.done_on <= $4
			GROUP BY t.unit_id, t.accountable_member_id`, []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) { r.DoneOnTime += n[0]; r.DoneLate += n[1]; r.DaysLateTotal += n[2] }},
		{"open overdue", `SELECT t.unit_id, t.accountable_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND ` + running + ` AND t.due_on < $3
			GROUP BY t.unit_id, t.accountable_member_id`, []any{lo, hi, q.Today},
			func(r *task.MetricRow, n [4]int) { r.OpenOverdue += n[0] }},
		{"passing", `SELECT s.from_unit_id AS unit_id, s.from_member_id AS member_id,
				SUM(CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END) AS n1,
				SUM(CASE WHEN s.action = 'forward' AND s.direction = 'sideways' THEN 1 ELSE 0 END) AS n2,
				SUM(CASE WHEN s.action = 'return' THEN 1 ELSE 0 END) AS n3,
				SUM(CASE WHEN s.action = 'extend' THEN 1 ELSE 0 END) AS n4
			FROM units u CROSS JOIN task_steps s
			WHERE s.from_unit_id = u.id AND u.path >= $1 AND u.path < $2 AND s.action IN ('escalate', 'forward', 'return', 'extend')
				AND s.on_date >= $3 AND s.on_date <= $4 AND s.capacity = 'holder'
			GROUP BY s.from_unit_id, s.from_member_id`, []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) {
				r.Escalations += n[0]
				r.PushedSideways += n[1]
				r.Returns += n[2]
				r.ExtensionRequests += n[3]
			}},
		{"unanswered", `SELECT s.to_unit_id AS unit_id, s.to_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN task_steps s
			WHERE s.to_unit_id = u.id AND u.path >= $1 AND u.path < $2 AND s.accept_due_on IS NOT NULL AND s.on_date >= $3 AND s.on_date <= $4
				AND ((s.answered_on IS NULL AND s.accept_due_on < COALESCE(s.ended_on, $5)) OR s.answered_on > s.accept_due_on)
			GROUP BY s.to_unit_id, s.to_member_id`, []any{lo, hi, q.From, q.To, q.Today},
			func(r *task.MetricRow, n [4]int) { r.Unanswered += n[0] }},
		{"flags", `SELECT f.unit_id, f.member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN task_flags f
			WHERE f.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND f.raised_on >= $3 AND f.raised_on <= $4
			GROUP BY f.unit_id, f.member_id`, []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) { r.Flags += n[0] }},
	}
	data := &task.ReportData{FlagsByRule: map[string]int{}}
	months := map[string]*task.MonthRow{}
	month := func(m string) *task.MonthRow {
		r := months[m]
		if r == nil {
			r = &task.MonthRow{Month: m}
			months[m] = r
		}
		return r
	}
	type trend struct {
		query string
		set   func(r *task.MonthRow, n [3]int)
	}
	trends := []trend{
		{`SELECT substr(t.assigned_on, 1, 7), COUNT(*), 0, 0 FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.assigned_on >= $3 AND t.assigned_on <= $4 AND t.kind = 'task' GROUP BY 1`,
			func(r *task.MonthRow, n [3]int) { r.Received += n[0] }},
		{`SELECT substr(t.done_on, 1, 7), SUM(CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END), 0
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.done_on IS NOT NULL AND t.done_on >= $3 AND t.done_on <= $4 AND t.kind = 'task' GROUP BY 1`,
			func(r *task.MonthRow, n [3]int) { r.DoneOnTime += n[0]; r.DoneLate += n[1] }},
		{`SELECT substr(s.on_date, 1, 7), SUM(CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END),
				SUM(CASE WHEN s.action = 'forward' AND s.direction = 'sideways' THEN 1 ELSE 0 END), SUM(CASE WHEN s.action = 'return' THEN 1 ELSE 0 END)
			FROM units u CROSS JOIN task_steps s
			WHERE s.from_unit_id = u.id AND u.path >= $1 AND u.path < $2 AND s.action IN ('escalate', 'forward', 'return', 'extend')
				AND s.on_date >= $3 AND s.on_date <= $4 AND s.capacity = 'holder' GROUP BY 1`,
			func(r *task.MonthRow, n [3]int) { r.Escalations += n[0]; r.PushedSideways += n[1]; r.Returns += n[2] }},
		{`SELECT substr(f.raised_on, 1, 7), COUNT(*), 0, 0 FROM units u CROSS JOIN task_flags f
			WHERE f.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND f.raised_on >= $3 AND f.raised_on <= $4 GROUP BY 1`,
			func(r *task.MonthRow, n [3]int) { r.Flags += n[0] }},
	}
	err := db.readHeavy(ctx, func(qr Querier) error {
		for _, m := range metrics {
			rs, err := qr.QueryContext(ctx, m.query, m.args...)
			if err != nil {
				return fmt.Errorf("accountability %s: %w", m.name, err)
			}
			for rs.Next() {
				var unit int64
				var member sql.NullInt64
				var n [4]sql.NullInt64
				if err := rs.Scan(&unit, &member, &n[0], &n[1], &n[2], &n[3]); err != nil {
					rs.Close()
					return err
				}
				m.set(row(unit, member), [4]int{int(n[0].Int64), int(n[1].Int64), int(n[2].Int64), int(n[3].Int64)})
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return err
			}
		}
		for _, tr := range trends {
			rs, err := qr.QueryContext(ctx, tr.query, lo, hi, q.From, q.To)
			if err != nil {
				return fmt.Errorf("accountability trend: %w", err)
			}
			for rs.Next() {
				var m string
				var n [3]sql.NullInt64
				if err := rs.Scan(&m, &n[0], &n[1], &n[2]); err != nil {
					rs.Close()
					return err
				}
				tr.set(month(m), [3]int{int(n[0].Int64), int(n[1].Int64), int(n[2].Int64)})
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return err
			}
		}
		rs, err := qr.QueryContext(ctx, `SELECT f.rule, COUNT(*) FROM units u CROSS JOIN task_flags f
			WHERE f.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND f.raised_on >= $3 AND f.raised_on <= $4 GROUP BY f.rule`, lo, hi, q.From, q.To)
		if err != nil {
			return err
		}
		for rs.Next() {
			var rule string
			var n int
			if err := rs.Scan(&rule, &n); err != nil {
				rs.Close()
				return err
			}
			data.FlagsByRule[rule] = n
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		return nameRows(ctx, qr, rows)
	})
	if err != nil {
		return nil, err
	}
	for _, k := range order {
		data.Rows = append(data.Rows, *rows[k])
	}
	// Months in order, every month of the period present.
	for m := q.From.Year*12 + int(q.From.Month) - 1; m <= q.To.Year*12+int(q.To.Month)-1; m++ {
		key := fmt.Sprintf("%04d-%02d", m/12, m%12+1)
		data.Months = append(data.Months, *month(key))
	}
	return data, nil
}

// namesByID runs query (ending in "IN ") over ids in chunks and returns the
// two text columns after the id, by id.
func namesByID(ctx context.Context, q Querier, query string, ids map[int64]bool) (map[int64][2]string, error) {
	out := map[int64][2]string{}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	for start := 0; start < len(list); start += 500 {
		var args argList
		marks := make([]string, 0, 500)
		for _, id := range list[start:min(start+500, len(list))] {
			marks = append(marks, args.add(id))
		}
		err := queryEach(ctx, q, func(rows *sql.Rows) error {
			var id int64
			var a, b string
			err := rows.Scan(&id, &a, &b)
			out[id] = [2]string{a, b}
			return err
		}, query+"("+strings.Join(marks, ",")+")", args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
