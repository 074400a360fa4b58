package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/store"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/viet"
)

type ConfCounts struct {
	Expected  int `json:"expected"`
	Present   int `json:"present"`
	Late      int `json:"late"`
	Absent    int `json:"absent"`
	Elsewhere int `json:"elsewhere"`
}

type confAttendance struct {
	Total        ConfCounts `json:"total"`
	BridgePoints []struct {
		ID     int64  `json:"id"`
		UnitID int64  `json:"unit_id"`
		Name   string `json:"name"`
		ConfCounts
		Connected bool `json:"connected"`
	} `json:"bridge_points"`
}

type confCheckin struct {
	MemberID      int64     `json:"member_id"`
	BridgePointID int64     `json:"bridge_point_id"`
	At            time.Time `json:"at"`
	Late          bool      `json:"late"`
	Elsewhere     bool      `json:"elsewhere"`
	Repeat        bool      `json:"repeat"`
}

// getProbe is a GET of path by c and the status it must answer.
type getProbe struct {
	c    *client
	path string
	want int
}

// TestConferenceScenario: the district office calls a conference of Phú
// Túc at two bridge points; the commune point's host checks people in by
// pass and by name, online and from an offline queue; forged passes,
// another conference's pass and callers out of reach change nothing.
func TestConferenceScenario(t *testing.T) { bothEngines(t, testConferenceScenario) }

func testConferenceScenario(t *testing.T, m *Main) {
	ctx, sys := context.Background(), auth.SystemActor()
	office, host, dv := m.signIn(t, "vanphong"), m.signIn(t, "bithu.phutuc"), m.signIn(t, "dangvien")
	district, phuTuc := phuTucUnits(t, m)
	me := accountMember(t, m, "dangvien")
	hostAcc := demoAccount(t, m, "bithu.phutuc")
	mate := firstMember(t, m, me.UnitID, me.ID)
	start := time.Now().Add(-30 * time.Minute).UTC().Truncate(time.Second)

	type confJSON struct {
		ID      int64 `json:"id"`
		Invited int   `json:"invited"`
	}
	create := func(title string) confJSON {
		var c confJSON
		var p problemJSON
		body := map[string]any{"title": title, "starts_at": start, "host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc.ID}}
		if st := office.do("POST", "/api/v1/conferences", body, &c); st != 201 {
			office.do("POST", "/api/v1/conferences", body, &p)
			t.Fatalf("create: %d %+v", st, p)
		}
		return c
	}
	c1, c2 := create("Hội nghị quán triệt Nghị quyết"), create("Hội nghị sơ kết")
	if c1.Invited < 2 {
		t.Fatalf("invited %d, want the members of Phú Túc", c1.Invited)
	}
	var points []struct {
		ID     int64 `json:"id"`
		UnitID int64 `json:"unit_id"`
	}
	body := []map[string]any{{"unit_id": phuTuc.ID, "name": "Điểm cầu xã Phú Túc", "host_account_id": hostAcc.ID, "stream_url": "https://video.example.vn/phutuc"},
		{"unit_id": me.UnitID, "name": "Điểm cầu chi bộ"}}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c1.ID), body, &points); st != 201 || len(points) != 2 {
		t.Fatalf("bridge points: %d %+v", st, points)
	}
	commune, cellPoint := points[0].ID, points[1].ID
	if points[0].UnitID != phuTuc.ID {
		commune, cellPoint = cellPoint, commune
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c2.ID), []map[string]any{{"unit_id": phuTuc.ID, "name": "Phú Túc", "host_account_id": hostAcc.ID}}, nil); st != 201 {
		t.Fatalf("points of the second conference: %d", st)
	}
	var bad problemJSON
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c1.ID), []map[string]any{{"unit_id": district.ID, "name": "x", "stream_url": "javascript:alert(1)"}}, &bad); st != 422 {
		t.Errorf("a javascript: link: got %d, want 422", st)
	}

	var pass, pass2 struct{ Code, SVG string }
	if st := dv.do("GET", fmt.Sprintf("/api/v1/conferences/%d/my-pass", c1.ID), nil, &pass); st != 200 || !strings.HasPrefix(pass.SVG, "<svg") || pass.Code == "" {
		t.Fatalf("my pass: %d %.80s", st, pass.SVG)
	}
	dv.do("GET", fmt.Sprintf("/api/v1/conferences/%d/my-pass", c2.ID), nil, &pass2)
	if pass2.Code == pass.Code {
		t.Fatalf("the same pass for two conferences")
	}

	path := fmt.Sprintf("/api/v1/conferences/%d/checkins", c1.ID)
	attendance := func() confAttendance {
		var a confAttendance
		if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/attendance", c1.ID), nil, &a); st != 200 {
			t.Fatalf("attendance: %d", st)
		}
		return a
	}
	before := attendance()
	refused := []struct {
		name string
		c    *client
		body any
		want int
	}{
		{"forged code", host, map[string]any{"code": pass.Code[:len(pass.Code)-2] + "AA", "bridge_point_id": commune}, 422},
		{"another conference's pass", host, map[string]any{"code": pass2.Code, "bridge_point_id": commune}, 422},
		{"arrival in the future", host, map[string]any{"member_id": mate.ID, "bridge_point_id": commune, "at": time.Now().Add(time.Hour)}, 422},
		{"arrival two days early", host, map[string]any{"member_id": mate.ID, "bridge_point_id": commune, "at": start.Add(-48 * time.Hour)}, 422},
		{"the host at a point not theirs", host, map[string]any{"member_id": mate.ID, "bridge_point_id": cellPoint}, 422},
		{"a member checks in", dv, map[string]any{"member_id": mate.ID, "bridge_point_id": commune}, 404},
		{"an array with one forged pass", host, []map[string]any{{"member_id": mate.ID, "bridge_point_id": commune}, {"code": "SOTAY1.1.1.AAAAAAAAAAAAAAAA", "bridge_point_id": commune}}, 422},
	}
	for _, r := range refused {
		var p problemJSON
		if st := r.c.do("POST", path, r.body, &p); st != r.want {
			t.Errorf("%s: got %d, want %d (%s)", r.name, st, r.want, p.Detail)
		}
	}
	if d := cmp.Diff(before, attendance()); d != "" {
		t.Errorf("refused check-ins changed the board (-before +after):\n%s", d)
	}

	// dangvien's pass scanned at the commune point: he is expected at his
	// cell's point, so "elsewhere"; the conference began: late.
	var got confCheckin
	if st := host.do("POST", path, map[string]any{"code": pass.Code, "bridge_point_id": commune}, &got); st != 201 || !got.Elsewhere || !got.Late || got.MemberID != me.ID {
		t.Errorf("check-in by pass: %d %+v", st, got)
	}
	if st := host.do("POST", path, map[string]any{"code": strings.ToLower(pass.Code), "bridge_point_id": commune}, &got); st != 200 || !got.Repeat {
		t.Errorf("repeat: %d %+v", st, got)
	}
	// From the offline queue: ticked before the start, sent later, twice.
	early := start.Add(-4 * time.Minute)
	var batch []confCheckin
	queued := []map[string]any{{"member_id": mate.ID, "bridge_point_id": commune, "at": early, "client_id": "q-1"}}
	for i := range 2 {
		if st := host.do("POST", path, queued, &batch); st != 200 || len(batch) != 1 || !batch[0].At.Equal(early) || batch[0].Late || batch[0].Repeat != (i == 1) {
			t.Errorf("queued check-in, send %d: %d %+v", i+1, st, batch)
		}
	}
	a := attendance()
	wantTotal := ConfCounts{Expected: c1.Invited, Present: 2, Late: 1, Absent: c1.Invited - 2, Elsewhere: 2}
	if d := cmp.Diff(wantTotal, a.Total); d != "" {
		t.Errorf("total (-want +got):\n%s", d)
	}
	// The host's page beats: the point is connected.
	if st := host.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/heartbeat", c1.ID, commune), nil, nil); st != 204 {
		t.Errorf("heartbeat: %d", st)
	}
	for _, p := range attendance().BridgePoints {
		if p.Connected != (p.ID == commune) {
			t.Errorf("point %s connected %v", p.Name, p.Connected)
		}
	}
	// The events: the current figures first.
	var ev []byte
	if st := host.do("GET", fmt.Sprintf("/api/v1/conferences/%d/events?once=1", c1.ID), nil, &ev); st != 200 || !strings.Contains(string(ev), "event: attendance") || !strings.Contains(string(ev), `"present":2`) {
		t.Errorf("events: %d %.300s", st, ev)
	}
	// Reach: a member sees the conference and their pass, not the board;
	// the second conference's host cannot check in at the first's points.
	for _, r := range []getProbe{
		{dv, fmt.Sprintf("/api/v1/conferences/%d", c1.ID), 200},
		{dv, fmt.Sprintf("/api/v1/conferences/%d/attendance", c1.ID), 404},
		{dv, fmt.Sprintf("/api/v1/conferences/%d/events?once=1", c1.ID), 404},
		{dv, fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll", c1.ID, commune), 404},
		{host, fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll?q=%s", c1.ID, commune, "phu"), 200},
		{host, fmt.Sprintf("/api/v1/conferences/%d/attendees", c1.ID), 404},
		{office, fmt.Sprintf("/api/v1/conferences/%d/attendees", c1.ID), 200},
	} {
		if st := r.c.do("GET", r.path, nil, nil); st != r.want {
			t.Errorf("GET %s: got %d, want %d", r.path, st, r.want)
		}
	}
	// The record afterwards, as spreadsheets: per point, and per member
	// (officers only).
	for _, r := range []getProbe{
		{office, fmt.Sprintf("/api/v1/conferences/%d/attendance?format=xlsx", c1.ID), 200},
		{office, fmt.Sprintf("/api/v1/conferences/%d/attendees?format=xlsx", c1.ID), 200},
		{host, fmt.Sprintf("/api/v1/conferences/%d/attendance?format=xlsx", c1.ID), 200},
		{host, fmt.Sprintf("/api/v1/conferences/%d/attendees?format=xlsx", c1.ID), 404},
		{office, fmt.Sprintf("/api/v1/conferences/%d/attendees?format=pdf", c1.ID), 422},
	} {
		st, h, b := r.c.fetch(r.path)
		if st != r.want || (st == 200 && (!strings.HasPrefix(string(b), "PK") || !strings.Contains(h.Get("Content-Type"), "spreadsheetml"))) {
			t.Errorf("GET %s: %d %s, want %d and a workbook", r.path, st, h.Get("Content-Type"), r.want)
		}
	}
	sheet, err := m.App.Conferences.AttendeeSheet(ctx, sys, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]int{}
	for _, row := range sheet.Rows {
		status[row[3]]++
	}
	if d := cmp.Diff(map[string]int{"Dự nơi khác": 2, "Vắng": c1.Invited - 2}, status); d != "" {
		t.Errorf("the members' statuses (-want +got):\n%s", d)
	}
}

// conferencePermFixtures makes, for each unit object of the matrix (the
// Phú Túc cell, the Châu Can cell, the other district's cell), a
// conference hosted by its commune for that cell, with one bridge point at
// the cell (hosted by bithu.phutuc in Phú Túc).
func conferencePermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	host := demoAccount(t, m, "bithu.phutuc")
	fx.confPoint = map[int64]int64{}
	fx.confInvited = map[string]bool{}
	for _, u := range fx.objects["unit"] {
		cell, err := m.App.Org.Get(ctx, sys, u.id)
		if err != nil {
			t.Fatal(err)
		}
		c, err := m.App.Conferences.Create(ctx, sys, conference.CreateInput{Title: "Hội nghị " + u.name, StartsAt: time.Now().Add(time.Hour),
			HostUnitID: *cell.ParentID, Audience: conference.Audience{UnitID: u.id}})
		if err != nil {
			t.Fatal(err)
		}
		pt := conference.PointInput{UnitID: u.id, Name: "Điểm cầu " + u.name}
		if len(fx.objects["conference"]) == 0 {
			pt.HostAccountID = &host.ID // bithu.phutuc hosts the point in Phú Túc only
		}
		ps, err := m.App.Conferences.AddPoints(ctx, sys, c.ID, []conference.PointInput{pt})
		if err != nil {
			t.Fatal(err)
		}
		fx.confPoint[c.ID] = ps[0].ID
		fx.objects["conference"] = append(fx.objects["conference"], permObject{"conference of the " + u.name, c.ID, u.path})
		if len(fx.objects["conference"]) == 1 {
			for _, name := range permAll {
				acc, _, err := store.Accounts{DB: m.App.DB}.ByUsername(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				if acc.MemberID != nil {
					_, err := m.App.Conferences.Store.Attendee(ctx, c.ID, *acc.MemberID)
					fx.confInvited[name] = err == nil
				}
			}
		}
	}
}

// conferencePermEntries: the officers of the host commune manage (admin,
// vanphong, btv, danguy.phutuc); bithu.phutuc hosts the point; the
// invited (dangvien) see the conference and their pass.
func conferencePermEntries(fx *permFixtures) map[string]permEntry {
	one := signedIn
	managers := []string{"admin", "vanphong", "btv", "danguy.phutuc"}
	hosts := append(append([]string(nil), managers...), "bithu.phutuc")
	seers := func(st int) func(string) int {
		return func(u string) int {
			if contains(hosts, u) || fx.confInvited[u] {
				return st
			}
			return 404
		}
	}
	invited := func(u string) int {
		if fx.confInvited[u] {
			return 200
		}
		return 404
	}
	base := "/api/v1/conferences/{id}"
	return map[string]permEntry{
		"POST /api/v1/conferences": one(permProbe{method: "POST", path: "/api/v1/conferences", obj: "unit", ctype: jsonType,
			body: `{"title":"","starts_at":"2026-12-01T08:00:00+07:00","host_unit_id":{id},"audience":{"unit_id":{id}}}`, allowed: allow(managers, 422)}),
		"GET /api/v1/conferences":      one(permProbe{method: "GET", path: "/api/v1/conferences", allowed: everyone(200)}),
		"GET /api/v1/conferences/{id}": one(permProbe{method: "GET", path: base, obj: "conference", allowed: seers(200)}),
		"PATCH /api/v1/conferences/{id}": one(permProbe{method: "PATCH", path: base, obj: "conference", ctype: jsonType,
			body: `{"starts_at":"2000-01-01T00:00:00Z"}`, allowed: allow(managers, 422)}),
		"POST /api/v1/conferences/{id}/cancel": one(permProbe{method: "POST", path: base + "/cancel", obj: "conference", ctype: jsonType,
			body: `{"version":999}`, allowed: allow(managers, 409)}),
		"GET /api/v1/conferences/{id}/bridge-points": one(permProbe{method: "GET", path: base + "/bridge-points", obj: "conference", allowed: seers(200)}),
		"POST /api/v1/conferences/{id}/bridge-points": one(permProbe{method: "POST", path: base + "/bridge-points", obj: "conference", ctype: jsonType,
			body: `[{"unit_id":0,"name":""}]`, allowed: allow(managers, 422)}),
		"GET /api/v1/conferences/{id}/bridge-points/{bp}/roll": one(permProbe{method: "GET", path: base + "/bridge-points/{bp}/roll?q=a", obj: "conference", allowed: allow(hosts, 200)}),
		"POST /api/v1/conferences/{id}/bridge-points/{bp}/heartbeat": one(permProbe{method: "POST", path: base + "/bridge-points/{bp}/heartbeat", obj: "conference",
			allowed: allow(hosts, 204)}),
		"GET /api/v1/conferences/{id}/attendees": one(permProbe{method: "GET", path: base + "/attendees", obj: "conference", allowed: allow(managers, 200)}),
		"PUT /api/v1/conferences/{id}/attendees/{member}": one(permProbe{method: "PUT", path: base + "/attendees/999999999", obj: "conference", ctype: jsonType,
			body: `{"bridge_point_id":999999999}`, allowed: allow(managers, 422)}),
		"GET /api/v1/conferences/{id}/my-pass": one(permProbe{method: "GET", path: base + "/my-pass", obj: "conference", allowed: invited}),
		"POST /api/v1/conferences/{id}/checkins": one(permProbe{method: "POST", path: base + "/checkins", obj: "conference", ctype: jsonType,
			body: `{"member_id":999999999,"bridge_point_id":{bp}}`, allowed: allow(hosts, 422)}),
		"GET /api/v1/conferences/{id}/attendance": one(permProbe{method: "GET", path: base + "/attendance", obj: "conference", allowed: allow(hosts, 200)}),
		"GET /api/v1/conferences/{id}/events":     one(permProbe{method: "GET", path: base + "/events?once=1", obj: "conference", allowed: allow(hosts, 200)}),
		// The pages (internal/web/ui/conferences.go).
		"GET /hoi-nghi":     one(permProbe{method: "GET", path: "/hoi-nghi", allowed: everyone(200)}),
		"GET /hoi-nghi/moi": one(permProbe{method: "GET", path: "/hoi-nghi/moi?q=phu+tuc", allowed: allow(managers, 200)}),
		"POST /hoi-nghi/moi": one(permProbe{method: "POST", path: "/hoi-nghi/moi", ctype: formType, body: "title=&date=2026-12-01&start=08:00",
			allowed: allow(managers, 422)}),
		"GET /hoi-nghi/{id}": one(permProbe{method: "GET", path: "/hoi-nghi/{id}", obj: "conference", allowed: seers(200)}),
		"POST /hoi-nghi/{id}/diem-cau": one(permProbe{method: "POST", path: "/hoi-nghi/{id}/diem-cau", obj: "conference", ctype: formType, body: "x=1",
			allowed: allow(managers, 422)}),
		"POST /hoi-nghi/{id}/lich/{action}": one(permProbe{method: "POST", path: "/hoi-nghi/{id}/lich/doi-lich", obj: "conference", ctype: formType, body: "date=",
			allowed: allow(managers, 422)}),
		"GET /hoi-nghi/{id}/diem-cau/{bp}": one(permProbe{method: "GET", path: "/hoi-nghi/{id}/diem-cau/{bp}?q=a", obj: "conference", allowed: allow(hosts, 200)}),
		"POST /hoi-nghi/{id}/diem-cau/{bp}": one(permProbe{method: "POST", path: "/hoi-nghi/{id}/diem-cau/{bp}", obj: "conference", ctype: formType,
			body: "member=999999999", allowed: allow(hosts, 422)}),
		"GET /hoi-nghi/{id}/bang": one(permProbe{method: "GET", path: "/hoi-nghi/{id}/bang", obj: "conference", allowed: allow(hosts, 200)}),
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestConferenceDemo: the demo district holds a past conference with its
// check-ins and an upcoming one with passes for Phú Túc.
func TestConferenceDemo(t *testing.T) {
	m := parallelDemo(t)
	office, dv := m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
	var list listJSON[struct {
		ID       int64     `json:"id"`
		Title    string    `json:"title"`
		StartsAt time.Time `json:"starts_at"`
	}]
	if st := office.do("GET", "/api/v1/conferences", nil, &list); st != 200 || len(list.Items) != 2 {
		t.Fatalf("conferences: %d %+v", st, list)
	}
	var past, next int64
	for _, c := range list.Items {
		if c.StartsAt.Before(time.Now()) {
			past = c.ID
		} else {
			next = c.ID
		}
	}
	if past == 0 || next == 0 {
		t.Fatalf("want one past and one upcoming conference: %+v", list.Items)
	}
	var a confAttendance
	if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/attendance", past), nil, &a); st != 200 {
		t.Fatalf("attendance: %d", st)
	}
	if tot := a.Total; len(a.BridgePoints) != 5 || tot.Present == 0 || tot.Late == 0 || tot.Elsewhere == 0 || tot.Absent == 0 || tot.Present+tot.Absent != tot.Expected || tot.Late*4 > tot.Present {
		t.Errorf("the past conference's board: %d points, %+v", len(a.BridgePoints), tot)
	}
	var pass struct{ Code string }
	if st := dv.do("GET", fmt.Sprintf("/api/v1/conferences/%d/my-pass", next), nil, &pass); st != 200 || !strings.HasPrefix(pass.Code, "SOTAY1.") {
		t.Errorf("dangvien's pass for the upcoming conference: %d %q", st, pass.Code)
	}
}

// TestConferencePages walks the pages without JavaScript: the office
// creates a conference through the form and adds bridge points from the
// units below; a member sees the pass (QR and code); the office ticks the
// member on the roll found without diacritics; a forged code is refused
// in Vietnamese; the board counts the member present.
func TestConferencePages(t *testing.T) {
	m := parallelDemo(t)
	office, member := m.uiSignIn(t, "vanphong"), m.uiSignIn(t, "dangvien")
	district, phuTuc := phuTucUnits(t, m)
	me := accountMember(t, m, "dangvien")
	if a := office.get("/hoi-nghi/moi?q=phu+tuc"); a.Status != 200 || !strings.Contains(a.Body, fmt.Sprintf(`value="%d"`, phuTuc.ID)) {
		t.Fatalf("the form's search for Phú Túc: %d", a.Status)
	}
	now := time.Now().Add(-10 * time.Minute).In(vietnam(t))
	form := func(title string) url.Values {
		return url.Values{"title": {title}, "host": {fmt.Sprint(district.ID)}, "date": {now.Format("2006-01-02")}, "start": {now.Format("15:04")},
			"audience": {fmt.Sprint(phuTuc.ID)}}
	}
	if a := office.post("/hoi-nghi/moi", form("")); a.Status != 422 || !strings.Contains(a.Body, "Tên hội nghị từ 1 đến 500 ký tự") {
		t.Errorf("an empty title: %d, want 422 with the Vietnamese message", a.Status)
	}
	a := office.post("/hoi-nghi/moi", form("Hội nghị thử trang"))
	if a.Status != 303 || !strings.HasPrefix(a.Location, "/hoi-nghi/") {
		t.Fatalf("create: %d %q", a.Status, a.Location)
	}
	page := a.Location
	if a := office.get(page); a.Status != 200 || !strings.Contains(a.Body, fmt.Sprintf(`name="unit" type="checkbox" value="%d"`, phuTuc.ID)) {
		t.Fatalf("the conference page offers no point for Phú Túc: %d", a.Status)
	}
	if a := office.post(page+"/diem-cau", url.Values{"unit": {fmt.Sprint(district.ID), fmt.Sprint(phuTuc.ID)}}); a.Status != 303 {
		t.Fatalf("add points: %d", a.Status)
	}
	var bp int64
	for _, p := range m.confPoints(t, page) {
		if p.UnitID == phuTuc.ID {
			bp = p.ID
		}
	}
	if bp == 0 {
		t.Fatal("no point for Phú Túc")
	}
	if a := member.get(page); a.Status != 200 || !strings.Contains(a.Body, "<svg") || !strings.Contains(a.Body, "SOTAY1.") || !strings.Contains(a.Body, "Thẻ điểm danh của tôi") {
		t.Errorf("the member's pass: %d", a.Status)
	}
	roll := fmt.Sprintf("%s/diem-cau/%d", page, bp)
	q := viet.Fold(me.FullName)
	if a := office.get(roll + "?q=" + url.QueryEscape(q)); a.Status != 200 || !strings.Contains(a.Body, me.FullName) {
		t.Fatalf("the roll searched with %q: %d", q, a.Status)
	}
	if a := office.post(roll, url.Values{"member": {fmt.Sprint(me.ID)}}); a.Status != 303 || !strings.Contains(a.Location, "xong=1") {
		t.Errorf("tick: %d %q", a.Status, a.Location)
	}
	if a := office.get(roll + "?q=" + url.QueryEscape(q)); !strings.Contains(a.Body, "đã điểm danh lúc") {
		t.Errorf("the roll does not show the check-in")
	}
	if a := office.post(roll, url.Values{"code": {"SOTAY1.1.1.AAAAAAAAAAAAAAAA"}}); a.Status != 422 || !strings.Contains(a.Body, "Mã điểm danh không hợp lệ") {
		t.Errorf("a forged code: %d", a.Status)
	}
	if a := member.get(roll); a.Status != 404 {
		t.Errorf("a member opens the roll: %d, want 404", a.Status)
	}
	if a := office.get(page + "/bang"); a.Status != 200 || !strings.Contains(a.Body, `data-f="total-present">1<`) {
		t.Errorf("the board: %d", a.Status)
	}
}

// confPoints reads a conference's points through the API as the admin.
func (m *Main) confPoints(t *testing.T, page string) []struct {
	ID     int64 `json:"id"`
	UnitID int64 `json:"unit_id"`
} {
	t.Helper()
	var out listJSON[struct {
		ID     int64 `json:"id"`
		UnitID int64 `json:"unit_id"`
	}]
	if st := m.signIn(t, "admin").do("GET", "/api/v1/conferences/"+strings.TrimPrefix(page, "/hoi-nghi/")+"/bridge-points", nil, &out); st != 200 {
		t.Fatalf("points: %d", st)
	}
	return out.Items
}

func vietnam(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
