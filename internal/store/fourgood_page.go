package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/scoring"
)

// RankedPage reads one page of the framework's results within the subtree
// at path, in rank order after the cursor (?limit=&cursor=, docs/api.md),
// in one read transaction, with what by_level needs counted over the whole
// subtree instead of classified row by row:
//   - the framework's sheets and those counting at least *above (as
//     RankedResults), and the key at the quota's cap (the sheet at rank
//     Above + cap: past it the quota's level drops a band; one position
//     read from the key's index);
//   - over the subtree: its sheets, those counting at least each of mins
//     (a key below rankKeyAbove(min)), and those up to the cap's key;
//   - the page: for the framework's owner (q.Whole: the subtree holds
//     every sheet, counted without the units), the key's index read
//     from the cursor for limit+1 rows, the ranks their positions (the
//     count of keys up to the cursor, from the index); else the subtree's
//     sheets after the cursor by key, ranked by numberPage (the keys
//     before the page's first counted, the page's own key range numbered).
func (db FourGood) RankedPage(ctx context.Context, frameworkID int64, p scoring.Period, path string, q scoring.PageQuery) (*scoring.RankedPage, error) {
	var after []byte // the last key of the page before (keys are distinct: they end with the unit id)
	if q.Cursor != "" {
		var err error
		if after, _, err = decodeCursor(q.Cursor); err != nil {
			return nil, err
		}
	}
	out := &scoring.RankedPage{}
	period := string(p)
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		bound := ""
		if q.Above != nil {
			bound = rankKeyAbove(*q.Above)
		}
		if err := countRegistered(ctx, tx, frameworkID, period, bound, &out.Ranked); err != nil {
			return err
		}
		// The key of the last sheet the quota's level may hold ("~" after
		// every key: no cap reached).
		cut := "~"
		if q.Quota != nil {
			if at := out.Above + scoring.QuotaCap(q.Quota, out.Registered); at < out.Registered {
				if err := tx.QueryRowContext(ctx, `SELECT rank_key FROM fourgood_sheets WHERE framework_id = $1 AND period = $2
					ORDER BY rank_key LIMIT 1 OFFSET $3`, frameworkID, period, max(at-1, 0)).Scan(&cut); err != nil {
					return err
				}
				if at == 0 {
					cut = ""
				}
			}
		}
		from := `fourgood_sheets s WHERE s.framework_id = $1 AND s.period = $2`
		args := argList{frameworkID, period}
		if !q.Whole {
			from = `units u JOIN fourgood_sheets s ON s.framework_id = $1 AND s.period = $2 AND s.unit_id = u.id WHERE u.path >= $3 AND u.path < $4`
			args = append(args, path, prefixEnd(path))
		}
		sums := []string{`COUNT(*)`, `COALESCE(SUM(CASE WHEN s.rank_key <= ` + args.add(cut) + ` THEN 1 ELSE 0 END), 0)`,
			`COALESCE(SUM(CASE WHEN s.rank_key <= ` + args.add(string(after)) + ` THEN 1 ELSE 0 END), 0)`}
		for _, m := range q.Mins {
			sums = append(sums, `COALESCE(SUM(CASE WHEN s.rank_key < `+args.add(rankKeyAbove(m))+` THEN 1 ELSE 0 END), 0)`)
		}
		out.AtLeast = make([]int, len(q.Mins))
		var before int
		dest := []any{&out.Subtree, &out.UpToCap, &before}
		for i := range out.AtLeast {
			dest = append(dest, &out.AtLeast[i])
		}
		if err := tx.QueryRowContext(ctx, `SELECT `+strings.Join(sums, ", ")+` FROM `+from, args...).Scan(dest...); err != nil {
			return err
		}
		return db.pageRows(ctx, tx, frameworkID, period, path, q, out, string(after), before)
	})
	return out, err
}

// pageRows reads the page's rows after the key with their ranks (before:
// the subtree's sheets up to the key).
func (db FourGood) pageRows(ctx context.Context, tx *sql.Tx, frameworkID int64, period, path string, q scoring.PageQuery, out *scoring.RankedPage, after string, before int) error {
	cond := `s.framework_id = $1 AND s.period = $2`
	args := argList{frameworkID, period}
	if !q.Whole {
		cond += ` AND u.path >= $3 AND u.path < $4`
		args = append(args, path, prefixEnd(path))
	}
	if q.Cursor != "" {
		cond += ` AND s.rank_key > ` + args.add(after)
	}
	query := `SELECT s.id, s.unit_id, s.stage, s.self_total, s.review_total, s.final_total, s.rank_key, u.path, u.name, u.code, u.kind, u.cell_type
		FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id WHERE ` + cond + ` ORDER BY s.rank_key LIMIT ` + args.add(q.Limit+1)
	if !q.Whole && out.Subtree*out.Subtree < (q.Limit+1)*out.Registered {
		// A small share of the framework (a district of a city): the
		// key's index would pass about Registered/Subtree sheets of other
		// units for each row of the page; the subtree's own sheets, read
		// by the units' path and kept apart from the key's order
		// (MATERIALIZED), cost their count and the page is their first
		// limit+1 after the cursor.
		query = `WITH sub AS MATERIALIZED (SELECT s.id, s.unit_id, s.stage, s.self_total, s.review_total, s.final_total, s.rank_key, u.path, u.name, u.code, u.kind, u.cell_type
			FROM units u JOIN fourgood_sheets s ON s.framework_id = $1 AND s.period = $2 AND s.unit_id = u.id WHERE u.path >= $3 AND u.path < $4)
			SELECT * FROM sub s`
		if q.Cursor != "" {
			query += ` WHERE s.rank_key > $5`
		}
		query += ` ORDER BY s.rank_key LIMIT ` + fmt.Sprintf("$%d", len(args))
	}
	var keys []string
	rows, err := queryAll(ctx, tx, func(rows *sql.Rows) (scoring.RankedRow, error) {
		var r scoring.RankedRow
		var self, review, final int64
		var key string
		err := rows.Scan(&r.SheetID, &r.UnitID, &r.Stage, &self, &review, &final, &key, &r.Unit.Path, &r.Unit.Name, &r.Unit.Code, &r.Unit.Kind, &r.Unit.CellType)
		r.Totals = scoring.Totals{Self: scoring.Points(self), Review: scoring.Points(review), Final: scoring.Points(final)}
		r.Unit.ID = r.UnitID
		keys = append(keys, key)
		return r, err
	}, query, args...)
	if err != nil {
		return err
	}
	if len(rows) > q.Limit {
		rows, keys = rows[:q.Limit], keys[:q.Limit]
		c := encodeCursor([]byte(keys[len(keys)-1]), rows[len(rows)-1].UnitID)
		out.Next = &c
	}
	out.Rows = rows
	if q.Whole {
		for i := range out.Rows {
			out.Rows[i].Rank = before + i + 1
		}
		return nil
	}
	return numberPage(ctx, tx, frameworkID, period, &out.Ranked, keys)
}

// numberPage gives a page of a smaller subtree (rows in key order, keys
// beside them) their ranks over the framework's sheets without reading
// the keys from the start: the framework's keys before the page's first,
// counted in the key's index, and the keys from the page's first to its
// last numbered by the engine (ROW_NUMBER over that index range, only the
// page's rows answered). A page of a district reads its own stretch of
// the ranking, not the ranking up to it.
func numberPage(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, out *scoring.Ranked, keys []string) error {
	if len(out.Rows) == 0 {
		return nil
	}
	var before int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM fourgood_sheets WHERE framework_id = $1 AND period = $2 AND rank_key < $3`,
		frameworkID, period, keys[0]).Scan(&before); err != nil {
		return err
	}
	args := argList{frameworkID, period, keys[0], keys[len(keys)-1]}
	marks := make([]string, len(out.Rows))
	at := map[int64]int{}
	for i, r := range out.Rows {
		marks[i] = args.add(r.UnitID)
		at[r.UnitID] = i
	}
	found := 0
	err := queryEach(ctx, tx, func(rows *sql.Rows) error {
		var id int64
		var rank int
		if err := rows.Scan(&id, &rank); err != nil {
			return err
		}
		i, ok := at[id]
		if !ok {
			return fmt.Errorf("four-good ranks: unit %d answered outside the page", id)
		}
		out.Rows[i].Rank = before + rank
		found++
		return nil
	}, `SELECT unit_id, rnk FROM (SELECT unit_id, ROW_NUMBER() OVER (ORDER BY rank_key) AS rnk
		FROM fourgood_sheets WHERE framework_id = $1 AND period = $2 AND rank_key >= $3 AND rank_key <= $4) x
		WHERE unit_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	if found != len(out.Rows) {
		return fmt.Errorf("four-good ranks: %d of %d sheets found in the rank index", found, len(out.Rows))
	}
	return nil
}
