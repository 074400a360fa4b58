package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
)

// The key walk of the documents search (migration 0051, document_words):
// a word in a few percent of the documents was read from the full-text
// index, every match of the city (11,111 for 5.5% of the city's: 22-29
// ms), to keep the newest Bound of the reach. When the reach is dense
// enough in the query's rarest key, the key's documents newest first (one
// range of document_words' primary key) each checked against the whole
// query and the reach find the newest Bound matches after about Bound
// rows: the cost is the bound's, not the city's matches'.

// docWordKeys are the keys of document_words that every match of q has:
// each word, the first two or three letters of a prefix ("nghi" being
// typed: "ngh*"), and the words every phrase of a number holds.
func docWordKeys(q doc.Query) []string {
	var keys []string
	for i, t := range q.Terms {
		if q.Prefix && i == len(q.Terms)-1 {
			t = t[:min(3, len(t))] + "*"
		}
		keys = append(keys, t)
	}
	for _, alts := range q.Numbers {
		for _, w := range strings.Split(alts[0], " ") {
			if w != "" && all(alts[1:], func(p string) bool { return slices.Contains(strings.Split(p, " "), w) }) {
				keys = append(keys, w)
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func all[T any](xs []T, ok func(T) bool) bool {
	for _, x := range xs {
		if !ok(x) {
			return false
		}
	}
	return true
}

// searchKeyWalk returns the newest lim.Bound matches of the reach read
// through the query's rarest key, and false when that read is not worth
// it or did not decide (the caller then reads the full-text index). last
// is the probe's last (oldest) document, matched how many of the probe
// matched: among the city's documents as new as last, the key with the
// fewest rows is the walk's, and it is walked when matched/rows says that
// lim.Walk of its rows hold lim.Bound matches of the reach. The walk reads
// up to lim.Walk rows and stops at the lim.Bound-th match; with fewer, it
// answers only when the key has no more rows than it read.
func (db Docs) searchKeyWalk(ctx context.Context, f doc.SearchFilter, lim docSearchLimits, last probed, matched int) ([]candidate, bool, error) {
	keys := docWordKeys(f.Query)
	most := lim.Walk * matched / lim.Bound // the key rows since last that still promise lim.Bound matches
	if len(keys) == 0 || most < 1 {
		return nil, false, nil
	}
	key, ok, err := db.rarestDocWord(ctx, keys, last, most)
	if err != nil || !ok {
		return nil, false, err
	}
	q, args := db.searchKeyWalkQuery(f, key, lim)
	cands, err := queryAll(ctx, queryFunc(db.queryHeavy), scanCandidate, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("key walk: %w", err)
	}
	if len(cands) >= lim.Bound {
		return cands, true, nil
	}
	var n int
	if err := db.heavy(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM document_words WHERE key = $1 LIMIT $2) c`, key, lim.Walk+1).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("key walk: count: %w", err)
	}
	return cands, n <= lim.Walk, nil
}

// rarestDocWord returns the key with the fewest rows among the
// documents as new as last (issued_on, then id), if it has at most most:
// each key's rows are counted up to most+1, one short range each.
func (db Docs) rarestDocWord(ctx context.Context, keys []string, last probed, most int) (string, bool, error) {
	var args argList
	on, id, stop := args.add(last.on), args.add(last.id), args.add(most+1)
	arms := make([]string, len(keys))
	for i, k := range keys {
		arms[i] = `SELECT ` + strconv.Itoa(i) + ` AS i, (SELECT COUNT(*) FROM (SELECT 1 FROM document_words w WHERE w.key = ` + args.add(k) +
			` AND (w.issued_on, w.doc_id) >= (` + on + `, ` + id + `) LIMIT ` + stop + `) c) AS n`
	}
	type count struct{ i, n int }
	counts, err := queryAll(ctx, queryFunc(db.queryHeavy), func(rows *sql.Rows) (count, error) {
		var c count
		return c, rows.Scan(&c.i, &c.n)
	}, strings.Join(arms, " UNION ALL "), args...)
	if err != nil {
		return "", false, fmt.Errorf("key walk: keys: %w", err)
	}
	best := slices.MinFunc(counts, func(a, b count) int { return a.n - b.n })
	return keys[best.i], best.n <= most, nil
}

// searchKeyWalkQuery reads key's documents newest first, up to lim.Walk,
// each looked up once (a scalar subquery, fenced by OFFSET 0 as the
// walk's) and checked against the query and the reach, and stops at the
// lim.Bound-th that matches.
func (db Docs) searchKeyWalkQuery(f doc.SearchFilter, key string, lim docSearchLimits) (string, []any) {
	var args argList
	k := args.add(key)
	var check string
	if db.dialect == postgresDialect {
		tq := "to_tsquery('simple', " + args.add(tsQuery(f.Query)) + ")"
		check = `(SELECT CASE WHEN d.search_vector @@ ` + tq + ` AND ` + readableSQL(&args, f.Reach) + ` THEN ts_rank(d.search_vector, ` + tq + `) END
			FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE d.id = w.doc_id)`
	} else {
		m := args.add(fts5Query(f.Query))
		check = `(CASE WHEN w.doc_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ` + m + `)
			AND EXISTS (SELECT 1 FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE d.id = w.doc_id AND ` + readableSQL(&args, f.Reach) + `) THEN 0 END)`
	}
	return `SELECT m.doc_id, m.rank FROM (SELECT w.doc_id, w.issued_on, ` + check + ` AS rank FROM document_words w WHERE w.key = ` + k + `
		ORDER BY w.issued_on DESC, w.doc_id DESC LIMIT ` + args.add(lim.Walk) + ` OFFSET 0) m
		WHERE m.rank IS NOT NULL ORDER BY m.issued_on DESC, m.doc_id DESC LIMIT ` + args.add(lim.Bound), args
}
