package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// Stats counts a subtree today (current) or on a past day. Today's
// statistics are read from the per-subtree counters (statsFromCounters):
// a few rows of the unit asked for, whatever the subtree's size. The
// statistics of a past day walk the tree's history and the subtree's
// members (statsScan): their cost follows the subtree.
func (db Units) Stats(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error) {
	if current {
		return db.statsFromCounters(ctx, path, asOf, statsBoundaryRowsBelow)
	}
	return db.statsScan(ctx, path, asOf, current)
}

// statsScan counts a subtree from its units and members: a range scan on
// the path, then members by unit. It is the statistics of a past day, and
// the oracle today's counters are tested against.
func (db Units) statsScan(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error) {
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

// statsBoundaryRowsBelow: a subtree with fewer active members than this
// counts its members born in the bands' boundary months from its own
// members (units by path, then members by unit); a larger one from the
// members born in those months (index members_birth_date), kept if in the
// subtree. The first costs the subtree's members, the second the city's
// births of five months, about a thousand rows on the city dataset.
const statsBoundaryRowsBelow = 5000

// statsFromCounters counts the subtree at path on day asOf (today) from
// the per-subtree counters of its top unit (migration 0025): live units by
// kind and cell type, members by status and gender, active members by
// month of birth. An age band's bounds are days (born after asOf minus so
// many years), so the members born in a bound's own month are counted
// exactly from their rows; the months before and after it come whole from
// the counters. Both statements read one snapshot (a read transaction;
// repeatable read on PostgreSQL). byBirthFrom is the subtree size from
// which the boundary months are found by birth date rather than by unit
// (statsBoundaryRowsBelow; the tests try both).
func (db Units) statsFromCounters(ctx context.Context, path string, asOf date.Date, byBirthFrom int) (*org.Stats, error) {
	st := org.NewStats()
	births := map[string]int{}
	var cuts []string
	var inCut []int
	err := db.readHeavy(ctx, func(q Querier) error {
		if p, ok := q.(*sql.DB); ok { // SQLite: one read transaction, one snapshot
			tx, err := p.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			q = tx
		} else if _, err := q.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
			return err
		}
		if err := addSubtreeCounters(ctx, q, pathUnitID(path), st, births); err != nil {
			return err
		}
		byBirth := st.Members.Total >= byBirthFrom
		if db.dialect == postgresDialect && byBirthFrom > 0 {
			// PostgreSQL plans the subtree's join well; by birth date it
			// pays about 130 ms of CPU (docs/benchmarks.md): only above a
			// district's size.
			byBirth = st.Members.Total >= 10*byBirthFrom
		}
		var err error
		cuts, inCut, err = countBoundaryMonths(ctx, q, path, asOf, births, byBirth)
		return err
	})
	if err != nil {
		return nil, err
	}
	setAgeBands(st, cuts, inCut, births)
	return st, nil
}

// addSubtreeCounters adds the counter rows of the unit top to st (units by
// kind and cell type, members by status and gender) and to births (active
// members by month of birth, "" unknown).
func addSubtreeCounters(ctx context.Context, q Querier, top int64, st *org.Stats, births map[string]int) error {
	rows, err := q.QueryContext(ctx, `SELECT 'u', kind, cell_type, n FROM subtree_unit_counts WHERE unit_id = $1 AND n <> 0
		UNION ALL SELECT 'm', status, gender, n FROM subtree_member_counts WHERE unit_id = $1 AND n <> 0
		UNION ALL SELECT 'b', birth_month, '', n FROM subtree_birth_counts WHERE unit_id = $1 AND n <> 0`, top)
	if err != nil {
		return fmt.Errorf("unit stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tag, k1, k2 string
		var n int
		if err := rows.Scan(&tag, &k1, &k2, &n); err != nil {
			return err
		}
		switch tag {
		case "u":
			st.Units.Total += n
			st.Units.ByKind[k1] += n
			if k2 != "" {
				st.Units.ByCellType[k2] += n
			}
		case "m":
			st.Members.ByStatus[k1] += n
			if member.Status(k1).Active() {
				st.Members.Total += n
				st.Members.ByGender[k2] += n
			}
		case "b":
			births[k1] += n
		}
	}
	return rows.Err()
}

// countBoundaryMonths returns the age bands' cuts (born after cuts[i]:
// younger than bands[i].To+1 years on asOf) and, for each, the active
// members of the subtree at path born in the cut's month after the cut's
// day, counted from member rows: by birth date (index members_birth_date,
// each one's unit looked up by key) when byBirth, else by the subtree's
// units. A cut whose month has no births is not read.
func countBoundaryMonths(ctx context.Context, q Querier, path string, asOf date.Date, births map[string]int, byBirth bool) ([]string, []int, error) {
	bands := org.AgeBands
	cuts := make([]string, len(bands)-1)
	inCut := make([]int, len(cuts))
	var args argList
	p, pe := args.add(path), args.add(prefixEnd(path))
	var parts []string
	for i, b := range bands[:len(bands)-1] {
		cut := asOf.AddYears(-(b.To + 1))
		cuts[i] = cut.String()
		if births[cuts[i][:7]] == 0 {
			continue
		}
		next := date.New(cut.Year, cut.Month, 1).AddMonths(1)
		born := `m.birth_date > ` + args.add(cuts[i]) + ` AND m.birth_date < ` + args.add(next.String()) + ` AND m.status IN ('probationary', 'full', 'exempt')`
		if byBirth {
			// Neither engine is to join the month's births to the whole
			// subtree's units.
			parts = append(parts, `SELECT `+strconv.Itoa(i)+`, COUNT(*) FROM (SELECT (SELECT u.path FROM units u WHERE u.id = m.unit_id) AS up
				FROM members m WHERE `+born+`) x WHERE x.up >= `+p+` AND x.up < `+pe)
		} else {
			parts = append(parts, `SELECT `+strconv.Itoa(i)+`, COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
				WHERE `+born+` AND u.path >= `+p+` AND u.path < `+pe)
		}
	}
	if len(parts) == 0 {
		return cuts, inCut, nil
	}
	rows, err := q.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("unit stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return nil, nil, err
		}
		inCut[i] = n
	}
	return cuts, inCut, rows.Err()
}

// setAgeBands fills st's age bands: younger[i], the active members born
// after cuts[i], is the whole months after the cut's month (counters) plus
// those of its month counted from rows (inCut).
func setAgeBands(st *org.Stats, cuts []string, inCut []int, births map[string]int) {
	bands := org.AgeBands
	known := 0
	younger := append([]int(nil), inCut...)
	for month, n := range births {
		if month == "" {
			continue
		}
		known += n
		for i, c := range cuts {
			if month > c[:7] {
				younger[i] += n
			}
		}
	}
	set := func(band string, n int) {
		if n != 0 {
			st.Members.ByAgeBand[band] = n
		}
	}
	set("unknown", births[""])
	prev := 0
	for i, b := range bands[:len(bands)-1] {
		set(b.Name, younger[i]-prev)
		prev = younger[i]
	}
	set(bands[len(bands)-1].Name, known-prev)
}
