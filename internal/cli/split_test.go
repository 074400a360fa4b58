package cli

import (
	"fmt"
	"testing"
)

// TestSplitUnit splits a commune in two on 2024-01-01: each half takes some
// cells; the old commune is dissolved; counts before and after agree.
func TestSplitUnit(t *testing.T) {
	m := parallelDemo(t)
	admin := m.signIn(t, "admin")
	district := demoDistrict(t, admin)
	commune := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	cells := childrenOf(admin, commune.ID)
	var a, b []int64
	for i, c := range cells {
		if i%2 == 0 {
			a = append(a, c.ID)
		} else {
			b = append(b, c.ID)
		}
	}
	stats := func(id int64, asOf string) int {
		var s statsJSON
		admin.do("GET", fmt.Sprintf("/api/v1/units/%d/stats?as_of=%s", id, asOf), nil, &s)
		return s.Members.Total
	}
	before := stats(commune.ID, "2023-12-31")
	var parts listJSON[unitJSON]
	st := admin.do("POST", fmt.Sprintf("/api/v1/units/%d/split", commune.ID), map[string]any{"effective_on": "2024-01-01", "parts": []map[string]any{
		{"name": "Đảng bộ xã Phú Túc A", "code": "HN.PX.PHUTUC.A", "children": a},
		{"name": "Đảng bộ xã Phú Túc B", "code": "HN.PX.PHUTUC.B", "children": b},
	}}, &parts)
	if st != 201 || len(parts.Items) != 2 {
		t.Fatalf("split: status %d, %+v", st, parts)
	}
	after := stats(parts.Items[0].ID, "2024-01-01") + stats(parts.Items[1].ID, "2024-01-01")
	joinedThatDay := stats(district.ID, "2024-01-01") - stats(district.ID, "2023-12-31")
	if after < before || after > before+joinedThatDay || before == 0 {
		t.Errorf("members: %d before the split, %d in the two halves after (district changed by %d)", before, after, joinedThatDay)
	}
	if got := stats(commune.ID, "2024-01-01"); got != 0 {
		t.Errorf("the split commune still counts %d members", got)
	}
	if got := stats(commune.ID, "2023-12-31"); got != before {
		t.Errorf("the commune's past changed: %d, want %d", got, before)
	}
	if st := admin.do("GET", fmt.Sprintf("/api/v1/units/%d/split", commune.ID), nil, nil); st != 405 && st != 404 {
		t.Errorf("GET split: %d", st)
	}
	// Splitting with a cell that is not below the unit is refused whole.
	other := unitByName(t, admin, district.ID, "Đảng bộ xã Châu Can")
	var p problemJSON
	st = admin.do("POST", fmt.Sprintf("/api/v1/units/%d/split", other.ID), map[string]any{"effective_on": "2024-01-01", "parts": []map[string]any{
		{"name": "X", "code": "HN.X", "children": []int64{a[0]}}}}, &p)
	if st != 422 {
		t.Errorf("split with a foreign cell: got %d, want 422", st)
	}
	var check unitJSON
	if admin.do("GET", fmt.Sprintf("/api/v1/units/%d", other.ID), nil, &check); check.Code != other.Code {
		t.Errorf("unit changed after a refused split")
	}
}
