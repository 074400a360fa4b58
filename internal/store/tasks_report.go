package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sotay-vn/sotay/internal/task"
)

// Accountability computes the raw numbers of the accountability report of
// a subtree (see internal/task/accountability.go for the definitions): a
// few GROUP BY statements, each driven by the subtree's units (a range scan
// on units.path) and an index of tasks or steps by unit and date, so the
// cost follows the size of the subtree and the period, not the database.
// "units u CROSS JOIN …" keeps SQLite from starting with the tasks (its
// planner cannot size a path range given as parameters); PostgreSQL plans
// a CROSS JOIN with its conditions in WHERE like any inner join.
func (db *DB) Accountability(ctx context.Context, q task.ReportQuery) (*task.ReportData, error) {
	type key struct {
		unit   int64
		member int64 // 0: nobody named
	}
	rows := map[key]*task.MetricRow{}
	var order []key
	row := func(unit int64, unitName, unitKind string, member sql.NullInt64, memberName string) *task.MetricRow {
		k := key{unit, member.Int64}
		r := rows[k]
		if r == nil {
			r = &task.MetricRow{UnitID: unit, UnitName: unitName, UnitKind: unitKind, MemberName: memberName}
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
	// Each statement answers (unit, unit name, kind, member, member name, n1, n2, n3, n4).
	type metric struct {
		name  string
		query string
		args  []any
		set   func(r *task.MetricRow, n [4]int)
	}
	const running = `t.state IN ('assigned', 'in_progress') AND t.kind = 'task'`
	// The names are joined once per group, after the aggregation.
	named := func(inner string) string {
		return `SELECT x.unit_id, u.name, u.kind, x.member_id, COALESCE(m.full_name, ''), x.n1, x.n2, x.n3, x.n4
			FROM (` + inner + `) x JOIN units u ON u.id = x.unit_id LEFT JOIN members m ON m.id = x.member_id`
	}
	metrics := []metric{
		{"received", named(`SELECT t.unit_id, t.accountable_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.assigned_on >= $3 AND t.assigned_on <= $4 AND t.kind = 'task'
			GROUP BY t.unit_id, t.accountable_member_id`), []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) { r.Received += n[0] }},
		{"done", named(`SELECT t.unit_id, t.accountable_member_id AS member_id,
				SUM(CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END) AS n1, SUM(CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END) AS n2,
				SUM(CASE WHEN t.days_late > 0 THEN t.days_late ELSE 0 END) AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.done_on IS NOT NULL AND t.kind = 'task' AND t.done_on >= $3 AND t.done_on <= $4
			GROUP BY t.unit_id, t.accountable_member_id`), []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) { r.DoneOnTime += n[0]; r.DoneLate += n[1]; r.DaysLateTotal += n[2] }},
		{"open overdue", named(`SELECT t.unit_id, t.accountable_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND ` + running + ` AND t.due_on < $3
			GROUP BY t.unit_id, t.accountable_member_id`), []any{lo, hi, q.Today},
			func(r *task.MetricRow, n [4]int) { r.OpenOverdue += n[0] }},
		{"passing", named(`SELECT s.from_unit_id AS unit_id, s.from_member_id AS member_id,
				SUM(CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END) AS n1,
				SUM(CASE WHEN s.action = 'forward' AND s.direction = 'sideways' THEN 1 ELSE 0 END) AS n2,
				SUM(CASE WHEN s.action = 'return' THEN 1 ELSE 0 END) AS n3,
				SUM(CASE WHEN s.action = 'extend' THEN 1 ELSE 0 END) AS n4
			FROM units u CROSS JOIN task_steps s
			WHERE s.from_unit_id = u.id AND u.path >= $1 AND u.path < $2 AND s.action IN ('escalate', 'forward', 'return', 'extend')
				AND s.on_date >= $3 AND s.on_date <= $4 AND s.capacity = 'holder'
			GROUP BY s.from_unit_id, s.from_member_id`), []any{lo, hi, q.From, q.To},
			func(r *task.MetricRow, n [4]int) {
				r.Escalations += n[0]
				r.PushedSideways += n[1]
				r.Returns += n[2]
				r.ExtensionRequests += n[3]
			}},
		{"unanswered", named(`SELECT s.to_unit_id AS unit_id, s.to_member_id AS member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN task_steps s
			WHERE s.to_unit_id = u.id AND u.path >= $1 AND u.path < $2 AND s.accept_due_on IS NOT NULL AND s.on_date >= $3 AND s.on_date <= $4
				AND ((s.answered_on IS NULL AND s.accept_due_on < COALESCE(s.ended_on, $5)) OR s.answered_on > s.accept_due_on)
			GROUP BY s.to_unit_id, s.to_member_id`), []any{lo, hi, q.From, q.To, q.Today},
			func(r *task.MetricRow, n [4]int) { r.Unanswered += n[0] }},
		{"flags", named(`SELECT f.unit_id, f.member_id, COUNT(*) AS n1, 0 AS n2, 0 AS n3, 0 AS n4
			FROM units u CROSS JOIN task_flags f
			WHERE f.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND f.raised_on >= $3 AND f.raised_on <= $4
			GROUP BY f.unit_id, f.member_id`), []any{lo, hi, q.From, q.To},
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
	err := db.Read(ctx, func(qr Querier) error {
		for _, m := range metrics {
			rs, err := qr.QueryContext(ctx, m.query, m.args...)
			if err != nil {
				return fmt.Errorf("accountability %s: %w", m.name, err)
			}
			for rs.Next() {
				var unit int64
				var unitName, unitKind, memberName string
				var member sql.NullInt64
				var n [4]sql.NullInt64
				if err := rs.Scan(&unit, &unitName, &unitKind, &member, &memberName, &n[0], &n[1], &n[2], &n[3]); err != nil {
					rs.Close()
					return err
				}
				m.set(row(unit, unitName, unitKind, member, memberName), [4]int{int(n[0].Int64), int(n[1].Int64), int(n[2].Int64), int(n[3].Int64)})
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
		defer rs.Close()
		for rs.Next() {
			var rule string
			var n int
			if err := rs.Scan(&rule, &n); err != nil {
				return err
			}
			data.FlagsByRule[rule] = n
		}
		return rs.Err()
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
