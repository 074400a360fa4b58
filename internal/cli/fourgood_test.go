package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/sheet"
)

type fgSheetJSON struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Stage  string `json:"stage"`
	Period string `json:"period"`
	Scores []struct {
		Criterion    string   `json:"criterion"`
		SelfPoints   *float64 `json:"self_points"`
		ReviewPoints *float64 `json:"review_points"`
		Reason       string   `json:"reason"`
	} `json:"scores"`
	Totals struct {
		Self, Review, Final float64
	} `json:"totals"`
	Evidence map[string]any `json:"evidence_from_system"`
}

type fgFrameworkJSON struct {
	ID       int64             `json:"id"`
	Status   string            `json:"status"`
	MaxTotal float64           `json:"max_total"`
	Scored   bool              `json:"scored"`
	Criteria []fgCriterionJSON `json:"criteria"`
}

type fgCriterionJSON struct {
	Code      string            `json:"code"`
	MaxPoints float64           `json:"max_points"`
	Children  []fgCriterionJSON `json:"children"`
}

// fgBody is a small framework owned by a unit: 1 (1.1, 1.2) and 2.
func fgBody(owner int64, year int, deadline string) map[string]any {
	return map[string]any{"name": fmt.Sprintf("Khung thử %d", year), "year": year, "owner_unit_id": owner, "registration_deadline": deadline,
		"criteria": []any{
			map[string]any{"code": "1", "title": "Lãnh đạo thực hiện tốt nhiệm vụ chính trị", "children": []any{
				map[string]any{"code": "1.1", "title": "Ban hành nghị quyết", "max_points": 30},
				map[string]any{"code": "1.2", "title": "Phát triển kinh tế", "max_points": 20}}},
			map[string]any{"code": "2", "title": "Sinh hoạt chi bộ", "max_points": 50, "guidance": "Họp đủ 12 kỳ"}},
		"bands": []any{map[string]any{"level": "Chi bộ 4 tốt", "min_points": 90}, map[string]any{"level": "Hoàn thành", "min_points": 50}},
		"quota": map[string]any{"level": "Chi bộ 4 tốt", "max_share": 0.2}}
}

func fgPhuTuc(t *testing.T, m *Main) (district, commune *org.Unit, cell int64, other int64) {
	t.Helper()
	ctx := context.Background()
	d, err := m.App.Org.Resolve(ctx, auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	bithu := demoAccount(t, m, "bithu.phutuc")
	c := childNamed(t, m, d.ID, "Đảng bộ xã Phú Túc")
	cc := childNamed(t, m, d.ID, "Đảng bộ xã Châu Can")
	for _, k := range mustChildren(t, m, cc.ID) {
		if k.Kind == org.KindCell {
			other = k.ID
			break
		}
	}
	return d, c, bithu.Roles[0].UnitID, other
}

func TestAPIFourGood(t *testing.T) { bothEngines(t, testAPIFourGood) }

func testAPIFourGood(t *testing.T, m *Main) {
	district, commune, cell, chauCanCell := fgPhuTuc(t, m)
	office, danguy, bithu := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "bithu.phutuc")
	var p problemJSON
	count := func() int {
		var l struct{ Total int }
		if st := office.do("GET", "/api/v1/frameworks?year=2030", nil, &l); st != 200 {
			t.Fatalf("list: %d", st)
		}
		return l.Total
	}
	// Bad frameworks: a clear 4xx, nothing written.
	many := make([]any, 10000)
	for i := range many {
		many[i] = map[string]any{"code": fmt.Sprint(i), "title": "x", "max_points": 1}
	}
	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		who   *client
		st    int
		field string
	}{
		{"negative maximum", func(b map[string]any) { b["criteria"].([]any)[1].(map[string]any)["max_points"] = -5 }, office, 422, "criteria[1].max_points"},
		{"ten thousand criteria", func(b map[string]any) { b["criteria"] = many }, office, 422, "criteria"},
		{"bad code", func(b map[string]any) { b["criteria"].([]any)[1].(map[string]any)["code"] = "2 b" }, office, 422, "criteria[1].code"},
		{"duplicate code", func(b map[string]any) { b["criteria"].([]any)[1].(map[string]any)["code"] = "1.1" }, office, 422, "criteria[1].code"},
		{"long title", func(b map[string]any) {
			b["criteria"].([]any)[1].(map[string]any)["title"] = strings.Repeat("ạ", 501)
		}, office, 422, "criteria[1].title"},
		{"band over the total", func(b map[string]any) { b["bands"].([]any)[0].(map[string]any)["min_points"] = 101 }, office, 422, "bands[0].min_points"},
		{"commune may not define", nil, danguy, 404, ""},
	} {
		b := fgBody(district.ID, 2030, "2030-03-31")
		if tc.edit != nil {
			tc.edit(b)
		}
		p = problemJSON{}
		if st := tc.who.do("POST", "/api/v1/frameworks", b, &p); st != tc.st || (tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field)) {
			t.Errorf("%s: got %d %+v, want %d on %s", tc.name, st, p, tc.st, tc.field)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("refused frameworks were written: %d", n)
	}
	var f fgFrameworkJSON
	if st := office.do("POST", "/api/v1/frameworks", fgBody(district.ID, 2030, "2030-03-31"), &f); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if f.MaxTotal != 100 || f.Criteria[0].MaxPoints != 50 || f.Status != "open" {
		t.Errorf("created: %+v", f)
	}
	var sh fgSheetJSON
	if st := bithu.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": chauCanCell}, &p); st != 404 {
		t.Errorf("bithu registers Châu Can's cell: got %d, want 404", st)
	}
	if st := bithu.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": cell}, &sh); st != 201 || sh.Stage != "self" || sh.Period != "final" || len(sh.Scores) != 3 {
		t.Fatalf("register: %d %+v", st, sh)
	}
	if sh.Evidence["tasks"] == nil {
		t.Errorf("no evidence from the system: %+v", sh.Evidence)
	}
	var other fgSheetJSON
	if st := office.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": chauCanCell}, &other); st != 201 {
		t.Fatalf("office registers Châu Can's cell: %d", st)
	}
	if st := danguy.do("GET", fmt.Sprintf("/api/v1/scoresheets/%d", other.ID), nil, &p); st != 404 {
		t.Errorf("Phú Túc's committee reads Châu Can's sheet: got %d, want 404", st)
	}
	scores := fmt.Sprintf("/api/v1/scoresheets/%d/scores", sh.ID)
	for _, bad := range []string{
		`[{"criterion":"1.1","points":31}]`,
		`[{"criterion":"1.1","points":-1}]`,
		`[{"criterion":"9","points":1}]`,
		`[{"criterion":"1","points":1}]`,
		`[{"criterion":"1.1","points":10},{"criterion":"2","points":50.55}]`,
		`[{"criterion":"1.1","points":10,"links":[{"kind":"task","id":999999999}]}]`,
	} {
		p = problemJSON{}
		if st := bithu.do("PUT", scores, bad, &p); st != 422 || len(p.Errors) == 0 {
			t.Errorf("%s: got %d %+v, want 422 with a field", bad, st, p)
		}
	}
	var now fgSheetJSON
	bithu.do("GET", fmt.Sprintf("/api/v1/scoresheets/%d", sh.ID), nil, &now)
	if now.Totals.Self != 0 {
		t.Fatalf("refused scores were written: %+v", now.Totals)
	}
	if st := bithu.do("PUT", scores, `[{"criterion":"1.1","points":28.5,"evidence":"Nghị quyết hằng tháng"},{"criterion":"1.2","points":20},{"criterion":"2","points":45}]`, &sh); st != 200 || sh.Totals.Self != 93.5 {
		t.Fatalf("self scores: %d %+v", st, sh.Totals)
	}
	if st := office.do("PUT", fmt.Sprintf("/api/v1/frameworks/%d", f.ID), fgBody(district.ID, 2030, "2030-03-31"), &p); st != 409 {
		t.Errorf("edit a scored framework: got %d, want 409", st)
	}
	submit := fmt.Sprintf("/api/v1/scoresheets/%d/submit", sh.ID)
	if st := bithu.do("POST", submit, nil, &sh); st != 200 || sh.Stage != "review" {
		t.Fatalf("submit: %d %+v", st, sh)
	}
	if st := bithu.do("PUT", scores, `[{"criterion":"2","points":50}]`, &p); st != 409 {
		t.Errorf("the cell scores at review: got %d, want 409", st)
	}
	if st := danguy.do("PUT", scores, `[{"criterion":"2","points":35}]`, &p); st != 422 {
		t.Errorf("review without reason: got %d, want 422", st)
	}
	if st := danguy.do("PUT", scores, `[{"criterion":"2","points":35,"reason":"Thiếu hai buổi sinh hoạt chuyên đề"}]`, &sh); st != 200 || sh.Totals.Review != 83.5 {
		t.Fatalf("review: %d %+v", st, sh.Totals)
	}
	if st := danguy.do("POST", submit, nil, &sh); st != 200 || sh.Stage != "final" {
		t.Fatalf("review submit: %d %+v", st, sh)
	}
	if st := danguy.do("POST", submit, nil, &p); st != 409 {
		t.Errorf("the commune finalises: got %d, want 409", st)
	}
	if st := office.do("POST", submit, nil, &sh); st != 200 || sh.Stage != "done" || sh.Totals.Final != 83.5 {
		t.Fatalf("finalise: %d %+v", st, sh)
	}
	var res struct {
		Items []struct {
			UnitID int64   `json:"unit_id"`
			Total  float64 `json:"total"`
			Level  string  `json:"level"`
			Rank   int     `json:"rank"`
		} `json:"items"`
		ByLevel map[string]int `json:"by_level"`
		Reports []struct {
			UnitID int64  `json:"unit_id"`
			Status string `json:"status"`
		} `json:"reports"`
	}
	if st := danguy.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results?unit=%d&period=final", f.ID, commune.ID), nil, &res); st != 200 {
		t.Fatalf("results: %d", st)
	}
	if len(res.Items) != 1 || res.Items[0].UnitID != cell || res.Items[0].Level != "Hoàn thành" || res.Items[0].Rank != 1 || res.ByLevel["Hoàn thành"] != 1 {
		t.Errorf("results: %+v", res)
	}
	if len(res.Reports) != 1 || res.Reports[0].UnitID != commune.ID || res.Reports[0].Status != "pending" {
		t.Errorf("reports: %+v", res.Reports)
	}
	if st := danguy.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/reports", f.ID), map[string]any{"unit_id": commune.ID, "period": "final"}, &res); st != 201 || res.Reports[0].Status != "sent" {
		t.Errorf("report: %d %+v", st, res.Reports)
	}
	if st := danguy.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results?unit=%d", f.ID, chauCanCell), nil, &p); st != 404 {
		t.Errorf("results of Châu Can for Phú Túc: got %d, want 404", st)
	}
	if st := danguy.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results?format=xlsx", f.ID), nil, nil); st != 200 {
		t.Errorf("results .xlsx: %d", st)
	}

	// Next year's draft, and its criteria through a spreadsheet.
	var draft fgFrameworkJSON
	if st := office.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/copy", f.ID), map[string]any{"year": 2031}, &draft); st != 201 || draft.Status != "draft" || draft.Scored {
		t.Fatalf("copy: %d %+v", st, draft)
	}
	var xlsx []byte
	if st := office.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/criteria.xlsx", f.ID), nil, &xlsx); st != 200 || len(xlsx) < 100 {
		t.Fatalf("export: %d", st)
	}
	put := func(body []byte, out any) int {
		req, _ := http.NewRequest("PUT", office.base+fmt.Sprintf("/api/v1/frameworks/%d/criteria.xlsx?filename=khung.xlsx", draft.ID), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		return office.send(req, out)
	}
	var rep struct {
		Rows      int             `json:"rows"`
		Framework fgFrameworkJSON `json:"framework"`
	}
	if st := put(xlsx, &rep); st != 200 || rep.Rows != 4 || rep.Framework.MaxTotal != 100 {
		t.Errorf("import the export: %d %+v", st, rep)
	}
	var cyc bytes.Buffer
	if err := sheet.WriteXLSX(&cyc, "Tiêu chí", "Khung", []string{"Mã", "Thuộc", "Tiêu chí", "Điểm tối đa", "Hướng dẫn"},
		[][]string{{"1", "2", "Một", "", ""}, {"2", "1", "Hai", "", ""}, {"3", "", "Ba", "10", ""}}); err != nil {
		t.Fatal(err)
	}
	p = problemJSON{}
	if st := put(cyc.Bytes(), &p); st != 422 || len(p.Errors) == 0 || p.Errors[0].Row == 0 || p.Errors[0].Field != "parent" {
		t.Errorf("import a cycle: got %d %+v, want 422 naming the row and the parent", st, p)
	}
	var after fgFrameworkJSON
	office.do("GET", fmt.Sprintf("/api/v1/frameworks/%d", draft.ID), nil, &after)
	if len(after.Criteria) != 2 || after.MaxTotal != 100 {
		t.Errorf("a refused import changed the draft: %+v", after)
	}
	if st := bithu.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", draft.ID), map[string]any{"unit_id": cell}, &p); st != 409 {
		t.Errorf("register to a draft: got %d, want 409", st)
	}
}

// TestAPIFourGoodLateRegistration: after the deadline a cell may not
// register itself; an officer above may, with a reason.
func TestAPIFourGoodLateRegistration(t *testing.T) {
	m := parallelDemo(t)
	district, _, cell, _ := fgPhuTuc(t, m)
	office, danguy, bithu := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "bithu.phutuc")
	var f fgFrameworkJSON
	if st := office.do("POST", "/api/v1/frameworks", fgBody(district.ID, 2030, "2020-01-31"), &f); st != 201 {
		t.Fatalf("create: %d", st)
	}
	reg := fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID)
	var p problemJSON
	for _, tc := range []struct {
		who  *client
		body map[string]any
		st   int
	}{
		{bithu, map[string]any{"unit_id": cell, "reason": "muộn"}, 422},
		{danguy, map[string]any{"unit_id": cell}, 422},
		{danguy, map[string]any{"unit_id": cell, "reason": "Chi bộ mới kiện toàn"}, 201},
		{danguy, map[string]any{"unit_id": cell, "reason": "lần hai"}, 409},
	} {
		if st := tc.who.do("POST", reg, tc.body, &p); st != tc.st {
			t.Errorf("%v: got %d, want %d (%s)", tc.body, st, tc.st, p.Detail)
		}
	}
}
