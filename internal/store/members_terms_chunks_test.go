package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestSearchMembersChunked checks that a word rare in the tree with words
// the vocabulary says are common ("van quyet") is read from the rare
// word's member_keys rows, their names checked chunk by chunk in name
// order until the page, without the index; that when Checked names do not
// hold the page (the words not found together, or a page too big) the
// index answers; and that the
// chunk's statement reads members by the primary key. The members are
// the plain statement's. Both engines.
func TestSearchMembersChunked(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		var names []string
		for i := range 12 {
			names = append(names, fmt.Sprintf("Nguyễn Văn %c", 'A'+i))
		}
		for i := range 6 { // "quyet" with "van", before the four without it (the given name sorts first)
			names = append(names, fmt.Sprintf("Lê Văn Quyết %c", 'A'+i))
		}
		for i := range 4 {
			names = append(names, fmt.Sprintf("Trần Thị Quyết %c", 'W'+i))
		}
		createFullMembers(ctx, t, db, u["HN.1.1"].ID, names...)
		// The vocabulary written after the members (its counts): van 18,
		// nguyen 12, quyet 10.
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		lim := searchBounds
		lim.Walk, lim.Candidates, lim.Checked = 4, 10, 5
		for _, c := range []struct {
			q       string
			limit   int
			chunked bool // the page found in the chunks, no index
		}{{"van quyet", 2, true}, {"quyet van", 1, true}, {"van quyet", 50, false}, {"quyet nguyen", 2, false}, {"nguyen quyet", 50, false}} {
			terms := doc.ParseQuery(c.q).Terms
			f := member.Filter{Path: u["HN.1"].Path, Query: strings.Join(terms, " "), Statuses: member.ActiveStatuses, Limit: c.limit}
			s, _, err := newNameSearch(db, f)
			if err != nil {
				t.Fatal(err)
			}
			s.lim = lim
			ts := termsSearch{nameSearch: s, terms: terms}
			log := &statementLog{Querier: db.read}
			items, err := ts.page(ctx, log, len(names))
			if err != nil {
				t.Fatal(err)
			}
			checks := slices.IndexFunc(log.ran, func(q string) bool { return strings.Contains(q, "WHERE m.id IN (") })
			indexed := slices.IndexFunc(log.ran, func(q string) bool {
				return strings.Contains(q, "MATCH") || strings.Contains(q, "translate(m.name_folded")
			})
			if checks < 0 || (indexed < 0) != c.chunked {
				t.Errorf("%q limit %d: chunks read %v, index read %v, want chunks and index %v; ran:\n%s",
					c.q, c.limit, checks >= 0, indexed >= 0, !c.chunked, strings.Join(log.ran, "\n"))
			}
			got := []doc.MemberHit{}
			for _, m := range items[:min(len(items), c.limit)] {
				got = append(got, doc.MemberHit{ID: m.ID, FullName: m.FullName, UnitName: m.UnitName})
			}
			want := plainMemberHits(t, db, []string{u["HN.1"].Path}, terms, c.limit)
			if want == nil {
				want = []doc.MemberHit{}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%q limit %d (-plain +search):\n%s", c.q, c.limit, diff)
			}
			if c.chunked && len(items) != c.limit+1 {
				t.Errorf("%q limit %d: %d members read, want the page and one more", c.q, c.limit, len(items))
			}
		}
		c := newPlanChecker(t, db)
		ts := termsSearch{terms: []string{"van", "quyet"}}
		c.check(t, "chunk", ts.checkSQL([]int64{1, 2, 3}), ts.likes())
	})
}
