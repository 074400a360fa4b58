package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
)

// Accountability computes the raw numbers of the accountability report of
// a subtree (see internal/task/accountability.go for the definitions).
//
// The whole months of the period come from task_counts (migration 0021:
// per unit, person, month and metric, kept by triggers on tasks, steps and
// flags in each write's transaction), so they cost the subtree's units ×
// months, not its tasks. The days of a month the period covers only in
// part (at most two windows, e.g. this month up to today) are read from
// the rows (accountabilityScan's statements over those days). Two figures
// depend on the clock and are not kept whole by writes: the running tasks
// overdue (counted by the month of due_on: the months before today's from
// the counters, today's month up to yesterday from the tasks) and the
// holdings not accepted in time while still open (counted by on_date and
// the month of accept_due_on, the same way).
func (db Tasks) Accountability(ctx context.Context, q task.ReportQuery) (*task.ReportData, error) {
	a := newReportAcc()
	full, windows := monthSplit(q.From, q.To)
	lo, hi := q.Path, prefixEnd(q.Path)
	todayMonth := monthOf(q.Today)
	firstOfToday := date.New(q.Today.Year, q.Today.Month, 1)
	err := db.Read(ctx, func(qr Querier) error {
		if full != nil {
			if err := a.counters(ctx, qr, lo, hi, monthOf(full[0]), monthOf(full[1]), todayMonth); err != nil {
				return err
			}
			// Open holdings of the whole months whose acceptance fell due
			// this month before today.
			rs, err := qr.QueryContext(ctx, `SELECT s.to_unit_id, s.to_member_id, COUNT(*) FROM units u CROSS JOIN task_steps s
				WHERE s.to_unit_id = u.id AND u.path >= $1 AND u.path < $2
					AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
					AND s.accept_due_on >= $3 AND s.accept_due_on < $4 AND s.on_date >= $5 AND s.on_date <= $6
				GROUP BY s.to_unit_id, s.to_member_id`, lo, hi, firstOfToday, q.Today, full[0], full[1])
			if err != nil {
				return fmt.Errorf("accountability open acceptances: %w", err)
			}
			if err := a.addRows(rs, func(r *task.MetricRow, n int) { r.Unanswered += n }); err != nil {
				return err
			}
		}
		for _, w := range windows {
			if err := a.scan(ctx, qr, q.Path, w[0], w[1], q.Today, false); err != nil {
				return err
			}
		}
		// Running tasks overdue: due in a month before today's (counters),
		// or this month before today (tasks).
		rs, err := qr.QueryContext(ctx, `SELECT c.unit_id, c.member_id, SUM(c.n) FROM units u CROSS JOIN task_counts c
			WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.metric = 'running_due' AND c.month < $3
			GROUP BY c.unit_id, c.member_id HAVING SUM(c.n) <> 0`, lo, hi, todayMonth)
		if err != nil {
			return fmt.Errorf("accountability overdue: %w", err)
		}
		if err := a.addRows(rs, func(r *task.MetricRow, n int) { r.OpenOverdue += n }); err != nil {
			return err
		}
		rs, err = qr.QueryContext(ctx, `SELECT t.unit_id, t.accountable_member_id, COUNT(*) FROM units u CROSS JOIN tasks t
			WHERE t.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND t.state IN ('assigned', 'in_progress') AND t.kind = 'task'
				AND t.due_on >= $3 AND t.due_on < $4
			GROUP BY t.unit_id, t.accountable_member_id`, lo, hi, firstOfToday, q.Today)
		if err != nil {
			return fmt.Errorf("accountability overdue: %w", err)
		}
		if err := a.addRows(rs, func(r *task.MetricRow, n int) { r.OpenOverdue += n }); err != nil {
			return err
		}
		return a.names(ctx, qr)
	})
	if err != nil {
		return nil, err
	}
	return a.finish(q), nil
}

// counters adds the counters of the months m1..m2 of the subtree (units
// whose path is in [lo, hi)); an open holding counts as unanswered when
// its acceptance fell due in a month before today's.
func (a *reportAcc) counters(ctx context.Context, qr Querier, lo, hi, m1, m2, todayMonth string) error {
	rs, err := qr.QueryContext(ctx, `SELECT c.unit_id, c.member_id, c.month, c.metric, c.n FROM units u CROSS JOIN task_counts c
		WHERE c.unit_id = u.id AND u.path >= $1 AND u.path < $2 AND c.month >= $3 AND c.month <= $4 AND c.n <> 0`, lo, hi, m1, m2)
	if err != nil {
		return fmt.Errorf("accountability counters: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var unit int64
		var member sql.NullInt64
		var month, metric string
		var n int
		if err := rs.Scan(&unit, &member, &month, &metric, &n); err != nil {
			return err
		}
		switch {
		case metric == "received":
			a.row(unit, member).Received += n
			a.month(month).Received += n
		case metric == "done_on_time":
			a.row(unit, member).DoneOnTime += n
			a.month(month).DoneOnTime += n
		case metric == "done_late":
			a.row(unit, member).DoneLate += n
			a.month(month).DoneLate += n
		case metric == "days_late":
			a.row(unit, member).DaysLateTotal += n
		case metric == "escalate":
			a.row(unit, member).Escalations += n
			a.month(month).Escalations += n
		case metric == "sideways":
			a.row(unit, member).PushedSideways += n
			a.month(month).PushedSideways += n
		case metric == "return":
			a.row(unit, member).Returns += n
			a.month(month).Returns += n
		case metric == "extend":
			a.row(unit, member).ExtensionRequests += n
		case metric == "unanswered":
			a.row(unit, member).Unanswered += n
		case strings.HasPrefix(metric, "open_accept:"):
			if metric[len("open_accept:"):] < todayMonth {
				a.row(unit, member).Unanswered += n
			}
		case strings.HasPrefix(metric, "flag:"):
			a.row(unit, member).Flags += n
			a.month(month).Flags += n
			a.byRule[metric[len("flag:"):]] += n
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
