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
// about a thousand rows of the unit asked for, whatever the subtree's
// size, and no member row. The statistics of a past day read the dated
// counters of migration 0035 (statsPast, pastcounts.go) for a subtree of
// depth 0 or 1, and walk the tree's history and the subtree's members
// (statsScan) below that: a commune's cost.
func (db Units) Stats(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error) {
	if current {
		return db.statsFromCounters(ctx, path, asOf, boundaryDays)
	}
	return db.statsPast(ctx, path, asOf)
}

// statsScan counts a subtree from its units and members: a range scan on
// the path, then members by unit. It is the oracle today's counters and
// the past day's (statsPast) are tested against, and the statistics of a
// past day of a subtree deeper than the dated counters.
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
		err := queryEach(ctx, q, func(rows *sql.Rows) error {
			var kind, cellType string
			var n int
			if err := rows.Scan(&kind, &cellType, &n); err != nil {
				return err
			}
			addUnitFigures(st, kind, cellType, n)
			return nil
		}, unitsQ, args...)
		if err != nil {
			return fmt.Errorf("unit stats: %w", err)
		}
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
		err = queryEach(ctx, q, func(rows *sql.Rows) error {
			var s, g, b string
			var n int
			if err := rows.Scan(&s, &g, &b, &n); err != nil {
				return err
			}
			if s != "none" {
				addMemberFigures(st, s, g, b, n)
			}
			return nil
		}, `SELECT `+status+`, m.gender, `+band+`, COUNT(*) FROM `+from+` GROUP BY 1, 2, 3`, margs...)
		if err != nil {
			return fmt.Errorf("member stats: %w", err)
		}
		return nil
	})
	return st, err
}

// addUnitFigures adds n units of kind and cell type (cells only) to st.
func addUnitFigures(st *org.Stats, kind, cellType string, n int) {
	st.Units.Total += n
	st.Units.ByKind[kind] += n
	if cellType != "" {
		st.Units.ByCellType[cellType] += n
	}
}

// addMemberFigures adds n members of status s, gender g and age band b to
// st (gender and band count the active ones only).
func addMemberFigures(st *org.Stats, s, g, b string, n int) {
	st.Members.ByStatus[s] += n
	if member.Status(s).Active() {
		st.Members.Total += n
		st.Members.ByGender[g] += n
		st.Members.ByAgeBand[b] += n
	}
}

// boundaryMethod is how statsFromCounters counts the members born in an
// age band's boundary month after the boundary's day.
type boundaryMethod int

const (
	// boundaryDays reads the unit's rows of subtree_birth_day_counts
	// (migration 0030): at most 31 rows per bound, whatever the subtree.
	// The statistics of today use it.
	boundaryDays boundaryMethod = iota
	// boundaryByUnit counts member rows by the subtree's units (the
	// method of 0025 for small subtrees): its cost follows the subtree.
	boundaryByUnit
	// boundaryByBirth counts member rows born in the boundary months
	// across the whole tree (index members_birth_date), kept if in the
	// subtree (0025's method for large subtrees): its cost follows the
	// tree's births. The last two stay as the tests' second opinions.
	boundaryByBirth
)

// statsFromCounters counts the subtree at path on day asOf (today) from
// the per-subtree counters of its top unit (migrations 0025 and 0030):
// live units by kind and cell type, members by status and gender, active
// members by month of birth, and, for each age band's bound (born after
// asOf minus so many years, a day), the active members born in the
// bound's month after the bound's day; the months before and after it
// come whole from the month counters. With boundaryDays that is one
// statement over rows of the unit asked for (one snapshot by itself;
// without parallel workers on PostgreSQL);
// with the row methods two statements in one read transaction (repeatable
// read on PostgreSQL).
func (db Units) statsFromCounters(ctx context.Context, path string, asOf date.Date, method boundaryMethod) (*org.Stats, error) {
	st := org.NewStats()
	births := map[string]int{}
	cuts := ageBandCuts(asOf)
	inCut := make([]int, len(cuts))
	top := pathUnitID(path)
	err := db.readHeavy(ctx, func(q Querier) error {
		if method == boundaryDays {
			if db.dialect == postgresDialect {
				// About a thousand primary-key rows: PostgreSQL plans them
				// as a parallel append (the month rows of a large unit are
				// scattered over as many heap pages), and starting two
				// workers costs more than the read, several times more on
				// a loaded machine (docs/benchmarks.md, session 7).
				if _, err := q.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
					return err
				}
			}
			return addSubtreeCounters(ctx, q, top, cuts, st, births, inCut)
		}
		// readHeavy's transaction is one snapshot on both engines (readOn).
		if err := addSubtreeCounters(ctx, q, top, nil, st, births, nil); err != nil {
			return err
		}
		return countBoundaryMonths(ctx, q, path, cuts, births, inCut, method == boundaryByBirth)
	})
	if err != nil {
		return nil, err
	}
	setAgeBands(st, cuts, inCut, births)
	return st, nil
}

// ageBandCuts returns the age bands' bounds on asOf: born after cuts[i]
// is younger than bands[i].To+1 years.
func ageBandCuts(asOf date.Date) []date.Date {
	bands := org.AgeBands
	cuts := make([]date.Date, len(bands)-1)
	for i, b := range bands[:len(bands)-1] {
		cuts[i] = asOf.AddYears(-(b.To + 1))
	}
	return cuts
}

// monthAfter is the first day of the month after d's.
func monthAfter(d date.Date) date.Date {
	return date.New(d.Year, d.Month, 1).AddMonths(1)
}

// addSubtreeCounters adds the counter rows of the unit top to st (units by
// kind and cell type, members by status and gender) and to births (active
// members by month of birth, "" unknown), in one statement; with cuts, it
// also sets inCut[i], the active members born in cuts[i]'s month after its
// day, from the unit's rows of subtree_birth_day_counts.
func addSubtreeCounters(ctx context.Context, q Querier, top int64, cuts []date.Date, st *org.Stats, births map[string]int, inCut []int) error {
	args := argList{top}
	query := `SELECT 'u', kind, cell_type, n FROM subtree_unit_counts WHERE unit_id = $1 AND n <> 0
		UNION ALL SELECT 'm', status, gender, n FROM subtree_member_counts WHERE unit_id = $1 AND n <> 0
		UNION ALL SELECT 'b', birth_month, '', n FROM subtree_birth_counts WHERE unit_id = $1 AND n <> 0`
	for i, c := range cuts {
		query += ` UNION ALL SELECT 'c', '` + strconv.Itoa(i) + `', '', CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM subtree_birth_day_counts
			WHERE unit_id = $1 AND birth_date > ` + args.add(c.String()) + ` AND birth_date < ` + args.add(monthAfter(c).String())
	}
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		var tag, k1, k2 string
		var n int
		if err := rows.Scan(&tag, &k1, &k2, &n); err != nil {
			return err
		}
		switch tag {
		case "u":
			addUnitFigures(st, k1, k2, n)
		case "m":
			st.Members.ByStatus[k1] += n
			if member.Status(k1).Active() {
				st.Members.Total += n
				st.Members.ByGender[k2] += n
			}
		case "b":
			births[k1] += n
		case "c":
			i, err := strconv.Atoi(k1)
			if err != nil || i < 0 || i >= len(inCut) {
				return fmt.Errorf("bound %q", k1)
			}
			inCut[i] = n
		}
		return nil
	}, query, args...)
	if err != nil {
		return fmt.Errorf("unit stats: %w", err)
	}
	return nil
}

// countBoundaryMonths sets inCut[i] to the active members of the subtree
// at path born in cuts[i]'s month after its day, counted from member rows:
// by birth date (index members_birth_date, each one's unit looked up by
// key) when byBirth, else by the subtree's units. A cut whose month has no
// births is not read.
func countBoundaryMonths(ctx context.Context, q Querier, path string, cuts []date.Date, births map[string]int, inCut []int, byBirth bool) error {
	var args argList
	p, pe := args.add(path), args.add(prefixEnd(path))
	var parts []string
	for i, cut := range cuts {
		if births[cut.String()[:7]] == 0 {
			continue
		}
		born := `m.birth_date > ` + args.add(cut.String()) + ` AND m.birth_date < ` + args.add(monthAfter(cut).String()) + ` AND m.status IN ('probationary', 'full', 'exempt')`
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
		return nil
	}
	rows, err := q.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return fmt.Errorf("unit stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		inCut[i] = n
	}
	return rows.Err()
}

// setAgeBands fills st's age bands: younger[i], the active members born
// after cuts[i], is the whole months after the cut's month (counters) plus
// those of its month counted from rows (inCut).
func setAgeBands(st *org.Stats, cuts []date.Date, inCut []int, births map[string]int) {
	bands := org.AgeBands
	known := 0
	younger := append([]int(nil), inCut...)
	for month, n := range births {
		if month == "" {
			continue
		}
		known += n
		for i, c := range cuts {
			if month > c.String()[:7] {
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
