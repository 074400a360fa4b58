package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
)

// subtreeRanges is the condition "u.path is in one of the subtrees at
// paths" (a range scan each), or "" when a path is the root "/".
func subtreeRanges(args *argList, col string, paths []string) string {
	var ors []string
	for _, p := range paths {
		if p == "/" {
			return ""
		}
		ors = append(ors, `(`+col+` >= `+args.add(p)+` AND `+col+` < `+args.add(prefixEnd(p))+`)`)
	}
	return `(` + strings.Join(ors, " OR ") + `)`
}

// Search returns the live units of the subtrees at paths whose folded
// name contains folded (viet.Fold of the query), the shallowest first, then
// by name, at most limit. No paths: nothing.
//
// On PostgreSQL a word of three characters or more is looked for first in
// a walk of unitSearchWalk live units in the list's order, which a common
// word fills the page from; when it does not, the word is rare there and
// its units are read through the trigram index units_name_trgm (migration
// 0050) and sorted. The two statements keep their plans whatever the
// word (a plan cached for a common word walked every unit for a rare one,
// and one cached for a rare word read the whole index for "xa"). On
// SQLite (no trigram index of a plain table) a reach of most of the tree
// walks units_live_order (migration 0052) in the list's order, which stops
// after the page for a common word and reads the index for a rare one;
// a smaller reach reads its units by path and sorts them
// (sqliteUnitSearch).
func (db Units) Search(ctx context.Context, paths []string, folded string, limit int) ([]org.Unit, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	if db.dialect == sqliteDialect {
		query, args, err := db.sqliteUnitSearch(ctx, paths, folded, limit)
		if err != nil {
			return nil, err
		}
		return db.queryUnits(ctx, query, args...)
	}
	if utf8.RuneCountInString(folded) < 3 {
		query, args := unitSearchSQL(paths, folded, limit)
		return db.queryUnits(ctx, query, args...)
	}
	query, args := unitSearchWalkSQL(paths, folded, limit)
	us, err := db.queryUnits(ctx, query, args...)
	if err != nil || len(us) >= limit {
		return us, err
	}
	query, args = unitSearchIndexSQL(paths, folded, limit)
	return db.queryUnits(ctx, query, args...)
}

// unitSearchWalk is how many live units of the subtrees, in the list's
// order, the units search walks before it asks the trigram index.
const unitSearchWalk = 2000

// unitSearchSQL is Search's statement on SQLite and for a word of one or
// two characters (no trigram): on PostgreSQL (migration 0049) a common
// word walks units_live_order and stops after the page
// (TestSearchUnitsPlans); a rare one reads every unit of the subtrees.
// The name is matched as an expression that the trigram index does not
// hold: a plan of the pattern "%xa%" through it read the whole index
// (9.8 ms for the city office, 5 ms for a cell's officer).
func unitSearchSQL(paths []string, folded string, limit int) (string, argList) {
	return liveUnitsNamed(`units u`, paths, folded, limit, `(u.name_folded || '')`, `u.depth`)
}

// liveUnitsNamed is the statement of the live units of the subtrees at
// paths whose name (name: u.name_folded or an expression of it) holds
// folded, by depth (depth: u.depth or an expression of it) and name, at
// most limit, read from "from" (the units as u).
func liveUnitsNamed(from string, paths []string, folded string, limit int, name, depth string) (string, argList) {
	var args argList
	where := []string{`u.dissolved_on IS NULL`, name + ` LIKE ` + likeParam(args.add("%"+escapeLike(folded)+"%")) + ` ESCAPE '\'`}
	if c := subtreeRanges(&args, "u.path", paths); c != "" {
		where = append(where, c)
	}
	return `SELECT ` + unitColumns + ` FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + depth + `, u.name_folded, u.id LIMIT ` + args.add(limit), args
}

// unitSearchWalkSQL is the walk of unitSearchWalk live units of the
// subtrees in the list's order (units_live_order), of which those whose
// name holds the word make the page.
func unitSearchWalkSQL(paths []string, folded string, limit int) (string, argList) {
	var args argList
	where := []string{`u.dissolved_on IS NULL`}
	if c := subtreeRanges(&args, "u.path", paths); c != "" {
		where = append(where, c)
	}
	pattern := likeParam(args.add("%" + escapeLike(folded) + "%"))
	return `SELECT ` + unitColumns + ` FROM (SELECT * FROM units u WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY u.depth, u.name_folded, u.id LIMIT ` + strconv.Itoa(unitSearchWalk) + `) u
		WHERE u.name_folded LIKE ` + pattern + ` ESCAPE '\' ORDER BY u.depth, u.name_folded, u.id LIMIT ` + args.add(limit), args
}

// unitSearchIndexSQL reads the units of the subtrees whose name holds the
// word through the trigram index and sorts them: its order is an
// expression (u.depth + 0) that units_live_order cannot yield, so that
// no plan walks the units in order for a word that few of them hold.
func unitSearchIndexSQL(paths []string, folded string, limit int) (string, argList) {
	return liveUnitsNamed(`units u`, paths, folded, limit, `u.name_folded`, `u.depth + 0`)
}

// sqliteUnitSearch is Search's statement on SQLite: for a reach of more
// than unitSearchWalk live units that holds at least half of the tree's,
// the walk of units_live_order (unitSearchOrderedSQL); else
// unitSearchSQL, the reach's units through the path index, sorted. The
// walk stops after the page for a common word but reads the whole index
// for a rare one (every live unit of the tree, at about half the cost of
// reading as many rows and sorting them: the city office's "phu tuc"
// 6.6 → 3.3 ms in the sqlite3 shell), so a small part of a big tree keeps
// its range and sort.
func (db Units) sqliteUnitSearch(ctx context.Context, paths []string, folded string, limit int) (string, argList, error) {
	reach, tree, err := db.liveUnitCounts(ctx, paths)
	if err != nil {
		return "", nil, fmt.Errorf("search units: %w", err)
	}
	if reach > unitSearchWalk && 2*reach >= tree {
		query, args := unitSearchOrderedSQL(paths, folded, limit)
		return query, args, nil
	}
	query, args := unitSearchSQL(paths, folded, limit)
	return query, args, nil
}

// unitSearchOrderedSQL walks the live units in the search's order through
// units_live_order (SQLite, migration 0052), their name and path checked
// on the index's entries. INDEXED BY: on the city, SQLite's planner took
// the path range and a sort of every unit of the reach for the city
// office.
func unitSearchOrderedSQL(paths []string, folded string, limit int) (string, argList) {
	return liveUnitsNamed(`units u INDEXED BY units_live_order`, paths, folded, limit, `u.name_folded`, `u.depth`)
}

// liveUnitCounts returns how many live units the subtrees at paths hold
// (subtree_unit_counts: a few rows; nested paths are counted twice) and
// how many the whole tree holds. A path "/" is the whole tree.
func (db Units) liveUnitCounts(ctx context.Context, paths []string) (reach, tree int, err error) {
	const sum = `SELECT COALESCE(SUM(c.n), 0) FROM units u JOIN subtree_unit_counts c ON c.unit_id = u.id WHERE `
	var args argList
	marks := make([]string, len(paths))
	whole := false
	for i, p := range paths {
		whole = whole || p == "/"
		marks[i] = args.add(p)
	}
	q := `SELECT (` + sum + `u.path IN (` + strings.Join(marks, ", ") + `)), (` + sum + `u.parent_id IS NULL)`
	if err := db.read.QueryRowContext(ctx, q, args...).Scan(&reach, &tree); err != nil {
		return 0, 0, fmt.Errorf("count the live units: %w", err)
	}
	if whole {
		reach = tree
	}
	return reach, tree, nil
}

// UnitsNamed is SearchUnits for the task module: the live units of the
// subtree at under whose folded name contains folded.
func (db Tasks) UnitsNamed(ctx context.Context, under, folded string, limit int) ([]task.UnitRef, error) {
	us, err := Units{db.DB}.Search(ctx, []string{under}, folded, limit)
	if err != nil {
		return nil, err
	}
	out := make([]task.UnitRef, len(us))
	for i, u := range us {
		out[i] = task.UnitRef{ID: u.ID, ParentID: u.ParentID, Path: u.Path, Name: u.Name, Kind: string(u.Kind)}
	}
	return out, nil
}
