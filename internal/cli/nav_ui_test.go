package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestUINewsByClicking: the district office posts news through the form
// (a missing title is shown beside the field), features it (shown first on
// the news list and the handbook), edits it; a member comments and the
// office hides the comment; the member finds no edit form.
func TestUINewsByClicking(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	office, member := m.uiSignIn(t, "vanphong"), m.uiSignIn(t, "dangvien")

	if a := office.get("/tin-tuc"); a.Status != 200 || !strings.Contains(a.Body, `href="/tin-tuc/moi"`) {
		t.Fatalf("news list for the office: status %d, want a link to post news", a.Status)
	}
	if a := member.get("/tin-tuc"); strings.Contains(a.Body, `href="/tin-tuc/moi"`) {
		t.Errorf("news list for a member: a link to post news, want none")
	}
	form := office.get("/tin-tuc/moi")
	if form.Status != 200 || !strings.Contains(form.Body, fmt.Sprintf(`<option value="%d"`, p.District.ID)) {
		t.Fatalf("news form: status %d, want the district among the audiences", form.Status)
	}
	post := func(title string) uiAnswer {
		return office.post("/tin-tuc/moi", url.Values{"title": {title}, "category": {"Hoạt động chi bộ"}, "summary": {"Tóm tắt"},
			"body": {"Nội dung **tin**."}, "audience_unit_id": {fmt.Sprint(p.District.ID)}})
	}
	if a := post(""); a.Status != http.StatusUnprocessableEntity || !regexp.MustCompile(`(?s)id="f-title".*?<p class="error" id="e-title">Bắt buộc</p>`).MatchString(a.Body) {
		t.Errorf("news without a title: status %d, want 422 with «Bắt buộc» beside the title", a.Status)
	}
	a := post("Hội nghị sơ kết quý III")
	var id int64
	if _, err := fmt.Sscanf(a.Location, "/tin-tuc/%d", &id); a.Status != http.StatusSeeOther || err != nil {
		t.Fatalf("post news: status %d, location %q, want 303 to the news\n%s", a.Status, a.Location, a.Body)
	}
	news := fmt.Sprintf("/tin-tuc/%d", id)
	if pg := office.get(a.Location).Body; !strings.Contains(pg, `href="`+news+`/sua"`) || !strings.Contains(pg, `action="`+news+`/noi-bat"`) {
		t.Errorf("the news page for its publisher: want the edit link and the feature button")
	}
	if pg := member.get(news); pg.Status != 200 || strings.Contains(pg.Body, news+"/sua") || strings.Contains(pg.Body, news+"/noi-bat") {
		t.Errorf("the news page for a member: status %d, want it readable without edit or feature", pg.Status)
	}
	if st := member.get(news + "/sua").Status; st != 404 {
		t.Errorf("the edit form for a member: got %d, want 404", st)
	}
	if st := member.post(news+"/noi-bat", url.Values{"on": {"1"}}).Status; st != 404 {
		t.Errorf("featuring by a member: got %d, want 404", st)
	}

	// Feature it: first on the news list and the handbook.
	if a := office.post(news+"/noi-bat", url.Values{"on": {"1"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("feature: status %d, want 303", a.Status)
	}
	firstNews := func(page string) string {
		m := regexp.MustCompile(`<ul class="list news">\s*<li><a class="name" href="(/tin-tuc/\d+)"`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return m[1]
	}
	list := member.get("/tin-tuc").Body
	if got := firstNews(list); got != news || !strings.Contains(list, `id="h-featured"`) {
		t.Errorf("news list after featuring: first %q, want %q under «Tin nổi bật»", got, news)
	}
	if got := firstNews(member.get("/so-tay").Body); got != news {
		t.Errorf("handbook after featuring: first news %q, want %q", got, news)
	}

	// Edit it with the version the form was loaded from.
	edit := office.get(news + "/sua")
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(edit.Body)
	if edit.Status != 200 || version == nil || !strings.Contains(edit.Body, `name="featured" type="checkbox" value="1" checked`) {
		t.Fatalf("edit form: status %d, want a version and the featured box ticked", edit.Status)
	}
	if a := office.post(news+"/sua", url.Values{"title": {""}, "summary": {"x"}, "body": {"y"}, "featured": {"1"}, "version": {version[1]}}); a.Status != 422 || !strings.Contains(a.Body, `id="e-title"`) {
		t.Errorf("edit without a title: status %d, want 422 with the message beside the title", a.Status)
	}
	if a := office.post(news+"/sua", url.Values{"title": {"Hội nghị sơ kết quý III năm 2026"}, "summary": {"Tóm tắt"}, "body": {"Nội dung mới."},
		"featured": {"1"}, "version": {version[1]}}); a.Status != http.StatusSeeOther {
		t.Fatalf("edit: status %d, want 303\n%s", a.Status, a.Body)
	}
	if n, err := m.App.Docs.GetNews(context.Background(), auth.SystemActor(), id); err != nil || n.Title != "Hội nghị sơ kết quý III năm 2026" || !n.Featured {
		t.Errorf("after the edit: %+v, %v; want the new title, still featured", n, err)
	}

	// A member comments; the office hides the comment.
	c := member.post(news+"/binh-luan", url.Values{"body": {"Bình luận cần ẩn"}})
	cid := regexp.MustCompile(`#c(\d+)$`).FindStringSubmatch(c.Location)
	if c.Status != http.StatusSeeOther || cid == nil {
		t.Fatalf("comment: status %d, location %q", c.Status, c.Location)
	}
	hide := "/binh-luan/" + cid[1] + "/an"
	if !strings.Contains(office.get(news).Body, `action="`+hide+`"`) {
		t.Errorf("the news page for the office: no button to hide the comment")
	}
	if strings.Contains(member.get(news).Body, `action="`+hide+`"`) {
		t.Errorf("the news page for a member: a button to hide the comment, want none")
	}
	if a := office.post(hide, url.Values{}); a.Status != http.StatusSeeOther {
		t.Fatalf("hide: status %d, want 303", a.Status)
	}
	if strings.Contains(member.get(news).Body, "Bình luận cần ẩn") {
		t.Errorf("the hidden comment is still shown")
	}
}

// TestUIMemberExport: the member list offers the export of its current
// search and filter; the file is named after the unit and the day and
// holds only the members the list shows, with their cell's name. A member
// browsing their cell sees no export and gets 404 for it.
func TestUIMemberExport(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	ctx, sys := context.Background(), auth.SystemActor()
	office := m.uiSignIn(t, "vanphong")

	// Search Phú Túc for the given name of one of its members.
	words := strings.Fields(p.Inside.FullName)
	q := words[len(words)-1]
	all, err := m.App.Members.List(ctx, sys, member.ListInput{UnitID: p.PhuTuc.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	found, err := m.App.Members.List(ctx, sys, member.ListInput{UnitID: p.PhuTuc.ID, Q: q, Status: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, it := range found.Items {
		want = append(want, it.FullName+" | "+it.UnitName)
	}
	slices.Sort(want)
	if len(want) == 0 || len(want) >= all.Total {
		t.Fatalf("the search %q finds %d of %d members: want a strict subset", q, len(want), all.Total)
	}

	list := office.get(fmt.Sprintf("/don-vi/%d/dang-vien?q=%s&status=all", p.PhuTuc.ID, url.QueryEscape(q)))
	links := regexp.MustCompile(`href="(/don-vi/\d+/dang-vien/xuat[^"]*)"`).FindAllStringSubmatch(list.Body, -1)
	if list.Status != 200 || len(links) != 2 {
		t.Fatalf("member list: status %d, %d export links, want 2 (xlsx and csv)", list.Status, len(links))
	}
	today := date.Today(time.Now()).String()
	base := "dang-vien-dang-bo-xa-phu-tuc-" + today
	for _, tc := range []struct{ link, ext string }{{links[0][1], "xlsx"}, {links[1][1], "csv"}} {
		a := office.get(html.UnescapeString(tc.link))
		cd := a.Header.Get("Content-Disposition")
		if a.Status != 200 || !strings.Contains(cd, `filename="`+base+"."+tc.ext+`"`) || !strings.Contains(cd, `filename*=UTF-8''`+base+"."+tc.ext) {
			t.Errorf("export %s: status %d, Content-Disposition %q, want %s.%s", tc.ext, a.Status, cd, base, tc.ext)
			continue
		}
		var rows [][]string
		if tc.ext == "xlsx" {
			f, err := excelize.OpenReader(strings.NewReader(a.Body))
			if err != nil {
				t.Fatal(err)
			}
			rows, err = f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
		} else {
			rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix([]byte(a.Body), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
		}
		head := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Họ và tên" })
		if head < 0 {
			t.Fatalf("export %s: no header row", tc.ext)
		}
		name, cell := 0, slices.Index(rows[head], "Chi bộ")
		var got []string
		for _, r := range rows[head+1:] {
			if len(r) > cell && r[name] != "" {
				got = append(got, r[name]+" | "+r[cell])
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("export %s rows (name | cell):\ngot  %q\nwant %q", tc.ext, got, want)
		}
	}

	// A member browsing their cell: no export, and 404 for it.
	me := m.uiSignIn(t, "dangvien")
	mine := fmt.Sprintf("/don-vi/%d/dang-vien", p.MyCell.ID)
	if a := me.get(mine); a.Status != 200 || strings.Contains(a.Body, "/dang-vien/xuat") {
		t.Errorf("member list for a member: status %d, want it without the export", a.Status)
	}
	if st := me.get(mine + "/xuat").Status; st != 404 {
		t.Errorf("export by a member: got %d, want 404", st)
	}
}

// TestUIHeaderIdentity: every page's header links to the account page
// with the person's name; a member is greeted by their full name, an
// account without a member record by its user name.
func TestUIHeaderIdentity(t *testing.T) {
	m := parallelDemo(t)
	me := accountMember(t, m, "dangvien")
	for _, tc := range []struct{ user, name string }{{"dangvien", me.FullName}, {"admin", "admin"}} {
		c := m.uiSignIn(t, tc.user)
		for _, path := range []string{"/", "/so-tay", "/don-vi"} {
			a := c.get(path)
			header := regexp.MustCompile(`(?s)<header.*?</header>`).FindString(a.Body)
			if a.Status != 200 || !regexp.MustCompile(`<a class="user" href="/tai-khoan"[^>]*>.*`+regexp.QuoteMeta(tc.name)+`</a>`).MatchString(header) {
				t.Errorf("%s %s: status %d, header without the account link named %q:\n%s", tc.user, path, a.Status, tc.name, header)
			}
		}
		if h1 := regexp.MustCompile(`<h1>(.*?)</h1>`).FindStringSubmatch(c.get("/").Body); h1 == nil || h1[1] != "Xin chào, "+tc.name {
			t.Errorf("%s home greeting: got %q, want «Xin chào, %s»", tc.user, h1, tc.name)
		}
	}
}

// navPermEntries are the permission-matrix entries of the news forms and
// the member list's export.
func navPermEntries() map[string]permEntry {
	one := signedIn
	return map[string]permEntry{
		"GET /tin-tuc/moi": one(permProbe{method: "GET", path: "/tin-tuc/moi", allowed: allow(permPublishNews, 200)}),
		// The audience unit is reached before the empty title is refused.
		"POST /tin-tuc/moi": one(permProbe{method: "POST", path: "/tin-tuc/moi", obj: "unit", ctype: formType,
			body: "title=&category=Tin&audience_unit_id={id}", allowed: allow(permPublishNews, 422)}),
		"GET /tin-tuc/{id}/sua": one(permProbe{method: "GET", path: "/tin-tuc/{id}/sua", obj: "news", allowed: allow(permPublishNews, 200)}),
		"POST /tin-tuc/{id}/sua": one(permProbe{method: "POST", path: "/tin-tuc/{id}/sua", obj: "news", ctype: formType,
			body: "title=", allowed: allow(permPublishNews, 422)}),
		"POST /tin-tuc/{id}/noi-bat": one(permProbe{method: "POST", path: "/tin-tuc/{id}/noi-bat", obj: "news", ctype: formType,
			body: "on=0", allowed: allow(permPublishNews, 303)}),
		"GET /don-vi/{id}/dang-vien/xuat": one(permProbe{method: "GET", path: "/don-vi/{id}/dang-vien/xuat?format=csv", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
	}
}

// TestUIPublishFormFillsTheIssuer: the publishing form fills in the
// symbol of the body that publishes (the district committee: HU; a
// commune's party committee: ĐU), which the clerk may still change.
func TestUIPublishFormFillsTheIssuer(t *testing.T) {
	m := parallelDemo(t)
	for user, want := range map[string]string{"vanphong": "HU", "danguy.phutuc": "ĐU"} {
		a := m.uiSignIn(t, user).get("/van-ban/moi")
		if a.Status != 200 || !strings.Contains(a.Body, `name="issuer_code" type="text" value="`+want+`"`) {
			t.Errorf("%s: the publishing form (%d) does not fill in the issuer code %s", user, a.Status, want)
		}
	}
}
