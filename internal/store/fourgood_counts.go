package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// headLen is the length of a rank key's head: 10^18 minus the counted
// total in 19 digits (migration 0031). Keys of one head are a tie group of
// the totals; fourgood_counts (migration 0038) counts the sheets by head.
const headLen = 19

// headOf is the head of a rank key (the key itself when shorter).
func headOf(key string) string {
	return key[:min(len(key), headLen)]
}

// fgHead is one row of fourgood_counts: the sheets of a head, and those
// of the heads before it (of its framework, period and unit).
type fgHead struct {
	head   string
	n      int
	before int
}

// fgHeads are the rows of one framework, period and subtree, in head
// order (readHeads: bytewise, PostgreSQL's "C" collation and SQLite's
// BINARY, as Go compares strings), each with the sheets before it, so
// that the count before a key is a binary search: a district's page asks
// it for each of its rows, over ~600 heads of the framework.
type fgHeads []fgHead

// total is every sheet counted.
func (hs fgHeads) total() int {
	if len(hs) == 0 {
		return 0
	}
	last := hs[len(hs)-1]
	return last.before + last.n
}

// search is the index of the first head not before head.
func (hs fgHeads) search(head string) int {
	return sort.Search(len(hs), func(i int) bool { return hs[i].head >= head })
}

// below counts the sheets whose head sorts before the head (every key of
// theirs sorts before any key starting with it).
func (hs fgHeads) below(head string) int {
	if i := hs.search(head); i < len(hs) {
		return hs[i].before
	}
	return hs.total()
}

// at is the sheets of the head.
func (hs fgHeads) at(head string) int {
	if i := hs.search(head); i < len(hs) && hs[i].head == head {
		return hs[i].n
	}
	return 0
}

// readHeads reads the counters of the framework and period at unit 0 (the
// framework whole) and, when unitID is not 0, at the subtree of unitID:
// one statement, at most a row per distinct counted total and unit (a
// district of the city: ~1,000). Read through rawEach on tx's connection
// conn, the heads' bytes gathered into one string (two allocations for
// the rows, not ten a row).
func readHeads(ctx context.Context, d dialect, conn *sql.Conn, tx *sql.Tx, frameworkID int64, period string, unitID int64) (whole, sub fgHeads, err error) {
	var buf []byte
	var units []int64
	var counts, ends []int
	err = rawEach(ctx, d, conn, tx, "isi", func(r *rawRow) error {
		units = append(units, r.Ints[0])
		counts = append(counts, int(r.Ints[2]))
		buf = append(buf, r.Bytes[1]...)
		ends = append(ends, len(buf))
		return nil
	}, headsSQL, frameworkID, period, unitID)
	if err != nil {
		return nil, nil, err
	}
	all, at, prev := string(buf), 0, ""
	for i, u := range units {
		h := fgHead{head: all[at:ends[i]], n: counts[i]}
		if i > 0 && u == units[i-1] && h.head <= prev {
			return nil, nil, fmt.Errorf("four-good counters: head %q read after %q (the binary searches need their order)", h.head, prev)
		}
		at, prev = ends[i], h.head
		if u == 0 {
			h.before = whole.total()
			whole = append(whole, h)
		} else {
			h.before = sub.total()
			sub = append(sub, h)
		}
	}
	return whole, sub, nil
}

// headsSQL reads the counters of readHeads: on PostgreSQL an index-only
// scan of fourgood_counts_cover (migration 0043), on SQLite a range of the
// table's own key (WITHOUT ROWID).
const headsSQL = `SELECT unit_id, head, sheets FROM fourgood_counts WHERE framework_id = $1 AND period = $2 AND unit_id IN (0, $3) AND sheets <> 0
		ORDER BY unit_id, head`

// keysUpTo counts the framework's sheets with a key up to key (inclusive:
// through it; else before it): those of the heads before its head from the
// counters, the rest an index range within its tie group.
func keysUpTo(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, whole fgHeads, key string, inclusive bool) (int, error) {
	head := headOf(key)
	n := whole.below(head)
	if whole.at(head) == 0 {
		return n, nil
	}
	op := "<"
	if inclusive {
		op = "<="
	}
	var in int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM fourgood_sheets WHERE framework_id = $1 AND period = $2 AND rank_key >= $3 AND rank_key `+op+` $4`,
		frameworkID, period, head, key).Scan(&in)
	return n + in, err
}

// capGroup finds the tie group of the key ranked at (1-based, within the
// registered) from the counters: its head and the key's offset in it.
func capGroup(whole fgHeads, at int) (head string, offset int, err error) {
	seen := 0
	for _, h := range whole {
		if at <= seen+h.n {
			return h.head, at - 1 - seen, nil
		}
		seen += h.n
	}
	return "", 0, fmt.Errorf("four-good ranks: rank %d past the %d sheets counted", at, seen)
}

// subtreeUpTo counts the subtree's sheets (the unit unitID's) ranked no
// lower than the key ranked at (1-based, within the registered): those of
// the heads before its head from the subtree's counters, and, when the
// subtree holds sheets of its tie group, those of the group up to it (the
// key found within the group and the subtree's keys of the group up to it
// in one statement; nothing read when the subtree holds none of the
// group).
func subtreeUpTo(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, unitID int64, whole, sub fgHeads, at int) (int, error) {
	head, offset, err := capGroup(whole, at)
	if err != nil {
		return 0, err
	}
	n := sub.below(head)
	if sub.at(head) == 0 {
		return n, nil
	}
	var in int
	err = tx.QueryRowContext(ctx, subtreeUpToSQL(offset), frameworkID, period, head, unitID).Scan(&in)
	return n + in, err
}

// subtreeUpToSQL counts the subtree's sheets ($4: its unit) of a tie group
// (its head $3) up to the group's key at offset: the group's keys from the
// rank index, the subtree's from its own key order (fourgood_sheet_scopes,
// migration 0044), both ranges within the group.
func subtreeUpToSQL(offset int) string {
	return `SELECT COUNT(*) FROM fourgood_sheet_scopes k
		WHERE k.unit_id = $4 AND k.framework_id = $1 AND k.period = $2 AND k.rank_key >= $3 AND k.rank_key <= (SELECT rank_key FROM fourgood_sheets
			WHERE framework_id = $1 AND period = $2 AND rank_key >= $3 ORDER BY rank_key LIMIT 1 OFFSET ` + strconv.Itoa(offset) + `)`
}

// pathUnit is the id of the unit a path ends with.
func pathUnit(path string) (int64, error) {
	p := strings.TrimSuffix(path, "/")
	return strconv.ParseInt(p[strings.LastIndexByte(p, '/')+1:], 10, 64)
}
