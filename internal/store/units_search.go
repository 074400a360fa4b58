package store

import (
	"context"
	"strings"

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
func (db Units) Search(ctx context.Context, paths []string, folded string, limit int) ([]org.Unit, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	query, args := unitSearchSQL(paths, folded, limit)
	return db.queryUnits(ctx, query, args...)
}

// unitSearchSQL is Search's statement. On PostgreSQL (migration 0049) a
// common word walks units_live_order and stops after the page
// (TestSearchUnitsPlans); a rare one still reads every unit of the
// subtrees (the city: 22,453).
func unitSearchSQL(paths []string, folded string, limit int) (string, argList) {
	var args argList
	where := []string{`u.dissolved_on IS NULL`, `u.name_folded LIKE ` + likeParam(args.add("%"+escapeLike(folded)+"%")) + ` ESCAPE '\'`}
	if c := subtreeRanges(&args, "u.path", paths); c != "" {
		where = append(where, c)
	}
	return `SELECT ` + unitColumns + ` FROM units u WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY u.depth, u.name_folded, u.id LIMIT ` + args.add(limit), args
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
