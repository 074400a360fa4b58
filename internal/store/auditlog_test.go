package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestListAuditLeavesOutPrivateActions: an officer browsing the log of a
// cell sees what was done to its records, not a member's notes, bookmarks,
// own password or reads of their own record; the system still sees them.
func TestListAuditLeavesOutPrivateActions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "cell HN.1")
		cell := u["HN.1"]
		an := mustMember(t, db, cell, "Nguyễn Văn An", "01000001")
		binh := mustMember(t, db, cell, "Trần Văn Bình", "01000002")
		acc := &auth.Account{Username: "an", MemberID: &an.ID, Roles: []auth.Grant{{UnitID: cell.ID, Role: auth.RoleMember}}}
		if err := (Accounts{db}).Create(ctx, acc, "not-a-hash", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
			t.Fatal(err)
		}
		member := &auth.Actor{AccountID: acc.ID, Username: "an", MemberID: an.ID, MemberUnitPath: cell.Path}
		officer := &auth.Actor{AccountID: acc.ID + 1000, Username: "bithu"}
		entries := []auth.AuditEntry{
			{Actor: member, Action: "note.put", ObjectType: "document", ObjectID: 5, UnitPath: cell.Path},
			{Actor: member, Action: "bookmark.add", ObjectType: "document", ObjectID: 5, UnitPath: cell.Path},
			{Actor: member, Action: "bookmark.remove", ObjectType: "news", ObjectID: 6, UnitPath: cell.Path},
			{Actor: member, Action: "account.password_change", ObjectType: "account", ObjectID: acc.ID, UnitPath: cell.Path},
			{Actor: member, Action: "account.totp_enable", ObjectType: "account", ObjectID: acc.ID, UnitPath: cell.Path},
			{Actor: member, Action: "member.read", ObjectType: "member", ObjectID: an.ID, UnitPath: cell.Path}, // own record
			{Actor: member, Action: "comment.create", ObjectType: "comment", UnitPath: cell.Path},              // public
			{Actor: officer, Action: "member.read", ObjectType: "member", ObjectID: an.ID, UnitPath: cell.Path},
			{Actor: officer, Action: "member.update", ObjectType: "member", ObjectID: binh.ID, UnitPath: cell.Path},
			{Actor: &auth.Actor{Username: "hệ thống"}, Action: "member.read", ObjectType: "member", ObjectID: binh.ID, UnitPath: cell.Path}, // no account
		}
		for _, e := range entries {
			if err := db.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		list := func(f auth.AuditFilter) []string {
			t.Helper()
			f.Limit = 100
			recs, err := db.ListAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				if r.Action != "member.create" && r.Action != "unit.create" {
					got = append(got, r.Username+" "+r.Action)
				}
			}
			return got
		}
		tests := []struct {
			name string
			f    auth.AuditFilter
			want []string
		}{
			{"officer of the cell", auth.AuditFilter{Paths: []string{cell.Path}},
				[]string{"hệ thống member.read", "bithu member.update", "bithu member.read", "an comment.create"}},
			{"the member's own record", auth.AuditFilter{OwnMemberID: an.ID}, []string{"bithu member.read"}},
			{"the system", auth.AuditFilter{Paths: []string{"/"}, IncludePrivate: true},
				[]string{"hệ thống member.read", "bithu member.update", "bithu member.read", "an comment.create", "an member.read",
					"an account.totp_enable", "an account.password_change", "an bookmark.remove", "an bookmark.add", "an note.put"}},
			// The changes only, as a unit's page shows its history.
			{"by action", auth.AuditFilter{Paths: []string{cell.Path}, Actions: []string{"member.update", "comment.create"}},
				[]string{"bithu member.update", "an comment.create"}},
			{"by an action nobody took", auth.AuditFilter{Paths: []string{cell.Path}, Actions: []string{"unit.move"}}, nil},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, list(tt.f)); diff != "" {
				t.Errorf("%s: entries (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}
