package report

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Roles, by what they allow. A role on a unit covers its subtree.
var (
	// RequestRoles ask the units below a unit for a report.
	RequestRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}
	// ViewRoles read a request: on the requesting unit, every unit's
	// status and submission; on a unit asked, that unit's own.
	ViewRoles = auth.ReadPersonal
	// SubmitRoles draft and send a unit's report, held on the unit itself
	// (the requester's officers read it but do not answer for it).
	SubmitRoles = task.HolderRoles
)

// Bounds.
const (
	MaxTitle    = 500
	MaxKind     = 100
	MaxTemplate = 20_000
	MaxBody     = 100_000
	MaxFigures  = 200
	MaxFigure   = 1_000_000_000_000
	// MaxPeriodYears bounds a period's length.
	MaxPeriodYears = 5
)

// Service is report requests' use cases.
type Service struct {
	Store Store
	Tasks Tasks
	// Documents, when set, checks a submission's document_id: one the
	// sender cannot read answers as missing.
	Documents task.DocumentChecker
	// Sources add figures and sections to drafts (meetings, four-good
	// results); nil entries are skipped.
	Sources []FigureSource
	Now     func() time.Time
	Log     *slog.Logger
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) today() date.Date { return date.Today(s.now()) }

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func notFound(id int64) error {
	return apperr.Keyed(apperr.NotFound, "report.not_found", "report request %[1]d not found", id)
}

// ---- Creation --------------------------------------------------------------

// CreateInput is a new request as the API receives it.
type CreateInput struct {
	Title      string    `json:"title"`
	UnitID     int64     `json:"unit_id"`
	Kind       string    `json:"kind"`
	PeriodFrom date.Date `json:"period_from"`
	PeriodTo   date.Date `json:"period_to"`
	DueOn      date.Date `json:"due_on"`
	Workdays   *int      `json:"workdays"`
	Template   string    `json:"template"`
}

// KindFourGood is the kind of the committees' reports of their four-good
// cells' results (internal/scoring reads the requests of this kind).
const KindFourGood = "four-good"

// Kinds are the kinds the pages offer (any short line is accepted).
var Kinds = []string{"month", "quarter", "half_year", "year", "topic", KindFourGood}

// Create asks every live unit directly below in.UnitID for a report: one
// task each, as a fan-out, written with the request in one transaction.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput) (*Request, error) {
	if in.UnitID <= 0 {
		return nil, apperr.InvalidField("unit_id", "report.unit_required", "the requesting unit is required")
	}
	u, err := s.Store.Unit(ctx, in.UnitID)
	if err != nil || u.Dissolved || !actor.Can(u.Path, RequestRoles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return nil, apperr.Keyed(apperr.NotFound, "report.unit_not_found", "unit %[1]d not found", in.UnitID)
	}
	r, err := checkCreate(in)
	if err != nil {
		return nil, err
	}
	r.UnitID, r.UnitName, r.UnitPath = u.ID, u.Name, u.Path
	nt, ta, err := s.Tasks.Plan(ctx, actor, task.CreateInput{
		Title:       r.Title,
		Description: fmt.Sprintf("Báo cáo %s, kỳ từ ngày %s đến ngày %s: soạn và gửi tại trang yêu cầu báo cáo.", KindLabel(r.Kind), r.PeriodFrom.VN(), r.PeriodTo.VN()),
		UnitID:      u.ID, DueOn: in.DueOn, Workdays: in.Workdays, FanOut: true,
	})
	if err != nil {
		return nil, err
	}
	if nt.Group == nil {
		return nil, apperr.Keyed(apperr.Internal, "report.no_group", "the fan-out has no group")
	}
	now := s.now().UTC()
	r.DueOn, r.CreatedAt = nt.Group.Task.DueOn, now
	if actor.AccountID != 0 {
		r.CreatedBy = &actor.AccountID
	}
	after := map[string]any{"title": r.Title, "kind": r.Kind, "unit_id": u.ID, "period_from": r.PeriodFrom, "period_to": r.PeriodTo, "due_on": r.DueOn, "units": len(nt.Items)}
	if err := s.Store.Create(ctx, &NewRequest{Request: r, Tasks: nt, TaskAudit: ta},
		auth.AuditEntry{Actor: actor, Action: "report.request", ObjectType: "report_request", UnitPath: u.Path, After: after}); err != nil {
		return nil, err
	}
	s.Tasks.Announce(ctx, actor, nt)
	return s.Get(ctx, actor, r.ID)
}

// checkCreate checks the fields that need nothing from the store, all
// together, and returns the request cleaned.
func checkCreate(in CreateInput) (*Request, error) {
	var errs []apperr.FieldError
	r := &Request{Head: Head{Title: viet.Clean(in.Title), Kind: viet.Clean(in.Kind), PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo}, Template: cleanText(in.Template)}
	line := func(field, v string, maxLen int) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			errs = append(errs, apperr.FieldKeyed(field, "report.required", "required"))
		case n > maxLen:
			errs = append(errs, apperr.FieldKeyed(field, "report.too_long", "at most %[1]d characters", maxLen))
		default:
			if err := viet.CheckLine(v); err != nil {
				errs = append(errs, apperr.FieldKeyed(field, "report.bad_text", "%[1]s", err.Error()))
			}
		}
	}
	line("title", r.Title, MaxTitle)
	line("kind", r.Kind, MaxKind)
	if n := utf8.RuneCountInString(r.Template); n > MaxTemplate {
		errs = append(errs, apperr.FieldKeyed("template", "report.too_long", "at most %[1]d characters", MaxTemplate))
	} else if err := viet.CheckText(r.Template); err != nil {
		errs = append(errs, apperr.FieldKeyed("template", "report.bad_text", "%[1]s", err.Error()))
	}
	errs = append(errs, checkPeriod(in.PeriodFrom, in.PeriodTo)...)
	switch {
	case in.DueOn.IsZero() && in.Workdays == nil:
		errs = append(errs, apperr.FieldKeyed("due_on", "report.due_required", "give a due date (due_on) or a number of working days (workdays)"))
	case !in.DueOn.IsZero() && in.Workdays != nil:
		errs = append(errs, apperr.FieldKeyed("workdays", "report.due_both", "give due_on or workdays, not both"))
	case !in.DueOn.IsZero() && !viet.InRange(in.DueOn):
		errs = append(errs, apperr.FieldKeyed("due_on", "report.date_range", "must be in the years %[1]d to %[2]d", viet.MinYear, viet.MaxYear))
	}
	if len(errs) > 0 {
		e := apperr.Keyed(apperr.Invalid, "report.invalid", "the report request is not valid")
		e.Fields = errs
		return nil, e
	}
	return r, nil
}

// checkPeriod bounds a report's period: both ends given, within the
// calendar's years, in order, at most MaxPeriodYears long.
func checkPeriod(from, to date.Date) []apperr.FieldError {
	var errs []apperr.FieldError
	for _, f := range []struct {
		name string
		d    date.Date
	}{{"period_from", from}, {"period_to", to}} {
		switch {
		case f.d.IsZero():
			errs = append(errs, apperr.FieldKeyed(f.name, "report.required", "required"))
		case !viet.InRange(f.d):
			errs = append(errs, apperr.FieldKeyed(f.name, "report.date_range", "must be in the years %[1]d to %[2]d", viet.MinYear, viet.MaxYear))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if to.Before(from) {
		return []apperr.FieldError{apperr.FieldKeyed("period_to", "report.period_order", "must not be before period_from")}
	}
	if to.After(from.AddYears(MaxPeriodYears)) {
		return []apperr.FieldError{apperr.FieldKeyed("period_to", "report.period_long", "a period is at most %[1]d years long", MaxPeriodYears)}
	}
	return nil
}

// cleanText is the normal form of a multi-line text: NFC, \n line ends,
// no trailing space.
func cleanText(s string) string {
	s = viet.NFC(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

// ---- Reading ---------------------------------------------------------------

// view is how the actor stands to a request: all its units, or only some.
func (s *Service) load(ctx context.Context, actor *auth.Actor, id int64) (*Request, bool, error) {
	r, err := s.Store.Request(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, false, notFound(id)
		}
		return nil, false, err
	}
	today := s.today()
	for i := range r.Units {
		setStatus(&r.Units[i], r.DueOn, today)
	}
	if actor.Can(r.UnitPath, ViewRoles) {
		return r, true, nil
	}
	own := r.Units[:0:0]
	for _, u := range r.Units {
		if actor.Can(u.UnitPath, ViewRoles) {
			own = append(own, u)
		}
	}
	if len(own) == 0 {
		return nil, false, notFound(id)
	}
	r.Units = own
	return r, false, nil
}

// setStatus names where a unit stands: sent by the due date, late, or
// missing (overdue once the due date has passed).
func setStatus(u *UnitStatus, due, today date.Date) {
	switch {
	case u.SubmissionID != nil && u.SentOn.After(due):
		u.Status = StatusLate
	case u.SubmissionID != nil:
		u.Status = StatusSent
	default:
		u.Status = StatusMissing
		u.Overdue = today.After(due)
	}
}

// Get returns a request: for the requester's officers every unit asked,
// for a unit asked its own row only; anyone else 404.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Request, error) {
	r, _, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	r.Sent, r.Late, r.Missing = 0, 0, 0
	for _, u := range r.Units {
		switch u.Status {
		case StatusSent:
			r.Sent++
		case StatusLate:
			r.Late++
		default:
			r.Missing++
		}
	}
	return r, nil
}

// MayRequest reports whether the actor may ask the units below unitID.
func (s *Service) MayRequest(ctx context.Context, actor *auth.Actor, unitID int64) bool {
	u, err := s.Store.Unit(ctx, unitID)
	return err == nil && !u.Dissolved && actor.Can(u.Path, RequestRoles)
}

// ListInput selects a page of requests made by or sent to a unit.
type ListInput struct {
	UnitID int64
	Limit  int
	Cursor string
}

// List returns the requests the unit made and those it received, newest
// first (officers of the unit or above).
func (s *Service) List(ctx context.Context, actor *auth.Actor, in ListInput) (*page.Of[Summary], error) {
	if in.UnitID <= 0 {
		return nil, apperr.InvalidField("unit", "report.unit_required", "the unit is required")
	}
	u, err := s.Store.Unit(ctx, in.UnitID)
	if err != nil || !actor.Can(u.Path, ViewRoles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return nil, apperr.Keyed(apperr.NotFound, "report.unit_not_found", "unit %[1]d not found", in.UnitID)
	}
	p, err := s.Store.List(ctx, ListFilter{UnitID: u.ID, Limit: page.Limit(in.Limit), Cursor: in.Cursor})
	if err != nil {
		return nil, err
	}
	today := s.today()
	for i := range p.Items {
		it := &p.Items[i]
		if it.Direction == "received" {
			us := UnitStatus{SubmissionID: it.SubmissionID, SentOn: it.SentOn}
			setStatus(&us, it.DueOn, today)
			it.Status = us.Status
		}
	}
	return p, nil
}

// ---- Drafts and sending ----------------------------------------------------

// unitOf finds the row of unitID in a request the actor may answer for:
// 404 when the unit was not asked or is out of the actor's sight; 422
// when the actor sees it but does not answer for it.
func (s *Service) unitOf(ctx context.Context, actor *auth.Actor, id, unitID int64) (*Request, *UnitStatus, error) {
	r, _, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if unitID <= 0 {
		return nil, nil, apperr.InvalidField("unit_id", "report.unit_required", "the unit is required")
	}
	for i := range r.Units {
		u := &r.Units[i]
		if u.UnitID != unitID {
			continue
		}
		if !MayAnswer(actor, u.UnitPath) {
			return nil, nil, apperr.InvalidField("unit_id", "report.not_your_unit", "only the officers of %[1]s send its report", u.Name)
		}
		return r, u, nil
	}
	e := apperr.Keyed(apperr.NotFound, "report.unit_not_asked", "unit %[1]d was not asked for this report", unitID)
	e.Fields = []apperr.FieldError{apperr.FieldKeyed("unit_id", "report.unit_not_asked", "unit %[1]d was not asked for this report", unitID)}
	return nil, nil, e
}

// MayAnswer reports whether the actor answers for a unit: a SubmitRoles
// role held on the unit itself.
func MayAnswer(actor *auth.Actor, unitPath string) bool {
	if actor == nil {
		return false
	}
	if actor.System {
		return true
	}
	for _, g := range actor.Grants {
		if g.UnitPath == unitPath && slices.Contains(SubmitRoles, g.Role) {
			return true
		}
	}
	return false
}

// Draft generates a unit's report from its own data; nothing is written.
func (s *Service) Draft(ctx context.Context, actor *auth.Actor, id, unitID int64) (*Draft, error) {
	r, u, err := s.unitOf(ctx, actor, id, unitID)
	if err != nil {
		return nil, err
	}
	return s.draft(ctx, actor, r, u)
}

func (s *Service) draft(ctx context.Context, actor *auth.Actor, r *Request, u *UnitStatus) (*Draft, error) {
	today := s.today()
	asOf, current := r.PeriodTo, false
	if !asOf.Before(today) {
		asOf, current = today, true
	}
	to := asOf
	figs := Figures{}
	st, err := s.Store.MemberStats(ctx, u.UnitPath, asOf, current)
	if err != nil {
		return nil, err
	}
	figs["members.total"] = int64(st.Members.Total)
	for k, v := range st.Members.ByStatus {
		figs["members.status."+k] = int64(v)
	}
	for k, v := range st.Members.ByGender {
		figs["members.gender."+k] = int64(v)
	}
	for k, v := range st.Members.ByAgeBand {
		figs["members.age."+k] = int64(v)
	}
	figs["units.total"] = int64(st.Units.Total)
	var reads, readers int
	if !to.Before(r.PeriodFrom) {
		if reads, readers, err = s.Store.DocumentsRead(ctx, u.UnitPath, r.PeriodFrom, to); err != nil {
			return nil, err
		}
	}
	figs["documents.reads"], figs["documents.readers"] = int64(reads), int64(readers)
	var tasks *task.Metrics
	if !to.Before(r.PeriodFrom) {
		rep, err := s.Tasks.Accountability(ctx, actor, task.ReportInput{UnitID: u.UnitID, From: r.PeriodFrom, To: to})
		switch {
		case err == nil:
			tasks = &rep.Totals
		case !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	if tasks != nil {
		figs["tasks.received"], figs["tasks.done_on_time"], figs["tasks.done_late"], figs["tasks.open_overdue"] =
			int64(tasks.Received), int64(tasks.DoneOnTime), int64(tasks.DoneLate), int64(tasks.OpenOverdue)
	}
	var extra []string
	ref := &UnitRef{ID: u.UnitID, Path: u.UnitPath, Name: u.Name}
	for _, src := range s.Sources {
		if src == nil {
			continue
		}
		f, section, err := src.ReportFigures(ctx, actor, ref, r.Kind, r.PeriodFrom, to)
		if err != nil {
			return nil, err
		}
		for k, v := range f {
			figs[k] = v
		}
		if section = strings.TrimSpace(section); section != "" {
			extra = append(extra, section)
		}
	}
	d := &Draft{RequestID: r.ID, UnitID: u.UnitID, UnitName: u.Name, AsOf: asOf, Figures: figs}
	d.Body = draftBody(r, u.Name, asOf, figs, tasks != nil, extra)
	return d, nil
}

// draftBody writes the draft in Markdown, in Vietnamese: the figures in
// sentences, the other modules' sections, then the requester's template
// for the unit to fill.
func draftBody(r *Request, unit string, asOf date.Date, f Figures, withTasks bool, extra []string) string {
	var b strings.Builder
	n := 1
	section := func(title string) {
		fmt.Fprintf(&b, "## %s. %s\n\n", roman(n), title)
		n++
	}
	section("Tình hình tổ chức đảng và đảng viên")
	fmt.Fprintf(&b, "Đến ngày %s, %s có %d đảng viên (chính thức %d, dự bị %d, miễn sinh hoạt %d), trong đó nữ %d; %d tổ chức đảng.\n\n",
		asOf.VN(), unit, f["members.total"], f["members.status.full"], f["members.status.probationary"], f["members.status.exempt"], f["members.gender.female"], f["units.total"])
	section("Việc học tập, quán triệt văn bản")
	fmt.Fprintf(&b, "Từ ngày %s đến ngày %s, %d đảng viên đã đọc văn bản trên Sổ tay, tổng cộng %d lượt đọc.\n\n", r.PeriodFrom.VN(), asOf.VN(), f["documents.readers"], f["documents.reads"])
	if withTasks {
		section("Giải quyết công việc theo Chỉ thị 24-CT/TU")
		fmt.Fprintf(&b, "Trong kỳ, %s nhận %d việc; hoàn thành đúng hạn %d, trễ hạn %d; %d việc quá hạn đang mở.\n\n",
			unit, f["tasks.received"], f["tasks.done_on_time"], f["tasks.done_late"], f["tasks.open_overdue"])
	}
	for _, e := range extra {
		b.WriteString(e)
		b.WriteString("\n\n")
	}
	if r.Template != "" {
		b.WriteString(r.Template)
		b.WriteString("\n\n")
	} else {
		section("Phương hướng, nhiệm vụ kỳ tới")
		b.WriteString("(Đơn vị bổ sung.)\n")
	}
	return strings.TrimSpace(b.String()) + "\n"
}

func roman(n int) string {
	rs := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n >= 1 && n <= len(rs) {
		return rs[n-1]
	}
	return fmt.Sprint(n)
}

// SendInput is a unit's report to send: a document of the handbook or a
// body (Markdown); neither sends the generated draft. Figures default to
// the draft's.
type SendInput struct {
	UnitID     int64   `json:"unit_id"`
	DocumentID *int64  `json:"document_id"`
	Body       *string `json:"body"`
	Figures    Figures `json:"figures"`
}

var figureKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// Send keeps a unit's report exactly as sent and closes the unit's task.
// A unit sends once: a second send is 409.
func (s *Service) Send(ctx context.Context, actor *auth.Actor, id int64, in SendInput) (*Submission, error) {
	r, u, err := s.unitOf(ctx, actor, id, in.UnitID)
	if err != nil {
		return nil, err
	}
	if u.SubmissionID != nil {
		return nil, apperr.Keyed(apperr.Conflict, "report.already_sent", "%[1]s has already sent this report: what was sent is kept as it is", u.Name)
	}
	var errs []apperr.FieldError
	var body string
	if in.Body != nil {
		body = cleanText(*in.Body)
		switch n := utf8.RuneCountInString(body); {
		case in.DocumentID != nil:
			errs = append(errs, apperr.FieldKeyed("body", "report.body_or_document", "give a body or a document_id, not both"))
		case n == 0:
			errs = append(errs, apperr.FieldKeyed("body", "report.required", "required"))
		case n > MaxBody:
			errs = append(errs, apperr.FieldKeyed("body", "report.too_long", "at most %[1]d characters", MaxBody))
		default:
			if err := viet.CheckText(body); err != nil {
				errs = append(errs, apperr.FieldKeyed("body", "report.bad_text", "%[1]s", err.Error()))
			}
		}
	}
	if in.Figures != nil {
		errs = append(errs, checkFigures(in.Figures)...)
	}
	if len(errs) > 0 {
		e := apperr.Keyed(apperr.Invalid, "report.invalid_submission", "the report is not valid")
		e.Fields = errs
		return nil, e
	}
	if in.DocumentID != nil {
		ok := false
		if s.Documents != nil {
			if ok, err = s.Documents.DocumentReadable(ctx, actor, *in.DocumentID); err != nil {
				return nil, err
			}
		}
		if !ok {
			e := apperr.Keyed(apperr.NotFound, "report.document_not_found", "document %[1]d not found", *in.DocumentID)
			e.Fields = []apperr.FieldError{apperr.FieldKeyed("document_id", "report.document_not_found", "document %[1]d not found", *in.DocumentID)}
			return nil, e
		}
	}
	figs := in.Figures
	if (in.Body == nil && in.DocumentID == nil) || figs == nil {
		d, err := s.draft(ctx, actor, r, u)
		if err != nil {
			return nil, err
		}
		if in.Body == nil && in.DocumentID == nil {
			body = d.Body
		}
		if figs == nil {
			figs = d.Figures
		}
	}
	now := s.now().UTC()
	sub := &Submission{RequestID: r.ID, UnitID: u.UnitID, UnitName: u.Name, UnitPath: u.UnitPath, DocumentID: in.DocumentID, Body: body, Figures: figs,
		SentAt: now, SentOn: date.Today(now)}
	if actor.AccountID != 0 {
		sub.SentBy = &actor.AccountID
	}
	sub.SentByName = actor.DisplayName()
	if err := s.Store.Send(ctx, sub, auth.AuditEntry{Actor: actor, Action: "report.send", ObjectType: "report_submission", UnitPath: u.UnitPath,
		After: map[string]any{"request_id": r.ID, "unit_id": u.UnitID, "document_id": in.DocumentID, "body_chars": utf8.RuneCountInString(body), "figures": len(figs)}}); err != nil {
		return nil, err
	}
	s.closeTask(ctx, actor, u.TaskID, r.Title)
	us := UnitStatus{SubmissionID: &sub.ID, SentOn: sub.SentOn}
	setStatus(&us, r.DueOn, s.today())
	sub.Status = us.Status
	return sub, nil
}

func checkFigures(f Figures) []apperr.FieldError {
	if len(f) > MaxFigures {
		return []apperr.FieldError{apperr.FieldKeyed("figures", "report.figures_many", "at most %[1]d figures", MaxFigures)}
	}
	for k, v := range f {
		if len(k) > 64 || !figureKey.MatchString(k) {
			return []apperr.FieldError{apperr.FieldKeyed("figures", "report.figure_key", "%[1]q is not a figure name (lower-case letters, digits, _ and dots, at most 64)", viet.Printable(k))}
		}
		if v < 0 || v > MaxFigure {
			return []apperr.FieldError{apperr.FieldKeyed("figures", "report.figure_value", "%[1]s must be 0 to %[2]d", k, int64(MaxFigure))}
		}
	}
	return nil
}

// closeTask completes the unit's task once the report is sent: accepted
// first when still waiting for acceptance. The report is sent whatever
// happens here (a suspended task stays open); a failure is logged.
func (s *Service) closeTask(ctx context.Context, actor *auth.Actor, taskID int64, title string) {
	if taskID == 0 {
		return
	}
	d, err := s.Tasks.Get(ctx, actor, taskID)
	if err != nil {
		s.log().Warn("report sent, task not closed", "task", taskID, "err", err)
		return
	}
	if d.State == task.StateAssigned && containsAction(d.Can, task.ActAccept) {
		if d, err = s.Tasks.Step(ctx, actor, taskID, task.StepInput{Action: task.ActAccept}); err != nil {
			s.log().Warn("report sent, task not accepted", "task", taskID, "err", err)
			return
		}
	}
	if !containsAction(d.Can, task.ActComplete) {
		s.log().Warn("report sent, task not closable by the sender", "task", taskID, "state", d.State)
		return
	}
	if _, err := s.Tasks.Step(ctx, actor, taskID, task.StepInput{Action: task.ActComplete, Note: "Đã gửi báo cáo: " + title}); err != nil {
		s.log().Warn("report sent, task not completed", "task", taskID, "err", err)
	}
}

func containsAction(as []task.Action, a task.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// GetSubmission returns a sent report: the requester's officers and the
// unit's own; anyone else 404.
func (s *Service) GetSubmission(ctx context.Context, actor *auth.Actor, id, sid int64) (*Submission, *Request, error) {
	r, _, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	missing := apperr.Keyed(apperr.NotFound, "report.submission_not_found", "report %[1]d not found", sid)
	var row *UnitStatus
	for i := range r.Units {
		if r.Units[i].SubmissionID != nil && *r.Units[i].SubmissionID == sid {
			row = &r.Units[i]
		}
	}
	if row == nil {
		return nil, nil, missing
	}
	sub, err := s.Store.Submission(ctx, sid)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, nil, missing
		}
		return nil, nil, err
	}
	if sub.RequestID != r.ID {
		return nil, nil, missing
	}
	sub.Status = row.Status
	return sub, r, nil
}

// KindLabel is the Vietnamese name of a kind the pages offer; any other
// kind is shown as given.
func KindLabel(k string) string {
	switch k {
	case "month":
		return "tháng"
	case "quarter":
		return "quý"
	case "half_year":
		return "sáu tháng"
	case "year":
		return "năm"
	case "topic":
		return "chuyên đề"
	case KindFourGood:
		return "kết quả xây dựng chi bộ 4 tốt"
	}
	return k
}
