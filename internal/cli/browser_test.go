package cli

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// uiClient is a browser stand-in for the HTML pages: a cookie jar, and no
// automatic redirects, so that tests see each 303.
type uiClient struct {
	t    testing.TB
	base string
	http *http.Client
}

// uiAnswer is a page as the client received it.
type uiAnswer struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (m *Main) uiClient(t testing.TB) *uiClient {
	jar, _ := cookiejar.New(nil)
	return &uiClient{t: t, base: "http://" + m.Addr, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// uiSignIn signs in through the form, as a person would.
func (m *Main) uiSignIn(t testing.TB, username string) *uiClient {
	t.Helper()
	c := m.uiClient(t)
	a := c.post("/dang-nhap", url.Values{"username": {username}, "password": {demoPassword()}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("sign in %s through the form: status %d", username, a.Status)
	}
	return c
}

func (c *uiClient) get(path string) uiAnswer {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.send(req)
}

func (c *uiClient) post(path string, form url.Values) uiAnswer {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

// upload posts a file as the import form does.
func (c *uiClient) upload(path, filename, content string, fields url.Values) uiAnswer {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	io.WriteString(fw, content)
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

func (c *uiClient) send(req *http.Request) uiAnswer {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return uiAnswer{Status: resp.StatusCode, Body: string(b), Location: resp.Header.Get("Location"), Header: resp.Header}
}

// demoPlaces are the units and members the UI tests walk through.
type demoPlaces struct {
	District, PhuTuc *org.Unit
	// Cell is a cell of Phú Túc; Inside is a member of it, Outside a
	// member of the district outside Phú Túc.
	Cell            *org.Unit
	Inside, Outside member.Member
	// MyCell is the cell of the dangvien account, Mate another member there.
	MyCell *org.Unit
	Mate   member.Member
}

func findDemoPlaces(t testing.TB, m *Main) demoPlaces {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	var p demoPlaces
	var err error
	if p.District, err = m.App.Org.Resolve(ctx, sys, "HN.PX"); err != nil {
		t.Fatal(err)
	}
	p.PhuTuc = childNamed(t, m, p.District.ID, "Đảng bộ xã Phú Túc")
	in, err := m.App.Members.List(ctx, sys, member.ListInput{UnitID: p.PhuTuc.ID, Limit: 1})
	if err != nil || len(in.Items) == 0 {
		t.Fatalf("members of Phú Túc: %v", err)
	}
	p.Inside = in.Items[0].Member
	if p.Cell, err = m.App.Org.Get(ctx, sys, p.Inside.UnitID); err != nil {
		t.Fatal(err)
	}
	all, err := m.App.Members.List(ctx, sys, member.ListInput{UnitID: p.District.ID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all.Items {
		if _, path, _ := m.App.Members.Store.Member(ctx, it.ID); !strings.HasPrefix(path, p.PhuTuc.Path) {
			p.Outside = it.Member
			break
		}
	}
	me := accountMember(t, m, "dangvien")
	if p.MyCell, err = m.App.Org.Get(ctx, sys, me.UnitID); err != nil {
		t.Fatal(err)
	}
	mates, err := m.App.Members.List(ctx, sys, member.ListInput{UnitID: me.UnitID, Limit: 2})
	if err != nil || len(mates.Items) < 2 {
		t.Fatalf("members of the dangvien cell: %v", err)
	}
	p.Mate = mates.Items[0].Member
	if p.Mate.ID == me.ID {
		p.Mate = mates.Items[1].Member
	}
	return p
}

func childNamed(t testing.TB, m *Main, parent int64, name string) *org.Unit {
	t.Helper()
	kids, err := m.App.Org.Children(context.Background(), auth.SystemActor(), parent)
	if err != nil {
		t.Fatal(err)
	}
	for i := range kids {
		if kids[i].Name == name {
			return &kids[i]
		}
	}
	t.Fatalf("no unit %q under %d", name, parent)
	return nil
}

// TestUIPages signs in through the form as each demo role and checks what
// each page shows, and what it must not show.
func TestUIPages(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	mate, myCell := p.Mate, p.MyCell.ID
	district, phuTuc, cell := p.District.ID, p.PhuTuc.ID, p.Cell.ID
	cases := []struct {
		user   string
		path   string
		status int
		want   []string
		never  []string
	}{
		{"vanphong", "/", 200, []string{`<html lang="vi">`, "Huyện ủy Phú Xuyên", "Đăng xuất", "vanphong"}, nil},
		{"vanphong", "/don-vi", 200, []string{"Huyện ủy Phú Xuyên", "58 đơn vị trực thuộc"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d", district), 200, []string{"Thống kê", "Theo trạng thái", "Theo giới tính", "Theo độ tuổi",
			"Đảng viên chính thức", "<svg", "Đảng bộ xã Phú Túc", "Danh sách đảng viên", "Nhập danh sách từ tệp"}, []string{"style="}},
		{"vanphong", fmt.Sprintf("/don-vi/%d?as_of=2020-01-01", district), 200, []string{"Số liệu ngày 01/01/2020"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d?as_of=tomorrow", district), 200, []string{`id="as_of-error"`, "Ngày không hợp lệ"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d", phuTuc), 200, []string{"Huyện ủy Phú Xuyên", "Đảng bộ cơ sở", "Chi bộ"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d", cell), 200, []string{"Loại hình chi bộ", "Thêm đảng viên"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d/dang-vien", district), 200, []string{"đảng viên", "Trang sau", "Đang sinh hoạt"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d/dang-vien?status=deceased", district), 200, []string{"Từ trần"}, []string{"st-full"}},
		{"vanphong", fmt.Sprintf("/dang-vien/%d", p.Inside.ID), 200, []string{p.Inside.FullName, "Số CCCD", "Sửa", p.Inside.BirthDate.VN()}, nil},
		{"vanphong", fmt.Sprintf("/dang-vien/%d/sua", p.Inside.ID), 200, []string{`name="version"`, `type="date"`, p.Inside.BirthDate.String()}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d/nhap-dang-vien", phuTuc), 200, []string{"Kiểm tra trước", "checked", "format=xlsx", "format=csv"}, nil},
		{"vanphong", fmt.Sprintf("/don-vi/%d/dang-vien/moi", cell), 200, []string{"Thêm đảng viên", "Họ và tên"}, []string{`name="version"`}},
		{"vanphong", fmt.Sprintf("/don-vi/%d/dang-vien/moi", phuTuc), 404, []string{"Không tìm thấy"}, nil},
		{"vanphong", "/dang-vien/999999999", 404, []string{"Không tìm thấy"}, nil},
		{"vanphong", "/khong-co-trang-nay", 404, []string{"Không tìm thấy", `<html lang="vi">`}, nil},
		{"btv", fmt.Sprintf("/dang-vien/%d", p.Inside.ID), 200, []string{p.Inside.FullName, "Số CCCD"}, []string{"/sua"}},
		{"btv", fmt.Sprintf("/dang-vien/%d/sua", p.Inside.ID), 404, nil, nil},
		{"btv", fmt.Sprintf("/don-vi/%d/nhap-dang-vien", district), 404, nil, nil},
		{"btv", fmt.Sprintf("/don-vi/%d", district), 200, []string{"Thống kê"}, []string{"Nhập danh sách", "Thêm đảng viên"}},
		{"danguy.phutuc", fmt.Sprintf("/dang-vien/%d", p.Outside.ID), 404, []string{"Không tìm thấy"}, []string{p.Outside.FullName}},
		{"danguy.phutuc", fmt.Sprintf("/dang-vien/%d/sua", p.Outside.ID), 404, nil, nil},
		{"danguy.phutuc", fmt.Sprintf("/don-vi/%d", district), 404, nil, nil},
		{"danguy.phutuc", fmt.Sprintf("/dang-vien/%d", p.Inside.ID), 200, []string{p.Inside.FullName, "Sửa"}, nil},
		{"danguy.phutuc", fmt.Sprintf("/don-vi/%d", phuTuc), 200, []string{"Thống kê"}, []string{"Huyện ủy Phú Xuyên"}},
		{"dangvien", "/", 200, []string{"Hồ sơ đảng viên của tôi"}, nil},
		// No card numbers, no birth dates ("· Sinh 01/02/1980"; the
		// navigation's "Sinh hoạt" is the cell meetings).
		{"dangvien", fmt.Sprintf("/don-vi/%d/dang-vien", myCell), 200, []string{"thông tin chung", mate.FullName}, []string{"Thẻ ", "· Sinh "}},
		{"dangvien", fmt.Sprintf("/dang-vien/%d", mate.ID), 200, []string{mate.FullName, "thông tin chung"}, []string{"Số CCCD", "Ngày sinh", "/sua"}},
		{"dangvien", fmt.Sprintf("/don-vi/%d", myCell), 200, []string{"Danh sách đảng viên"}, []string{"Thống kê", "Nhập danh sách"}},
		{"dangvien", fmt.Sprintf("/don-vi/%d/dang-vien", phuTuc), 404, nil, nil},
	}
	clients := map[string]*uiClient{}
	for _, c := range cases {
		t.Run(c.user+c.path, func(t *testing.T) {
			cl, ok := clients[c.user]
			if !ok {
				cl = m.uiSignIn(t, c.user)
				clients[c.user] = cl
			}
			cl.t = t
			a := cl.get(c.path)
			if a.Status != c.status {
				t.Fatalf("status %d, want %d", a.Status, c.status)
			}
			for _, w := range c.want {
				if !strings.Contains(a.Body, w) {
					t.Errorf("the page does not show %q", w)
				}
			}
			for _, n := range c.never {
				if strings.Contains(a.Body, n) {
					t.Errorf("the page shows %q", n)
				}
			}
		})
	}
}

// TestUISignIn checks the form, redirects and the language switch.
func TestUISignIn(t *testing.T) {
	m := parallelDemo(t)
	c := m.uiClient(t)
	if a := c.get("/"); a.Status != 303 || a.Location != "/dang-nhap" {
		t.Errorf("anonymous /: %d to %q, want 303 to /dang-nhap", a.Status, a.Location)
	}
	if a := c.get("/don-vi"); a.Status != 303 || a.Location != "/dang-nhap?next=%2Fdon-vi" {
		t.Errorf("anonymous /don-vi: %d to %q", a.Status, a.Location)
	}
	wrong := c.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {"not the password"}})
	unknown := c.post("/dang-nhap", url.Values{"username": {"nobody"}, "password": {"not the password"}})
	if wrong.Status != 401 || unknown.Status != 401 {
		t.Errorf("wrong password: %d, unknown user: %d, want 401", wrong.Status, unknown.Status)
	}
	msg := "Sai tên đăng nhập hoặc mật khẩu."
	if !strings.Contains(wrong.Body, msg) || !strings.Contains(unknown.Body, msg) {
		t.Errorf("both failures must say %q", msg)
	}
	if !strings.Contains(unknown.Body, `value="nobody"`) {
		t.Error("the user name typed is not kept")
	}
	for next, want := range map[string]string{"/don-vi": "/don-vi", "//evil.example/": "/", "https://evil.example/": "/"} {
		a := m.uiClient(t).post("/dang-nhap", url.Values{"username": {"admin"}, "password": {demoPassword()}, "next": {next}})
		if a.Status != 303 || a.Location != want {
			t.Errorf("next=%s: %d to %q, want 303 to %q", next, a.Status, a.Location, want)
		}
	}
	c = m.uiSignIn(t, "admin")
	if a := c.get("/ngon-ngu?lang=en&next=/don-vi"); a.Status != 303 || a.Location != "/don-vi" {
		t.Errorf("language switch: %d to %q", a.Status, a.Location)
	}
	if a := c.get("/don-vi"); !strings.Contains(a.Body, `<html lang="en">`) || !strings.Contains(a.Body, "Sign out") {
		t.Error("the page is not in English after switching")
	}
	if a := c.get("/ngon-ngu?lang=vi&next=//evil.example"); a.Location != "/" {
		t.Errorf("language switch to another site: to %q", a.Location)
	}
	if a := c.post("/dang-xuat", nil); a.Status != 303 || a.Location != "/dang-nhap" {
		t.Errorf("sign out: %d to %q", a.Status, a.Location)
	}
	if a := c.get("/don-vi"); a.Status != 303 {
		t.Errorf("after sign out: %d, want 303 to the sign-in page", a.Status)
	}
}

// TestUIRoutesNeedSignIn walks every registered page that is not public
// and checks that a visitor is sent to the sign-in page.
func TestUIRoutesNeedSignIn(t *testing.T) {
	m := parallelDemo(t)
	c := m.uiClient(t)
	n := 0
	for _, r := range m.App.Web.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if r.Policy == "public" || strings.HasPrefix(path, "/api/") {
			continue
		}
		path = strings.ReplaceAll(path, "{id}", "1")
		var a uiAnswer
		if method == "POST" {
			a = c.post(path, url.Values{})
		} else {
			a = c.get(path)
		}
		if a.Status != 303 || !strings.HasPrefix(a.Location, "/dang-nhap?next=") {
			t.Errorf("%s: anonymous %s answers %d to %q, want 303 to the sign-in page", r.Pattern, method, a.Status, a.Location)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d signed-in pages registered", n)
	}
}

// TestUIStatic checks the hashed stylesheet: long cache, compression.
func TestUIStatic(t *testing.T) {
	m := parallelDemo(t)
	c := m.uiClient(t)
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(c.get("/dang-nhap").Body)
	if css == nil {
		t.Fatal("the page links no hashed stylesheet")
	}
	a := c.get(css[1])
	if a.Status != 200 || !strings.Contains(a.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %q %q", a.Status, a.Header.Get("Content-Type"), a.Header.Get("Cache-Control"))
	}
	if !strings.Contains(a.Body, "system-ui") {
		t.Error("the stylesheet was not decompressed to CSS")
	}
	if a := c.get("/static/app.0000000000.css"); a.Status != 404 {
		t.Errorf("an old stylesheet name: %d, want 404", a.Status)
	}
}

// TestUISearch checks that typing without diacritics finds names with them.
func TestUISearch(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	c := m.uiSignIn(t, "vanphong")
	a := c.get(fmt.Sprintf("/don-vi/%d/dang-vien?q=nguyen+van", p.District.ID))
	names := regexp.MustCompile(`class="name" href="/dang-vien/\d+">([^<]+)<`).FindAllStringSubmatch(a.Body, -1)
	if a.Status != 200 || len(names) == 0 {
		t.Fatalf("q=nguyen van: status %d, %d names", a.Status, len(names))
	}
	for _, n := range names {
		if !strings.Contains(viet.Fold(n[1]), "nguyen van") {
			t.Errorf("q=nguyen van found %q", n[1])
		}
	}
	if !strings.Contains(a.Body, "Nguyễn Văn") {
		t.Error("no name with Nguyễn Văn")
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(a.Body)
	if next == nil {
		t.Fatal("no next page link")
	}
	b := c.get(html.UnescapeString(next[1]))
	if b.Status != 200 || !strings.Contains(b.Body, `value="nguyen van"`) || !strings.Contains(b.Body, "Trang đầu") {
		t.Errorf("next page: %d, the search is not kept", b.Status)
	}
}

// TestUIMemberEdit checks validation beside the fields, a stale version,
// and creating a record.
func TestUIMemberEdit(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	c := m.uiSignIn(t, "danguy.phutuc")
	edit := fmt.Sprintf("/dang-vien/%d/sua", p.Inside.ID)
	form := memberForm(p.Inside)
	form.Set("phone", "12345")
	form.Set("birth_date", "31/02/1980")
	a := c.post(edit, form)
	if a.Status != 422 {
		t.Fatalf("invalid edit: status %d, want 422", a.Status)
	}
	for field, msg := range map[string]string{"phone": "Không phải số điện thoại Việt Nam", "birth_date": "Ngày không hợp lệ"} {
		if !regexp.MustCompile(`id="f-` + field + `"[^>]*aria-invalid="true"[^>]*>\s*<p class="error" id="e-` + field + `">` + msg).MatchString(a.Body) {
			t.Errorf("no message %q beside %s", msg, field)
		}
	}
	if !strings.Contains(a.Body, `value="12345"`) {
		t.Error("the phone number typed is not kept")
	}

	form = memberForm(p.Inside)
	form.Set("phone", "0912 000 111")
	form.Set("birth_date", p.Inside.BirthDate.VN()) // dd/mm/yyyy is accepted too
	if a := c.post(edit, form); a.Status != 303 || a.Location != fmt.Sprintf("/dang-vien/%d", p.Inside.ID) {
		t.Fatalf("edit: %d to %q, want 303 to the member page", a.Status, a.Location)
	}
	if a := c.get(fmt.Sprintf("/dang-vien/%d", p.Inside.ID)); !strings.Contains(a.Body, "0912000111") {
		t.Error("the member page does not show the new phone number")
	}
	form.Set("position", "Chi ủy viên") // the same old version again
	a = c.post(edit, form)
	if a.Status != 409 || !strings.Contains(a.Body, "Hồ sơ đã được người khác sửa") || !strings.Contains(a.Body, `value="Chi ủy viên"`) {
		t.Errorf("stale edit: status %d, want 409 with the conflict message and the input kept", a.Status)
	}

	create := fmt.Sprintf("/don-vi/%d/dang-vien/moi", p.Cell.ID)
	a = c.post(create, url.Values{"full_name": {"Lê Thị Thử"}, "gender": {"female"}, "birth_date": {"1990-03-04"}, "admitted_on": {"20/05/2020"}})
	if a.Status != 303 || !strings.HasPrefix(a.Location, "/dang-vien/") {
		t.Fatalf("create: %d to %q", a.Status, a.Location)
	}
	if b := c.get(a.Location); !strings.Contains(b.Body, "Lê Thị Thử") || !strings.Contains(b.Body, "Đảng viên dự bị") {
		t.Error("the new member page does not show the record")
	}
	if a := c.post(create, url.Values{"full_name": {""}}); a.Status != 422 || !strings.Contains(a.Body, `id="e-full_name"`) {
		t.Errorf("empty create: %d, want 422 with the error beside the name", a.Status)
	}
}

// memberForm is the edit form of m as the browser sends it unchanged.
func memberForm(m member.Member) url.Values {
	return url.Values{"version": {fmt.Sprint(m.Version)}, "full_name": {m.FullName}, "gender": {string(m.Gender)},
		"birth_date": {m.BirthDate.String()}, "position": {m.Position}, "card_no": {m.CardNo}, "biography_no": {m.BiographyNo},
		"citizen_id": {m.CitizenID}, "phone": {m.Phone}, "email": {m.Email}, "admitted_on": {m.AdmittedOn.String()},
		"full_on": {m.FullOn.String()}}
}

// TestUIImport uploads a list: first a dry run, then for real.
func TestUIImport(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	c := m.uiSignIn(t, "vanphong")
	path := fmt.Sprintf("/don-vi/%d/nhap-dang-vien", p.Cell.ID)
	good := "Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng\nPhạm Văn Nhập,Nam,01/02/1985,03/04/2015\n"
	a := c.upload(path, "ds.csv", good, url.Values{"dry_run": {"1"}})
	if a.Status != 200 || !strings.Contains(a.Body, "Tệp hợp lệ") || !strings.Contains(a.Body, "Sẽ thêm mới") {
		t.Fatalf("dry run: %d", a.Status)
	}
	if l, _ := m.App.Members.List(context.Background(), auth.SystemActor(), member.ListInput{UnitID: p.Cell.ID, Q: "pham van nhap"}); l.Total != 0 {
		t.Fatal("a dry run wrote the record")
	}
	if a := c.upload(path, "ds.csv", good, nil); a.Status != 200 || !strings.Contains(a.Body, "Đã nhập xong") {
		t.Fatalf("import: %d", a.Status)
	}
	if l, _ := m.App.Members.List(context.Background(), auth.SystemActor(), member.ListInput{UnitID: p.Cell.ID, Q: "pham van nhap"}); l.Total != 1 {
		t.Errorf("after the import: %d records of Phạm Văn Nhập, want 1", l.Total)
	}
	bad := "Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng\nTrần Văn Lỗi,X,32/13/1990,03/04/2015\n"
	a = c.upload(path, "ds.csv", bad, nil)
	if a.Status != 422 || !strings.Contains(a.Body, "chưa ghi dòng nào") || !strings.Contains(a.Body, "<td>Giới tính</td>") {
		t.Errorf("import with errors: %d, want 422 with the errors by row and column", a.Status)
	}
	if a := c.upload(path, "ds.csv", "not,a,member,list\n1,2,3,4\n", url.Values{"dry_run": {"1"}}); a.Status != 422 || !strings.Contains(a.Body, "Không thấy dòng tiêu đề") {
		t.Errorf("a file without the header: %d", a.Status)
	}
}

// chromiumPath finds a Chromium to drive, or skips the test: the one
// SOTAY_CHROMIUM names, else the first of chromiumPaths installed.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser journey: skipped with -short")
	}
	for _, p := range append([]string{os.Getenv("SOTAY_CHROMIUM")}, chromiumPaths...) {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("SOTAY_REQUIRE_BROWSER") != "" {
		t.Fatalf("SOTAY_REQUIRE_BROWSER is set but no Chromium was found (SOTAY_CHROMIUM, %s)", strings.Join(chromiumPaths, ", "))
	}
	t.Skipf("browser journey: no Chromium at %s; set SOTAY_CHROMIUM to its path", strings.Join(chromiumPaths, " or "))
	return ""
}

// chromiumPaths are where the tests look for Chromium when SOTAY_CHROMIUM
// is unset, the one they prefer first: Debian's chromium-headless-shell
// (the "old" headless Chromium: the same Blink and V8 as the desktop
// chromium, without the desktop browser around them), then the desktop
// chromium. The pages' HTML, CSS, scripts, service workers and
// Content-Security-Policy run in the same renderer either way; the shell
// saves the desktop browser process's own work, which the DevTools traffic
// does not explain (a journey's is 1,000 messages, the crawl's 9,300). The
// 14 browser tests together, alternated runs at load 15-29: 94.1, 80.7
// and 90.9 s of CPU with /usr/bin/chromium (its browser process 28-33 s),
// 52.7, 58.5 and 58.4 s with the shell (its browser process 11-12 s);
// docs/benchmarks.md, r21-chrome.
var chromiumPaths = []string{"/usr/bin/chromium-headless-shell", "/usr/bin/chromium"}

// TestBrowserJourney drives headless Chromium through the pages on a
// 390-pixel-wide screen: an office clerk signs in, finds a member by a name
// typed without diacritics, and changes the phone number.
func TestBrowserJourney(t *testing.T) {
	exe, m := browserDemo(t)
	p := findDemoPlaces(t, m)
	target := p.Inside
	ctx, problems := openTab(t, exe, pageErrors, 90*time.Second)
	base := "http://" + m.Addr
	shot := screenshotter(t, "")
	query := viet.Fold(target.FullName)
	newPhone := "0977123456"
	record := fmt.Sprintf("/dang-vien/%d", target.ID)
	err := chromedp.Do(ctx,
		// A phone: headless windows are at least 500 pixels wide.
		phone(),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css("#username")),
		shot("1-signin"),
		typeText(css("#username"), "vanphong"),
		typeText(css("#password"), demoPassword()),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.Click(css(`main a[href="/don-vi/%d"]`, p.District.ID)),
		chromedp.WaitVisible(css("table.chart")),
		shot("2-district"),
		chromedp.Click(css(`a[href="/don-vi/%d/dang-vien"]`, p.District.ID)),
		chromedp.WaitVisible(css("#q")),
		typeText(css("#q"), query),
		chromedp.Submit(css("#q")),
		// The answer carries the query in the value attribute of the box.
		chromedp.WaitVisible(css(`#q[value="%s"]`, query)),
		shot("3-search"),
		chromedp.Click(css(`a[href="%s"]`, record)),
		chromedp.WaitVisible(css(`a[href="%s/sua"]`, record)),
		shot("4-member"),
		chromedp.Click(css(`a[href="%s/sua"]`, record)),
		chromedp.WaitVisible(css("#f-phone")),
		chromedp.Clear(css("#f-phone")),
		typeText(css("#f-phone"), "12"),
		chromedp.Click(css("form.form button[type=submit]")),
		chromedp.WaitVisible(css("#e-phone")),
		shot("5-edit-error"),
		chromedp.Clear(css("#f-phone")),
		typeText(css("#f-phone"), newPhone),
		chromedp.Click(css("form.form button[type=submit]")),
		chromedp.WaitVisible(css(`a[href="tel:%s"]`, newPhone)),
		shot("6-saved"),
	)
	if err != nil {
		t.Fatalf("journey: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(css("dl.facts")))
	if err != nil || !strings.Contains(shown, newPhone) {
		t.Errorf("the member page shows %q (%v), not the new phone number", shown, err)
	}
	got, _, err := m.App.Members.Store.Member(context.Background(), target.ID)
	if err != nil || got.Phone != newPhone {
		t.Errorf("stored phone = %q (%v), want %s", got.Phone, err, newPhone)
	}
	checkPageErrors(t, problems)
}

// startChromium gives the test a tab in a browser context of its own (as a
// fresh incognito profile: its own cookies, storage and service workers),
// in one headless Chromium that the test binary starts on first use and
// shares, since starting Chromium costs seconds.
func startChromium(t *testing.T, exe string) context.Context {
	t.Helper()
	chromium.once.Do(func() {
		dir, err := os.MkdirTemp("", "sotay-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(exe, dir)...)
		ctx, cancel := chromedp.NewContext(alloc)
		chromium.ctx = ctx
		chromium.stop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
		chromium.err = chromedp.Do(ctx) // starts the browser
	})
	if chromium.err != nil {
		t.Fatalf("start Chromium: %v", chromium.err)
	}
	chromium.slots <- struct{}{}
	ctx, cancel := chromedp.NewContext(chromium.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancel(); <-chromium.slots })
	return ctx
}

// chromiumOptions are how the tests start Chromium at exe with the
// profile in dir, and extra options: headless, with what a test browser
// does not need turned off (chromiumOff, and the switches below).
func chromiumOptions(exe, dir string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", strings.Join(chromiumOff, ",")),
		chromedp.UserDataDir(dir),
	}
	for _, name := range chromiumSwitchesOff {
		opts = append(opts, chromedp.Flag(name, true))
	}
	return append(opts, extra...)
}

// chromiumOff are the Chromium features the tests turn off.
//
// Headless Chromium (156) keeps for every window the omnibox popup drawn
// as a web page (chrome://omnibox-popup.top-chrome/ and its AI mode page),
// in a renderer of its own that cost as much CPU as the journey's own
// pages (TestBrowserJourney with TestBrowserAdminJourney: 1.4 s against
// 1.6 s): a headless window has no address bar to type in, and no page the
// tests open can reach it.
//
// Site isolation (site-per-process, IsolateOrigins, with
// --disable-site-isolation-trials in chromiumSwitchesOff): every page a
// test opens is of one site, its own server on 127.0.0.1, yet with it on
// Chromium started a new renderer process for most navigations: 178 and
// 208 renderers for the 14 browser tests run together, 21 to 24 with it
// off. Isolation keeps one site's pages out of another's process; the
// tests open no page of a second site, and what they check (the pages'
// scripts under the Content-Security-Policy, the layout, the text) is the
// page's, not the process model's. The spare renderer Chromium keeps warm
// for the next site goes with it (SpareRendererForSitePerProcess).
//
// The others are services the tests never use, which may act on a page
// load or in the background: page translation, optimisation hints, the
// media router and its DIAL discovery, the autofill server, the
// certificate transparency list's updates.
//
// The browser tests together (-test.run '^TestBrowser': the test binary,
// its servers and every Chromium process), alternated runs at load 10–39:
// 95.5, 91.1 and 92.3 s of CPU before, 78.1, 80.9 and 84.6 s with these
// and chromiumSwitchesOff; site isolation alone off, 83.8 s (one run).
// docs/benchmarks.md, r20-browser.
var chromiumOff = []string{
	"WebUIOmniboxPopup", "WebUIOmniboxAimPopup",
	"site-per-process", "IsolateOrigins", "SpareRendererForSitePerProcess",
	"Translate", "OptimizationHints", "MediaRouter", "DialMediaRouteProvider",
	"AutofillServerCommunication", "CertificateTransparencyComponentUpdater",
}

// chromiumSwitchesOff are the switches that turn off, with chromiumOff,
// what a test browser does not need: site isolation's field trials, the
// extensions (Debian's /usr/bin/chromium passes --enable-remote-extensions,
// which keeps them on), the crash reporter and its handler processes, the
// default apps, the client-side phishing detection, the domain
// reliability and ping reports, and the metrics upload (recorded, never
// sent).
var chromiumSwitchesOff = []string{
	"disable-site-isolation-trials", "disable-extensions", "disable-breakpad", "disable-crash-reporter",
	"disable-default-apps", "disable-client-side-phishing-detection", "disable-domain-reliability",
	"no-pings", "metrics-recording-only",
}

// browserLimit bounds a browser test's steps: d, or until shortly before
// the test binary's own deadline (go test -timeout) when that is later. The
// bound only stops a hung browser; the journeys take seconds to a minute on
// a quiet machine, but under a heavy load (other tests and other work on
// the two cores) a fixed two minutes were not always enough, and a test
// must not fail for being slow.
func browserLimit(t *testing.T, d time.Duration) time.Duration {
	if dl, ok := t.Deadline(); ok && time.Until(dl)-30*time.Second > d {
		return time.Until(dl) - 30*time.Second
	}
	return d
}

// browserTabs is how many tests drive the shared Chromium at once; the
// others wait in startChromium (before their own time limits start).
// The package runs up to testParallel tests at once: without this bound,
// six or more journeys would share the two cores with their servers.
// Three, not two (session 11): a journey waits more than it computes (a
// DevTools round trip per step, the pages' own timers: the conference
// queue's 5-second flush, the minutes' autosave), and a browser test
// waiting for a tab holds one of the package's parallel slots; with the
// typing and the omnibox popup's renderer gone, three tabs shortened the
// browser tests together and the package (docs/benchmarks.md, branch
// r16-browser).
const browserTabs = 3

// chromium is the browser the tests share; TestMain stops it.
var chromium = struct {
	once  sync.Once
	slots chan struct{}
	ctx   context.Context
	stop  func()
	err   error
}{slots: make(chan struct{}, browserTabs)}

// pageErrors starts the browser and collects what the pages log as errors,
// such as a CSP violation or a script exception.
func pageErrors(t *testing.T, ctx context.Context) func() []string {
	return collectErrors(t, ctx, func(e *cdplog.Entry) (string, bool) {
		// The invalid save of the journey answers 422 on purpose.
		expected := e.Source == cdplog.EntrySourceNetwork && strings.HasSuffix(e.URL, "/sua")
		return e.Text, e.Level == cdplog.EntryLevelError && !expected
	})
}

// collectErrors collects the script exceptions and the log entries that
// keep says to keep, as it words them.
func collectErrors(t *testing.T, ctx context.Context, keep func(*cdplog.Entry) (string, bool)) func() []string {
	var mu sync.Mutex
	var errs []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if text, ok := keep(ev.Entry); ok {
				errs = append(errs, text)
			}
		case *runtime.EventExceptionThrown:
			errs = append(errs, ev.ExceptionDetails.Text)
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// checkPageErrors fails the test when the pages logged errors.
func checkPageErrors(t *testing.T, problems func() []string) {
	t.Helper()
	if errs := problems(); len(errs) > 0 {
		t.Errorf("the pages logged errors (a CSP violation?): %v", errs)
	}
}

// screenshotter answers an action that saves a full-page screenshot as
// prefix+name+".png" in $SOTAY_SCREENSHOTS, when it is set; else the action
// does nothing. Screenshots are for a person to look at: one costs about a
// second of CPU (a full page at scale 2, painted and encoded), six of them
// a fifth of a journey's, and a temporary folder was deleted unseen.
func screenshotter(t *testing.T, prefix string) func(name string) chromedp.Action[chromedp.Void] {
	shots := os.Getenv("SOTAY_SCREENSHOTS")
	if shots != "" {
		t.Cleanup(func() { t.Logf("screenshots in %s", shots) })
	}
	return func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, prefix+name+".png"), png, 0o644)
		})
	}
}

// saveScreenshot saves the page as name.png in $SOTAY_SCREENSHOTS, when
// it is set.
func saveScreenshot(ctx context.Context, name string) {
	if dir := os.Getenv("SOTAY_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
}

// formSignIn signs user in through the sign-in form and waits for the
// page's link to landing.
func formSignIn(base, user, landing string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/dang-nhap"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		typeText(chromedp.CSS("#username"), user),
		typeText(chromedp.CSS("#password"), demoPassword()),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="` + landing + `"]`)),
	}
}
