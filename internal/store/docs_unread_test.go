package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestDocListUnread pages (two at a time) through the unread documents of
// a member and of a cell officer (two ranges that share documents) as
// receipts are recorded and documents revised, against the documents
// MayRead allows without a receipt of their current revision; the total
// too. Then the count's scan bound (docUnreadScan): with a small bound,
// a reader who may read more than docUnreadScan×bound documents gets a
// lower bound.
func TestDocListUnread(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		an, binh := tr.members["Nguyễn Văn An"], tr.members["Trần Thị Bình"]
		days := []string{"2026-03-02", "2026-01-15", "2026-03-02", "2025-12-31", "2026-02-01"}
		paths := map[int64]string{}
		for _, u := range []*org.Unit{tr.city, tr.district, tr.communeA, tr.communeB, tr.cellA1, tr.cellA2, tr.cellB1} {
			paths[u.ID] = u.Path
		}
		var all []*doc.Document
		for i := range 30 {
			u := []*org.Unit{tr.city, tr.district, tr.communeA, tr.cellA1, tr.cellA2, tr.communeB}[i%6]
			var roles []auth.Role
			if i%4 == 3 {
				roles = []auth.Role{auth.RoleCellOfficer}
			}
			all = append(all, mustDoc(t, db, &doc.Document{Type: "TB", IssuerCode: "HU", IssuerUnitID: tr.district.ID, Title: fmt.Sprintf("Thông báo %d", i),
				IssuedOn: date.MustParse(days[i%len(days)]), Audience: doc.Audience{UnitID: u.ID, Roles: roles}}))
		}
		readers := map[string]doc.Reach{
			"member":       memberReach(tr.cellA1, an.ID),
			"cell officer": memberReach(tr.cellA1, binh.ID, grant(tr.cellA1, auth.RoleCellOfficer)),
		}
		read := map[[2]int64]int{} // member, document → newest revision read
		receipt := func(d *doc.Document, m int64) {
			if err := (Docs{db}).RecordReceipt(ctx, d.ID, m, d.Version); err != nil {
				t.Fatal(err)
			}
			read[[2]int64{m, d.ID}] = d.Version
		}
		check := func(step string) {
			t.Helper()
			for name, r := range readers {
				wantIDs := readableDocIDs(all, r, paths, func(d *doc.Document) bool { return read[[2]int64{r.MemberID, d.ID}] != d.Version })
				gotIDs, totals := listDocPages(t, ctx, db, doc.ListFilter{Reach: r, Kind: doc.KindDocument, Unread: true, Limit: 2})
				if diff := gocmp.Diff(wantIDs, gotIDs); diff != "" {
					t.Errorf("%s, %s: unread pages (-want +got):\n%s", step, name, diff)
				}
				if diff := gocmp.Diff(map[int]bool{len(wantIDs): true}, totals); diff != "" {
					t.Errorf("%s, %s: totals, exact (-want +got):\n%s", step, name, diff)
				}
			}
		}
		check("nothing read")
		for i, d := range all {
			if i%3 != 0 {
				receipt(d, an.ID)
			}
			if i%2 == 0 {
				receipt(d, binh.ID)
			}
		}
		check("some read")
		// A revision makes a read document unread again until its new
		// revision is read; an older receipt does not count.
		for i, d := range all {
			if i%5 == 1 {
				if err := (Docs{db}).Revise(ctx, d, d.Version, auth.AuditEntry{Actor: system, Action: "document.revise", ObjectType: "document", ObjectID: d.ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		check("revised")
		for i, d := range all {
			if i%10 == 1 {
				receipt(d, an.ID)
				receipt(d, binh.ID)
			}
		}
		check("revisions read")
		// The count reads docUnreadScan×bound documents: past them, what it
		// found is a lower bound.
		r := readers["member"]
		var readable int
		var newest []*doc.Document
		for _, d := range all {
			a := d.Audience
			a.Path = paths[a.UnitID]
			if r.MayRead(a) {
				readable++
				newest = append(newest, d)
			}
		}
		slices.SortFunc(newest, docOrder)
		if readable <= 2*docUnreadScan {
			t.Fatalf("the member reads %d documents: too few for the test", readable)
		}
		// A bound whose scan stops inside the member's documents (a lower
		// bound), and one whose scan reads them all (exact).
		for _, bound := range []int{2, readable/docUnreadScan + 1} {
			scan := min(len(newest), docUnreadScan*bound)
			unread := 0
			for _, d := range newest[:scan] {
				if read[[2]int64{r.MemberID, d.ID}] != d.Version {
					unread++
				}
			}
			atLeast := readable >= docUnreadScan*bound
			p, err := Docs{db}.listByScopes(ctx, doc.ListFilter{Reach: r, Kind: doc.KindDocument, Unread: true, Limit: 2}, bound)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != min(unread, bound) || p.TotalAtLeast != atLeast {
				t.Errorf("bound %d: total %d (at least %v), want %d (at least %v)", bound, p.Total, p.TotalAtLeast, min(unread, bound), atLeast)
			}
		}
	})
}

// TestDocUnreadGenericPlans: on PostgreSQL an unread list by the primary
// key's ranges runs its count and its page with generic plans from the
// first call (docListPlan.generic: the custom plans of the city member's
// page cost more to plan than to execute), and a list that a filter
// drives through its own index does not force them. It reads the plans
// the connection's prepared statements used (pg_prepared_statements), on
// a fresh database as the other plan tests (TestPlanTestsGetFreshDatabases).
func TestDocUnreadGenericPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			t.Skip("plan_cache_mode is PostgreSQL's")
		}
		ctx := context.Background()
		tr := newDocTree(t, db)
		an := tr.members["Nguyễn Văn An"]
		for i := range 5 {
			u := []*org.Unit{tr.city, tr.district, tr.communeA, tr.cellA1}[i%4]
			mustDoc(t, db, &doc.Document{Type: []string{"TB", "NQ"}[i%2], IssuerCode: "HU", IssuerUnitID: tr.district.ID, Title: fmt.Sprintf("Thông báo %d", i),
				IssuedOn: date.MustParse("2026-03-02"), Audience: doc.Audience{UnitID: u.ID}})
		}
		// One connection: the statements' plans are counted where they ran.
		db.read.SetMaxOpenConns(1)
		plans := func() (generic, custom int) {
			t.Helper()
			if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) FROM pg_prepared_statements
				WHERE statement LIKE '%doc_receipts%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&generic, &custom); err != nil {
				t.Fatal(err)
			}
			return generic, custom
		}
		for _, c := range []struct {
			name    string
			f       doc.ListFilter
			generic bool
		}{
			{"unread", doc.ListFilter{Kind: doc.KindDocument, Unread: true}, true},
			{"unread, type", doc.ListFilter{Kind: doc.KindDocument, Unread: true, Type: "TB"}, false},
		} {
			g0, c0 := plans()
			f := c.f
			f.Reach, f.Limit = memberReach(tr.cellA1, an.ID), 2
			ids, _ := listDocPages(t, ctx, db, f)
			if len(ids) == 0 {
				t.Fatalf("%s: no documents listed", c.name)
			}
			g1, c1 := plans()
			got := [2]bool{g1 > g0, c1 > c0}
			if want := [2]bool{c.generic, !c.generic}; got != want {
				t.Errorf("%s: generic plans used %v, custom plans used %v; want %v, %v (generic %d→%d, custom %d→%d)",
					c.name, got[0], got[1], want[0], want[1], g0, g1, c0, c1)
			}
		}
	})
}
