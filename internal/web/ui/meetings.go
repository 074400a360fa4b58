package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Cell meetings' pages: the unit's meetings and the schedule form, the
// guidance form, the meeting page members read, meeting mode for the
// secretary (works without JavaScript; static/meeting.js autosaves and
// keeps unsent text in localStorage), and the compliance grid.

// meetingFuncs are the helpers of the meeting templates.
func meetingFuncs(l lang) template.FuncMap {
	return template.FuncMap{
		// vntime is conferences.go's.
		"vntimep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(date.Vietnam).Format("15:04 02/01/2006")
		},
		"mpct":        pct,
		"pctf":        func(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" },
		"meetingUnit": meetingUnit,
		"mayMeet":     func(a *auth.Actor, path string) bool { return meeting.MayWrite(a, path) },
		"add":         func(a, b int) int { return a + b },
	}
}

// meetingUnit is the unit whose meetings the navigation links to: the
// highest unit of a role that schedules meetings, else the member's cell.
func meetingUnit(a *auth.Actor) int64 {
	if id := a.HighestUnit(meeting.Writers); id != 0 || a == nil {
		return id
	}
	if ids := meeting.AncestorIDs(a.MemberUnitPath); len(ids) > 0 {
		return ids[len(ids)-1]
	}
	return 0
}

// meetingErrs is what a refused form shows: messages by field and a summary.
type meetingErrs struct {
	Fields  map[string]string
	Summary string
}

// keyedText translates an error's message by its key, else shows it as is.
func keyedText(l lang, key, msg string, args []any) string {
	return message(l, key, args, msg)
}

// meetingFormErrors turns a service's refusal into the form's messages; other
// errors are returned for the error page.
func meetingFormErrors(r *http.Request, err error) (*meetingErrs, error) {
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return nil, err
	}
	l := langOf(r)
	out := &meetingErrs{Fields: map[string]string{}, Summary: keyedText(l, e.Key, e.Message, e.Args)}
	for _, f := range e.Fields {
		if _, dup := out.Fields[f.Field]; !dup {
			out.Fields[f.Field] = keyedText(l, f.Key, f.Message, f.Args)
		}
	}
	return out, nil
}

// postedMeeting reads the posted form and the meeting {id} (as the actor
// may read it).
func (s *Handler) postedMeeting(w http.ResponseWriter, r *http.Request) (*meeting.Meeting, error) {
	id, err := meetingPosted(w, r)
	if err != nil {
		return nil, err
	}
	return s.Meetings.Get(r.Context(), httpx.ActorFrom(r), id)
}

// meetingPosted reads {id} from the path and the posted form.
func meetingPosted(w http.ResponseWriter, r *http.Request) (int64, error) {
	id, err := httpx.PathID(r, "id")
	if err == nil {
		err = readBoundedForm(w, r)
	}
	return id, err
}

type meetingsPage struct {
	view
	Unit      *org.Unit
	Meetings  []meeting.Meeting
	MayWrite  bool
	MayGuide  bool
	IsCell    bool
	Guidance  []meeting.Guidance
	Month     string
	Form      scheduleForm
	Errors    *meetingErrs
	Today     string
	NextMonth string
}

// scheduleForm is the schedule form as typed.
type scheduleForm struct {
	Kind, Day, Time, EndTime, Place, Topic, Agenda string
	GuidanceID                                     int64
}

// agendaText writes an agenda as the form's lines ("title | 12 15").
func agendaText(items []meeting.AgendaItem) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Title)
		if len(it.DocumentIDs) > 0 {
			b.WriteString(" |")
			for _, id := range it.DocumentIDs {
				b.WriteString(" " + strconv.FormatInt(id, 10))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// parseAgenda reads the form's lines; notes are kept from the old agenda
// by position.
func parseAgenda(text string, old []meeting.AgendaItem) ([]meeting.AgendaItem, error) {
	items := []meeting.AgendaItem{}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		title, docs, _ := strings.Cut(line, "|")
		it := meeting.AgendaItem{Title: strings.TrimSpace(title), DocumentIDs: []int64{}}
		for _, f := range strings.Fields(strings.ReplaceAll(docs, ",", " ")) {
			id, ok := httpx.ParseID(strings.TrimPrefix(f, "#"))
			if !ok {
				return nil, apperr.InvalidField("agenda", "meeting.bad_ids", "positive ids, each once")
			}
			it.DocumentIDs = append(it.DocumentIDs, id)
		}
		if i := len(items); i < len(old) {
			it.Notes = old[i].Notes
		}
		items = append(items, it)
		if len(items) > meeting.MaxAgenda {
			return nil, apperr.InvalidField("agenda", "meeting.agenda_too_long", "at most %d items", meeting.MaxAgenda)
		}
	}
	return items, nil
}

// localInstant reads a day (YYYY-MM-DD) and a time (HH:MM) in Vietnam.
func localInstant(day, clock string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(day)+" "+strings.TrimSpace(clock), date.Vietnam)
	if err != nil {
		return time.Time{}, apperr.InvalidField("starts_at", "meeting.bad_time", "not a valid date and time")
	}
	return t, nil
}

func (s *Handler) uiMeetings(w http.ResponseWriter, r *http.Request) error {
	return s.renderMeetings(w, r, http.StatusOK, nil, nil)
}

func (s *Handler) renderMeetings(w http.ResponseWriter, r *http.Request, status int, form *scheduleForm, errs *meetingErrs) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	actor := httpx.ActorFrom(r)
	today := s.Today()
	u, err := s.Org.Get(r.Context(), actor, id)
	if err != nil {
		return err
	}
	// A cell's half year; a committee's last two weeks and what is
	// scheduled (its grid is the overview).
	from := today.AddMonths(-6)
	if u.Kind != org.KindCell {
		from = today.AddDays(-14)
	}
	list, err := s.Meetings.List(r.Context(), actor, meeting.ListInput{UnitID: id, From: from, Limit: 200})
	if err != nil {
		return err
	}
	p := &meetingsPage{Unit: u, Meetings: list.Items, MayWrite: meeting.MayWrite(actor, u.Path), MayGuide: u.Kind != org.KindCell && actor.Can(u.Path, meeting.Publishers),
		IsCell: u.Kind == org.KindCell, Errors: errs, Today: today.String()}
	// Newest first on the page.
	slices.Reverse(p.Meetings)
	p.Month = meeting.MonthOf(s.Clock())
	p.NextMonth = today.AddMonths(1).String()[:7]
	for _, mo := range []string{p.Month, p.NextMonth} {
		gs, err := s.Meetings.GuidanceFor(r.Context(), actor, id, mo)
		if err != nil {
			return err
		}
		p.Guidance = append(p.Guidance, gs...)
	}
	if form != nil {
		p.Form = *form
	} else {
		p.Form = scheduleForm{Kind: "regular", Day: today.String(), Time: "19:30", Agenda: agendaText(meeting.StandardAgenda())}
		if len(p.Guidance) > 0 {
			g := p.Guidance[len(p.Guidance)-1]
			p.Form.GuidanceID, p.Form.Topic = g.ID, strings.Join(g.Topics, "; ")
		}
	}
	p.Crumbs = s.trail(r.Context(), actor, u)
	s.render(w, r, status, "meetings", p)
	return nil
}

func (s *Handler) uiScheduleMeeting(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingPosted(w, r)
	if err != nil {
		return err
	}
	f := scheduleForm{Kind: r.PostForm.Get("kind"), Day: r.PostForm.Get("day"), Time: r.PostForm.Get("time"), EndTime: r.PostForm.Get("end_time"),
		Place: r.PostForm.Get("place"), Topic: r.PostForm.Get("topic"), Agenda: r.PostForm.Get("agenda")}
	f.GuidanceID, _ = httpx.ParseID(r.PostForm.Get("guidance_id"))
	in := meeting.CreateInput{Kind: meeting.Kind(f.Kind), Place: f.Place, Topic: f.Topic}
	if f.GuidanceID != 0 {
		in.GuidanceID = &f.GuidanceID
	}
	m, err := s.scheduleFrom(r, id, f, in)
	if err != nil {
		errs, err := meetingFormErrors(r, err)
		if err != nil {
			return err
		}
		return s.renderMeetings(w, r, http.StatusUnprocessableEntity, &f, errs)
	}
	httpx.SeeOther(w, r, "/sinh-hoat/"+strconv.FormatInt(m.ID, 10))
	return nil
}

func (s *Handler) scheduleFrom(r *http.Request, unit int64, f scheduleForm, in meeting.CreateInput) (*meeting.Meeting, error) {
	var err error
	if in.StartsAt, err = localInstant(f.Day, f.Time); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.EndTime) != "" {
		end, err := localInstant(f.Day, f.EndTime)
		if err != nil {
			return nil, apperr.InvalidField("ends_at", "meeting.bad_time", "not a valid date and time")
		}
		in.EndsAt = &end
	}
	agenda, err := parseAgenda(f.Agenda, nil)
	if err != nil {
		return nil, err
	}
	// The guidance's documents go with the item of current affairs when
	// the agenda names none.
	if in.GuidanceID != nil && len(agenda) > 1 {
		none := true
		for _, it := range agenda {
			none = none && len(it.DocumentIDs) == 0
		}
		if none {
			gs, err := s.Meetings.GuidanceFor(r.Context(), httpx.ActorFrom(r), unit, meeting.MonthOf(in.StartsAt))
			if err != nil {
				return nil, err
			}
			for _, g := range gs {
				if g.ID == *in.GuidanceID {
					agenda[1].DocumentIDs = append(agenda[1].DocumentIDs, g.DocumentIDs...)
				}
			}
		}
	}
	in.Agenda = &agenda
	return s.Meetings.Schedule(r.Context(), httpx.ActorFrom(r), unit, in)
}

type meetingPage struct {
	view
	M        *meeting.Meeting
	Roll     *meeting.Roll
	Titles   map[int64]string
	MayWrite bool
	Guidance *meeting.Guidance
	Errors   *meetingErrs
	Form     scheduleForm
	Amend    meeting.AmendInput
	Fields   []string
	Saved    bool
}

func (s *Handler) meetingPageOf(r *http.Request) (*meetingPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	actor := httpx.ActorFrom(r)
	m, err := s.Meetings.Get(r.Context(), actor, id)
	if err != nil {
		return nil, err
	}
	p := &meetingPage{M: m, MayWrite: meeting.MayWrite(actor, m.UnitPath), Saved: r.URL.Query().Get("ok") != ""}
	if p.Roll, err = s.Meetings.Roll(r.Context(), actor, id); err != nil {
		return nil, err
	}
	var more []int64
	if m.GuidanceID != nil {
		gs, err := s.Meetings.GuidanceFor(r.Context(), actor, m.UnitID, m.Month())
		if err != nil {
			return nil, err
		}
		for i := range gs {
			if gs[i].ID == *m.GuidanceID {
				p.Guidance = &gs[i]
				more = gs[i].DocumentIDs
			}
		}
	}
	if p.Titles, err = s.Meetings.DocumentTitles(r.Context(), m, more); err != nil {
		return nil, err
	}
	t := m.StartsAt.In(date.Vietnam)
	p.Form = scheduleForm{Kind: string(m.Kind), Day: t.Format("2006-01-02"), Time: t.Format("15:04"), Place: m.Place, Topic: m.Topic, Agenda: agendaText(m.Agenda)}
	if m.EndsAt != nil {
		p.Form.EndTime = m.EndsAt.In(date.Vietnam).Format("15:04")
	}
	p.Fields = append([]string{}, meeting.AmendableFields...)
	for i := range m.Agenda {
		p.Fields = append(p.Fields, fmt.Sprintf("agenda[%d].notes", i))
	}
	if u, err := s.Org.Get(r.Context(), actor, m.UnitID); err == nil {
		p.Crumbs = append(s.trail(r.Context(), actor, u), *u)
	}
	return p, nil
}

func (s *Handler) uiMeeting(w http.ResponseWriter, r *http.Request) error {
	p, err := s.meetingPageOf(r)
	return s.show(w, r, "meeting", p, err)
}

func (s *Handler) uiMeetingMode(w http.ResponseWriter, r *http.Request) error {
	p, err := s.meetingPageOf(r)
	if err != nil {
		return err
	}
	if !p.MayWrite {
		return apperr.Keyed(apperr.NotFound, "meeting.not_found", "meeting %d not found", p.M.ID)
	}
	return s.show(w, r, "meeting_mode", p, nil)
}

// meetingDone goes on to the meeting's page (its address, then then) when
// err is nil, and shows page again with the form's errors (refused)
// otherwise: the end of the meeting forms' posts.
func (s *Handler) meetingDone(w http.ResponseWriter, r *http.Request, id int64, then string, err error, page string, fill func(*meetingPage)) error {
	if err != nil {
		return s.refused(w, r, page, err, fill)
	}
	httpx.SeeOther(w, r, "/sinh-hoat/"+strconv.FormatInt(id, 10)+then)
	return nil
}

// refused renders a meeting page again with a form's errors.
func (s *Handler) refused(w http.ResponseWriter, r *http.Request, page string, err error, fill func(*meetingPage)) error {
	errs, err := meetingFormErrors(r, err)
	if err != nil {
		return err
	}
	p, err := s.meetingPageOf(r)
	if err != nil {
		return err
	}
	p.Errors = errs
	if fill != nil {
		fill(p)
	}
	status := http.StatusUnprocessableEntity
	if errs != nil && len(errs.Fields) == 0 {
		status = http.StatusConflict
	}
	s.render(w, r, status, page, p)
	return nil
}

func (s *Handler) uiMeetingEdit(w http.ResponseWriter, r *http.Request) error {
	m, err := s.postedMeeting(w, r)
	if err != nil {
		return err
	}
	id, actor := m.ID, httpx.ActorFrom(r)
	f := scheduleForm{Kind: r.PostForm.Get("kind"), Day: r.PostForm.Get("day"), Time: r.PostForm.Get("time"), EndTime: r.PostForm.Get("end_time"),
		Place: r.PostForm.Get("place"), Topic: r.PostForm.Get("topic"), Agenda: r.PostForm.Get("agenda")}
	err = func() error {
		starts, err := localInstant(f.Day, f.Time)
		if err != nil {
			return err
		}
		in := meeting.UpdateInput{StartsAt: &starts, Place: &f.Place, Topic: &f.Topic}
		k := meeting.Kind(f.Kind)
		in.Kind = &k
		if strings.TrimSpace(f.EndTime) != "" {
			end, err := localInstant(f.Day, f.EndTime)
			if err != nil {
				return apperr.InvalidField("ends_at", "meeting.bad_time", "not a valid date and time")
			}
			in.EndsAt = &end
		}
		agenda, err := parseAgenda(f.Agenda, m.Agenda)
		if err != nil {
			return err
		}
		in.Agenda = &agenda
		_, err = s.Meetings.Update(r.Context(), actor, id, in)
		return err
	}()
	return s.meetingDone(w, r, id, "?ok=1", err, "meeting", func(p *meetingPage) { p.Form = f })
}

// uiMeetingRoll saves the roll of meeting mode: one status (and reason)
// per member listed in the form.
func (s *Handler) uiMeetingRoll(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingPosted(w, r)
	if err != nil {
		return err
	}
	var in meeting.AttendanceInput
	for _, v := range r.PostForm["member"] {
		mid, ok := httpx.ParseID(v)
		if !ok {
			return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
		}
		st := r.PostForm.Get("status_" + v)
		if st == "" {
			continue
		}
		in.Lines = append(in.Lines, meeting.Attendance{MemberID: mid, Status: st, Reason: r.PostForm.Get("reason_" + v)})
	}
	_, err = s.Meetings.PutAttendance(r.Context(), httpx.ActorFrom(r), id, in)
	return s.meetingDone(w, r, id, "/dieu-hanh?ok=1#roll", err, "meeting_mode", nil)
}

// uiMeetingMinutes saves the minutes of meeting mode. The script posts the
// same form with X-Autosave: 1 and gets 204 (or the error's status).
func (s *Handler) uiMeetingMinutes(w http.ResponseWriter, r *http.Request) error {
	m, err := s.postedMeeting(w, r)
	if err != nil {
		return err
	}
	id, actor := m.ID, httpx.ActorFrom(r)
	f := r.PostForm
	in := meeting.UpdateInput{}
	for _, k := range []struct {
		name string
		dst  **string
	}{{"chair", &in.Chair}, {"chair_role", &in.ChairRole}, {"secretary", &in.Secretary}, {"minutes", &in.Minutes}, {"conclusions", &in.Conclusions}, {"resolution", &in.Resolution}} {
		if _, ok := f[k.name]; ok {
			v := f.Get(k.name)
			*k.dst = &v
		}
	}
	agenda := append([]meeting.AgendaItem{}, m.Agenda...)
	changed := false
	for i := range agenda {
		if v, ok := f[fmt.Sprintf("notes_%d", i)]; ok {
			agenda[i].Notes, changed = v[0], true
		}
	}
	if changed {
		in.Agenda = &agenda
	}
	if f.Get("vote_for") != "" || f.Get("vote_against") != "" || f.Get("vote_abstain") != "" {
		var v meeting.Vote
		for _, x := range []struct {
			name string
			dst  *int
		}{{"vote_for", &v.For}, {"vote_against", &v.Against}, {"vote_abstain", &v.Abstain}} {
			if s := strings.TrimSpace(f.Get(x.name)); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil {
					n = -1
				}
				*x.dst = n
			}
		}
		in.Vote = &v
	}
	_, err = s.Meetings.Update(r.Context(), actor, id, in)
	if r.Header.Get("X-Autosave") == "1" {
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return s.meetingDone(w, r, id, "/dieu-hanh?ok=1#minutes", err, "meeting_mode", nil)
}

func (s *Handler) uiMeetingClose(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingPosted(w, r)
	if err != nil {
		return err
	}
	_, err = s.Meetings.Close(r.Context(), httpx.ActorFrom(r), id, meeting.CloseInput{})
	return s.meetingDone(w, r, id, "", err, "meeting_mode", nil)
}

func (s *Handler) uiMeetingAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingPosted(w, r)
	if err != nil {
		return err
	}
	in := meeting.AmendInput{Field: r.PostForm.Get("field"), Text: r.PostForm.Get("text"), Reason: r.PostForm.Get("reason")}
	_, err = s.Meetings.Amend(r.Context(), httpx.ActorFrom(r), id, in)
	return s.meetingDone(w, r, id, "#amendments", err, "meeting", func(p *meetingPage) { p.Amend = in })
}

type guidancePage struct {
	view
	Unit     *org.Unit
	Existing []meeting.Guidance
	Form     struct{ Month, Topics, Documents, Note string }
	Errors   *meetingErrs
}

func (s *Handler) uiGuidanceForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderGuidance(w, r, http.StatusOK, nil)
}

func (s *Handler) renderGuidance(w http.ResponseWriter, r *http.Request, status int, p *guidancePage) error {
	actor := httpx.ActorFrom(r)
	u, err := httpx.ByPathID(r, s.Org.Get)
	if err != nil {
		return err
	}
	id := u.ID
	if u.Kind == org.KindCell || !actor.Can(u.Path, meeting.Publishers) {
		return apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	if p == nil {
		p = &guidancePage{}
		p.Form.Month = s.Today().AddMonths(1).String()[:7]
	}
	p.Unit = u
	for _, mo := range []string{meeting.MonthOf(s.Clock()), s.Today().AddMonths(1).String()[:7]} {
		gs, err := s.Meetings.GuidanceFor(r.Context(), actor, id, mo)
		if err != nil {
			return err
		}
		p.Existing = append(p.Existing, gs...)
	}
	p.Crumbs = s.trail(r.Context(), actor, u)
	s.render(w, r, status, "meeting_guidance", p)
	return nil
}

func (s *Handler) uiPublishGuidance(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingPosted(w, r)
	if err != nil {
		return err
	}
	p := &guidancePage{}
	p.Form.Month, p.Form.Topics, p.Form.Documents, p.Form.Note = r.PostForm.Get("month"), r.PostForm.Get("topics"), r.PostForm.Get("documents"), r.PostForm.Get("note")
	in := meeting.GuidanceInput{Month: strings.TrimSpace(p.Form.Month), Note: p.Form.Note, Topics: []string{}, DocumentIDs: []int64{}}
	for _, line := range strings.Split(p.Form.Topics, "\n") {
		if strings.TrimSpace(line) != "" {
			in.Topics = append(in.Topics, line)
		}
	}
	err = nil
	for _, f := range strings.Fields(strings.ReplaceAll(p.Form.Documents, ",", " ")) {
		d, ok := httpx.ParseID(strings.TrimPrefix(f, "#"))
		if !ok {
			err = apperr.InvalidField("document_ids", "meeting.bad_ids", "positive ids, each once")
		}
		in.DocumentIDs = append(in.DocumentIDs, d)
	}
	if err == nil {
		_, err = s.Meetings.PublishGuidance(r.Context(), httpx.ActorFrom(r), id, in)
	}
	if err != nil {
		if p.Errors, err = meetingFormErrors(r, err); err != nil {
			return err
		}
		return s.renderGuidance(w, r, http.StatusUnprocessableEntity, p)
	}
	httpx.SeeOther(w, r, "/don-vi/"+strconv.FormatInt(id, 10)+"/sinh-hoat/huong-dan")
	return nil
}

type compliancePage struct {
	view
	Unit   *org.Unit
	C      *meeting.Compliance
	Months []string
	Years  []int
	Names  map[int64]string
}

func (s *Handler) compliance(r *http.Request) (*org.Unit, *meeting.Compliance, error) {
	in, err := httpx.ComplianceQuery(r)
	if err != nil {
		return nil, nil, err
	}
	actor := httpx.ActorFrom(r)
	c, err := s.Meetings.Compliance(r.Context(), actor, in)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.Org.Get(r.Context(), actor, in.UnitID)
	return u, c, err
}

func (s *Handler) uiMeetingCompliance(w http.ResponseWriter, r *http.Request) error {
	u, c, err := s.compliance(r)
	if err != nil {
		return err
	}
	p := &compliancePage{Unit: u, C: c, Names: map[int64]string{}}
	if len(c.Cells) > 0 {
		for _, mo := range c.Cells[0].Months {
			p.Months = append(p.Months, mo.Month[5:])
		}
	}
	for _, cell := range c.Cells {
		p.Names[cell.UnitID] = cell.Name
	}
	for y := s.Today().Year; y >= s.Today().Year-4; y-- {
		p.Years = append(p.Years, y)
	}
	p.Crumbs = s.trail(r.Context(), httpx.ActorFrom(r), u)
	return s.show(w, r, "meeting_compliance", p, nil)
}

// uiMeetingComplianceXLSX exports the grid: a row per cell, a column per
// month ("✓", "✓ C", "✗"), the attendance rate.
func (s *Handler) uiMeetingComplianceXLSX(w http.ResponseWriter, r *http.Request) error {
	u, c, err := s.compliance(r)
	if err != nil {
		return err
	}
	l := langOf(r)
	headers := []string{translate(l, "mtg.cell")}
	if len(c.Cells) > 0 {
		for _, mo := range c.Cells[0].Months {
			headers = append(headers, mo.Month)
		}
	}
	headers = append(headers, translate(l, "mtg.rate"))
	rows := make([][]string, 0, len(c.Cells))
	for _, cell := range c.Cells {
		row := []string{cell.Name}
		for _, mo := range cell.Months {
			row = append(row, mo.Mark("✓", "✗", " C"))
		}
		rate := ""
		if cell.AttendanceRate != nil {
			rate = strconv.Itoa(int(*cell.AttendanceRate*100+0.5)) + "%"
		}
		rows = append(rows, append(row, rate))
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, strconv.Itoa(c.Year), translate(l, "mtg.compliance")+" "+strconv.Itoa(c.Year)+" – "+u.Name, headers, rows); err != nil {
		return err
	}
	httpx.Download(w, "sinh-hoat-"+u.Code+"-"+c.AsOf+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}
