package store

import (
	"context"
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
			got, v, err := db.DocReading(ctx, d.ID, an.MemberID, an.AccountID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Chỉ thị" || got.Audience.Path != w.communeA.Path || v.ReadVersion != 0 || v.Bookmarked || v.Note != nil || v.Attachments != 0 {
				t.Fatalf("before: %+v %+v", got, v)
			}
		}
		if err := db.RecordDocReceipt(ctx, d.ID, an.MemberID, 1); err != nil {
			t.Fatal(err)
		}
		a := auth.AuditEntry{Actor: system, Action: "x", ObjectType: "document"}
		if err := db.SetDocBookmark(ctx, d.ID, an.AccountID, true, a); err != nil {
			t.Fatal(err)
		}
		now := w.now
		if err := db.PutDocNote(ctx, &doc.Note{DocumentID: d.ID, AccountID: an.AccountID, Body: "ghi chú", UpdatedAt: &now}, a); err != nil {
			t.Fatal(err)
		}
		if err := db.AddDocAttachment(ctx, &doc.Attachment{DocumentID: d.ID, Name: "a.pdf", MediaType: "application/pdf", Size: 10, SHA256: "00"}, a); err != nil {
			t.Fatal(err)
		}
		_, v, err := db.DocReading(ctx, d.ID, an.MemberID, an.AccountID)
		if err != nil || v.ReadVersion != 1 || !v.Bookmarked || v.Note == nil || v.Note.Body != "ghi chú" || v.Attachments != 1 {
			t.Fatalf("after: %+v, %v", v, err)
		}
		// Another account sees none of it.
		_, v, err = db.DocReading(ctx, d.ID, w.actor["giang"].MemberID, w.actor["giang"].AccountID)
		if err != nil || v.ReadVersion != 0 || v.Bookmarked || v.Note != nil || v.Attachments != 1 {
			t.Fatalf("another reader: %+v, %v", v, err)
		}
		if _, _, err := db.DocReading(ctx, 999999, 0, 0); !apperr.Is(err, apperr.NotFound) {
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
		if err := db.CreateSession(ctx, "hash-an", an.AccountID, w.now, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			a, err := db.SessionActor(ctx, "hash-an", w.now.Add(time.Second))
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
		if err := db.CreateSession(ctx, "hash-office", w.actor["office"].AccountID, w.now, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		if a, err := db.SessionActor(ctx, "hash-office", w.now); err != nil || a.MemberID != 0 || a.MemberUnitPath != "" || len(a.Grants) != 1 {
			t.Errorf("an account without a member: %+v, %v", a, err)
		}
		if _, err := db.SessionActor(ctx, "no-such-hash", w.now); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown session: %v", err)
		}
	})
}
