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
		var readable, unread int
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
		bound := 2
		for _, d := range newest[:min(len(newest), docUnreadScan*bound)] {
			if read[[2]int64{r.MemberID, d.ID}] != d.Version {
				unread++
			}
		}
		if readable <= docUnreadScan*bound {
			t.Fatalf("the member reads %d documents: too few for the test", readable)
		}
		p, err := Docs{db}.listByScopes(ctx, doc.ListFilter{Reach: r, Kind: doc.KindDocument, Unread: true, Limit: 2}, bound)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != min(unread, bound) || !p.TotalAtLeast {
			t.Errorf("bound %d: total %d (at least %v), want %d, at least", bound, p.Total, p.TotalAtLeast, min(unread, bound))
		}
	})
}
