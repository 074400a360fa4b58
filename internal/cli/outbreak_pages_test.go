package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/outbreak"
)

// The outbreak pages (internal/web/ui/outbreaks.go): the permission
// matrix's entries, the crawl's focus, the forms over HTTP and the
// browser journey of issue 14.

// outbreakPagePermEntries are the outbreak pages of the permission
// matrix: officers (down to the village's cell officer) open the list, the
// board and the foci of their subtree and post its forms; every signed-in
// account has its own shifts.
func outbreakPagePermEntries() map[string]permEntry {
	officers := []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc"}
	form := func(path, body string) permProbe {
		return permProbe{method: "POST", path: "/o-dich/{id}/" + path, obj: "outbreak", ctype: formType, body: body, allowed: allow(officers, 422)}
	}
	return map[string]permEntry{
		"GET /o-dich": signedIn(permProbe{method: "GET", path: "/o-dich", allowed: allow(officers, 200)}),
		"POST /o-dich": signedIn(permProbe{method: "POST", path: "/o-dich", obj: "unit", ctype: formType,
			body: "unit_id={id}&disease=sot_xuat_huyet&place=&opened_on=2026-01-01", allowed: allow(officers, 422)}),
		"GET /o-dich/bang":           signedIn(permProbe{method: "GET", path: "/o-dich/bang?unit={id}", obj: "unit", allowed: allow(officers, 200)}),
		"GET /o-dich/ca-truc":        signedIn(permProbe{method: "GET", path: "/o-dich/ca-truc", allowed: everyone(200)}),
		"GET /o-dich/{id}":           signedIn(permProbe{method: "GET", path: "/o-dich/{id}", obj: "outbreak", allowed: allow(officers, 200)}),
		"POST /o-dich/{id}/bao-cao":  signedIn(form("bao-cao", "on=2026-01-01&new_cases=-1")),
		"POST /o-dich/{id}/tai-cho":  signedIn(form("tai-cho", "means=x")),
		"POST /o-dich/{id}/ca-truc":  signedIn(form("ca-truc", "role=x&day=2026-01-01&from=07:00&to=08:00")),
		"POST /o-dich/{id}/kinh-phi": signedIn(form("kinh-phi", "amount=0&purpose=&needed_by=2026-01-01&to_unit_id=0")),
		"POST /o-dich/{id}/dong":     signedIn(form("dong", "reason=%07")),
		"POST /o-dich/ca-truc/{id}/xac-nhan": signedIn(permProbe{method: "POST", path: "/o-dich/ca-truc/999999999/xac-nhan", ctype: formType,
			allowed: everyone(404)}),
	}
}

// crawlOutbreak gives the crawl a focus to walk through: in dangvien's
// village, with a zone, a commander and a shift for dangvien tomorrow.
func crawlOutbreak(t *testing.T, m *Main) {
	t.Helper()
	w := newOutbreakWorld(t, m)
	ctx, sys := context.Background(), auth.SystemActor()
	now := m.App.Outbreaks.Now()
	f, err := m.App.Outbreaks.Open(ctx, sys, outbreak.OpenInput{UnitID: w.village, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú, xóm 3",
		OpenedOn: date.Today(now), Zone: json.RawMessage(phuTucZone)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.App.Outbreaks.SetOnSite(ctx, sys, f.ID, outbreak.OnSiteInput{Command: &outbreak.CommandInput{MemberID: w.mate, Phone: "0912 000 111"}}); err != nil {
		t.Fatal(err)
	}
	from := now.Add(24 * time.Hour).Truncate(time.Hour)
	if _, err := m.App.Outbreaks.AddDuties(ctx, sys, f.ID, []outbreak.DutyInput{{MemberID: w.dangvien, Role: "Diệt lăng quăng", From: from, To: from.Add(4 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
}

// phuTucZone is a village-sized zone in Phú Xuyên, as geojson.io exports it.
const phuTucZone = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
"coordinates":[[[105.8712,20.7301],[105.8768,20.7296],[105.8781,20.7342],[105.8733,20.7365],[105.8702,20.7338],[105.8712,20.7301]]]}}]}`

// TestOutbreakPages: the forms over HTTP: a zone refused by internal/geo
// is said in Vietnamese beside the field; a valid zone is previewed on the
// form shown again; the focus opens and shows its map; a line of means
// that does not read is named; a plain member meets 404s but has the page
// of their shifts.
func TestOutbreakPages(t *testing.T) {
	m := parallelDemo(t)
	w := newOutbreakWorld(t, m)
	c := m.uiSignIn(t, "danguy.phutuc")
	if a := c.get("/o-dich"); a.Status != 200 || !strings.Contains(a.Body, `id="ob-open"`) || !strings.Contains(a.Body, `<a href="/o-dich">`) {
		t.Fatalf("the list: %d, want the form and the navigation link", a.Status)
	}
	today := date.Today(m.App.Outbreaks.Now()).String()
	open := url.Values{"unit_id": {fmt.Sprint(w.village)}, "disease": {"sot_xuat_huyet"}, "place": {""}, "opened_on": {today},
		"zone": {`{"type":"Polygon","coordinates":[[[105.87,20.73],[105.88,20.74],[105.88,20.73],[105.87,20.74],[105.87,20.73]]]}`}}
	a := c.post("/o-dich", open)
	if a.Status != 422 || !strings.Contains(a.Body, "Vòng 1 tự cắt hoặc tự chạm: đoạn 1 gặp đoạn 3") {
		t.Errorf("a bow tie: %d, want 422 saying where it crosses\n%.2000s", a.Status, pageError(a.Body))
	}
	open.Set("zone", phuTucZone)
	a = c.post("/o-dich", open)
	if a.Status != 422 || !strings.Contains(a.Body, `<svg xmlns="http://www.w3.org/2000/svg"`) || !strings.Contains(a.Body, `class="focus preview"`) {
		t.Errorf("a valid zone, no place: %d, want 422 with the zone's preview", a.Status)
	}
	open.Set("place", "Thôn Đồng Phú, xóm 3")
	a = c.post("/o-dich", open)
	id := regexp.MustCompile(`^/o-dich/(\d+)$`).FindStringSubmatch(a.Location)
	if a.Status != http.StatusSeeOther || id == nil {
		t.Fatalf("open: %d %q, want 303 to the focus", a.Status, a.Location)
	}
	focus := "/o-dich/" + id[1]
	a = c.get(focus)
	if a.Status != 200 || !strings.Contains(a.Body, `<a href="`+focus+`"><title>Thôn Đồng Phú, xóm 3</title><path class="focus active"`) {
		t.Errorf("the focus page: %d, want its zone on the map, linked", a.Status)
	}
	if !strings.Contains(a.Body, "chưa có chỉ huy tại chỗ") {
		t.Errorf("the focus page does not say it has no commander")
	}
	a = c.post(focus+"/tai-cho", url.Values{"command": {fmt.Sprint(w.mate)}, "phone": {"0912 000 111"}, "means": {"Máy phun: 2\nHóa chất 40"}})
	if a.Status != 422 || !strings.Contains(a.Body, "Dòng 2: hãy viết") {
		t.Errorf("a means line without a quantity: %d, want 422 naming line 2", a.Status)
	}
	a = c.post(focus+"/tai-cho", url.Values{"command": {fmt.Sprint(w.mate)}, "phone": {"0912 000 111"}, "means": {"Máy phun: 2\nHóa chất (lít): 40"},
		"force_who": {fmt.Sprintf("u%d", w.village), ""}, "force_role": {"Chi bộ thôn", ""}, "force_count": {"12", ""}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("the four on-site: %d\n%s", a.Status, pageError(a.Body))
	}
	if a = c.get(focus); strings.Contains(a.Body, "chưa có chỉ huy tại chỗ") || !strings.Contains(a.Body, "Hóa chất (lít): 40") {
		t.Errorf("after the four on-site: still a gap, or the means are not shown")
	}
	dv := m.uiSignIn(t, "dangvien")
	for _, path := range []string{"/o-dich", focus, fmt.Sprintf("/o-dich/bang?unit=%d", w.district.ID)} {
		if a := dv.get(path); a.Status != 404 {
			t.Errorf("dangvien GET %s: %d, want 404", path, a.Status)
		}
	}
	if a := dv.get("/o-dich/ca-truc"); a.Status != 200 {
		t.Errorf("dangvien's shifts: %d", a.Status)
	}
	if a := c.get(fmt.Sprintf("/o-dich/bang?unit=%d", w.district.ID)); a.Status != 404 {
		t.Errorf("the commune reads the district's board: %d, want 404", a.Status)
	}
}

// pageError is the error notices of a page, for a failure's message.
func pageError(body string) string {
	var out []string
	for _, m := range regexp.MustCompile(`<p class="(?:notice )?error"[^>]*>([^<]*)<`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " | ")
}
