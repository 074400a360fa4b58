package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberScopesOfOnePlan checks that rewriting one member's scope rows
// (every member inserted, updated or moved) reads that member by its key,
// not the members of its unit: through the unit's index, an import into
// one cell cost more with every member the cell held (members_scopes.go).
func TestMemberScopesOfOnePlan(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		cell := u["HN.1.1"]
		// A cell of some members, and PostgreSQL's statistics of them:
		// on empty tables its planner finds the unit's index as cheap as
		// the key.
		var ms []*member.Member
		for i := range 40 {
			m := &member.Member{UnitID: cell.ID, FullName: fmt.Sprintf("Trần Văn Minh %d", i), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 9000+i), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			ms = append(ms, m)
		}
		if err := (Members{db}).Import(context.Background(), ms, nil, auth.AuditEntry{Actor: system, Action: "member.import", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(context.Background(), `ANALYZE`); err != nil {
			t.Fatal(err)
		}
		c := newPlanChecker(t, db)
		del, ins := memberScopesSQL(cell.Path, oneMemberCond)
		for _, st := range []struct{ what, q string }{{"delete", del}, {"insert", ins}} {
			lines := c.plan(t, st.what, st.q, []any{cell.ID, ms[7].ID})
			plan := strings.Join(lines, "\n")
			byKey := strings.Contains(plan, "SEARCH m USING INTEGER PRIMARY KEY")
			byUnit := strings.Contains(plan, "members_unit")
			if db.dialect == postgresDialect {
				byKey = strings.Contains(plan, `"members_pkey"`)
			}
			if !byKey || byUnit {
				t.Errorf("%s: the plan does not read the one member by its key (by key %v, by the unit's index %v):\n%s", st.what, byKey, byUnit, plan)
			}
		}
	})
}
