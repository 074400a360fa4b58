package store

import (
	"context"
	"fmt"
	"strings"
)

// A bulk load into an empty members table (SQLite) drops, beside the
// secondary indexes, the members' insert triggers that keep roll-ups row
// by row, and Close fills their tables once from the members loaded, with
// the recount that `sotay check counters` holds them to (counters.go) or
// the migration's backfill: the same rows, without an upsert per member
// and ancestor (json_each of the unit's path, then ON CONFLICT ... n + 1).
// For the district demo's 9,700 members these three triggers were about
// 0.3 s of the load's CPU and the fills are about a third of that
// (docs/benchmarks.md, "r22-demo"). The triggers of units (a few hundred
// rows), of the names' full-text index (its segments would be laid out
// otherwise) and of the past statistics' log (the rebuild after the load
// drops the log, but ANALYZE sees it first) stay.
var loadDeferredTriggers = []struct {
	name   string
	tables []string // the tables it keeps, filled again at Close
}{
	{"members_subtree_insert", []string{"subtree_member_counts", "subtree_birth_counts"}},
	{"members_birthday_insert", []string{"subtree_birth_day_counts"}},
	{"members_pairs_insert", []string{"member_pairs"}},
}

// memberPairsFill is migration 0042's backfill of member_pairs: each
// name's word boundaries, in the table's key order.
const memberPairsFill = `INSERT INTO member_pairs (token, member_id)
SELECT DISTINCT substr(a.value, -3) || ' ' || substr(b.value, 1, 3), m.id
    FROM members m, json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1
  ORDER BY 1, 2`

// dropLoadTriggers drops those of loadDeferredTriggers the schema has and
// returns the tables to fill and the triggers' definitions.
func dropLoadTriggers(ctx context.Context, q Querier) (tables, defs []string, err error) {
	for _, t := range loadDeferredTriggers {
		d, err := dropSQLiteObjects(ctx, q, "TRIGGER", `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'members' AND name = ?`, t.name)
		if err != nil {
			return nil, nil, fmt.Errorf("load triggers: drop %s: %w", t.name, err)
		}
		if len(d) > 0 {
			defs = append(defs, d...)
			tables = append(tables, t.tables...)
		}
	}
	return tables, defs, nil
}

// fillLoadTables creates the dropped triggers again and fills the tables
// they keep from scratch.
func fillLoadTables(ctx context.Context, q Querier, tables, defs []string) error {
	for _, def := range defs {
		if _, err := q.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("create the trigger again: %w", err)
		}
	}
	for _, table := range tables {
		fill, err := loadFill(table)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("fill %s: %w", table, err)
		}
		if _, err := q.ExecContext(ctx, fill); err != nil {
			return fmt.Errorf("fill %s: %w", table, err)
		}
	}
	return nil
}

// loadFill is the statement that fills table from scratch: its recount in
// counterTables, or memberPairsFill.
func loadFill(table string) (string, error) {
	if table == "member_pairs" {
		return memberPairsFill, nil
	}
	for _, c := range counterTables {
		if c.table == table {
			return `INSERT INTO ` + c.table + ` (` + strings.Join(c.keys, ", ") + `, ` + strings.Join(c.columns(), ", ") + `) ` + c.recompute, nil
		}
	}
	return "", fmt.Errorf("no fill for %s", table)
}
