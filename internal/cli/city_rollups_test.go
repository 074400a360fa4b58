package cli

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCityRollupsAPI walks the two city extensions through the API on the
// demo: the meeting compliance by child unit of the district agrees with
// its grid (cells, and per month the cells with the regular and the
// thematic meeting), an unknown by= is 422; the four-good results walked
// in pages of two are the whole answer's items in order, each page with
// the whole subtree's by_level, and the last page's next_cursor is null.
func TestCityRollupsAPI(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	district, phuTuc, _, _ := fgPhuTuc(t, m)
	office := m.signIn(t, "vanphong")
	var grid struct {
		Year  int `json:"year"`
		Cells []struct {
			Months []struct {
				Regular           bool `json:"regular"`
				ThematicInQuarter bool `json:"thematic_in_quarter"`
			} `json:"months"`
		} `json:"cells"`
	}
	if st := office.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance", district.ID), nil, &grid); st != 200 || len(grid.Cells) == 0 {
		t.Fatalf("grid: %d with %d cells", st, len(grid.Cells))
	}
	var roll struct {
		By    string `json:"by"`
		Total struct {
			Cells  int `json:"cells"`
			Months []struct {
				Regular           int `json:"regular"`
				ThematicInQuarter int `json:"thematic_in_quarter"`
			} `json:"months"`
		} `json:"total"`
		Children []struct {
			UnitID int64 `json:"unit_id"`
			Cells  int   `json:"cells"`
		} `json:"children"`
	}
	if st := office.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child&year=%d", district.ID, grid.Year), nil, &roll); st != 200 || roll.By != "child" {
		t.Fatalf("by child: %d, by %q", st, roll.By)
	}
	sum, found := 0, false
	for _, c := range roll.Children {
		sum += c.Cells
		found = found || c.UnitID == phuTuc.ID
	}
	if roll.Total.Cells != len(grid.Cells) || sum != len(grid.Cells) || !found {
		t.Errorf("cells: total %d, children's %d, Phú Túc listed %v; want %d, %d, true", roll.Total.Cells, sum, found, len(grid.Cells), len(grid.Cells))
	}
	if len(roll.Total.Months) != len(grid.Cells[0].Months) {
		t.Fatalf("months: %d, the grid's %d", len(roll.Total.Months), len(grid.Cells[0].Months))
	}
	held := 0
	for i, got := range roll.Total.Months {
		reg, th := 0, 0
		for _, c := range grid.Cells {
			if c.Months[i].Regular {
				reg++
			}
			if c.Months[i].ThematicInQuarter {
				th++
			}
		}
		held += reg
		if got.Regular != reg || got.ThematicInQuarter != th {
			t.Errorf("month %d: regular %d, thematic %d; the grid's %d, %d", i+1, got.Regular, got.ThematicInQuarter, reg, th)
		}
	}
	if held == 0 {
		t.Error("the demo's district held no regular meeting this year: nothing compared")
	}
	if st := office.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=commune", district.ID), nil, nil); st != 422 {
		t.Errorf("by=commune: %d, want 422", st)
	}

	var frameworkID int64
	if err := m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT framework_id FROM fourgood_sheets WHERE period = 'final'
		GROUP BY framework_id ORDER BY COUNT(*) DESC, framework_id LIMIT 1`).Scan(&frameworkID); err != nil {
		t.Fatalf("a four-good framework in the demo: %v", err)
	}
	type item struct {
		UnitID int64  `json:"unit_id"`
		Rank   int    `json:"rank"`
		Level  string `json:"level"`
	}
	type results struct {
		Items        []item         `json:"items"`
		ByLevel      map[string]int `json:"by_level"`
		Unclassified int            `json:"unclassified"`
		NextCursor   *string        `json:"next_cursor"`
		Total        *int           `json:"total"`
	}
	var whole results
	base := fmt.Sprintf("/api/v1/frameworks/%d/results?period=final", frameworkID)
	if st := office.do("GET", base, nil, &whole); st != 200 || len(whole.Items) < 3 || whole.Total != nil {
		t.Fatalf("whole results: %d, %d items, total %v (want none)", st, len(whole.Items), whole.Total)
	}
	var items []item
	path := base + "&limit=2"
	for pages := 0; ; pages++ {
		var raw map[string]any
		if st := office.do("GET", path, nil, &raw); st != 200 {
			t.Fatalf("page %d: %d", pages, st)
		}
		var p results
		if st := office.do("GET", path, nil, &p); st != 200 {
			t.Fatalf("page %d: %d", pages, st)
		}
		if p.Total == nil || *p.Total != len(whole.Items) || !cmp.Equal(p.ByLevel, whole.ByLevel) || p.Unclassified != whole.Unclassified {
			t.Fatalf("page %d: total %v, by_level %v, unclassified %d; want %d, %v, %d", pages, p.Total, p.ByLevel, p.Unclassified, len(whole.Items), whole.ByLevel, whole.Unclassified)
		}
		items = append(items, p.Items...)
		if p.NextCursor == nil {
			if v, ok := raw["next_cursor"]; !ok || v != nil {
				t.Errorf("last page: next_cursor %v (present %v), want null", v, ok)
			}
			break
		}
		if pages > len(whole.Items) {
			t.Fatal("pages without end")
		}
		path = base + "&limit=2&cursor=" + *p.NextCursor
	}
	if d := cmp.Diff(whole.Items, items); d != "" {
		t.Errorf("the pages (-whole +pages):\n%s", d)
	}
	if st := office.do("GET", base+"&cursor=forged", nil, nil); st != 422 {
		t.Errorf("a forged cursor: %d, want 422", st)
	}

	// Bad input to the two extensions: a unit out of the caller's reach
	// answers 404 (as missing); broken text and absurd numbers are 4xx.
	cell := m.signIn(t, "bithu.phutuc")
	bad := []struct {
		who  *client
		path string
		want int // 0: any 4xx
	}{
		{cell, fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child", district.ID), 404},
		{cell, fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child", phuTuc.ID+1_000_000), 404},
		{office, fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=%%FF", district.ID), 0},
		{office, fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child%%E2%%80%%AE", district.ID), 0},
		{office, fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child&year=99999", district.ID), 0},
		{office, base + "&limit=-1", 0},
		{office, base + "&limit=99999999999999999999", 0},
		{office, base + "&cursor=%00", 0},
	}
	for _, b := range bad {
		st := b.who.do("GET", b.path, nil, nil)
		if (b.want != 0 && st != b.want) || (b.want == 0 && (st < 400 || st >= 500)) {
			t.Errorf("GET %s: %d, want %v", b.path, st, map[bool]any{true: "4xx", false: b.want}[b.want == 0])
		}
	}
}
