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

// TestSearchMembersMeet checks that a word rare in the tree with words
// the vocabulary says are common ("van quyet") is read on SQLite from member_keys,
// the rare word's rows met by the others' (meetPage), without the index
// and without reading the rare word's members' names; that the other
// queries do not take it; that the meet's plan reads member_keys by its
// primary key only (both engines: PostgreSQL reads the index instead, the
// plan is checked all the same). The members are the plain statement's.
func TestSearchMembersMeet(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		var names []string
		for i := range 12 {
			names = append(names, fmt.Sprintf("Nguyễn Văn %c", 'A'+i))
		}
		for i := range 6 {
			names = append(names, fmt.Sprintf("Lê Văn Quyết %c", 'A'+i))
		}
		for i := range 4 {
			names = append(names, fmt.Sprintf("Trần Thị Quyết %c", 'W'+i))
		}
		for i := range 3 { // two words that hold "uyet": two rows of its keys
			names = append(names, fmt.Sprintf("Phạm Văn Quyết Nguyệt %c", 'C'+i))
		}
		createFullMembers(ctx, t, db, u["HN.1.1"].ID, names...)
		// The vocabulary written after the members (its counts): van 21,
		// quyet 13, nguyen 12, thi 4, nguyet 3.
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		lim := searchBounds
		lim.Walk, lim.Candidates, lim.Checked, lim.MeetCommon = 4, 16, 5, 17
		var meetSQL string
		for _, c := range []struct {
			q     string
			limit int
			meet  bool
		}{{"van quyet", 2, true}, {"quyet van", 1, true}, {"van quyet", 50, true}, {"van uyet", 1, true}, {"van uyet", 3, true},
			{"uyet van", 50, true}, {"nguyen van", 50, true}, {"thi quyet", 50, false}, {"quyet nguyen", 2, false}, {"quyet", 50, false}} {
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
			met := slices.IndexFunc(log.ran, func(q string) bool { return strings.Contains(q, "EXISTS (SELECT 1 FROM member_keys k") })
			indexed := slices.ContainsFunc(log.ran, func(q string) bool {
				return strings.Contains(q, "MATCH") || strings.Contains(q, "translate(m.name_folded")
			})
			if db.dialect == postgresDialect {
				c.meet = false // the index: pg_trgm's AND is cheaper than the meet's probes there
			}
			if (met >= 0) != c.meet || (c.meet && indexed) {
				t.Errorf("%q limit %d: met %v, index read %v, want met %v; ran:\n%s", c.q, c.limit, met >= 0, indexed, c.meet, strings.Join(log.ran, "\n"))
			}
			if met >= 0 {
				meetSQL = log.ran[met]
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
		}
		if meetSQL == "" { // PostgreSQL: the statement the meet would run, for its plan
			s, _, err := newNameSearch(db, member.Filter{Path: u["HN.1"].Path, Query: "van quyet", Statuses: member.ActiveStatuses, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			ts := termsSearch{nameSearch: s, terms: []string{"van", "quyet"}}
			meetSQL = ts.meetSQL("quyet", map[string]wordKeys{"van": {keys: []string{"van"}}, "quyet": {keys: []string{"quyet"}}}, 3)
		}
		plan := strings.Join(newPlanChecker(t, db).plan(t, "meet", meetSQL, nil), "\n")
		if db.dialect == postgresDialect {
			if strings.Contains(plan, "Seq Scan") || strings.Count(plan, `"Index Name": "member_keys_pkey"`) != 2 {
				t.Errorf("the meet's plan reads more than member_keys' primary key twice:\n%s", plan)
			}
		} else if strings.Contains(plan, "SCAN ") || !strings.Contains(plan, "SEARCH c USING PRIMARY KEY (key=? AND path>? AND path<?)") ||
			!strings.Contains(plan, "SEARCH k EXISTS USING COVERING INDEX member_keys_member (member_id=? AND key=? AND path=?)") {
			t.Errorf("the meet's plan reads more than the rare word's range and a probe of each member:\n%s", plan)
		}
		t.Logf("plan:\n%s", plan)
	})
}
