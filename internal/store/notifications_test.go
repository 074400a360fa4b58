package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/mail"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
)

// notifyWorld is the document tree with accounts and a clock that the test
// moves: a member of cell A1 (an), a member of cell B1 (giang), a commune
// committee officer of A without a member record, and the district office.
type notifyWorld struct {
	*docTree
	db    *DB
	now   time.Time
	svc   *notify.Service
	actor map[string]*auth.Actor
}

func (w *notifyWorld) tick(d time.Duration) { w.now = w.now.Add(d) }

func newNotifyWorld(t *testing.T, db *DB) *notifyWorld {
	t.Helper()
	w := &notifyWorld{docTree: newDocTree(t, db), db: db, now: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC), actor: map[string]*auth.Actor{}}
	db.Now = func() time.Time { return w.now }
	w.svc = &notify.Service{Store: Notifications{db}, Now: db.Now, BaseURL: "https://sotay.example.vn"}
	add := func(name string, member string, unit *org.Unit, role auth.Role) {
		acc := &auth.Account{Username: name, Roles: []auth.Grant{{UnitID: unit.ID, Role: role}}}
		a := &auth.Actor{Username: name, Grants: []auth.Grant{{UnitID: unit.ID, UnitPath: unit.Path, Role: role}}}
		if member != "" {
			m := w.members[member]
			acc.MemberID, a.MemberID = &m.ID, m.ID
			u := map[int64]*org.Unit{w.cellA1.ID: w.cellA1, w.cellA2.ID: w.cellA2, w.cellB1.ID: w.cellB1}[m.UnitID]
			a.MemberUnitPath = u.Path
		}
		if err := (Accounts{db}).Create(context.Background(), acc, "not-a-hash", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
			t.Fatal(err)
		}
		a.AccountID = acc.ID
		w.actor[name] = a
	}
	add("an", "Nguyễn Văn An", w.cellA1, auth.RoleMember)
	add("giang", "Vũ Văn Giang", w.cellB1, auth.RoleMember)
	add("officer.a", "", w.communeA, auth.RoleCommittee)
	add("office", "", w.district, auth.RoleOffice)
	w.tick(time.Hour)
	return w
}

// publish creates a document (or news) to a unit, by an account.
func (w *notifyWorld) publish(t *testing.T, title string, to *org.Unit, by string, roles ...auth.Role) *doc.Document {
	t.Helper()
	w.tick(time.Minute)
	d := &doc.Document{Type: "TB", IssuerCode: "HU", IssuerUnitID: w.district.ID, Title: title, Audience: doc.Audience{UnitID: to.ID, Roles: roles}}
	if by != "" {
		d.CreatedBy = w.actor[by].AccountID
	}
	return mustDoc(t, w.db, d)
}

func itemIDs(its []notify.Item) string {
	var out []string
	for _, it := range its {
		id := it.ID
		if it.Read {
			id += "(read)"
		}
		out = append(out, id)
	}
	return strings.Join(out, " ")
}

func (w *notifyWorld) inbox(t *testing.T, who string, in notify.InboxInput) *notify.InboxPage {
	t.Helper()
	p, err := w.svc.Inbox(context.Background(), w.actor[who], in)
	if err != nil {
		t.Fatalf("inbox of %s: %v", who, err)
	}
	return p
}

// TestDerivedNewDocuments: "new document for you" comes from the audience
// rows, per reader, without a row per member: a member sees what is sent
// to their cell or a unit above it (and to their role); an officer what is
// sent to their unit or above with their role; nobody what they published
// themselves, news, or documents older than their account. Reading,
// dismissing and "all read" mark them read; a revision makes them unread.
func TestDerivedNewDocuments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		before := w.publish(t, "Trước khi có tài khoản", w.communeA, "office")
		db.write.ExecContext(ctx, `UPDATE documents SET updated_at = $1 WHERE id = $2`, w.now.Add(-2*time.Hour), before.ID)
		d1 := w.publish(t, "Gửi xã A", w.communeA, "office")
		d2 := w.publish(t, "Gửi cấp ủy trong huyện", w.district, "office", auth.RoleCommittee)
		d3 := w.publish(t, "Gửi xã B", w.communeB, "office")
		w.tick(time.Minute)
		news := mustDoc(t, db, &doc.Document{Kind: doc.KindNews, Category: "Tin", IssuerUnitID: w.district.ID, Title: "Tin xã A", Audience: doc.Audience{UnitID: w.communeA.ID}})
		d5 := w.publish(t, "Xã A tự ban hành", w.communeA, "officer.a")
		id := notify.DocItemID
		for who, want := range map[string]string{
			"an":        id(d5.ID) + " " + id(d1.ID),
			"officer.a": id(d2.ID) + " " + id(d1.ID),
			"giang":     id(d3.ID),
			"office":    "",
		} {
			p := w.inbox(t, who, notify.InboxInput{})
			if got := itemIDs(p.Items); got != want || p.Unread != len(p.Items) || p.Total != len(p.Items) {
				t.Errorf("%s: inbox %q (unread %d of %d), want %q all unread", who, got, p.Unread, p.Total, want)
			}
		}
		p := w.inbox(t, "an", notify.InboxInput{})
		if it := p.Items[1]; it.Kind != notify.NewDocument || it.Link != "/van-ban/"+fmtInt(d1.ID) || it.Title != "Gửi xã A" || it.Number != d1.Number || it.DocumentID != d1.ID {
			t.Errorf("item %+v", it)
		}

		// Reading the document (its receipt) marks the item read; marking
		// the other read by hand writes one row for that account only.
		if err := (Docs{db}).RecordReceipt(ctx, d1.ID, w.actor["an"].MemberID, 1); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.MarkRead(ctx, w.actor["an"], id(d5.ID)); err != nil {
			t.Fatal(err)
		}
		if p := w.inbox(t, "an", notify.InboxInput{}); itemIDs(p.Items) != id(d5.ID)+"(read) "+id(d1.ID)+"(read)" || p.Unread != 0 {
			t.Errorf("after reading: %q, unread %d", itemIDs(p.Items), p.Unread)
		}
		if p := w.inbox(t, "an", notify.InboxInput{UnreadOnly: true}); len(p.Items) != 0 || p.Total != 0 {
			t.Errorf("unread only: %q total %d", itemIDs(p.Items), p.Total)
		}
		// What is not one's own is not found.
		for _, bad := range []string{id(d3.ID), id(news.ID), id(before.ID), "doc-x", "doc-999999", "999999", "abc"} {
			if err := w.svc.MarkRead(ctx, w.actor["an"], bad); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("mark %s read: %v, want not found", bad, err)
			}
		}
		// A revision asks to read again.
		w.tick(time.Minute)
		d1.Title = "Gửi xã A (sửa đổi)"
		if err := (Docs{db}).Revise(ctx, d1, 1, auth.AuditEntry{Actor: system, Action: "document.revise", ObjectType: "document"}); err != nil {
			t.Fatal(err)
		}
		if p := w.inbox(t, "an", notify.InboxInput{}); itemIDs(p.Items) != id(d1.ID)+" "+id(d5.ID)+"(read)" || p.Unread != 1 || p.Items[0].Version != 2 {
			t.Errorf("after the revision: %q, unread %d", itemIDs(p.Items), p.Unread)
		}
		// "All read" moves the watermark: every item is read, and a
		// document published afterwards is new again.
		w.tick(time.Minute)
		if err := w.svc.MarkAllRead(ctx, w.actor["officer.a"]); err != nil {
			t.Fatal(err)
		}
		d6 := w.publish(t, "Sau khi đã đọc hết", w.communeA, "office")
		if p := w.inbox(t, "officer.a", notify.InboxInput{}); itemIDs(p.Items) != id(d6.ID)+" "+id(d1.ID)+"(read) "+id(d2.ID)+"(read)" || p.Unread != 1 {
			t.Errorf("after all read: %q, unread %d", itemIDs(p.Items), p.Unread)
		}
		// Beyond the horizon a document is no longer new.
		w.now = w.now.Add(notify.Horizon + time.Hour)
		if p := w.inbox(t, "giang", notify.InboxInput{}); len(p.Items) != 0 {
			t.Errorf("after the horizon: %q", itemIDs(p.Items))
		}
	})
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// TestStoredNotifications: notifications to an account and to its member
// share the inbox with the derived items, in one order, page by page; an
// event key writes a notification once; a notification written inside a
// transaction that rolls back does not exist.
func TestStoredNotifications(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		an := w.actor["an"]
		var docs []*doc.Document
		for i := range 3 {
			docs = append(docs, w.publish(t, "Văn bản "+fmtInt(int64(i)), w.cellA1, "office"))
			w.tick(time.Minute)
			n, err := notify.SendIn(ctx, Notifications{db}, w.now, []notify.Recipient{{AccountID: an.AccountID}, {MemberID: an.MemberID}}, notify.TaskAssigned,
				"Nhiệm vụ "+fmtInt(int64(i)), "Hạn 30/11/2026", "/cong-viec/"+fmtInt(int64(i+1)), "task_assigned:"+fmtInt(int64(i)))
			if err != nil || n != 2 {
				t.Fatalf("send %d: %d, %v", i, n, err)
			}
		}
		// The same event again writes nothing.
		if n, err := notify.SendIn(ctx, Notifications{db}, w.now, []notify.Recipient{{AccountID: an.AccountID}}, notify.TaskAssigned, "Lặp", "", "", "task_assigned:0"); err != nil || n != 0 {
			t.Errorf("a repeated event: %d, %v", n, err)
		}
		// Inside a transaction that fails: nothing.
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := notify.SendIn(ctx, tx, tx.Now, []notify.Recipient{{AccountID: an.AccountID}}, notify.TaskAssigned, "Không tồn tại", "", "", ""); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		// Send without a transaction, to someone else.
		if err := w.svc.Send(ctx, []notify.Recipient{{AccountID: w.actor["giang"].AccountID}}, notify.CommentReply, "Có trả lời", "", "/tin-tuc/1"); err != nil {
			t.Fatal(err)
		}

		all := w.inbox(t, "an", notify.InboxInput{})
		if all.Total != 9 || all.Unread != 9 || len(all.Items) != 9 || all.NextCursor != nil {
			t.Fatalf("inbox: total %d unread %d items %q", all.Total, all.Unread, itemIDs(all.Items))
		}
		for i := 1; i < len(all.Items); i++ {
			if notify.PositionOf(all.Items[i-1]).Less(notify.PositionOf(all.Items[i])) {
				t.Errorf("out of order at %d: %q", i, itemIDs(all.Items))
			}
		}
		if all.Items[0].Kind != notify.TaskAssigned || all.Items[0].Title != "Nhiệm vụ 2" || all.Items[2].ID != notify.DocItemID(docs[2].ID) {
			t.Errorf("first items: %+v", all.Items[:3])
		}
		// Page by page, the same items in the same order.
		var paged []notify.Item
		cursor := ""
		for range 10 {
			p := w.inbox(t, "an", notify.InboxInput{Limit: 2, Cursor: cursor})
			paged = append(paged, p.Items...)
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		if itemIDs(paged) != itemIDs(all.Items) {
			t.Errorf("paged %q, want %q", itemIDs(paged), itemIDs(all.Items))
		}
		// Marking read: one, several, then all.
		if err := w.svc.MarkRead(ctx, an, all.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.MarkRead(ctx, an, all.Items[0].ID); err != nil {
			t.Errorf("marking a read notification read again: %v", err)
		}
		giangs := w.inbox(t, "giang", notify.InboxInput{})
		if err := w.svc.MarkRead(ctx, an, giangs.Items[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("marking another's notification read: %v", err)
		}
		if n, err := w.svc.MarkSomeRead(ctx, an, []string{all.Items[1].ID, all.Items[2].ID, giangs.Items[0].ID, "nonsense"}); err != nil || n != 2 {
			t.Errorf("mark some: %d, %v", n, err)
		}
		if p := w.inbox(t, "an", notify.InboxInput{}); p.Unread != 6 {
			t.Errorf("unread after marking 3: %d", p.Unread)
		}
		if p := w.inbox(t, "giang", notify.InboxInput{}); p.Unread != 1 {
			t.Errorf("giang's notification was marked by an: unread %d", p.Unread)
		}
		if err := w.svc.MarkAllRead(ctx, an); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.UnreadCount(ctx, an); err != nil || n != 0 {
			t.Errorf("after all read: %d, %v", n, err)
		}
	})
}

// TestNotificationSettingsAndDigest: the digest of a day lists the unread
// documents and notifications of the past 24 hours without the kinds the
// account turned off, goes only to accounts whose member has an address,
// and is queued once per account and day.
func TestNotificationSettingsAndDigest(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		an, giang := w.actor["an"], w.actor["giang"]
		for _, m := range []int64{an.MemberID, giang.MemberID} {
			if _, err := db.write.ExecContext(ctx, `UPDATE members SET email = $1 WHERE id = $2`, "dv"+fmtInt(m)+"@phuxuyen.example.vn", m); err != nil {
				t.Fatal(err)
			}
		}
		// Settings: all on by default; a change keeps the others.
		st, err := w.svc.GetSettings(ctx, an)
		if err != nil || st.Email == nil || *st.Email != "dv"+fmtInt(an.MemberID)+"@phuxuyen.example.vn" || len(st.Digest) != len(notify.Settings) {
			t.Fatalf("settings: %+v, %v", st, err)
		}
		for k, on := range st.Digest {
			if !on {
				t.Errorf("%s is off by default", k)
			}
		}
		st, err = w.svc.PutSettings(ctx, giang, notify.AccountSettings{Digest: map[string]bool{notify.TaskReminder: false}})
		if err != nil || st.Digest[notify.TaskReminder] || !st.Digest[notify.NewDocument] {
			t.Fatalf("put: %+v, %v", st, err)
		}
		if _, err := w.svc.PutSettings(ctx, giang, notify.AccountSettings{Digest: map[string]bool{"spam": false}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an unknown kind: %v", err)
		}
		if st, _ := w.svc.GetSettings(ctx, giang); st.Digest[notify.TaskReminder] {
			t.Error("the refused change changed the settings")
		}

		accs, err := Notifications{db}.DigestAccounts(ctx, 0, 10)
		if err != nil || len(accs) != 2 || accs[0].AccountID != an.AccountID || accs[0].MemberPath != w.cellA1.Path || len(accs[0].Grants) != 1 || accs[0].Grants[0].UnitPath != w.cellA1.Path {
			t.Fatalf("digest accounts: %+v, %v", accs, err)
		}
		if rest, err := (Notifications{db}).DigestAccounts(ctx, an.AccountID, 10); err != nil || len(rest) != 1 || rest[0].AccountID != giang.AccountID || rest[0].DigestOff[0] != notify.TaskReminder {
			t.Fatalf("after an: %+v, %v", rest, err)
		}

		d1 := w.publish(t, "Chỉ thị gửi xã A", w.communeA, "office")
		d2 := w.publish(t, "Thông báo gửi xã B", w.communeB, "office")
		w.tick(time.Minute)
		for _, kind := range []string{"task.overdue", notify.CommentReply} {
			if err := w.svc.Send(ctx, []notify.Recipient{{MemberID: giang.MemberID}}, kind, "Thông báo "+kind, "", "/x"); err != nil {
				t.Fatal(err)
			}
		}
		if err := (Docs{db}).RecordReceipt(ctx, d2.ID, giang.MemberID, 1); err != nil { // read: not in the digest
			t.Fatal(err)
		}
		until := w.now.Add(time.Hour)
		n, err := w.svc.Digest(ctx, until)
		if err != nil || n != 2 {
			t.Fatalf("digest: %d, %v", n, err)
		}
		day := date.Today(until)
		read := func(acc int64) mail.Message {
			j, err := Jobs{db}.ByKey(ctx, notify.DigestKey(acc, day))
			if err != nil {
				t.Fatalf("digest job of %d: %v", acc, err)
			}
			var m mail.Message
			if err := json.Unmarshal(j.Payload, &m); err != nil || j.Kind != mail.JobKind {
				t.Fatalf("job %+v: %v", j, err)
			}
			return m
		}
		ma := read(an.AccountID)
		if !strings.Contains(ma.Text, "Chỉ thị gửi xã A") || !strings.Contains(ma.Text, "https://sotay.example.vn/van-ban/"+fmtInt(d1.ID)) || strings.Contains(ma.Text, "xã B") {
			t.Errorf("an's digest:\n%s", ma.Text)
		}
		mg := read(giang.AccountID)
		if !strings.Contains(mg.Text, "Thông báo comment_reply") || strings.Contains(mg.Text, "task.overdue") || strings.Contains(mg.Text, "Thông báo gửi xã B") {
			t.Errorf("giang's digest (task reminders off, the document read):\n%s", mg.Text)
		}
		if n, err := w.svc.Digest(ctx, until.Add(time.Minute)); err != nil || n != 0 {
			t.Errorf("the same day's digest again: %d, %v", n, err)
		}
		// The next day: nothing new, nothing sent.
		if n, err := w.svc.Digest(ctx, until.Add(notify.DigestPeriod)); err != nil || n != 0 {
			t.Errorf("a quiet day: %d, %v", n, err)
		}
		if c, err := (Notifications{db}).NewsCommenters(ctx, 1, 0, 5); err != nil || len(c) != 0 {
			t.Errorf("commenters of news without comments: %v, %v", c, err)
		}
	})
}
