package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberAsOfEstimate checks, on PostgreSQL, that the planner's
// estimate of a past day's rows in a scope is near their number, on a
// fixture with statistics (fillSearchPlans: 300 members, ANALYZE). With
// the day's status written as asOfStatus IN (…), of which PostgreSQL has
// no statistics, it took 1–1.5 % of the rows whatever the day: in the
// demo district on 2020-06-30, 49 of 8,110, so that the page joined every
// row to its member and cell and sorted them (23 ms a page) instead of
// walking the scope in name order and stopping after the page
// (asOfStatusIn). The plan tests cannot see that: their tables are empty.
func TestMemberAsOfEstimate(t *testing.T) {
	forEachFreshDBWith(t, "search-plans", fillSearchPlans, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			return // SQLite's plans do not weigh rows so (TestMemberListPlans)
		}
		ctx := context.Background()
		day := date.MustParse("2020-06-30")
		for _, sts := range [][]member.Status{
			{member.StatusProbationary, member.StatusFull, member.StatusExempt},
			{member.StatusFull},
			{member.StatusProbationary},
		} {
			f := member.Filter{Path: "/1/2/", AsOf: day, Statuses: sts, Limit: 50}
			l, _, err := memberListQuery(f, memberCountBounds{})
			if err != nil || l == nil {
				t.Fatalf("memberListQuery: %v", err)
			}
			var n, size int // the count, and the subtree's size (l.Size)
			if err := db.read.QueryRowContext(ctx, l.Count, l.CountArgs...).Scan(&n, &size); err != nil {
				t.Fatal(err)
			}
			var plan string
			if err := db.read.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+l.Count, l.CountArgs...).Scan(&plan); err != nil {
				t.Fatal(err)
			}
			est, ok := scopeRowsEstimate(t, plan)
			if !ok {
				t.Fatalf("%v: no read of member_asof_scopes in the count's plan:\n%s", sts, plan)
			}
			// fillSearchPlans' members are full since 2006: the day's rows
			// are all of them, or none for the probationary.
			if want := map[bool]int{true: 300, false: 0}[slices.Contains(sts, member.StatusFull)]; n != want {
				t.Fatalf("%v: %d rows, want %d", sts, n, want)
			}
			if n > 0 && est*10 < float64(n) {
				t.Errorf("%v: %.0f rows estimated of %d: the page will sort them all", sts, est, n)
			}
		}
	})
}

// scopeRowsEstimate is the rows PostgreSQL's plan (EXPLAIN's JSON)
// expects from its read of member_asof_scopes.
func scopeRowsEstimate(t *testing.T, plan string) (float64, bool) {
	t.Helper()
	type node struct {
		Relation string  `json:"Relation Name"`
		Rows     float64 `json:"Plan Rows"`
		Plans    []node  `json:"Plans"`
	}
	var top []struct{ Plan node }
	if err := json.Unmarshal([]byte(plan), &top); err != nil || len(top) == 0 {
		t.Fatalf("plan: %v", err)
	}
	var find func(n node) (float64, bool)
	find = func(n node) (float64, bool) {
		if strings.Contains(n.Relation, "member_asof_scopes") {
			return n.Rows, true
		}
		for _, c := range n.Plans {
			if r, ok := find(c); ok {
				return r, true
			}
		}
		return 0, false
	}
	return find(top[0].Plan)
}
