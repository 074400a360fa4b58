package store

import (
	"context"
	"fmt"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// Stats counts a subtree today (current) or on a past day. Both forms cost
// what the subtree costs: a range scan on the path, then members by unit.
func (db Units) Stats(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error) {
	st := org.NewStats()
	var args argList
	var unitsQ, from, status string
	if current {
		unitsQ = `SELECT kind, cell_type, COUNT(*) FROM units WHERE path >= ` + args.add(path) + ` AND path < ` + args.add(prefixEnd(path)) +
			` AND dissolved_on IS NULL GROUP BY kind, cell_type`
	} else {
		unitsQ = `SELECT h.kind, u.cell_type, COUNT(*) FROM unit_history h JOIN units u ON u.id = h.unit_id WHERE h.path >= ` + args.add(path) +
			` AND h.path < ` + args.add(prefixEnd(path)) + ` AND h.valid_from <= ` + args.add(asOf) +
			` AND (h.valid_to IS NULL OR h.valid_to > ` + args.add(asOf) + `) GROUP BY h.kind, u.cell_type`
	}
	err := db.readHeavy(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, unitsQ, args...)
		if err != nil {
			return fmt.Errorf("unit stats: %w", err)
		}
		for rows.Next() {
			var kind, cellType string
			var n int
			if err := rows.Scan(&kind, &cellType, &n); err != nil {
				rows.Close()
				return err
			}
			st.Units.Total += n
			st.Units.ByKind[kind] += n
			if cellType != "" {
				st.Units.ByCellType[cellType] += n
			}
		}
		rows.Close()
		var margs argList
		if current {
			from = `members m JOIN units u ON u.id = m.unit_id AND u.path >= ` + margs.add(path) + ` AND u.path < ` + margs.add(prefixEnd(path))
			status = "m.status"
		} else {
			from, status = asOfMembers(&margs, path, asOf)
		}
		band := `CASE WHEN m.birth_date IS NULL THEN 'unknown'`
		for _, b := range org.AgeBands[:len(org.AgeBands)-1] {
			// Younger than b.To+1 years on asOf: born after asOf minus b.To+1 years.
			band += ` WHEN m.birth_date > ` + margs.add(asOf.AddYears(-(b.To + 1))) + ` THEN '` + b.Name + `'`
		}
		band += ` ELSE '` + org.AgeBands[len(org.AgeBands)-1].Name + `' END`
		rows, err = q.QueryContext(ctx, `SELECT `+status+`, m.gender, `+band+`, COUNT(*) FROM `+from+` GROUP BY 1, 2, 3`, margs...)
		if err != nil {
			return fmt.Errorf("member stats: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s, g, b string
			var n int
			if err := rows.Scan(&s, &g, &b, &n); err != nil {
				return err
			}
			if s == "none" {
				continue
			}
			st.Members.ByStatus[s] += n
			if member.Status(s).Active() {
				st.Members.Total += n
				st.Members.ByGender[g] += n
				st.Members.ByAgeBand[b] += n
			}
		}
		return rows.Err()
	})
	return st, err
}
