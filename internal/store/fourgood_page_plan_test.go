package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestFourGoodPagePlans checks the plans of the reads of every four-good
// result page of a smaller subtree (RankedPage), on counters and keys
// enough for the planners to choose: the counters by head (readHeads) read
// from an index alone (PostgreSQL: fourgood_counts_cover, migration 0043;
// SQLite: the table's own key), and the page's ranks (numberPage) read
// from the rank index alone, the page's keys given — no look-up of the
// page's sheets by their units; a district's page (pageRowsSQL) counts
// its rows' tie groups from the rank index alone.
func TestFourGoodPagePlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		err := db.Write(ctx, func(tx *Tx) error {
			for u := range 4 {
				for h := range 400 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets) VALUES (1, 'final', $1, $2, $3)`,
						int64(u), fmt.Sprintf("%019d", 999_000+h), int64(1+h%3)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if db.dialect == postgresDialect {
			// Sheets for the planner's statistics, written without their
			// triggers and keys' checks (the plans alone are read).
			for _, q := range []string{`ALTER TABLE fourgood_sheets DISABLE TRIGGER ALL`,
				`INSERT INTO fourgood_sheets (framework_id, unit_id, period, stage, created_at, updated_at, rank_key)
					SELECT 1, g, 'final', 'self', now(), now(), lpad((999000 + g % 400)::text, 19, '0') || '|' || g FROM generate_series(1, 4000) g`,
				`ALTER TABLE fourgood_sheets ENABLE TRIGGER ALL`,
				`INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
					SELECT u, framework_id, period, rank_key, id FROM fourgood_sheets, generate_series(1, 4) u WHERE id % 4 < u`} {
				if _, err := db.write.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			for _, table := range []string{"fourgood_counts", "fourgood_sheets", "fourgood_sheet_scopes"} {
				vacuumAllVisible(t, db, table)
			}
		} else if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
			t.Fatal(err)
		}
		keys := []string{"0000000000000999001|a|7", "0000000000000999002|b|8", "0000000000000999002|c|9"}
		query, args := numberPageSQL(1, "final", keys)
		page, pageArgs := pageRowsSQL(1, "final", 2, scoring.PageQuery{Limit: 50, Cursor: "c"}, keys[0])
		for _, tc := range []struct {
			name       string
			query      string
			args       []any
			pgWant     []string
			sqliteWant []string
			forbidden  []string
		}{
			{"the counters by head", headsSQL, []any{int64(1), "final", int64(2)},
				[]string{"Index Only Scan using fourgood_counts_cover"},
				[]string{"SEARCH fourgood_counts USING PRIMARY KEY"},
				[]string{"fourgood_counts_pkey", "Seq Scan", "Bitmap", "TEMP B-TREE", "SCAN fourgood_counts"}},
			{"the page's ranks", query, args,
				[]string{"Index Only Scan using fourgood_sheets_rank"},
				[]string{"SEARCH t USING COVERING INDEX fourgood_sheets_rank"},
				[]string{"unit_id_key", "Seq Scan", "Sort", "TEMP B-TREE", "SCAN t", "SCAN s", "autoindex"}},
			// On PostgreSQL only the cap's key read in the same statement is
			// pinned: the fixture's subtree has one unit in its path range,
			// so reaching its sheets by unit is as good a plan as the rank
			// range, and which one the planner takes depends on the units'
			// statistics of the fresh database (a clean CI cluster took the
			// first, the dev server the second). SQLite's plan is pinned.
			{"the subtree's sheets up to the cap", subtreeUpToSQL(2), []any{int64(1), "final", "0000000000000999001", int64(2)},
				[]string{"InitPlan", "Index Only Scan using fourgood_sheets_rank on fourgood_sheets", "using fourgood_sheet_scopes_pkey on fourgood_sheet_scopes k"},
				[]string{"SEARCH k USING PRIMARY KEY (unit_id=? AND framework_id=? AND period=? AND rank_key>? AND rank_key<?)", "SEARCH fourgood_sheets USING COVERING INDEX fourgood_sheets_rank (framework_id=? AND period=? AND rank_key>?)"},
				[]string{"Seq Scan", "SCAN k", "SCAN fourgood_sheets", "Sort", "units"}},
			{"a district's page with its ranks", page, pageArgs,
				[]string{"using fourgood_sheet_scopes_pkey on fourgood_sheet_scopes k", "Index Scan using fourgood_sheets_pkey on fourgood_sheets s",
					"Index Only Scan using fourgood_sheets_rank on fourgood_sheets t", "SubPlan", "AND (rank_key >= substr(p.rank_key, 1, 19)) AND (rank_key < p.rank_key))"},
				[]string{"SEARCH k USING PRIMARY KEY (unit_id=? AND framework_id=? AND period=? AND rank_key>?)", "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)",
					"SEARCH t USING COVERING INDEX fourgood_sheets_rank (framework_id=? AND period=? AND rank_key>? AND rank_key<?)"},
				[]string{"Seq Scan", "SCAN k", "SCAN s", "SCAN u", "SCAN t", "Sort", "TEMP B-TREE", "units_path", "unit_id_key"}},
		} {
			plan := explainPlan(t, db, tc.query, tc.args)
			want := tc.sqliteWant
			if db.dialect == postgresDialect {
				want = tc.pgWant
			}
			for _, w := range want {
				if !strings.Contains(plan, w) {
					t.Errorf("%s: plan misses %q:\n%s", tc.name, w, plan)
				}
			}
			for _, f := range tc.forbidden {
				if strings.Contains(plan, f) {
					t.Errorf("%s: plan holds %q:\n%s", tc.name, f, plan)
				}
			}
		}
	})
}

// vacuumAllVisible vacuums and analyses a PostgreSQL table until its pages
// are all visible, as a table at rest after autovacuum: a vacuum right
// after the writes may find the horizon held back for a moment (a
// transaction of another backend; seen on the shared dev server, where
// fourgood_counts stayed at 0 of 17 pages visible and the planner then
// preferred the primary key's order to the index-only scan).
func vacuumAllVisible(t *testing.T, db *DB, table string) {
	t.Helper()
	ctx := context.Background()
	for range 50 {
		if _, err := db.write.ExecContext(ctx, `VACUUM ANALYZE `+table); err != nil {
			t.Fatal(err)
		}
		var visible, pages int
		if err := db.write.QueryRowContext(ctx, `SELECT relallvisible, relpages FROM pg_class WHERE oid = $1::regclass`, table).Scan(&visible, &pages); err != nil {
			t.Fatal(err)
		}
		if visible == pages {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: pages still not all visible after 50 vacuums", table)
}
