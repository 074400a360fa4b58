package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/notify"
)

// planChecker asks an engine how it runs a query (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN with sequential scans off on PostgreSQL) and fails on
// what would cost more than the page: the checks of TestTaskListPlans
// (badPlanLines, badPGNodes) for the lists other than tasks (issue 17).
type planChecker struct {
	db   *DB
	conn *sql.Conn
}

func newPlanChecker(t *testing.T, db *DB) *planChecker {
	t.Helper()
	ctx := context.Background()
	conn, err := db.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if db.dialect == postgresDialect {
		// The test's tables are small: without this the planner reads
		// them whole, or reads a few rows by bitmap and sorts them, as it
		// should there. With sorts made dear, a Sort left in the plan is
		// one no index can spare.
		for _, set := range []string{`SET enable_seqscan = off`, `SET enable_sort = off`} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &planChecker{db, conn}
}

// check fails t when the plan of q scans or sorts more than the page.
func (c *planChecker) check(t *testing.T, what, q string, args []any) {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if c.db.dialect == postgresDialect {
		explain = "EXPLAIN (FORMAT JSON) "
	}
	rows, err := c.conn.QueryContext(context.Background(), explain+q, args...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, q)
	}
	var lines []string
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, toString(vals[len(vals)-1]))
	}
	rows.Close()
	bad := badPlanLines(c.db.dialect, lines)
	if c.db.dialect == postgresDialect {
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("plan: %v", err)
		}
		bad = badPGNodes(nodes[0].Plan, false)
	}
	if len(bad) > 0 {
		t.Errorf("%s: the plan scans or sorts more than the page: %q\nplan:\n%s", what, bad, strings.Join(lines, "\n"))
	}
}

// TestNotificationListPlans checks the inbox's page of stored
// notifications: the account's and the member's arms, with and without a
// member, unread only, from a cursor.
func TestNotificationListPlans(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		for _, s := range []struct {
			name string
			r    notify.Reader
			q    notify.Query
		}{
			{"account-and-member", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21}},
			{"account-only", notify.Reader{AccountID: 3}, notify.Query{Limit: 21}},
			{"unread", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, UnreadOnly: true}},
			{"next-after-stored", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, After: &notify.Position{At: at, Src: 1, ID: 77}}},
			{"next-after-derived", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, After: &notify.Position{At: at, Src: 0, ID: 77}}},
			{"digest-window", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 50, Since: at.Add(-24 * time.Hour), Until: at}},
		} {
			t.Run(s.name, func(t *testing.T) {
				q, args := storedPageSQL(db.dialect, s.r, s.q)
				c.check(t, "page", q, args)
			})
		}
	})
}
