package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"golang.org/x/text/unicode/norm"
)

func TestMemberListOrderSearchAndPaging(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "cell HN.C1", "cell HN.C2")
		root, cell, other := u["HN"], u["HN.C1"], u["HN.C2"]
		names := []string{"Trần Văn Đăng", "Nguyễn Thị Ánh", "Lê Văn An", "Phạm Văn Dũng", "Nguyễn Văn Anh", "Hoàng Thị Ân", "Vũ Văn Bình"}
		for i, n := range names {
			mustMember(t, db, cell, n, "1000000"+string(rune('0'+i)))
		}
		mustMember(t, db, other, "Nguyễn Văn Đăng", "20000000")

		var got []string
		f := member.Filter{Path: cell.Path, Statuses: member.ActiveStatuses, Limit: 3}
		for {
			page, err := Members{db}.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(names) {
				t.Fatalf("total %d, want %d", page.Total, len(names))
			}
			for _, m := range page.Items {
				got = append(got, m.FullName)
			}
			if page.NextCursor == nil {
				break
			}
			f.Cursor = *page.NextCursor
		}
		want := []string{"Lê Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Ánh", "Hoàng Thị Ân", "Vũ Văn Bình", "Phạm Văn Dũng", "Trần Văn Đăng"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order by given name (-want +got):\n%s", diff)
		}
		search := func(q string) []string {
			page, err := Members{db}.List(ctx, member.Filter{Path: root.Path, Query: q, Statuses: member.ActiveStatuses, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range page.Items {
				out = append(out, m.FullName)
			}
			return out
		}
		if diff := cmp.Diff([]string{"Nguyễn Văn Đăng", "Trần Văn Đăng"}, search("van dang")); diff != "" {
			t.Errorf("search van dang (-want +got):\n%s", diff)
		}
		if got := search("100%"); len(got) != 0 {
			t.Errorf("a %% in the query must be literal, found %v", got)
		}
		_ = norm.NFC
	})
}

func TestMemberUniqueAndVersion(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		root := mustUnit(t, db, nil, org.KindProvince, "HN")
		cell := mustUnit(t, db, root, org.KindCell, "HN.C1")
		a := mustMember(t, db, cell, "Lê Văn An", "12345678")
		dup := &member.Member{UnitID: cell.ID, FullName: "Lê Văn Bê", Gender: member.Male, BirthDate: a.BirthDate, CardNo: "12345678", AdmittedOn: a.AdmittedOn, Status: member.StatusProbationary}
		member.Normalize(dup)
		err := Members{db}.Create(ctx, dup, dup.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create"})
		if !apperr.Is(err, apperr.Conflict) {
			t.Errorf("duplicate card number: got %v, want a conflict", err)
		}
		a.Position = "Bí thư"
		if err := (Members{db}).Update(ctx, a, 1, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		a.Position = "Phó Bí thư"
		if err := (Members{db}).Update(ctx, a, 1, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale version: got %v, want a conflict", err)
		}
		got, _, err := Members{db}.Member(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Position != "Bí thư" || got.Version != 2 {
			t.Errorf("stored position %q version %d, want Bí thư and 2", got.Position, got.Version)
		}
		var n int
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'member' AND action = 'member.update'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries for the update: %d (%v), want 1: a failed write leaves none", n, err)
		}
	})
}
