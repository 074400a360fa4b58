package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestListAuditByActorAndTime: the audit browser's filters by who acted
// and when, on both engines.
func TestListAuditByActorAndTime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		city := mustUnit(t, db, nil, org.KindProvince, "HN")
		day := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
		clock := day
		db.Now = func() time.Time { return clock }
		for i, who := range []string{"an", "binh", "an", "binh"} {
			clock = day.Add(time.Duration(i) * 24 * time.Hour).Add(123456 * time.Microsecond)
			if err := db.Audit(ctx, auth.AuditEntry{Actor: &auth.Actor{Username: who}, Action: "member.update", ObjectType: "member", ObjectID: int64(i + 1), UnitPath: city.Path}); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			f    auth.AuditFilter
			want []int64
		}{
			{"everyone", auth.AuditFilter{}, []int64{4, 3, 2, 1}},
			{"an", auth.AuditFilter{Username: "an"}, []int64{3, 1}},
			{"from the second day", auth.AuditFilter{Since: day.Add(24 * time.Hour)}, []int64{4, 3, 2}},
			{"before the third day", auth.AuditFilter{Until: day.Add(48 * time.Hour)}, []int64{2, 1}},
			{"binh on days two and three", auth.AuditFilter{Username: "binh", Since: day.Add(time.Hour), Until: day.Add(72 * time.Hour)}, []int64{2}},
		}
		for _, tt := range tests {
			tt.f.Paths, tt.f.Limit, tt.f.ObjectType = []string{city.Path}, 10, "member"
			recs, err := db.ListAudit(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range recs {
				got = append(got, *r.ObjectID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: objects (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

// TestListAccounts: the administration list keeps to the accounts whose
// every role is in reach, finds members' names without diacritics, and
// pages by cursor.
func TestListAccounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1")
		city, d1, d2, cell := u["HN"], u["HN.1"], u["HN.2"], u["HN.1.1"]
		dung := mustMember(t, db, cell, "Lê Văn Dũng", "01000001")
		mk := func(name string, member *int64, gs ...auth.Grant) {
			t.Helper()
			if err := (Accounts{db}).Create(ctx, &auth.Account{Username: name, MemberID: member, Roles: gs}, "x", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
				t.Fatal(err)
			}
		}
		mk("a.cell", &dung.ID, auth.Grant{UnitID: cell.ID, Role: auth.RoleCellOfficer})
		mk("b.d1", nil, auth.Grant{UnitID: d1.ID, Role: auth.RoleCommittee})
		mk("c.both", nil, auth.Grant{UnitID: d1.ID, Role: auth.RoleMember}, auth.Grant{UnitID: d2.ID, Role: auth.RoleMember})
		mk("d.d2", nil, auth.Grant{UnitID: d2.ID, Role: auth.RoleOffice})
		mk("e.none", nil)
		list := func(f auth.AccountFilter) ([]string, string) {
			t.Helper()
			if f.Limit == 0 {
				f.Limit = 10
			}
			rows, err := Accounts{db}.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Username)
			}
			if len(rows) > f.Limit {
				return got[:f.Limit], rows[f.Limit-1].Cursor
			}
			return got, ""
		}
		tests := []struct {
			name string
			f    auth.AccountFilter
			want []string
		}{
			{"district 1", auth.AccountFilter{Paths: []string{d1.Path}}, []string{"a.cell", "b.d1"}},
			{"the city, roleless too", auth.AccountFilter{Paths: []string{city.Path}, Roleless: true}, []string{"a.cell", "b.d1", "c.both", "d.d2", "e.none"}},
			{"a member's name folded", auth.AccountFilter{Paths: []string{city.Path}, Q: "le van dung"}, []string{"a.cell"}},
			{"a user name", auth.AccountFilter{Paths: []string{city.Path}, Q: "d2"}, []string{"d.d2"}},
			{"nothing in reach", auth.AccountFilter{}, nil},
		}
		for _, tt := range tests {
			got, _ := list(tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: accounts (-want +got):\n%s", tt.name, diff)
			}
		}
		page1, next := list(auth.AccountFilter{Paths: []string{city.Path}, Limit: 2})
		page2, _ := list(auth.AccountFilter{Paths: []string{city.Path}, Limit: 2, Cursor: next})
		if diff := cmp.Diff([]string{"a.cell", "b.d1", "c.both", "d.d2"}, append(page1, page2...)); diff != "" {
			t.Errorf("two pages (-want +got):\n%s", diff)
		}
		if _, err := (Accounts{db}).List(ctx, auth.AccountFilter{Paths: []string{city.Path}, Limit: 2, Cursor: "bogus"}); err == nil {
			t.Error("a made-up cursor was accepted")
		}
	})
}
