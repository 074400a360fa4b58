package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// TestDocReading: the document page's one query answers the document and
// its reader's view (receipts, bookmark, note, attachments), on both
// engines, and through the kept prepared statements more than once.
func TestDocReading(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		an := w.actor["an"]
		d := w.publish(t, "Chỉ thị", w.communeA, "office")
		for range 2 {
			got, v, err := Docs{db}.Reading(ctx, d.ID, an.MemberID, an.AccountID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Chỉ thị" || got.Audience.Path != w.communeA.Path || v.ReadVersion != 0 || v.Bookmarked || v.Note != nil || v.Attachments != 0 {
				t.Fatalf("before: %+v %+v", got, v)
			}
		}
		if err := (Docs{db}).RecordReceipt(ctx, d.ID, an.MemberID, 1); err != nil {
			t.Fatal(err)
		}
		a := auth.AuditEntry{Actor: system, Action: "x", ObjectType: "document"}
		if err := (Docs{db}).SetBookmark(ctx, d.ID, an.AccountID, true, a); err != nil {
			t.Fatal(err)
		}
		now := w.now
		if err := (Docs{db}).PutNote(ctx, &doc.Note{DocumentID: d.ID, AccountID: an.AccountID, Body: "ghi chú", UpdatedAt: &now}, a); err != nil {
			t.Fatal(err)
		}
		if err := (Docs{db}).AddAttachment(ctx, &doc.Attachment{DocumentID: d.ID, Name: "a.pdf", MediaType: "application/pdf", Size: 10, SHA256: "00"}, a); err != nil {
			t.Fatal(err)
		}
		_, v, err := Docs{db}.Reading(ctx, d.ID, an.MemberID, an.AccountID)
		if err != nil || v.ReadVersion != 1 || !v.Bookmarked || v.Note == nil || v.Note.Body != "ghi chú" || v.Attachments != 1 {
			t.Fatalf("after: %+v, %v", v, err)
		}
		// Another account sees none of it.
		_, v, err = Docs{db}.Reading(ctx, d.ID, w.actor["giang"].MemberID, w.actor["giang"].AccountID)
		if err != nil || v.ReadVersion != 0 || v.Bookmarked || v.Note != nil || v.Attachments != 1 {
			t.Fatalf("another reader: %+v, %v", v, err)
		}
		if _, _, err := (Docs{db}).Reading(ctx, 999999, 0, 0); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("no such document: %v", err)
		}
	})
}

// TestSessionActor: one query loads the session, its account, the path of
// its member's cell and its live roles; a dissolved unit's role is left
// out; an unknown session is not found.
func TestSessionActor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		an := w.actor["an"]
		// A second role, on a unit then dissolved.
		extra := mustUnit(t, db, w.communeB, "cell", "HN.PX.B.9")
		if _, err := db.write.ExecContext(ctx, `INSERT INTO account_roles (account_id, unit_id, role) VALUES ($1, $2, 'cell_officer'), ($1, $3, 'committee')`,
			an.AccountID, extra.ID, w.communeB.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE units SET dissolved_on = '2026-01-01' WHERE id = $1`, extra.ID); err != nil {
			t.Fatal(err)
		}
		if err := (Accounts{db}).CreateSession(ctx, "hash-an", an.AccountID, w.now, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			a, err := Accounts{db}.SessionActor(ctx, "hash-an", w.now.Add(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if a.AccountID != an.AccountID || a.Username != "an" || a.MemberID != an.MemberID || a.MemberUnitPath != w.cellA1.Path || a.SessionID == "" {
				t.Fatalf("actor %+v", a)
			}
			// By path: cell A1 (/…/A/A1/) sorts before commune B.
			if len(a.Grants) != 2 || a.Grants[0].UnitPath != w.cellA1.Path || a.Grants[1].UnitPath != w.communeB.Path || a.Grants[1].Role != auth.RoleCommittee {
				t.Fatalf("grants %+v", a.Grants)
			}
		}
		if err := (Accounts{db}).CreateSession(ctx, "hash-office", w.actor["office"].AccountID, w.now, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		if a, err := (Accounts{db}).SessionActor(ctx, "hash-office", w.now); err != nil || a.MemberID != 0 || a.MemberUnitPath != "" || len(a.Grants) != 1 {
			t.Errorf("an account without a member: %+v, %v", a, err)
		}
		if _, err := (Accounts{db}).SessionActor(ctx, "no-such-hash", w.now); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown session: %v", err)
		}
	})
}

// TestSetDemoReceipts: the demo's receipts, in one statement on both
// engines: a share of the expected members of the subtree, never those
// with an account, each once, at the time given; the subtrees' read
// counts exact after them (SQLite recounts them without the trigger),
// and after a receipt of one member (the trigger is back).
func TestSetDemoReceipts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		d := w.publish(t, "Kế hoạch", w.district, "office")
		at := w.now.Add(-48 * time.Hour)
		var got []int
		for _, pct := range []int{0, 100, 100} {
			n, err := db.SetDemoReceipts(ctx, d.ID, d.Version, w.district.Path, pct, at)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
		counts, err := Docs{db}.readCountsScan(ctx, d, w.district.Path)
		if err != nil {
			t.Fatal(err)
		}
		expected := 0
		for _, c := range counts {
			expected += c.Expected
		}
		// an and giang have accounts: they read what their story says.
		if want := []int{0, expected - 2, 0}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("receipts written %v, want %v", got, want)
		}
		_, v, err := Docs{db}.Reading(ctx, d.ID, w.actor["an"].MemberID, w.actor["an"].AccountID)
		if err != nil || v.ReadVersion != 0 {
			t.Errorf("an's receipt: %+v %v, want none", v, err)
		}
		var readAt time.Time
		if err := db.Reader().QueryRowContext(ctx, `SELECT read_at FROM doc_receipts WHERE document_id = $1 ORDER BY read_at LIMIT 1`, d.ID).Scan(&readAt); err != nil || !readAt.Equal(at) {
			t.Errorf("read at %v (%v), want %v", readAt, err, at)
		}
		if drift, err := db.CheckCounters(ctx); err != nil || len(drift) > 0 {
			t.Errorf("counters after the demo receipts: %v %v", drift, err)
		}
		if err := (Docs{db}).RecordReceipt(ctx, d.ID, w.actor["an"].MemberID, d.Version); err != nil {
			t.Fatal(err)
		}
		if drift, err := db.CheckCounters(ctx); err != nil || len(drift) > 0 {
			t.Errorf("counters after a receipt: %v %v", drift, err)
		}
	})
}
