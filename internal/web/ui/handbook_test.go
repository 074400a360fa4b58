package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/notify"
	listpage "github.com/sotay-vn/sotay/internal/page"
)

func ptr[T any](v T) *T { return &v }

// handbookData is data for every handbook page that takes its rarer
// branches: unread and saved documents, a revised document with
// attachments, field errors, hidden comments, paging.
func handbookData() map[string]viewer {
	at := time.Date(2026, 11, 20, 3, 4, 5, 0, time.UTC)
	d := doc.Document{ID: 12, Kind: doc.KindDocument, Type: "CT", Number: "24-CT/HU", IssuedOn: date.New(2023, 9, 8), Title: "Chỉ thị về tăng cường kỷ luật, kỷ cương",
		Summary: "Siết chặt kỷ cương", Body: "**Quán triệt**", BodyHTML: "<p><strong>Quán triệt</strong></p>", Version: 2, Read: ptr(false), Bookmarked: true,
		Audience:    doc.Audience{UnitID: 7, UnitName: "Đảng bộ xã Phú Túc", Roles: []auth.Role{auth.RoleMember, auth.RoleCommittee}, Path: "/1/2/7/"},
		Attachments: []doc.Attachment{{ID: 3, DocumentID: 12, Name: "Chỉ thị 24.pdf", MediaType: "application/pdf", Size: 123456}}}
	read := d
	read.ID, read.Read, read.Bookmarked = 13, ptr(true), false
	n := doc.Document{ID: 20, Kind: doc.KindNews, Title: "Hội nghị học tập nghị quyết", Category: "Hoạt động", Featured: true, IssuedOn: date.New(2026, 11, 19),
		BodyHTML: "<p>Tin</p>", Audience: d.Audience}
	next := "abc"
	rate := 0.635
	rec := &doc.Receipts{DocumentID: 12, Version: 2, Unit: doc.UnitRate{UnitID: 7, Name: "Đảng bộ xã Phú Túc", Expected: 300, Read: 190, Rate: &rate},
		Children: []doc.UnitRate{{UnitID: 8, Name: "Chi bộ thôn Kim Lân", Expected: 30, Read: 19, Rate: &rate}, {UnitID: 9, Name: "Chi bộ thôn mới", Expected: 0}},
		NotRead:  listpage.Of[doc.ReaderRef]{Items: []doc.ReaderRef{{ID: 5, FullName: "Nguyễn Văn An", UnitName: "Chi bộ thôn Kim Lân"}}, Total: 110, NextCursor: &next}}
	inbox := &notify.InboxPage{Of: listpage.Of[notify.Item]{Items: []notify.Item{
		{ID: "doc-12", Kind: notify.NewDocument, Title: d.Title, Link: "/van-ban/12", CreatedAt: at, DocumentID: 12, Number: d.Number},
		{ID: "4", Kind: "task.overdue", Title: "Quá hạn: báo cáo", Body: "Nhiệm vụ đã quá hạn", Link: "/cong-viec/4", CreatedAt: at, Read: true},
		{ID: "5", Kind: "something.new", Title: "Khác", CreatedAt: at}}, Total: 3, NextCursor: &next}, Unread: 2}
	email := "an@phutuc.example.vn"
	return map[string]viewer{
		"handbook": &handbookPage{New: []doc.Document{d, read}, NewTotal: 2, IsMember: true, Saved: []doc.Document{d}, News: []doc.Document{n}, Unread: 3, CanPublish: true,
			Conferences: []conference.Conference{{ID: 4, Title: "Hội nghị quán triệt", StartsAt: at, HostUnitName: "Huyện ủy Phú Xuyên", State: conference.StateCancelled, CancelledAt: &at},
				{ID: 5, Title: "Hội nghị sơ kết", StartsAt: at, HostUnitName: "Huyện ủy Phú Xuyên", State: conference.StateUpcoming}}},
		"doc_list": &libraryPage{Page: &listpage.Of[doc.Document]{Items: []doc.Document{d, read}, Total: 2, NextCursor: &next}, Types: choicesOf(doc.Types, "CT", func(t doc.TypeInfo) (string, string) { return t.Code, t.Label + " · " + t.Name }),
			Issuers: []choice{{Value: "2", Label: "Huyện ủy Phú Xuyên", Selected: true}}, Years: []choice{{Value: "2026", Label: "2026", Selected: true}, {Value: "2025", Label: "2025"}}, Q: "kỷ cương", Type: "CT", Issuer: 2, Year: 2026,
			Unread: true, IsMember: true, Next: "/van-ban?cursor=abc", First: "/van-ban", CanPublish: true, Error: "unknown document type XX"},
		"doc": &docPage{Doc: &d, Parent: "Thành ủy Hà Nội", Issuer: "Huyện ủy Phú Xuyên", Place: "Phú Xuyên", Body: "<p>x</p>",
			Note: &doc.Note{Body: "ghi chú <b>riêng</b>"}, Notice: "doc.note_saved", NoteError: "at most 20000 characters", ReceiptsURL: "/van-ban/12/da-doc", InboxID: "doc-12"},
		"doc_form": &docFormPage{Types: doc.Types, Units: []doc.UnitRef{{ID: 7, Name: "Đảng bộ xã Phú Túc"}}, Roles: auth.AllRoles,
			Values: map[string]string{"type": "CT", "title": "x", "audience_unit_id": "7"}, Checked: map[string]bool{"member": true},
			Errors:  map[string]string{"title": "required", "number": "the number's type QĐ is not the document's type CT", "issued_on": "not a date (dd/mm/yyyy)"},
			Message: ""},
		"receipts": &receiptsPage{Doc: &d, R: rec, Chart: newRateChart(rec.Children), Up: "/van-ban/12/da-doc?unit=2", Next: "/x", First: "/y"},
		"search": &searchPage{Q: "chi thi 24", Searched: true, Hits: []searchHit{
			{Kind: "document", Link: "/van-ban/12", Number: "24-CT/HU", Title: marked("«Chỉ thị» về kỷ cương"), Snippet: marked("…«Chỉ thị» số 24…")},
			{Kind: "news", Link: "/tin-tuc/20", Title: "Tin"}, {Kind: "member", Link: "/dang-vien/5", Title: "Nguyễn Văn An"}}},
		"news_list": &newsListPage{Featured: []doc.Document{n}, Page: &listpage.Of[doc.Document]{Items: []doc.Document{n}, Total: 1}, Next: "/tin-tuc?cursor=abc"},
		"news": &newsPage{News: &n, Body: "<p>Tin</p>", Comments: &listpage.Of[doc.Comment]{Items: []doc.Comment{{ID: 1, Author: "Nguyễn Văn An", Body: "Đồng ý\nvới <b>tin</b>", CreatedAt: at}}, Total: 1},
			CanHide: true, Draft: "bản nháp", Error: "at most 2000 characters", Notice: "news.commented"},
		"news_form": &newsFormPage{Units: []doc.UnitRef{{ID: 7, Name: "Đảng bộ xã Phú Túc"}}, Values: map[string]string{"title": "x", "featured": "1", "audience_unit_id": "7"},
			Errors: map[string]string{"title": "required", "category": "at most 80 characters", "audience_unit_id": "not under the issuing unit"}},
		"notifications":         &inboxPage{Page: inbox, Next: "/thong-bao?cursor=abc", First: "/thong-bao", Notice: "inbox.one_read"},
		"notification_settings": &settingsPage{Settings: &notify.AccountSettings{Digest: map[string]bool{notify.NewDocument: true}, Email: &email}, Kinds: notify.Settings, Saved: true},
		"offline":               &offlinePage{},
	}
}

// catalogKey finds what looks like a catalogue key left untranslated in a
// page: a known key prefix, a dot, a word.
func catalogKeyPattern() *regexp.Regexp {
	prefixes := map[string]bool{}
	for k := range catalog {
		p, _, _ := strings.Cut(k, ".")
		prefixes[p] = true
	}
	var ps []string
	for p := range prefixes {
		ps = append(ps, regexp.QuoteMeta(p))
	}
	return regexp.MustCompile(`\b(?:` + strings.Join(ps, "|") + `)\.[a-z_0-9]+\b`)
}

// TestHandbookPagesRender renders every handbook page in both languages:
// no template error, no value refused by html/template, no inline script
// or style, and no catalogue key shown untranslated.
func TestHandbookPagesRender(t *testing.T) {
	data := handbookData()
	keyLike := catalogKeyPattern()
	inlineScript := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<script(?:\s(?:[^s>]|s[^r>])*)?>|<style|\sstyle=|\son[a-z]+=|javascript:`)
	staticURL := regexp.MustCompile(`/static/[^"]+|/manifest\.webmanifest`)
	for name, parts := range pageParts {
		if len(parts) == 0 || parts[0] != "handbook_parts" {
			continue
		}
		d, ok := data[name]
		if !ok {
			t.Errorf("no test data for %s", name)
			continue
		}
		for _, l := range langs {
			d.base().Lang, d.base().Actor = l, &auth.Actor{Username: "dangvien", AccountID: 1, MemberID: 9}
			if p, ok := d.(*docPage); ok {
				var err error
				if p.Article, err = docArticle(l, p); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := page(l, name).ExecuteTemplate(&buf, "layout", d); err != nil {
				t.Errorf("%s/%s: %v", l, name, err)
				continue
			}
			out := buf.String()
			if strings.Contains(out, "ZgotmplZ") {
				t.Errorf("%s/%s: html/template refused a value (ZgotmplZ)", l, name)
			}
			if m := inlineScript.FindString(out); m != "" {
				t.Errorf("%s/%s: inline script or style %q", l, name, m)
			}
			if m := keyLike.FindString(staticURL.ReplaceAllString(out, "")); m != "" {
				t.Errorf("%s/%s: untranslated key %q", l, name, m)
			}
			if !strings.Contains(out, `<script src="/static/app.`) || !strings.Contains(out, `<link rel="manifest" href="/manifest.webmanifest">`) {
				t.Errorf("%s/%s: the page does not load the app's script and manifest", l, name)
			}
		}
	}
}

// TestDocPageHeader: the document page prints the header of a party
// document (Hướng dẫn 36-HD/VPTW) in Vietnamese whatever the page's
// language, escapes the reader's note, and shows the sanitised body as is.
func TestDocPageHeader(t *testing.T) {
	p := handbookData()["doc"].(*docPage)
	p.Lang, p.Actor = en, &auth.Actor{Username: "u", AccountID: 1}
	var err error
	if p.Article, err = docArticle(en, p); err != nil {
		t.Fatal(err)
	}
	// The printed part is kept: asked again, it is the same.
	if again, _ := docArticle(en, p); again != p.Article {
		t.Error("the kept article differs")
	}
	var buf bytes.Buffer
	if err := page(en, "doc").ExecuteTemplate(&buf, "layout", p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<p>THÀNH ỦY HÀ NỘI</p>`, `<p class="issuer">HUYỆN ỦY PHÚ XUYÊN</p>`, `<p class="number">Số 24-CT/HU</p>`,
		`<p class="party">ĐẢNG CỘNG SẢN VIỆT NAM</p>`, `<p class="place">Phú Xuyên, ngày 08 tháng 9 năm 2023</p>`,
		`<span class="doc-type">CHỈ THỊ</span> Chỉ thị về tăng cường kỷ luật, kỷ cương</h1>`, `<div class="doc-body"><p>x</p></div>`,
		`ghi chú &lt;b&gt;riêng&lt;/b&gt;</textarea>`, "This document was revised (version 2)", `href="/api/v1/documents/12/attachments/3"`, "120 KB"} {
		if !strings.Contains(out, want) {
			t.Errorf("the document page lacks %q", want)
		}
	}
}

func TestPrintedDate(t *testing.T) {
	for d, want := range map[date.Date]string{
		date.New(2023, 9, 8):   "ngày 08 tháng 9 năm 2023",
		date.New(2026, 2, 15):  "ngày 15 tháng 02 năm 2026",
		date.New(2026, 1, 1):   "ngày 01 tháng 01 năm 2026",
		date.New(2025, 12, 31): "ngày 31 tháng 12 năm 2025",
		{}:                     "",
	} {
		if got := printedDate(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
	for name, want := range map[string]string{"Huyện ủy Phú Xuyên": "Phú Xuyên", "Thành ủy Hà Nội": "Hà Nội", "Đảng bộ xã Phú Túc": "Phú Túc",
		"Chi bộ thôn Kim Lân": "Kim Lân", "Đảng ủy Khối các cơ quan": "Khối các cơ quan", "Hà Nội": "Hà Nội"} {
		if got := placeName(name); got != want {
			t.Errorf("placeName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestMarked(t *testing.T) {
	for in, want := range map[string]string{
		"«Chỉ thị» 24":            "<mark>Chỉ thị</mark> 24",
		"<b>«x»</b> & y":          "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; y",
		"«unclosed":               "<mark>unclosed</mark>",
		"stray» «a» \"quoted\"'s": "stray» <mark>a</mark> &#34;quoted&#34;&#39;s",
	} {
		if got := string(marked(in)); got != want {
			t.Errorf("marked(%q) = %q, want %q", in, got, want)
		}
	}
	if got := percent(vi, ptr(0.635)); got != "63,5%" {
		t.Errorf("percent vi: %q", got)
	}
	if got := percent(en, ptr(1.0)); got != "100%" {
		t.Errorf("percent en: %q", got)
	}
	if got := percent(en, nil); got != "—" {
		t.Errorf("percent of nothing: %q", got)
	}
}

// TestRateChart: bars are proportional to the rate on the chart's width;
// a unit nobody is expected in has no bar.
func TestRateChart(t *testing.T) {
	half := 0.5
	c := newRateChart([]doc.UnitRate{{Name: "A", Rate: &half}, {Name: "B"}})
	if c.Width != chartWidth || c.Height != 2*rowHeight || c.Rows[0].Fill != chartWidth/2 || c.Rows[1].Fill != 0 || c.Rows[1].Y != rowHeight {
		t.Errorf("chart %+v", c)
	}
}

// TestWebApp: the manifest, the service worker and the offline page are
// served from the root without a session; the worker's shell lists files
// that exist; the icons are PNGs of their sizes.
func TestWebApp(t *testing.T) {
	h := newTestServer(t)
	w := serve(h, "GET", "/manifest.webmanifest")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %v", w.Code, w.Header())
	}
	var m struct {
		Name       string `json:"name"`
		StartURL   string `json:"start_url"`
		Display    string `json:"display"`
		ThemeColor string `json:"theme_color"`
		Scope      string `json:"scope"`
		Icons      []struct{ Src, Sizes, Type string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("the manifest is not JSON: %v", err)
	}
	if m.Name != "Sổ tay đảng viên" || m.StartURL != "/so-tay" || m.Display != "standalone" || m.ThemeColor != "#9b1c1c" || m.Scope != "/" || len(m.Icons) < 3 {
		t.Errorf("manifest %+v", m)
	}
	for _, icon := range m.Icons {
		got := serve(h, "GET", icon.Src)
		if got.Code != 200 || got.Header().Get("Content-Type") != icon.Type {
			t.Errorf("icon %s: %d %q", icon.Src, got.Code, got.Header().Get("Content-Type"))
			continue
		}
		if icon.Type == "image/png" {
			img, err := png.Decode(got.Body)
			if err != nil || icon.Sizes != fmt.Sprintf("%dx%d", img.Bounds().Dx(), img.Bounds().Dy()) {
				t.Errorf("icon %s (%s): %v", icon.Src, icon.Sizes, err)
			}
		}
	}

	w = serve(h, "GET", "/sw.js", "Accept-Encoding", "identity")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || w.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("sw.js: %d %v", w.Code, w.Header())
	}
	sw := w.Body.String()
	if strings.Contains(sw, "const VERSION = 'dev';") || !strings.Contains(sw, `"`+offlinePath+`"`) {
		t.Error("the worker's version and shell were not written")
	}
	for _, u := range shellURLs() {
		if !strings.Contains(sw, `"`+u+`"`) {
			t.Errorf("the worker's shell lacks %s", u)
		}
		if got := serve(h, "GET", u); got.Code != 200 {
			t.Errorf("shell file %s: %d", u, got.Code)
		}
	}
	if w := serve(h, "GET", "/sw.js", "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "gzip" {
		t.Error("the worker is not compressed")
	}

	w = serve(h, "GET", offlinePath)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Không có kết nối mạng") || strings.Contains(w.Body.String(), "dang-xuat") {
		t.Errorf("offline page: %d", w.Code)
	}
}

// shellURLs lists the hashed files of the worker's shell.
func shellURLs() []string {
	var out []string
	for _, name := range []string{"app.css", "app.js", "icon-192.png", "icon-512.png", "icon.svg"} {
		out = append(out, hashedNames[name])
	}
	return out
}
