package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
)

type focusJSON struct {
	ID          int64           `json:"id"`
	Zone        json.RawMessage `json:"zone"`
	UnitID      int64           `json:"unit_id"`
	CommuneID   int64           `json:"commune_id"`
	State       string          `json:"state"`
	Version     int             `json:"version"`
	LastCaseOn  *string         `json:"last_case_on"`
	CasesTotal  int             `json:"cases_total"`
	ClosedEarly bool            `json:"closed_early"`
	Gaps        []string
	Closing     *struct {
		RemainingDays int    `json:"remaining_days"`
		ClosableOn    string `json:"closable_on"`
	} `json:"closing"`
	OnSite struct {
		Command *struct {
			MemberID int64 `json:"member_id"`
		} `json:"command"`
		Forces []struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		} `json:"forces"`
	} `json:"on_site"`
	Reports []struct {
		On       string `json:"on"`
		NewCases int    `json:"new_cases"`
	} `json:"reports"`
	Duties []struct {
		ID       int64 `json:"id"`
		MemberID int64 `json:"member_id"`
	} `json:"duties"`
	Funding []fundingJSON `json:"funding"`
}

type fundingJSON struct {
	ID          int64   `json:"id"`
	TaskID      int64   `json:"task_id"`
	Amount      int64   `json:"amount"`
	State       string  `json:"state"`
	DueOn       string  `json:"due_on"`
	DisbursedOn *string `json:"disbursed_on"`
	Late        bool    `json:"late"`
}

// boardRowJSON is a commune's row of the outbreak board.
type boardRowJSON struct {
	CommuneID        int64  `json:"commune_id"`
	CommuneName      string `json:"commune_name"`
	ActiveFoci       int    `json:"active_foci"`
	DaysOpenMax      int    `json:"days_open_max"`
	Cases7           int    `json:"cases_7"`
	Cases14          int    `json:"cases_14"`
	Trend            string `json:"trend"`
	FundingRequested int    `json:"funding_requested"`
	FundingDisbursed int    `json:"funding_disbursed"`
	FundingLate      int    `json:"funding_late"`
	NoCommand        int    `json:"no_command"`
	NoForces         int    `json:"no_forces"`
	MeansStale       int    `json:"means_stale"`
}

type boardJSON struct {
	AsOf     string         `json:"as_of"`
	Communes []boardRowJSON `json:"communes"`
	Foci     []struct {
		ID   int64    `json:"id"`
		Gaps []string `json:"gaps"`
	} `json:"foci"`
}

// outbreakWorld is the demo district's units and people the scenarios use.
type outbreakWorld struct {
	district, phuTuc, chauCan *org.Unit
	village                   int64 // dangvien's cell in Phú Túc
	dangvien, mate            int64 // members of that cell
	chauCanMember             int64
}

func newOutbreakWorld(t *testing.T, m *Main) *outbreakWorld {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	district, err := m.App.Org.Resolve(ctx, sys, "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	w := &outbreakWorld{district: district, phuTuc: childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc"), chauCan: childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")}
	me := accountMember(t, m, "dangvien")
	w.village, w.dangvien = me.UnitID, me.ID
	w.mate = firstMember(t, m, me.UnitID, me.ID).ID
	for _, k := range mustChildren(t, m, w.chauCan.ID) {
		if k.Kind == org.KindCell {
			w.chauCanMember = firstMember(t, m, k.ID, 0).ID
			break
		}
	}
	return w
}

// otherDistrictFocus makes a district beside Phú Xuyên with a commune and
// a focus in it, as admin; it answers the focus's id.
func otherDistrictFocus(t *testing.T, m *Main, w *outbreakWorld, day string) int64 {
	t.Helper()
	admin := m.signIn(t, "admin")
	var other, commune unitJSON
	if st := admin.do("POST", "/api/v1/units", fmt.Sprintf(`{"parent_id":%d,"kind":"district_committee","name":"Huyện ủy Thử Dịch","code":"HN.TD"}`, *w.district.ParentID), &other); st != 201 {
		t.Fatalf("other district: %d", st)
	}
	if st := admin.do("POST", "/api/v1/units", fmt.Sprintf(`{"parent_id":%d,"kind":"grassroots_committee","name":"Đảng bộ xã Thử Dịch","code":"HN.TD.X"}`, other.ID), &commune); st != 201 {
		t.Fatalf("other commune: %d", st)
	}
	var f focusJSON
	if st := admin.do("POST", "/api/v1/outbreaks", map[string]any{"unit_id": commune.ID, "disease": "sot_xuat_huyet", "place": "Thôn Thử", "opened_on": day}, &f); st != 201 {
		t.Fatalf("other district's focus: %d", st)
	}
	return f.ID
}

// TestOutbreakJourney: Phú Túc opens a dengue focus, reports, names the
// four on-site, mobilises two members who confirm their shifts, asks the
// district for funds (a task); the district approves and disburses late;
// the board shows it; closing is refused until 14 days pass without a new
// case. On both engines.
func TestOutbreakJourney(t *testing.T) { bothEngines(t, testOutbreakJourney) }

func testOutbreakJourney(t *testing.T, m *Main) {
	w := newOutbreakWorld(t, m)
	clock := newTaskClock(m, "2026-09-07") // a Monday
	phuTuc, office, dv, bithu := m.signIn(t, "danguy.phutuc"), m.signIn(t, "vanphong"), m.signIn(t, "dangvien"), m.signIn(t, "bithu.phutuc")
	today := func() string { return date.Today(clock.Now()).String() }
	var closedBefore listJSON[focusJSON]
	if st := office.do("GET", "/api/v1/outbreaks?state=closed", nil, &closedBefore); st != 200 {
		t.Fatalf("closed foci: %d", st)
	}

	// Diseases are data: the office adds one; a commune may not.
	var dis struct {
		Code        string `json:"code"`
		ClosingDays int    `json:"closing_days"`
		Version     int    `json:"version"`
	}
	if st := office.do("PUT", "/api/v1/diseases/bach_hau", map[string]any{"name_vi": "Bạch hầu", "name_en": "Diphtheria", "closing_days": 14}, &dis); st != 201 || dis.Version != 1 {
		t.Errorf("the office adds a disease: %d %+v, want 201", st, dis)
	}
	if st := office.do("PUT", "/api/v1/diseases/bach_hau", map[string]any{"name_vi": "Bạch hầu", "closing_days": 21}, &dis, "If-Match", `"1"`); st != 200 || dis.ClosingDays != 21 || dis.Version != 2 {
		t.Errorf("the office changes its window: %d %+v", st, dis)
	}
	if st := phuTuc.do("PUT", "/api/v1/diseases/bach_hau", map[string]any{"name_vi": "Bạch hầu", "closing_days": 1}, nil); st != 404 {
		t.Errorf("a commune changes a disease: %d, want 404", st)
	}
	var diseases listJSON[struct {
		Code string `json:"code"`
	}]
	if st := dv.do("GET", "/api/v1/diseases", nil, &diseases); st != 200 || diseases.Total != 5 {
		t.Errorf("diseases: %d %+v, want the four seeded and bach_hau", st, diseases)
	}

	// Open: a village (cell) of Phú Túc, the commune found above it.
	var f focusJSON
	open := func(zone string) map[string]any {
		return map[string]any{"unit_id": w.village, "disease": "sot_xuat_huyet", "place": "Thôn Đồng Phú, xóm 3",
			"opened_on": today(), "first_case_on": "2026-09-05", "note": "Phát hiện qua giám sát của trạm y tế xã.", "zone": json.RawMessage(zone)}
	}
	for name, zone := range map[string]string{
		"a self-intersecting zone": `{"type":"Polygon","coordinates":[[[105.90,20.70],[105.92,20.72],[105.92,20.70],[105.90,20.72],[105.90,20.70]]]}`,
		"a zone outside Vietnam":   `{"type":"Polygon","coordinates":[[[2.30,48.80],[2.40,48.80],[2.40,48.90],[2.30,48.80]]]}`,
		"a zone that is a point":   `{"type":"Point","coordinates":[105.9,20.7]}`,
	} {
		var p problemJSON
		if st := phuTuc.do("POST", "/api/v1/outbreaks", open(zone), &p); st != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "zone" {
			t.Errorf("%s: %d %+v, want 422 naming zone", name, st, p)
		}
	}
	// A Feature as geojson.io exports it: its properties name the place.
	square := `{"type":"Feature","properties":{"name":"Xóm 3"},"geometry":{"type":"Polygon","coordinates":[[[105.90,20.70],[105.92,20.70],[105.92,20.72],[105.90,20.72],[105.90,20.70]]]}}`
	if st := phuTuc.do("POST", "/api/v1/outbreaks", open(square), &f); st != 201 {
		t.Fatalf("open: %d", st)
	}
	if !strings.HasPrefix(string(f.Zone), `{"type":"Polygon","coordinates":[[[105.9,20.7],`) {
		t.Errorf("the zone as stored: %s, want the Polygon geometry", f.Zone)
	}
	if f.CommuneID != w.phuTuc.ID || f.State != "active" || f.Closing == nil || f.Closing.RemainingDays != 12 {
		t.Fatalf("opened focus: %+v, want commune %d, active, 12 days before closing (14 from the first case on 09-05)", f, w.phuTuc.ID)
	}
	base := fmt.Sprintf("/api/v1/outbreaks/%d", f.ID)

	// Daily reports: counts only.
	if st := phuTuc.do("POST", base+"/reports", map[string]any{"on": today(), "new_cases": 3, "recovered": 0, "actions": "Phun hóa chất 120 hộ, diệt lăng quăng."}, nil); st != 201 {
		t.Fatalf("report: %d", st)
	}
	for _, c := range []struct {
		name  string
		body  string
		want  int
		field string
	}{
		{"the same day again", fmt.Sprintf(`{"on":%q,"new_cases":1}`, today()), 409, ""},
		{"a future day", `{"on":"2026-09-08","new_cases":1}`, 422, "on"},
		{"before the focus opened", `{"on":"2026-09-06","new_cases":1}`, 422, "on"},
		{"negative count", fmt.Sprintf(`{"on":%q,"new_cases":-1}`, "2026-09-07"), 422, "new_cases"},
		{"a patient's name", `{"on":"2026-09-07","new_cases":1,"ho_ten":"Nguyễn Văn A"}`, 422, "ho_ten"},
		{"a patient list", `{"on":"2026-09-07","new_cases":1,"patients":[{"age":7}]}`, 422, "patients"},
		{"a citizen id number", `{"on":"2026-09-07","new_cases":1,"cccd":"001099012345"}`, 422, "cccd"},
		{"a phone in the actions", `{"on":"2026-09-07","new_cases":1,"actions":"Liên hệ 0912 345 678"}`, 422, "actions"},
		{"an id in the actions", `{"on":"2026-09-07","new_cases":1,"actions":"bệnh nhân 001099012345"}`, 422, "actions"},
	} {
		var p problemJSON
		st := phuTuc.do("POST", base+"/reports", c.body, &p)
		if st != c.want || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
			t.Errorf("%s: %d %+v, want %d naming %q", c.name, st, p, c.want, c.field)
		}
		if strings.Contains(c.name, "patient") && !strings.Contains(p.Detail, "patient data is not accepted") {
			t.Errorf("%s: detail %q, want the patient-data message", c.name, p.Detail)
		}
	}

	// The four on-site, at the version read.
	onsite := map[string]any{
		"command":   map[string]any{"member_id": w.mate, "phone": "0912 000 111"},
		"forces":    []map[string]any{{"unit_id": w.village, "role": "Chi bộ thôn", "count": 12}, {"member_id": w.dangvien, "role": "Thanh niên xung kích"}},
		"means":     []map[string]any{{"item": "Máy phun hóa chất", "quantity": 2}, {"item": "Hóa chất diệt muỗi (lít)", "quantity": 40}},
		"logistics": []map[string]any{{"item": "Suất ăn", "quantity": 30}},
	}
	var p problemJSON
	if st := phuTuc.do("PUT", base+"/on-site", onsite, &p, "If-Match", `"7"`); st != 409 {
		t.Errorf("on-site at a stale version: %d, want 409", st)
	}
	bad := map[string]any{"forces": []map[string]any{{"member_id": w.chauCanMember, "role": "x"}}}
	if st := phuTuc.do("PUT", base+"/on-site", bad, &p); st != 404 || len(p.Errors) == 0 || p.Errors[0].Field != "forces[0].member_id" {
		t.Errorf("on-site naming a member of another commune: %d %+v, want 404 naming forces[0].member_id", st, p)
	}
	if st := phuTuc.do("PUT", base+"/on-site", onsite, &f, "If-Match", fmt.Sprintf(`"%d"`, f.Version)); st != 200 {
		t.Fatalf("on-site: %d", st)
	}
	if f.OnSite.Command == nil || f.OnSite.Command.MemberID != w.mate || len(f.OnSite.Forces) != 2 || len(f.Gaps) != 0 {
		t.Errorf("on-site: %+v, want the commander, two forces, no gaps", f)
	}

	// Duties: two members; each sees and confirms their own.
	shift := func(member int64) map[string]any {
		return map[string]any{"member_id": member, "role": "Diệt lăng quăng", "from": "2026-09-08T07:00:00+07:00", "to": "2026-09-08T11:00:00+07:00"}
	}
	var duties listJSON[struct {
		ID       int64 `json:"id"`
		MemberID int64 `json:"member_id"`
	}]
	if st := phuTuc.do("POST", base+"/duties", []any{shift(w.dangvien), shift(w.mate)}, &duties); st != 201 || len(duties.Items) != 2 {
		t.Fatalf("duties: %d %+v", st, duties)
	}
	if st := phuTuc.do("POST", base+"/duties", []any{map[string]any{"member_id": w.dangvien, "role": "x", "from": "2026-09-08T11:00:00+07:00", "to": "2026-09-08T07:00:00+07:00"}}, &p); st != 422 {
		t.Errorf("a shift ending before it starts: %d, want 422", st)
	}
	var mine listJSON[struct {
		ID          int64   `json:"id"`
		ConfirmedAt *string `json:"confirmed_at"`
	}]
	mineOf := func() (id int64, confirmed bool) {
		t.Helper()
		if st := dv.do("GET", "/api/v1/duties/mine", nil, &mine); st != 200 {
			t.Fatalf("dangvien's shifts: %d", st)
		}
		n := 0
		for _, it := range mine.Items {
			for _, d := range duties.Items {
				if d.ID == it.ID {
					id, confirmed = it.ID, it.ConfirmedAt != nil
					n++
				}
			}
		}
		if n != 1 {
			t.Fatalf("dangvien's shifts %+v hold %d of the new ones %+v, want 1", mine.Items, n, duties.Items)
		}
		return id, confirmed
	}
	mineID, _ := mineOf()
	other := duties.Items[0].ID
	if other == mineID {
		other = duties.Items[1].ID
	}
	if st := dv.do("POST", fmt.Sprintf("/api/v1/duties/%d/confirm", other), nil, &p); st != 404 {
		t.Errorf("dangvien confirms another's shift: %d, want 404", st)
	}
	if st := dv.do("POST", fmt.Sprintf("/api/v1/duties/%d/confirm", mineID), nil, nil); st != 200 {
		t.Errorf("dangvien confirms: %d", st)
	}
	if _, confirmed := mineOf(); !confirmed {
		t.Errorf("after confirming: %+v", mine)
	}
	var inbox listJSON[struct {
		Kind string `json:"kind"`
	}]
	dv.do("GET", "/api/v1/notifications", nil, &inbox)
	found := false
	for _, it := range inbox.Items {
		found = found || it.Kind == "outbreak_duty"
	}
	if !found {
		t.Errorf("dangvien's inbox lacks the shift: %+v", inbox.Items)
	}
	if st := dv.do("GET", base, nil, &p); st != 404 {
		t.Errorf("a member reads the focus: %d, want 404", st)
	}
	if st := bithu.do("GET", base, nil, &f); st != 200 {
		t.Errorf("the village's cell officer reads the focus: %d", st)
	}

	type accJSON struct {
		Totals struct {
			DoneLate int `json:"done_late"`
		} `json:"totals"`
	}
	accountability := func() int {
		t.Helper()
		var rep accJSON
		if st := office.do("GET", fmt.Sprintf("/api/v1/accountability?unit=%d", w.district.ID), nil, &rep); st != 200 {
			t.Fatalf("accountability: %d", st)
		}
		return rep.Totals.DoneLate
	}
	lateBefore := accountability()

	// Funding from the district: a task due on needed_by (Friday).
	var fu fundingJSON
	body := map[string]any{"amount": 50_000_000, "purpose": "Mua hóa chất và thuê máy phun", "needed_by": "2026-09-11", "to_unit_id": w.district.ID}
	if st := phuTuc.do("POST", base+"/funding", body, &fu); st != 201 || fu.TaskID == 0 || fu.State != "requested" || fu.DueOn != "2026-09-11" {
		t.Fatalf("funding: %d %+v", st, fu)
	}
	for _, c := range []struct {
		name string
		body map[string]any
		want int
	}{
		{"negative amount", map[string]any{"amount": -5, "purpose": "x", "needed_by": "2026-09-11", "to_unit_id": w.district.ID}, 422},
		{"a commune beside", map[string]any{"amount": 5, "purpose": "x", "needed_by": "2026-09-11", "to_unit_id": w.chauCan.ID}, 404},
	} {
		if st := phuTuc.do("POST", base+"/funding", c.body, &p); st != c.want {
			t.Errorf("funding, %s: %d, want %d", c.name, st, c.want)
		}
	}
	var tj taskJSON
	if st := office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", fu.TaskID), nil, &tj); st != 200 || tj.HolderUnitID != w.district.ID || tj.DueOn != "2026-09-11" {
		t.Fatalf("the funding task for the district: %d %+v", st, tj)
	}
	// The district approves (accept) on Wednesday and disburses (complete)
	// the next Tuesday: late.
	clock.On("2026-09-09")
	if st := office.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", fu.TaskID), map[string]any{"action": "accept"}, &tj); st != 201 {
		t.Fatalf("approve: %d", st)
	}
	if st := phuTuc.do("GET", base, nil, &f); st != 200 || len(f.Funding) != 1 || f.Funding[0].State != "approved" {
		t.Errorf("after approval: %+v", f.Funding)
	}
	clock.On("2026-09-15")
	if st := office.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", fu.TaskID), map[string]any{"action": "complete", "note": "Đã chuyển kinh phí"}, &tj); st != 201 {
		t.Fatalf("disburse: %d", st)
	}
	if st := phuTuc.do("GET", base, nil, &f); st != 200 || len(f.Funding) != 1 || f.Funding[0].State != "disbursed" || !f.Funding[0].Late ||
		f.Funding[0].DisbursedOn == nil || *f.Funding[0].DisbursedOn != "2026-09-15" {
		t.Errorf("after disbursement: %+v, want disbursed late on 2026-09-15", f.Funding)
	}
	office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", fu.TaskID), nil, &tj)
	overdue := false
	for _, fl := range tj.Flags {
		overdue = overdue || fl.Rule == "overdue"
	}
	if !overdue {
		t.Errorf("the late disbursement raised no overdue flag: %+v", tj.Flags)
	}
	if got := accountability(); got != lateBefore+1 {
		t.Errorf("the district's tasks done late: %d, want %d (the late disbursement counts)", got, lateBefore+1)
	}

	// The board: Phú Túc with its focus, its cases and the late funding.
	var b boardJSON
	if st := office.do("GET", fmt.Sprintf("/api/v1/outbreaks/board?unit=%d", w.district.ID), nil, &b); st != 200 {
		t.Fatalf("board: %d", st)
	}
	var row *boardRowJSON
	for i := range b.Communes {
		if b.Communes[i].CommuneID == w.phuTuc.ID {
			row = &b.Communes[i]
		}
	}
	if row == nil {
		t.Fatalf("the board lacks Phú Túc: %+v", b)
	}
	// On 09-15: the 3 cases of 09-07 are in the 7 days before the last 7.
	if row.ActiveFoci != 1 || row.DaysOpenMax != 9 || row.Cases7 != 0 || row.Cases14 != 3 || row.Trend != "down" ||
		row.FundingRequested != 1 || row.FundingDisbursed != 1 || row.FundingLate != 1 || row.MeansStale != 1 || row.NoCommand != 0 {
		t.Errorf("Phú Túc on the board: %+v", *row)
	}
	// As of the Friday the money was due: requested, not late yet.
	if st := office.do("GET", fmt.Sprintf("/api/v1/outbreaks/board?unit=%d&as_of=2026-09-11", w.district.ID), nil, &b); st != 200 {
		t.Fatalf("board as of: %d", st)
	}
	for _, r := range b.Communes {
		if r.CommuneID == w.phuTuc.ID && (r.FundingDisbursed != 0 || r.FundingLate != 0 || r.Cases7 != 3 || r.Trend != "up") {
			t.Errorf("Phú Túc as of 09-11: %+v", r)
		}
	}
	if st := phuTuc.do("GET", fmt.Sprintf("/api/v1/outbreaks/board?unit=%d", w.district.ID), nil, &p); st != 404 {
		t.Errorf("the commune reads the district's board: %d, want 404", st)
	}
	st, hdr, xlsx := office.fetch(fmt.Sprintf("/api/v1/outbreaks/board.xlsx?unit=%d", w.district.ID))
	if st != 200 || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") || len(xlsx) < 100 {
		t.Errorf("board.xlsx: %d %s %d bytes", st, hdr.Get("Content-Type"), len(xlsx))
	}

	// Closing: 09-15 is 8 days after the last case (09-07's report): refused
	// for the commune with the days remaining; 14 days after, allowed.
	if st := phuTuc.do("POST", base+"/close", map[string]any{}, &p); st != 422 || !strings.Contains(p.Detail, "6 days remain") {
		t.Errorf("close too early: %d %q, want 422 saying 6 days remain", st, p.Detail)
	}
	clock.On("2026-09-21")
	if st := phuTuc.do("POST", base+"/close", nil, &f); st != 200 || f.State != "closed" || f.ClosedEarly {
		t.Errorf("close after 14 days: %d %+v", st, f)
	}
	if st := phuTuc.do("POST", base+"/close", nil, &p); st != 409 {
		t.Errorf("close a closed focus: %d, want 409", st)
	}
	if st := phuTuc.do("POST", base+"/reports", map[string]any{"on": "2026-09-21", "new_cases": 1}, &p); st != 409 {
		t.Errorf("report on a closed focus: %d, want 409", st)
	}

	// An officer above the commune closes early with a reason.
	var g focusJSON
	if st := phuTuc.do("POST", "/api/v1/outbreaks", map[string]any{"unit_id": w.phuTuc.ID, "disease": "sot_xuat_huyet", "place": "Thôn Văn Xá", "opened_on": "2026-09-20"}, &g); st != 201 {
		t.Fatalf("second focus: %d", st)
	}
	gbase := fmt.Sprintf("/api/v1/outbreaks/%d/close", g.ID)
	if st := phuTuc.do("POST", gbase, map[string]any{"reason": "Xác minh lại: không phải ổ dịch"}, &p); st != 422 {
		t.Errorf("the commune closes early with a reason: %d, want 422", st)
	}
	if st := office.do("POST", gbase, map[string]any{}, &p); st != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "reason" {
		t.Errorf("the district closes early without a reason: %d %+v", st, p)
	}
	if st := office.do("POST", gbase, map[string]any{"reason": "Xác minh lại: không phải ổ dịch"}, &g); st != 200 || !g.ClosedEarly {
		t.Errorf("the district closes early with a reason: %d %+v", st, g)
	}

	// Reach: another district's focus answers as a missing one.
	foreign := otherDistrictFocus(t, m, w, "2026-09-20")
	var missing, outside problemJSON
	office.do("GET", "/api/v1/outbreaks/999999999", nil, &missing)
	if st := office.do("GET", fmt.Sprintf("/api/v1/outbreaks/%d", foreign), nil, &outside); st != 404 || outside.Detail != missing.Detail {
		t.Errorf("another district's focus: %d %q, want 404 %q", st, outside.Detail, missing.Detail)
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/outbreaks/%d/reports", foreign), map[string]any{"on": "2026-09-21", "new_cases": 1}, &p); st != 404 {
		t.Errorf("report on another district's focus: %d, want 404", st)
	}
	var list listJSON[focusJSON]
	if st := office.do("GET", "/api/v1/outbreaks?state=closed", nil, &list); st != 200 || list.Total != closedBefore.Total+2 || list.Items[0].ID != g.ID {
		t.Errorf("the district's closed foci: %d total %d, want %d, the latest first", st, list.Total, closedBefore.Total+2)
	}
	if st := phuTuc.do("GET", fmt.Sprintf("/api/v1/outbreaks?unit=%d", w.chauCan.ID), nil, &p); st != 404 {
		t.Errorf("Phú Túc lists Châu Can's foci: %d, want 404", st)
	}
}

// outbreakPermFixtures opens a focus on each unit object (a Phú Túc cell,
// a Châu Can cell, a cell of another district): the "outbreak" objects.
func outbreakPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	today := date.Today(m.App.DB.Now())
	for _, u := range fx.objects["unit"] {
		f, err := m.App.Outbreaks.Open(ctx, sys, outbreak.OpenInput{UnitID: u.id, Disease: "sot_xuat_huyet", Place: "Ổ dịch " + u.name, OpenedOn: today})
		if err != nil {
			t.Fatal(err)
		}
		fx.objects["outbreak"] = append(fx.objects["outbreak"], permObject{"focus in " + u.name, f.ID, u.path})
	}
}

// outbreakPermEntries are the outbreak routes of the permission matrix:
// officers (down to the village's cell officer) read and write the foci
// of their subtree; a plain member reads only their own shifts.
func outbreakPermEntries() map[string]permEntry {
	officers := []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc"}
	base := "/api/v1/outbreaks/{id}"
	return map[string]permEntry{
		"POST /api/v1/outbreaks": signedIn(permProbe{method: "POST", path: "/api/v1/outbreaks", obj: "unit", ctype: jsonType,
			body: `{"unit_id":{id},"disease":"sot_xuat_huyet","place":"","opened_on":"2026-01-01"}`, allowed: allow(officers, 422)}),
		"GET /api/v1/outbreaks":            signedIn(permProbe{method: "GET", path: "/api/v1/outbreaks?state=active", allowed: everyone(200)}),
		"GET /api/v1/outbreaks/board":      signedIn(permProbe{method: "GET", path: "/api/v1/outbreaks/board?unit={id}", obj: "unit", allowed: allow(officers, 200)}),
		"GET /api/v1/outbreaks/board.xlsx": signedIn(permProbe{method: "GET", path: "/api/v1/outbreaks/board.xlsx?unit={id}", obj: "unit", allowed: allow(officers, 200)}),
		"GET /api/v1/outbreaks/{id}":       signedIn(permProbe{method: "GET", path: base, obj: "outbreak", allowed: allow(officers, 200)}),
		"POST /api/v1/outbreaks/{id}/reports": signedIn(permProbe{method: "POST", path: base + "/reports", obj: "outbreak", ctype: jsonType,
			body: `{"on":"2026-01-01","new_cases":-1}`, allowed: allow(officers, 422)}),
		"PUT /api/v1/outbreaks/{id}/on-site": signedIn(permProbe{method: "PUT", path: base + "/on-site", obj: "outbreak", ctype: jsonType,
			body: `{"means":[{"item":"","quantity":1}]}`, allowed: allow(officers, 422)}),
		"POST /api/v1/outbreaks/{id}/duties": signedIn(permProbe{method: "POST", path: base + "/duties", obj: "outbreak", ctype: jsonType,
			body: `[]`, allowed: allow(officers, 422)}),
		"POST /api/v1/outbreaks/{id}/funding": signedIn(permProbe{method: "POST", path: base + "/funding", obj: "outbreak", ctype: jsonType,
			body: `{"amount":0,"purpose":"","needed_by":"2026-01-01","to_unit_id":0}`, allowed: allow(officers, 422)}),
		"POST /api/v1/outbreaks/{id}/close": signedIn(permProbe{method: "POST", path: base + "/close", obj: "outbreak", ctype: jsonType,
			body: `{"reason":"\u0007"}`, allowed: allow(officers, 422)}),
		"GET /api/v1/diseases": signedIn(permProbe{method: "GET", path: "/api/v1/diseases", allowed: everyone(200)}),
		"PUT /api/v1/diseases/{code}": signedIn(permProbe{method: "PUT", path: "/api/v1/diseases/sot_xuat_huyet", ctype: jsonType,
			body: `{"name_vi":"","closing_days":14}`, allowed: allow([]string{"admin", "vanphong"}, 422)}),
		"GET /api/v1/duties/mine":          signedIn(permProbe{method: "GET", path: "/api/v1/duties/mine", allowed: everyone(200)}),
		"POST /api/v1/duties/{id}/confirm": signedIn(permProbe{method: "POST", path: "/api/v1/duties/999999999/confirm", allowed: everyone(404)}),
	}
}

// TestOutbreakDemo: the demo district holds a dengue season: two foci in
// Phú Túc with a late disbursement and an approved request, a focus with
// gaps in another commune, a closed one in a third; dangvien has shifts.
func TestOutbreakDemo(t *testing.T) {
	m := parallelDemo(t)
	w := newOutbreakWorld(t, m)
	office, dv := m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
	var b boardJSON
	if st := office.do("GET", fmt.Sprintf("/api/v1/outbreaks/board?unit=%d", w.district.ID), nil, &b); st != 200 {
		t.Fatalf("board: %d", st)
	}
	var phuTuc, gaps, active int
	for _, r := range b.Communes {
		active += r.ActiveFoci
		if r.CommuneID == w.phuTuc.ID {
			phuTuc++
			if r.ActiveFoci != 2 || r.FundingRequested != 2 || r.FundingDisbursed != 1 || r.FundingLate != 1 || r.NoCommand != 0 || r.Cases7 == 0 {
				t.Errorf("Phú Túc on the demo board: %+v", r)
			}
		} else if r.NoCommand > 0 && r.MeansStale > 0 {
			gaps++
		}
	}
	if phuTuc != 1 || gaps != 1 || active != 3 {
		t.Errorf("demo board: Phú Túc %d, communes with gaps %d, active foci %d; want 1, 1, 3: %+v", phuTuc, gaps, active, b.Communes)
	}
	var closed listJSON[focusJSON]
	if st := office.do("GET", "/api/v1/outbreaks?state=closed", nil, &closed); st != 200 || closed.Total != 1 {
		t.Errorf("closed demo foci: %d %d, want 1", st, closed.Total)
	}
	var mine listJSON[struct {
		From        string  `json:"from"`
		ConfirmedAt *string `json:"confirmed_at"`
	}]
	if st := dv.do("GET", "/api/v1/duties/mine", nil, &mine); st != 200 || len(mine.Items) == 0 {
		t.Errorf("dangvien's demo shifts: %d %+v", st, mine)
	}
}
