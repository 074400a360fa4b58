package cli

import (
	"fmt"
	"net/url"
	"testing"
)

// TestAPIDateBoundsAndTreeRules sends dates out of their ranges and kind
// changes that would break the tree: each answer is 422 naming the field.
func TestAPIDateBoundsAndTreeRules(t *testing.T) {
	m := parallelDemo(t)
	admin, office := m.signIn(t, "admin"), m.signIn(t, "vanphong")
	district := demoDistrict(t, admin)
	phuTuc := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	cells := childrenOf(admin, phuTuc.ID)
	var cell, other unitJSON
	for _, u := range cells {
		if u.Kind == "cell" && cell.ID == 0 {
			cell = u
		} else if u.Kind == "cell" && other.ID == 0 {
			other = u
		}
	}
	var members listJSON[memberJSON]
	office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=1", cell.ID), nil, &members)
	if cell.ID == 0 || other.ID == 0 || len(members.Items) == 0 {
		t.Fatalf("the demo has no two cells with members under Phú Túc")
	}
	id := int64(members.Items[0]["id"].(float64))
	admitted := members.Items[0]["admitted_on"].(string)

	tests := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"status in year 1", "POST", fmt.Sprintf("/api/v1/members/%d/status", id),
			map[string]any{"status": "deceased", "effective_on": "0001-01-01"}, "effective_on"},
		{"status in 9999", "POST", fmt.Sprintf("/api/v1/members/%d/status", id),
			map[string]any{"status": "deceased", "effective_on": "9999-12-31"}, "effective_on"},
		{"transfer in 9999", "POST", fmt.Sprintf("/api/v1/members/%d/transfers", id),
			map[string]any{"to_unit_id": other.ID, "kind": "official", "effective_on": "9999-12-31"}, "effective_on"},
		{"transfer before admission", "POST", fmt.Sprintf("/api/v1/members/%d/transfers", id),
			map[string]any{"to_unit_id": other.ID, "kind": "official", "effective_on": dayBefore(t, admitted)}, "effective_on"},
		{"a member aged 10", "POST", "/api/v1/members",
			map[string]any{"unit_id": cell.ID, "full_name": "Lê Văn Tám", "gender": "male", "birth_date": "2016-01-01", "admitted_on": "2026-01-01"}, "birth_date"},
		{"birth in 9999", "PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"birth_date": "9999-01-01"}, "birth_date"},
		{"task due in 9999", "POST", "/api/v1/tasks",
			map[string]any{"title": "Việc không hạn", "unit_id": phuTuc.ID, "due_on": "9999-12-31"}, "due_on"},
		{"task in 100000 working days", "POST", "/api/v1/tasks",
			map[string]any{"title": "Việc không hạn", "unit_id": phuTuc.ID, "workdays": 100000}, "workdays"},
		{"due from 9999", "GET", "/api/v1/calendar/due?from=9999-12-31&workdays=1", nil, "from"},
		{"due in 3,650 working days", "GET", "/api/v1/calendar/due?from=2026-01-05&workdays=3650", nil, "workdays"},
		{"members as of year 1", "GET", fmt.Sprintf("/api/v1/members?unit=%d&as_of=0001-01-01", cell.ID), nil, "as_of"},
		{"stats as of 9999", "GET", fmt.Sprintf("/api/v1/units/%d/stats?as_of=9999-12-31", cell.ID), nil, "as_of"},
		{"a unit dissolved in year 1", "POST", fmt.Sprintf("/api/v1/units/%d/dissolve", other.ID), map[string]any{"effective_on": "0001-01-01"}, "effective_on"},
		{"a cell with members becomes a committee", "PATCH", fmt.Sprintf("/api/v1/units/%d", cell.ID),
			map[string]any{"kind": "sub_committee", "cell_type": ""}, "kind"},
		{"a commune with cells becomes a cell", "PATCH", fmt.Sprintf("/api/v1/units/%d", phuTuc.ID),
			map[string]any{"kind": "cell", "cell_type": "rural"}, "kind"},
		{"a district is lifted to a province", "PATCH", fmt.Sprintf("/api/v1/units/%d", district.ID),
			map[string]any{"kind": "province_committee"}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p problemJSON
			st := admin.do(tt.method, tt.path, tt.body, &p)
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if st != 422 || len(fields) == 0 || fields[0] != tt.field {
				t.Errorf("got %d %v (%s), want 422 naming %s", st, fields, p.Detail, tt.field)
			}
		})
	}
	// The kinds are unchanged, and within the bounds the same requests pass.
	var u unitJSON
	if admin.do("GET", fmt.Sprintf("/api/v1/units/%d", cell.ID), nil, &u); u.Kind != "cell" {
		t.Errorf("the cell's kind is now %q", u.Kind)
	}
	if st := admin.do("GET", "/api/v1/calendar/due?from=2026-01-05&workdays=1000", nil, nil); st != 200 {
		t.Errorf("due in 1,000 working days: %d, want 200", st)
	}
	if st := admin.do("POST", fmt.Sprintf("/api/v1/members/%d/transfers", id),
		map[string]any{"to_unit_id": other.ID, "kind": "temporary", "effective_on": admitted}, nil); st != 200 {
		t.Errorf("a transfer on the day of admission: %d, want 200", st)
	}
}

func dayBefore(t *testing.T, day string) string {
	t.Helper()
	var y, m, d int
	if _, err := fmt.Sscanf(day, "%d-%d-%d", &y, &m, &d); err != nil {
		t.Fatalf("admitted_on %q: %v", day, err)
	}
	if d > 1 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d-1)
	}
	return fmt.Sprintf("%04d-%02d-01", y-1, m) // a year and some days before: still before
}

// TestSignInRedirectStaysOnSite signs in through the form with hostile
// next targets: the Location always stays on this site.
func TestSignInRedirectStaysOnSite(t *testing.T) {
	m := parallelDemo(t)
	for _, next := range []string{"/\t/evil.com", "/\\evil.com", "//evil.com", "/%09/evil.com", "https://evil.com", "/\n/evil.com", " //evil.com"} {
		c := m.uiClient(t)
		a := c.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {demoPassword()}, "next": {next}})
		if a.Status != 303 || a.Location != "/" {
			t.Errorf("sign in with next=%q: %d to %q, want 303 to /", next, a.Status, a.Location)
		}
		if a := c.get("/ngon-ngu?lang=en&next=" + url.QueryEscape(next)); a.Status != 303 || a.Location != "/" {
			t.Errorf("language with next=%q: %d to %q, want 303 to /", next, a.Status, a.Location)
		}
		if a := c.get("/dang-nhap?next=" + url.QueryEscape(next)); a.Status != 303 || a.Location != "/" {
			t.Errorf("signed-in form with next=%q: %d to %q, want 303 to /", next, a.Status, a.Location)
		}
	}
	c := m.uiClient(t)
	if a := c.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {demoPassword()}, "next": {"/don-vi?x=1"}}); a.Location != "/don-vi?x=1" {
		t.Errorf("sign in with a local next: to %q, want /don-vi?x=1", a.Location)
	}
}
