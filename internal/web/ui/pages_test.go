package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	listpage "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// templateSources returns every template file's text by name.
func templateSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTemplatesObeyCSP: the CSP forbids inline styles and scripts, so none
// may creep into a template.
func TestTemplatesObeyCSP(t *testing.T) {
	forbidden := regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|javascript:|https?://`)
	// The one script allowed is an embedded file by its hashed name, with
	// nothing between the tags.
	external := regexp.MustCompile(`<script src="\{\{asset "[a-z]+\.js"\}\}" defer></script>`)
	for name, src := range templateSources(t) {
		if m := forbidden.FindString(external.ReplaceAllString(src, "")); m != "" {
			t.Errorf("%s contains %q", name, m)
		}
	}
}

// TestCatalogKeys checks both ways: every key a template or handler names
// is in the catalogue, and every catalogue entry is used somewhere.
func TestCatalogKeys(t *testing.T) {
	var sources []string
	for _, src := range templateSources(t) {
		sources = append(sources, src)
	}
	goFiles, _ := fs.Glob(os.DirFS("."), "*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	all := strings.Join(sources, "\n")
	literal := regexp.MustCompile(`\b(?:t|tf) "([a-z_0-9]+\.[a-z_0-9.]+)"|"([a-z_]+\.[a-z_0-9]+)"`)
	fileName := regexp.MustCompile(`\.(go|css|html|js|svg|png|webmanifest)$`)
	for _, m := range literal.FindAllStringSubmatch(all, -1) {
		key := m[1] + m[2]
		if _, ok := catalog[key]; !ok && !fileName.MatchString(key) {
			t.Errorf("key %q is not in the catalogue", key)
		}
	}
	// Keys built from a value: t "status" .Status, bars("status.", ...).
	dynamic := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bt "([a-z_]+)" [.$]|"([a-z_]+)\.",`).FindAllStringSubmatch(all, -1) {
		dynamic[m[1]+m[2]] = true
	}
	for key := range catalog {
		prefix, _, _ := strings.Cut(key, ".")
		if !dynamic[prefix] && !strings.Contains(all, `"`+key+`"`) {
			t.Errorf("catalogue entry %q is never used", key)
		}
	}
}

// TestCatalogCoversValues: every status, gender, kind, cell type, age band
// and form field has its name in both languages.
func TestCatalogCoversValues(t *testing.T) {
	var keys []string
	for _, s := range member.Statuses {
		keys = append(keys, "status."+string(s))
	}
	for _, k := range org.Kinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, c := range org.CellTypes {
		keys = append(keys, "cell_type."+string(c))
	}
	for _, b := range org.AgeBands {
		keys = append(keys, "age."+b.Name)
	}
	for _, f := range memberFields {
		keys = append(keys, "field."+f.Name)
	}
	for _, c := range member.Columns {
		keys = append(keys, "field."+c.Name)
	}
	keys = append(keys, "gender.male", "gender.female", "age.unknown")
	for _, k := range keys {
		if _, ok := catalog[k]; !ok {
			t.Errorf("no catalogue entry %q", k)
		}
	}
}

// TestMessageByKey: a message shows in the page's language by its key
// and arguments, whatever its English text; a message without a key, or
// with a key the catalogue lacks, shows its English text.
func TestMessageByKey(t *testing.T) {
	catalog["test.reorder"] = [2]string{"%[2]s trước %[1]d", "%[1]d before %[2]s"}
	defer delete(catalog, "test.reorder")
	for _, c := range []struct {
		name   string
		err    error
		vi, en string
	}{
		{"field, no args", apperr.InvalidField("full_name", "common.required", "required"), "Bắt buộc", "required"},
		{"args", apperr.Keyed(apperr.Conflict, "member.another_member_card_number", "another member has card number %s", "12345678"),
			"Đã có đảng viên khác mang số thẻ 12345678", "another member has card number 12345678"},
		{"reordered args", apperr.Keyed(apperr.Invalid, "test.reorder", "%d before %s", 3, "x"), "x trước 3", "3 before x"},
		{"a term", apperr.Keyed(apperr.Conflict, "org.cannot_move_unit_there", "cannot move the unit there: a %s cannot be below a %s",
			apperr.Term{Key: "kind.cell", Text: "cell"}, apperr.Term{Key: "kind.sub_committee", Text: "sub_committee"}),
			"Không thể chuyển đơn vị đến đó: Chi bộ không thể trực thuộc Đảng bộ bộ phận", "cannot move the unit there: a Cell cannot be below a Sub-committee"},
		{"a text check", apperr.Keyed(apperr.Invalid, "doc.comment_not_valid", "the comment is not valid").With(apperr.FieldFrom("body", viet.CheckText("a\x1bb"))),
			"Có ký tự điều khiển U+001B ở vị trí 2: hãy xóa ký tự này", "control character U+001B at character 2"},
		{"no key", apperr.New(apperr.Conflict, "a message nobody keyed"), "a message nobody keyed", "a message nobody keyed"},
		{"unknown key", apperr.Keyed(apperr.Conflict, "test.no_such_key", "an English text %d", 1), "an English text 1", "an English text 1"},
	} {
		e, _ := apperr.As(c.err)
		show := func(l lang) string {
			if len(e.Fields) > 0 && e.Key != e.Fields[0].Key {
				return fieldText(l, e.Fields[0])
			}
			return errText(l, e)
		}
		if got := show(vi); got != c.vi {
			t.Errorf("%s: Vietnamese: got %q, want %q", c.name, got, c.vi)
		}
		if got := show(en); got != c.en {
			t.Errorf("%s: English: got %q, want %q", c.name, got, c.en)
		}
	}
}

func TestParseFormDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want date.Date
		ok   bool
	}{
		{"", date.Date{}, true},
		{"1987-05-08", date.New(1987, 5, 8), true},
		{"08/05/1987", date.New(1987, 5, 8), true},
		{" 8/5/1987 ", date.New(1987, 5, 8), true},
		{"08.05.1987", date.New(1987, 5, 8), true},
		{"08-05-1987", date.New(1987, 5, 8), true},
		{"31/02/1987", date.Date{}, false},
		{"05/1987", date.Date{}, false},
		{"hôm qua", date.Date{}, false},
	} {
		got, err := parseFormDate(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("%q: got %v, %v; want %v, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 9662: "9.662", 5600000: "5.600.000", -1234: "-1.234"} {
		if got := groupDigits(n, "."); got != want {
			t.Errorf("%d: got %q, want %q", n, got, want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/don-vi/2?q=a": "/don-vi/2?q=a", "": "/", "//evil.example": "/",
		"/\\evil.example": "/", "https://evil.example/": "/", "don-vi": "/", "/a\r\nSet-Cookie: x": "/"} {
		if got := httpx.LocalPath(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestBars(t *testing.T) {
	got := bars("gender.", []string{"male", "female", "other"}, map[string]int{"male": 999, "female": 1, "other": 0})
	if len(got) != 2 {
		t.Fatalf("got %d bars, want 2 (no empty row)", len(got))
	}
	if got[0].Width != 100 || got[0].Percent != 100 || got[1].Width != 0.5 || got[1].Percent != 0 {
		t.Errorf("bars = %+v", got)
	}
}

// TestPagesRender renders every page in both languages with data that
// takes its rarer branches, so that no template fails only in production.
func TestPagesRender(t *testing.T) {
	cell := &org.Unit{ID: 7, Kind: org.KindCell, CellType: "rural", Name: "Chi bộ thôn Hạ", Code: "C01", Path: "/1/2/7/"}
	m := &member.Member{ID: 9, UnitID: 7, UnitName: cell.Name, FullName: "Nguyễn Văn Đăng", Gender: member.Male,
		BirthDate: date.New(1980, 1, 2), Status: member.StatusFull, Phone: "0912345678", Email: "a@b.vn", Version: 3}
	next := "abc"
	stats := org.NewStats()
	stats.Exists, stats.Members.Total = true, 3
	stats.Members.ByStatus["full"], stats.Members.ByGender["male"], stats.Members.ByAgeBand["40_49"] = 3, 3, 3
	report := &member.Report{Rows: 2, Valid: 1, Errors: []apperr.FieldError{{Row: 2, Field: "birth_date", Message: "required"}}}
	data := map[string]viewer{
		"signin":      &signInPage{Error: "signin.failed", Next: "/"},
		"home":        &homePage{Units: []org.Unit{*cell}},
		"units":       &unitsPage{},
		"unit":        &unitPage{Unit: cell, Stats: newStatsView(stats), AsOfError: "not a date (dd/mm/yyyy)", CanList: true, CanWrite: true},
		"members":     &membersPage{Unit: cell, Statuses: member.Statuses, Page: &member.ViewPage{Of: listpage.Of[member.View]{Items: []member.View{{Member: *m, Personal: true}}, Total: 1, NextCursor: &next}, Personal: true}, Next: "/x", First: "/y"},
		"member":      &memberPage{Member: &member.View{Member: *m, Personal: true}, Unit: cell, TempUnit: cell, CanWrite: true},
		"member_form": &memberFormPage{Member: m, Unit: cell, Stale: true, Fields: formFields(memberValues(m), map[string]string{"phone": "required"})},
		"import":      &importPage{Unit: cell, Report: report, Message: "the file is too large"},
		"error":       &errorPage{Status: 404},
	}
	for _, l := range langs {
		for name, d := range data {
			d.base().Lang, d.base().Actor, d.base().Crumbs = l, &auth.Actor{Username: "u", MemberID: 9}, []org.Unit{*cell}
			var buf bytes.Buffer
			if err := page(l, name).ExecuteTemplate(&buf, "layout", d); err != nil {
				t.Errorf("%s/%s: %v", l, name, err)
				continue
			}
			if strings.Contains(buf.String(), "ZgotmplZ") {
				t.Errorf("%s/%s: html/template refused a value (ZgotmplZ)", l, name)
			}
		}
	}
}

// newTestServer is the router without services: enough for the pages that
// need no database.
func newTestServer(t *testing.T) http.Handler {
	t.Helper()
	s := &Handler{Services: &httpx.Services{Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }}}
	mux := http.NewServeMux()
	s.Routes(httpx.NewRouter(mux, func(http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { httpx.SeeOther(w, r, "/dang-nhap") }
	}))
	return mux
}

func serve(h http.Handler, method, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestStaticAssets(t *testing.T) {
	h := newTestServer(t)
	url, err := assetURL("app.css")
	if err != nil || !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(url) {
		t.Fatalf("assetURL(app.css) = %q, %v", url, err)
	}
	plain := serve(h, "GET", url)
	if plain.Code != 200 || plain.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("plain: %d %v", plain.Code, plain.Header())
	}
	zipped := serve(h, "GET", url, "Accept-Encoding", "br, gzip")
	if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Body.Len() >= plain.Body.Len() {
		t.Fatalf("gzip: %v, %d bytes of %d", zipped.Header(), zipped.Body.Len(), plain.Body.Len())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Equal(b, plain.Body.Bytes()) {
		t.Error("the compressed stylesheet differs")
	}
	if w := serve(h, "GET", url, "Accept-Encoding", "gzip;q=0"); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
	if w := serve(h, "GET", "/static/app.css"); w.Code != 404 {
		t.Errorf("unhashed name: %d, want 404", w.Code)
	}
}

func TestPublicPages(t *testing.T) {
	h := newTestServer(t)
	if w := serve(h, "GET", "/"); w.Code != 303 || w.Header().Get("Location") != "/dang-nhap" {
		t.Errorf("anonymous /: %d to %q", w.Code, w.Header().Get("Location"))
	}
	w := serve(h, "GET", "/dang-nhap?next=/don-vi/2")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `<label for="username">Tên đăng nhập</label>`) || !strings.Contains(w.Body.String(), `value="/don-vi/2"`) {
		t.Errorf("sign-in page: %d", w.Code)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("pages are cacheable: %q", w.Header().Get("Cache-Control"))
	}
	w = serve(h, "GET", "/dang-nhap", "Cookie", "lang=en")
	if !strings.Contains(w.Body.String(), `<html lang="en">`) || !strings.Contains(w.Body.String(), "User name") {
		t.Error("the lang cookie does not switch to English")
	}
	w = serve(h, "GET", "/ngon-ngu?lang=en&next=/don-vi/2")
	if w.Code != 303 || w.Header().Get("Location") != "/don-vi/2" || !strings.Contains(w.Header().Get("Set-Cookie"), "lang=en") {
		t.Errorf("language switch: %d %v", w.Code, w.Header())
	}
	w = serve(h, "GET", "/khong-co")
	if w.Code != 404 || !strings.Contains(w.Body.String(), "Không tìm thấy") {
		t.Errorf("unknown page: %d", w.Code)
	}
	w = serve(h, "GET", "/dang-nhap", "Accept-Encoding", "gzip")
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Error("pages are not compressed")
	}
}

// TestUIRoutePolicies: every page but the few public ones needs a session.
func TestUIRoutePolicies(t *testing.T) {
	rt := httpx.NewRouter(http.NewServeMux(), func(h http.HandlerFunc) http.HandlerFunc { return h })
	(&Handler{Services: &httpx.Services{}}).Routes(rt)
	public := map[string]bool{"GET /static/": true, "GET /ngon-ngu": true, "GET /dang-nhap": true, "POST /dang-nhap": true, "GET /{$}": true, "/": true,
		// The web app's files and its offline page (ui_handbook_pwa.go).
		"GET /manifest.webmanifest": true, "GET /sw.js": true, "GET /ngoai-tuyen": true}
	for _, r := range rt.Routes() {
		if want := map[bool]string{true: "public", false: "signed_in"}[public[r.Pattern]]; r.Policy != want {
			t.Errorf("%s: policy %q, want %q", r.Pattern, r.Policy, want)
		}
	}
	if n := len(rt.Routes()); n < 17 {
		t.Errorf("only %d page routes", n)
	}
}

// TestTemplateRegistry: every template file is a registered page or a part
// a page is parsed with, and every registered page parses in both languages.
func TestTemplateRegistry(t *testing.T) {
	used := map[string]bool{}
	for _, f := range everyPage {
		used[f] = true
	}
	for name, parts := range pageParts {
		used[name] = true
		for _, p := range parts {
			used[p] = true
		}
		for _, l := range langs {
			if page(l, name) == nil {
				t.Errorf("%s/%s: not parsed", l, name)
			}
		}
	}
	for file := range templateSources(t) {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if !used[name] {
			t.Errorf("%s is in no page of the registry (templates.go)", file)
		}
	}
}

// TestStatsCountsOrganisationsBelow: the unit page counts the party
// organisations below a unit, so a cell does not count itself (the API's
// subtree total holds the unit itself).
func TestStatsCountsOrganisationsBelow(t *testing.T) {
	tests := []struct {
		name    string
		subtree int
		want    int
	}{
		{"a cell", 1, 0},
		{"a commune with 15 cells", 16, 15},
		{"no data", 0, 0},
	}
	for _, tt := range tests {
		st := &org.Stats{Exists: true}
		st.Units.Total = tt.subtree
		if got := newStatsView(st).Units; got != tt.want {
			t.Errorf("%s: got %d organisations, want %d", tt.name, got, tt.want)
		}
	}
}

// TestNamesTypedInLowerCase: a name typed all in lower case is shown with
// capitals on the member's page and in lists; the form keeps it as typed.
func TestNamesTypedInLowerCase(t *testing.T) {
	cell := &org.Unit{ID: 7, Kind: org.KindCell, Name: "Chi bộ thôn Hạ", Path: "/1/2/7/"}
	m := member.View{Member: member.Member{ID: 9, UnitID: 7, FullName: "đặng văn an", Gender: member.Male, Status: member.StatusFull}, Personal: true}
	pages := map[string]viewer{
		"member":  &memberPage{Member: &m, Unit: cell},
		"members": &membersPage{Unit: cell, Statuses: member.Statuses, Page: &member.ViewPage{Of: listpage.Of[member.View]{Items: []member.View{m}, Total: 1}, Personal: true}},
	}
	for name, d := range pages {
		d.base().Lang, d.base().Actor = vi, &auth.Actor{Username: "u"}
		var buf bytes.Buffer
		if err := page(vi, name).ExecuteTemplate(&buf, "layout", d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := buf.String(); !strings.Contains(got, "Đặng Văn An") || strings.Contains(got, ">đặng văn an<") {
			t.Errorf("%s: the lower-case name is not shown with capitals", name)
		}
	}
}
