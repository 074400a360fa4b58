package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
)

// The outbreak foci and conference lists (issue 17, item 1) read
// outbreak_scopes and conference_scopes (migration 0027): one row per
// focus (conference) and per unit on the path of its unit (host unit), so
// that a reach's list is one index range per top unit of the reach, newest
// first, merged and stopped after the page, and the count stops at
// listCountBound.

// listCountBound is where the foci and conference lists stop counting:
// above it, Total is listCountBound and TotalAtLeast is set (docs/api.md).
const listCountBound = 1000

// reachTops returns the ids of the top units of a reach (a path under
// another one adds nothing); every unit ("/") is scope 0.
func reachTops(paths []string) (ids []int64) {
	for _, p := range paths {
		if p == "/" {
			return []int64{0}
		}
	}
	for _, p := range paths {
		inner := false
		for _, o := range paths {
			inner = inner || (o != p && strings.HasPrefix(p, o))
		}
		if a := doc.AncestorIDs(p); !inner && len(a) > 0 {
			id := a[len(a)-1]
			seen := false
			for _, x := range ids {
				seen = seen || x == id
			}
			if !seen {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// listScopeCols are the columns of each scope table (list_scopes.go):
// the scope, the value kept beside it (the focus's state, the framework's
// year; none for a conference) and the object's id.
var listScopeCols = map[string]string{
	"outbreak_scopes":           `(scope_id, state, outbreak_id)`,
	"conference_scopes":         `(scope_id, conference_id)`,
	"fourgood_framework_scopes": `(scope_id, year, framework_id)`,
}

// insertListScopes writes the scope rows of one focus, conference or
// framework: a row per unit on unitID's path and 0. table is one of
// listScopeCols; extra is the value kept beside the scope (the focus's
// state, the framework's year; nil for a conference).
func (tx *Tx) insertListScopes(ctx context.Context, table string, id, unitID int64, extra any) error {
	var path string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, unitID).Scan(&path); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return tx.insertListScopesAt(ctx, table, id, path, extra)
}

func (tx *Tx) insertListScopesAt(ctx context.Context, table string, id int64, path string, extra any) error {
	var args argList
	var rows []string
	// 0: every focus (conference, framework), the root's reach.
	for _, u := range append([]int64{0}, doc.AncestorIDs(path)...) {
		if extra != nil {
			rows = append(rows, `(`+args.add(u)+`, `+args.add(extra)+`, `+args.add(id)+`)`)
		} else {
			rows = append(rows, `(`+args.add(u)+`, `+args.add(id)+`)`)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` `+listScopeCols[table]+` VALUES `+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

// moveListScopes rewrites the scope rows of the foci, conferences and
// frameworks of a subtree just moved to newPath (its units' paths already
// rewritten).
func (tx *Tx) moveListScopes(ctx context.Context, newPath string) error {
	for _, l := range []struct{ table, idCol, sel string }{
		{"outbreak_scopes", "outbreak_id", `SELECT o.id, u.path, o.state FROM outbreaks o JOIN units u ON u.id = o.unit_id WHERE u.path >= $1 AND u.path < $2`},
		{"conference_scopes", "conference_id", `SELECT c.id, u.path, NULL FROM conferences c JOIN units u ON u.id = c.host_unit_id WHERE u.path >= $1 AND u.path < $2`},
		{"fourgood_framework_scopes", "framework_id", `SELECT f.id, u.path, f.year FROM fourgood_frameworks f JOIN units u ON u.id = f.owner_unit_id WHERE u.path >= $1 AND u.path < $2`},
	} {
		type row struct {
			id    int64
			path  string
			extra any
		}
		moved, err := queryAll(ctx, tx, func(rows *sql.Rows) (row, error) {
			var r row
			return r, rows.Scan(&r.id, &r.path, &r.extra)
		}, l.sel, newPath, prefixEnd(newPath))
		if err != nil {
			return err
		}
		for _, r := range moved {
			if err := tx.rewriteListScopes(ctx, l.table, l.idCol, r.id, r.path, r.extra); err != nil {
				return err
			}
		}
	}
	return nil
}

// rewriteListScopes replaces the scope rows of one object (idCol = id in
// table) by those of path.
func (tx *Tx) rewriteListScopes(ctx context.Context, table, idCol string, id int64, path string, extra any) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+idCol+` = $1`, id); err != nil {
		return err
	}
	return tx.insertListScopesAt(ctx, table, id, path, extra)
}

// scopeListQuery is the SQL of a list merged from index ranges
// (scopeListSQL, taskListSQL), read by readScopedPage: the count, stopped
// after countRaw rows, and the page.
type scopeListQuery struct {
	count, page         string
	countArgs, pageArgs argList
	countRaw            int
}

// readNewestFirst reads a page of a list in id order, the newest first
// (conferences, foci), counted up to listCountBound; cursor writes the
// next page's cursor from the page's last id.
func readNewestFirst[T any](ctx context.Context, db *DB, q scopeListQuery, limit int, what string, scan func(sc interface{ Scan(...any) error }) (*T, error), id func(*T) int64, cursor func(id int64) string) (*page.Of[T], error) {
	out := &page.Of[T]{Items: make([]T, 0, limit+1)}
	err := db.Read(ctx, func(rq Querier) error {
		return readScopedPage(ctx, rq, q, listCountBound, what, into(scan), id, out)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b T) int { return cmp.Compare(id(&b), id(&a)) })
	cutPage(out, limit, func(last T) string { return cursor(id(&last)) })
	return out, nil
}

// readScopedPage reads a list merged from index ranges: its count, bounded
// (TotalAtLeast above bound), and its page, each item once although it may
// come under several keys (hosted in reach and invited, say).
func readScopedPage[T any](ctx context.Context, q Querier, sq scopeListQuery, bound int, what string, scanInto func(sc interface{ Scan(...any) error }, it *T) error, id func(*T) int64, out *page.Of[T]) error {
	var raw, distinct int
	if err := q.QueryRowContext(ctx, sq.count, sq.countArgs...).Scan(&raw, &distinct); err != nil {
		return fmt.Errorf("count %s: %w", what, err)
	}
	out.Total = distinct
	if raw >= sq.countRaw || distinct > bound {
		out.Total, out.TotalAtLeast = bound, true
	}
	if err := readDistinctInto(ctx, q, sq.page, sq.pageArgs, scanInto, id, &out.Items); err != nil {
		return fmt.Errorf("list %s: %w", what, err)
	}
	return nil
}

// readDistinctInto appends the rows of a page read from several keys to
// items, each read into the slice's next place (no copy of a wide row) and
// kept unless an item of the same id is already there.
func readDistinctInto[T any](ctx context.Context, q rowsQuerier, query string, args []any, scanInto func(sc interface{ Scan(...any) error }, it *T) error, id func(*T) int64, items *[]T) error {
	seen := make(map[int64]bool, cap(*items))
	var zero T
	return queryEach(ctx, q, func(rows *sql.Rows) error {
		*items = append(*items, zero)
		it := &(*items)[len(*items)-1]
		if err := scanInto(rows, it); err != nil {
			return err
		}
		if seen[id(it)] {
			*items = (*items)[:len(*items)-1]
			return nil
		}
		seen[id(it)] = true
		return nil
	}, query, args...)
}

// into turns a scanner that returns a new item into one that fills an
// item in place, for readScopedPage.
func into[T any](scan func(sc interface{ Scan(...any) error }) (*T, error)) func(sc interface{ Scan(...any) error }, it *T) error {
	return func(sc interface{ Scan(...any) error }, it *T) error {
		p, err := scan(sc)
		if err == nil {
			*it = *p
		}
		return err
	}
}

// scopeListSQL writes the count and the page of ids of a list read from
// index ranges (arms, each "SELECT x.id AS id FROM … WHERE …" in id
// order): the count stops one past the bound on the raw rows (keys ranges
// that may share an item: keys*(bound+1)), the page merges the ranges
// newest first and stops after limit+1 rows of each. before is the
// cursor's id (0: none); it is added to each arm as "<idExpr> < before".
func scopeListSQL(d dialect, arms []scopeArm, limit int, before int64) (count string, countArgs argList, countRaw int, page string, pageArgs argList) {
	var parts []string
	for _, a := range arms {
		w := a.where(&countArgs)
		parts = append(parts, `SELECT `+a.id+` AS id FROM `+a.from+` WHERE `+w)
	}
	countRaw = len(arms) * (listCountBound + 1)
	distinct := `COUNT(*)`
	if len(arms) > 1 {
		distinct = `COUNT(DISTINCT c.id)`
	}
	count = `SELECT COUNT(*), ` + distinct + ` FROM (SELECT x.id FROM (` + strings.Join(parts, " UNION ALL ") + `) x LIMIT ` + countArgs.add(countRaw) + `) c`
	parts = parts[:0]
	for _, a := range arms {
		w := a.where(&pageArgs)
		if before != 0 {
			w += ` AND ` + a.id + ` < ` + pageArgs.add(before)
		}
		arm := `SELECT ` + a.id + ` AS id FROM ` + a.from + ` WHERE ` + w
		if d != sqliteDialect {
			arm = `(` + arm + ` ORDER BY ` + a.id + ` DESC LIMIT ` + pageArgs.add(limit+1) + `)`
		}
		parts = append(parts, arm)
	}
	if d == sqliteDialect {
		page = strings.Join(parts, " UNION ALL ") + ` ORDER BY id DESC LIMIT ` + pageArgs.add(len(arms)*(limit+1))
	} else {
		page = `SELECT u.id FROM (` + strings.Join(parts, " UNION ALL ") + `) u ORDER BY u.id DESC LIMIT ` + pageArgs.add(len(arms)*(limit+1))
	}
	return
}

// scopeArm is one index range of a list: FROM, the id's expression, and
// the conditions (written with the args they need).
type scopeArm struct {
	from, id string
	where    func(args *argList) string
}
