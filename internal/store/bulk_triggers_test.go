package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestLoaderFillsWhatTriggersKeep: the bulk loader drops the members'
// roll-up triggers and fills their tables once at Close
// (bulk_triggers.go); the tables must hold what the triggers would have
// written. The district's officers are loaded, the tables read; then the
// members are written again row by row, the triggers on (deleted, the
// tables emptied, inserted again), and the tables must read the same. The
// triggers must be back too: the second write goes through them.
func TestLoaderFillsWhatTriggersKeep(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		if db.dialect != sqliteDialect {
			return // the loader drops no trigger on PostgreSQL (COPY)
		}
		ctx := context.Background()
		loadDistrictOfficers(t, db)
		var tables []string
		for _, tr := range loadDeferredTriggers {
			tables = append(tables, tr.tables...)
		}
		loaded := map[string][]string{}
		for _, table := range tables {
			loaded[table] = tableText(t, db.read, table)
			if len(loaded[table]) == 0 {
				t.Fatalf("the load left %s empty: nothing compared", table)
			}
		}
		err := db.Write(ctx, func(tx *Tx) error {
			for _, q := range []string{`CREATE TEMP TABLE loaded_members AS SELECT * FROM members`, `DELETE FROM member_scopes`, `DELETE FROM member_asof_scopes`,
				`DELETE FROM past_stat_log`, `DELETE FROM members`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			for _, table := range tables {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
					return err
				}
			}
			for _, q := range []string{`INSERT INTO members SELECT * FROM loaded_members ORDER BY id`, `DROP TABLE loaded_members`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			if got := tableText(t, db.read, table); !slices.Equal(got, loaded[table]) {
				t.Errorf("%s: the load wrote %d rows, the triggers %d; first rows %v against %v", table, len(loaded[table]), len(got), head(loaded[table]), head(got))
			}
		}
	})
}

// tableText is every row of table as text, sorted.
func tableText(t *testing.T, q *sql.DB, table string) []string {
	t.Helper()
	rows, err := q.Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals, err := scanColumns(rows, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprintf("%v", v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func head(rows []string) []string { return rows[:min(3, len(rows))] }
