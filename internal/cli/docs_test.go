package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

type docJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Type        string `json:"type"`
	Number      string `json:"number"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	BodyHTML    string `json:"body_html"`
	Version     int    `json:"version"`
	Read        *bool  `json:"read"`
	ReadVersion int    `json:"read_version"`
	Bookmarked  bool   `json:"bookmarked"`
	Attachments []struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		MediaType string `json:"media_type"`
	} `json:"attachments"`
}

type hitJSON struct {
	Kind    string  `json:"kind"`
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	Number  string  `json:"number"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
}

type rateJSON struct {
	UnitID   int64    `json:"unit_id"`
	Name     string   `json:"name"`
	Expected int      `json:"expected"`
	Read     int      `json:"read"`
	Rate     *float64 `json:"rate"`
}

type receiptsJSON struct {
	Version  int        `json:"version"`
	Unit     rateJSON   `json:"unit"`
	Children []rateJSON `json:"children"`
	NotRead  listJSON[struct {
		ID       int64  `json:"id"`
		FullName string `json:"full_name"`
	}] `json:"not_read"`
}

// find returns the document with id in a list, or nil.
func find(items []docJSON, id int64) *docJSON {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

func hitIDs(hs []hitJSON, kind string) map[int64]bool {
	out := map[int64]bool{}
	for _, h := range hs {
		if h.Kind == kind {
			out[h.ID] = true
		}
	}
	return out
}

// attach sends a file as the raw body (or as multipart when field != "").
func (c *client) attach(path, field, filename, mediaType string, content []byte) (int, []byte) {
	c.t.Helper()
	var body io.Reader = bytes.NewReader(content)
	ct := mediaType
	if field != "" {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile(field, filename)
		fw.Write(content)
		mw.Close()
		body, ct = &buf, mw.FormDataContentType()
	} else if filename != "" {
		path += "?filename=" + url.QueryEscape(filename)
	}
	req, _ := http.NewRequest("POST", c.base+path, body)
	req.Header.Set("Content-Type", ct)
	var out []byte
	st := c.send(req, &out)
	return st, out
}

// fetch gets a path (with the headers given as name, value, …) and
// returns the status, headers and body.
func (c *client) fetch(path string, headers ...string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.roundTrip(req)
}

// TestAPIDocuments is the documents journey: the district office publishes
// a directive to commune Phú Túc; a member there sees it unread, reads it,
// sees it read; the office sees the read rate; a member of another commune
// can neither open nor find it; a revision makes it unread again.
func TestAPIDocuments(t *testing.T) { bothEngines(t, testAPIDocuments) }

func testAPIDocuments(t *testing.T, m *Main) {
	admin, office, member := m.signIn(t, "admin"), m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
	district, phuTuc, chauCan := apiUnits(t, admin)

	// A member of Châu Can with an account.
	var cc listJSON[memberJSON]
	office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=1", chauCan.ID), nil, &cc)
	if len(cc.Items) != 1 {
		t.Fatal("no member in Châu Can")
	}
	ccID, ccCell := int64(cc.Items[0]["id"].(float64)), int64(cc.Items[0]["unit_id"].(float64))
	other := m.newAccount(t, office, map[string]any{"username": "dangvien.chaucan", "member_id": ccID, "roles": []map[string]any{{"unit_id": ccCell, "role": "member"}}})

	// Publishing: validation, then the directive with the next number.
	var bad problemJSON
	if st := office.do("POST", "/api/v1/documents", map[string]any{"type": "XX", "issuer_code": "h1", "title": "", "audience": map[string]any{"unit_id": phuTuc.ID}}, &bad); st != 422 || len(bad.Errors) < 3 {
		t.Errorf("invalid document: %d %+v", st, bad)
	}
	if st := office.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "title": "Ngoài huyện",
		"audience": map[string]any{"unit_id": *district.ParentID}}, nil); st != 404 {
		t.Errorf("office publishing to the city: %d, want 404", st)
	}
	if st := member.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "title": "Của đảng viên",
		"audience": map[string]any{"unit_id": phuTuc.ID}}, nil); st != 404 {
		t.Errorf("a member publishing: %d, want 404", st)
	}
	body := "Các cấp ủy **quán triệt** nghiêm túc.<script>alert(1)</script>\n\n[Xem](javascript:alert(2)) và [văn bản gốc](https://dangcongsan.vn/ct24)"
	var d docJSON
	if st := office.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "issued_on": "2026-11-20",
		"title": "Chỉ thị về tăng cường kỷ luật, kỷ cương trong giải quyết công việc", "summary": "Siết chặt kỷ cương",
		"body": body, "audience": map[string]any{"unit_id": phuTuc.ID}}, &d); st != 201 {
		t.Fatalf("publish: %d", st)
	}
	if d.Number != "01-CT/HU" || d.Version != 1 {
		t.Errorf("published %s version %d, want 01-CT/HU version 1", d.Number, d.Version)
	}
	var d2 docJSON
	office.do("POST", "/api/v1/documents", map[string]any{"number": "Số 7/ct-hu", "title": "Chỉ thị số 7", "audience": map[string]any{"unit_id": district.ID}}, &d2)
	if d2.Number != "07-CT/HU" {
		t.Errorf("a number given loosely: %q, want 07-CT/HU", d2.Number)
	}
	if st := office.do("POST", "/api/v1/documents", map[string]any{"number": "07-CT/HU", "title": "Trùng số", "audience": map[string]any{"unit_id": district.ID}}, nil); st != 409 {
		t.Errorf("the same number again: %d, want 409", st)
	}

	// The member sees it unread, reads it, sees it read.
	var l listJSON[docJSON]
	member.do("GET", "/api/v1/documents", nil, &l)
	if it := find(l.Items, d.ID); it == nil || it.Read == nil || *it.Read {
		t.Fatalf("member's list before reading: %+v", it)
	}
	member.do("GET", "/api/v1/documents?unread=true", nil, &l)
	if find(l.Items, d.ID) == nil {
		t.Error("unread=true lacks the directive")
	}
	var got docJSON
	if st := member.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, &got); st != 200 {
		t.Fatalf("member reads: %d", st)
	}
	if got.Read == nil || !*got.Read {
		t.Errorf("after reading: read = %v", got.Read)
	}
	if strings.Contains(got.BodyHTML, "<script") || strings.Contains(got.BodyHTML, "javascript") || !strings.Contains(got.BodyHTML, "<strong>quán triệt</strong>") ||
		!strings.Contains(got.BodyHTML, `href="https://dangcongsan.vn/ct24"`) {
		t.Errorf("body_html not sanitised as expected: %s", got.BodyHTML)
	}
	member.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, nil) // a second read records nothing new
	member.do("GET", "/api/v1/documents", nil, &l)
	if it := find(l.Items, d.ID); it == nil || it.Read == nil || !*it.Read {
		t.Errorf("member's list after reading: %+v", it)
	}
	member.do("GET", "/api/v1/documents?unread=true", nil, &l)
	if find(l.Items, d.ID) != nil {
		t.Error("unread=true still lists the directive")
	}

	// The office's read rates for Phú Túc: one read.
	var rec receiptsJSON
	if st := office.do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts?unit=%d&limit=5", d.ID, phuTuc.ID), nil, &rec); st != 200 {
		t.Fatalf("receipts: %d", st)
	}
	if rec.Unit.Read != 1 || rec.Unit.Expected < 200 || len(rec.Children) != 15 {
		t.Errorf("receipts for Phú Túc: %+v with %d children", rec.Unit, len(rec.Children))
	}
	readIn, sum := 0, 0
	for _, c := range rec.Children {
		readIn += c.Read
		sum += c.Expected
	}
	if readIn != 1 || sum != rec.Unit.Expected {
		t.Errorf("children: %d read, %d expected; want 1 and %d", readIn, sum, rec.Unit.Expected)
	}
	if rec.NotRead.Total != rec.Unit.Expected-1 || len(rec.NotRead.Items) != 5 || rec.NotRead.NextCursor == nil {
		t.Errorf("not read: total %d, %d items", rec.NotRead.Total, len(rec.NotRead.Items))
	}
	var recDistrict receiptsJSON
	office.do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts?unit=%d", d.ID, district.ID), nil, &recDistrict)
	if recDistrict.Unit.Read != 1 || recDistrict.Unit.Expected != rec.Unit.Expected {
		t.Errorf("district roll-up %+v, want the commune's %+v", recDistrict.Unit, rec.Unit)
	}
	if st := member.do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts", d.ID), nil, nil); st != 404 {
		t.Errorf("a member asking for read rates: %d, want 404", st)
	}
	if st := m.signIn(t, "danguy.phutuc").do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts?unit=%d", d.ID, district.ID), nil, nil); st != 404 {
		t.Errorf("the commune asking for the district's rates: %d, want 404", st)
	}

	// Search: the member finds it without diacritics or by its number.
	for _, q := range []string{"chi thi ky cuong", "kỷ cương", "1/ct-hu", "Số 01 CT HU"} {
		var hits listJSON[hitJSON]
		if st := member.do("GET", "/api/v1/search?q="+url.QueryEscape(q), nil, &hits); st != 200 {
			t.Fatalf("search %q: %d", q, st)
		}
		if !hitIDs(hits.Items, "document")[d.ID] {
			t.Errorf("search %q: %+v lacks the directive", q, hits.Items)
		}
		if len(hitIDs(hits.Items, "member")) > 0 {
			t.Errorf("search %q by a member lists members", q)
		}
	}
	var hits listJSON[hitJSON]
	member.do("GET", "/api/v1/search?q="+url.QueryEscape("ky cuong"), nil, &hits)
	if len(hits.Items) == 0 || !strings.Contains(hits.Items[0].Snippet, "«") {
		t.Errorf("snippet without highlight: %+v", hits.Items)
	}
	office.do("GET", "/api/v1/search?q="+url.QueryEscape("nguyen van"), nil, &hits)
	if len(hitIDs(hits.Items, "member")) == 0 {
		t.Error("the office's search finds no member named Nguyễn Văn")
	}

	// A member of another commune neither sees nor finds it.
	if st := other.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, nil); st != 404 {
		t.Errorf("Châu Can member opens it: %d, want 404", st)
	}
	other.do("GET", "/api/v1/documents", nil, &l)
	if find(l.Items, d.ID) != nil {
		t.Error("Châu Can member lists it")
	}
	other.do("GET", "/api/v1/search?q="+url.QueryEscape("chi thi ky cuong"), nil, &hits)
	if hitIDs(hits.Items, "document")[d.ID] {
		t.Error("Châu Can member finds it")
	}
	for _, p := range []string{"/note", "/receipts", "/revisions"} {
		if st := other.do("GET", fmt.Sprintf("/api/v1/documents/%d%s", d.ID, p), nil, nil); st != 404 {
			t.Errorf("Châu Can member GET %s: %d, want 404", p, st)
		}
	}
	if st := other.do("PUT", fmt.Sprintf("/api/v1/documents/%d/bookmark", d.ID), nil, nil); st != 404 {
		t.Errorf("Châu Can member bookmarks it: %d, want 404", st)
	}

	// Attachments: a PDF with a Vietnamese name, served only to readers.
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	st, out := office.attach(fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID), "", "Chỉ thị 01.pdf", "application/pdf", pdf)
	if st != 201 {
		t.Fatalf("attach a PDF: %d %s", st, out)
	}
	st, _ = office.attach(fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID), "file", "phu-luc.pdf", "", pdf)
	if st != 201 {
		t.Errorf("attach as multipart: %d", st)
	}
	if st, _ := office.attach(fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID), "", "x.pdf", "application/pdf", []byte("<html><script>alert(1)</script>")); st != 415 {
		t.Errorf("HTML named .pdf: %d, want 415", st)
	}
	if st, _ := office.attach(fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID), "", "big.pdf", "application/pdf", append([]byte("%PDF-"), make([]byte, 21<<20)...)); st != 413 {
		t.Errorf("21 MiB: %d, want 413", st)
	}
	if st, _ := member.attach(fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID), "", "x.pdf", "application/pdf", pdf); st != 404 {
		t.Errorf("a member attaching: %d, want 404", st)
	}
	member.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, &got)
	if len(got.Attachments) != 2 || got.Attachments[0].Name != "Chỉ thị 01.pdf" {
		t.Fatalf("attachments: %+v", got.Attachments)
	}
	st, h, b := member.fetch(fmt.Sprintf("/api/v1/documents/%d/attachments/%d", d.ID, got.Attachments[0].ID))
	if st != 200 || !bytes.Equal(b, pdf) || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''Ch%E1%BB%89%20th%E1%BB%8B%2001.pdf") ||
		!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="Chi thi 01.pdf"`) {
		t.Errorf("download: %d %v", st, h)
	}
	if st, _, _ := other.fetch(fmt.Sprintf("/api/v1/documents/%d/attachments/%d", d.ID, got.Attachments[0].ID)); st != 404 {
		t.Errorf("Châu Can member downloads: %d, want 404", st)
	}

	// Notes and bookmarks are the member's own.
	if st := member.do("PUT", fmt.Sprintf("/api/v1/documents/%d/note", d.ID), map[string]string{"body": "Nhớ quán triệt ở buổi sinh hoạt tháng 12"}, nil); st != 200 {
		t.Errorf("put note: %d", st)
	}
	var note struct{ Body string }
	member.do("GET", fmt.Sprintf("/api/v1/documents/%d/note", d.ID), nil, &note)
	if note.Body != "Nhớ quán triệt ở buổi sinh hoạt tháng 12" {
		t.Errorf("note: %q", note.Body)
	}
	office.do("GET", fmt.Sprintf("/api/v1/documents/%d/note", d.ID), nil, &note)
	if note.Body != "" {
		t.Errorf("the office reads the member's note: %q", note.Body)
	}
	if st := member.do("PUT", fmt.Sprintf("/api/v1/documents/%d/bookmark", d.ID), nil, nil); st != 204 {
		t.Errorf("bookmark: %d", st)
	}
	member.do("PUT", fmt.Sprintf("/api/v1/documents/%d/bookmark", d.ID), nil, nil)
	var bms listJSON[docJSON]
	member.do("GET", "/api/v1/bookmarks", nil, &bms)
	if bms.Total != 1 || bms.Items[0].ID != d.ID || !bms.Items[0].Bookmarked {
		t.Errorf("bookmarks: %+v", bms)
	}
	member.do("DELETE", fmt.Sprintf("/api/v1/documents/%d/bookmark", d.ID), nil, nil)
	member.do("GET", "/api/v1/bookmarks", nil, &bms)
	if bms.Total != 0 {
		t.Errorf("bookmarks after removing: %+v", bms)
	}

	// A revision asks the member to read again; the old text stays readable.
	if st := member.do("PATCH", fmt.Sprintf("/api/v1/documents/%d", d.ID), map[string]string{"body": "x"}, nil); st != 404 {
		t.Errorf("a member revising: %d, want 404", st)
	}
	var rev docJSON
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/documents/%d", d.ID), map[string]string{"body": "Nội dung **sửa đổi**: thêm mục 5."}, &rev, "If-Match", `"1"`); st != 200 || rev.Version != 2 {
		t.Fatalf("revise: %d version %d", st, rev.Version)
	}
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/documents/%d", d.ID), map[string]string{"title": "Cũ"}, nil, "If-Match", `"1"`); st != 409 {
		t.Errorf("a stale revision: %d, want 409", st)
	}
	member.do("GET", "/api/v1/documents", nil, &l)
	if it := find(l.Items, d.ID); it == nil || it.Read == nil || *it.Read || it.ReadVersion != 1 {
		t.Errorf("after the revision the member's list says %+v, want unread (read version 1)", it)
	}
	office.do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts?unit=%d", d.ID, phuTuc.ID), nil, &rec)
	if rec.Unit.Read != 0 || rec.Version != 2 {
		t.Errorf("receipts after the revision: %+v version %d", rec.Unit, rec.Version)
	}
	member.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, &got)
	if got.Read == nil || !*got.Read || got.ReadVersion != 2 || !strings.Contains(got.BodyHTML, "<strong>sửa đổi</strong>") {
		t.Errorf("reading the revision: %+v", got)
	}
	var old struct{ Body, BodyHTML string }
	if st := member.do("GET", fmt.Sprintf("/api/v1/documents/%d/revisions/1", d.ID), nil, &old); st != 200 || old.Body != body {
		t.Errorf("revision 1: %d %q", st, old.Body)
	}
	var revs listJSON[struct{ Version int }]
	member.do("GET", fmt.Sprintf("/api/v1/documents/%d/revisions", d.ID), nil, &revs)
	if revs.Total != 2 || revs.Items[0].Version != 2 {
		t.Errorf("revisions: %+v", revs)
	}

	// Every write is in the audit trail.
	var audit listJSON[struct{ Action string }]
	office.do("GET", fmt.Sprintf("/api/v1/audit?unit=%d&object=document:%d&limit=50", phuTuc.ID, d.ID), nil, &audit)
	actions := map[string]bool{}
	for _, a := range audit.Items {
		actions[a.Action] = true
	}
	for _, a := range []string{"document.create", "document.revise", "document.attach"} {
		if !actions[a] {
			t.Errorf("the audit trail lacks %s (has %v)", a, actions)
		}
	}
	// The member's note and bookmarks are in the trail, but private: the
	// office browsing the log does not see them.
	for _, a := range []string{"note.put", "bookmark.add", "bookmark.remove"} {
		var n int
		m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_id = $2`, a, d.ID).Scan(&n)
		if n == 0 {
			t.Errorf("the audit trail lacks %s", a)
		}
		if actions[a] {
			t.Errorf("the office's audit log shows the member's private %s", a)
		}
	}
}

// TestAPINews: news for a commune, comments by its members, hidden by its
// committee and kept in the audit trail.
func TestAPINews(t *testing.T) { bothEngines(t, testAPINews) }

func testAPINews(t *testing.T, m *Main) {
	admin, committee, member, office := m.signIn(t, "admin"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "dangvien"), m.signIn(t, "vanphong")
	_, phuTuc, chauCan := apiUnits(t, admin)

	// The demo's own news are there before: the two below come on top.
	var before, beforeFeat listJSON[docJSON]
	member.do("GET", "/api/v1/news", nil, &before)
	member.do("GET", "/api/v1/news?featured=true", nil, &beforeFeat)
	var n, feat docJSON
	if st := committee.do("POST", "/api/v1/news", map[string]any{"title": "Hội nghị quán triệt Nghị quyết", "category": "Hoạt động",
		"body": "Sáng nay, Đảng ủy xã tổ chức hội nghị.", "audience": map[string]any{"unit_id": phuTuc.ID}}, &n); st != 201 {
		t.Fatalf("publish news: %d", st)
	}
	if st := committee.do("POST", "/api/v1/news", map[string]any{"title": "Ra quân dọn vệ sinh", "category": "Phong trào", "featured": true,
		"body": "Toàn xã ra quân.", "audience": map[string]any{"unit_id": phuTuc.ID}}, &feat); st != 201 {
		t.Fatalf("publish featured news: %d", st)
	}
	if st := committee.do("POST", "/api/v1/news", map[string]any{"title": "Ngoài xã", "category": "x", "body": "x", "audience": map[string]any{"unit_id": chauCan.ID}}, nil); st != 404 {
		t.Errorf("news for another commune: %d, want 404", st)
	}
	var l listJSON[docJSON]
	member.do("GET", "/api/v1/news", nil, &l)
	if l.Total != before.Total+2 || l.Items[0].ID != feat.ID || l.Items[1].ID != n.ID {
		t.Errorf("news list: %+v, want the two new ones on top of %d", l, before.Total)
	}
	member.do("GET", "/api/v1/news?featured=true", nil, &l)
	if l.Total != beforeFeat.Total+1 || l.Items[0].ID != feat.ID {
		t.Errorf("featured news: %+v", l)
	}
	if st := member.do("GET", fmt.Sprintf("/api/v1/documents/%d", n.ID), nil, nil); st != 404 {
		t.Errorf("news under /documents: %d, want 404", st)
	}
	var c struct {
		ID     int64
		Author string
	}
	if st := member.do("POST", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), map[string]string{"body": "Nội dung rất thiết thực!"}, &c); st != 201 || c.Author == "" {
		t.Fatalf("comment: %d %+v", st, c)
	}
	member.do("POST", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), map[string]string{"body": "Bình luận không phù hợp"}, &c)
	if st := member.do("POST", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), map[string]string{"body": "   "}, nil); st != 422 {
		t.Errorf("empty comment: %d, want 422", st)
	}
	var comments listJSON[struct{ ID int64 }]
	member.do("GET", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), nil, &comments)
	if comments.Total != 2 {
		t.Fatalf("comments: %+v", comments)
	}
	if st := member.do("POST", fmt.Sprintf("/api/v1/comments/%d/hide", c.ID), nil, nil); st != 404 {
		t.Errorf("a member hiding: %d, want 404", st)
	}
	if st := committee.do("POST", fmt.Sprintf("/api/v1/comments/%d/hide", c.ID), map[string]string{"reason": "không phù hợp"}, nil); st != 200 {
		t.Errorf("the committee hides: %d", st)
	}
	member.do("GET", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), nil, &comments)
	if comments.Total != 1 || comments.Items[0].ID == c.ID {
		t.Errorf("after hiding: %+v", comments)
	}
	var audit listJSON[struct {
		Action string
		Before map[string]any
	}]
	office.do("GET", fmt.Sprintf("/api/v1/audit?unit=%d&object=comment:%d", phuTuc.ID, c.ID), nil, &audit)
	found := false
	for _, a := range audit.Items {
		if a.Action == "comment.hide" && a.Before["body"] == "Bình luận không phù hợp" {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit trail lacks the hidden comment's text: %+v", audit.Items)
	}
	// Search finds news too.
	var hits listJSON[hitJSON]
	member.do("GET", "/api/v1/search?q="+url.QueryEscape("hoi nghi quan triet"), nil, &hits)
	if !hitIDs(hits.Items, "news")[n.ID] {
		t.Errorf("search lacks the news: %+v", hits.Items)
	}
}

// The documents API in the permission matrix (permissions_test.go): the
// objects are a document, a piece of news and a comment published to each
// fixture cell, so that "in reach" (the role's unit is above the cell) is
// exactly "may read".
var (
	permPublishDocs = []string{"admin", "vanphong", "btv", "danguy.phutuc"}
	permPublishNews = []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc"}
)

// docPermFixtures publishes, as the system, one document and one piece of
// news (with a comment) to each fixture unit.
func docPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	admin := demoAccount(t, m, "admin")
	for _, u := range fx.objects["unit"] {
		aud := doc.Audience{UnitID: u.id}
		d, err := m.App.Docs.Create(ctx, sys, doc.CreateInput{Type: "TB", IssuerCode: "CB", Title: "Thông báo " + u.name, Body: "Nội dung", Audience: aud})
		if err != nil {
			t.Fatal(err)
		}
		n, err := m.App.Docs.CreateNews(ctx, sys, doc.NewsInput{Title: "Tin " + u.name, Category: "Tin tức", Body: "Nội dung", Audience: aud})
		if err != nil {
			t.Fatal(err)
		}
		c := &doc.Comment{NewsID: n.ID, AccountID: admin.ID, Body: "Bình luận"}
		if err := m.App.Docs.Store.AddNewsComment(ctx, c, auth.AuditEntry{Actor: sys, Action: "comment.create", ObjectType: "comment"}); err != nil {
			t.Fatal(err)
		}
		fx.objects["document"] = append(fx.objects["document"], permObject{"document for the " + u.name, d.ID, u.path})
		fx.objects["news"] = append(fx.objects["news"], permObject{"news for the " + u.name, n.ID, u.path})
		fx.objects["comment"] = append(fx.objects["comment"], permObject{"comment on news for the " + u.name, c.ID, u.path})
	}
}

// docPermEntries are the permission-matrix entries of api_docs.go.
func docPermEntries() map[string]permEntry {
	one := signedIn
	return map[string]permEntry{
		"GET /api/v1/document-types": one(permProbe{method: "GET", path: "/api/v1/document-types", allowed: everyone(200)}),
		"GET /api/v1/documents":      one(permProbe{method: "GET", path: "/api/v1/documents?q=thong+bao", allowed: everyone(200)}),
		// Publishing: the audience unit is reached before the (empty) title is refused.
		"POST /api/v1/documents": one(permProbe{method: "POST", path: "/api/v1/documents", obj: "unit", ctype: jsonType,
			body: `{"type":"TB","issuer_code":"CB","title":"","audience":{"unit_id":{id}}}`, allowed: allow(permPublishDocs, 422)}),
		"GET /api/v1/documents/{id}": one(permProbe{method: "GET", path: "/api/v1/documents/{id}", obj: "document", allowed: everyone(200)}),
		"PATCH /api/v1/documents/{id}": one(permProbe{method: "PATCH", path: "/api/v1/documents/{id}", obj: "document", ctype: jsonType,
			body: `{"title":""}`, allowed: allow(permPublishDocs, 422)}),
		"GET /api/v1/documents/{id}/revisions": one(permProbe{method: "GET", path: "/api/v1/documents/{id}/revisions", obj: "document", allowed: everyone(200)}),
		"GET /api/v1/documents/{id}/revisions/{version}": one(permProbe{method: "GET", path: "/api/v1/documents/{id}/revisions/1", obj: "document",
			allowed: everyone(200)}),
		// Not a PDF: refused (415) once the document is reached.
		"POST /api/v1/documents/{id}/attachments": one(permProbe{method: "POST", path: "/api/v1/documents/{id}/attachments", obj: "document",
			ctype: "text/plain", body: "not an office file", allowed: allow(permPublishDocs, 415)}),
		// No such attachment: 404 for everyone, readers included.
		"GET /api/v1/documents/{id}/attachments/{aid}": one(permProbe{method: "GET", path: "/api/v1/documents/{id}/attachments/999999", obj: "document",
			allowed: everyone(404)}),
		"GET /api/v1/documents/{id}/receipts": one(permProbe{method: "GET", path: "/api/v1/documents/{id}/receipts", obj: "document",
			allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/documents/{id}/note": one(permProbe{method: "GET", path: "/api/v1/documents/{id}/note", obj: "document", allowed: everyone(200)}),
		"PUT /api/v1/documents/{id}/note": one(permProbe{method: "PUT", path: "/api/v1/documents/{id}/note", obj: "document", ctype: jsonType,
			body: `{"body":"ghi chú"}`, allowed: everyone(200)}),
		"PUT /api/v1/documents/{id}/bookmark":    one(permProbe{method: "PUT", path: "/api/v1/documents/{id}/bookmark", obj: "document", allowed: everyone(204)}),
		"DELETE /api/v1/documents/{id}/bookmark": one(permProbe{method: "DELETE", path: "/api/v1/documents/{id}/bookmark", obj: "document", allowed: everyone(204)}),
		"GET /api/v1/bookmarks":                  one(permProbe{method: "GET", path: "/api/v1/bookmarks", allowed: everyone(200)}),
		"GET /api/v1/search":                     one(permProbe{method: "GET", path: "/api/v1/search?q=nguyen", allowed: everyone(200)}),
		"GET /api/v1/news":                       one(permProbe{method: "GET", path: "/api/v1/news", allowed: everyone(200)}),
		"POST /api/v1/news": one(permProbe{method: "POST", path: "/api/v1/news", obj: "unit", ctype: jsonType,
			body: `{"title":"","category":"Tin","body":"x","audience":{"unit_id":{id}}}`, allowed: allow(permPublishNews, 422)}),
		"GET /api/v1/news/{id}": one(permProbe{method: "GET", path: "/api/v1/news/{id}", obj: "news", allowed: everyone(200)}),
		"PATCH /api/v1/news/{id}": one(permProbe{method: "PATCH", path: "/api/v1/news/{id}", obj: "news", ctype: jsonType,
			body: `{"title":""}`, allowed: allow(permPublishNews, 422)}),
		"GET /api/v1/news/{id}/comments": one(permProbe{method: "GET", path: "/api/v1/news/{id}/comments", obj: "news", allowed: everyone(200)}),
		"POST /api/v1/news/{id}/comments": one(permProbe{method: "POST", path: "/api/v1/news/{id}/comments", obj: "news", ctype: jsonType,
			body: `{"body":""}`, allowed: everyone(422)}),
		"POST /api/v1/comments/{id}/hide": one(permProbe{method: "POST", path: "/api/v1/comments/{id}/hide", obj: "comment", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/terms":               one(permProbe{method: "GET", path: "/api/v1/terms?unit={id}", obj: "unit", allowed: everyone(200)}),
		"POST /api/v1/terms": one(permProbe{method: "POST", path: "/api/v1/terms", obj: "unit", ctype: jsonType,
			body: `{"unit_id":{id},"starts_on":"2030-01-01","ends_on":"2020-01-01"}`, allowed: allow(permWriteUnits, 422)}),
	}
}
