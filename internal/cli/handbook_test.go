package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/store"
)

// handbookWorld is the demo district with what the handbook tests need: the
// district office, the member dangvien (a Phú Túc cell), and a member of
// commune Châu Can with an account created by the admin through the API.
type handbookWorld struct {
	m                         *Main
	admin, office, member     *client
	other                     *client // the Châu Can member
	district, phuTuc, chauCan unitJSON
	memberID                  int64 // dangvien's member record
	memberAccount             int64
}

// clearDemoNotices deletes the demo's shift notices and conference
// invitations (the demo mobilises and invites dangvien), so that the
// inbox tests count only what they add. A write of a member's record
// invites them again to a coming conference whose invitation is gone:
// clear after such writes too.
func clearDemoNotices(t *testing.T, m *Main) {
	t.Helper()
	if err := m.App.DB.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `DELETE FROM notifications WHERE kind = 'outbreak_duty' OR kind LIKE 'conference%'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func newHandbookWorld(t *testing.T, m *Main) *handbookWorld {
	t.Helper()
	w := &handbookWorld{m: m, admin: m.signIn(t, "admin"), office: m.signIn(t, "vanphong"), member: m.signIn(t, "dangvien")}
	clearDemoNotices(t, m)
	w.district, w.phuTuc, w.chauCan = apiUnits(t, w.admin)
	var cc listJSON[memberJSON]
	w.admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=1", w.chauCan.ID), nil, &cc)
	if len(cc.Items) != 1 {
		t.Fatal("no member in Châu Can")
	}
	w.other = m.newAccount(t, w.admin, map[string]any{"username": "dangvien.chaucan", "member_id": cc.Items[0]["id"],
		"roles": []map[string]any{{"unit_id": cc.Items[0]["unit_id"], "role": "member"}}})
	var me struct {
		ID       int64  `json:"id"`
		MemberID *int64 `json:"member_id"`
	}
	if st := w.member.do("GET", "/api/v1/accounts/me", nil, &me); st != 200 || me.MemberID == nil {
		t.Fatalf("dangvien: %d %+v", st, me)
	}
	w.memberID, w.memberAccount = *me.MemberID, me.ID
	return w
}

// publish publishes a directive from the district office to a unit.
func (w *handbookWorld) publish(t *testing.T, unit int64, title, body string) docJSON {
	t.Helper()
	var d docJSON
	if st := w.office.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "title": title, "summary": "Tóm tắt: " + title,
		"body": body, "audience": map[string]any{"unit_id": unit}}, &d); st != 201 {
		t.Fatalf("publish %q: %d", title, st)
	}
	return d
}

type inboxJSON struct {
	Items []struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Title      string `json:"title"`
		Link       string `json:"link"`
		Read       bool   `json:"read"`
		DocumentID int64  `json:"document_id"`
		CreatedAt  string `json:"created_at"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
	Unread     int     `json:"unread"`
}

// has reports whether the inbox holds the item id.
func (ib inboxJSON) has(id string) bool {
	for _, it := range ib.Items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func (ib inboxJSON) ids() string {
	var out []string
	for _, it := range ib.Items {
		s := it.ID
		if it.Read {
			s += "(read)"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestAPINotifications is the inbox through the API: a document published
// to a commune is new for its members and nobody else, with no row per
// member; stored notifications (a task, a comment reply) join it in one
// order, page by page; marking read works per item and for all; only one's
// own items can be marked.
func TestAPINotifications(t *testing.T) {
	m := parallelDemo(t)
	w := newHandbookWorld(t, m)
	ctx := context.Background()
	var rowsBefore int
	m.App.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications`).Scan(&rowsBefore)
	d := w.publish(t, w.phuTuc.ID, "Chỉ thị về tăng cường kỷ luật, kỷ cương", "Nội dung chỉ thị.")
	var rowsAfter int
	m.App.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications`).Scan(&rowsAfter)
	if rowsAfter != rowsBefore {
		t.Errorf("publishing to a commune wrote %d notification rows, want none", rowsAfter-rowsBefore)
	}

	var ib inboxJSON
	if st := w.member.do("GET", "/api/v1/notifications", nil, &ib); st != 200 || ib.Unread != 1 || len(ib.Items) != 1 {
		t.Fatalf("member's inbox: %d %+v", st, ib)
	}
	if it := ib.Items[0]; it.ID != fmt.Sprintf("doc-%d", d.ID) || it.Kind != "new_document" || it.Link != fmt.Sprintf("/van-ban/%d", d.ID) || it.Read {
		t.Errorf("item %+v", it)
	}
	for name, c := range map[string]*client{"the Châu Can member": w.other, "the office that published it": w.office} {
		var other inboxJSON
		// (The office has the demo's replies to its comments, nothing else.)
		if st := c.do("GET", "/api/v1/notifications", nil, &other); st != 200 || other.has(fmt.Sprintf("doc-%d", d.ID)) {
			t.Errorf("%s: %d %+v", name, st, other)
		}
	}
	// Reading the document marks the item read.
	if st := w.member.do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil, nil); st != 200 {
		t.Fatal(st)
	}
	w.member.do("GET", "/api/v1/notifications", nil, &ib)
	if ib.Unread != 0 || !ib.Items[0].Read {
		t.Errorf("after reading: %+v", ib)
	}

	// A task assigned (as internal/task would send it) and a reply to a
	// comment join the inbox.
	if err := m.App.Notify.Send(ctx, []notify.Recipient{{MemberID: w.memberID}}, notify.TaskAssigned, "Nhiệm vụ: rà soát đảng viên", "Hạn 30/11/2026", "/cong-viec/1"); err != nil {
		t.Fatal(err)
	}
	var news docJSON
	if st := w.office.do("POST", "/api/v1/news", map[string]any{"title": "Hội nghị học tập nghị quyết", "category": "Hoạt động", "body": "Tin",
		"audience": map[string]any{"unit_id": w.phuTuc.ID}}, &news); st != 201 {
		t.Fatalf("news: %d", st)
	}
	if st := w.member.do("POST", fmt.Sprintf("/api/v1/news/%d/comments", news.ID), map[string]string{"body": "Đồng ý"}, nil); st != 201 {
		t.Fatalf("comment: %d", st)
	}
	bithu := m.signIn(t, "bithu.phutuc")
	var reply struct{ ID int64 }
	if st := bithu.do("POST", fmt.Sprintf("/api/v1/news/%d/comments", news.ID), map[string]string{"body": "Chi bộ sẽ triển khai"}, &reply); st != 201 {
		t.Fatalf("reply: %d", st)
	}
	w.member.do("GET", "/api/v1/notifications", nil, &ib)
	if ib.Total != 3 || ib.Unread != 2 || ib.Items[0].Kind != "comment_reply" || ib.Items[1].Kind != "task_assigned" || ib.Items[2].Kind != "new_document" {
		t.Fatalf("inbox with three kinds: %s %+v", ib.ids(), ib)
	}
	if want := fmt.Sprintf("/tin-tuc/%d#c%d", news.ID, reply.ID); ib.Items[0].Link != want || !strings.Contains(ib.Items[0].Title, "bithu.phutuc") {
		t.Errorf("reply item %+v, want link %s", ib.Items[0], want)
	}
	var bi inboxJSON
	if bithu.do("GET", "/api/v1/notifications", nil, &bi); len(bi.Items) > 0 && bi.Items[0].Kind == "comment_reply" {
		t.Errorf("the author was told of their own comment: %+v", bi.Items[0])
	}

	// Page by page: the same items in the same order.
	var paged []string
	next := ""
	for range 5 {
		var p inboxJSON
		path := "/api/v1/notifications?limit=1"
		if next != "" {
			path += "&cursor=" + url.QueryEscape(next)
		}
		if st := w.member.do("GET", path, nil, &p); st != 200 {
			t.Fatalf("page: %d", st)
		}
		paged = append(paged, p.ids())
		if p.NextCursor == nil {
			break
		}
		next = *p.NextCursor
	}
	if strings.Join(paged, " ") != ib.ids() {
		t.Errorf("paged %q, want %q", paged, ib.ids())
	}
	var prob problemJSON
	if st := w.member.do("GET", "/api/v1/notifications?cursor=nonsense", nil, &prob); st != 422 {
		t.Errorf("bad cursor: %d", st)
	}
	if st := w.member.do("GET", "/api/v1/notifications?unread=true", nil, &ib); st != 200 || len(ib.Items) != 2 || ib.Total != 2 {
		t.Errorf("unread only: %s", ib.ids())
	}

	// Marking read: one's own item; not another's, nor nonsense.
	if st := w.member.do("POST", "/api/v1/notifications/"+ib.Items[0].ID+"/read", nil, nil); st != 204 {
		t.Errorf("mark read: %d", st)
	}
	for _, id := range []string{ib.Items[1].ID, fmt.Sprintf("doc-%d", d.ID)} {
		if st := w.other.do("POST", "/api/v1/notifications/"+id+"/read", nil, nil); st != 404 {
			t.Errorf("another member marks %s: %d, want 404", id, st)
		}
	}
	for _, id := range []string{"0", "-1", "doc-0", "x", "999999999"} {
		if st := w.member.do("POST", "/api/v1/notifications/"+id+"/read", nil, nil); st != 404 {
			t.Errorf("mark %q read: %d, want 404", id, st)
		}
	}
	if st := w.member.do("POST", "/api/v1/notifications/read-all", nil, nil); st != 204 {
		t.Errorf("read all: %d", st)
	}
	w.member.do("GET", "/api/v1/notifications", nil, &ib)
	if ib.Unread != 0 || ib.Total != 3 {
		t.Errorf("after read-all: unread %d of %d", ib.Unread, ib.Total)
	}
	// The first inbox's endpoint still marks by ids.
	if err := m.App.Notify.Send(ctx, []notify.Recipient{{AccountID: w.memberAccount}}, notify.TaskAssigned, "Nhiệm vụ thứ hai", "", ""); err != nil {
		t.Fatal(err)
	}
	w.member.do("GET", "/api/v1/notifications?unread=true", nil, &ib)
	var marked struct{ Marked int }
	if st := w.member.do("POST", "/api/v1/notifications/read", map[string]any{"ids": []any{ib.Items[0].ID, 999999999}}, &marked); st != 200 || marked.Marked != 1 {
		t.Errorf("read by ids: %d %+v", st, marked)
	}
	if st := m.client(t).do("GET", "/api/v1/notifications", nil, nil); st != 401 {
		t.Errorf("anonymous inbox: %d", st)
	}
}

// TestAPINotificationSettings: every kind is in the digest until turned
// off; a change keeps the other kinds; an unknown kind is refused.
func TestAPINotificationSettings(t *testing.T) {
	m := parallelDemo(t)
	c := m.signIn(t, "dangvien")
	type settings struct {
		Digest map[string]bool `json:"digest"`
		Email  *string         `json:"email"`
	}
	var s settings
	if st := c.do("GET", "/api/v1/accounts/me/notification-settings", nil, &s); st != 200 || len(s.Digest) != len(notify.Settings) {
		t.Fatalf("settings: %d %+v", st, s)
	}
	for k, on := range s.Digest {
		if !on {
			t.Errorf("%s is off by default", k)
		}
	}
	if st := c.do("PUT", "/api/v1/accounts/me/notification-settings", map[string]any{"digest": map[string]bool{"comment_reply": false}}, &s); st != 200 || s.Digest["comment_reply"] || !s.Digest["new_document"] {
		t.Errorf("put: %d %+v", st, s)
	}
	var p problemJSON
	if st := c.do("PUT", "/api/v1/accounts/me/notification-settings", `{"digest":{"spam":false}}`, &p); st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "digest.spam" {
		t.Errorf("unknown kind: %d %+v", st, p)
	}
	if st := c.do("PUT", "/api/v1/accounts/me/notification-settings", `{"digest":{"new_document":"no"}}`, &p); st != 422 {
		t.Errorf("not a boolean: %d", st)
	}
	c.do("GET", "/api/v1/accounts/me/notification-settings", nil, &s)
	if s.Digest["comment_reply"] || !s.Digest["task_reminder"] {
		t.Errorf("after the refused changes: %+v", s)
	}
	if st := m.client(t).do("PUT", "/api/v1/accounts/me/notification-settings", `{"digest":{}}`, nil); st != 401 {
		t.Errorf("anonymous: %d", st)
	}
}

// readMail parses a message as a mail client would: the decoded subject
// and the decoded text.
func readMail(t *testing.T, raw []byte) (subject, text string, h netmail.Header) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n"), msg.Header
}

// TestDigestMail runs the daily digest through the durable job queue to a
// real SMTP server and reads the message back: the member gets their
// unread new document and notification of the day, without the kind they
// turned off; running the job again sends nothing more.
func TestDigestMail(t *testing.T) {
	mb := startMailbox(t)
	t.Setenv("SOTAY_BASE_URL", "https://sotay.phuxuyen.example.vn")
	// A copy of the demo district (see startDemoOn), served with a mail server.
	file := filepath.Join(t.TempDir(), "t.db")
	if err := copyFile(demoSQLiteFile(t), file); err != nil {
		t.Fatal(err)
	}
	m := &Main{Flags: dbFlags{DB: "sqlite:" + file}, Addr: "127.0.0.1:0", Demo: true,
		SMTP: mb.addr, MailFrom: "Sổ tay Phú Xuyên <sotay@phuxuyen.example.vn>"}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ctx := context.Background()
	w := newHandbookWorld(t, m)
	const addr = "dangvien@phutuc.example.vn"
	if st := w.office.do("PATCH", fmt.Sprintf("/api/v1/members/%d", w.memberID), map[string]string{"email": addr}, nil); st != 200 {
		t.Fatalf("set the member's e-mail: %d", st)
	}
	clearDemoNotices(t, m)
	// The other demo members may have addresses too: only dangvien's
	// messages matter here.
	mine := func() []smtpMessage {
		var out []smtpMessage
		for _, msg := range mb.messages() {
			if len(msg.to) == 1 && msg.to[0] == addr {
				out = append(out, msg)
			}
		}
		return out
	}
	d := w.publish(t, w.phuTuc.ID, "Chỉ thị về tăng cường kỷ luật, kỷ cương trong giải quyết công việc", "Nội dung.")
	read := w.publish(t, w.phuTuc.ID, "Thông báo đã đọc", "Nội dung.")
	w.member.do("GET", fmt.Sprintf("/api/v1/documents/%d", read.ID), nil, nil)
	if err := m.App.Notify.Send(ctx, []notify.Recipient{{MemberID: w.memberID}}, notify.TaskAssigned, "Nhiệm vụ: rà soát hồ sơ đảng viên", "Hạn 30/11/2026", "/cong-viec/7"); err != nil {
		t.Fatal(err)
	}
	if err := m.App.Notify.Send(ctx, []notify.Recipient{{MemberID: w.memberID}}, notify.CommentReply, "Có người trả lời bình luận của đồng chí", "", "/tin-tuc/1"); err != nil {
		t.Fatal(err)
	}
	if st := w.member.do("PUT", "/api/v1/accounts/me/notification-settings", map[string]any{"digest": map[string]bool{"comment_reply": false}}, nil); st != 200 {
		t.Fatal(st)
	}

	until := m.App.DB.Now().Add(time.Hour)
	run := func(key string) {
		t.Helper()
		if ok, err := m.App.Jobs.Enqueue(ctx, jobs.Job{Kind: notify.JobDigest, Payload: notify.DigestPayload{Until: until}, UniqueKey: key}); err != nil || !ok {
			t.Fatalf("enqueue the digest: %v, %v", ok, err)
		}
		eventually(t, "the digest job", func() bool {
			j, err := store.Jobs{DB: m.App.DB}.ByKey(ctx, key)
			return err == nil && j.DoneAt != nil
		})
	}
	run("test.digest.1")
	eventually(t, "the digest in the mailbox", func() bool { return len(mine()) == 1 })
	subject, text, h := readMail(t, mine()[0].data)
	wantDay := until.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006")
	if subject != "Sổ tay ngày "+wantDay+": 1 văn bản mới, 1 thông báo" {
		t.Errorf("subject %q", subject)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != addr {
		t.Errorf("To %q", h.Get("To"))
	}
	for _, want := range []string{"Kính gửi đồng chí", "VĂN BẢN MỚI (1)", "Số " + d.Number + ": " + d.Title, fmt.Sprintf("https://sotay.phuxuyen.example.vn/van-ban/%d", d.ID),
		"THÔNG BÁO (1)", "Nhiệm vụ: rà soát hồ sơ đảng viên", "Hạn 30/11/2026", "https://sotay.phuxuyen.example.vn/cong-viec/7",
		"https://sotay.phuxuyen.example.vn/thong-bao/cai-dat"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Thông báo đã đọc", "trả lời bình luận"} {
		if strings.Contains(text, not) {
			t.Errorf("the digest shows %q (read, or turned off):\n%s", not, text)
		}
	}
	// The job again (a retry, a second node, the next run of the day): the
	// unique key of the day's digest keeps it from being queued twice.
	run("test.digest.2")
	time.Sleep(300 * time.Millisecond)
	if n := len(mine()); n != 1 {
		t.Errorf("after running the digest again: %d messages to the member, want 1", n)
	}
	// Nobody gets the day's digest twice. (Other mail goes on meanwhile:
	// the server's own jobs on the real clock e-mail officers, and a
	// member with no digest in the first run may get their first in the
	// second; only a second digest to one address is a fault.)
	digests := map[string]int{}
	for _, msg := range mb.messages() {
		if subject, _, _ := readMail(t, msg.data); strings.HasPrefix(subject, "Sổ tay ngày ") {
			for _, to := range msg.to {
				digests[to]++
			}
		}
	}
	if digests[addr] != 1 {
		t.Errorf("after running the digest again: %d digests counted to the member, want 1", digests[addr])
	}
	for to, n := range digests {
		if n > 1 {
			t.Errorf("after running the digest again: %d digests to %s, want 1", n, to)
		}
	}
}

// TestUIHandbook walks the handbook's pages through the forms, as a
// browser without JavaScript would.
func TestUIHandbook(t *testing.T) {
	m := parallelDemo(t)
	w := newHandbookWorld(t, m)
	office, member := m.uiSignIn(t, "vanphong"), m.uiSignIn(t, "dangvien")

	// The office publishes through the form.
	if a := office.get("/van-ban/moi"); a.Status != 200 || !strings.Contains(a.Body, `name="audience_unit_id"`) || !strings.Contains(a.Body, "Đảng bộ xã Phú Túc") {
		t.Fatalf("publish form: %d", a.Status)
	}
	form := url.Values{"type": {"CT"}, "issuer_code": {"HU"}, "issued_on": {"08/09/2023"}, "title": {"Chỉ thị về tăng cường kỷ luật, kỷ cương"},
		"summary": {"Siết chặt kỷ cương"}, "body": {"Các cấp ủy **quán triệt** nghiêm túc.\n\n<script>alert(1)</script>"}, "audience_unit_id": {fmt.Sprint(w.phuTuc.ID)}}
	bad := url.Values{"type": {"CT"}, "number": {"5/qd-hu"}, "title": {""}, "audience_unit_id": {fmt.Sprint(w.phuTuc.ID)}, "issued_on": {"08/09/2023"}}
	if a := office.post("/van-ban/moi", bad); a.Status != 422 || !strings.Contains(a.Body, "Loại văn bản trong số hiệu (QĐ) khác loại đã chọn (CT)") || !strings.Contains(a.Body, "Bắt buộc") {
		t.Errorf("invalid document: %d", a.Status)
	}
	a := office.post("/van-ban/moi", form)
	if a.Status != 303 || !regexp.MustCompile(`^/van-ban/\d+$`).MatchString(a.Location) {
		t.Fatalf("publish: %d to %q", a.Status, a.Location)
	}
	docURL := a.Location
	if a := member.post("/van-ban/moi", form); a.Status != 404 {
		t.Errorf("a member publishing: %d", a.Status)
	}

	// The member sees it new on the handbook's home, opens it.
	home := member.get("/so-tay")
	if home.Status != 200 || !strings.Contains(home.Body, `<li class="unread"><a class="name" href="`+docURL+`">Chỉ thị về tăng cường kỷ luật, kỷ cương</a>`) {
		t.Fatalf("home before reading: %d\n%s", home.Status, home.Body)
	}
	page := member.get(docURL)
	for _, want := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "HUYỆN ỦY PHÚ XUYÊN", "Số 01-CT/HU", "Phú Xuyên, ngày 08 tháng 9 năm 2023",
		`<span class="doc-type">CHỈ THỊ</span>`, "<strong>quán triệt</strong>", "Đã ghi nhận bạn đọc văn bản này"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "<script>alert") {
		t.Error("the body's script reached the page")
	}
	if home := member.get("/so-tay"); strings.Contains(home.Body, `<li class="unread"><a class="name" href="`+docURL+`"`) {
		t.Error("still unread on the home page after reading")
	}
	// Note and bookmark.
	if a := member.post(docURL+"/ghi-chu", url.Values{"note": {"Triển khai ở chi bộ tháng 12"}}); a.Status != 303 {
		t.Errorf("note: %d", a.Status)
	}
	if a := member.get(docURL + "?da=note"); !strings.Contains(a.Body, "Triển khai ở chi bộ tháng 12</textarea>") || !strings.Contains(a.Body, "Đã lưu ghi chú") {
		t.Error("the note is not shown")
	}
	if a := member.post(docURL+"/ghi-chu", url.Values{"note": {strings.Repeat("x", 20001)}}); a.Status != 422 || !strings.Contains(a.Body, "Tối đa 20.000 ký tự") {
		t.Errorf("a note too long: %d", a.Status)
	}
	if a := member.post(docURL+"/luu", url.Values{"on": {"1"}}); a.Status != 303 {
		t.Errorf("bookmark: %d", a.Status)
	}
	if home := member.get("/so-tay"); !strings.Contains(home.Body, `<span class="badge">Đã lưu</span>`) {
		t.Error("the saved document is not on the home page")
	}

	// The office sees the read rate, with a bar per cell and the not-read list.
	rates := office.get(docURL + "/da-doc")
	if rates.Status != 200 || !strings.Contains(rates.Body, "<svg class=\"rate-chart\"") || !regexp.MustCompile(`<rect class="fill" x="0" y="\d+" width="[1-9][0-9.]*"`).MatchString(rates.Body) {
		t.Errorf("read rates: %d", rates.Status)
	}
	if !strings.Contains(rates.Body, "1 / ") {
		t.Error("the read rate does not count the member's read")
	}
	if a := member.get(docURL + "/da-doc"); a.Status != 404 {
		t.Errorf("a member's read-rate page: %d", a.Status)
	}

	// Library filters and search with highlights.
	if a := member.get("/van-ban?type=CT&year=2023"); !strings.Contains(a.Body, docURL) {
		t.Error("the library filtered by type and year lacks the directive")
	}
	if a := member.get("/van-ban?year=2022"); strings.Contains(a.Body, docURL) {
		t.Error("the library filtered by another year shows the directive")
	}
	if a := member.get("/tim-kiem?q=chi+thi+ky+cuong"); !strings.Contains(a.Body, `href="`+docURL+`"><mark>Chỉ</mark> <mark>thị</mark>`) {
		t.Errorf("search: no highlighted hit\n%s", a.Body)
	}
	other := m.uiClient(t)
	if a := other.post("/dang-nhap", url.Values{"username": {"dangvien.chaucan"}, "password": {"một mật khẩu dài"}}); a.Status != 303 {
		t.Fatal(a.Status)
	}
	if a := other.get("/tim-kiem?q=chi+thi+ky+cuong"); strings.Contains(a.Body, docURL) {
		t.Error("the Châu Can member finds the directive")
	}
	if a := other.get(docURL); a.Status != 404 {
		t.Errorf("the Châu Can member opens the directive: %d", a.Status)
	}

	// News: a comment, a reply, an officer hides it.
	var news docJSON
	w.office.do("POST", "/api/v1/news", map[string]any{"title": "Hội nghị học tập nghị quyết", "category": "Hoạt động", "featured": true, "body": "Tin **mới**",
		"audience": map[string]any{"unit_id": w.phuTuc.ID}}, &news)
	newsURL := fmt.Sprintf("/tin-tuc/%d", news.ID)
	if a := member.get("/tin-tuc"); !strings.Contains(a.Body, newsURL) || !strings.Contains(a.Body, "Tin nổi bật") {
		t.Error("the news list lacks the news")
	}
	if a := member.post(newsURL+"/binh-luan", url.Values{"body": {" "}}); a.Status != 422 {
		t.Errorf("empty comment: %d", a.Status)
	}
	a = member.post(newsURL+"/binh-luan", url.Values{"body": {"Chi bộ đã quán triệt"}})
	if a.Status != 303 || !strings.Contains(a.Location, "#c") {
		t.Fatalf("comment: %d %q", a.Status, a.Location)
	}
	cid := a.Location[strings.Index(a.Location, "#c")+2:]
	if a := member.get(newsURL); !strings.Contains(a.Body, "Chi bộ đã quán triệt") || strings.Contains(a.Body, "/an\"") {
		t.Error("the comment is not shown, or the member may hide it")
	}
	if a := office.get(newsURL); !strings.Contains(a.Body, `action="/binh-luan/`+cid+`/an"`) {
		t.Error("the office has no hide button")
	}
	if a := office.post("/binh-luan/"+cid+"/an", nil); a.Status != 303 {
		t.Errorf("hide: %d", a.Status)
	}
	if a := member.get(newsURL); strings.Contains(a.Body, "Chi bộ đã quán triệt") {
		t.Error("the hidden comment is still shown")
	}

	// Inbox and settings pages; English.
	if a := member.get("/thong-bao"); a.Status != 200 || !strings.Contains(a.Body, docURL) {
		t.Errorf("inbox page: %d", a.Status)
	}
	if a := member.post("/thong-bao/da-doc-het", nil); a.Status != 303 {
		t.Errorf("read all: %d", a.Status)
	}
	if a := member.post("/thong-bao/cai-dat", url.Values{"digest_new_document": {"1"}}); a.Status != 303 {
		t.Errorf("settings: %d", a.Status)
	}
	if a := member.get("/thong-bao/cai-dat"); !strings.Contains(a.Body, `id="k-new_document" name="digest_new_document" type="checkbox" value="1" checked`) ||
		strings.Contains(a.Body, `name="digest_task_assigned" type="checkbox" value="1" checked`) {
		t.Error("the settings page does not show the saved settings")
	}
	member.get("/ngon-ngu?lang=en&next=/so-tay")
	if a := member.get("/so-tay"); !strings.Contains(a.Body, "Member&#39;s handbook") && !strings.Contains(a.Body, "Member's handbook") {
		t.Error("no English handbook")
	}
}

// TestHandbookHomeSize measures what a phone downloads for the member's
// home page (compressed, as sent): the page, its stylesheet and its script,
// with a full page (8 unread documents, 5 saved, 4 news).
func TestHandbookHomeSize(t *testing.T) {
	m := parallelDemo(t)
	w := newHandbookWorld(t, m)
	for i := range 10 {
		d := w.publish(t, w.phuTuc.ID, fmt.Sprintf("Kế hoạch số %d về thực hiện Chỉ thị 24-CT/TU về tăng cường kỷ luật, kỷ cương trong giải quyết công việc", i+1), "Nội dung.")
		if i < 5 {
			w.member.do("PUT", fmt.Sprintf("/api/v1/documents/%d/bookmark", d.ID), nil, nil)
		}
	}
	for i := range 5 {
		w.office.do("POST", "/api/v1/news", map[string]any{"title": fmt.Sprintf("Tin hoạt động của Đảng bộ xã Phú Túc số %d", i+1), "category": "Hoạt động",
			"body": "Tin", "audience": map[string]any{"unit_id": w.phuTuc.ID}}, nil)
	}
	c := m.uiSignIn(t, "dangvien")
	get := func(path string) (compressed, plain int, body string) {
		req, _ := http.NewRequest("GET", c.base+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		b := raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			b, _ = io.ReadAll(zr)
		}
		return len(raw), len(b), string(b)
	}
	pz, pp, page := get("/so-tay")
	// 8 new documents, and the 5 saved ones (not read either).
	if strings.Count(page, `class="unread"`) != 13 || strings.Count(page, `href="/tin-tuc/`) < 4 {
		t.Errorf("the home page is not full: %d unread, %d news", strings.Count(page, `class="unread"`), strings.Count(page, `href="/tin-tuc/`))
	}
	total, totalPlain := pz, pp
	for _, ref := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		z, p, _ := get(ref[1])
		total += z
		totalPlain += p
		t.Logf("%s: %d bytes compressed (%d plain)", ref[1], z, p)
	}
	t.Logf("home page /so-tay: %d bytes compressed (%d plain); with its stylesheet and script: %d bytes compressed (%d plain)", pz, pp, total, totalPlain)
	if total >= 50<<10 {
		t.Errorf("the home page with its CSS and script is %d bytes compressed, over the 50 KB budget", total)
	}
}

// handbookPermEntries are the permission-matrix entries of the handbook's
// pages and the notification API (the inbox list and the marking by ids
// are in taskPermEntries, where they began).
func handbookPermEntries() map[string]permEntry {
	one := signedIn
	public := func(path string) permEntry {
		return permEntry{"public", []permProbe{{method: "GET", path: path, allowed: everyone(200), anon: 200}}}
	}
	return map[string]permEntry{
		"GET /manifest.webmanifest": public("/manifest.webmanifest"),
		"GET /sw.js":                public("/sw.js"),
		"GET /ngoai-tuyen":          public("/ngoai-tuyen"),
		"GET /so-tay":               one(permProbe{method: "GET", path: "/so-tay", allowed: everyone(200)}),
		"GET /van-ban":              one(permProbe{method: "GET", path: "/van-ban?q=thong+bao&year=2026", allowed: everyone(200)}),
		"GET /van-ban/moi":          one(permProbe{method: "GET", path: "/van-ban/moi", allowed: allow(permPublishDocs, 200)}),
		// The audience unit is reached before the empty title is refused.
		"POST /van-ban/moi": one(permProbe{method: "POST", path: "/van-ban/moi", obj: "unit", ctype: formType,
			body: "type=TB&issuer_code=CB&title=&audience_unit_id={id}", allowed: allow(permPublishDocs, 422)}),
		"GET /van-ban/{id}": one(permProbe{method: "GET", path: "/van-ban/{id}", obj: "document", allowed: everyone(200)}),
		"POST /van-ban/{id}/ghi-chu": one(permProbe{method: "POST", path: "/van-ban/{id}/ghi-chu", obj: "document", ctype: formType,
			body: "note=ghi+ch%C3%BA", allowed: everyone(303)}),
		"POST /van-ban/{id}/luu":   one(permProbe{method: "POST", path: "/van-ban/{id}/luu", obj: "document", ctype: formType, body: "on=1", allowed: everyone(303)}),
		"GET /van-ban/{id}/da-doc": one(permProbe{method: "GET", path: "/van-ban/{id}/da-doc", obj: "document", allowed: allow(permReadPersonal, 200)}),
		"GET /tim-kiem":            one(permProbe{method: "GET", path: "/tim-kiem?q=nguyen", allowed: everyone(200)}),
		"GET /tin-tuc":             one(permProbe{method: "GET", path: "/tin-tuc", allowed: everyone(200)}),
		"GET /tin-tuc/{id}":        one(permProbe{method: "GET", path: "/tin-tuc/{id}", obj: "news", allowed: everyone(200)}),
		"POST /tin-tuc/{id}/binh-luan": one(permProbe{method: "POST", path: "/tin-tuc/{id}/binh-luan", obj: "news", ctype: formType, body: "body=",
			allowed: everyone(422)}),
		"POST /binh-luan/{id}/an":             one(permProbe{method: "POST", path: "/binh-luan/{id}/an", obj: "comment", ctype: formType, allowed: allow(permReadPersonal, 303)}),
		"GET /thong-bao":                      one(permProbe{method: "GET", path: "/thong-bao", allowed: everyone(200)}),
		"POST /thong-bao/da-doc-het":          one(permProbe{method: "POST", path: "/thong-bao/da-doc-het", allowed: everyone(303)}),
		"POST /thong-bao/{id}/da-doc":         one(permProbe{method: "POST", path: "/thong-bao/999999999/da-doc", allowed: everyone(404)}),
		"GET /thong-bao/cai-dat":              one(permProbe{method: "GET", path: "/thong-bao/cai-dat", allowed: everyone(200)}),
		"POST /thong-bao/cai-dat":             one(permProbe{method: "POST", path: "/thong-bao/cai-dat", ctype: formType, body: "digest_new_document=1&digest_task_assigned=1&digest_task_reminder=1&digest_meeting_scheduled=1&digest_comment_reply=1", allowed: everyone(303)}),
		"POST /api/v1/notifications/read-all": one(permProbe{method: "POST", path: "/api/v1/notifications/read-all", allowed: everyone(204)}),
		// A document's inbox item is only for those it is addressed to: the
		// fixture document of the Phú Túc cell reaches the cell's officer
		// and member; officers above supervise it but it is not "for" them.
		"POST /api/v1/notifications/{id}/read": one(permProbe{method: "POST", path: "/api/v1/notifications/999999999/read", allowed: everyone(404)},
			permProbe{method: "POST", path: "/api/v1/notifications/doc-{id}/read", obj: "document", allowed: allowElse([]string{"bithu.phutuc", "dangvien"}, 204, 404)}),
		"GET /api/v1/accounts/me/notification-settings": one(permProbe{method: "GET", path: "/api/v1/accounts/me/notification-settings", allowed: everyone(200)}),
		"PUT /api/v1/accounts/me/notification-settings": one(permProbe{method: "PUT", path: "/api/v1/accounts/me/notification-settings", ctype: jsonType,
			body: `{"digest":{"spam":true}}`, allowed: everyone(422)}),
	}
}
