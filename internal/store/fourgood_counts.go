package store

import (
	"context"
	"database/sql"
	"fmt"
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

// fgHead is one row of fourgood_counts: the sheets of a head.
type fgHead struct {
	head string
	n    int
}

// fgHeads are the rows of one framework, period and subtree, by head.
type fgHeads []fgHead

// total is every sheet counted.
func (hs fgHeads) total() int {
	n := 0
	for _, h := range hs {
		n += h.n
	}
	return n
}

// below counts the sheets whose head sorts before the head (every key of
// theirs sorts before any key starting with it).
func (hs fgHeads) below(head string) int {
	n := 0
	for _, h := range hs {
		if h.head < head {
			n += h.n
		}
	}
	return n
}

// at is the sheets of the head.
func (hs fgHeads) at(head string) int {
	for _, h := range hs {
		if h.head == head {
			return h.n
		}
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
	all, at := string(buf), 0
	for i, u := range units {
		h := fgHead{head: all[at:ends[i]], n: counts[i]}
		at = ends[i]
		if u == 0 {
			whole = append(whole, h)
		} else {
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

// subtreeUpTo counts the subtree's sheets ranked no lower than the key
// ranked at (1-based, within the registered): those of the heads before
// its head from the subtree's counters, and, when the subtree holds sheets
// of its tie group, those of the group up to it (the key found within the
// group and the group's keys up to it in one statement; nothing read when
// the subtree holds none of the group).
func subtreeUpTo(ctx context.Context, tx *sql.Tx, frameworkID int64, period, path string, whole, sub fgHeads, at int) (int, error) {
	head, offset, err := capGroup(whole, at)
	if err != nil {
		return 0, err
	}
	n := sub.below(head)
	if sub.at(head) == 0 {
		return n, nil
	}
	var in int
	err = tx.QueryRowContext(ctx, subtreeUpToSQL(offset), frameworkID, period, head, path, prefixEnd(path)).Scan(&in)
	return n + in, err
}

// subtreeUpToSQL counts the subtree's sheets ($4, $5: its paths) of a tie
// group (its head $3) up to the group's key at offset: both ranges of
// fourgood_sheets_rank within the group.
func subtreeUpToSQL(offset int) string {
	return `SELECT COUNT(*) FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id
		WHERE s.framework_id = $1 AND s.period = $2 AND s.rank_key >= $3 AND s.rank_key <= (SELECT rank_key FROM fourgood_sheets
			WHERE framework_id = $1 AND period = $2 AND rank_key >= $3 ORDER BY rank_key LIMIT 1 OFFSET ` + strconv.Itoa(offset) + `) AND u.path >= $4 AND u.path < $5`
}

// pathUnit is the id of the unit a path ends with.
func pathUnit(path string) (int64, error) {
	p := strings.TrimSuffix(path, "/")
	return strconv.ParseInt(p[strings.LastIndexByte(p, '/')+1:], 10, 64)
}
