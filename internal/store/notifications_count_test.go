package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/notify"
)

// TestNotificationCountPlans checks the inbox's counts (issue 17): each
// range of the stored notifications (all, unread; the account's, the
// member's) and the new documents are read up to the bound, never by a
// scan of the table or a sort; on SQLite the receipts only by a probe of
// each row's document.
func TestNotificationCountPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, s := range []struct {
			name string
			r    notify.Reader
		}{
			{"account-and-member", notify.Reader{AccountID: 3, MemberID: 9, MemberPath: "/1/2/5/", Since: since}},
			{"account-only", notify.Reader{AccountID: 3, Grants: []auth.Grant{{UnitPath: "/1/2/", Role: auth.RoleOffice}}, Since: since, ReadAllAt: since.Add(time.Hour)}},
		} {
			t.Run(s.name, func(t *testing.T) {
				q, args := storedCountSQL(s.r)
				c.check(t, "stored", q, args)
				q, args = derivedCountSQL(db.dialect, s.r)
				c.check(t, "derived", q, args)
				// On SQLite each row probes the member's receipt of its
				// document (derivedReadSets), no set of the receipts.
				if db.dialect == sqliteDialect {
					if bad := receiptSetReads(c.plan(t, "derived", q, args)); len(bad) > 0 {
						t.Errorf("derived reads the member's receipts, not a probe per row: %q", bad)
					}
				}
			})
		}
	})
}

// TestInboxCountsBounded: past notify.CountBound stored notifications the
// inbox's total and unread are the bound and say "at least"; once they
// are read, the unread count is exact again (0) and the total still a
// lower bound; another reader's inbox is counted exactly.
func TestInboxCountsBounded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		var ns []notify.New
		for i := range notify.CountBound + 5 {
			ns = append(ns, notify.New{AccountID: w.actor["an"].AccountID, Kind: "task_assigned", Title: fmt.Sprint("Việc ", i), Link: "/cong-viec/1"})
		}
		ns = append(ns, notify.New{AccountID: w.actor["giang"].AccountID, Kind: "task_assigned", Title: "Việc", Link: "/cong-viec/1"})
		if _, err := (Notifications{db}).InsertNotifications(ctx, ns, w.now); err != nil {
			t.Fatal(err)
		}
		type counts struct {
			Total, Unread               int
			TotalAtLeast, UnreadAtLeast bool
		}
		got := func(who string) counts {
			p := w.inbox(t, who, notify.InboxInput{Limit: 5})
			return counts{p.Total, p.Unread, p.TotalAtLeast, p.UnreadAtLeast}
		}
		b := notify.CountBound
		if diff := cmp.Diff(counts{b, b, true, true}, got("an")); diff != "" {
			t.Errorf("over the bound (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(counts{1, 1, false, false}, got("giang")); diff != "" {
			t.Errorf("another reader (-want +got):\n%s", diff)
		}
		if n, atLeast, err := w.svc.Unread(ctx, w.actor["an"]); err != nil || n != b || !atLeast {
			t.Errorf("Unread: %d, %v, %v; want %d, true", n, atLeast, err, b)
		}
		if err := w.svc.MarkAllRead(ctx, w.actor["an"]); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(counts{b, 0, true, false}, got("an")); diff != "" {
			t.Errorf("all read (-want +got):\n%s", diff)
		}
	})
}
