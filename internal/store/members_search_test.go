package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
)

// TestMemberSearchPlans checks the plans of a name search (issue 17) on
// both engines: the walks (the page's, the counts') read member_scopes in
// name order alone and stop (no sort, no scan of the subtree set); the
// index path reads the trigram index (pg_trgm, FTS5) and no table whole.
func TestMemberSearchPlans(t *testing.T) {
	forEachFreshDBWith(t, "search-plans", fillSearchPlans, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		cursor := encodeCursor([]byte{0x41, 0x42}, 77)
		active := []member.Status{member.StatusProbationary, member.StatusFull}
		// The queries that find their names through the word boundaries
		// (migration 0042), not the trigrams.
		pairs := map[string]bool{"nguyen van": true, "van nguyen": true}
		for _, f := range []member.Filter{
			{Path: "/1/2/", Query: "nguyen van", Statuses: active},
			{Path: "/1/2/", Query: "khuc", Statuses: active, Cursor: cursor},
			{Path: "/1/2/", Query: "an", Cursor: cursor},
			{Path: "/1/2/", Query: "van nguyen", Statuses: active, Cursor: cursor},
			{Path: "/1/2/", Query: "an ng", Statuses: active},
		} {
			t.Run(fmt.Sprintf("%s-%v", f.Query, f.Cursor != ""), func(t *testing.T) {
				f.Limit = 50
				s, _, err := newNameSearch(db, f)
				if err != nil {
					t.Fatal(err)
				}
				q, args := s.walkPageSQL(0)
				c.check(t, "walk page", q, args)
				q, args = s.walkPageSQL(2000)
				c.check(t, "bounded walk page", q, args)
				c.check(t, "walk end", s.walkEndSQL(2000), s.cursor)
				c.check(t, "bounded count", s.boundedCountSQL(), []any{s.like})
				c.check(t, "exact first page", s.exactPageSQL(), []any{s.like})
				c.check(t, "walk count", s.walkCountSQL(), []any{s.like})
				checkKeysPlans(t, c, *s)
				if !s.indexed() {
					return
				}
				q, args = s.indexPageSQL()
				checkIndexed(t, c, "index page", q, args, pairs[f.Query])
				q, args = s.indexCountSQL()
				checkIndexed(t, c, "index count", q, args, pairs[f.Query])
				s.unitSet = true // a small subtree: its units read once
				q, args = s.indexCountSQL()
				checkIndexed(t, c, "index count, the subtree's units read once", q, args, pairs[f.Query])
			})
		}
	})
}

// checkKeysPlans checks the plans of a search through member_keys
// (migration 0047) when the query is one the keys answer: the
// vocabulary's read touches member_words alone (a table of a few hundred
// words), and the rows of one key and of two read ranges of
// member_keys_pkey (the key, the subtree's paths), no table scanned,
// nothing sorted.
func checkKeysPlans(t *testing.T, c *planChecker, s nameSearch) {
	t.Helper()
	s.lim.Keys = searchBounds.Keys
	q, args, ok := s.keysSQL()
	if !ok {
		return
	}
	plan := strings.Join(c.plan(t, "vocabulary", q, args), "\n")
	for _, table := range []string{"members", "member_scopes", "member_keys"} {
		if strings.Contains(plan, `"`+table+`"`) || strings.Contains(plan, " "+table+" ") || strings.HasSuffix(plan, " "+table) {
			t.Errorf("vocabulary: the plan reads %s:\n%s", table, plan)
		}
	}
	want := "member_keys_pkey"
	if c.db.dialect == sqliteDialect {
		want = "SEARCH k USING PRIMARY KEY (key=? AND path>? AND path<?)"
	}
	for _, keys := range [][]string{{s.query}, {s.query, "x " + s.query}} {
		what := fmt.Sprintf("key rows of %d keys", len(keys))
		q := s.keyRowsSQL(keys)
		c.check(t, what, q, nil)
		if plan := strings.Join(c.plan(t, what, q, nil), "\n"); !strings.Contains(plan, want) {
			t.Errorf("%s: the plan does not read %s:\n%s", what, want, plan)
		}
	}
}

// TestMemberDigitsSearchPlans checks the plans of a digits search (issue
// 17) on both engines: each number's candidates are a range of its own
// index that stops after Candidates+1 (no scan of members, no sort).
func TestMemberDigitsSearchPlans(t *testing.T) {
	forEachFreshDBWith(t, "search-plans", fillSearchPlans, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		s, _, err := newNameSearch(db, member.Filter{Path: "/1/2/", Digits: "0912", Statuses: member.ActiveStatuses, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range digitColumns {
			for _, q := range []string{s.digitCountSQL(col), s.digitCandidatesSQL(col), s.withUnitSet().digitCandidatesSQL(col)} {
				args := []any{"0912", "0913"}
				c.check(t, col, q, args)
				plan := strings.Join(c.plan(t, col, q, args), "\n")
				if want := "members_" + col; !strings.Contains(plan, want) {
					t.Errorf("%s: the plan does not read %s:\n%s", col, want, plan)
				}
			}
		}
		// What a page runs: the three counts in one statement, the three
		// candidates' ranges in one.
		for _, q := range []struct{ what, sql string }{{"the counts", s.digitsFoundSQL()}, {"the candidates", s.allDigitCandidatesSQL()}, {"the candidates, the subtree's units read once", s.withUnitSet().allDigitCandidatesSQL()}} {
			args := []any{"0912", "0913"}
			c.check(t, q.what, q.sql, args)
			plan := strings.Join(c.plan(t, q.what, q.sql, args), "\n")
			for _, col := range digitColumns {
				if want := "members_" + col; !strings.Contains(plan, want) {
					t.Errorf("%s: the plan does not read %s:\n%s", q.what, want, plan)
				}
			}
		}
		q, _ := s.walkPageSQL(1000)
		c.check(t, "digits walk", q, append([]any{"0912%"}, s.cursor...))
		// PostgreSQL, digits whose numbers are few enough for a set
		// (DigitSet): the walk joined to the three indexes' ids, each read
		// by an index-only scan (the id INCLUDEd by migration 0049), members
		// read for the page only, by their primary key; from a cursor too.
		for _, cursor := range []string{"", encodeCursor([]byte("nguyen van"), 7)} {
			if !s.digitSets() {
				break // SQLite reads the records (members_digits.go)
			}
			f := s.f
			f.Cursor = cursor
			sc, _, err := newNameSearch(db, f)
			if err != nil {
				t.Fatal(err)
			}
			q, args := sc.digitsSetPageSQL(1000)
			c.check(t, "digits set walk", q, args)
			checkDigitsSetPlan(t, c.plan(t, "digits set walk", q, args))
		}
	})
}

// checkDigitsSetPlan fails t unless the PostgreSQL plan of a digits walk
// through the set (digitsSetPageSQL) reads each number's index without
// the table and the page's members by their primary key.
func checkDigitsSetPlan(t *testing.T, lines []string) {
	t.Helper()
	plan := strings.Join(lines, "\n")
	wants := []string{`"Index Name": "members_pkey",[^{}]*"Alias": "m"`}
	for _, col := range digitColumns {
		wants = append(wants, `"Node Type": "Index Only Scan",[^{}]*"Index Name": "members_`+col+`"`)
	}
	for _, want := range wants {
		if !regexp.MustCompile(want).MatchString(plan) {
			t.Errorf("the digits set walk's plan has no %s:\n%s", want, plan)
		}
	}
}

// fillSearchPlans writes the search plan tests' fixture, once per test
// binary and engine (forEachFreshDBWith): a few hundred members, so that
// PostgreSQL's estimates are not those of empty tables (where every index
// path costs the same), in one import, then ANALYZE on PostgreSQL.
func fillSearchPlans(ctx context.Context, db *DB) error {
	var parent *org.Unit
	var cell *org.Unit
	for _, spec := range []struct {
		kind org.Kind
		code string
	}{{org.KindProvince, "HN"}, {org.KindDistrict, "HN.1"}, {org.KindCell, "HN.1.1"}} {
		u := &org.Unit{Kind: spec.kind, Name: "Đơn vị " + spec.code, Code: spec.code, ValidFrom: date.MustParse("2000-01-01")}
		if parent != nil {
			u.ParentID = &parent.ID
		}
		if err := (Units{db}).Create(ctx, u, auth.AuditEntry{Actor: system, Action: "unit.create", ObjectType: "unit"}); err != nil {
			return err
		}
		parent, cell = u, u
	}
	var ms []*member.Member
	for i := range 300 {
		m := &member.Member{UnitID: cell.ID, FullName: fmt.Sprintf("Nguyễn Văn %c%c", 'A'+i%26, 'a'+i/26), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
			CardNo: fmt.Sprintf("%08d", 1000+i), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
		member.Normalize(m)
		ms = append(ms, m)
	}
	if err := (Members{db}).Import(ctx, ms, nil, auth.AuditEntry{Actor: system, Action: "member.import", ObjectType: "unit"}); err != nil {
		return err
	}
	// The keys of the name search (migration 0047), kept as in a big
	// database.
	if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
		return err
	}
	if db.dialect == postgresDialect {
		_, err := db.write.ExecContext(ctx, `ANALYZE`)
		return err
	}
	return nil
}

// checkIndexed fails t unless the plan of q finds the names through the
// trigram index (pairs: through the index of word boundaries, migration
// 0042) and reads no table whole (the few matches may be sorted).
func checkIndexed(t *testing.T, c *planChecker, what, q string, args []any, pairs bool) {
	t.Helper()
	index, table := "members_name_trgm", "member_names VIRTUAL TABLE INDEX"
	if pairs {
		index, table = "members_name_pairs", "SEARCH p USING PRIMARY KEY (token=?)"
	}
	lines := c.plan(t, what, q, args)
	plan := strings.Join(lines, "\n")
	if c.db.dialect == postgresDialect {
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(plan), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("plan: %v", err)
		}
		var walk func(n *pgPlanNode) (bool, []string)
		walk = func(n *pgPlanNode) (used bool, bad []string) {
			if n.NodeType == "Seq Scan" {
				bad = append(bad, "Seq Scan on "+n.Relation)
			}
			used = n.Index == index
			for i := range n.Plans {
				u, b := walk(&n.Plans[i])
				used, bad = used || u, append(bad, b...)
			}
			return used, bad
		}
		if used, bad := walk(nodes[0].Plan); !used || len(bad) > 0 {
			t.Errorf("%s: index %s used %v, scans %q\nplan:\n%s", what, index, used, bad, plan)
		}
		return
	}
	var bad []string
	for _, l := range lines {
		if m := sqliteScan.FindStringSubmatch(strings.TrimSpace(l)); m != nil && !strings.Contains(l, "VIRTUAL TABLE") && m[1] != "c" && m[1] != "p" {
			bad = append(bad, l)
		}
	}
	if !strings.Contains(plan, table) || len(bad) > 0 {
		t.Errorf("%s: the plan does not find the names through %s, or scans %q:\n%s", what, table, bad, plan)
	}
}

// TestMemberSearchAfterRandomWrites compares every name search (through
// the walks and through the indexes: the search's bounds made small)
// with a plain LIKE over the members, after random writes: members
// created, renamed, moved to another cell, their status changed (compared
// every 20 writes: each comparison reads about 1,500 searches page by page;
// every 10 made 7 comparisons instead of 5, and the breakages tried in
// session 10 were caught either way), a cell merged into another and a
// subtree moved. Both engines.
func TestMemberSearchAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		rng := rand.New(rand.NewPCG(17, 32))
		lim := searchLimits{Walk: 4, Exact: 12, Bound: 5, CountWalk: 8, Rare: 2, Candidates: 6, ShortWalk: 5, DigitWalk: 3, DigitCandidates: 6, DigitSet: 40, UnitSet: 30}
		ctx := context.WithValue(context.Background(), searchLimitsKey{}, lim)
		// The keys of migration 0047, kept from the start as in a big
		// database: the sweeps after step 19, the move and the merge read
		// them (Keys 3: a query of at most three keys whose rows in the
		// subtree are at most Candidates), the others the walks and the
		// indexes alone (Keys 0), and once more after the merge.
		lim.Keys = 3
		ctxKeys := context.WithValue(context.Background(), searchLimitsKey{}, lim)
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "grassroots HN.1.1", "grassroots HN.2.1",
			"cell HN.1.1.1", "cell HN.1.1.2", "cell HN.2.1.1", "cell HN.2.1.2", "cell HN.1.2")
		cells := []*org.Unit{u["HN.1.1.1"], u["HN.1.1.2"], u["HN.2.1.1"], u["HN.2.1.2"], u["HN.1.2"]}
		// The last "word" makes names of nine words or more, whose later
		// word boundaries the PostgreSQL index of migration 0042 does not
		// hold ("bao chau", "chau van": under its key for long names).
		words := []string{"Nguyễn", "Văn", "Thị", "An", "Khúc", "Đặng", "Lan", "Anh", "Hùng", "Ngọc", "Xuân", "Quỳnh", "Tôn Nữ Thị Hoàng Anh Ngọc Diệp Bảo Châu"}
		name := func() string {
			n := 2 + rng.IntN(3)
			parts := make([]string, n)
			for i := range parts {
				parts[i] = words[rng.IntN(len(words))]
			}
			return strings.Join(parts, " ")
		}
		phone := func() string {
			return []string{"0912", "0913", "0988"}[rng.IntN(3)] + fmt.Sprintf("%06d", rng.IntN(1000000))
		}
		var ids []int64
		for i := range 60 {
			m := &member.Member{UnitID: cells[rng.IntN(len(cells))].ID, FullName: name(), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 1000+i), CitizenID: fmt.Sprintf("001%09d", rng.IntN(1000)*1000+i), Phone: phone(),
				AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		entry := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "member"}
		}
		statuses := []member.Status{member.StatusProbationary, member.StatusFull, member.StatusExempt, member.StatusDeceased}
		// Digits: every card (common), ten cards, one card, a phone
		// prefix (common), a longer one (rare), every citizen ID, none,
		// and the card of a member who moves to the second root below
		// (found through the index: HN's search must leave it out once
		// HN is not the whole tree).
		digits := []string{"0000", "0000102", "00001033", "0912", "09123", "001", "999", "00001000"}
		queries := []string{"nguyen", "van", "an", "a", "ng", "khuc", "khuc thi", "van nguyen", "thi an", "xyz", "z", "n n", "dang", "uynh", " ",
			// Word boundaries (migration 0042): a short first or last word,
			// three words, boundaries past the eighth word, two spaces.
			"uc thi", "guyen va", "yen van a", "an thi an", "i khuc thi", "bao chau", "chau van", "hoang anh ngoc diep", "van  an", "dinh que", "que"}
		check := func(ctx context.Context, step string) {
			t.Helper()
			for _, scope := range []string{"HN", "HN.1", "HN.1.1", "HN.2", "HN.1.1.1"} {
				unit, err := Units{db}.ByCode(ctx, scope)
				if err != nil {
					t.Fatal(err)
				}
				// The subtree's members of each statuses, for the totals
				// (read once per scope, not once per query).
				all := map[bool]int{}
				for _, sts := range [][]member.Status{nil, member.ActiveStatuses} {
					all[sts == nil] = len(likeSearch(t, db, unit.Path, "", sts))
				}
				for _, q := range queries {
					for _, sts := range [][]member.Status{nil, member.ActiveStatuses} {
						want := likeSearch(t, db, unit.Path, q, sts)
						f := member.Filter{Path: unit.Path, Query: q, Statuses: sts, Limit: 1 + rng.IntN(4)}
						got := searchPages(t, ctx, db, f, func(p *page.Of[member.Member]) {
							checkSearchTotal(t, fmt.Sprintf("%s %s %q %v", step, scope, q, sts), ctx.Value(searchLimitsKey{}).(searchLimits), p.Total, p.TotalAtLeast, len(want), all[sts == nil])
						})
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("%s %s %q %v (-like +search):\n%s", step, scope, q, sts, diff)
						}
					}
				}
				for _, d := range digits {
					checkDigitsSearch(t, ctx, db, step, unit, d, rng)
				}
			}
		}
		// Members who left (deceased), the only ones with their name: the
		// indexes' candidates that an active search must leave out, in
		// the whole tree too ("dinh que", "que").
		for _, id := range ids[len(ids)-3:] {
			m, _, err := Members{db}.Member(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			m.FullName, m.Status = "Tạ Đình Quế", member.StatusDeceased
			member.Normalize(m)
			if err := (Members{db}).Update(ctx, m, m.Version, entry("member.update")); err != nil {
				t.Fatal(err)
			}
		}
		check(ctx, "created")
		for step := range 40 {
			id := ids[rng.IntN(len(ids))]
			m, _, err := Members{db}.Member(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch rng.IntN(4) {
			case 3:
				m.Phone = phone()
			case 0:
				m.FullName = name()
			case 1:
				m.UnitID = cells[rng.IntN(len(cells))].ID
			case 2:
				m.Status = statuses[rng.IntN(len(statuses))]
			}
			member.Normalize(m) // as the service does: a read record has no folded name
			if err := (Members{db}).Update(ctx, m, m.Version, entry("member.update")); err != nil {
				t.Fatal(err)
			}
			if step%20 == 19 {
				check(map[bool]context.Context{true: ctxKeys, false: ctx}[step == 19], fmt.Sprintf("step %d", step))
			}
		}
		// A second root with members: HN's subtree is no longer the whole
		// tree (a search of the only root checks its candidates' status
		// alone).
		secondRootAndMove(t, db, ids[:8], u["HN.1.2"].ID, u["HN.2"].ID)
		check(ctxKeys, "moved (keys)")
		if err := (Units{db}).Merge(ctx, []int64{u["HN.1.1.2"].ID}, u["HN.2.1.1"].ID, benchToday, auth.AuditEntry{Actor: system, Action: "unit.merge", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		check(ctxKeys, "merged (keys)")
		check(ctx, "merged")
		// Every scope a subtree of at most Exact members (r22-nguyen):
		// the first page with its count of up to Bound+1 matches in one
		// statement, the next pages' count the same, "at least Bound"
		// above it. Last, so that its draws change no write.
		small := lim
		small.Exact, small.Keys = 100, 0
		check(context.WithValue(context.Background(), searchLimitsKey{}, small), "merged (small subtrees)")
	})
}

// checkDigitsSearch compares a digits search of the subtree (all its
// pages, short ones included) with a plain LIKE over the members' numbers,
// and its total: exact, or at least (never more than the matches).
func checkDigitsSearch(t *testing.T, ctx context.Context, db *DB, step string, unit *org.Unit, d string, rng *rand.Rand) {
	t.Helper()
	for _, sts := range [][]member.Status{nil, member.ActiveStatuses} {
		want := likeDigits(t, db, unit.Path, d, sts)
		f := member.Filter{Path: unit.Path, Digits: d, Statuses: sts, Limit: 1 + rng.IntN(4)}
		got := searchPages(t, ctx, db, f, func(p *page.Of[member.Member]) {
			if p.Total > len(want) || !p.TotalAtLeast && p.Total != len(want) {
				t.Errorf("%s %s digits %q %v: total %d at least %v, want %d", step, unit.Code, d, sts, p.Total, p.TotalAtLeast, len(want))
			}
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s %s digits %q %v (-like +search):\n%s", step, unit.Code, d, sts, diff)
		}
	}
}

// searchPages reads every page of the search f (following next_cursor,
// short pages included): the ids in order; first sees the first page. A
// walk of more pages than the test has members fails (a cursor that does
// not move on would walk forever).
func searchPages(t *testing.T, ctx context.Context, db *DB, f member.Filter, first func(*page.Of[member.Member])) []int64 {
	t.Helper()
	var got []int64
	for n := 0; ; n++ {
		if n > 500 {
			t.Fatalf("%+v: more than 500 pages, %d members read: the cursor does not move on", f, len(got))
		}
		p, err := Members{db}.List(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if n == 0 {
			first(p)
		}
		for _, m := range p.Items {
			got = append(got, m.ID)
		}
		if p.NextCursor == nil {
			return got
		}
		f.Cursor = *p.NextCursor
	}
}

// likeDigits is the plain answer of a digits search: the members of the
// subtree at path (of the statuses) with a number that starts with d, in
// name order.
func likeDigits(t *testing.T, db *DB, path, d string, sts []member.Status) []int64 {
	t.Helper()
	return likeMembers(t, db, path, `(m.card_no LIKE `+likeParam("$3")+` ESCAPE '\' OR m.citizen_id LIKE `+likeParam("$3")+` ESCAPE '\' OR m.phone LIKE `+likeParam("$3")+` ESCAPE '\')`, escapeLike(d)+"%", sts)
}

// likeSearch is the plain answer: the members of the subtree at path (of
// the statuses) whose folded name holds q (folded), in name order.
func likeSearch(t *testing.T, db *DB, path, q string, sts []member.Status) []int64 {
	t.Helper()
	return likeMembers(t, db, path, `m.name_folded LIKE `+likeParam("$3")+` ESCAPE '\'`, "%"+escapeLike(q)+"%", sts)
}

// likeMembers reads the members of the subtree at path (of the statuses)
// that match cond, a condition on m with the pattern at $3, in name order.
func likeMembers(t *testing.T, db *DB, path, cond, pattern string, sts []member.Status) []int64 {
	t.Helper()
	args := []any{path, prefixEnd(path), pattern}
	if len(sts) > 0 {
		var marks []string
		for _, s := range sts {
			args = append(args, string(s))
			marks = append(marks, fmt.Sprintf("$%d", len(args)))
		}
		cond += " AND m.status IN (" + strings.Join(marks, ", ") + ")"
	}
	ids, err := queryAll(context.Background(), db.read, scanValue[int64], `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id
		WHERE u.path >= $1 AND u.path < $2 AND `+cond+` ORDER BY m.sort_key, m.id`, args...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		return nil
	}
	return ids
}

// checkSearchTotal checks a search's total against the n matches: in a
// subtree of at most lim.Exact members (all: the subtree's
// members of the search's statuses), exact up to lim.Bound and "at
// least Bound" above it (r22-nguyen); in a bigger one, exact or a lower
// bound of at most Bound.
func checkSearchTotal(t *testing.T, what string, lim searchLimits, total int, atLeast bool, n, all int) {
	t.Helper()
	exact, bound := lim.Exact, lim.Bound
	switch {
	case all <= exact && n <= bound && (total != n || atLeast):
		t.Errorf("%s: total %d at least %v, want %d exactly (%d members)", what, total, atLeast, n, all)
	case all <= exact && n > bound && (total != bound || !atLeast):
		t.Errorf("%s: total %d at least %v, want at least %d (%d matches of %d members)", what, total, atLeast, bound, n, all)
	case !atLeast && total != n:
		t.Errorf("%s: total %d, want %d (%d members)", what, total, n, all)
	case atLeast && (total > n || total > bound):
		t.Errorf("%s: total at least %d, but %d match (bound %d)", what, total, n, bound)
	}
}

// withUnitSet is s checking the candidates against the subtree's units
// read once (a small subtree).
func (s nameSearch) withUnitSet() nameSearch {
	s.unitSet = true
	return s
}

// TestMemberSearchSmallSubtree compares the first page and total of a
// name search of subtrees of at most Exact members (here every one, at
// the API's bounds: the exact first page of exactPageSQL, one read of the
// names with their count) with a plain LIKE, and the pages after it
// (which count and walk as before). Both engines.
func TestMemberSearchSmallSubtree(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(19, 5))
		u := mustTree(t, db, "province HN", "district HN.1", "grassroots HN.1.1", "cell HN.1.1.1", "cell HN.1.1.2", "cell HN.1.2")
		cells := []*org.Unit{u["HN.1.1.1"], u["HN.1.1.2"], u["HN.1.2"]}
		words := []string{"Nguyễn", "Văn", "Thị", "An", "Khúc", "Đặng", "Lan"}
		statuses := []member.Status{member.StatusProbationary, member.StatusFull, member.StatusDeceased}
		for i := range 40 {
			n := 2 + rng.IntN(3)
			parts := make([]string, n)
			for j := range parts {
				parts[j] = words[rng.IntN(len(words))]
			}
			m := &member.Member{UnitID: cells[rng.IntN(len(cells))].ID, FullName: strings.Join(parts, " "), Gender: member.Female, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 5000+i), AdmittedOn: date.MustParse("2005-03-01"), Status: statuses[rng.IntN(len(statuses))]}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, scope := range []string{"HN", "HN.1.1", "HN.1.2", "HN.1.1.1"} {
			for _, q := range []string{"nguyen", "khuc", "khuc thi", "van nguyen", "an", "z", "xyz"} {
				for _, sts := range [][]member.Status{nil, member.ActiveStatuses} {
					for _, limit := range []int{1, 3, 50} {
						what := fmt.Sprintf("%s %q %v limit %d", scope, q, sts, limit)
						want := likeSearch(t, db, u[scope].Path, q, sts)
						f := member.Filter{Path: u[scope].Path, Query: q, Statuses: sts, Limit: limit}
						got := searchPages(t, ctx, db, f, func(p *page.Of[member.Member]) {
							if p.Total != len(want) || p.TotalAtLeast {
								t.Errorf("%s: total %d at least %v, want %d exactly", what, p.Total, p.TotalAtLeast, len(want))
							}
						})
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("%s (-like +search):\n%s", what, diff)
						}
					}
				}
			}
		}
	})
}

// secondRootAndMove makes a second root (HP, with the cell HP.1) and
// moves the members ids into it, so that the first root's subtree is no
// longer the whole tree (a search of the only root checks its candidates'
// status alone), then moves the unit moved under the unit to (a subtree
// move: its members' scope rows rewritten).
func secondRootAndMove(t *testing.T, db *DB, ids []int64, moved, to int64) {
	t.Helper()
	ctx := context.Background()
	hp := mustTree(t, db, "province HP", "cell HP.1")
	for _, id := range ids {
		m, _, err := Members{db}.Member(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		m.UnitID = hp["HP.1"].ID
		member.Normalize(m)
		if err := (Members{db}).Update(ctx, m, m.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := (Units{db}).Move(ctx, moved, to, benchToday, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
		t.Fatal(err)
	}
}
