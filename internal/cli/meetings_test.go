package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/store"
)

type meetingJSON struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"unit_id"`
	Kind       string `json:"kind"`
	StartsAt   string `json:"starts_at"`
	Place      string `json:"place"`
	Topic      string `json:"topic"`
	State      string `json:"state"`
	Version    int    `json:"version"`
	GuidanceID *int64 `json:"guidance_id"`
	Minutes    string `json:"minutes"`
	Agenda     []struct {
		Title       string  `json:"title"`
		DocumentIDs []int64 `json:"document_ids"`
	} `json:"agenda"`
	Attendance []struct {
		MemberID int64  `json:"member_id"`
		Status   string `json:"status"`
		Reason   string `json:"reason"`
	} `json:"attendance"`
	Amendments []struct {
		Field, Text, Reason string
	} `json:"amendments"`
}

type rollJSON struct {
	Expected []struct {
		MemberID int64  `json:"member_id"`
		Class    string `json:"class"`
		Status   string `json:"status"`
	} `json:"expected"`
	Exempt  []struct{} `json:"exempt"`
	Present int        `json:"present"`
	Excused int        `json:"excused"`
	Absent  int        `json:"absent"`
	Quorum  struct {
		Full         struct{ Expected, Present int } `json:"full"`
		Probationary struct{ Expected, Present int } `json:"probationary"`
		Valid        bool                            `json:"valid"`
	} `json:"quorum"`
}

type complianceJSON struct {
	Cells []struct {
		UnitID int64  `json:"unit_id"`
		Name   string `json:"name"`
		Months []struct {
			Month             string   `json:"month"`
			Regular           bool     `json:"regular"`
			ThematicInQuarter bool     `json:"thematic_in_quarter"`
			AttendanceRate    *float64 `json:"attendance_rate"`
		} `json:"months"`
	} `json:"cells"`
	Flags []struct {
		MemberID   int64   `json:"member_id"`
		Absences   int     `json:"absences"`
		MeetingIDs []int64 `json:"meeting_ids"`
	} `json:"flags"`
}

// meetingWorld is the demo district seen by the accounts of a meeting.
type meetingWorld struct {
	office, committee, secretary, member, stranger *client
	district, phuTuc, chauCan                      unitJSON
	cell                                           int64
	memberID                                       int64
}

func newMeetingWorld(t *testing.T, m *Main) *meetingWorld {
	t.Helper()
	w := &meetingWorld{office: m.signIn(t, "vanphong"), committee: m.signIn(t, "danguy.phutuc"), secretary: m.signIn(t, "bithu.phutuc"), member: m.signIn(t, "dangvien")}
	admin := m.signIn(t, "admin")
	var roots listJSON[unitJSON]
	admin.do("GET", "/api/v1/units", nil, &roots)
	w.district = unitByName(t, admin, roots.Items[0].ID, "Huyện ủy Phú Xuyên")
	w.phuTuc = unitByName(t, w.office, w.district.ID, "Đảng bộ xã Phú Túc")
	w.chauCan = unitByName(t, w.office, w.district.ID, "Đảng bộ xã Châu Can")
	var me struct {
		MemberID *int64 `json:"member_id"`
		Roles    []struct {
			UnitID int64 `json:"unit_id"`
		} `json:"roles"`
	}
	w.member.do("GET", "/api/v1/accounts/me", nil, &me)
	w.cell, w.memberID = me.Roles[0].UnitID, *me.MemberID
	// A committee member of another commune.
	w.stranger = m.newAccount(t, w.office, map[string]any{"username": "danguy.chaucan", "roles": []map[string]any{{"unit_id": w.chauCan.ID, "role": "committee"}}})
	return w
}

func TestMeetingsAPI(t *testing.T) { bothEngines(t, testMeetingsAPI) }

func testMeetingsAPI(t *testing.T, m *Main) {
	w := newMeetingWorld(t, m)
	now := time.Now()
	month := now.In(vietnamZone).Format("2006-01")
	path := func(f string, a ...any) string { return fmt.Sprintf(f, a...) }

	// The district's guidance reaches the cell; the commune adds its own.
	var g struct {
		ID int64 `json:"id"`
	}
	if st := w.office.do("POST", path("/api/v1/units/%d/meeting-guidance", w.district.ID), map[string]any{"month": month,
		"topics": []string{"Học tập, làm theo tư tưởng; đạo đức Hồ Chí Minh"}, "document_ids": []int64{}, "note": "Các chi bộ bám sát"}, &g); st != 201 {
		t.Fatalf("district guidance: %d", st)
	}
	if st := w.committee.do("POST", path("/api/v1/units/%d/meeting-guidance", w.phuTuc.ID), map[string]any{"month": month, "topics": []string{"Phòng chống thiên tai"}}, nil); st != 201 {
		t.Fatalf("commune guidance: %d", st)
	}
	if st := w.secretary.do("POST", path("/api/v1/units/%d/meeting-guidance", w.cell), map[string]any{"month": month, "topics": []string{"x"}}, nil); st != 404 {
		t.Errorf("a cell publishing guidance: %d, want 404", st)
	}
	var gs listJSON[struct {
		UnitID int64    `json:"unit_id"`
		Topics []string `json:"topics"`
	}]
	if st := w.member.do("GET", path("/api/v1/meeting-guidance?unit=%d&month=%s", w.cell, month), nil, &gs); st != 200 || len(gs.Items) < 2 ||
		gs.Items[0].UnitID != w.district.ID || gs.Items[len(gs.Items)-1].UnitID != w.phuTuc.ID {
		t.Errorf("guidance for the cell: %d %+v", st, gs)
	}
	if st := w.stranger.do("GET", path("/api/v1/meeting-guidance?unit=%d&month=%s", w.cell, month), nil, nil); st != 404 {
		t.Errorf("another commune reads the cell's guidance: %d, want 404", st)
	}

	// Scheduling: bad input changes nothing.
	starts := now.Add(-90 * time.Minute).Truncate(time.Minute)
	ok := map[string]any{"kind": "regular", "starts_at": starts.Format(time.RFC3339), "place": "Nhà văn hóa thôn", "topic": "Sinh hoạt thường kỳ", "guidance_id": g.ID}
	with := func(k string, v any) map[string]any {
		out := map[string]any{}
		for a, b := range ok {
			out[a] = b
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	many := make([]map[string]any, 10000)
	for i := range many {
		many[i] = map[string]any{"title": "Mục"}
	}
	hundredOne := many[:101]
	for _, tc := range []struct {
		name  string
		c     *client
		body  any
		want  int
		field string
	}{
		{"end before start", w.secretary, with("ends_at", starts.Add(-time.Hour).Format(time.RFC3339)), 422, "ends_at"},
		{"no topic", w.secretary, with("topic", ""), 422, "topic"},
		{"missing place", w.secretary, with("place", nil), 422, "place"},
		{"kind", w.secretary, with("kind", "weekly"), 422, "kind"},
		{"agenda of 10,000 items", w.secretary, with("agenda", many), 422, "agenda"},
		{"agenda of 101 items", w.secretary, with("agenda", hundredOne), 422, "agenda"},
		{"unknown document", w.secretary, with("agenda", []map[string]any{{"title": "Đọc", "document_ids": []int64{99999999}}}), 422, "agenda[0].document_ids"},
		{"a member schedules", w.member, ok, 404, ""},
		{"another commune schedules", w.stranger, ok, 404, ""},
	} {
		var p problemJSON
		if st := tc.c.do("POST", path("/api/v1/units/%d/meetings", w.cell), tc.body, &p); st != tc.want {
			t.Errorf("%s: %d %+v, want %d", tc.name, st, p, tc.want)
		} else if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
			t.Errorf("%s: errors %+v, want field %s", tc.name, p.Errors, tc.field)
		}
	}
	var before listJSON[meetingJSON]
	w.secretary.do("GET", path("/api/v1/units/%d/meetings", w.cell), nil, &before)

	var mt meetingJSON
	if st := w.secretary.do("POST", path("/api/v1/units/%d/meetings", w.cell), ok, &mt); st != 201 {
		t.Fatalf("schedule: %d", st)
	}
	if len(mt.Agenda) != 5 || !strings.Contains(mt.Agenda[0].Title, "đảng phí") || mt.State != "open" || mt.GuidanceID == nil || *mt.GuidanceID != g.ID {
		t.Errorf("the meeting: %+v", mt)
	}
	var after listJSON[meetingJSON]
	w.secretary.do("GET", path("/api/v1/units/%d/meetings", w.cell), nil, &after)
	if after.Total != before.Total+1 {
		t.Errorf("meetings of the cell: %d, then %d (bad input wrote something?)", before.Total, after.Total)
	}

	// The member's invitation and reading.
	var inbox listJSON[struct {
		Kind, Link string
	}]
	w.member.do("GET", "/api/v1/notifications", nil, &inbox)
	invited := false
	for _, it := range inbox.Items {
		invited = invited || (it.Kind == "meeting_scheduled" && it.Link == path("/sinh-hoat/%d", mt.ID))
	}
	if !invited {
		t.Errorf("dangvien's inbox has no invitation to meeting %d: %+v", mt.ID, inbox.Items)
	}
	// A meeting tomorrow is the one the member's handbook shows next.
	var next meetingJSON
	tomorrow := map[string]any{"kind": "thematic", "starts_at": now.Add(24 * time.Hour).Format(time.RFC3339), "place": "Hội trường", "topic": "Chuyên đề ngày mai"}
	if st := w.secretary.do("POST", path("/api/v1/units/%d/meetings", w.cell), tomorrow, &next); st != 201 {
		t.Fatalf("schedule tomorrow's: %d", st)
	}
	handbook := m.uiSignIn(t, "dangvien")
	showsNext := func(id int64) {
		t.Helper()
		if a := handbook.get("/so-tay"); a.Status != 200 || !strings.Contains(a.Body, path(`<a class="name" href="/sinh-hoat/%d"`, id)) {
			t.Errorf("the member's handbook does not show meeting %d as the next (status %d)", id, a.Status)
		}
	}
	showsNext(mt.ID) // in progress
	mp := path("/api/v1/meetings/%d", mt.ID)
	for _, tc := range []struct {
		c    *client
		want int
	}{{w.member, 200}, {w.committee, 200}, {w.office, 200}, {w.stranger, 404}} {
		if st := tc.c.do("GET", mp, nil, nil); st != tc.want {
			t.Errorf("read the meeting: %d, want %d", st, tc.want)
		}
		if st := tc.c.do("GET", mp+"/roll", nil, nil); st != tc.want {
			t.Errorf("read the roll: %d, want %d", st, tc.want)
		}
	}
	if st := w.member.do("PATCH", mp, map[string]any{"minutes": "x"}, nil); st != 404 {
		t.Errorf("a member edits: %d, want 404", st)
	}
	if st := w.stranger.do("PUT", mp+"/attendance", []map[string]any{}, nil); st != 404 {
		t.Errorf("another commune takes the roll: %d, want 404", st)
	}
	if st := w.stranger.do("GET", path("/api/v1/units/%d/meeting-compliance", w.phuTuc.ID), nil, nil); st != 404 {
		t.Errorf("another commune's compliance: %d, want 404", st)
	}

	// The calendar: parsed by a real iCalendar library.
	var first, second []byte
	if st := w.member.do("GET", mp+".ics", nil, &first); st != 200 {
		t.Fatalf("ics: %d", st)
	}
	topic := "Học tập, quán triệt Nghị quyết; chuyên đề \\ năm " + month
	if st := w.secretary.do("PATCH", mp, map[string]any{"topic": topic, "place": "Hội trường UBND xã, phòng 2; tầng 1"}, &mt, "If-Match", `"1"`); st != 200 || mt.Version != 2 {
		t.Fatalf("patch: %d version %d", st, mt.Version)
	}
	if st := w.secretary.do("PATCH", mp, map[string]any{"topic": "cũ"}, nil, "If-Match", `"1"`); st != 409 {
		t.Errorf("stale patch: %d, want 409", st)
	}
	w.member.do("GET", mp+".ics", nil, &second)
	ev1, ev2 := parseICS(t, first), parseICS(t, second)
	uid1, _ := ev1.Props.Text(ical.PropUID)
	uid2, _ := ev2.Props.Text(ical.PropUID)
	if uid1 != uid2 || uid1 != path("meeting-%d@sotay", mt.ID) {
		t.Errorf("UID %q then %q, want meeting-%d@sotay both times", uid1, uid2, mt.ID)
	}
	seq1, seq2 := ev1.Props.Get(ical.PropSequence).Value, ev2.Props.Get(ical.PropSequence).Value
	if seq1 >= seq2 {
		t.Errorf("SEQUENCE %s then %s: want it to grow", seq1, seq2)
	}
	start, err := ev2.DateTimeStart(nil)
	if err != nil || !start.Equal(starts) || start.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("DTSTART %v (%v) in %v, want %v in Asia/Ho_Chi_Minh", start, err, start.Location(), starts)
	}
	if got := ev2.Props.Get(ical.PropDateTimeStart).Value; got != starts.In(vietnamZone).Format("20060102T150405") {
		t.Errorf("DTSTART value %s, want Vietnam's wall time", got)
	}
	if sum, _ := ev2.Props.Text(ical.PropSummary); !strings.Contains(sum, topic) {
		t.Errorf("SUMMARY %q lacks %q", sum, topic)
	}
	if loc, _ := ev2.Props.Text(ical.PropLocation); loc != "Hội trường UBND xã, phòng 2; tầng 1" {
		t.Errorf("LOCATION %q", loc)
	}
	var unitICS []byte
	if st := w.member.do("GET", path("/api/v1/units/%d/meetings.ics", w.cell), nil, &unitICS); st != 200 || !bytes.Contains(unitICS, []byte(path("UID:meeting-%d@sotay", mt.ID))) {
		t.Errorf("the cell's calendar: %d, lacks the meeting", st)
	}
	if st := w.stranger.do("GET", mp+".ics", nil, nil); st != 404 {
		t.Errorf("another commune's calendar: %d, want 404", st)
	}
	testMeetingFeeds(t, m, w, mt.ID, starts)

	// The roll.
	var roll rollJSON
	if st := w.secretary.do("GET", mp+"/roll", nil, &roll); st != 200 || len(roll.Expected) == 0 {
		t.Fatalf("roll: %d %+v", st, roll)
	}
	var lines []map[string]any
	for i, e := range roll.Expected {
		switch {
		case i == 0:
			lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "excused", "reason": "Ốm, nằm viện"})
		case i == 1:
			lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "absent"})
		default:
			lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "present"})
		}
	}
	var p problemJSON
	if st := w.secretary.do("PUT", mp+"/attendance", []map[string]any{{"member_id": roll.Expected[0].MemberID, "status": "excused"}}, &p); st != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "reason" || p.Errors[0].Row != 1 {
		t.Errorf("excused without reason: %d %+v", st, p)
	}
	var strangerMember listJSON[memberJSON]
	w.office.do("GET", path("/api/v1/members?unit=%d&limit=1", w.chauCan.ID), nil, &strangerMember)
	bad := append([]map[string]any{}, lines...)
	bad = append(bad, map[string]any{"member_id": strangerMember.Items[0]["id"], "status": "present"})
	if st := w.secretary.do("PUT", mp+"/attendance", bad, &p); st != 422 || p.Errors[0].Row != len(bad) || p.Errors[0].Field != "member_id" {
		t.Errorf("a member of another commune on the roll: %d %+v", st, p)
	}
	var r2 rollJSON
	w.secretary.do("GET", mp+"/roll", nil, &r2)
	if r2.Present+r2.Excused+r2.Absent != 0 {
		t.Errorf("refused rolls wrote lines: %+v", r2)
	}
	if st := w.secretary.do("PUT", mp+"/attendance", lines, &roll); st != 200 {
		t.Fatalf("attendance: %d", st)
	}
	if roll.Present != len(lines)-2 || roll.Excused != 1 || roll.Absent != 1 || roll.Quorum.Full.Present+roll.Quorum.Probationary.Present != roll.Present {
		t.Errorf("roll after: %+v", roll)
	}
	if st := w.secretary.do("PATCH", mp, map[string]any{"minutes": "Đồng chí Bí thư khai mạc; 10 ý kiến.", "resolution": "Chi bộ thống nhất", "vote": map[string]int{"for": roll.Present}}, &mt); st != 200 {
		t.Fatalf("minutes: %d", st)
	}

	// Closing locks; amendments after.
	if st := w.member.do("POST", mp+"/close", nil, nil); st != 404 {
		t.Errorf("a member closes: %d, want 404", st)
	}
	if st := w.secretary.do("POST", mp+"/amendments", map[string]any{"field": "minutes", "text": "x", "reason": "y"}, nil); st != 409 {
		t.Errorf("amend an open meeting: %d, want 409", st)
	}
	if st := w.secretary.do("POST", mp+"/close", nil, &mt); st != 200 || mt.State != "closed" {
		t.Fatalf("close: %d %s", st, mt.State)
	}
	showsNext(next.ID) // once today's is closed
	if st := w.secretary.do("PATCH", mp, map[string]any{"minutes": "sửa lại"}, nil); st != 409 {
		t.Errorf("edit after closing: %d, want 409", st)
	}
	if st := w.secretary.do("PUT", mp+"/attendance", lines[:1], nil); st != 409 {
		t.Errorf("roll after closing: %d, want 409", st)
	}
	if st := w.secretary.do("POST", mp+"/amendments", map[string]any{"field": "minutes", "text": "Bổ sung: 11 ý kiến."}, &p); st != 422 {
		t.Errorf("amendment without reason: %d, want 422", st)
	}
	if st := w.secretary.do("POST", mp+"/amendments", map[string]any{"field": "minutes", "text": "Bổ sung: 11 ý kiến.", "reason": "Ghi thiếu một ý kiến"}, &mt); st != 201 ||
		len(mt.Amendments) != 1 || mt.Minutes != "Đồng chí Bí thư khai mạc; 10 ý kiến." {
		t.Errorf("amendment: %d %+v minutes %q", st, mt.Amendments, mt.Minutes)
	}
	var audit listJSON[struct {
		Action string `json:"action"`
	}]
	w.office.do("GET", path("/api/v1/audit?object_type=meeting&object_id=%d", mt.ID), nil, &audit)
	var actions []string
	for _, a := range audit.Items {
		actions = append(actions, a.Action)
	}
	for _, want := range []string{"meeting.create", "meeting.update", "meeting.attendance", "meeting.close", "meeting.amend"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit of the meeting %v lacks %s", actions, want)
		}
	}

	// Compliance: the cell held this month's regular meeting.
	var c complianceJSON
	if st := w.committee.do("GET", path("/api/v1/units/%d/meeting-compliance?year=%d", w.phuTuc.ID, now.In(vietnamZone).Year()), nil, &c); st != 200 {
		t.Fatalf("compliance: %d", st)
	}
	found := false
	for _, cell := range c.Cells {
		if cell.UnitID == w.cell {
			last := cell.Months[len(cell.Months)-1]
			found = last.Month == month && last.Regular && last.AttendanceRate != nil
		}
	}
	if !found || len(c.Cells) != 15 {
		// (tomorrow's meeting is open: it does not count)
		t.Errorf("compliance: %d cells, the cell's %s: %v", len(c.Cells), month, found)
	}
	if st := w.member.do("GET", path("/api/v1/units/%d/meeting-compliance", w.cell), nil, nil); st != 404 {
		t.Errorf("a member reads compliance: %d, want 404", st)
	}
	for _, q := range []string{"year=abc", "year=2026&as_of=2025-01", "year=1700"} {
		if st := w.committee.do("GET", path("/api/v1/units/%d/meeting-compliance?%s", w.phuTuc.ID, q), nil, nil); st != 422 {
			t.Errorf("compliance ?%s: %d, want 422", q, st)
		}
	}
	_ = cmp.Diff
}

var vietnamZone = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

// parseICS decodes a calendar with its one event.
func parseICS(t *testing.T, b []byte) *ical.Event {
	t.Helper()
	for _, line := range strings.SplitAfter(string(b), "\r\n") {
		if line != "" && (!strings.HasSuffix(line, "\r\n") || len(line)-2 > 75) {
			t.Errorf("not a folded CRLF line of at most 75 octets: %q", line)
		}
	}
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("parse the calendar: %v\n%s", err, b)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	return &evs[0]
}

// meetingPermFixtures schedules a meeting, next week, in each fixture cell.
func meetingPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	for _, u := range fx.objects["unit"] {
		mt, err := m.App.Meetings.Schedule(ctx, sys, u.id, meeting.CreateInput{Kind: meeting.Regular, StartsAt: time.Now().Add(7 * 24 * time.Hour), Place: "Hội trường", Topic: "Sinh hoạt của " + u.name})
		if err != nil {
			t.Fatal(err)
		}
		fx.objects["meeting"] = append(fx.objects["meeting"], permObject{"meeting of the " + u.name, mt.ID, u.path})
	}
}

// meetingPermEntries are the meetings' routes in the permission matrix.
// Writes are refused after the meeting is reached: an empty place (422), a
// roll line for nobody of the cell (422), closing a meeting that has not
// started, an amendment to an open one (409).
func meetingPermEntries() map[string]permEntry {
	one := signedIn
	publishers := []string{"admin", "vanphong", "btv", "danguy.phutuc"}
	return map[string]permEntry{
		// Guidance is a committee's: on a cell, 409 for publishers.
		"POST /api/v1/units/{id}/meeting-guidance": one(permProbe{method: "POST", path: "/api/v1/units/{id}/meeting-guidance", obj: "unit", ctype: jsonType,
			body: `{"month":"2026-01","topics":["Thử"]}`, allowed: allow(publishers, 409)}),
		"GET /api/v1/meeting-guidance": one(permProbe{method: "GET", path: "/api/v1/meeting-guidance?unit={id}&month=2026-01", obj: "unit", allowed: everyone(200)}),
		"POST /api/v1/units/{id}/meetings": one(permProbe{method: "POST", path: "/api/v1/units/{id}/meetings", obj: "unit", ctype: jsonType,
			body: `{"kind":"regular","starts_at":"2026-01-05T19:00:00+07:00","place":"","topic":"Thử"}`, allowed: allow(permReadPersonal, 422)}),
		"GET /api/v1/units/{id}/meetings":           one(permProbe{method: "GET", path: "/api/v1/units/{id}/meetings?from=2026-01-01", obj: "unit", allowed: everyone(200)}),
		"GET /api/v1/units/{id}/meetings.ics":       one(permProbe{method: "GET", path: "/api/v1/units/{id}/meetings.ics", obj: "unit", allowed: everyone(200)}),
		"GET /api/v1/units/{id}/meeting-compliance": one(permProbe{method: "GET", path: "/api/v1/units/{id}/meeting-compliance?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/meetings/{id}": one(permProbe{method: "GET", path: "/api/v1/meetings/{id}", obj: "meeting", allowed: everyone(200)},
			permProbe{method: "GET", path: "/api/v1/meetings/{id}.ics", obj: "meeting", allowed: everyone(200)}),
		"PATCH /api/v1/meetings/{id}": one(permProbe{method: "PATCH", path: "/api/v1/meetings/{id}", obj: "meeting", ctype: jsonType,
			body: `{"place":""}`, allowed: allow(permReadPersonal, 422)}),
		"GET /api/v1/meetings/{id}/roll": one(permProbe{method: "GET", path: "/api/v1/meetings/{id}/roll", obj: "meeting", allowed: everyone(200)}),
		"PUT /api/v1/meetings/{id}/attendance": one(permProbe{method: "PUT", path: "/api/v1/meetings/{id}/attendance", obj: "meeting", ctype: jsonType,
			body: `[{"member_id":999999999,"status":"present"}]`, allowed: allow(permReadPersonal, 422)}),
		"POST /api/v1/meetings/{id}/close": one(permProbe{method: "POST", path: "/api/v1/meetings/{id}/close", obj: "meeting", allowed: allow(permReadPersonal, 409)}),
		"POST /api/v1/meetings/{id}/amendments": one(permProbe{method: "POST", path: "/api/v1/meetings/{id}/amendments", obj: "meeting", ctype: jsonType,
			body: `{"field":"minutes","text":"Thử","reason":"Thử"}`, allowed: allow(permReadPersonal, 409)}),

		// The pages (internal/web/ui/meetings.go). The fixture units are
		// cells: guidance pages answer 404 to everyone there.
		"GET /don-vi/{id}/sinh-hoat": one(permProbe{method: "GET", path: "/don-vi/{id}/sinh-hoat", obj: "unit", allowed: everyone(200)}),
		"POST /don-vi/{id}/sinh-hoat": one(permProbe{method: "POST", path: "/don-vi/{id}/sinh-hoat", obj: "unit", ctype: formType,
			body: "kind=regular&day=2026-01-05&time=19:00&place=&topic=x&agenda=M", allowed: allow(permReadPersonal, 422)}),
		"GET /don-vi/{id}/sinh-hoat/huong-dan": one(permProbe{method: "GET", path: "/don-vi/{id}/sinh-hoat/huong-dan", obj: "unit", allowed: everyone(404)}),
		"POST /don-vi/{id}/sinh-hoat/huong-dan": one(permProbe{method: "POST", path: "/don-vi/{id}/sinh-hoat/huong-dan", obj: "unit", ctype: formType,
			body: "month=2026-01&topics=x", allowed: everyone(404)}),
		"GET /don-vi/{id}/sinh-hoat/tong-hop":      one(permProbe{method: "GET", path: "/don-vi/{id}/sinh-hoat/tong-hop?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /don-vi/{id}/sinh-hoat/tong-hop/xlsx": one(permProbe{method: "GET", path: "/don-vi/{id}/sinh-hoat/tong-hop/xlsx?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /don-vi/{id}/sinh-hoat/theo-don-vi":   one(permProbe{method: "GET", path: "/don-vi/{id}/sinh-hoat/theo-don-vi?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /sinh-hoat/{id}":                      one(permProbe{method: "GET", path: "/sinh-hoat/{id}", obj: "meeting", allowed: everyone(200)}),
		"POST /sinh-hoat/{id}/sua": one(permProbe{method: "POST", path: "/sinh-hoat/{id}/sua", obj: "meeting", ctype: formType,
			body: "kind=regular&day=2026-01-05&time=19:00&place=&topic=x&agenda=M", allowed: allow(permReadPersonal, 422)}),
		"GET /sinh-hoat/{id}/dieu-hanh": one(permProbe{method: "GET", path: "/sinh-hoat/{id}/dieu-hanh", obj: "meeting", allowed: allow(permReadPersonal, 200)}),
		"POST /sinh-hoat/{id}/diem-danh": one(permProbe{method: "POST", path: "/sinh-hoat/{id}/diem-danh", obj: "meeting", ctype: formType,
			body: "member=999999999&status_999999999=present", allowed: allow(permReadPersonal, 422)}),
		"POST /sinh-hoat/{id}/bien-ban": one(permProbe{method: "POST", path: "/sinh-hoat/{id}/bien-ban", obj: "meeting", ctype: formType,
			body: "vote_for=-1", allowed: allow(permReadPersonal, 422)}),
		"POST /sinh-hoat/{id}/ket-thuc": one(permProbe{method: "POST", path: "/sinh-hoat/{id}/ket-thuc", obj: "meeting", ctype: formType, body: "x=1",
			allowed: allow(permReadPersonal, 409)}),
		"POST /sinh-hoat/{id}/bo-sung": one(permProbe{method: "POST", path: "/sinh-hoat/{id}/bo-sung", obj: "meeting", ctype: formType,
			body: "field=minutes&text=x&reason=y", allowed: allow(permReadPersonal, 409)}),

		// Calendar links (meeting_feeds.go): made for a unit the role
		// reads; the calendar itself is public, its token the credential
		// (a made-up one: 404 to everyone, signed in or not).
		"POST /api/v1/meeting-feeds": one(permProbe{method: "POST", path: "/api/v1/meeting-feeds", obj: "unit", ctype: jsonType,
			body: `{"unit_id":{id}}`, allowed: everyone(201)}),
		"GET /api/v1/meeting-feeds":         one(permProbe{method: "GET", path: "/api/v1/meeting-feeds", allowed: everyone(200)}),
		"DELETE /api/v1/meeting-feeds/{id}": one(permProbe{method: "DELETE", path: "/api/v1/meeting-feeds/999999999", allowed: everyone(404)}),
		"GET /api/v1/meeting-feeds/{token}": {"public", []permProbe{{method: "GET", path: "/api/v1/meeting-feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
			allowed: everyone(404), anon: 404}}},
		"GET /sinh-hoat/lich": one(permProbe{method: "GET", path: "/sinh-hoat/lich", allowed: everyone(200)}),
		"POST /sinh-hoat/lich": one(permProbe{method: "POST", path: "/sinh-hoat/lich", obj: "unit", ctype: formType,
			body: "unit_id={id}", allowed: everyone(200)}),
		"POST /sinh-hoat/lich/{id}/thu-hoi": one(permProbe{method: "POST", path: "/sinh-hoat/lich/999999999/thu-hoi", ctype: formType, body: "x=1",
			allowed: everyone(404)}),
	}
}

type feedJSON struct {
	ID     int64  `json:"id"`
	UnitID *int64 `json:"unit_id"`
	Token  string `json:"token"`
	URL    string `json:"url"`
}

// testMeetingFeeds: calendar links fetched without a session, parsed by a
// real iCalendar library; revoked, made-up and disabled-owner tokens 404.
func testMeetingFeeds(t *testing.T, m *Main, w *meetingWorld, meetingID int64, starts time.Time) {
	t.Helper()
	anon := m.client(t)
	var mine, cell feedJSON
	if st := w.member.do("POST", "/api/v1/meeting-feeds", map[string]any{}, &mine); st != 201 || mine.UnitID != nil || mine.Token == "" || mine.URL != "/api/v1/meeting-feeds/"+mine.Token+".ics" {
		t.Fatalf("my meetings' link: %d %+v", st, mine)
	}
	if st := w.committee.do("POST", "/api/v1/meeting-feeds", map[string]any{"unit_id": w.cell}, &cell); st != 201 || cell.UnitID == nil || *cell.UnitID != w.cell {
		t.Fatalf("the cell's link: %d %+v", st, cell)
	}
	if st := w.stranger.do("POST", "/api/v1/meeting-feeds", map[string]any{"unit_id": w.cell}, nil); st != 404 {
		t.Errorf("a link for another commune's cell: %d, want 404", st)
	}
	uid := fmt.Sprintf("meeting-%d@sotay", meetingID)
	for name, f := range map[string]feedJSON{"mine": mine, "cell": cell} {
		var b []byte
		if st := anon.do("GET", f.URL, nil, &b); st != 200 {
			t.Fatalf("%s without a session: %d", name, st)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
		if err != nil {
			t.Fatalf("%s: parse: %v", name, err)
		}
		found := false
		for _, ev := range cal.Events() {
			if u, _ := ev.Props.Text(ical.PropUID); u == uid {
				found = true
				start, err := ev.DateTimeStart(nil)
				if err != nil || !start.Equal(starts) || start.Location().String() != "Asia/Ho_Chi_Minh" {
					t.Errorf("%s: DTSTART %v (%v), want %v in Asia/Ho_Chi_Minh", name, start, err, starts)
				}
			}
		}
		if !found {
			t.Errorf("%s: no event %s in\n%s", name, uid, b)
		}
		if bytes.Contains(b, []byte("ATTENDEE")) {
			t.Errorf("%s: the feed lists people", name)
		}
	}
	var list struct {
		Items []feedJSON `json:"items"`
	}
	if st := w.member.do("GET", "/api/v1/meeting-feeds", nil, &list); st != 200 || len(list.Items) != 1 || list.Items[0].ID != mine.ID || list.Items[0].Token != "" {
		t.Errorf("my links: %d %+v, want the one made, without its token", st, list.Items)
	}
	// Another account cannot revoke it; a made-up token is not found.
	if st := w.stranger.do("DELETE", fmt.Sprintf("/api/v1/meeting-feeds/%d", mine.ID), nil, nil); st != 404 {
		t.Errorf("revoking another's link: %d, want 404", st)
	}
	made := "/api/v1/meeting-feeds/" + strings.Repeat("A", len(mine.Token)) + ".ics"
	for _, p := range []string{made, strings.TrimSuffix(mine.URL, ".ics"), "/api/v1/meeting-feeds/x.ics"} {
		if st := anon.do("GET", p, nil, nil); st != 404 {
			t.Errorf("GET %s: %d, want 404", p, st)
		}
	}
	if st := w.member.do("DELETE", fmt.Sprintf("/api/v1/meeting-feeds/%d", mine.ID), nil, nil); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if st := anon.do("GET", mine.URL, nil, nil); st != 404 {
		t.Errorf("revoked link: %d, want 404", st)
	}
	// The owner's account disabled: 404; enabled again: it answers.
	setDisabled := func(v bool) {
		err := m.App.DB.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE accounts SET disabled = $1 WHERE username = 'danguy.phutuc'`, v)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	setDisabled(true)
	if st := anon.do("GET", cell.URL, nil, nil); st != 404 {
		t.Errorf("link of a disabled account: %d, want 404", st)
	}
	setDisabled(false)
	if st := anon.do("GET", cell.URL, nil, nil); st != 200 {
		t.Errorf("link of the account enabled again: %d, want 200", st)
	}

	// The page: make a link for my meetings, shown once (webcal and https),
	// listed, revoked.
	ui := m.uiSignIn(t, "dangvien")
	a := ui.post("/sinh-hoat/lich", url.Values{})
	i := strings.Index(a.Body, `value="http://`)
	if a.Status != 200 || !strings.Contains(a.Body, `href="webcal://`) || i < 0 {
		t.Fatalf("the page's new link: status %d\n%s", a.Status, a.Body)
	}
	link := a.Body[i+len(`value="`):]
	link = link[:strings.Index(link, `"`)]
	feedPath := link[strings.Index(link, "/api/"):]
	if st := anon.do("GET", feedPath, nil, nil); st != 200 {
		t.Errorf("the page's link %s: %d, want 200", feedPath, st)
	}
	if st := w.member.do("GET", "/api/v1/meeting-feeds", nil, &list); st != 200 || len(list.Items) != 1 {
		t.Fatalf("my links after the page: %d %+v", st, list.Items)
	}
	if a := ui.get("/sinh-hoat/lich"); a.Status != 200 || strings.Contains(a.Body, feedPath) || !strings.Contains(a.Body, fmt.Sprintf("/sinh-hoat/lich/%d/thu-hoi", list.Items[0].ID)) {
		t.Errorf("the list page: status %d, shows the token again or lacks the revoke form", a.Status)
	}
	if a := ui.post(fmt.Sprintf("/sinh-hoat/lich/%d/thu-hoi", list.Items[0].ID), url.Values{}); a.Status != 303 {
		t.Errorf("revoke on the page: %d, want 303", a.Status)
	}
	if st := anon.do("GET", feedPath, nil, nil); st != 404 {
		t.Errorf("the page's revoked link: %d, want 404", st)
	}
}
