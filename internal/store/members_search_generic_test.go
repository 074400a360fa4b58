package store

import (
	"context"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberSearchGenericPlans: on PostgreSQL the planner does not see
// the pattern of the first page's and the counts' walks (nameSearch.pattern,
// from branch r23-search): the plans of a word every name holds and of one
// none holds are the same text, costs included, so that the generic plan
// is as cheap as a custom one and is kept after five runs of a prepared
// statement (checked too), where a pattern the planner saw made it plan
// the demo district's every first page again (0.40–0.45 ms); and the walk
// after a cursor, whose generic plan must walk from the cursor. It fails
// when the pattern is a plain parameter (the plans differ).
func TestMemberSearchGenericPlans(t *testing.T) {
	forEachFreshDBWith(t, "search-plans", fillSearchPlans, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			return // plans are cached by PostgreSQL alone
		}
		ctx := context.Background()
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		s, _, err := newNameSearch(db, member.Filter{Path: "/1/2/", Query: "nguyen", Statuses: member.ActiveStatuses, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range map[string]string{"first page": s.exactPageSQL(), "bounded count": s.boundedCountSQL(), "walk count": s.walkCountSQL()} {
			var plans [2]string
			for k, word := range []string{"%nguyen%", "%zzzz%"} {
				if err := conn.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+q, word).Scan(&plans[k]); err != nil {
					t.Fatalf("%s: %v", i, err)
				}
			}
			if plans[0] != plans[1] {
				t.Errorf("%s: the plan depends on the pattern:\n%s\n%s", i, plans[0], plans[1])
			}
			name := "generic_" + strings.ReplaceAll(i, " ", "_")
			if _, err := conn.ExecContext(ctx, `PREPARE `+name+`(text) AS `+q); err != nil {
				t.Fatalf("%s: %v", i, err)
			}
			for range 7 {
				if _, err := conn.ExecContext(ctx, `EXECUTE `+name+`('%nguyen%')`); err != nil {
					t.Fatalf("%s: %v", i, err)
				}
			}
			var generic, custom int
			if err := conn.QueryRowContext(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`, name).Scan(&generic, &custom); err != nil {
				t.Fatal(err)
			}
			if generic == 0 {
				t.Errorf("%s: %d custom plans, no generic plan in 7 runs", i, custom)
			}
			if _, err := conn.ExecContext(ctx, `DEALLOCATE `+name); err != nil {
				t.Fatal(err)
			}
		}
		// The walk after a cursor hides its pattern too, and its generic
		// plan walks member_scopes_pkey from the cursor (a row comparison):
		// with key > k OR (key = k AND id > i) and the pattern hidden, the
		// demo's next page ("le") read the rest of the subtree by bitmap and
		// sorted it (r23-search).
		q, args := s.walkPageSQL(1000)
		var plans [2]string
		for k, word := range []string{"%nguyen%", "%zzzz%"} {
			args[0] = word
			if err := conn.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+q, args...).Scan(&plans[k]); err != nil {
				t.Fatal(err)
			}
		}
		if plans[0] != plans[1] {
			t.Errorf("walk after a cursor: the plan depends on the pattern:\n%s\n%s", plans[0], plans[1])
		}
		// Its plans, the generic one included, by the plan tests' rules.
		newPlanChecker(t, db).check(t, "walk after a cursor", q, args)
	})
}
