package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/output"
	pagination "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Report requests (internal/report): the list of a unit's requests
// (/bao-cao?unit=), the request form (/bao-cao/moi?unit=), a request with
// the status of every unit asked (/bao-cao/{id}), a unit's draft, edit and
// send page (/bao-cao/{id}/gui?unit=) and a sent report
// (/bao-cao/{id}/bai/{sid}) with its DOCX and PDF.

type reportListPage struct {
	view
	Unit       *org.Unit
	Page       *pagination.Of[report.Summary]
	MayRequest bool
}

type reportNewPage struct {
	view
	Unit                                                         *org.Unit
	Title, Kind, PeriodFrom, PeriodTo, DueOn, Workdays, Template string
	Kinds                                                        []string
	Errors                                                       map[string]string
	Message                                                      string
}

type reportRequestPage struct {
	view
	Request *report.Request
	// Answer lists the units of the request the actor sends for.
	Answer map[int64]bool
	// MayOpenTask: the actor may open the request's task.
	MayOpenTask bool
}

type reportSendPage struct {
	view
	Request *report.Request
	Unit    report.UnitStatus
	Body    string
	Figures []reportFigure
	Errors  map[string]string
	Message string
}

type reportFigure struct {
	Key, Label string
	Value      int64
}

type reportSubmissionPage struct {
	view
	Request    *report.Request
	Submission *report.Submission
	Figures    []reportFigure
}

func (s *Handler) reportUnit(r *http.Request) (*org.Unit, error) {
	id, err := httpx.QueryID(r, "unit")
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, apperr.Keyed(apperr.NotFound, "report.unit_required", "the unit is required")
	}
	return s.Org.Get(r.Context(), httpx.ActorFrom(r), id)
}

func (s *Handler) uiReports(w http.ResponseWriter, r *http.Request) error {
	u, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	actor := httpx.ActorFrom(r)
	p, err := s.Reports.List(r.Context(), actor, report.ListInput{UnitID: u.ID, Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	return s.show(w, r, "report_list", &reportListPage{Unit: u, Page: p, MayRequest: s.Reports.MayRequest(r.Context(), actor, u.ID)}, nil)
}

func (s *Handler) uiReportNew(w http.ResponseWriter, r *http.Request) error {
	u, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	if !s.Reports.MayRequest(r.Context(), httpx.ActorFrom(r), u.ID) {
		return apperr.Keyed(apperr.NotFound, "report.unit_not_found", "unit %[1]d not found", u.ID)
	}
	today := s.Today()
	return s.show(w, r, "report_new", &reportNewPage{Unit: u, Kind: "quarter", Kinds: report.Kinds, Workdays: "10",
		PeriodFrom: today.AddMonths(-3).String(), PeriodTo: today.AddDays(-1).String(), Errors: map[string]string{}}, nil)
}

func (s *Handler) uiReportCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	p := &reportNewPage{Unit: u, Title: f.Get("title"), Kind: f.Get("kind"), PeriodFrom: f.Get("period_from"), PeriodTo: f.Get("period_to"),
		DueOn: f.Get("due_on"), Workdays: strings.TrimSpace(f.Get("workdays")), Template: f.Get("template"), Kinds: report.Kinds, Errors: map[string]string{}}
	in := report.CreateInput{UnitID: u.ID, Title: p.Title, Kind: p.Kind, Template: p.Template}
	for _, d := range []struct {
		field string
		v     string
		into  *report.CreateInput
	}{{"period_from", p.PeriodFrom, &in}, {"period_to", p.PeriodTo, &in}, {"due_on", p.DueOn, &in}} {
		v, err := parseFormDate(d.v)
		if err != nil {
			p.Errors[d.field] = err.Error()
			continue
		}
		switch d.field {
		case "period_from":
			in.PeriodFrom = v
		case "period_to":
			in.PeriodTo = v
		default:
			in.DueOn = v
		}
	}
	if p.Workdays != "" && in.DueOn.IsZero() {
		n, err := strconv.Atoi(p.Workdays)
		if err != nil {
			p.Errors["workdays"] = "not a number"
		}
		in.Workdays = &n
	}
	return s.submitForm(w, r, "report_new", p, p.Errors, &p.Message, func() (string, error) {
		req, err := s.Reports.Create(r.Context(), httpx.ActorFrom(r), in)
		if err != nil {
			return "", err
		}
		return "/bao-cao/" + strconv.FormatInt(req.ID, 10), nil
	})
}

// submitForm runs submit when the form has no errors of its own and goes
// on to the address it answers; a refusal (or the form's own errors) shows
// the form name again (422) with the messages beside their fields; any
// other error is returned. The report pages' two forms share it.
func (s *Handler) submitForm(w http.ResponseWriter, r *http.Request, name string, p viewer, errs map[string]string, message *string, submit func() (string, error)) error {
	if len(errs) == 0 {
		next, err := submit()
		if err == nil {
			httpx.SeeOther(w, r, next)
			return nil
		}
		if err := formErrors(langOf(r), err, errs, message, nil); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, name, p)
	return nil
}

func (s *Handler) uiReport(w http.ResponseWriter, r *http.Request) error {
	actor := httpx.ActorFrom(r)
	req, err := httpx.ByPathID(r, s.Reports.Get)
	if err != nil {
		return err
	}
	p := &reportRequestPage{Request: req, Answer: map[int64]bool{}}
	for _, u := range req.Units {
		if report.MayAnswer(actor, u.UnitPath) {
			p.Answer[u.UnitID] = true
		}
	}
	if req.TaskID != 0 {
		if p.MayOpenTask, err = s.Tasks.MayOpen(r.Context(), actor, req.TaskID); err != nil {
			return err
		}
	}
	return s.show(w, r, "report", p, nil)
}

func figureRows(f report.Figures) []reportFigure {
	out := make([]reportFigure, 0, len(f))
	for k, v := range f {
		out = append(out, reportFigure{Key: k, Label: output.FigureLabel(k), Value: v})
	}
	sortFigures(out)
	return out
}

func sortFigures(fs []reportFigure) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Key < fs[j-1].Key; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

func (s *Handler) reportSendUnit(r *http.Request) (*report.Request, *report.UnitStatus, error) {
	id, unit, err := httpx.PathIDAndUnit(r)
	if err != nil {
		return nil, nil, err
	}
	actor := httpx.ActorFrom(r)
	req, err := s.Reports.Get(r.Context(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range req.Units {
		if u := &req.Units[i]; u.UnitID == unit && report.MayAnswer(actor, u.UnitPath) {
			return req, u, nil
		}
	}
	return nil, nil, apperr.Keyed(apperr.NotFound, "report.unit_not_asked", "unit %[1]d was not asked for this report", unit)
}

func (s *Handler) uiReportDraft(w http.ResponseWriter, r *http.Request) error {
	req, u, err := s.reportSendUnit(r)
	if err != nil {
		return err
	}
	if u.SubmissionID != nil {
		httpx.SeeOther(w, r, "/bao-cao/"+strconv.FormatInt(req.ID, 10)+"/bai/"+strconv.FormatInt(*u.SubmissionID, 10))
		return nil
	}
	d, err := s.Reports.Draft(r.Context(), httpx.ActorFrom(r), req.ID, u.UnitID)
	if err != nil {
		return err
	}
	return s.show(w, r, "report_send", &reportSendPage{Request: req, Unit: *u, Body: d.Body, Figures: figureRows(d.Figures), Errors: map[string]string{}}, nil)
}

func (s *Handler) uiReportSend(w http.ResponseWriter, r *http.Request) error {
	req, u, err := s.reportSendUnit(r)
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	p := &reportSendPage{Request: req, Unit: *u, Body: r.PostForm.Get("body"), Errors: map[string]string{}}
	figs := report.Figures{}
	for k, vs := range r.PostForm {
		key, ok := strings.CutPrefix(k, "fig:")
		if !ok || len(vs) == 0 {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil {
			p.Errors["figures"] = key + ": not a number"
			continue
		}
		figs[key] = n
	}
	p.Figures = figureRows(figs)
	return s.submitForm(w, r, "report_send", p, p.Errors, &p.Message, func() (string, error) {
		body := p.Body
		sub, err := s.Reports.Send(r.Context(), httpx.ActorFrom(r), req.ID, report.SendInput{UnitID: u.UnitID, Body: &body, Figures: figs})
		if err != nil {
			return "", err
		}
		return "/bao-cao/" + strconv.FormatInt(req.ID, 10) + "/bai/" + strconv.FormatInt(sub.ID, 10), nil
	})
}

func (s *Handler) uiReportSubmission(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := httpx.PathIDAnd(r, "sid")
	if err != nil {
		return err
	}
	sub, req, err := s.Reports.GetSubmission(r.Context(), httpx.ActorFrom(r), id, sid)
	if err != nil {
		return err
	}
	return s.show(w, r, "report_submission", &reportSubmissionPage{Request: req, Submission: sub, Figures: figureRows(sub.Figures)}, nil)
}
