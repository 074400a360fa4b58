package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// TestMemberSearchBoundedCount checks the count of a common word in a
// subtree of at most Exact members (r22-nguyen): it stops after Bound+1
// matches, answers "at least Bound", and the pages still give every
// match once, in name order; a word with at most Bound matches is still
// counted exactly. The statement's reads stop at the bound: on
// PostgreSQL the scan of member_scopes returns Bound+1 rows of the
// subtree's 31 matches (EXPLAIN ANALYZE), on SQLite the program holds
// the LIMIT's counter of Bound+1 (EXPLAIN's DecrJumpZero), both for the
// count alone (next pages) and inside the first page's statement; a
// first page that holds every match is the count, and the count does
// not run (PostgreSQL). Both engines, on a fresh database (a plan test).
func TestMemberSearchBoundedCount(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		lim := searchBounds
		lim.Bound = 5
		ctx := context.WithValue(context.Background(), searchLimitsKey{}, lim)
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		for i := range 34 {
			name := fmt.Sprintf("Nguyễn Văn %c", 'A'+i%26)
			if i%10 == 9 { // three Khúc, not Nguyễn
				name = "Khúc Thị " + string(rune('A'+i%26))
			}
			m := &member.Member{UnitID: u["HN.1.1"].ID, FullName: name, Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 7000+i), AdmittedOn: date.MustParse("2005-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			q       string
			total   int
			atLeast bool
		}{{"nguyen", 5, true}, {"khuc", 3, false}} {
			want := likeSearch(t, db, u["HN.1"].Path, tc.q, nil)
			for _, limit := range []int{2, 50} {
				f := member.Filter{Path: u["HN.1"].Path, Query: tc.q, Limit: limit}
				pages := 0
				got := searchPages(t, ctx, db, f, func(p *page.Of[member.Member]) {
					pages++
					if p.Total != tc.total || p.TotalAtLeast != tc.atLeast {
						t.Errorf("%q limit %d: total %d at least %v, want %d, %v (%d match)", tc.q, limit, p.Total, p.TotalAtLeast, tc.total, tc.atLeast, len(want))
					}
				})
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%q limit %d (-like +search):\n%s", tc.q, limit, diff)
				}
			}
		}
		// The next page's count (count, the subtree of at most Exact
		// members), after a cursor.
		f := member.Filter{Path: u["HN.1"].Path, Query: "nguyen", Limit: 2, Cursor: encodeCursor([]byte{0x41}, 1)}
		if p, err := (Members{db}).List(ctx, f); err != nil || p.Total != 5 || !p.TotalAtLeast {
			t.Errorf("next page: %v, want total 5 at least", err)
		}
		search := func(limit int) *nameSearch {
			s, _, err := newNameSearch(db, member.Filter{Path: u["HN.1"].Path, Query: "nguyen", Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			s.lim = lim
			return s
		}
		// The count alone (next pages), the first page of 2 (its walk
		// of 3 matches, then the count), the first page of 50 (its walk
		// reads the whole subtree, 31 matches, and is the count: the
		// bounded count does not run).
		count, page2, page50 := search(50).boundedCountSQL(), search(2).exactPageSQL(), search(50).exactPageSQL()
		if db.dialect == postgresDialect {
			// The page's own walk is the planner's to choose on so few
			// rows (in name order up to the page, or all 31 matches and
			// a top-N sort): only the count's scan is asked for.
			if got := pgScanRows(t, db, count, search(2).like); !slices.Equal(got, []int{6}) {
				t.Errorf("count: the scans of member_scopes returned %v rows, want [6]", got)
			}
			for _, c := range []struct {
				what, q string
				count   int // the rows of the count's scan: 0, not run
			}{{"first page of 2", page2, 6}, {"first page of 50", page50, 0}} {
				got := pgScanRows(t, db, c.q, search(2).like)
				if len(got) != 2 || !slices.Contains(got, c.count) || slices.Max(got) > 31 {
					t.Errorf("%s: the scans of member_scopes returned %v rows, want the page's and the count's of %d rows", c.what, got, c.count)
				}
			}
			return
		}
		checkLimitCounted(t, db, "count", count, search(2).like, lim.Bound+1)
		checkLimitCounted(t, db, "first page", page2, search(2).like, lim.Bound+1)
	})
}

// pgScanRows runs q (with the LIKE pattern at $1) under EXPLAIN ANALYZE
// and returns the rows each scan of member_scopes returned, in the plan's
// order (0: never run).
func pgScanRows(t *testing.T, db *DB, q, like string) []int {
	t.Helper()
	var plan string
	if err := db.read.QueryRowContext(context.Background(), `EXPLAIN (ANALYZE, FORMAT JSON) `+q, like).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var nodes []struct{ Plan pgRowsNode }
	if err := json.Unmarshal([]byte(plan), &nodes); err != nil || len(nodes) == 0 {
		t.Fatalf("plan: %v", err)
	}
	var scans []int
	nodes[0].Plan.walk(func(n pgRowsNode) {
		if n.Relation == "member_scopes" {
			scans = append(scans, n.Rows)
		}
	})
	return scans
}

// checkLimitCounted checks that the SQLite program of q (with the LIKE
// pattern at $1) counts a LIMIT of stop down (DecrJumpZero on the
// register set to stop): the scan under it stops after stop rows.
func checkLimitCounted(t *testing.T, db *DB, what, q, like string, stop int) {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `EXPLAIN `+q, like)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer rows.Close()
	set := map[int64]bool{} // registers set to stop
	found := false
	var program []string
	for rows.Next() {
		var addr, p1, p2, p3 int64
		var op string
		var p4, p5, comment any
		if err := rows.Scan(&addr, &op, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
			t.Fatal(err)
		}
		program = append(program, fmt.Sprintf("%d %s %d %d %d", addr, op, p1, p2, p3))
		switch {
		case op == "Integer" && p1 == int64(stop):
			set[p2] = true
		case op == "DecrJumpZero" && set[p1]:
			found = true
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("%s: no LIMIT %d counted down in the program:\n%s", what, stop, strings.Join(program, "\n"))
	}
}

// pgRowsNode is a node of EXPLAIN ANALYZE's JSON: its relation and the
// rows it returned (over all loops: a scan here runs once).
type pgRowsNode struct {
	Relation string       `json:"Relation Name"`
	Rows     int          `json:"Actual Rows"`
	Plans    []pgRowsNode `json:"Plans"`
}

// walk calls fn on n and every node below it.
func (n pgRowsNode) walk(fn func(pgRowsNode)) {
	fn(n)
	for _, c := range n.Plans {
		c.walk(fn)
	}
}
