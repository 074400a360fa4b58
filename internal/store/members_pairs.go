package store

import (
	"strconv"
	"strings"
)

// A name query of two words or more ("van nguyen") matches the names in
// which a word ending with its first word is followed by its middle words
// and by a word starting with its last one. When every trigram of such a
// query is common but the words rarely meet, the trigram index reads long
// lists (20–38 ms of CPU in the city, docs/benchmarks.md). Migration 0042
// indexes each name's word boundaries instead: the last three characters
// of a word, a space, the first three of the next (pairToken). A boundary
// of the query whose both sides are known to three characters (or to the
// whole word) is one key of that index, and the names under it are the
// candidates (checked again with LIKE, as the trigram's).

// pairSide is how many characters of each word a boundary key holds.
const pairSide = 3

// pairWords is how many words of a name the PostgreSQL index's
// expression reads (its first pairWords-1 boundaries); a longer name is
// under the key pairLong.
const pairWords = 8

// pairLong is the key of the names longer than pairWords words, whose
// later boundaries the PostgreSQL index does not hold (a boundary key
// always holds a space, so it is no name's boundary).
const pairLong = "~"

// pairToken is the boundary key a name holding the folded query q must
// have, "" when q has none to use: fewer than two words, an empty word
// (two spaces, a space at an end), or the first and last words shorter
// than pairSide where they are the only ones (their word in the name may
// be longer: only its end, or its start, is known).
func pairToken(q string) string {
	words := strings.Split(q, " ")
	if len(words) < 2 {
		return ""
	}
	for _, w := range words {
		if w == "" {
			return ""
		}
	}
	for i := 0; i+1 < len(words); i++ {
		a, b := []rune(words[i]), []rune(words[i+1])
		if i == 0 && len(a) < pairSide || i+2 == len(words) && len(b) < pairSide {
			continue
		}
		return string(a[max(0, len(a)-pairSide):]) + " " + string(b[:min(len(b), pairSide)])
	}
	return ""
}

// pairsExpr is the expression of the PostgreSQL index members_name_pairs
// (migration 0042) on the column col: the boundary keys of the name's
// first pairWords words, and pairLong for a longer name (else the empty string). The
// SQLite table member_pairs holds every boundary.
func pairsExpr(col string) string {
	var parts []string
	for i := 1; i < pairWords; i++ {
		parts = append(parts, `right(split_part(`+col+`, ' ', `+strconv.Itoa(i)+`), 3) || ' ' || left(split_part(`+col+`, ' ', `+strconv.Itoa(i+1)+`), 3)`)
	}
	parts = append(parts, `CASE WHEN length(`+col+`) - length(replace(`+col+`, ' ', '')) >= `+strconv.Itoa(pairWords)+` THEN '`+pairLong+`' ELSE '' END`)
	return `(ARRAY[` + strings.Join(parts, ", ") + `])`
}
