package task

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// Accountability: the evidence a standing committee uses to decide about
// heads who do not meet their duties. Per unit and per head (the person
// named on the tasks of the unit), over a period [from, to]:
//
//	received            tasks assigned to the unit (its accountable unit) in the period
//	done_on_time        of the unit's tasks, those completed in the period on or before their due date
//	done_late           those completed in the period after it
//	avg_days_late       the average working days late of those done late
//	open_overdue        the unit's tasks still open and past their due date today (not bound to the period)
//	escalations         escalations the unit made as holder in the period
//	pushed_sideways     forwards by the unit, as holder, to units not below it
//	returns             returns by the unit, as holder
//	extension_requests  extensions the unit asked for, as holder
//	unanswered          tasks that reached the unit in the period and that it did not accept
//	                    within the acceptance deadline (late, or not at all before the holding ended)
//	flags               flags raised in the period naming the unit
//
// Outcomes (received, done, late, overdue) belong to the accountable unit
// — the unit the task was assigned to — and its head then, whoever held
// the task at the end: forwarding work down, sideways or up does not move
// the accountability for it. Behaviour (escalations, sideways pushes,
// returns, extension requests, unanswered tasks) belongs to the holder
// that did it, and the person holding for it at that moment. Sub-tasks of a
// fan-out count for their own units; the group itself counts for none.
//
// The ranking puts the worst first, by penalty points:
//
//	score = 3·open_overdue + 2·done_late + 2·unanswered + 2·escalations
//	      + 2·pushed_sideways + 1·returns + 1·extension_requests
//
// then by the lower on-time rate (done_on_time / (done_on_time +
// done_late)), the more tasks received, and the name. The weights are a
// starting point for the standing committee, not a verdict: each number
// stays visible next to the score.

// Score weights (see above).
const (
	WeightOpenOverdue    = 3
	WeightDoneLate       = 2
	WeightUnanswered     = 2
	WeightEscalations    = 2
	WeightPushedSideways = 2
	WeightReturns        = 1
	WeightExtensions     = 1
)

// ScoreFormula documents the score in the report.
const ScoreFormula = "3·open_overdue + 2·done_late + 2·unanswered + 2·escalations + 2·pushed_sideways + 1·returns + 1·extension_requests"

// Metrics are the counts of one unit, one head or the whole subtree.
type Metrics struct {
	Received          int      `json:"received"`
	DoneOnTime        int      `json:"done_on_time"`
	DoneLate          int      `json:"done_late"`
	DaysLateTotal     int      `json:"days_late_total"`
	AvgDaysLate       float64  `json:"avg_days_late"`
	OnTimeRate        *float64 `json:"on_time_rate"`
	OpenOverdue       int      `json:"open_overdue"`
	Escalations       int      `json:"escalations"`
	PushedSideways    int      `json:"pushed_sideways"`
	Returns           int      `json:"returns"`
	ExtensionRequests int      `json:"extension_requests"`
	Unanswered        int      `json:"unanswered"`
	Flags             int      `json:"flags"`
}

// Add adds o's counts to m.
func (m *Metrics) Add(o Metrics) {
	m.Received += o.Received
	m.DoneOnTime += o.DoneOnTime
	m.DoneLate += o.DoneLate
	m.DaysLateTotal += o.DaysLateTotal
	m.OpenOverdue += o.OpenOverdue
	m.Escalations += o.Escalations
	m.PushedSideways += o.PushedSideways
	m.Returns += o.Returns
	m.ExtensionRequests += o.ExtensionRequests
	m.Unanswered += o.Unanswered
	m.Flags += o.Flags
}

// finish computes the averages and rates.
func (m *Metrics) finish() {
	m.AvgDaysLate = 0
	if m.DoneLate > 0 {
		m.AvgDaysLate = float64(m.DaysLateTotal*100/m.DoneLate) / 100
	}
	m.OnTimeRate = nil
	if n := m.DoneOnTime + m.DoneLate; n > 0 {
		r := float64(m.DoneOnTime*1000/n) / 1000
		m.OnTimeRate = &r
	}
}

// Score is the penalty points of the ranking (higher is worse).
func (m *Metrics) Score() int {
	return WeightOpenOverdue*m.OpenOverdue + WeightDoneLate*m.DoneLate + WeightUnanswered*m.Unanswered +
		WeightEscalations*m.Escalations + WeightPushedSideways*m.PushedSideways + WeightReturns*m.Returns + WeightExtensions*m.ExtensionRequests
}

// ReportQuery asks the store for the raw numbers of a subtree.
type ReportQuery struct {
	Path     string
	From, To date.Date
	Today    date.Date
}

// MetricRow is the store's answer for one (unit, person) pair.
type MetricRow struct {
	UnitID     int64
	UnitName   string
	UnitKind   string
	UnitPath   string
	MemberID   *int64
	MemberName string
	Metrics
}

// MonthRow is one month of the trend over the subtree.
type MonthRow struct {
	Month          string `json:"month"` // YYYY-MM
	Received       int    `json:"received"`
	DoneOnTime     int    `json:"done_on_time"`
	DoneLate       int    `json:"done_late"`
	Escalations    int    `json:"escalations"`
	PushedSideways int    `json:"pushed_sideways"`
	Returns        int    `json:"returns"`
	Flags          int    `json:"flags"`
}

// ReportData is what the store computes (set-based, GROUP BY).
type ReportData struct {
	Rows   []MetricRow
	Months []MonthRow
	// FlagsByRule counts the flags raised in the period over the subtree.
	FlagsByRule map[string]int
}

// UnitRow is one unit of the report.
type UnitRow struct {
	Rank     int    `json:"rank"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	UnitKind string `json:"unit_kind"`
	Metrics
	Score int `json:"score"`
	// Heads are the people named on the unit's rows.
	Heads []string `json:"heads"`
}

// HeadRow is one head (a person answering for a unit) of the report.
type HeadRow struct {
	Rank       int    `json:"rank"`
	MemberID   int64  `json:"member_id"`
	MemberName string `json:"member_name"`
	UnitID     int64  `json:"unit_id"`
	UnitName   string `json:"unit_name"`
	Metrics
	Score int `json:"score"`
}

// FlagCount is the number of flags of one rule.
type FlagCount struct {
	Rule  string `json:"rule"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Report is the accountability report of a subtree over a period.
type Report struct {
	UnitID       int64       `json:"unit_id"`
	UnitName     string      `json:"unit_name"`
	From         date.Date   `json:"from"`
	To           date.Date   `json:"to"`
	Today        date.Date   `json:"today"`
	Totals       Metrics     `json:"totals"`
	Units        []UnitRow   `json:"units"`
	Heads        []HeadRow   `json:"heads"`
	Months       []MonthRow  `json:"months"`
	Flags        []FlagCount `json:"flags"`
	ScoreFormula string      `json:"score_formula"`
}

// ReportInput is a report request.
type ReportInput struct {
	UnitID   int64
	From, To date.Date
}

// Accountability returns the report of a unit's subtree (officers over
// it). The period defaults to 1 January of this year through today.
func (s *Service) Accountability(ctx context.Context, actor *auth.Actor, in ReportInput) (*Report, error) {
	if in.UnitID == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
	}
	u, err := s.Store.Unit(ctx, in.UnitID)
	if err != nil || !actor.Can(u.Path, ViewRoles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", in.UnitID)
	}
	today := s.today()
	if in.To.IsZero() {
		in.To = today
	}
	if in.From.IsZero() {
		in.From = date.New(in.To.Year, 1, 1)
	}
	for _, e := range []*apperr.FieldError{checkCalendarDate("from", in.From), checkCalendarDate("to", in.To)} {
		if e != nil {
			return nil, apperr.Keyed(apperr.Invalid, "task.period_out_range", "the period is out of range").With(*e)
		}
	}
	if in.From.After(in.To) {
		return nil, apperr.Keyed(apperr.Invalid, "task.period_empty", "the period is empty").With(apperr.FieldKeyed("from", "task.must_not_after", "must not be after to"))
	}
	if in.To.Year-in.From.Year > 10 {
		return nil, apperr.Keyed(apperr.Invalid, "task.period_too_long", "the period is too long").With(apperr.FieldKeyed("from", "task.most_ten_years", "at most ten years"))
	}
	data, err := s.Store.Accountability(ctx, ReportQuery{Path: u.Path, From: in.From, To: in.To, Today: today})
	if err != nil {
		return nil, err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	r := BuildReport(data, rules)
	r.UnitID, r.UnitName, r.From, r.To, r.Today = u.ID, u.Name, in.From, in.To, today
	return r, nil
}

// BuildReport aggregates the store's rows per unit and per head, ranks
// them worst first and fills the totals.
func BuildReport(data *ReportData, rules Rules) *Report {
	r := &Report{ScoreFormula: ScoreFormula, Units: []UnitRow{}, Heads: []HeadRow{}, Months: data.Months, Flags: []FlagCount{}}
	if r.Months == nil {
		r.Months = []MonthRow{}
	}
	units := map[int64]*UnitRow{}
	heads := map[[2]int64]*HeadRow{}
	for _, row := range data.Rows {
		u := units[row.UnitID]
		if u == nil {
			u = &UnitRow{UnitID: row.UnitID, UnitName: row.UnitName, UnitKind: row.UnitKind, Heads: []string{}}
			units[row.UnitID] = u
		}
		u.Add(row.Metrics)
		r.Totals.Add(row.Metrics)
		if row.MemberID == nil {
			continue
		}
		k := [2]int64{*row.MemberID, row.UnitID}
		h := heads[k]
		if h == nil {
			h = &HeadRow{MemberID: *row.MemberID, MemberName: row.MemberName, UnitID: row.UnitID, UnitName: row.UnitName}
			heads[k] = h
			if row.MemberName != "" && !slices.Contains(u.Heads, row.MemberName) {
				u.Heads = append(u.Heads, row.MemberName)
			}
		}
		h.Add(row.Metrics)
	}
	r.Totals.finish()
	for _, u := range units {
		u.finish()
		u.Score = u.Metrics.Score()
		slices.Sort(u.Heads)
		r.Units = append(r.Units, *u)
	}
	for _, h := range heads {
		h.finish()
		h.Score = h.Metrics.Score()
		r.Heads = append(r.Heads, *h)
	}
	slices.SortFunc(r.Units, func(a, b UnitRow) int {
		return worse(&a.Metrics, &b.Metrics, a.Score, b.Score, a.UnitName, b.UnitName, a.UnitID, b.UnitID)
	})
	slices.SortFunc(r.Heads, func(a, b HeadRow) int {
		return worse(&a.Metrics, &b.Metrics, a.Score, b.Score, a.MemberName, b.MemberName, a.MemberID*1_000_000_007+a.UnitID, b.MemberID*1_000_000_007+b.UnitID)
	})
	for i := range r.Units {
		r.Units[i].Rank = i + 1
	}
	for i := range r.Heads {
		r.Heads[i].Rank = i + 1
	}
	for code, n := range data.FlagsByRule {
		r.Flags = append(r.Flags, FlagCount{Rule: code, Name: rules.Name(code), Count: n})
	}
	slices.SortFunc(r.Flags, func(a, b FlagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Rule, b.Rule))
	})
	return r
}

// worse orders the worst first: higher score, lower on-time rate, more
// tasks received, then by name and id for a stable order.
func worse(a, b *Metrics, sa, sb int, na, nb string, ia, ib int64) int {
	rate := func(m *Metrics) float64 {
		if m.OnTimeRate == nil {
			return 2 // nothing completed: after every measured rate
		}
		return *m.OnTimeRate
	}
	return cmp.Or(cmp.Compare(sb, sa), cmp.Compare(rate(a), rate(b)), cmp.Compare(b.Received, a.Received), strings.Compare(na, nb), cmp.Compare(ia, ib))
}

// ExportHeaders are the columns of the exported ranking.
var ExportHeaders = []string{"Hạng", "Đơn vị", "Người đứng đầu", "Nhận", "Đúng hạn", "Trễ hạn", "Số ngày trễ TB",
	"Quá hạn đang mở", "Đẩy lên trên", "Đẩy sang ngang", "Trả lại", "Xin gia hạn", "Không phản hồi", "Cảnh báo", "Điểm"}

// ExportRows renders the unit ranking as text cells, then a totals row.
func (r *Report) ExportRows() [][]string {
	itoa := strconv.Itoa
	row := func(rank, name, heads string, m Metrics, score string) []string {
		return []string{rank, name, heads, itoa(m.Received), itoa(m.DoneOnTime), itoa(m.DoneLate), strconv.FormatFloat(m.AvgDaysLate, 'f', 2, 64),
			itoa(m.OpenOverdue), itoa(m.Escalations), itoa(m.PushedSideways), itoa(m.Returns), itoa(m.ExtensionRequests), itoa(m.Unanswered), itoa(m.Flags), score}
	}
	out := make([][]string, 0, len(r.Units)+1)
	for _, u := range r.Units {
		out = append(out, row(itoa(u.Rank), u.UnitName, strings.Join(u.Heads, ", "), u.Metrics, itoa(u.Score)))
	}
	out = append(out, row("", "Tổng cộng", "", r.Totals, itoa(r.Totals.Score())))
	return out
}

// ExportTitle is the title line of the exported sheet.
func (r *Report) ExportTitle() string {
	return fmt.Sprintf("TRÁCH NHIỆM XỬ LÝ CÔNG VIỆC — %s, từ %s đến %s", strings.ToUpper(r.UnitName), r.From.VN(), r.To.VN())
}
