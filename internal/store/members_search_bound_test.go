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
// subtree's 30 matches (EXPLAIN ANALYZE), on SQLite the program holds
// the LIMIT's counter of Bound+1 (EXPLAIN's DecrJumpZero), both for the
// count alone (next pages) and inside the first page's statement. Both
// engines.
func TestMemberSearchBoundedCount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
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
		s, _, err := newNameSearch(db, member.Filter{Path: u["HN.1"].Path, Query: "nguyen", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		s.lim = lim
		checkCountStops(t, db, "count", s.boundedCountSQL(), s.like, lim.Bound+1)
		checkCountStops(t, db, "first page", s.exactPageSQL(), s.like, lim.Bound+1)
	})
}

// checkCountStops checks that q (with the LIKE pattern at $1) reads at
// most stop of the subtree's names for its count: on PostgreSQL no scan
// of member_scopes in its run returns more than max(stop, the page's
// 51) rows and one returns exactly stop; on SQLite its program counts a
// LIMIT of stop down.
func checkCountStops(t *testing.T, db *DB, what, q, like string, stop int) {
	t.Helper()
	ctx := context.Background()
	if db.dialect == postgresDialect {
		var plan string
		if err := db.read.QueryRowContext(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+q, like).Scan(&plan); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var nodes []struct{ Plan pgRowsNode }
		if err := json.Unmarshal([]byte(plan), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("%s: plan: %v", what, err)
		}
		var scans []int
		nodes[0].Plan.walk(func(n pgRowsNode) {
			if n.Relation == "member_scopes" {
				scans = append(scans, n.Rows)
			}
		})
		if !slices.Contains(scans, stop) || slices.Max(scans) > max(stop, 51) {
			t.Errorf("%s: the scans of member_scopes returned %v rows, want one of %d and none above the page (51)\n%s", what, scans, stop, plan)
		}
		return
	}
	rows, err := db.read.QueryContext(ctx, `EXPLAIN `+q, like)
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
