package cli

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type statsJSON struct {
	Exists  bool `json:"exists"`
	Members struct {
		Total int `json:"total"`
	} `json:"members"`
	Units struct {
		ByKind map[string]int `json:"by_kind"`
	} `json:"units"`
}

// TestReorganisation2025 replays the 2025 reorganisation on the demo tree:
// six communes merge into one new commune committee directly under the
// city, every other organisation moves under the city, and the district is
// dissolved, all on 2025-07-01. Counts as of 2025-06-30 show the old tree,
// counts as of 2025-07-01 the new one.
func TestReorganisation2025(t *testing.T) {
	m := parallelDemo(t)
	admin := m.signIn(t, "admin")
	var roots listJSON[unitJSON]
	admin.do("GET", "/api/v1/units", nil, &roots)
	city := roots.Items[0]
	district := unitByName(t, admin, city.ID, "Huyện ủy Phú Xuyên")
	six := []string{"Đảng bộ thị trấn Phú Xuyên", "Đảng bộ thị trấn Phú Minh", "Đảng bộ xã Nam Tiến", "Đảng bộ xã Hồng Thái", "Đảng bộ xã Nam Phong", "Đảng bộ xã Quang Lãng"}
	stats := func(id int64, asOf string) statsJSON {
		t.Helper()
		var s statsJSON
		if st := admin.do("GET", fmt.Sprintf("/api/v1/units/%d/stats?as_of=%s", id, asOf), nil, &s); st != 200 {
			t.Fatalf("stats %d as of %s: status %d", id, asOf, st)
		}
		return s
	}
	var sixIDs []int64
	sixBefore := 0
	for _, name := range six {
		u := unitByName(t, admin, district.ID, name)
		sixIDs = append(sixIDs, u.ID)
		sixBefore += stats(u.ID, "2025-06-30").Members.Total
	}
	districtBefore := stats(district.ID, "2025-06-30").Members.Total
	cityBefore := stats(city.ID, "2025-06-30").Members.Total
	if sixBefore == 0 || districtBefore < 9000 {
		t.Fatalf("demo too small: six communes %d, district %d", sixBefore, districtBefore)
	}

	var merged unitJSON
	if st := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": city.ID, "kind": "grassroots_committee", "name": "Đảng bộ xã Phú Xuyên",
		"code": "HN.XA.PHUXUYEN", "effective_on": "2025-07-01"}, &merged); st != 201 {
		t.Fatalf("create the new commune: %d", st)
	}
	if st := admin.do("POST", "/api/v1/units/merge", map[string]any{"from": sixIDs, "into": merged.ID, "effective_on": "2025-07-01"}, nil); st != 200 {
		t.Fatalf("merge: %d", st)
	}
	var rest listJSON[unitJSON]
	admin.do("GET", fmt.Sprintf("/api/v1/units?parent=%d", district.ID), nil, &rest)
	if got, want := rest.Total, 58-6; got != want {
		t.Errorf("left under the district: got %d, want %d", got, want)
	}
	for _, u := range rest.Items {
		if st := admin.do("POST", fmt.Sprintf("/api/v1/units/%d/move", u.ID), map[string]any{"parent_id": city.ID, "effective_on": "2025-07-01"}, nil); st != 200 {
			t.Fatalf("move %s: %d", u.Name, st)
		}
	}
	if st := admin.do("POST", fmt.Sprintf("/api/v1/units/%d/dissolve", district.ID), map[string]any{"effective_on": "2025-07-01"}, nil); st != 204 {
		t.Fatalf("dissolve the district: %d", st)
	}

	got := map[string]int{
		"district 2025-06-30":    stats(district.ID, "2025-06-30").Members.Total,
		"district 2025-07-01":    stats(district.ID, "2025-07-01").Members.Total,
		"new commune 2025-06-30": stats(merged.ID, "2025-06-30").Members.Total,
		"new commune 2025-07-01": stats(merged.ID, "2025-07-01").Members.Total,
		"city 2025-06-30":        stats(city.ID, "2025-06-30").Members.Total,
		"city 2025-07-01":        stats(city.ID, "2025-07-01").Members.Total,
	}
	// Members admitted on 2025-07-01 itself join the city's count that day.
	admittedThatDay := got["city 2025-07-01"] - cityBefore
	want := map[string]int{
		"district 2025-06-30": districtBefore, "district 2025-07-01": 0,
		"new commune 2025-06-30": 0, "new commune 2025-07-01": sixBefore + newInSix(t, m, sixIDs, merged.ID),
		"city 2025-06-30": cityBefore, "city 2025-07-01": cityBefore + admittedThatDay,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("member counts (-want +got):\n%s", diff)
	}
	if admittedThatDay < 0 || admittedThatDay > 5 {
		t.Errorf("the city changed by %d members overnight", admittedThatDay)
	}
	if s := stats(district.ID, "2025-07-01"); s.Exists {
		t.Errorf("the district still exists on 2025-07-01")
	}
	if s := stats(district.ID, "2025-06-30"); !s.Exists || s.Units.ByKind["grassroots_committee"] < 27 {
		t.Errorf("the district on 2025-06-30: %+v", s)
	}
	// Today the new commune holds the cells of all six.
	if got := stats(merged.ID, "").Units.ByKind["cell"]; got < 6*5 {
		t.Errorf("cells in the new commune today: %d", got)
	}
}

// newInSix counts members of the six communes' cells admitted exactly on
// 2025-07-01 (they are counted from that day, not the day before).
func newInSix(t *testing.T, m *Main, six []int64, merged int64) int {
	t.Helper()
	var n int
	err := m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
		JOIN units c ON c.id = $1 WHERE u.path >= c.path AND u.path < c.path || '~' AND m.admitted_on = '2025-07-01'
		AND m.status IN ('probationary','full','exempt')`, merged).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
