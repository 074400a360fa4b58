package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// The input rules of issue 8 (items 4, 5, 8 and 14), checked from outside
// on both engines: one JSON value per body, no duplicate names, required
// keys, no-op writes, text that is text, bounded lists, one answer for a
// bad cursor, canonical ids, problem+json for cross-origin refusals and
// [] for empty lists.

// inputWorld is what the input tests act on.
type inputWorld struct {
	m                                 *Main
	admin, office, committee, member  *client
	phuTuc, cell                      unitJSON
	memberID                          int64
	docID, newsID, accountID, headsOf int64
}

func newInputWorld(t *testing.T, engine string) *inputWorld {
	m := startDemoOn(t, engine)
	w := &inputWorld{m: m, admin: m.signIn(t, "admin"), office: m.signIn(t, "vanphong"), committee: m.signIn(t, "danguy.phutuc"), member: m.signIn(t, "dangvien")}
	district := demoDistrict(t, w.admin)
	w.phuTuc = unitByName(t, w.admin, district.ID, "Đảng bộ xã Phú Túc")
	kids := childrenOf(w.admin, w.phuTuc.ID)
	for _, u := range kids {
		if u.Kind == "cell" {
			w.cell = u
			break
		}
	}
	if w.cell.ID == 0 {
		t.Fatal("no cell under Phú Túc")
	}
	first, _ := firstListedMember(t, w.office, w.cell.ID)
	w.memberID = int64(first["id"].(float64))
	var d docJSON
	if st := w.office.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "title": "Chỉ thị kiểm tra",
		"body": "Nội dung.", "audience": map[string]any{"unit_id": w.phuTuc.ID}}, &d); st != 201 {
		t.Fatalf("publish a document: %d", st)
	}
	w.docID = d.ID
	if st := w.committee.do("POST", "/api/v1/news", map[string]any{"title": "Tin kiểm tra", "category": "Hoạt động", "body": "Nội dung.",
		"audience": map[string]any{"unit_id": w.phuTuc.ID}}, &d); st != 201 {
		t.Fatalf("publish news: %d", st)
	}
	w.newsID = d.ID
	return w
}

// try sends a request and reads a problem document from a failed answer
// (an answer that is not one leaves the problem empty).
func try(c *client, method, path string, body any) (int, problemJSON) {
	c.t.Helper()
	var raw []byte
	st := c.do(method, path, body, &raw)
	var p problemJSON
	json.Unmarshal(raw, &p)
	return st, p
}

// auditCount counts the audit entries of an action.
func (w *inputWorld) auditCount(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := w.m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInputRules(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			w := newInputWorld(t, engine)
			t.Run("EmptyListsAreLists", w.testEmptyLists)
			t.Run("Decode", w.testDecode)
			t.Run("RequiredKeys", w.testRequired)
			t.Run("NoOpWrites", w.testNoOp)
			t.Run("Text", w.testText)
			t.Run("Caps", w.testCaps)
			t.Run("Cursors", w.testCursors)
			t.Run("IDs", w.testIDs)
			t.Run("CrossOrigin", w.testCrossOrigin)
		})
	}
}

// testEmptyLists: an account created without roles answers "roles": [].
func (w *inputWorld) testEmptyLists(t *testing.T) {
	var raw []byte
	if st := w.admin.do("POST", "/api/v1/accounts", `{"username":"kiemtra.input","password":"một mật khẩu dài"}`, &raw); st != 201 {
		t.Fatalf("create an account without roles: %d %s", st, raw)
	}
	if !bytes.Contains(raw, []byte(`"roles":[]`)) {
		t.Errorf("create without roles answers %s, want \"roles\":[]", raw)
	}
	var acc struct{ ID int64 }
	if err := json.Unmarshal(raw, &acc); err != nil || acc.ID == 0 {
		t.Fatalf("account: %s", raw)
	}
	w.accountID = acc.ID
}

func (w *inputWorld) testDecode(t *testing.T) {
	member := fmt.Sprintf("/api/v1/members/%d", w.memberID)
	unit := fmt.Sprintf("/api/v1/units/%d", w.cell.ID)
	for _, tt := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"two values", "PATCH", member, `{"position":"Bí thư"}{"position":"Phó bí thư"}`, 400},
		{"trailing text", "PATCH", member, `{"position":"Bí thư"} x`, 400},
		{"trailing array", "PATCH", unit, `{"name":"Chi bộ 1"}[]`, 400},
		{"duplicate key", "PATCH", unit, `{"name":"Chi bộ A","name":"Chi bộ B"}`, 400},
		{"duplicate key, escaped", "PATCH", member, `{"position":"A","posit\u0069on":"B"}`, 400},
		{"nested duplicate", "POST", "/api/v1/news", `{"title":"T","category":"C","body":"B","audience":{"unit_id":1,"unit_id":2}}`, 400},
		{"empty body", "PATCH", member, ``, 400},
		{"truncated", "PATCH", member, `{"position":`, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if st, p := try(w.office, tt.method, tt.path, tt.body); st != tt.want {
				t.Errorf("%s %s %s: got %d, want %d (%s)", tt.method, tt.path, tt.body, st, tt.want, p.Detail)
			}
		})
	}
}

// testRequired: a body without the key of a replacing write is 422 naming
// the key, and the data stays; only an explicit empty value clears.
func (w *inputWorld) testRequired(t *testing.T) {
	roles := fmt.Sprintf("/api/v1/accounts/%d/roles", w.accountID)
	if st := w.admin.do("PUT", roles, map[string]any{"roles": []map[string]any{{"unit_id": w.phuTuc.ID, "role": "committee"}}}, nil); st != 200 {
		t.Fatalf("give roles: %d", st)
	}
	note := fmt.Sprintf("/api/v1/documents/%d/note", w.docID)
	if st := w.member.do("PUT", note, map[string]string{"body": "Ghi nhớ"}, nil); st != 200 {
		t.Fatalf("write a note: %d", st)
	}
	head := fmt.Sprintf("/api/v1/units/%d/head", w.phuTuc.ID)
	var h struct {
		MemberID *int64 `json:"member_id"`
		Explicit bool   `json:"explicit"`
	}
	if st := w.office.do("GET", head, nil, &h); st != 200 || h.MemberID == nil || !h.Explicit {
		t.Fatalf("head of Phú Túc: %d %+v", st, h)
	}
	headMember := *h.MemberID
	for _, tt := range []struct {
		name      string
		c         *client
		method    string
		path      string
		body      string
		wantField []string
	}{
		{"roles without roles", w.admin, "PUT", roles, `{}`, []string{"roles"}},
		{"roles misspelt", w.admin, "PUT", roles, `{"role":[]}`, []string{"roles"}},
		{"note without body", w.member, "PUT", note, `{}`, []string{"body"}},
		{"note with text", w.member, "PUT", note, `{"text":"x"}`, []string{"body"}},
		{"head without member_id", w.office, "PUT", head, `{}`, []string{"member_id"}},
		{"rules without items", w.office, "PUT", "/api/v1/task-rules", `{}`, []string{"items"}},
		{"move without parent", w.admin, "POST", fmt.Sprintf("/api/v1/units/%d/move", w.cell.ID), `{"effective_on":"2026-01-01"}`, []string{"parent_id"}},
		{"merge without from and into", w.admin, "POST", "/api/v1/units/merge", `{}`, []string{"from", "into"}},
		{"comment without body", w.member, "POST", fmt.Sprintf("/api/v1/news/%d/comments", w.newsID), `{}`, []string{"body"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, p := try(tt.c, tt.method, tt.path, tt.body)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
			}
			if st != 422 || strings.Join(got, ",") != strings.Join(tt.wantField, ",") {
				t.Errorf("%s %s %s: got %d %v, want 422 %v", tt.method, tt.path, tt.body, st, got, tt.wantField)
			}
		})
	}
	// Nothing was wiped.
	c := w.m.signInPassword(t, "kiemtra.input", testPassword)
	var me struct {
		Roles []struct{ Role string } `json:"roles"`
	}
	if c.do("GET", "/api/v1/accounts/me", nil, &me); len(me.Roles) != 1 {
		t.Errorf("roles after a body without roles: %+v, want the committee role kept", me.Roles)
	}
	var n struct{ Body string }
	if w.member.do("GET", note, nil, &n); n.Body != "Ghi nhớ" {
		t.Errorf("note after a body without body: %q, want it kept", n.Body)
	}
	if w.office.do("GET", head, nil, &h); h.MemberID == nil || *h.MemberID != headMember || !h.Explicit {
		t.Errorf("head after a body without member_id: %+v, want %d kept", h, headMember)
	}
	// An explicit empty value clears.
	if st := w.member.do("PUT", note, `{"body":""}`, &n); st != 200 || n.Body != "" {
		t.Errorf("clear the note: %d %q", st, n.Body)
	}
	if st := w.admin.do("PUT", roles, `{"roles":[]}`, nil); st != 200 {
		t.Errorf("clear the roles with []: %d", st)
	}
	if c.do("GET", "/api/v1/accounts/me", nil, &me); len(me.Roles) != 0 {
		t.Errorf("roles after []: %+v, want none", me.Roles)
	}
}

// testNoOp: a write that changes nothing keeps the version and writes no
// audit entry, and answers 200 with the current object.
func (w *inputWorld) testNoOp(t *testing.T) {
	var mem memberJSON
	w.office.do("GET", fmt.Sprintf("/api/v1/members/%d", w.memberID), nil, &mem)
	var unit unitJSON
	w.admin.do("GET", fmt.Sprintf("/api/v1/units/%d", w.cell.ID), nil, &unit)
	note := fmt.Sprintf("/api/v1/documents/%d/note", w.docID)
	w.member.do("PUT", note, map[string]string{"body": "Cùng một ghi chú"}, nil)
	var h struct {
		MemberID *int64 `json:"member_id"`
	}
	head := fmt.Sprintf("/api/v1/units/%d/head", w.phuTuc.ID)
	w.office.do("GET", head, nil, &h)
	roles := fmt.Sprintf("/api/v1/accounts/%d/roles", w.accountID)
	sameRoles := map[string]any{"roles": []map[string]any{{"unit_id": w.phuTuc.ID, "role": "committee"}}}
	w.admin.do("PUT", roles, sameRoles, nil)
	for _, tt := range []struct {
		name, action string
		c            *client
		method, path string
		body         any
		version      int // the version the answer must carry (0: none)
	}{
		{"member, empty", "member.update", w.office, "PATCH", fmt.Sprintf("/api/v1/members/%d", w.memberID), `{}`, int(mem["version"].(float64))},
		{"member, same value", "member.update", w.office, "PATCH", fmt.Sprintf("/api/v1/members/%d", w.memberID), map[string]any{"full_name": mem["full_name"], "position": mem["position"]}, int(mem["version"].(float64))},
		{"member, null", "member.update", w.office, "PATCH", fmt.Sprintf("/api/v1/members/%d", w.memberID), `null`, int(mem["version"].(float64))},
		{"unit, empty", "unit.update", w.admin, "PATCH", fmt.Sprintf("/api/v1/units/%d", w.cell.ID), `{}`, unit.Version},
		{"unit, same name", "unit.update", w.admin, "PATCH", fmt.Sprintf("/api/v1/units/%d", w.cell.ID), map[string]any{"name": unit.Name, "code": unit.Code}, unit.Version},
		{"note, same text", "note.put", w.member, "PUT", note, map[string]string{"body": "Cùng một ghi chú"}, 0},
		{"head, same member", "unit.head", w.office, "PUT", head, map[string]any{"member_id": h.MemberID}, 0},
		{"roles, same roles", "account.roles", w.admin, "PUT", roles, sameRoles, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := w.auditCount(t, tt.action)
			var out map[string]any
			if st := tt.c.do(tt.method, tt.path, tt.body, &out); st != 200 {
				t.Fatalf("%s %s: got %d, want 200", tt.method, tt.path, st)
			}
			if tt.version != 0 {
				if v, _ := out["version"].(float64); int(v) != tt.version {
					t.Errorf("version after a no-op: got %v, want %d", out["version"], tt.version)
				}
			}
			if after := w.auditCount(t, tt.action); after != before {
				t.Errorf("audit entries %s: got %d after a no-op, want %d", tt.action, after, before)
			}
		})
	}
}

// testText: invalid UTF-8 is 400; control and bidirectional characters in
// a single-line field are 422 naming the field.
func (w *inputWorld) testText(t *testing.T) {
	member := fmt.Sprintf("/api/v1/members/%d", w.memberID)
	unit := fmt.Sprintf("/api/v1/units/%d", w.cell.ID)
	news := "/api/v1/news"
	newsBody := func(title, body string) string {
		b, _ := json.Marshal(map[string]any{"title": title, "category": "Hoạt động", "body": body, "audience": map[string]any{"unit_id": w.phuTuc.ID}})
		return string(b)
	}
	comment := fmt.Sprintf("/api/v1/news/%d/comments", w.newsID)
	for _, tt := range []struct {
		name         string
		c            *client
		method, path string
		body         string
		want         int
		field        string
	}{
		{"invalid UTF-8 in a body", w.office, "PATCH", member, "{\"position\":\"B\xed th\xff\"}", 400, ""},
		{"lone surrogate", w.office, "PATCH", member, `{"position":"\ud800"}`, 400, ""},
		{"NUL in a name", w.office, "PATCH", member, `{"full_name":"Nguyễn Văn\u0000 An"}`, 422, "full_name"},
		{"ESC in a name", w.office, "PATCH", member, `{"full_name":"Nguyễn \u001b[31mVăn An"}`, 422, "full_name"},
		{"C1 control in a position", w.office, "PATCH", member, `{"position":"Bí thư\u009b"}`, 422, "position"},
		{"RLO in a position", w.office, "PATCH", member, `{"position":"Bí thư\u202e"}`, 422, "position"},
		{"isolate in a unit name", w.admin, "PATCH", unit, `{"name":"Chi bộ \u2066Một"}`, 422, "name"},
		{"ESC in a unit code", w.admin, "PATCH", unit, `{"code":"CB\u001b1"}`, 422, "code"},
		{"RLM in a news title", w.committee, "POST", news, newsBody("Tin\u200f", "Nội dung"), 422, "title"},
		{"ESC in a news body", w.committee, "POST", news, newsBody("Tin", "Nội \u001b[2J dung"), 422, "body"},
		{"bidi in a comment", w.member, "POST", comment, `{"body":"Hay \u202equá"}`, 422, "body"},
		{"NUL in a comment", w.member, "POST", comment, `{"body":"Hay\u0000"}`, 422, "body"},
		{"BEL in a user name", w.admin, "POST", "/api/v1/accounts", `{"username":"ab\u0007cd","password":"một mật khẩu dài","roles":[]}`, 422, "username"},
		{"ALM in a user name", w.admin, "POST", "/api/v1/accounts", `{"username":"abc\u061c","password":"một mật khẩu dài","roles":[]}`, 422, "username"},
		{"lines and tabs in a news body", w.committee, "POST", news, newsBody("Tin nhiều dòng", "Dòng 1\n\tDòng 2\r\nDòng 3"), 201, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, p := try(tt.c, tt.method, tt.path, tt.body)
			if st != tt.want || tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
				t.Errorf("%s %s: got %d %+v, want %d on %q", tt.method, tt.path, st, p, tt.want, tt.field)
			}
		})
	}
	// Attachment names: in the query, in a multipart part.
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	attach := fmt.Sprintf("/api/v1/documents/%d/attachments", w.docID)
	if st, out := w.office.attach(attach, "", "hop-dong\u202efdp.exe", "application/pdf", pdf); st != 422 || !bytes.Contains(out, []byte(`"field":"filename"`)) {
		t.Errorf("bidi override in an attachment name: %d %s, want 422 on filename", st, out)
	}
	if st, out := w.office.attach(attach, "file", "t\u2067.pdf", "", pdf); st != 422 || !bytes.Contains(out, []byte(`"field":"filename"`)) {
		t.Errorf("an isolate in a multipart file name: %d %s, want 422 on filename", st, out)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "t\xff.pdf")
	fw.Write(pdf)
	mw.Close()
	req, _ := http.NewRequest("POST", w.office.base+attach, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if st := w.office.send(req, nil); st != 400 {
		t.Errorf("invalid UTF-8 in a multipart file name: %d, want 400", st)
	}
	// The query string.
	if st := w.office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=Nguy%%FFn", w.phuTuc.ID), nil, nil); st != 400 {
		t.Errorf("invalid UTF-8 in a query: %d, want 400", st)
	}
	// A NUL, which PostgreSQL refuses in text (the searches answered 500).
	for _, path := range []string{fmt.Sprintf("/api/v1/members?unit=%d&q=Nguy%%00n", w.phuTuc.ID), "/api/v1/units?q=phu%00tuc", "/api/v1/search?q=ngh%00i", "/api/v1/units?q%00=a", "/api/v1/units?=a%00"} {
		if st := w.office.do("GET", path, nil, nil); st != 400 {
			t.Errorf("a NUL in %s: %d, want 400", path, st)
		}
	}
}

// testCaps: every list in a body holds at most 500 items.
func (w *inputWorld) testCaps(t *testing.T) {
	ids := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"ids":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"doc-%d"`, 900000+i)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	if st, p := try(w.member, "POST", "/api/v1/notifications/read", ids(501)); st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "ids" {
		t.Errorf("mark 501 ids read: %d %+v, want 422 on ids", st, p)
	}
	if st := w.member.do("POST", "/api/v1/notifications/read", ids(500), nil); st != 200 {
		t.Errorf("mark 500 ids read: %d, want 200", st)
	}
	var roles strings.Builder
	roles.WriteString(`{"roles":[`)
	for i := range 501 {
		if i > 0 {
			roles.WriteByte(',')
		}
		fmt.Fprintf(&roles, `{"unit_id":%d,"role":"member"}`, w.cell.ID)
	}
	roles.WriteString(`]}`)
	if st, p := try(w.admin, "PUT", fmt.Sprintf("/api/v1/accounts/%d/roles", w.accountID), roles.String()); st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "roles" {
		t.Errorf("501 roles: %d %+v, want 422 on roles", st, p)
	}
	// The mark-read of the ids that are the reader's still works.
	var ib struct {
		Items []struct {
			ID   string `json:"id"`
			Read bool   `json:"read"`
		} `json:"items"`
	}
	w.member.do("GET", "/api/v1/notifications", nil, &ib)
	var mine []string
	for _, it := range ib.Items {
		if strings.HasPrefix(it.ID, "doc-") {
			mine = append(mine, it.ID)
		}
	}
	if len(mine) == 0 {
		t.Fatal("the member has no new-document item")
	}
	var marked struct{ Marked int }
	body := map[string]any{"ids": append(mine, mine[0], "doc-999999999")}
	if st := w.member.do("POST", "/api/v1/notifications/read", body, &marked); st != 200 || marked.Marked != len(mine) {
		t.Errorf("mark %v read: %d marked %d, want %d", mine, st, marked.Marked, len(mine))
	}
	w.member.do("GET", "/api/v1/notifications?unread=true", nil, &ib)
	for _, it := range ib.Items {
		for _, id := range mine {
			if it.ID == id {
				t.Errorf("%s is still unread", id)
			}
		}
	}
}

// testCursors: a cursor that no list wrote is 422 on every list.
func (w *inputWorld) testCursors(t *testing.T) {
	lists := []struct {
		c    *client
		path string
	}{
		{w.office, fmt.Sprintf("/api/v1/members?unit=%d", w.phuTuc.ID)},
		{w.office, fmt.Sprintf("/api/v1/members/due-full?unit=%d", w.phuTuc.ID)},
		{w.office, "/api/v1/audit"},
		{w.member, "/api/v1/notifications"},
		{w.member, "/api/v1/documents"},
		{w.member, "/api/v1/news"},
		{w.member, "/api/v1/bookmarks"},
		{w.member, fmt.Sprintf("/api/v1/news/%d/comments", w.newsID)},
		{w.office, fmt.Sprintf("/api/v1/documents/%d/receipts", w.docID)},
		{w.office, "/api/v1/tasks"},
		{w.office, "/api/v1/tasks?order=due"},
	}
	for _, l := range lists {
		for _, cur := range []string{"AAAA", "-5", "%2B5", "05", "zz", "AQ", "Zm9vfGJhcnxiYXo"} {
			sep := "?"
			if strings.Contains(l.path, "?") {
				sep = "&"
			}
			if st, p := try(l.c, "GET", l.path+sep+"cursor="+cur, nil); st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "cursor" {
				t.Errorf("%s cursor=%s: got %d %+v, want 422 on cursor", l.path, cur, st, p)
			}
		}
	}
}

// testIDs: ids are canonical positive decimals: else 404 in a path, 422 in
// a query.
func (w *inputWorld) testIDs(t *testing.T) {
	id := fmt.Sprint(w.cell.ID)
	if st := w.admin.do("GET", "/api/v1/units/"+id, nil, nil); st != 200 {
		t.Fatalf("the unit itself: %d", st)
	}
	for _, form := range []string{"+" + id, "0" + id, "%20" + id, id + "%20", "-" + id, "0", "00"} {
		if st := w.admin.do("GET", "/api/v1/units/"+form, nil, nil); st != 404 {
			t.Errorf("GET /units/%s: got %d, want 404", form, st)
		}
		if st, p := try(w.admin, "GET", "/api/v1/units?parent="+form, nil); st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "parent" {
			t.Errorf("GET /units?parent=%s: got %d %+v, want 422 on parent", form, st, p)
		}
	}
}

// testCrossOrigin: a cross-origin write is refused with problem+json.
func (w *inputWorld) testCrossOrigin(t *testing.T) {
	req, _ := http.NewRequest("POST", w.admin.base+"/api/v1/units", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p problemJSON
	dec := json.NewDecoder(resp.Body)
	derr := dec.Decode(&p)
	if resp.StatusCode != 403 || resp.Header.Get("Content-Type") != "application/problem+json" || derr != nil || p.Status != 403 {
		t.Errorf("cross-origin POST: got %d %q %+v (%v), want 403 application/problem+json", resp.StatusCode, resp.Header.Get("Content-Type"), p, derr)
	}
}
