package doc

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"golang.org/x/text/unicode/norm"
)

func TestDefaultTerm(t *testing.T) {
	cases := []struct{ on, start, end string }{
		{"2025-10-01", "2025-10-01", "2030-09-30"},
		{"2026-11-20", "2025-10-01", "2030-09-30"},
		{"2030-09-30", "2025-10-01", "2030-09-30"},
		{"2030-10-01", "2030-10-01", "2035-09-30"},
		{"2025-09-30", "2020-10-01", "2025-09-30"},
		{"2016-01-01", "2015-10-01", "2020-09-30"},
	}
	for _, c := range cases {
		s, e := DefaultTerm(date.MustParse(c.on))
		if s.String() != c.start || e.String() != c.end {
			t.Errorf("DefaultTerm(%s) = %s–%s, want %s–%s", c.on, s, e, c.start, c.end)
		}
	}
}

func TestMayRead(t *testing.T) {
	// The tree: /1/ city, /1/2/ district, /1/2/3/ commune A with cells
	// /1/2/3/4/ and /1/2/3/5/, /1/2/6/ commune B with cell /1/2/6/7/.
	g := func(path string, r auth.Role) auth.Grant { return auth.Grant{UnitPath: path, Role: r} }
	aud := func(path string, roles ...auth.Role) Audience { return Audience{Path: path, Roles: roles} }
	member := Reach{MemberPath: "/1/2/3/4/", MemberID: 9, Grants: []auth.Grant{g("/1/2/3/4/", auth.RoleMember)}}
	bareMember := Reach{MemberPath: "/1/2/3/4/", MemberID: 9}
	secretary := Reach{MemberPath: "/1/2/3/4/", MemberID: 8, Grants: []auth.Grant{g("/1/2/3/4/", auth.RoleCellOfficer)}}
	committeeA := Reach{Grants: []auth.Grant{g("/1/2/3/", auth.RoleCommittee)}}
	office := Reach{Grants: []auth.Grant{g("/1/2/", auth.RoleOffice)}}
	cases := []struct {
		name   string
		r      Reach
		a      Audience
		read   bool
		expect bool
	}{
		{"member, audience on the commune", member, aud("/1/2/3/"), true, true},
		{"member, audience on the city", member, aud("/1/"), true, true},
		{"member, audience on the own cell", member, aud("/1/2/3/4/"), true, true},
		{"member, audience on another cell", member, aud("/1/2/3/5/"), false, false},
		{"member, audience on another commune", member, aud("/1/2/6/"), false, false},
		{"member, members only", member, aud("/1/2/", auth.RoleMember), true, true},
		{"member, committees only", member, aud("/1/2/", auth.RoleCommittee), false, false},
		{"member without a grant", bareMember, aud("/1/2/"), true, true},
		{"member without a grant, officers only", bareMember, aud("/1/2/", auth.RoleCellOfficer), false, false},
		{"secretary, officers only", secretary, aud("/1/2/", auth.RoleCellOfficer), true, true},
		{"secretary, committees only", secretary, aud("/1/2/", auth.RoleCommittee), false, false},
		{"secretary, own cell", secretary, aud("/1/2/3/4/", auth.RoleMember), true, true},
		{"committee, a cell below", committeeA, aud("/1/2/3/5/", auth.RoleMember), true, false},
		{"committee, the district above", committeeA, aud("/1/2/"), true, false},
		{"committee, the district above, committees", committeeA, aud("/1/2/", auth.RoleCommittee), true, false},
		{"committee, the district above, members only", committeeA, aud("/1/2/", auth.RoleMember), false, false},
		{"committee, another commune", committeeA, aud("/1/2/6/"), false, false},
		{"office, any audience in the district", office, aud("/1/2/6/7/", auth.RoleCommittee), true, false},
		{"office, the city above", office, aud("/1/"), true, false},
		{"office, the city above, offices", office, aud("/1/", auth.RoleOffice), true, false},
		{"office, the city above, committees", office, aud("/1/", auth.RoleCommittee), false, false},
		{"nobody", Reach{}, aud("/1/"), false, false},
		{"system", Reach{All: true}, aud("/1/2/6/7/", auth.RoleAdmin), true, false},
	}
	for _, c := range cases {
		if got := c.r.MayRead(c.a); got != c.read {
			t.Errorf("%s: MayRead = %v, want %v", c.name, got, c.read)
		}
		if got := c.r.Expects(c.a); got != c.expect {
			t.Errorf("%s: Expects = %v, want %v", c.name, got, c.expect)
		}
	}
}

func TestAudienceRolesKeyAndAncestors(t *testing.T) {
	a := Audience{Roles: []auth.Role{auth.RoleMember, auth.RoleCommittee}}
	if a.RolesKey() != ",member,committee," {
		t.Errorf("roles key %q", a.RolesKey())
	}
	if diff := cmp.Diff(a.Roles, ParseRolesKey(a.RolesKey())); diff != "" {
		t.Error(diff)
	}
	if (Audience{}).RolesKey() != "" || ParseRolesKey("") != nil {
		t.Error("no roles")
	}
	if diff := cmp.Diff([]int64{1, 7, 42}, AncestorIDs("/1/7/42/")); diff != "" {
		t.Error(diff)
	}
	if childOf("/1/7/", "/1/7/42/99/") != 42 || childOf("/1/7/", "/1/7/") != 0 || childOf("/1/7/", "/1/8/") != 0 {
		t.Error("childOf")
	}
}

func TestRenderSanitises(t *testing.T) {
	cases := []struct {
		name, md string
		want     []string // substrings that must appear
		never    []string // substrings that must not
	}{
		{"emphasis and lists", "**Đậm** và *nghiêng*\n\n- một\n- hai", []string{"<strong>Đậm</strong>", "<em>nghiêng</em>", "<li>một</li>"}, nil},
		{"script tag", "Xin chào <script>alert(1)</script> bạn", []string{"Xin chào"}, []string{"<script", "alert(1)</script"}},
		{"script block", "<script>\nalert(1)\n</script>", nil, []string{"<script"}},
		{"raw html", `<div onclick="x()">hộp</div> <b>đậm</b> <img src=x onerror=alert(1)>`, nil, []string{"<div", "onclick", "<b>", "<img", "onerror"}},
		{"javascript link", "[bấm](javascript:alert(1))", []string{"bấm"}, []string{"javascript", "<a"}},
		{"javascript link upper", "[bấm](JaVaScRiPt:alert(1))", []string{"bấm"}, []string{"avaScRiPt", "<a"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:", "<a"}},
		{"relative link", "[x](/admin)", nil, []string{"<a"}},
		{"http link", "[Báo Nhân Dân](https://nhandan.vn/a?b=1&c=2 \"tiêu đề\")",
			[]string{`<a href="https://nhandan.vn/a?b=1&amp;c=2" title="tiêu đề" rel="nofollow noopener noreferrer">Báo Nhân Dân</a>`}, nil},
		{"mailto link", "[thư](mailto:vanphong@phuxuyen.vn)", []string{`href="mailto:vanphong@phuxuyen.vn"`}, nil},
		{"autolink", "Xem https://dangcongsan.vn ngay", []string{`href="https://dangcongsan.vn"`}, nil},
		{"image becomes a link", "![ảnh hội nghị](https://example.vn/a.jpg)", []string{`<a href="https://example.vn/a.jpg"`, "ảnh hội nghị"}, []string{"<img"}},
		{"image with a bad source", "![ảnh](javascript:alert(1))", []string{"ảnh"}, []string{"<img", "javascript", "<a"}},
		{"image data uri", "![x](data:image/png;base64,iVBORw0KGgo=)", nil, []string{"<img", "data:", "<a"}},
		{"html entity tricks", "&lt;script&gt;alert(1)&lt;/script&gt;", []string{"&lt;script&gt;"}, []string{"<script"}},
		{"table", "| a | b |\n|:--|--:|\n| 1 | 2 |", []string{"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`}, nil},
		{"code keeps text", "`<b>x</b>`", []string{"<code>&lt;b&gt;x&lt;/b&gt;</code>"}, nil},
		{"iframe", "văn bản\n\n<iframe src=https://evil.example></iframe>", []string{"văn bản"}, []string{"iframe"}},
	}
	for _, c := range cases {
		got := Render(c.md)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
		for _, n := range c.never {
			if strings.Contains(strings.ToLower(got), strings.ToLower(n)) {
				t.Errorf("%s: %q holds %q", c.name, got, n)
			}
		}
	}
}

func TestSanitizeAllowList(t *testing.T) {
	in := `<p style="color:red" class="x">a<script>bad()</script><a href="javascript:x" onclick="y">b</a><a href="https://ok.vn/">c</a><svg><text>s</text></svg></p>`
	want := `<p>a<a rel="nofollow noopener noreferrer">b</a><a href="https://ok.vn/" rel="nofollow noopener noreferrer">c</a></p>`
	if got := Sanitize(in); got != want {
		t.Errorf("Sanitize:\n got %s\nwant %s", got, want)
	}
}

func TestPlainText(t *testing.T) {
	got := PlainText("# Tiêu đề\n\nCác cấp ủy **quán triệt** [Chỉ thị](https://x.vn/ct24) <b>raw</b>.")
	for _, w := range []string{"Tiêu đề", "quán triệt", "Chỉ thị"} {
		if !strings.Contains(got, w) {
			t.Errorf("plain text %q lacks %q", got, w)
		}
	}
	if strings.Contains(got, "x.vn") || strings.Contains(got, "**") || strings.Contains(got, "<b>") {
		t.Errorf("plain text %q holds markup", got)
	}
}

func TestSearchTextAndQuery(t *testing.T) {
	if got := SearchText("Chỉ thị 24-CT/TU về kỷ cương, ĐẢNG viên!"); got != "chi thi 24 ct tu ve ky cuong dang vien" {
		t.Errorf("SearchText = %q", got)
	}
	if got := SearchText(norm.NFD.String("Kỷ Cương")); got != "ky cuong" {
		t.Errorf("SearchText NFD = %q", got)
	}
	cases := []struct {
		in      string
		terms   []string
		prefix  bool
		numbers [][]string
	}{
		{"chi thi 24 ky cuong", []string{"chi", "thi", "24", "ky", "cuong"}, true, nil},
		{"kỷ cương ", []string{"ky", "cuong"}, false, nil},
		{"24/CT-TU", nil, false, [][]string{{"24 ct tu"}}},
		{"Số 4529-QĐ/TU", nil, false, [][]string{{"4529 qd tu"}}},
		{"chi thi 24-ct/tu ky cuong", []string{"chi", "thi", "ky", "cuong"}, true, [][]string{{"24 ct tu"}}},
		{"quy dinh 1 QD TW", []string{"quy", "dinh"}, false, [][]string{{"1 qd tw", "01 qd tw"}}},
		{"a", []string{"a"}, false, nil},
		{"!!!", nil, false, nil},
	}
	for _, c := range cases {
		q := ParseQuery(c.in)
		if diff := cmp.Diff(c.terms, q.Terms); diff != "" {
			t.Errorf("%q terms (-want +got):\n%s", c.in, diff)
		}
		if q.Prefix != c.prefix {
			t.Errorf("%q prefix = %v", c.in, q.Prefix)
		}
		if diff := cmp.Diff(c.numbers, q.Numbers); diff != "" {
			t.Errorf("%q numbers (-want +got):\n%s", c.in, diff)
		}
	}
}

func TestSnippetAndScore(t *testing.T) {
	q := ParseQuery("ky cuong 24-CT/TU")
	body := "Thực hiện Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy về tăng cường kỷ luật, kỷ cương trong giải quyết công việc."
	got := q.Snippet("", body)
	want := "Thực hiện Chỉ thị số «24»-«CT»/«TU» của Ban Thường vụ Thành ủy về tăng «cường» «kỷ» luật, «kỷ» «cương» trong giải quyết công việc"
	if got != want {
		t.Errorf("snippet:\n got %s\nwant %s", got, want)
	}
	long := strings.Repeat("lời mở đầu ", 40) + "giữ nghiêm kỷ cương" + strings.Repeat(" phần sau", 40)
	s := q.Snippet(long)
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || !strings.Contains(s, "«kỷ» «cương»") {
		t.Errorf("long snippet %q", s)
	}
	if s := q.Snippet("", "không có gì"); s != "không có gì" {
		t.Errorf("no match: %q", s)
	}
	ct := &Number{Seq: 24, Type: "CT", Issuer: "TU"}
	own := q.Score("Chỉ thị về kỷ luật, kỷ cương", ct, "", "")
	mention := q.Score("Kế hoạch", nil, "", body)
	if own <= mention {
		t.Errorf("the directive itself (%v) must rank above a plan mentioning it (%v)", own, mention)
	}
	title := ParseQuery("ky cuong").Score("Kỷ cương", nil, "", "")
	inBody := ParseQuery("ky cuong").Score("Khác", nil, "", "kỷ cương")
	if title <= inBody {
		t.Errorf("title %v must rank above body %v", title, inBody)
	}
	if ParseQuery("van an").ScoreName("Nguyễn Văn An") <= ParseQuery("van an").ScoreName("Nguyễn Văn Anh") {
		t.Error("names: exact words rank above a partial match")
	}
}

func zipOf(t *testing.T, names ...string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	ole := func(stream string) []byte {
		b := append([]byte{}, oleMagic...)
		b = append(b, make([]byte, 500)...)
		return append(b, utf16le(stream)...)
	}
	cases := []struct {
		name, filename string
		body           []byte
		want           string
	}{
		{"pdf", "a.bin", []byte("%PDF-1.7\n..."), MediaPDF},
		{"docx", "a.docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), MediaDOCX},
		{"xlsx named pdf", "a.pdf", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), MediaXLSX},
		{"pptx", "a.pptx", zipOf(t, "[Content_Types].xml", "ppt/presentation.xml"), MediaPPTX},
		{"plain zip", "a.docx", zipOf(t, "word/document.xml"), ""},
		{"zip without parts", "a.docx", zipOf(t, "[Content_Types].xml", "evil.exe"), ""},
		{"doc", "a", ole("WordDocument"), MediaDOC},
		{"xls", "a", ole("Workbook"), MediaXLS},
		{"ole by name", "bao-cao.xls", ole("Other"), MediaXLS},
		{"ole unknown", "x.bin", ole("Other"), ""},
		{"html", "a.pdf", []byte("<html><script>alert(1)</script>"), ""},
		{"exe", "a.docx", []byte("MZ\x90\x00"), ""},
		{"empty", "a.pdf", nil, ""},
	}
	for _, c := range cases {
		got, err := Sniff(bytes.NewReader(c.body), int64(len(c.body)), c.filename)
		if c.want == "" {
			if !apperr.Is(err, apperr.Unsupported) {
				t.Errorf("%s: got %q, %v; want 415", c.name, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %s", c.name, got, err, c.want)
		}
	}
}

func TestFilesStageAndLimit(t *testing.T) {
	d := &DirFiles{Dir: t.TempDir()}
	st, err := d.Stage(strings.NewReader("%PDF-1.4 hello"), 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Keep(); err != nil {
		t.Fatal(err)
	}
	st.Discard()
	f, err := d.Open(st.Hash())
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// The same content again is stored once.
	st2, _ := d.Stage(strings.NewReader("%PDF-1.4 hello"), 100)
	if err := st2.Keep(); err != nil || st2.Hash() != st.Hash() {
		t.Fatal(err)
	}
	if _, err := d.Stage(strings.NewReader(strings.Repeat("x", 101)), 100); !apperr.Is(err, apperr.TooLarge) {
		t.Errorf("over the limit: %v, want 413", err)
	}
	if _, err := d.Open("../../etc/passwd"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("open a bad hash: %v", err)
	}
}

func TestCleanFilename(t *testing.T) {
	cases := map[string]string{
		"Chỉ thị 24.pdf":         "Chỉ thị 24.pdf",
		`C:\tmp\bao cao.pdf`:     "bao cao.pdf",
		"../../x.pdf":            "x.pdf",
		"noext":                  "noext.pdf",
		"evil.html":              "evil.html.pdf",
		"":                       "tep-dinh-kem.pdf",
		"a\"b\x00.pdf":           "ab.pdf",
		strings.Repeat("ạ", 150): strings.Repeat("ạ", 66) + ".pdf",
	}
	for in, want := range cases {
		if got := cleanFilename(in, MediaPDF); got != want {
			t.Errorf("cleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
