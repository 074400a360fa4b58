package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Work handling's pages: my tasks, the task page with its timeline and
// step forms, a committee's board and the accountability report. They
// work without JavaScript; the charts are SVG drawn on the server.

func taskFuncs(l lang) template.FuncMap {
	return template.FuncMap{
		// flagDetail is a flag's detail in the page's language; a detail
		// stored before details had keys shows as it was written.
		"flagDetail": func(f task.Flag) string { return message(l, f.DetailKey, f.DetailArgs, f.Detail) },
		// flagName is the rule's name in the page's language.
		"flagName": func(f task.Flag) string {
			if l == en && f.RuleNameEN != "" {
				return f.RuleNameEN
			}
			return f.RuleName
		},
		// clock shows a step's instant in Vietnam time, like every page.
		"clock": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return when(l, v)
			case *time.Time:
				if v != nil {
					return when(l, *v)
				}
			}
			return ""
		},
		"avg": func(f float64) string {
			s := strconv.FormatFloat(f, 'f', 1, 64)
			if l == vi {
				s = strings.Replace(s, ".", ",", 1)
			}
			return s
		},
		"list":  func(xs ...string) []string { return xs },
		"deref": func(n *int) int { return *n },
		"has": func(can []task.Action, a string) bool {
			for _, c := range can {
				if string(c) == a {
					return true
				}
			}
			return false
		},
	}
}

// taskGroupSize is how many tasks a list of a work page shows at once.
const taskGroupSize = 50

// taskGroup is one list of a work page (task.Group): a page of its tasks,
// how many it holds in all, and the link to the next page.
type taskGroup struct {
	Name  string
	Items []task.Task
	Total int
	// TotalAtLeast: the list stopped counting at Total (page.Of).
	TotalAtLeast bool
	More         string
}

// taskGroups reads each list of a work page at base, one query each. With
// ?group=NAME&cursor=C the page shows that list alone, from the cursor
// on, and All links back to every list.
func (s *Handler) taskGroups(r *http.Request, base string, gs []task.Group) (groups []taskGroup, all string, err error) {
	q := r.URL.Query()
	cursor := ""
	if g, ok := task.GroupNamed(gs, q.Get("group")); ok {
		gs, cursor, all = []task.Group{g}, q.Get("cursor"), base
	}
	for _, g := range gs {
		in := g.In
		in.Limit, in.Cursor = taskGroupSize, cursor
		page, err := s.Tasks.List(r.Context(), httpx.ActorFrom(r), in)
		if err != nil {
			return nil, "", err
		}
		tg := taskGroup{Name: g.Name, Items: page.Items, Total: page.Total, TotalAtLeast: page.TotalAtLeast}
		if page.NextCursor != nil {
			tg.More = base + "?" + url.Values{"group": {g.Name}, "cursor": {*page.NextCursor}}.Encode()
		}
		groups = append(groups, tg)
	}
	return groups, all, nil
}

type myTasksPage struct {
	view
	Groups []taskGroup
	All    string
}

// uiMyTasks lists the open tasks the reader holds (its own as a member,
// or its unit's as a committee, cell officer or office): the lists of
// task.MyGroups, each as GET /api/v1/tasks?holder=me answers it.
func (s *Handler) uiMyTasks(w http.ResponseWriter, r *http.Request) error {
	r, end := oneRead(r)
	defer end()
	p := &myTasksPage{}
	var err error
	if p.Groups, p.All, err = s.taskGroups(r, "/cong-viec", task.MyGroups()); err != nil {
		return err
	}
	return s.show(w, r, "tasks", p, nil)
}

type taskPage struct {
	view
	D       *task.Detail
	Message string
	Today   date.Date
	// What the steps would do, the forward's targets and the refused
	// step's field messages (task_step.go).
	stepView
}

func (s *Handler) uiTask(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Tasks.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	p := &taskPage{D: d, Today: s.Today()}
	if err := s.stepExtras(r, p, nil); err != nil {
		return err
	}
	return s.show(w, r, "task", p, nil)
}

// uiTaskStep records the step of one of the task page's forms, then goes
// back to the page; a refusal shows the page again with the reason.
func (s *Handler) uiTaskStep(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	f := r.PostForm
	in := task.StepInput{Action: task.Action(f.Get("action")), Note: strings.TrimSpace(f.Get("note"))}
	if v := strings.TrimSpace(f.Get("version")); v != "" {
		if in.Version, err = strconv.Atoi(v); err != nil {
			return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
		}
	}
	if v := strings.TrimSpace(f.Get("percent")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			err = apperr.Keyed(apperr.Invalid, "common.not_number", "not a number").With(apperr.FieldKeyed("percent", "page.must_number_0_100", "must be a number from 0 to 100"))
			return s.taskStepFailed(w, r, id, err)
		}
		in.Percent = &n
	}
	if v := strings.TrimSpace(f.Get("to_unit_id")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			err = apperr.Keyed(apperr.Invalid, "page.not_unit_id", "not a unit id").With(apperr.FieldKeyed("to_unit_id", "page.must_unit_id", "must be a unit id"))
			return s.taskStepFailed(w, r, id, err)
		}
		in.ToUnitID = &n
	}
	if in.NewDueOn, err = parseFormDate(f.Get("new_due_on")); err != nil {
		return s.taskStepFailed(w, r, id, apperr.Keyed(apperr.Invalid, "common.not_date", "not a date").With(apperr.FieldFrom("new_due_on", err)))
	}
	if _, err := s.Tasks.Step(r.Context(), httpx.ActorFrom(r), id, in); err != nil {
		return s.taskStepFailed(w, r, id, err)
	}
	httpx.SeeOther(w, r, task.TaskLinkPrefix+strconv.FormatInt(id, 10))
	return nil
}

// taskStepFailed shows the task page with the reason of a refusal (409,
// 422, or 404 for a target out of reach: a not-found with a field);
// anything else is the error page.
func (s *Handler) taskStepFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	code := apperr.CodeOf(err)
	e, _ := apperr.As(err)
	target := code == apperr.NotFound && e != nil && len(e.Fields) > 0
	if code != apperr.Conflict && code != apperr.Invalid && !target {
		return err
	}
	d, gerr := s.Tasks.Get(r.Context(), httpx.ActorFrom(r), id)
	if gerr != nil {
		return gerr
	}
	msg := errText(langOf(r), e)
	for _, fe := range e.Fields {
		msg += ": " + fieldText(langOf(r), fe)
		break
	}
	p := &taskPage{D: d, Message: msg, Today: s.Today()}
	if err := s.stepExtras(r, p, e); err != nil {
		return err
	}
	s.render(w, r, httpx.Status(code), "task", p)
	return nil
}

type taskBoardPage struct {
	view
	Unit   *org.Unit
	Groups []taskGroup
	All    string
}

// uiTaskBoard is a committee's board: the open tasks of the subtree,
// overdue first, each by due date (task.BoardGroups).
func (s *Handler) uiTaskBoard(w http.ResponseWriter, r *http.Request) error {
	r, end := oneRead(r)
	defer end()
	actor := httpx.ActorFrom(r)
	u, err := httpx.ByPathID(r, s.Org.Get)
	if err != nil {
		return err
	}
	id := u.ID
	p := &taskBoardPage{Unit: u}
	if p.Groups, p.All, err = s.taskGroups(r, "/don-vi/"+strconv.FormatInt(id, 10)+"/cong-viec", task.BoardGroups(id)); err != nil {
		return err
	}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return s.show(w, r, "task_board", p, nil)
}

// reportBar is one unit's bar of the chart: on time, late and overdue laid
// end to end, in SVG units of a 100-wide box.
type reportBar struct {
	Name                     string
	OnTime, Late, Overdue    int
	WOnTime, WLate, WOverdue float64
	XLate, XOverdue          float64
}

// monthBar is one month of the trend chart (an SVG column).
type monthBar struct {
	task.MonthRow
	X, H, Y float64
	// Label is the month's number (MM) under its column, and Year the year
	// under the first column and each January: a column is 20 units wide
	// and a label of two or four digits at font size 8 or 7 is at most 18,
	// so neighbouring labels never overlap. Name is MM/YYYY for the table.
	Label, Year, Name string
}

// formulaTerm is one term of the score, as the page explains it: the weight
// and the catalogue key of the column it counts.
type formulaTerm struct {
	Weight int
	Key    string
}

// scoreFormula is task.Metrics.Score in words, in the order of
// task.ScoreFormula (the API's code form of it).
var scoreFormula = []formulaTerm{
	{task.WeightOpenOverdue, "report.open_overdue"},
	{task.WeightDoneLate, "report.late"},
	{task.WeightUnanswered, "report.unanswered"},
	{task.WeightEscalations, "report.escalations"},
	{task.WeightPushedSideways, "report.sideways"},
	{task.WeightReturns, "report.returns"},
	{task.WeightExtensions, "report.extensions"},
}

type reportPage struct {
	view
	Unit     *org.Unit
	R        *task.Report
	From, To string
	Bars     []reportBar
	Months   []monthBar
	MonthsW  int
	Export   string
	Formula  []formulaTerm
	// Peak is the most tasks received in a month; the chart shows when > 0.
	Peak int
}

func (s *Handler) uiAccountability(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	actor := httpx.ActorFrom(r)
	q := r.URL.Query()
	from, err := parseFormDate(q.Get("from"))
	if err != nil {
		return apperr.Keyed(apperr.Invalid, "common.not_date", "not a date").With(apperr.FieldFrom("from", err))
	}
	to, err := parseFormDate(q.Get("to"))
	if err != nil {
		return apperr.Keyed(apperr.Invalid, "common.not_date", "not a date").With(apperr.FieldFrom("to", err))
	}
	rep, err := s.Tasks.Accountability(r.Context(), actor, task.ReportInput{UnitID: id, From: from, To: to})
	if err != nil {
		return err
	}
	u, err := s.Org.Get(r.Context(), actor, id)
	if err != nil {
		return err
	}
	p := &reportPage{Unit: u, R: rep, From: rep.From.String(), To: rep.To.String(), Formula: scoreFormula}
	p.Export = "/api/v1/accountability?unit=" + strconv.FormatInt(id, 10) + "&from=" + p.From + "&to=" + p.To + "&format=xlsx"
	most := 0
	for _, row := range rep.Units {
		most = max(most, row.DoneOnTime+row.DoneLate+row.OpenOverdue)
	}
	for _, row := range rep.Units {
		b := reportBar{Name: row.UnitName, OnTime: row.DoneOnTime, Late: row.DoneLate, Overdue: row.OpenOverdue}
		if most > 0 {
			b.WOnTime = float64(b.OnTime*1000/most) / 10
			b.WLate = float64(b.Late*1000/most) / 10
			b.WOverdue = float64(b.Overdue*1000/most) / 10
		}
		b.XLate, b.XOverdue = b.WOnTime, b.WOnTime+b.WLate
		p.Bars = append(p.Bars, b)
	}
	peak := 0
	for _, m := range rep.Months {
		peak = max(peak, m.Received)
	}
	for i, m := range rep.Months {
		mb := monthBar{MonthRow: m, X: float64(i*20 + 2), Label: m.Month, Name: m.Month}
		if len(m.Month) == 7 { // YYYY-MM
			mb.Label, mb.Name = m.Month[5:], m.Month[5:]+"/"+m.Month[:4]
			if i == 0 || mb.Label == "01" {
				mb.Year = m.Month[:4]
			}
		}
		if peak > 0 {
			mb.H = float64(m.Received*900/peak) / 10
		}
		mb.Y = 100 - mb.H
		p.Months = append(p.Months, mb)
	}
	p.MonthsW = max(20, len(p.Months)*20)
	p.Peak = peak
	p.Crumbs = s.trail(r.Context(), actor, u)
	return s.show(w, r, "task_report", p, nil)
}
