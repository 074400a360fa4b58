package store

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

func mustUnit(t *testing.T, db *DB, parent *org.Unit, kind org.Kind, code string) *org.Unit {
	t.Helper()
	u := &org.Unit{Kind: kind, Name: "Đơn vị " + code, Code: code, ValidFrom: date.MustParse("2000-01-01")}
	if parent != nil {
		u.ParentID = &parent.ID
	}
	if err := (Units{db}).Create(context.Background(), u, auth.AuditEntry{Actor: system, Action: "unit.create", ObjectType: "unit"}); err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

// mustTree makes the units of specs, each "kind code" (kind: province,
// district, grassroots, sub, cell), under the unit whose code is its own
// without the last dotted part when there is one, and answers them by code.
func mustTree(t *testing.T, db *DB, specs ...string) map[string]*org.Unit {
	t.Helper()
	kinds := map[string]org.Kind{"province": org.KindProvince, "district": org.KindDistrict, "grassroots": org.KindGrassroots,
		"sub": org.KindSubCommittee, "cell": org.KindCell}
	out := map[string]*org.Unit{}
	for _, spec := range specs {
		kind, code, _ := strings.Cut(spec, " ")
		var parent *org.Unit
		if i := strings.LastIndexByte(code, '.'); i > 0 {
			parent = out[code[:i]]
		}
		out[code] = mustUnit(t, db, parent, kinds[kind], code)
	}
	return out
}

func mustMember(t *testing.T, db *DB, unit *org.Unit, name, card string) *member.Member {
	t.Helper()
	m := &member.Member{UnitID: unit.ID, FullName: name, Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
		CardNo: card, AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
	member.Normalize(m)
	if err := (Members{db}).Create(context.Background(), m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
		t.Fatalf("create member: %v", err)
	}
	return m
}

// TestReorganisation replays a 2025-style reorganisation: two communes are
// merged into a new commune directly under the city and the district is
// dissolved; counts as of the day before and the day of must differ.
func TestReorganisation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.PX", "grassroots HN.PX.A", "grassroots HN.PX.B", "grassroots HN.PX.C",
			"cell HN.PX.A.1", "cell HN.PX.B.1", "cell HN.PX.C.1")
		city, district, a, b, c := u["HN"], u["HN.PX"], u["HN.PX.A"], u["HN.PX.B"], u["HN.PX.C"]
		cellA, cellB, cellC := u["HN.PX.A.1"], u["HN.PX.B.1"], u["HN.PX.C.1"]
		mustMember(t, db, cellA, "Nguyễn Văn An", "00000001")
		mustMember(t, db, cellA, "Trần Thị Bình", "00000002")
		mustMember(t, db, cellB, "Lê Văn Đăng", "00000003")
		mustMember(t, db, cellC, "Phạm Thị Cúc", "00000004")

		on := date.MustParse("2025-07-01")
		merged := &org.Unit{Kind: org.KindGrassroots, Name: "Đảng bộ xã Phú Xuyên", Code: "HN.PHUXUYEN", ParentID: &city.ID, ValidFrom: on}
		if err := (Units{db}).Create(ctx, merged, auth.AuditEntry{Actor: system}); err != nil {
			t.Fatal(err)
		}
		if err := (Units{db}).Merge(ctx, []int64{a.ID, b.ID}, merged.ID, on, auth.AuditEntry{Actor: system}); err != nil {
			t.Fatal(err)
		}
		if err := (Units{db}).Move(ctx, c.ID, city.ID, on, auth.AuditEntry{Actor: system}); err != nil {
			t.Fatal(err)
		}
		if err := (Units{db}).Dissolve(ctx, district.ID, on, auth.AuditEntry{Actor: system}); err != nil {
			t.Fatal(err)
		}
		count := func(u *org.Unit, d string) int {
			t.Helper()
			day := date.MustParse(d)
			old, err := Units{db}.AsOf(ctx, u.ID, day)
			if err != nil {
				return -1
			}
			st, err := Units{db}.Stats(ctx, old.Path, day, false)
			if err != nil {
				t.Fatal(err)
			}
			return st.Members.Total
		}
		got := map[string]int{
			"district 06-30": count(district, "2025-06-30"), "district 07-01": count(district, "2025-07-01"),
			"merged 06-30": count(merged, "2025-06-30"), "merged 07-01": count(merged, "2025-07-01"),
			"city 06-30": count(city, "2025-06-30"), "city 07-01": count(city, "2025-07-01"),
			"c 06-30": count(c, "2025-06-30"), "c 07-01": count(c, "2025-07-01"),
		}
		want := map[string]int{
			"district 06-30": 4, "district 07-01": -1,
			"merged 06-30": -1, "merged 07-01": 3,
			"city 06-30": 4, "city 07-01": 4,
			"c 06-30": 1, "c 07-01": 1,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
		// Today's tree: the merged commune holds both cells.
		cur, err := Units{db}.Stats(ctx, mustPath(t, db, merged.ID), date.MustParse("2026-11-20"), true)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := cur.Members.Total, 3; got != want {
			t.Errorf("merged today: got %d members, want %d", got, want)
		}
		if got, want := cur.Units.ByKind["cell"], 2; got != want {
			t.Errorf("merged today: got %d cells, want %d", got, want)
		}
		// Member list as of the day before still finds the members under the district.
		page, err := Members{db}.List(ctx, member.Filter{Path: "/1/2/", AsOf: date.MustParse("2025-06-30"), Statuses: member.ActiveStatuses, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := page.Total, 4; got != want {
			t.Errorf("as-of list: got %d, want %d", got, want)
		}
	})
}

func mustPath(t *testing.T, db *DB, id int64) string {
	t.Helper()
	u, err := Units{db}.Unit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// TestUnitMemberCount counts the member records a unit holds, of any
// status, and those it hosts: the kind of a unit holding any may not change
// from cell.
func TestUnitMemberCount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "grassroots HN.A", "cell HN.A.1", "cell HN.A.2", "cell HN.A.3")
		commune, home, host, empty := u["HN.A"], u["HN.A.1"], u["HN.A.2"], u["HN.A.3"]
		a := mustMember(t, db, home, "Nguyễn Văn An", "00000001")
		mustMember(t, db, home, "Trần Thị Bình", "00000002")
		a.TempUnitID = &host.ID
		ev := member.Event{Kind: "transfer_temporary", FromStatus: a.Status, ToStatus: a.Status, FromUnitID: home.ID, ToUnitID: host.ID, EffectiveOn: date.MustParse("2026-01-05")}
		if err := (Members{db}).Transfer(ctx, a, a.Version, ev, auth.AuditEntry{Actor: system, Action: "member.transfer", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, u := range []*org.Unit{home, host, empty, commune} {
			n, err := Units{db}.MemberCount(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
		if diff := cmp.Diff([]int{2, 1, 0, 0}, got); diff != "" {
			t.Errorf("member counts of home, host, empty, commune (-want +got):\n%s", diff)
		}
	})
}
