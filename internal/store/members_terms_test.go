package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestSearchMembersByNameAfterRandomWrites compares the unified search's
// members (Docs.SearchMembersByName: walks and index, the bounds made
// small so that both are taken, and member_keys for one word) with a plain query over the members of
// the reach, after random writes (names, cells, statuses), a subtree
// moved and a second root: common and rare words, two words in either
// order, a prefix last word, words of one or two characters, several
// reach paths and a path under another, page sizes of 1 to 50. Both
// engines.
func TestSearchMembersByNameAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		rng := rand.New(rand.NewPCG(23, 17))
		small := searchLimits{Walk: 4, Exact: 12, Bound: 5, CountWalk: 8, Rare: 2, Candidates: 6, ShortWalk: 5, DigitWalk: 3, DigitCandidates: 6, UnitSet: 30}
		looked := small
		looked.UnitSet = 0 // each candidate's unit looked up
		keyed := small
		keyed.Keys, keyed.Checked = 3, 4 // a rare word through member_keys (migration 0047)
		rareTree := keyed
		rareTree.Checked, rareTree.Candidates = 0, 30 // the index at once for a word rare in the tree (r24-names)
		meet := keyed
		meet.Candidates, meet.MeetCommon = 15, 15 // a rare word's rows met by common words' (r26-vanquyet), once the vocabulary is counted
		ctxs := map[string]context.Context{
			"rare in the tree": context.WithValue(context.Background(), searchLimitsKey{}, rareTree),
			"small":            context.WithValue(context.Background(), searchLimitsKey{}, small),
			"lookups":          context.WithValue(context.Background(), searchLimitsKey{}, looked),
			"keys":             context.WithValue(context.Background(), searchLimitsKey{}, keyed),
			"bounds":           context.Background(),
			"meet":             context.WithValue(context.Background(), searchLimitsKey{}, meet),
		}
		// The keys kept from the start, as in a big database.
		if err := db.Write(context.Background(), func(tx *Tx) error { return tx.keepMemberKeys(context.Background()) }); err != nil {
			t.Fatal(err)
		}
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "grassroots HN.1.1", "grassroots HN.2.1",
			"cell HN.1.1.1", "cell HN.1.1.2", "cell HN.2.1.1", "cell HN.2.1.2", "cell HN.1.2")
		cells := []*org.Unit{u["HN.1.1.1"], u["HN.1.1.2"], u["HN.2.1.1"], u["HN.2.1.2"], u["HN.1.2"]}
		words := []string{"Nguyễn", "Văn", "Thị", "An", "Khúc", "Đặng", "Lan", "Anh", "Hùng", "Ngọc", "Xuân", "Quỳnh", "Nghĩa", "Quyết"}
		name := func() string {
			parts := make([]string, 2+rng.IntN(3))
			for i := range parts {
				parts[i] = words[rng.IntN(len(words))]
			}
			return strings.Join(parts, " ")
		}
		statuses := []member.Status{member.StatusProbationary, member.StatusFull, member.StatusExempt, member.StatusDeceased}
		entry := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "member"}
		}
		ctx := context.Background()
		var ids []int64
		for i := range 70 {
			m := &member.Member{UnitID: cells[rng.IntN(len(cells))].ID, FullName: name(), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 1000+i), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"),
				Status: statuses[rng.IntN(len(statuses))]}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, entry("member.create")); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		queries := []string{"nguyen", "van", "a", "an", "khuc", "khuc thi", "thi khuc", "van nguyen", "nguyen van", "ngu", "nguyen v",
			"an ng", "ng an", "nghia quyet", "quyet nghia", "nghi quyet", "uyen", "xyz", "hung ngoc xuan", "a n", "van van", "đang"}
		reaches := [][]string{{"HN"}, {"HN.1"}, {"HN.2"}, {"HN.1.1.1"}, {"HN.1", "HN.2"}, {"HN.1.1.1", "HN.2"}, {"HN", "HN.1"},
			{"HN.1.1", "HN.1"}, {"HN.2.1.1", "HN.1.1.2", "HN.1.2"}, {"HN.2", "HN.2"}}
		check := func(step string) {
			t.Helper()
			for _, codes := range reaches {
				var paths []string
				for _, code := range codes {
					unit, err := Units{db}.ByCode(ctx, code)
					if err != nil {
						t.Fatal(err)
					}
					paths = append(paths, unit.Path)
				}
				for _, text := range queries {
					q := doc.ParseQuery(text)
					limit := []int{1, 3, 50}[rng.IntN(3)]
					want := plainMemberHits(t, db, paths, q.Terms, limit)
					for what, ctx := range ctxs {
						got, err := Docs{db}.SearchMembersByName(ctx, paths, q, limit)
						if err != nil {
							t.Fatalf("%s %v %q: %v", step, codes, text, err)
						}
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("%s %s %v %q limit %d (-plain +search):\n%s", step, what, codes, text, limit, diff)
						}
					}
				}
			}
		}
		check("created")
		// The vocabulary counted (member_words.n: written with the keys,
		// 0 for the words first seen since): some words rare, some common.
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		check("counted")
		for step := range 30 {
			m, _, err := Members{db}.Member(ctx, ids[rng.IntN(len(ids))])
			if err != nil {
				t.Fatal(err)
			}
			switch rng.IntN(3) {
			case 0:
				m.FullName = name()
			case 1:
				m.UnitID = cells[rng.IntN(len(cells))].ID
			case 2:
				m.Status = statuses[rng.IntN(len(statuses))]
			}
			member.Normalize(m)
			if err := (Members{db}).Update(ctx, m, m.Version, entry("member.update")); err != nil {
				t.Fatal(err)
			}
			if step%15 == 14 {
				check(fmt.Sprintf("step %d", step))
			}
		}
		// A second root: HN is no longer the whole tree.
		secondRootAndMove(t, db, ids[:8], u["HN.1.2"].ID, u["HN.2"].ID)
		check("moved")
	})
}

// plainMemberHits is the unified search's members as a plain query over
// the members of the subtrees at paths (the statement before issue 17's
// change): active, every term's LIKE, in name order, limit of them.
func plainMemberHits(t *testing.T, db *DB, paths, terms []string, limit int) []doc.MemberHit {
	t.Helper()
	var args argList
	var scope []string
	for _, p := range paths {
		scope = append(scope, "(u.path >= "+args.add(p)+" AND u.path < "+args.add(prefixEnd(p))+")")
	}
	where := []string{"(" + strings.Join(scope, " OR ") + ")", "m.status IN ('probationary', 'full', 'exempt')"}
	for _, w := range terms {
		where = append(where, "m.name_folded LIKE "+args.add("%"+escapeLike(w)+"%")+` ESCAPE '\'`)
	}
	hits, err := queryAll(context.Background(), db.read, func(rows *sql.Rows) (doc.MemberHit, error) {
		var h doc.MemberHit
		return h, rows.Scan(&h.ID, &h.FullName, &h.UnitName)
	}, `SELECT m.id, m.full_name, u.name FROM members m JOIN units u ON u.id = m.unit_id WHERE `+
		strings.Join(where, " AND ")+` ORDER BY m.sort_key, m.id LIMIT `+args.add(limit), args...)
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestSearchMembersByNamePlans checks the plans of the unified search's
// members (issue 17) on both engines: the walks read member_scopes in
// name order and stop after the page (no sort, no scan of the subtree
// set); the index reads the trigram index (pg_trgm, FTS5) and no table
// whole, its candidates checked against the subtree in each of the three
// ways (candidateCheck).
func TestSearchMembersByNamePlans(t *testing.T) {
	forEachFreshDBWith(t, "search-plans", fillSearchPlans, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		for _, text := range []string{"nghi quyet", "van nguyen", "khuc", "an ng", "nguyen v a"} {
			t.Run(text, func(t *testing.T) {
				f := member.Filter{Path: "/1/2/", Query: text, Statuses: member.ActiveStatuses, Limit: 50}
				s, _, err := newNameSearch(db, f)
				if err != nil {
					t.Fatal(err)
				}
				ts := termsSearch{nameSearch: s, terms: doc.ParseQuery(text).Terms}
				c.check(t, "walk", ts.walkSQL(0), ts.likes())
				c.check(t, "bounded walk", ts.walkSQL(5000), ts.likes())
				if !ts.indexed() {
					return
				}
				for _, check := range []struct {
					what               string
					unitSet, wholeTree bool
				}{{"index, each unit looked up", false, false}, {"index, the units read once", true, false}, {"index, the whole tree", false, true}} {
					s.unitSet, s.wholeTree = check.unitSet, check.wholeTree
					q, args := ts.indexSQL(ts.phrases())
					checkIndexed(t, c, check.what, q, args, false)
					q, args = ts.indexSQL(trigramsMatch(pickTrigrams(ts.trigrams())))
					checkIndexed(t, c, check.what+", trigrams", q, args, false)
				}
			})
		}
	})
}

// statementLog is a Querier that keeps the text of each statement it
// runs, for a test of which statements a search ran.
type statementLog struct {
	Querier
	ran  []string
	args [][]any // each statement's arguments
}

func (l *statementLog) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	l.ran, l.args = append(l.ran, query), append(l.args, args)
	return l.Querier.QueryContext(ctx, query, args...)
}

func (l *statementLog) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	l.ran, l.args = append(l.ran, query), append(l.args, args)
	return l.Querier.QueryRowContext(ctx, query, args...)
}

// TestSearchMembersRareInTree checks that the unified search reads the
// index without the walk first when a word is rare in the whole tree by
// the vocabulary (r24-names: "nghi quyet" in the city), though too
// common in the subtree for its names to be checked, and walks first
// for common words; the members are those of the plain statement. Both
// engines.
func TestSearchMembersRareInTree(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		names := make([]string, 16)
		for i := range names {
			names[i] = fmt.Sprintf("Nguyễn Văn %c", 'A'+i)
			if i%5 == 4 { // three, late in name order
				names[i] = fmt.Sprintf("Nghiêm Văn Quyết %c", 'A'+i)
			}
		}
		createFullMembers(ctx, t, db, u["HN.1.1"].ID, names...)
		// The vocabulary written after the members (its counts).
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		lim := searchBounds
		lim.Walk, lim.Candidates, lim.Checked = 4, 5, 2
		for _, c := range []struct {
			q    string
			walk bool
		}{{"nghi quyet", false}, {"quyet van", false}, {"van nguyen", true}} {
			terms := doc.ParseQuery(c.q).Terms
			f := member.Filter{Path: u["HN.1"].Path, Query: strings.Join(terms, " "), Statuses: member.ActiveStatuses, Limit: 50}
			s, _, err := newNameSearch(db, f)
			if err != nil {
				t.Fatal(err)
			}
			s.lim = lim
			ts := termsSearch{nameSearch: s, terms: terms}
			log := &statementLog{Querier: db.read}
			items, err := ts.page(ctx, log, 16)
			if err != nil {
				t.Fatal(err)
			}
			if walked := slices.Contains(log.ran, ts.walkSQL(lim.Walk)); walked != c.walk {
				t.Errorf("%q: walked %v, want %v; ran:\n%s", c.q, walked, c.walk, strings.Join(log.ran, "\n"))
			}
			var got []doc.MemberHit
			for _, m := range items {
				got = append(got, doc.MemberHit{ID: m.ID, FullName: m.FullName, UnitName: m.UnitName})
			}
			if diff := cmp.Diff(plainMemberHits(t, db, []string{u["HN.1"].Path}, terms, 50), got); diff != "" {
				t.Errorf("%q (-plain +search):\n%s", c.q, diff)
			}
		}
	})
}
