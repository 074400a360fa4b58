package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
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
// typed: "ngh*"), and the words every phrase of a number holds. exact
// says which keys hold only documents with the term they come from (all
// but a prefix of more than three letters, whose key holds every word
// with its first three).
func docWordKeys(q doc.Query) (keys []string, exact map[string]bool) {
	exact = map[string]bool{}
	for i, t := range q.Terms {
		if q.Prefix && i == len(q.Terms)-1 {
			k := t[:min(3, len(t))] + "*"
			keys = append(keys, k)
			exact[k] = exact[k] || len(t) <= 3
			continue
		}
		keys, exact[t] = append(keys, t), true
	}
	for _, alts := range q.Numbers {
		for _, w := range strings.Split(alts[0], " ") {
			if w != "" && all(alts[1:], func(p string) bool { return slices.Contains(strings.Split(p, " "), w) }) {
				keys, exact[w] = append(keys, w), true
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys), exact
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
// through the query's rarest key, and which read found them: none ("")
// when no such read is worth it or it did not decide (the caller then
// reads the full-text index). last is the probe's last (oldest)
// document, matched how many of the probe matched: among the city's
// documents as new as last, the key with the fewest rows is the one
// read, and its rows there (n) against the probe's say what a read costs:
//
//   - matched/n: lim.Walk of the key's rows hold lim.Bound matches of
//     the reach (a reach dense in the key): they are walked newest
//     first, each checked (keyWalk);
//   - else, on PostgreSQL, when the key has more than lim.Bound rows (the
//     index would read every match from the heap) and holds only
//     documents with its term (exact), the key's range and the reach's
//     ranges of doc_scopes are merged (reachMerge), which reads about the
//     key's rows and the reach's, index only. The reach holds about
//     lim.Probe/n times the key's rows: the merge is taken when that is
//     at most mergeReach times (n ≥ lim.Probe/mergeReach), so
//     that a reach big beside the key (the city's office and a key
//     absent from its newest documents) keeps the index.
func (db Docs) searchKeyWalk(ctx context.Context, f doc.SearchFilter, lim docSearchLimits, last probed, matched int) ([]candidate, searchArm, error) {
	keys, exact := docWordKeys(f.Query)
	if len(keys) == 0 {
		return nil, "", nil
	}
	most := lim.Walk * matched / lim.Bound // the key rows since last that still promise lim.Bound matches
	key, n, err := db.rarestDocWord(ctx, keys, last, max(most, lim.Probe))
	if err != nil {
		return nil, "", err
	}
	if most >= 1 && n <= most {
		return db.keyWalk(ctx, f, lim, key)
	}
	if db.dialect != postgresDialect || !exact[key] || n*mergeReach < lim.Probe {
		return nil, "", nil
	}
	if err := db.heavy(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM document_words WHERE key = $1 LIMIT $2) c`, key, lim.Bound+1).Scan(&n); err != nil {
		return nil, "", fmt.Errorf("reach merge: count: %w", err)
	}
	if n <= lim.Bound {
		return nil, "", nil
	}
	return db.reachMerge(ctx, f, lim, key)
}

// mergeReach is how many times the key's rows the reach may hold for the
// merge to be taken: a row of the merge is read from an index alone, a
// match of the full-text index from the heap and checked against the
// reach. Measured on the city ("van ban 123", a key of 1,111 rows, the
// district's office: its reach about nine times the key): 8 kept the
// index, 8.3-9.0 ms; 16 merged, 4.2-5.4 ms (docs/benchmarks.md,
// r24-docwords).
const mergeReach = 16

// keyWalk reads up to lim.Walk of key's rows and stops at the
// lim.Bound-th match; with fewer, it answers only when the key has no
// more rows than it read.
func (db Docs) keyWalk(ctx context.Context, f doc.SearchFilter, lim docSearchLimits, key string) ([]candidate, searchArm, error) {
	q, args := db.searchKeyWalkQuery(f, key, lim)
	cands, err := queryAll(ctx, queryFunc(db.queryHeavy), scanCandidate, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("key walk: %w", err)
	}
	if len(cands) >= lim.Bound {
		return cands, armKeyWalk, nil
	}
	var n int
	if err := db.heavy(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM document_words WHERE key = $1 LIMIT $2) c`, key, lim.Walk+1).Scan(&n); err != nil {
		return nil, "", fmt.Errorf("key walk: count: %w", err)
	}
	if n > lim.Walk {
		return nil, "", nil
	}
	return cands, armKeyWalk, nil
}

// reachMerge (PostgreSQL) merges key's range of document_words with the
// reach's ranges of doc_scopes, both newest first (issued_on, then id),
// index only, and looks up (and ranks) each document in both: it stops
// at the lim.Bound-th match or where either side ends, so it reads at
// most about twice the shorter side's rows, never a document that is not
// in both. A merge join is what reads them so: without hash and nested
// loop joins the planner has no other (with them it hashed the reach or
// probed the key for each of its rows).
func (db Docs) reachMerge(ctx context.Context, f doc.SearchFilter, lim docSearchLimits, key string) ([]candidate, searchArm, error) {
	q, args, err := db.reachMergeQuery(f, key, lim)
	if err != nil {
		return nil, "", fmt.Errorf("reach merge: %w", err)
	}
	var cands []candidate
	err = db.readHeavy(ctx, func(tx Querier) error {
		for _, set := range []string{`SET LOCAL max_parallel_workers_per_gather = 0`, `SET LOCAL enable_hashjoin = off`, `SET LOCAL enable_nestloop = off`} {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return err
			}
		}
		var err error
		cands, err = queryAll(ctx, tx, scanCandidate, q, args...)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("reach merge: %w", err)
	}
	return cands, armReachMerge, nil
}

// reachMergeQuery writes reachMerge's statement: the reach's documents
// are the documents list's ranges with no page's bound (docListSQL's
// newest).
func (db Docs) reachMergeQuery(f doc.SearchFilter, key string, lim docSearchLimits) (string, []any, error) {
	p, err := docListSQL(db.DB, doc.ListFilter{Reach: f.Reach, Limit: math.MaxInt32 - 1}, lim.Walk)
	if err != nil || p.empty {
		return `SELECT 0, 0 WHERE 1 = 0`, nil, err
	}
	args := append(argList{}, p.newestArgs...)
	k := args.add(key)
	return `SELECT m.doc_id, m.rank FROM (SELECT c.doc_id, c.issued_on, ` + db.docMatchRank(&args, f.Query) + ` AS rank
		FROM (` + p.newest + `) c JOIN document_words w ON w.key = ` + k + ` AND w.issued_on = c.issued_on AND w.doc_id = c.doc_id
		ORDER BY c.issued_on DESC, c.doc_id DESC OFFSET 0) m
		WHERE m.rank IS NOT NULL ORDER BY m.issued_on DESC, m.doc_id DESC LIMIT ` + args.add(lim.Bound), args, nil
}

// rarestDocWord returns the key with the fewest rows among the
// documents as new as last (issued_on, then id) and that number, each
// key's rows counted up to most+1 (one short range each).
func (db Docs) rarestDocWord(ctx context.Context, keys []string, last probed, most int) (string, int, error) {
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
		return "", 0, fmt.Errorf("key walk: keys: %w", err)
	}
	best := slices.MinFunc(counts, func(a, b count) int { return a.n - b.n })
	return keys[best.i], best.n, nil
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
		check = `(CASE WHEN ` + sqliteMatchCheck(&args, f.Query, "w.doc_id", "w.issued_on") + `
			AND EXISTS (SELECT 1 FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE d.id = w.doc_id AND ` + readableSQL(&args, f.Reach) + `) THEN 0 END)`
	}
	return `SELECT m.doc_id, m.rank FROM (SELECT w.doc_id, w.issued_on, ` + check + ` AS rank FROM document_words w WHERE w.key = ` + k + `
		ORDER BY w.issued_on DESC, w.doc_id DESC LIMIT ` + args.add(lim.Walk) + ` OFFSET 0) m
		WHERE m.rank IS NOT NULL ORDER BY m.issued_on DESC, m.doc_id DESC LIMIT ` + args.add(lim.Bound), args
}

// keysDecide reports whether document_words alone says whether a
// document matches q: every key is exact (a word, or the prefix of two or
// three letters of the word being typed) and q holds no number (a phrase,
// whose words may be apart).
func keysDecide(q doc.Query) bool {
	keys, exact := docWordKeys(q)
	return len(q.Numbers) == 0 && len(keys) > 0 && all(keys, func(k string) bool { return exact[k] })
}

// sqliteMatchCheck is SQLite's check that the document of columns id and
// on (its issue date) matches q. When document_words decides (keysDecide)
// it is one look-up of the primary key per key: FTS5 answers a rowid's
// match only after reading every match of a common word (the set of
// "van ban"'s 200,000 rowids, about 60 ms on the SQLite city, read by
// the probe and again by the walk), and a look-up of each rowid parses
// the MATCH each time. Else the FTS5 query's set of rowids, read once per
// statement.
func sqliteMatchCheck(args *argList, q doc.Query, id, on string) string {
	if !keysDecide(q) {
		return id + ` IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ` + args.add(fts5Query(q)) + `)`
	}
	keys, _ := docWordKeys(q)
	checks := make([]string, len(keys))
	for i, k := range keys {
		checks[i] = `EXISTS (SELECT 1 FROM document_words k WHERE k.key = ` + args.add(k) + ` AND k.issued_on = ` + on + ` AND k.doc_id = ` + id + `)`
	}
	return strings.Join(checks, " AND ")
}
