package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Cell meetings (../shared/API.md "Meetings"; internal/meeting).

func (s *Handler) apiPublishGuidance(w http.ResponseWriter, r *http.Request) error {
	g, err := byIDWithBody(w, r, s.Meetings.PublishGuidance, "month", "topics")
	return send(w, http.StatusCreated, g, err)
}

func (s *Handler) apiGuidance(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	if unit == 0 {
		return apperr.InvalidField("unit", "meeting.required", "required")
	}
	month := r.URL.Query().Get("month")
	if month == "" {
		month = meeting.MonthOf(s.Clock())
	}
	gs, err := s.Meetings.GuidanceFor(r.Context(), httpx.ActorFrom(r), unit, month)
	return sendAll(w, http.StatusOK, gs, err)
}

func (s *Handler) apiScheduleMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, s.Meetings.Schedule, "kind", "starts_at", "place", "topic")
	return sendNew(w, "/api/v1/meetings/", m, err)
}

// apiMeeting answers GET /api/v1/meetings/{id} and, for "{id}.ics", the
// meeting's iCalendar (a path pattern cannot end a wildcard with ".ics").
func (s *Handler) apiMeeting(w http.ResponseWriter, r *http.Request) error {
	v := r.PathValue("id")
	ics := strings.HasSuffix(v, ".ics")
	id, ok := httpx.ParseID(strings.TrimSuffix(v, ".ics"))
	if !ok {
		return apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	m, err := s.Meetings.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	if ics {
		s.writeICS(w, "meeting-"+strconv.FormatInt(id, 10)+".ics", m.Topic, []meeting.Meeting{*m})
		return nil
	}
	return sendTagged(w, http.StatusOK, m.Version, m)
}

func (s *Handler) writeICS(w http.ResponseWriter, name, title string, ms []meeting.Meeting) {
	b := meeting.ICS(ms, meeting.ICSOptions{Name: title, Now: s.Clock()})
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", httpx.ContentDisposition(name))
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (s *Handler) apiUpdateMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, ifMatch(r, func(in *meeting.UpdateInput) *int { return &in.Version }, s.Meetings.Update))
	return sendRecord(w, http.StatusOK, m, err)
}

func (s *Handler) apiUnitMeetings(w http.ResponseWriter, r *http.Request) error {
	in, err := meetingListInput(r)
	if err != nil {
		return err
	}
	p, err := s.Meetings.List(r.Context(), httpx.ActorFrom(r), in)
	return send(w, http.StatusOK, p, err)
}

// meetingListInput reads the unit from the path and ?from=, ?to=,
// ?limit=, ?cursor=.
func meetingListInput(r *http.Request) (meeting.ListInput, error) {
	in := meeting.ListInput{Cursor: r.URL.Query().Get("cursor")}
	var err error
	if in.UnitID, err = httpx.PathID(r, "id"); err != nil {
		return in, err
	}
	if in.From, err = httpx.QueryDate(r, "from"); err != nil {
		return in, err
	}
	if in.To, err = httpx.QueryDate(r, "to"); err != nil {
		return in, err
	}
	in.Limit, err = httpx.QueryLimit(r)
	return in, err
}

// apiUnitMeetingsICS is the calendar of a unit's meetings (by default from
// three months ago, at most 500 meetings): phones subscribe to it.
func (s *Handler) apiUnitMeetingsICS(w http.ResponseWriter, r *http.Request) error {
	in, err := meetingListInput(r)
	if err != nil {
		return err
	}
	if in.From.IsZero() {
		in.From = s.Today().AddMonths(-3)
	}
	in.Limit = 500
	p, err := s.Meetings.List(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	name := "Sinh hoạt chi bộ"
	if len(p.Items) > 0 {
		name += " – " + p.Items[0].UnitName
	}
	s.writeICS(w, "meetings-"+strconv.FormatInt(in.UnitID, 10)+".ics", name, p.Items)
	return nil
}

func (s *Handler) apiMeetingRoll(w http.ResponseWriter, r *http.Request) error {
	roll, err := httpx.ByPathID(r, s.Meetings.Roll)
	return send(w, http.StatusOK, roll, err)
}

// attendanceLine is one line of PUT …/attendance.
type attendanceLine struct {
	MemberID int64  `json:"member_id"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
}

func (s *Handler) apiPutAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var obj struct {
		Attendance []attendanceLine `json:"attendance"`
	}
	var arr []attendanceLine
	if err := httpx.DecodeJSONEither(w, r, &obj, &arr, "attendance"); err != nil {
		return err
	}
	if arr == nil {
		arr = obj.Attendance
	}
	in := meeting.AttendanceInput{Lines: make([]meeting.Attendance, len(arr))}
	for i, l := range arr {
		in.Lines[i] = meeting.Attendance{MemberID: l.MemberID, Status: l.Status, Reason: l.Reason}
	}
	if in.Version, err = httpx.IfMatch(r); err != nil {
		return err
	}
	roll, err := s.Meetings.PutAttendance(r.Context(), httpx.ActorFrom(r), id, in)
	return send(w, http.StatusOK, roll, err)
}

func (s *Handler) apiCloseMeeting(w http.ResponseWriter, r *http.Request) error {
	close := ifMatch(r, func(in *meeting.CloseInput) *int { return &in.Version }, s.Meetings.Close)
	var m *meeting.Meeting
	var err error
	if r.ContentLength == 0 { // the body is optional
		m, err = httpx.ByPathID(r, func(ctx context.Context, a *auth.Actor, id int64) (*meeting.Meeting, error) {
			return close(ctx, a, id, meeting.CloseInput{})
		})
	} else {
		m, err = byIDWithBody(w, r, close)
	}
	return sendRecord(w, http.StatusOK, m, err)
}

func (s *Handler) apiAmendMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, ifMatch(r, func(in *meeting.AmendInput) *int { return &in.Version }, s.Meetings.Amend), "field", "text", "reason")
	return sendRecord(w, http.StatusCreated, m, err)
}

// apiMeetingCompliance answers the grid, or with ?by=child the roll-up
// per child unit and month (docs/api.md).
func (s *Handler) apiMeetingCompliance(w http.ResponseWriter, r *http.Request) error {
	switch r.URL.Query().Get("by") {
	case "":
		c, err := s.compliance(r)
		return send(w, http.StatusOK, c, err)
	case "child":
		in, err := httpx.ComplianceQuery(r)
		if err != nil {
			return err
		}
		c, err := s.Meetings.ComplianceByChild(r.Context(), httpx.ActorFrom(r), in)
		return send(w, http.StatusOK, c, err)
	default:
		return apperr.InvalidField("by", "meeting.by", "by=child or nothing")
	}
}

// compliance is the grid of the unit {id} with ?year= and ?as_of=.
func (s *Handler) compliance(r *http.Request) (*meeting.Compliance, error) {
	in, err := httpx.ComplianceQuery(r)
	if err != nil {
		return nil, err
	}
	return s.Meetings.Compliance(r.Context(), httpx.ActorFrom(r), in)
}
