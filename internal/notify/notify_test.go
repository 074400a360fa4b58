package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

func TestSetting(t *testing.T) {
	for kind, want := range map[string]string{
		NewDocument: NewDocument, MeetingScheduled: MeetingScheduled, TaskAssigned: TaskAssigned, TaskHandedBack: TaskHandedBack, CommentReply: CommentReply,
		"task.due_soon": TaskReminder, "task.overdue": TaskReminder, "task.overdue_superior": TaskReminder,
		"something.else": "", "": "",
	} {
		if got := Setting(kind); got != want {
			t.Errorf("Setting(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestBuild(t *testing.T) {
	rs := []Recipient{{AccountID: 3}, {MemberID: 7}, {AccountID: 3}}
	ns, err := Build(rs, TaskAssigned, "  Giao   nhiệm vụ ", "Nội dung\n", "/cong-viec/5", "task:5")
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 {
		t.Fatalf("got %d notifications, want 2 (the duplicate recipient once)", len(ns))
	}
	if ns[0].Title != "Giao nhiệm vụ" || ns[0].Body != "Nội dung" || ns[0].EventKey != "task:5:a:3" || ns[1].EventKey != "task:5:m:7" {
		t.Errorf("built %+v", ns)
	}
	for _, c := range []struct {
		name                    string
		rs                      []Recipient
		kind, title, body, link string
		field                   string
	}{
		{"no title", rs, TaskAssigned, " ", "", "", "title"},
		{"long title", rs, TaskAssigned, strings.Repeat("ạ", 301), "", "", "title"},
		{"long body", rs, TaskAssigned, "x", strings.Repeat("b", 2001), "", "body"},
		{"foreign link", rs, TaskAssigned, "x", "", "https://evil.example/", "link"},
		{"protocol-relative link", rs, TaskAssigned, "x", "", "//evil.example/", "link"},
		{"kind with a space", rs, "task assigned", "x", "", "", "kind"},
	} {
		_, err := Build(c.rs, c.kind, c.title, c.body, c.link, "")
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want an invalid %s", c.name, err, c.field)
		}
	}
	if _, err := Build([]Recipient{{AccountID: 1, MemberID: 2}}, TaskAssigned, "x", "", "", ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a recipient that is both an account and a member: %v", err)
	}
}

func item(id string, at time.Time) Item {
	it := Item{ID: id, CreatedAt: at}
	if rest, ok := strings.CutPrefix(id, "doc-"); ok {
		var n int64
		for _, c := range rest {
			n = n*10 + int64(c-'0')
		}
		it.DocumentID = n
	}
	return it
}

// TestMerge: stored and derived items are merged newest first; at one
// instant a stored notification comes before a document; the cursor of a
// page resumes exactly after its last item.
func TestMerge(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	stored := []Item{item("9", t0.Add(3*time.Minute)), item("8", t0.Add(time.Minute)), item("7", t0)}
	derived := []Item{item("doc-5", t0.Add(2*time.Minute)), item("doc-4", t0.Add(time.Minute)), item("doc-3", t0)}
	ids := func(its []Item) string {
		var out []string
		for _, it := range its {
			out = append(out, it.ID)
		}
		return strings.Join(out, " ")
	}
	all, next := Merge(stored, derived, 10)
	if got, want := ids(all), "9 doc-5 8 doc-4 7 doc-3"; got != want || next != nil {
		t.Fatalf("merged %q (next %v), want %q", got, next, want)
	}
	page, next := Merge(stored, derived, 3)
	if ids(page) != "9 doc-5 8" || next == nil {
		t.Fatalf("first page %q, next %v", ids(page), next)
	}
	// The cursor survives encoding, and the rest of each list is what
	// comes after it.
	after, err := ParseCursor(next.cursor())
	if err != nil || *after != *next {
		t.Fatalf("cursor round trip: %+v, %v; want %+v", after, err, next)
	}
	var restS, restD []Item
	for _, it := range stored {
		if PositionOf(it).Less(*after) {
			restS = append(restS, it)
		}
	}
	for _, it := range derived {
		if PositionOf(it).Less(*after) {
			restD = append(restD, it)
		}
	}
	if rest, _ := Merge(restS, restD, 10); ids(rest) != "doc-4 7 doc-3" {
		t.Errorf("second page %q", ids(rest))
	}
	for _, bad := range []string{"!!", "MXwyfDM", "MTIzfDV8OQ"} {
		if _, err := ParseCursor(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("cursor %q: %v, want invalid", bad, err)
		}
	}
}

// TestCompose: the digest names the person, lists documents with their
// number and link, notifications with their text, and says how to change
// the settings.
func TestCompose(t *testing.T) {
	d := DigestContent{
		Account: DigestAccount{FullName: "Nguyễn Thị Hằng", Email: "hang@phutuc.example.vn", Username: "hang"},
		Day:     date.New(2026, 11, 21),
		Documents: []Item{{Title: "Chỉ thị về tăng cường kỷ luật, kỷ cương", Number: "24-CT/HU", Link: "/van-ban/12"},
			{Title: "Thông báo lịch tiếp dân", Link: "/van-ban/13"}},
		Notifications: []Item{{Title: "Nhiệm vụ mới", Body: "Báo cáo trước ngày 30/11", Link: "/cong-viec/4"}},
	}
	m := Compose(d, "https://sotay.example.vn/")
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Sổ tay ngày 21/11/2026: 2 văn bản mới, 1 thông báo" {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.To) != 1 || !strings.Contains(m.To[0], "hang@phutuc.example.vn") {
		t.Errorf("to %q", m.To)
	}
	for _, want := range []string{"Kính gửi đồng chí Nguyễn Thị Hằng", "Số 24-CT/HU: Chỉ thị về tăng cường kỷ luật, kỷ cương",
		"https://sotay.example.vn/van-ban/12", "Thông báo lịch tiếp dân", "Nhiệm vụ mới", "Báo cáo trước ngày 30/11",
		"https://sotay.example.vn/cong-viec/4", "https://sotay.example.vn/thong-bao/cai-dat"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, m.Text)
		}
	}
	only := Compose(DigestContent{Account: d.Account, Day: d.Day, Notifications: d.Notifications}, "")
	if only.Subject != "Sổ tay ngày 21/11/2026: 1 thông báo" || !strings.Contains(only.Text, "\n  /cong-viec/4") {
		t.Errorf("without documents: %q\n%s", only.Subject, only.Text)
	}
}

func TestDigestKey(t *testing.T) {
	if got := DigestKey(42, date.New(2026, 11, 21)); got != "digest:42:2026-11-21" {
		t.Errorf("DigestKey = %q", got)
	}
}
