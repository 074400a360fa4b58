package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// The meeting compliance per subtree and month (migration 0034,
// meeting_subtree_months): each cell's roll-up row (meeting_cell_years)
// counted at the cell and at every ancestor, month by month.

// meetingMonthsSQL is each roll-up row that cond selects (a condition on
// meeting_cell_years y) spread over its twelve months: the cell, year and
// month, whether the month had its regular meeting, whether the month's
// quarter had a thematic meeting in its months up to this one, and the
// meetings, members expected and present.
func meetingMonthsSQL(cond string) string {
	months := make([]string, 12)
	var n, e, p strings.Builder
	for m := 1; m <= 12; m++ {
		months[m-1] = fmt.Sprintf("SELECT %d AS m", m)
		fmt.Fprintf(&n, " WHEN %d THEN y.n%02d", m, m)
		fmt.Fprintf(&e, " WHEN %d THEN y.e%02d", m, m)
		fmt.Fprintf(&p, " WHEN %d THEN y.p%02d", m, m)
	}
	return `SELECT y.unit_id, y.year, mo.m AS month, (y.regular_mask >> (mo.m - 1)) & 1 AS regular,
		CASE WHEN (y.thematic_mask & ((1 << mo.m) - (1 << ((mo.m - 1) / 3 * 3)))) <> 0 THEN 1 ELSE 0 END AS thematic,
		CASE mo.m` + n.String() + ` END AS meetings,
		CASE mo.m` + e.String() + ` END AS expected,
		CASE mo.m` + p.String() + ` END AS present
	FROM meeting_cell_years y CROSS JOIN (` + strings.Join(months, " UNION ALL ") + `) mo` + cond
}

// meetingMonthsRecount counts meeting_subtree_months from scratch: the
// text of migration 0034's backfill.
var meetingMonthsRecount = `SELECT a.id, c.year, c.month, SUM(c.regular), SUM(c.thematic), SUM(c.meetings), SUM(c.expected), SUM(c.present)
FROM units a CROSS JOIN units u CROSS JOIN (` + meetingMonthsSQL("") + `) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.year, c.month`

var meetingMonthColumns = []string{"regular", "thematic", "meetings", "expected", "present"}

// addMeetingMonths adds sign × the months that from selects (a FROM clause
// answering rows c(year, month, regular, thematic, meetings, expected,
// present), placeholders from $2) to the counters of the units ids, in
// one upsert; rows of zeros are not written. args holds from's arguments
// after $1, the sign.
func (tx *Tx) addMeetingMonths(ctx context.Context, ids []int64, sign int, from string, args ...any) error {
	if len(ids) == 0 {
		return nil
	}
	al := argList{sign}
	al = append(al, args...)
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = al.add(id)
	}
	set := make([]string, len(meetingMonthColumns))
	for i, c := range meetingMonthColumns {
		set[i] = c + " = meeting_subtree_months." + c + " + excluded." + c
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO meeting_subtree_months (unit_id, year, month, regular, thematic, meetings, expected, present)
		SELECT a.id, c.year, c.month, $1 * c.regular, $1 * c.thematic, $1 * c.meetings, $1 * c.expected, $1 * c.present
		FROM units a CROSS JOIN `+from+`
		WHERE a.id IN (`+strings.Join(marks, ", ")+`) AND (c.regular <> 0 OR c.thematic <> 0 OR c.meetings <> 0 OR c.expected <> 0 OR c.present <> 0)
		ON CONFLICT (unit_id, year, month) DO UPDATE SET `+strings.Join(set, ", "), al...)
	return err
}

// countCellYear adds sign × a cell's roll-up row of a year (none: nothing)
// to the counters of the cell and of every ancestor: -1 before the row is
// rewritten, +1 after (rollUpCell).
func (tx *Tx) countCellYear(ctx context.Context, unitID int64, year int, sign int) error {
	var path string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, unitID).Scan(&path); err != nil {
		return fmt.Errorf("meeting counters of unit %d: %w", unitID, err)
	}
	return tx.addMeetingMonths(ctx, auth.PathIDs(path), sign, `(`+meetingMonthsSQL(` WHERE y.unit_id = $2 AND y.year = $3`)+`) c`, unitID, year)
}

// moveMeetingCounts carries the counters of a unit moved in the tree (the
// last id of newPath; its subtree's totals are its own rows) from the
// ancestors it no longer has to those it gains. Called by moveSubtree
// after the paths are rewritten.
func (tx *Tx) moveMeetingCounts(ctx context.Context, oldPath, newPath string) error {
	olds, news := auth.PathIDs(oldPath), auth.PathIDs(newPath)
	if len(news) == 0 {
		return nil
	}
	id := news[len(news)-1]
	var lost, gained []int64
	for _, a := range olds {
		if !slices.Contains(news, a) {
			lost = append(lost, a)
		}
	}
	for _, a := range news {
		if !slices.Contains(olds, a) {
			gained = append(gained, a)
		}
	}
	from := `(SELECT year, month, regular, thematic, meetings, expected, present FROM meeting_subtree_months WHERE unit_id = $2) c`
	if err := tx.addMeetingMonths(ctx, lost, -1, from, id); err != nil {
		return err
	}
	return tx.addMeetingMonths(ctx, gained, 1, from, id)
}

// SubtreeMonths reads the compliance counters of the unit at path and of
// its children live in the months from..to ("YYYY-MM", one year), each
// with the cells of its subtree live in the months: the unit first, then
// the children by path. The cells are the live ones
// (subtree_unit_counts), less those created after the months, plus those
// dissolved in or after them (two small index ranges:
// units_cells_from, units_cells_dissolved).
func (s Meetings) SubtreeMonths(ctx context.Context, unitID int64, from, to string) ([]meeting.SubtreeYear, error) {
	year, err := strconv.Atoi(from[:4])
	if err != nil {
		return nil, err
	}
	first, last := from+"-01", to+"-31"
	var out []meeting.SubtreeYear
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		out, err = queryAll(ctx, tx, func(rows *sql.Rows) (meeting.SubtreeYear, error) {
			var u meeting.SubtreeYear
			return u, rows.Scan(&u.UnitID, &u.Name, &u.Kind, &u.Path, &u.Cells)
		}, `SELECT u.id, u.name, u.kind, u.path, COALESCE((SELECT SUM(n) FROM subtree_unit_counts c WHERE c.unit_id = u.id AND c.kind = 'cell'), 0)
			FROM units u WHERE (u.id = $1 OR u.parent_id = $1) AND u.valid_from <= $2 AND (u.dissolved_on IS NULL OR u.dissolved_on >= $3)
			ORDER BY CASE WHEN u.id = $1 THEN 0 ELSE 1 END, u.path`, unitID, last, first)
		if err != nil || len(out) == 0 || out[0].UnitID != unitID {
			return err
		}
		at := make(map[int64]int, len(out))
		for i := range out {
			at[out[i].UnitID] = i
		}
		top := out[0].Path
		// The cells that differ from the live ones: each counts at the unit
		// and at the child above it.
		err := queryEach(ctx, tx, func(rows *sql.Rows) error {
			var path string
			var d int
			if err := rows.Scan(&path, &d); err != nil {
				return err
			}
			out[0].Cells += d
			ids := auth.PathIDs(path)
			if depth := len(auth.PathIDs(top)); depth < len(ids) {
				if i, ok := at[ids[depth]]; ok && i > 0 {
					out[i].Cells += d
				}
			}
			return nil
		}, `SELECT path, -1 FROM units WHERE kind = 'cell' AND dissolved_on IS NULL AND valid_from > $1 AND path >= $2 AND path < $3
			UNION ALL SELECT path, 1 FROM units WHERE kind = 'cell' AND dissolved_on IS NOT NULL AND dissolved_on >= $4 AND valid_from <= $1 AND path >= $2 AND path < $3`,
			last, top, prefixEnd(top), first)
		if err != nil {
			return err
		}
		al := argList{year}
		marks := make([]string, len(out))
		for i := range out {
			marks[i] = al.add(out[i].UnitID)
		}
		return queryEach(ctx, tx, func(rows *sql.Rows) error {
			var id int64
			var m, reg, th, n, e, p int
			if err := rows.Scan(&id, &m, &reg, &th, &n, &e, &p); err != nil {
				return err
			}
			if m < 1 || m > 12 {
				return fmt.Errorf("meeting counters of unit %d: month %d", id, m)
			}
			u := &out[at[id]]
			u.Regular[m-1], u.Thematic[m-1], u.Meetings[m-1], u.Expected[m-1], u.Present[m-1] = reg, th, n, e, p
			return nil
		}, `SELECT unit_id, month, regular, thematic, meetings, expected, present FROM meeting_subtree_months
			WHERE year = $1 AND unit_id IN (`+strings.Join(marks, ", ")+`)`, al...)
	})
	return out, err
}
