package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/scoring"
)

// RankedPage reads one page of the framework's results within the subtree
// at path, in rank order after the cursor (?limit=&cursor=, docs/api.md),
// in one read transaction, with what by_level needs counted from the
// counters of the sheets by the head of their key (fourgood_counts,
// migration 0038) instead of a pass over the framework's or the subtree's
// sheets:
//   - the framework's sheets and those counting at least *above (the
//     heads before rankKeyAbove), and the rank at the quota's cap (Above
//   - cap: past it the quota's level drops a band);
//   - over the subtree: its sheets, those counting at least each of mins,
//     and those up to the cap (the heads before the cap's tie group, found
//     from the counters, and when the subtree holds sheets of that group,
//     the group's key at the cap and the subtree's keys of the group up to
//     it, in one statement);
//   - the page: for the framework's owner (q.Whole: the subtree holds
//     every sheet), the key's index read from the cursor for limit+1
//     rows, the ranks their positions (the keys up to the cursor: heads
//     before its own counted, its tie group's keys up to it read); else
//     the subtree's own key order (fourgood_sheet_scopes, migration 0044)
//     read from the cursor for limit+1 rows, each with its tie group's
//     keys before it (pageRowsSQL).
//
// Every read is bounded by the page, the distinct totals or one tie group
// of them, none by the framework's or the subtree's sheets.
func (db FourGood) RankedPage(ctx context.Context, frameworkID int64, p scoring.Period, path string, q scoring.PageQuery) (*scoring.RankedPage, error) {
	var after string // the last key of the page before (keys are distinct: they end with the unit id)
	if q.Cursor != "" {
		b, _, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		after = string(b)
	}
	var unitID int64
	if !q.Whole {
		var err error
		if unitID, err = pathUnit(path); err != nil {
			return nil, err
		}
	}
	out := &scoring.RankedPage{}
	period := string(p)
	err := db.readConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		whole, sub, err := readHeads(ctx, db.dialect, conn, tx, frameworkID, period, unitID)
		if err != nil {
			return err
		}
		if q.Whole {
			sub = whole
		}
		out.Registered, out.Subtree = whole.total(), sub.total()
		if q.Above != nil {
			out.Above = whole.below(rankKeyAbove(*q.Above))
		}
		out.AtLeast = make([]int, len(q.Mins))
		for i, m := range q.Mins {
			out.AtLeast[i] = sub.below(rankKeyAbove(m))
		}
		out.UpToCap = out.Subtree
		if q.Quota != nil {
			if at := out.Above + scoring.QuotaCap(q.Quota, out.Registered); at == 0 {
				out.UpToCap = 0
			} else if at < out.Registered {
				out.UpToCap = at
				if !q.Whole {
					if out.UpToCap, err = subtreeUpTo(ctx, tx, frameworkID, period, unitID, whole, sub, at); err != nil {
						return err
					}
				}
			}
		}
		before := 0
		if q.Whole && after != "" {
			if before, err = keysUpTo(ctx, tx, frameworkID, period, whole, after, true); err != nil {
				return err
			}
		}
		return db.pageRows(ctx, tx, frameworkID, period, unitID, q, out, after, before, whole)
	})
	return out, err
}

// pageRows reads the page's rows after the key with their ranks (before:
// the subtree's sheets up to the key). A smaller subtree's rows come with
// the keys of their tie groups before them (pageRowsSQL), their rank the
// sheets of the heads before theirs (the counters) plus those plus one.
func (db FourGood) pageRows(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, unitID int64, q scoring.PageQuery, out *scoring.RankedPage, after string, before int, whole fgHeads) error {
	query, args := pageRowsSQL(frameworkID, period, unitID, q, after)
	var keys []string
	var ahead int
	rows, err := queryAll(ctx, tx, func(rows *sql.Rows) (scoring.RankedRow, error) {
		var r scoring.RankedRow
		var self, review, final int64
		var key string
		dest := []any{&r.SheetID, &r.UnitID, &r.Stage, &self, &review, &final, &key, &r.Unit.Path, &r.Unit.Name, &r.Unit.Code, &r.Unit.Kind, &r.Unit.CellType}
		if !q.Whole {
			dest = append(dest, &ahead)
		}
		err := rows.Scan(dest...)
		r.Totals = scoring.Totals{Self: scoring.Points(self), Review: scoring.Points(review), Final: scoring.Points(final)}
		r.Unit.ID = r.UnitID
		if !q.Whole {
			r.Rank = whole.below(headOf(key)) + ahead + 1
		}
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
	}
	return nil
}

// pageRowsSQL is the statement of a page's rows: limit+1 rows after the
// key in key order with their cells. For the framework's owner (q.Whole)
// the key's index read from the cursor. For a smaller subtree (the unit
// unitID's) the subtree's own key order, fourgood_sheet_scopes (migration
// 0044), read from the cursor: the page's rows and no other (a district's
// 460 sheets were each looked up by unit and sorted for a page of 50),
// each row with the keys of its tie group before it (an index-only range
// of fourgood_sheets_rank from the key's head to the key, run for the
// page's rows only: the page is a subquery with its LIMIT), so that the
// ranks cost the stretches of the tie groups the page touches, not the
// ranking up to it, and no statement of their own. (One window per head
// over a UNION ALL cost PostgreSQL its planning: a district's page
// touches about 50 heads.)
func pageRowsSQL(frameworkID int64, period string, unitID int64, q scoring.PageQuery, after string) (string, argList) {
	args := argList{frameworkID, period}
	if q.Whole {
		cond := `s.framework_id = $1 AND s.period = $2`
		if q.Cursor != "" {
			cond += ` AND s.rank_key > ` + args.add(after)
		}
		return `SELECT s.id, s.unit_id, s.stage, s.self_total, s.review_total, s.final_total, s.rank_key, u.path, u.name, u.code, u.kind, u.cell_type
		FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id WHERE ` + cond + ` ORDER BY s.rank_key LIMIT ` + args.add(q.Limit+1), args
	}
	cond := `k.unit_id = ` + args.add(unitID) + ` AND k.framework_id = $1 AND k.period = $2`
	if q.Cursor != "" {
		cond += ` AND k.rank_key > ` + args.add(after)
	}
	query := `SELECT s.id, s.unit_id, s.stage, s.self_total, s.review_total, s.final_total, k.rank_key, u.path, u.name, u.code, u.kind, u.cell_type
		FROM fourgood_sheet_scopes k JOIN fourgood_sheets s ON s.id = k.sheet_id JOIN units u ON u.id = s.unit_id
		WHERE ` + cond + ` ORDER BY k.rank_key LIMIT ` + args.add(q.Limit+1)
	return `SELECT p.*, (SELECT COUNT(*) FROM fourgood_sheets t WHERE t.framework_id = $1 AND t.period = $2
			AND t.rank_key >= substr(p.rank_key, 1, ` + strconv.Itoa(headLen) + `) AND t.rank_key < p.rank_key)
		FROM (` + query + `) p ORDER BY p.rank_key`, args
}

// numberPage gives the rows of a small subtree's whole answer (in key
// order, keys beside them; numberRanks) their ranks over the framework's
// sheets without reading the keys from the start: a row's rank is the
// sheets of the heads before its key's (the counters), plus the keys of
// its tie group before it (an index range from the head to the key,
// counted per row in one statement whose values are the keys), plus one.
func numberPage(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, whole fgHeads, out *scoring.Ranked, keys []string) error {
	if len(out.Rows) == 0 {
		return nil
	}
	query, args := numberPageSQL(frameworkID, period, keys[:len(out.Rows)])
	found := 0
	err := queryEach(ctx, tx, func(rows *sql.Rows) error {
		var i, ahead int
		if err := rows.Scan(&i, &ahead); err != nil {
			return err
		}
		if i < 0 || i >= len(out.Rows) {
			return fmt.Errorf("four-good ranks: row %d answered outside the page", i)
		}
		out.Rows[i].Rank = whole.below(headOf(keys[i])) + ahead + 1
		found++
		return nil
	}, query, args...)
	if err != nil {
		return err
	}
	if found != len(out.Rows) {
		return fmt.Errorf("four-good ranks: %d of %d rows answered", found, len(out.Rows))
	}
	return nil
}

// numberPageSQL is numberPage's statement for the page's keys: each key's
// number in the page, and the keys of its tie group before it (an
// index-only range of fourgood_sheets_rank per key).
func numberPageSQL(frameworkID int64, period string, keys []string) (string, []any) {
	args := argList{frameworkID, period}
	marks := make([]string, len(keys))
	for i, k := range keys {
		marks[i] = "(" + strconv.Itoa(i) + ", " + args.add(headOf(k)) + ", " + args.add(k) + ")"
	}
	return `WITH k (i, head, rank_key) AS (VALUES ` + strings.Join(marks, ", ") + `)
		SELECT k.i, (SELECT COUNT(*) FROM fourgood_sheets t WHERE t.framework_id = $1 AND t.period = $2
			AND t.rank_key >= k.head AND t.rank_key < k.rank_key)
		FROM k`, args
}
