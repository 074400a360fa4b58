package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// TestDocMatchingCountBounded: the count of a search and of the bookmarks
// (listMatching) is exact up to its bound and then says "at least bound",
// for every bound from 1 to past the list's size, on both engines; the
// pages hold the same documents whatever the bound.
func TestDocMatchingCountBounded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		acc := &auth.Account{Username: "bookmarks"}
		if err := (Accounts{db}).Create(ctx, acc, "not-a-hash", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
			t.Fatal(err)
		}
		account := acc.ID
		for i := 0; i < 4; i++ {
			d := mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "TU", IssuerUnitID: tr.city.ID, Seq: 100 + i,
				Number: fmt.Sprintf("%d-CT/TU", 100+i), Title: "Chỉ thị về kỷ cương", Body: "kỷ cương", Audience: doc.Audience{UnitID: tr.city.ID}})
			if i < 3 {
				if err := (Docs{db}).SetBookmark(ctx, d.ID, account, true, auth.AuditEntry{Actor: system, Action: "document.bookmark", ObjectType: "document"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Out of the reader's reach: matches, bookmarked, never counted.
		hidden := mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "HU", IssuerUnitID: tr.communeB.ID, Title: "Chỉ thị kỷ cương của xã B", Body: "kỷ cương", Audience: doc.Audience{UnitID: tr.communeB.ID}})
		if err := (Docs{db}).SetBookmark(ctx, hidden.ID, account, true, auth.AuditEntry{Actor: system, Action: "document.bookmark", ObjectType: "document"}); err != nil {
			t.Fatal(err)
		}
		reader := memberReach(tr.cellA1, tr.members["Nguyễn Văn An"].ID)
		for _, s := range []struct {
			name string
			f    doc.ListFilter
			n    int
		}{
			{"search", doc.ListFilter{Reach: reader, AccountID: account, Query: doc.ParseQuery("ky cuong")}, 4},
			{"bookmarks", doc.ListFilter{Reach: reader, AccountID: account, Bookmarked: true}, 3},
		} {
			s.f.Limit = 2
			full, err := (Docs{db}).List(ctx, s.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Items) != 2 || full.TotalAtLeast || full.Total != s.n {
				t.Fatalf("%s: %d documents, total %d (at least %v), want 2 of %d", s.name, len(full.Items), full.Total, full.TotalAtLeast, s.n)
			}
			for bound := 1; bound <= s.n+1; bound++ {
				p, err := (Docs{db}).listMatching(ctx, s.f, bound)
				if err != nil {
					t.Fatal(err)
				}
				wantTotal, wantAtLeast := s.n, false
				if s.n > bound {
					wantTotal, wantAtLeast = bound, true
				}
				if p.Total != wantTotal || p.TotalAtLeast != wantAtLeast {
					t.Errorf("%s, bound %d: total %d (at least %v), want %d (at least %v)", s.name, bound, p.Total, p.TotalAtLeast, wantTotal, wantAtLeast)
				}
				if diff := cmp.Diff(docIDs(full.Items), docIDs(p.Items)); diff != "" {
					t.Errorf("%s, bound %d: page (-want +got):\n%s", s.name, bound, diff)
				}
			}
		}
	})
}
