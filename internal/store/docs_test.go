package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// docTree is a small tree: a city, a district with two communes, each with
// two cells, and a few members.
type docTree struct {
	city, district, communeA, communeB, cellA1, cellA2, cellB1 *org.Unit
	members                                                    map[string]*member.Member
}

func newDocTree(t *testing.T, db *DB) *docTree {
	t.Helper()
	tr := &docTree{members: map[string]*member.Member{}}
	tr.city = mustUnit(t, db, nil, org.KindProvince, "HN")
	tr.district = mustUnit(t, db, tr.city, org.KindDistrict, "HN.PX")
	tr.communeA = mustUnit(t, db, tr.district, org.KindGrassroots, "HN.PX.A")
	tr.communeB = mustUnit(t, db, tr.district, org.KindGrassroots, "HN.PX.B")
	tr.cellA1 = mustUnit(t, db, tr.communeA, org.KindCell, "HN.PX.A.1")
	tr.cellA2 = mustUnit(t, db, tr.communeA, org.KindCell, "HN.PX.A.2")
	tr.cellB1 = mustUnit(t, db, tr.communeB, org.KindCell, "HN.PX.B.1")
	card := 10000000
	add := func(u *org.Unit, names ...string) {
		for _, n := range names {
			card++
			tr.members[n] = mustMember(t, db, u, n, fmt.Sprint(card))
		}
	}
	add(tr.cellA1, "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
	add(tr.cellA2, "Phạm Văn Dũng", "Hoàng Thị Em")
	add(tr.cellB1, "Vũ Văn Giang", "Đỗ Thị Hà")
	return tr
}

func mustDoc(t testing.TB, db *DB, d *doc.Document) *doc.Document {
	t.Helper()
	if d.Kind == "" {
		d.Kind = doc.KindDocument
	}
	if d.IssuedOn.IsZero() {
		d.IssuedOn = date.MustParse("2026-11-20")
	}
	if d.Kind == doc.KindDocument && d.TermStart.IsZero() {
		d.TermStart, _ = doc.DefaultTerm(d.IssuedOn)
	}
	if err := (Docs{db}).Create(context.Background(), d, auth.AuditEntry{Actor: system, Action: "document.create", ObjectType: "document"}); err != nil {
		t.Fatalf("create %q: %v", d.Title, err)
	}
	return d
}

func TestDocNumberingSequence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		tr := newDocTree(t, db)
		aud := doc.Audience{UnitID: tr.district.ID}
		next := func(typ, issuer string, on string) string {
			d := mustDoc(t, db, &doc.Document{Type: typ, IssuerCode: issuer, IssuerUnitID: tr.district.ID, IssuedOn: date.MustParse(on), Title: "Văn bản", Audience: aud})
			return d.Number
		}
		got := []string{
			next("CT", "HU", "2026-01-05"),
			next("CT", "HU", "2026-02-05"),
			next("HD", "HU", "2026-02-06"),
			next("QD", "HU", "2026-02-07"),
			next("CT", "BTCHU", "2026-02-08"), // another issuing body of the same committee
			next("CT", "HU", "2025-09-30"),    // the previous term
			next("CT", "HU", "2030-10-01"),    // the next term
			next("CT", "HU", "2026-03-01"),
		}
		want := []string{"01-CT/HU", "02-CT/HU", "01-HD/HU", "01-QĐ/HU", "01-CT/BTCHU", "01-CT/HU", "01-CT/HU", "03-CT/HU"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("numbers (-want +got):\n%s", diff)
		}
		// A number given by hand moves the sequence past it; giving it
		// again is a conflict.
		mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "HU", Seq: 10, Number: "10-CT/HU", IssuerUnitID: tr.district.ID, Title: "Số tay", Audience: aud})
		if n := next("CT", "HU", "2026-04-01"); n != "11-CT/HU" {
			t.Errorf("after a hand-given 10: got %s, want 11-CT/HU", n)
		}
		dup := &doc.Document{Kind: doc.KindDocument, Type: "CT", IssuerCode: "HU", Seq: 2, Number: "02-CT/HU", IssuerUnitID: tr.district.ID, IssuedOn: date.MustParse("2026-05-01"),
			Title: "Trùng", Audience: aud}
		dup.TermStart, _ = doc.DefaultTerm(dup.IssuedOn)
		if err := (Docs{db}).Create(context.Background(), dup, auth.AuditEntry{Actor: system, Action: "document.create"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a number twice: got %v, want a conflict", err)
		}
		// A configured term restarts the numbering.
		term := &doc.Term{UnitID: tr.district.ID, StartsOn: date.MustParse("2026-06-01"), EndsOn: date.MustParse("2031-05-31")}
		if err := (Docs{db}).CreateTerm(context.Background(), term, auth.AuditEntry{Actor: system, Action: "term.create"}); err != nil {
			t.Fatal(err)
		}
		overlap := &doc.Term{UnitID: tr.district.ID, StartsOn: date.MustParse("2031-01-01"), EndsOn: date.MustParse("2035-12-31")}
		if err := (Docs{db}).CreateTerm(context.Background(), overlap, auth.AuditEntry{Actor: system, Action: "term.create"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("overlapping term: got %v, want a conflict", err)
		}
		got2, err := Docs{db}.ConfiguredTerm(context.Background(), tr.cellA1.Path, date.MustParse("2026-07-01"))
		if err != nil || got2 == nil || got2.ID != term.ID {
			t.Fatalf("term of a cell below the district: %+v, %v", got2, err)
		}
		if none, err := (Docs{db}).ConfiguredTerm(context.Background(), tr.cellA1.Path, date.MustParse("2026-05-01")); err != nil || none != nil {
			t.Errorf("before the configured term: %+v, %v; want none", none, err)
		}
		d := &doc.Document{Type: "CT", IssuerCode: "HU", IssuerUnitID: tr.district.ID, IssuedOn: date.MustParse("2026-07-01"), Title: "Nhiệm kỳ mới", Audience: aud, TermStart: term.StartsOn}
		if mustDoc(t, db, d).Number != "01-CT/HU" {
			t.Errorf("first of a configured term: got %s", d.Number)
		}
	})
}

// TestDocNumberingConcurrent publishes 20 documents at once: they must get
// 20 distinct, consecutive numbers.
func TestDocNumberingConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		tr := newDocTree(t, db)
		const n = 20
		var wg sync.WaitGroup
		seqs := make([]int, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				d := &doc.Document{Kind: doc.KindDocument, Type: "KH", IssuerCode: "HU", IssuerUnitID: tr.district.ID, IssuedOn: date.MustParse("2026-11-20"),
					Title: fmt.Sprintf("Kế hoạch %d", i), Audience: doc.Audience{UnitID: tr.district.ID}}
				d.TermStart, _ = doc.DefaultTerm(d.IssuedOn)
				errs[i] = Docs{db}.Create(context.Background(), d, auth.AuditEntry{Actor: system, Action: "document.create"})
				seqs[i] = d.Seq
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("numbers %v: want 1..%d, each once", seqs, n)
			}
		}
	})
}

// reachOf builds the reach of a member (by cell) or of grants.
func memberReach(u *org.Unit, memberID int64, grants ...auth.Grant) doc.Reach {
	return doc.Reach{MemberPath: u.Path, MemberID: memberID, Grants: grants}
}

func grant(u *org.Unit, r auth.Role) auth.Grant {
	return auth.Grant{UnitID: u.ID, UnitPath: u.Path, Role: r}
}

func docIDs(ds []doc.Document) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	slices.Sort(out)
	return out
}

// TestDocReadableFilter checks that the SQL filter of Docs.List and the
// Go rule doc.Reach.MayRead agree for many readers and audiences.
func TestDocReadableFilter(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		units := []*org.Unit{tr.city, tr.district, tr.communeA, tr.communeB, tr.cellA1, tr.cellA2, tr.cellB1}
		roleSets := [][]auth.Role{nil, {auth.RoleMember}, {auth.RoleCommittee}, {auth.RoleCellOfficer, auth.RoleMember}, {auth.RoleOffice}}
		var all []*doc.Document
		for _, u := range units {
			for _, rs := range roleSets {
				all = append(all, mustDoc(t, db, &doc.Document{Type: "TB", IssuerCode: "HU", IssuerUnitID: tr.city.ID, Title: "Thông báo",
					Audience: doc.Audience{UnitID: u.ID, Roles: rs}}))
			}
		}
		an := tr.members["Nguyễn Văn An"]
		readers := map[string]doc.Reach{
			"member of A1":             memberReach(tr.cellA1, an.ID, grant(tr.cellA1, auth.RoleMember)),
			"member without a grant":   memberReach(tr.cellA2, tr.members["Phạm Văn Dũng"].ID),
			"cell officer of A1":       memberReach(tr.cellA1, tr.members["Trần Thị Bình"].ID, grant(tr.cellA1, auth.RoleCellOfficer)),
			"committee of A":           {Grants: []auth.Grant{grant(tr.communeA, auth.RoleCommittee)}},
			"office of the district":   {Grants: []auth.Grant{grant(tr.district, auth.RoleOffice)}},
			"member role on commune B": {Grants: []auth.Grant{grant(tr.communeB, auth.RoleMember)}},
			"two grants":               {Grants: []auth.Grant{grant(tr.cellB1, auth.RoleCellOfficer), grant(tr.cellA2, auth.RoleCommittee)}},
			"nobody":                   {},
			"system":                   {All: true},
		}
		for name, r := range readers {
			var want []int64
			for _, d := range all {
				a := d.Audience
				a.Path = unitPath(units, a.UnitID)
				if r.MayRead(a) {
					want = append(want, d.ID)
				}
			}
			slices.Sort(want)
			page, err := Docs{db}.List(ctx, doc.ListFilter{Reach: r, Kind: doc.KindDocument, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = []int64{}
			}
			if diff := cmp.Diff(want, docIDs(page.Items)); diff != "" {
				t.Errorf("%s: SQL and MayRead disagree (-go +sql):\n%s", name, diff)
			}
			if page.Total != len(want) {
				t.Errorf("%s: total %d, want %d", name, page.Total, len(want))
			}
		}
	})
}

func unitPath(us []*org.Unit, id int64) string {
	for _, u := range us {
		if u.ID == id {
			return u.Path
		}
	}
	return ""
}

// TestDocSearchSameOnBothEngines runs the same queries on both engines
// and expects the same result sets (written out, so both must match them).
func TestDocSearchSameOnBothEngines(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		city := doc.Audience{UnitID: tr.city.ID}
		add := func(d *doc.Document) int64 { d.IssuerUnitID = tr.city.ID; return mustDoc(t, db, d).ID }
		ids := map[string]int64{
			"ct24": add(&doc.Document{Type: "CT", IssuerCode: "TU", Seq: 24, Number: "24-CT/TU", Title: "Chỉ thị về tăng cường kỷ luật, kỷ cương trong giải quyết công việc",
				Summary: "Siết chặt kỷ luật, kỷ cương hành chính", Body: "Các cấp ủy **quán triệt** nghiêm túc.", Audience: city}),
			"kh121": add(&doc.Document{Type: "KH", IssuerCode: "TU", Seq: 121, Number: "121-KH/TU", Title: "Kế hoạch triển khai Sổ tay đảng viên điện tử",
				Body: "Thực hiện Chỉ thị 24-CT/TU, các chi bộ cài đặt sổ tay.", Audience: city}),
			"qd4529": add(&doc.Document{Type: "QD", IssuerCode: "TU", Seq: 4529, Number: "4529-QĐ/TU", Title: "Quyết định ban hành Quy chế vận hành",
				Body: "Quy chế *vận hành* hệ thống điều hành tác nghiệp.", Audience: city}),
			"qd1":    add(&doc.Document{Type: "QD", IssuerCode: "TW", Seq: 1, Number: "01-QĐ/TW", Title: "Quy định về đảng phí", Body: "Mức đóng đảng phí hằng tháng.", Audience: city}),
			"hidden": add(&doc.Document{Type: "CT", IssuerCode: "HU", Title: "Chỉ thị kỷ cương của xã B", Body: "kỷ cương", Audience: doc.Audience{UnitID: tr.communeB.ID}}),
			"news":   add(&doc.Document{Kind: doc.KindNews, Category: "Tin tức", Title: "Hội nghị quán triệt Chỉ thị 24", Body: "Đảng viên dự hội nghị về kỷ cương.", Audience: city}),
			"link":   add(&doc.Document{Type: "TB", IssuerCode: "HU", Title: "Thông báo", Body: "Xem [trang](https://kycuong.example/abc) này.", Audience: city}),
		}
		reader := memberReach(tr.cellA1, tr.members["Nguyễn Văn An"].ID)
		cases := []struct {
			q    string
			want []string
		}{
			{"chi thi 24 ky cuong", []string{"ct24", "news"}},
			{"kỷ cương", []string{"ct24", "news"}},
			{"KY CUONG", []string{"ct24", "news"}},
			{"ky cuon", []string{"ct24", "news"}},
			{"24-CT/TU", []string{"ct24", "kh121"}},
			{"24/ct-tu", []string{"ct24", "kh121"}},
			{"Số 24 CT TU", []string{"ct24", "kh121"}},
			{"4529-QD/TU", []string{"qd4529"}},
			{"4529-qđ/tu", []string{"qd4529"}},
			{"1-QĐ/TW", []string{"qd1"}},
			{"quy dinh 01-QD/TW", []string{"qd1"}},
			{"quan triet", []string{"ct24", "news"}},
			{"van hanh", []string{"qd4529"}},
			{"kycuong", []string{}}, // only in a link's address, which is not text
			{"đảng phí", []string{"qd1"}},
			{"xyz", []string{}},
			{"\"); DROP TABLE documents; --", []string{}},
			{"*", []string{}},
		}
		for _, c := range cases {
			q := doc.ParseQuery(c.q)
			var got []int64
			if !q.Empty() {
				ds, err := Docs{db}.Search(ctx, doc.SearchFilter{Reach: reader, Query: q, Limit: 100})
				if err != nil {
					t.Fatalf("%q: %v", c.q, err)
				}
				got = docIDs(ds)
			}
			want := []int64{}
			for _, k := range c.want {
				want = append(want, ids[k])
			}
			slices.Sort(want)
			if got == nil {
				got = []int64{}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("search %q (-want +got):\n%s", c.q, diff)
			}
		}
		// The list endpoint's q filter finds the same documents (not news).
		page, err := Docs{db}.List(ctx, doc.ListFilter{Reach: reader, Kind: doc.KindDocument, Query: doc.ParseQuery("ky cuong"), Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{ids["ct24"]}, docIDs(page.Items)); diff != "" {
			t.Errorf("list q=ky cuong (-want +got):\n%s", diff)
		}
		// Revising the text re-indexes it.
		d, err := Docs{db}.Document(ctx, ids["qd1"])
		if err != nil {
			t.Fatal(err)
		}
		d.Body = "Mức đóng mới theo lương cơ sở."
		if err := (Docs{db}).Revise(ctx, d, 1, auth.AuditEntry{Actor: system, Action: "document.revise"}); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"luong co so": 1, "muc dong moi": 1, "hang thang": 0} {
			ds, err := Docs{db}.Search(ctx, doc.SearchFilter{Reach: reader, Query: doc.ParseQuery(q), Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != want {
				t.Errorf("after the revision, %q finds %d, want %d", q, len(ds), want)
			}
		}
		// Members by name, within the given subtrees only.
		hits, err := Docs{db}.SearchMembersByName(ctx, []string{tr.communeA.Path}, doc.ParseQuery("van"), 10)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range hits {
			names = append(names, h.FullName)
		}
		if diff := cmp.Diff([]string{"Nguyễn Văn An", "Lê Văn Cường", "Phạm Văn Dũng"}, names); diff != "" {
			t.Errorf("members named van in commune A (-want +got):\n%s", diff)
		}
	})
}

// TestDocReceiptsRollUp records receipts and checks the per-unit counts
// and the list of members who have not read, across a revision.
func TestDocReceiptsRollUp(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		d := mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "HU", IssuerUnitID: tr.district.ID, Title: "Chỉ thị", Audience: doc.Audience{UnitID: tr.district.ID}})
		d, _ = Docs{db}.Document(ctx, d.ID)
		for _, n := range []string{"Nguyễn Văn An", "Trần Thị Bình", "Vũ Văn Giang"} {
			if err := (Docs{db}).RecordReceipt(ctx, d.ID, tr.members[n].ID, 1); err != nil {
				t.Fatal(err)
			}
			if err := (Docs{db}).RecordReceipt(ctx, d.ID, tr.members[n].ID, 1); err != nil { // once only
				t.Fatal(err)
			}
		}
		counts := func(path string) map[string][2]int {
			cs, err := Docs{db}.readCountsScan(ctx, d, path)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][2]int{}
			for _, c := range cs {
				out[c.Path] = [2]int{c.Expected, c.Read}
			}
			return out
		}
		want := map[string][2]int{tr.cellA1.Path: {3, 2}, tr.cellA2.Path: {2, 0}, tr.cellB1.Path: {2, 1}}
		if diff := cmp.Diff(want, counts(tr.district.Path)); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
		nr, err := Docs{db}.NotRead(ctx, d, tr.communeA.Path, 2, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(nr.Items) != 2 || nr.NextCursor == nil {
			t.Fatalf("not read in A: %+v", nr)
		}
		nr2, err := Docs{db}.NotRead(ctx, d, tr.communeA.Path, 2, *nr.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range append(nr.Items, nr2.Items...) {
			names = append(names, r.FullName)
		}
		// Cell by cell, by given name within a cell.
		if diff := cmp.Diff([]string{"Lê Văn Cường", "Phạm Văn Dũng", "Hoàng Thị Em"}, names); diff != "" {
			t.Errorf("not read (-want +got):\n%s", diff)
		}
		// A new revision: nobody has read it yet.
		d.Title = "Chỉ thị (sửa đổi)"
		if err := (Docs{db}).Revise(ctx, d, 1, auth.AuditEntry{Actor: system, Action: "document.revise"}); err != nil {
			t.Fatal(err)
		}
		if got := counts(tr.district.Path)[tr.cellA1.Path]; got != [2]int{3, 0} {
			t.Errorf("after the revision, A1: %v, want 3 expected, 0 read", got)
		}
		rv, _, err := Docs{db}.ReaderState(ctx, d.ID, tr.members["Nguyễn Văn An"].ID, 0)
		if err != nil || rv != 1 {
			t.Errorf("read version after the revision: %d, %v; want 1", rv, err)
		}
		if err := (Docs{db}).Revise(ctx, d, 1, auth.AuditEntry{Actor: system, Action: "document.revise"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale revision: got %v, want a conflict", err)
		}
		revs, err := Docs{db}.Revisions(ctx, d.ID)
		if err != nil || len(revs) != 2 || revs[0].Version != 2 || revs[1].Title != "Chỉ thị" {
			t.Errorf("revisions: %+v, %v", revs, err)
		}
	})
}

// TestDocSigner stores who signs a document and reads it back on both
// engines; a document without one reads back empty.
func TestDocSigner(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		tr := newDocTree(t, db)
		aud := doc.Audience{UnitID: tr.district.ID}
		for _, want := range []doc.Signer{{}, {Name: "Nguyễn Văn An"}, {Name: "Trần Thị Bình", Deputy: true}} {
			d := mustDoc(t, db, &doc.Document{Type: "TB", IssuerCode: "HU", IssuerUnitID: tr.district.ID, Title: "Thông báo", Audience: aud, Signer: want})
			got, err := Docs{db}.Document(context.Background(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Signer != want {
				t.Errorf("signer read back %+v, want %+v", got.Signer, want)
			}
		}
	})
}
