package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
)

// The unified search's words met in member_keys (r24-names, issue 17).
// A word without a space is found in a name exactly when one of the
// name's words holds it, and member_keys has a row for each word of each
// name under its unit's path; so the members of the subtree whose names
// hold every word are those met in the rows of every word's keys (the
// vocabulary's words that hold it). "nghi quyet" for the city: "quyet"
// has 1,270 rows, too many names to read and check (Checked), and "nghi"
// 3,390 (nghi, nghia, nghiem); the two sets read from the index alone
// and joined on the member find the 3 members, where the walk of 5,000
// names and the trigram index's AND cost 4.2–5.5 ms of CPU.

// wordKeys are the vocabulary's words that hold one of the query's words,
// and their rows in the whole tree when it was written (a hint).
type wordKeys struct {
	keys []string
	rows int64
}

// meetKeys are the first Limit+1 members, in name order, of the subtree
// whose names hold every word, read from member_keys when every word has
// its keys in vocab with at most Meet rows (the hint) and the subtree at
// most Meet rows of each (counted in the statement): ok is false
// otherwise, and the search goes on as before.
func (t termsSearch) meetKeys(ctx context.Context, q Querier, vocab map[string]wordKeys) (keys []searchKey, ok bool, err error) {
	words := slices.Compact(slices.Sorted(slices.Values(t.terms)))
	if len(words) < 2 || t.lim.Meet <= 0 {
		return nil, false, nil
	}
	sets := make([]wordKeys, 0, len(words))
	for _, w := range words {
		v, ok := vocab[w]
		if !ok || v.rows > int64(t.lim.Meet) {
			return nil, false, nil
		}
		sets = append(sets, v)
	}
	// The rarest word's rows first: the others are looked up from them.
	slices.SortStableFunc(sets, func(a, b wordKeys) int { return int(a.rows - b.rows) })
	many := false
	keys = []searchKey{}
	err = queryEach(ctx, q, func(rows *sql.Rows) error {
		var k searchKey
		err := rows.Scan(&k.key, &k.id)
		many = many || k.id < 0
		keys = append(keys, k)
		return err
	}, t.meetSQL(sets))
	if err != nil || many {
		return nil, false, err
	}
	return keys, true, nil
}

// meetSQL reads the members met in the rows of every set of keys in the
// subtree, of the statuses, in name order, Limit+1 of them; or one row of
// member -1 when a set has more than Meet rows in the subtree (each set
// read up to Meet+1 rows, from the index alone; none when the first set
// is empty, whose answer is then right: no member).
func (t termsSearch) meetSQL(sets []wordKeys) string {
	bound := strconv.Itoa(t.lim.Meet)
	var with, meet, over []string
	for i, set := range sets {
		quoted := make([]string, len(set.keys))
		for j, k := range set.keys {
			quoted[j] = quoteSQL(k)
		}
		name := "t" + strconv.Itoa(i)
		with = append(with, name+` AS MATERIALIZED (SELECT k.sort_key, k.member_id FROM member_keys k WHERE k.key IN (`+strings.Join(quoted, ", ")+`)
			AND k.path >= `+quoteSQL(t.f.Path)+` AND k.path < `+quoteSQL(prefixEnd(t.f.Path))+strings.ReplaceAll(t.statusIn, "c.status", "k.status")+` LIMIT `+strconv.Itoa(t.lim.Meet+1)+`)`)
		if i > 0 {
			meet = append(meet, `t0.member_id IN (SELECT member_id FROM `+name+`)`)
		}
		over = append(over, `(SELECT COUNT(*) FROM `+name+`) > `+bound)
	}
	anyOver := strings.Join(over, " OR ")
	return `WITH ` + strings.Join(with, ", ") + `
		SELECT * FROM (SELECT DISTINCT t0.sort_key, t0.member_id FROM t0 WHERE ` + strings.Join(meet, " AND ") + ` AND NOT (` + anyOver + `)
			ORDER BY t0.sort_key, t0.member_id LIMIT ` + strconv.Itoa(t.f.Limit+1) + `) p
		UNION ALL SELECT * FROM (SELECT t0.sort_key, -1 FROM t0 WHERE ` + anyOver + ` LIMIT 1) o`
}
