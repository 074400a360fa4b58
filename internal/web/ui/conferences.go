package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	pg "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The conference pages (/hoi-nghi): the list and the form of the office,
// a conference with the member's pass and its bridge points, the host's
// check-in page (a roll with tick boxes that works without JavaScript; a
// small script adds the camera scan and the offline queue), and the live
// board (server-rendered, refreshed by server-sent events).

// PageConferences is the list of conferences.
const PageConferences = "/hoi-nghi"

// confText translates a message by its key (i18n.go message); without
// one it keeps its English text.
func confText(l lang, key string, args []any, fallback string) string {
	return message(l, key, args, fallback)
}

// confErrors splits a refusal into a summary and the field messages (the
// first of each field), translated; ok is false for errors that are not
// a refusal of the input (they become the error page).
func confErrors(l lang, err error) (summary string, fields map[string]string, ok bool) {
	e, isApp := apperr.As(err)
	if !isApp || (e.Code != apperr.Invalid && e.Code != apperr.Conflict && e.Code != apperr.TooLarge) {
		return "", nil, false
	}
	fields = map[string]string{}
	for _, f := range e.Fields {
		if _, seen := fields[f.Field]; !seen {
			txt := confText(l, f.Key, f.Args, f.Message)
			if f.Row > 0 {
				txt = fmt.Sprintf("%d: %s", f.Row, txt)
			}
			fields[f.Field] = txt
		}
	}
	summary = confText(l, e.Key, e.Args, e.Message)
	if len(e.Fields) > 0 {
		summary = fields[e.Fields[0].Field]
	}
	return summary, fields, true
}

func vnTime(t time.Time) string { return t.In(date.Vietnam).Format("15:04 02/01/2006") }

var conferenceFuncs = template.FuncMap{
	"vntime":  vnTime,
	"vnclock": func(t time.Time) string { return t.In(date.Vietnam).Format("15:04:05") },
	"safesvg": func(s string) template.HTML { return template.HTML(s) }, // made by qr.SVG, no input inside
	"confid": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
}

type conferencesPage struct {
	view
	Page      *pg.Of[conference.Conference]
	MayCreate bool
}

func (s *Handler) uiConferences(w http.ResponseWriter, r *http.Request) error {
	actor := httpx.ActorFrom(r)
	p, err := s.Conferences.List(r.Context(), actor, 50, r.URL.Query().Get("sau"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "conferences", &conferencesPage{Page: p, MayCreate: actor.HasAny(conference.ManageRoles)})
	return nil
}

type conferenceNewPage struct {
	view
	Title, Date, Start, End, Agenda, Docs string
	HostID, AudienceID                    int64
	Roles                                 map[string]bool
	Hosts                                 []org.Unit
	Q                                     string
	Searched                              bool
	Matches                               []org.Unit
	Audience                              *org.Unit
	Error                                 string
	Errors                                map[string]string
}

// confForm reads the form (GET for the search, POST to create).
func (s *Handler) confForm(r *http.Request) (*conferenceNewPage, error) {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	if !actor.HasAny(conference.ManageRoles) {
		return nil, apperr.Keyed(apperr.NotFound, "conference.not_found", "no such page")
	}
	if err := r.ParseForm(); err != nil {
		return nil, apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	f := r.Form
	p := &conferenceNewPage{Title: f.Get("title"), Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"), Agenda: f.Get("agenda"),
		Docs: f.Get("docs"), Q: strings.TrimSpace(f.Get("q")), Roles: map[string]bool{}, Errors: map[string]string{}}
	for _, ro := range f["roles"] {
		p.Roles[ro] = true
	}
	p.HostID, _ = strconv.ParseInt(f.Get("host"), 10, 64)
	p.AudienceID, _ = strconv.ParseInt(f.Get("audience"), 10, 64)
	seen := map[int64]bool{}
	for _, g := range actor.Grants {
		for _, ro := range conference.ManageRoles {
			if g.Role == ro && !seen[g.UnitID] {
				seen[g.UnitID] = true
				if u, err := s.Org.Get(ctx, actor, g.UnitID); err == nil {
					p.Hosts = append(p.Hosts, *u)
				}
			}
		}
	}
	if p.HostID == 0 && len(p.Hosts) > 0 {
		p.HostID = p.Hosts[0].ID
	}
	if p.Date == "" {
		p.Date = s.Today().String()
	}
	if p.Start == "" {
		p.Start = "08:00"
	}
	if p.AudienceID != 0 {
		if u, err := s.Org.Get(ctx, actor, p.AudienceID); err == nil {
			p.Audience = u
		}
	}
	if p.Q != "" {
		p.Searched = true
		ms, err := s.Org.Search(ctx, actor, p.HostID, p.Q, 20)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			if _, fs, ok := confErrors(langOf(r), err); ok {
				p.Errors["q"] = fs["q"]
			} else {
				return nil, err
			}
		}
		p.Matches = ms
	}
	return p, nil
}

func (s *Handler) uiConferenceNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.confForm(r)
	return s.show(w, r, "conference_new", p, err)
}

func (s *Handler) uiConferenceCreate(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSON)
	p, err := s.confForm(r)
	if err != nil {
		return err
	}
	l := langOf(r)
	in := conference.CreateInput{Title: p.Title, Agenda: p.Agenda, HostUnitID: p.HostID, Audience: conference.Audience{UnitID: p.AudienceID}}
	for ro := range p.Roles {
		in.Audience.Roles = append(in.Audience.Roles, auth.Role(ro))
	}
	day, derr := date.Parse(p.Date)
	at := func(hm string) (time.Time, bool) {
		t, err := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+hm, date.Vietnam)
		return t, err == nil
	}
	if derr != nil {
		p.Errors["date"] = translate(l, "conference.starts_required")
	} else if t, ok := at(p.Start); ok {
		in.StartsAt = t
	} else {
		p.Errors["start"] = translate(l, "conference.starts_required")
	}
	if p.End != "" && derr == nil {
		if t, ok := at(p.End); ok {
			in.EndsAt = &t
		} else {
			p.Errors["end"] = translate(l, "conference.ends_before")
		}
	}
	for _, d := range strings.FieldsFunc(p.Docs, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			p.Errors["docs"] = fmt.Sprintf(translate(l, "conference.no_document"), 0)
			break
		}
		in.DocumentIDs = append(in.DocumentIDs, id)
	}
	if len(p.Errors) == 0 {
		c, err := s.Conferences.Create(r.Context(), httpx.ActorFrom(r), in)
		if err == nil {
			httpx.SeeOther(w, r, "/hoi-nghi/"+strconv.FormatInt(c.ID, 10))
			return nil
		}
		sum, fs, ok := confErrors(l, err)
		if !ok {
			return err
		}
		p.Error = sum
		for k, v := range fs {
			if strings.HasPrefix(k, "audience") {
				k = "audience"
			}
			switch k {
			case "starts_at":
				k = "start"
			case "ends_at":
				k = "end"
			case "host_unit_id":
				k = "host"
			case "document_ids":
				k = "docs"
			}
			p.Errors[k] = v
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "conference_new", p)
	return nil
}

type conferencePage struct {
	view
	C       *conference.Conference
	Points  []conference.BridgePoint
	Pass    *conference.Pass
	MyPoint *conference.BridgePoint
	Free    []org.Unit // units at or below the host without a point
	// Hosts are, per free unit, the accounts with a role on it: the
	// choices of the point's host.
	Hosts    map[int64][]conference.HostOption
	Error    string
	HostOf   map[int64]bool
	MayBoard bool
	// Changeable: the officers may still move or call it off (not
	// started, not cancelled).
	Changeable bool
}

func (s *Handler) conferencePage(r *http.Request) (*conferencePage, error) {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, ps, err := s.Conferences.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p := &conferencePage{C: c, Points: ps, HostOf: map[int64]bool{}, MayBoard: c.CanManage || len(c.HostOf) > 0}
	for _, h := range c.HostOf {
		p.HostOf[h] = true
	}
	if c.Invitee {
		if p.Pass, err = s.Conferences.MyPass(ctx, actor, id); err != nil {
			return nil, err
		}
		for i := range ps {
			if c.MyPointID != nil && ps[i].ID == *c.MyPointID {
				p.MyPoint = &ps[i]
			}
		}
	}
	p.Changeable = c.CanManage && c.CancelledAt == nil && c.StartsAt.After(s.Clock())
	if c.CanManage {
		taken := map[int64]bool{}
		for _, pt := range ps {
			taken[pt.UnitID] = true
		}
		if !taken[c.HostUnitID] {
			if u, err := s.Org.Get(ctx, actor, c.HostUnitID); err == nil {
				p.Free = append(p.Free, *u)
			}
		}
		kids, err := s.Org.Children(ctx, actor, c.HostUnitID)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			if !taken[k.ID] && k.DissolvedOn.IsZero() {
				p.Free = append(p.Free, k)
			}
		}
		ids := make([]int64, len(p.Free))
		for i, u := range p.Free {
			ids[i] = u.ID
		}
		if p.Hosts, err = s.Conferences.HostOptions(ctx, actor, id, ids); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Handler) uiConference(w http.ResponseWriter, r *http.Request) error {
	p, err := s.conferencePage(r)
	return s.show(w, r, "conference", p, err)
}

func (s *Handler) uiConferenceAddPoints(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	p, err := s.conferencePage(r)
	if err != nil {
		return err
	}
	if !p.C.CanManage {
		return apperr.Keyed(apperr.NotFound, "conference.not_found", "no such conference")
	}
	names := map[int64]string{}
	for _, u := range p.Free {
		names[u.ID] = u.Name
	}
	var in []conference.PointInput
	for _, v := range r.PostForm["unit"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		pt := conference.PointInput{UnitID: id, Name: names[id]}
		// The host: one of the unit's accounts offered by the form.
		if h, err := strconv.ParseInt(r.PostForm.Get("host-"+v), 10, 64); err == nil && h > 0 {
			for _, o := range p.Hosts[id] {
				if o.AccountID == h {
					pt.HostAccountID = &o.AccountID
				}
			}
		}
		in = append(in, pt)
	}
	_, err = s.Conferences.AddPoints(r.Context(), httpx.ActorFrom(r), p.C.ID, in)
	if err == nil {
		httpx.SeeOther(w, r, "/hoi-nghi/"+strconv.FormatInt(p.C.ID, 10)+"#diem-cau")
		return nil
	}
	sum, _, ok := confErrors(langOf(r), err)
	if !ok {
		return err
	}
	p.Error = sum
	s.render(w, r, http.StatusUnprocessableEntity, "conference", p)
	return nil
}

type checkinPage struct {
	view
	C       *conference.Conference
	Point   *conference.BridgePoint
	Roll    *pg.Of[conference.Attendee]
	Q       string
	Error   string
	Done    int
	Present int
	Code    string
}

func (s *Handler) checkinPage(r *http.Request) (*checkinPage, error) {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	id, bp, err := httpx.PathIDAnd(r, "bp")
	if err != nil {
		return nil, err
	}
	c, ps, err := s.Conferences.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p := &checkinPage{C: c, Q: strings.TrimSpace(r.FormValue("q"))}
	for i := range ps {
		if ps[i].ID == bp {
			p.Point = &ps[i]
		}
	}
	if p.Point == nil {
		return nil, apperr.Keyed(apperr.NotFound, "conference.point_not_found", "no such bridge point")
	}
	if p.Roll, err = s.Conferences.Roll(ctx, actor, id, bp, p.Q, 500, r.FormValue("sau")); err != nil {
		return nil, err
	}
	for _, a := range p.Roll.Items {
		if a.CheckedIn && a.CheckedPoint != nil && *a.CheckedPoint == bp {
			p.Present++
		}
	}
	p.Done, _ = strconv.Atoi(r.FormValue("xong"))
	return p, nil
}

func (s *Handler) uiCheckin(w http.ResponseWriter, r *http.Request) error {
	p, err := s.checkinPage(r)
	return s.show(w, r, "conference_checkin", p, err)
}

// uiCheckinPost checks in the ticked members, or the typed code, at the
// point, and comes back to the roll (the same search).
func (s *Handler) uiCheckinPost(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	p, err := s.checkinPage(r)
	if err != nil {
		return err
	}
	var in []conference.CheckinInput
	if code := strings.TrimSpace(r.PostForm.Get("code")); code != "" {
		in = append(in, conference.CheckinInput{Code: code, BridgePointID: p.Point.ID})
		p.Code = code
	}
	for _, v := range r.PostForm["member"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
		}
		in = append(in, conference.CheckinInput{MemberID: id, BridgePointID: p.Point.ID})
	}
	got, err := s.Conferences.Checkin(r.Context(), httpx.ActorFrom(r), p.C.ID, in)
	if err == nil {
		q := url.Values{"xong": {strconv.Itoa(len(got))}}
		if p.Q != "" {
			q.Set("q", p.Q)
		}
		httpx.SeeOther(w, r, fmt.Sprintf("/hoi-nghi/%d/diem-cau/%d?%s", p.C.ID, p.Point.ID, q.Encode()))
		return nil
	}
	sum, _, ok := confErrors(langOf(r), err)
	if !ok {
		return err
	}
	p.Error = sum
	s.render(w, r, http.StatusUnprocessableEntity, "conference_checkin", p)
	return nil
}

type boardPage struct {
	view
	C *conference.Conference
	A *conference.Attendance
}

func (s *Handler) uiBoard(w http.ResponseWriter, r *http.Request) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	c, _, err := s.Conferences.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	a, err := s.Conferences.Attendance(ctx, actor, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "conference_board", &boardPage{C: c, A: a})
	return nil
}

// uiConferenceChange moves (action doi-lich: date, start, end) or calls
// off (huy: reason) a conference from its page; a refusal shows the page
// again with the message.
func (s *Handler) uiConferenceChange(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSON)
	if err := r.ParseForm(); err != nil {
		return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	p, err := s.conferencePage(r)
	if err != nil {
		return err
	}
	if !p.C.CanManage {
		return apperr.Keyed(apperr.NotFound, "conference.not_found", "no such conference")
	}
	ctx, actor, l := r.Context(), httpx.ActorFrom(r), langOf(r)
	f := r.PostForm
	if r.PathValue("action") == "huy" {
		_, err = s.Conferences.Cancel(ctx, actor, p.C.ID, conference.CancelInput{Reason: f.Get("reason"), Version: p.C.Version})
	} else {
		in := conference.RescheduleInput{Version: p.C.Version}
		day, derr := date.Parse(f.Get("date"))
		at := func(hm string) (time.Time, bool) {
			t, err := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+hm, date.Vietnam)
			return t, err == nil
		}
		if t, ok := at(f.Get("start")); derr == nil && ok {
			in.StartsAt = t
			if e := f.Get("end"); e != "" {
				if t, ok := at(e); ok {
					in.EndsAt = &t
				}
			}
		}
		_, err = s.Conferences.Reschedule(ctx, actor, p.C.ID, in)
	}
	if err == nil {
		httpx.SeeOther(w, r, "/hoi-nghi/"+strconv.FormatInt(p.C.ID, 10))
		return nil
	}
	sum, fields, ok := confErrors(l, err)
	if !ok {
		return err
	}
	for _, v := range fields {
		sum += " " + v
	}
	p.Error = sum
	s.render(w, r, http.StatusUnprocessableEntity, "conference", p)
	return nil
}
