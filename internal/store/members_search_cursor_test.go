package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// TestMemberSearchCarriedTotal checks that a name search's next pages in
// a subtree of at most Exact members answer the first page's total from
// their cursor (r24-names) instead of counting again: a member who comes
// to match between the pages is found by the walk but not counted; a
// cursor of the older form, or one taken to another search (query,
// statuses, subtree), counts again; "at least" is carried too; and the
// members list without q reads a search's cursor. Both engines.
func TestMemberSearchCarriedTotal(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1", "cell HN.1.2")
		create := func(name, cell string) {
			t.Helper()
			m := &member.Member{UnitID: u[cell].ID, FullName: name, Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				AdmittedOn: date.MustParse("2005-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 8 {
			create(fmt.Sprintf("Lê Văn %c", 'A'+i), "HN.1.1")
		}
		create("Trần Văn Bình", "HN.1.2")
		list := func(ctx context.Context, f member.Filter) *page.Of[member.Member] {
			t.Helper()
			p, err := Members{db}.List(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			return p
		}
		f := member.Filter{Path: u["HN.1"].Path, Query: "le", Limit: 2}
		first := list(ctx, f)
		if first.Total != 8 || first.TotalAtLeast || first.NextCursor == nil {
			t.Fatalf("first page: total %d at least %v, next %v; want 8 exactly and a next page", first.Total, first.TotalAtLeast, first.NextCursor)
		}
		create("Lê Văn Z", "HN.1.1") // matches from now on, after the first page
		f.Cursor = *first.NextCursor
		seen, pages := 2, 1
		for {
			p := list(ctx, f)
			pages++
			seen += len(p.Items)
			if p.Total != 8 || p.TotalAtLeast {
				t.Errorf("page %d: total %d at least %v, want the first page's 8", pages, p.Total, p.TotalAtLeast)
			}
			if p.NextCursor == nil {
				break
			}
			f.Cursor = *p.NextCursor
		}
		if seen != 9 {
			t.Errorf("the pages held %d members, want 9 (the one created between the pages too)", seen)
		}
		// Counted again: a cursor of the older form at the same place, and
		// the first page's cursor taken to other searches.
		ck, cid, carried, err := decodeMemberCursor(*first.NextCursor)
		if err != nil || carried == nil || carried.total != 8 {
			t.Fatalf("decode: %v, carried %+v", err, carried)
		}
		for _, c := range []struct {
			what  string
			f     member.Filter
			total int
		}{
			{"an older cursor", member.Filter{Path: u["HN.1"].Path, Query: "le", Limit: 2, Cursor: encodeCursor(ck, cid)}, 9},
			{"another query", member.Filter{Path: u["HN.1"].Path, Query: "van", Limit: 2, Cursor: *first.NextCursor}, 10},
			{"other statuses", member.Filter{Path: u["HN.1"].Path, Query: "le", Statuses: member.ActiveStatuses, Limit: 2, Cursor: *first.NextCursor}, 9},
			{"another subtree", member.Filter{Path: u["HN.1.1"].Path, Query: "le", Limit: 2, Cursor: *first.NextCursor}, 9},
		} {
			if p := list(ctx, c.f); p.Total != c.total || p.TotalAtLeast {
				t.Errorf("%s: total %d at least %v, want %d counted again", c.what, p.Total, p.TotalAtLeast, c.total)
			}
		}
		// The members list without q keeps its place with a search's
		// cursor: the page of the same place's older cursor.
		plain := member.Filter{Path: u["HN.1"].Path, Limit: 3, Cursor: *first.NextCursor}
		got := list(ctx, plain)
		plain.Cursor = encodeCursor(ck, cid)
		if want := list(ctx, plain); len(got.Items) != 3 || got.Items[0].ID != want.Items[0].ID || got.Items[2].ID != want.Items[2].ID {
			t.Errorf("the list after a search's cursor: %+v, want %+v", got.Items, want.Items)
		}
		// "At least" is carried too.
		lim := searchBounds
		lim.Bound = 3
		bctx := context.WithValue(ctx, searchLimitsKey{}, lim)
		f = member.Filter{Path: u["HN.1"].Path, Query: "le", Limit: 2}
		first = list(bctx, f)
		f.Cursor = *first.NextCursor
		if p := list(bctx, f); first.Total != 3 || !first.TotalAtLeast || p.Total != 3 || !p.TotalAtLeast {
			t.Errorf("bound 3: first page %d %v, next %d %v, want 3 at least", first.Total, first.TotalAtLeast, p.Total, p.TotalAtLeast)
		}
		// A subtree of more than Exact members: a total "at least" (the
		// count's walk, CountWalk names) is carried; an exact one (a rare
		// word, counted with its matches through the index) is counted
		// again, since the page reads those matches.
		lim = searchBounds
		lim.Exact, lim.CountWalk, lim.Walk, lim.ShortWalk, lim.Rare, lim.Keys = 4, 6, 6, 6, 3, 0
		big := context.WithValue(ctx, searchLimitsKey{}, lim)
		for _, c := range []struct {
			q, name     string // name: a member created between the pages, early in name order
			first, next int
			atLeast     bool
		}{{"e", "Đỗ Văn A", 5, 5, true}, {"binh", "Đỗ Bình A", 2, 3, false}} {
			if c.q == "binh" {
				create("Phạm Bình C", "HN.1.1") // two members hold it before the first page
			}
			f = member.Filter{Path: u["HN.1"].Path, Query: c.q, Limit: 1}
			first = list(big, f)
			if first.Total != c.first || first.TotalAtLeast != c.atLeast || first.NextCursor == nil {
				t.Fatalf("big subtree %q: first page total %d at least %v, want %d %v and a next page", c.q, first.Total, first.TotalAtLeast, c.first, c.atLeast)
			}
			create(c.name, "HN.1.2")
			f.Cursor = *first.NextCursor
			if p := list(big, f); p.Total != c.next || p.TotalAtLeast != c.atLeast {
				t.Errorf("big subtree %q: next page total %d at least %v, want %d %v", c.q, p.Total, p.TotalAtLeast, c.next, c.atLeast)
			}
		}
		// A cursor changed by hand is refused.
		bad := []byte(*first.NextCursor)
		bad[3] ^= 1
		var ae *apperr.Error
		if _, err := (Members{db}).List(ctx, member.Filter{Path: u["HN.1"].Path, Query: "le", Limit: 2, Cursor: string(bad)}); !errors.As(err, &ae) {
			t.Errorf("a changed cursor: %v, want a bad cursor", err)
		}
	})
}
