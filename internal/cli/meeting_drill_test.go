package cli

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// drillRollup is the API's ?by=child answer, as much as the page shows.
type drillRollup struct {
	Year     int    `json:"year"`
	AsOf     string `json:"as_of"`
	Children []struct {
		UnitID int64  `json:"unit_id"`
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Cells  int    `json:"cells"`
		Months []struct {
			Month   string `json:"month"`
			Regular int    `json:"regular"`
		} `json:"months"`
	} `json:"children"`
}

var (
	drillBox  = regexp.MustCompile(`<td data-month="(\d{4}-\d\d)" class="[^"]*" title="[^"]*">(\d+)/(\d+)</td>`)
	drillLink = regexp.MustCompile(`<th scope="row"><a href="([^"]+)">`)
)

// drillRow finds the row of unit id on the page: its link and its boxes
// "month held/cells".
func drillRow(t *testing.T, body string, id int64) (href string, boxes []string) {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-unit="` + strconv.FormatInt(id, 10) + `">(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("no row for unit %d on the page:\n%.3000s", id, body)
	}
	if l := drillLink.FindStringSubmatch(row[1]); l != nil {
		href = html.UnescapeString(l[1])
	}
	for _, b := range drillBox.FindAllStringSubmatch(row[1], -1) {
		boxes = append(boxes, b[1]+" "+b[2]+"/"+b[3])
	}
	return href, boxes
}

// TestMeetingDrillPage reads the compliance by child unit as the district
// office: a commune's boxes are the API's ?by=child numbers, its link opens
// the commune's page (whose cells link to their meetings), the breadcrumb
// goes back up, and a unit out of reach answers 404.
func TestMeetingDrillPage(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	district, phuTuc, _, _ := fgPhuTuc(t, m)
	chauCan := childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	api := m.signIn(t, "vanphong")
	office := m.uiSignIn(t, "vanphong")
	rollup := func(id int64, query string) drillRollup {
		var r drillRollup
		if st := api.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance?by=child%s", id, query), nil, &r); st != 200 {
			t.Fatalf("API by=child of %d: %d", id, st)
		}
		return r
	}
	want := func(r drillRollup, id int64) (kind string, boxes []string) {
		for _, c := range r.Children {
			if c.UnitID == id {
				for _, mo := range c.Months {
					boxes = append(boxes, fmt.Sprintf("%s %d/%d", mo.Month, mo.Regular, c.Cells))
				}
				return c.Kind, boxes
			}
		}
		t.Fatalf("unit %d is not a child in the API's answer", id)
		return "", nil
	}

	r := rollup(district.ID, "")
	page := office.get(fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", district.ID))
	if page.Status != 200 {
		t.Fatalf("district page: %d", page.Status)
	}
	href, got := drillRow(t, page.Body, phuTuc.ID)
	_, wantBoxes := want(r, phuTuc.ID)
	if d := cmp.Diff(wantBoxes, got); d != "" {
		t.Errorf("Phú Túc's boxes (-API +page):\n%s", d)
	}
	held := 0
	for _, c := range r.Children {
		for _, mo := range c.Months {
			held += mo.Regular
		}
	}
	if held == 0 {
		t.Error("no child of the district held a regular meeting: nothing compared")
	}

	// One level down: the commune's page, its cells, the way back up.
	if wantHref := fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi?year=%d", phuTuc.ID, r.Year); href != wantHref {
		t.Fatalf("Phú Túc's link: %q, want %q", href, wantHref)
	}
	down := office.get(href)
	if down.Status != 200 {
		t.Fatalf("GET %s: %d", href, down.Status)
	}
	up := fmt.Sprintf(`<a href="/don-vi/%d/sinh-hoat/theo-don-vi?year=%d">`, district.ID, r.Year)
	if !strings.Contains(down.Body, up) {
		t.Errorf("the commune's page has no breadcrumb %s", up)
	}
	rc := rollup(phuTuc.ID, "")
	if len(rc.Children) == 0 {
		t.Fatal("Phú Túc has no child in the API's answer")
	}
	for _, c := range rc.Children {
		cellHref, got := drillRow(t, down.Body, c.UnitID)
		kind, wantBoxes := want(rc, c.UnitID)
		if d := cmp.Diff(wantBoxes, got); d != "" {
			t.Errorf("%s's boxes (-API +page):\n%s", c.Name, d)
		}
		if kind == "cell" {
			if w := fmt.Sprintf("/don-vi/%d/sinh-hoat", c.UnitID); cellHref != w {
				t.Errorf("cell %s links %q, want %q", c.Name, cellHref, w)
			} else if a := office.get(cellHref); a.Status != 200 {
				t.Errorf("GET %s: %d", cellHref, a.Status)
			}
			// A cell's own page: its one row is itself, the same boxes,
			// opening its meetings (its officer reaches it from the grid).
			own := office.get(fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", c.UnitID))
			if own.Status != 200 {
				t.Fatalf("cell %s's page: %d", c.Name, own.Status)
			}
			ownHref, ownBoxes := drillRow(t, own.Body, c.UnitID)
			if d := cmp.Diff(wantBoxes, ownBoxes); d != "" {
				t.Errorf("cell %s's own page (-API +page):\n%s", c.Name, d)
			}
			if ownHref != cellHref {
				t.Errorf("cell %s's own page links %q, want %q", c.Name, ownHref, cellHref)
			}
		}
	}

	// A month chosen: as many columns as the API's months up to it.
	asOf := office.get(fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi?year=%d&thang=2", district.ID, r.Year))
	if asOf.Status != 200 {
		t.Fatalf("up to February: %d", asOf.Status)
	}
	_, got = drillRow(t, asOf.Body, phuTuc.ID)
	_, wantBoxes = want(rollup(district.ID, fmt.Sprintf("&year=%d&as_of=%d-02", r.Year, r.Year)), phuTuc.ID)
	if d := cmp.Diff(wantBoxes, got); d != "" {
		t.Errorf("up to February, Phú Túc's boxes (-API +page):\n%s", d)
	}

	// Reach: the commune's committee reads its own commune, not the other
	// one; a cell's officer not the district; bad input is 4xx.
	danguy, bithu := m.uiSignIn(t, "danguy.phutuc"), m.uiSignIn(t, "bithu.phutuc")
	for _, c := range []struct {
		who  *uiClient
		name string
		path string
		want int // 0: any 4xx
	}{
		{danguy, "danguy.phutuc, own commune", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", phuTuc.ID), 200},
		{danguy, "danguy.phutuc, Châu Can", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", chauCan.ID), 404},
		{bithu, "bithu.phutuc, the district", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", district.ID), 404},
		{office, "a missing unit", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi", chauCan.ID+1_000_000), 404},
		{office, "month 13", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi?thang=13", district.ID), 0},
		{office, "year 99999", fmt.Sprintf("/don-vi/%d/sinh-hoat/theo-don-vi?year=99999", district.ID), 0},
	} {
		st := c.who.get(c.path).Status
		if (c.want != 0 && st != c.want) || (c.want == 0 && (st < 400 || st >= 500)) {
			t.Errorf("%s: GET %s: %d, want %v", c.name, c.path, st, map[bool]any{true: "4xx", false: c.want}[c.want == 0])
		}
	}
}
