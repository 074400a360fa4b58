package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
)

// The documents arm of the unified search (issue 17; docs/api.md
// "Search") costs about a page whatever the word: it ranks at most Bound
// candidates, the newest matches of the reader's reach (newest as the
// documents list: issue date, then id), rather than every match. The
// candidates come from reads chosen in Go, never by the planner's
// estimate of a query (PostgreSQL guesses every tsquery at a few
// thousand rows, and walked all the city's documents backwards for one
// that matches once):
//
//   - a probe of the reach's newest Probe documents (the documents
//     list's ranges of doc_scopes), each looked up and checked against
//     the query;
//   - when the probe finds the query common (at least Bound/Walk of
//     them match), a walk on from there, up to Walk documents in all,
//     that stops at the Bound-th match;
//   - else, when the reach is dense in the query's rarest key of
//     document_words (docs_search_words.go), that key's documents newest
//     first, each checked, up to Walk of them, stopping at the Bound-th
//     match;
//   - else, or when a walk ends with fewer than Bound and there is more
//     to walk, the full-text index (GIN, FTS5): the reach's matches,
//     newest first, up to Bound.
//
// Up to Bound matches the answer is the one ranking every match gave
// (TestDocSearchSameAnswers); beyond it, the ranking is among the newest
// Bound. On PostgreSQL the look-up that checks a document also ranks it
// (ts_rank), so the candidates are sorted in Go and only the page's
// documents are read; SQLite's bm25 needs its FTS5 query, one statement
// over the candidates.
type docSearchLimits struct {
	// Bound is how many matches are ranked, the newest.
	Bound int
	// Walk is how many of the reach's newest documents the walk reads.
	Walk int
	// Probe is how many of them are read first: a query that matches
	// fewer than Bound/Walk of them is read from the index.
	Probe int
}

// docSearchBounds are the bounds of docs/api.md ("Search"); a test
// makes them small.
var docSearchBounds = docSearchLimits{Bound: 1000, Walk: 4000, Probe: 100}

// candidate is one match: its id and, on PostgreSQL, its ts_rank.
type candidate struct {
	id   int64
	rank float32
}

// Search returns the documents and news a reader may read that match a
// query, best first by the engine's rank (bm25 with column weights on
// SQLite, ts_rank on PostgreSQL) among the newest docSearchBounds.Bound
// matches, at most f.Limit.
func (db Docs) Search(ctx context.Context, f doc.SearchFilter) ([]doc.Document, error) {
	return db.search(ctx, f, docSearchBounds)
}

// searchArm names the read that found a search's candidates.
type searchArm string

const (
	armProbe   searchArm = "probe"
	armWalk    searchArm = "walk"
	armKeyWalk searchArm = "key walk"
	// armReachMerge: a key of document_words merged with the reach's
	// doc_scopes (PostgreSQL).
	armReachMerge searchArm = "reach merge"
	armIndex      searchArm = "index"
)

func (db Docs) search(ctx context.Context, f doc.SearchFilter, lim docSearchLimits) ([]doc.Document, error) {
	out, _, err := db.searchBy(ctx, f, lim)
	return out, err
}

// searchBy is search that also says which read found the candidates
// (searchArm), for the tests that must see each of them answer.
func (db Docs) searchBy(ctx context.Context, f doc.SearchFilter, lim docSearchLimits) ([]doc.Document, searchArm, error) {
	cands, arm, err := db.searchCandidates(ctx, f, lim)
	if err != nil {
		return nil, arm, fmt.Errorf("search documents: %w", err)
	}
	if len(cands) == 0 || f.Limit <= 0 {
		return []doc.Document{}, arm, nil
	}
	if db.dialect == postgresDialect {
		out, err := db.rankedDocs(ctx, cands, f.Limit)
		return out, arm, err
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.id
	}
	q, args := db.searchRankQuery(f, ids)
	out, err := queryAll(ctx, queryFunc(db.queryHeavy), scanDocValue, q, args...)
	if err != nil {
		return nil, arm, fmt.Errorf("search documents: rank: %w", err)
	}
	return out, arm, nil
}

func scanDocValue(rows *sql.Rows) (doc.Document, error) {
	d, err := scanDoc(rows)
	if err != nil {
		return doc.Document{}, err
	}
	return *d, nil
}

// rankedDocs sorts PostgreSQL's candidates as ORDER BY ts_rank DESC,
// d.id DESC did (the ranks are the engine's float4, compared as they
// are) and reads the first limit documents.
func (db Docs) rankedDocs(ctx context.Context, cands []candidate, limit int) ([]doc.Document, error) {
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(b.id, a.id))
	})
	cands = cands[:min(limit, len(cands))]
	ids := make([]int64, len(cands))
	at := make(map[int64]int, len(cands))
	for i, c := range cands {
		ids[i], at[c.id] = c.id, i
	}
	got, err := queryAll(ctx, queryFunc(db.queryHeavy), scanDocValue, `SELECT `+docColumns("d.body")+`
		FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE d.id IN `+idList(ids))
	if err != nil {
		return nil, fmt.Errorf("search documents: read: %w", err)
	}
	out := make([]doc.Document, len(ids))
	for _, d := range got {
		out[at[d.ID]] = d
	}
	return out[:len(got)], nil
}

// searchCandidates returns the newest lim.Bound matches of the reach:
// from the walk when the probe finds the query common, else (or when the
// walk found fewer and the reach holds more documents than it walked)
// from the index.
func (db Docs) searchCandidates(ctx context.Context, f doc.SearchFilter, lim docSearchLimits) ([]candidate, searchArm, error) {
	probe, err := db.searchProbe(ctx, f, lim)
	if err != nil {
		return nil, armProbe, fmt.Errorf("probe: %w", err)
	}
	var cands []candidate
	for _, r := range probe {
		if r.matched {
			cands = append(cands, r.candidate)
		}
	}
	if len(cands) >= lim.Bound {
		return cands[:lim.Bound], armProbe, nil
	}
	if len(probe) < lim.Probe {
		return cands, armProbe, nil // the whole reach
	}
	if len(cands)*lim.Walk >= lim.Bound*lim.Probe {
		last := probe[len(probe)-1]
		p, err := docListSQL(db.DB, doc.ListFilter{Reach: f.Reach, Limit: lim.Walk - lim.Probe - 1, Cursor: encodeDateCursor(last.on, last.id)}, lim.Walk)
		if err != nil {
			return nil, armWalk, err
		}
		q, args := db.searchWalkQuery(p, f, lim.Bound-len(cands))
		more, err := queryAll(ctx, queryFunc(db.queryHeavy), scanCandidate, q, args...)
		if err != nil {
			return nil, armWalk, fmt.Errorf("walk: %w", err)
		}
		if cands = append(cands, more...); len(cands) >= lim.Bound {
			return cands, armWalk, nil
		}
		// Fewer than the bound among the reach's newest lim.Walk
		// documents: all of its matches, unless it holds more (the
		// list's count, up to lim.Walk+1 rows of doc_scopes).
		var n int
		if err := db.heavy(ctx).QueryRowContext(ctx, p.count, p.countArgs...).Scan(&n); err != nil {
			return nil, armWalk, fmt.Errorf("walk: count: %w", err)
		}
		if n <= lim.Walk {
			return cands, armWalk, nil
		}
	}
	if len(cands)*lim.Walk < lim.Bound*lim.Probe {
		// Not common in the reach's newest: through the rarest key when
		// the reach is dense in it (docs_search_words.go).
		got, arm, err := db.searchKeyWalk(ctx, f, lim, probe[len(probe)-1], len(cands))
		if err != nil || arm != "" {
			return got, arm, err
		}
	}
	cands, err = db.searchIndex(ctx, f, lim, len(cands) == 0)
	if err != nil {
		return nil, armIndex, fmt.Errorf("index: %w", err)
	}
	return cands, armIndex, nil
}

// searchIndex runs searchIndexQuery, on PostgreSQL without parallel
// workers: for its estimate of a few thousand matches the planner started
// two to sort one match, 3 ms of the 5 the read took.
func (db Docs) searchIndex(ctx context.Context, f doc.SearchFilter, lim docSearchLimits, rare bool) ([]candidate, error) {
	q, args := db.searchIndexQuery(f, lim, rare)
	var cands []candidate
	err := db.readHeavy(ctx, func(tx Querier) error {
		if db.dialect == postgresDialect {
			if _, err := tx.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
				return err
			}
		}
		var err error
		cands, err = queryAll(ctx, tx, scanCandidate, q, args...)
		return err
	})
	return cands, err
}

func scanCandidate(rows *sql.Rows) (candidate, error) {
	var c candidate
	return c, rows.Scan(&c.id, &c.rank)
}

// probed is one document of the probe: its issue date (the walk's
// cursor) and whether it matches.
type probed struct {
	candidate
	on      date.Date
	matched bool
}

// searchProbe reads the reach's newest lim.Probe documents, each with
// whether it matches (and its rank).
func (db Docs) searchProbe(ctx context.Context, f doc.SearchFilter, lim docSearchLimits) ([]probed, error) {
	p, err := docListSQL(db.DB, doc.ListFilter{Reach: f.Reach, Limit: lim.Probe - 1}, lim.Walk)
	if err != nil || p.empty {
		return nil, err
	}
	args := append(argList{}, p.newestArgs...)
	q := `SELECT c.doc_id, c.issued_on, ` + db.docMatchRank(&args, f.Query) + ` FROM (` + p.newest + `) c ORDER BY c.issued_on DESC, c.doc_id DESC`
	return queryAll(ctx, queryFunc(db.queryHeavy), func(rows *sql.Rows) (probed, error) {
		var r probed
		var rank sql.NullFloat64
		err := rows.Scan(&r.id, &r.on, &rank)
		r.rank, r.matched = float32(rank.Float64), rank.Valid
		return r, err
	}, q, args...)
}

// docMatchRank is, for the document of row c.doc_id, its rank when it
// matches the query (ts_rank on PostgreSQL, 0 on SQLite), else NULL: a
// look-up of the document by its id (a scalar subquery: joined or as an
// EXISTS, PostgreSQL merged the walk's 4,000 rows with a walk of all the
// city's documents). On SQLite the match is sqliteMatchCheck: a look-up
// of each of the query's keys in document_words when they decide, else
// the FTS5 query's set of rowids, read once per statement (its doclists,
// no row of documents): an FTS5 look-up of each document's rowid cost
// about 0.2 ms (a MATCH parsed and opened for each), 3 ms for the demo's
// 14 documents.
func (db Docs) docMatchRank(args *argList, q doc.Query) string {
	if db.dialect == postgresDialect {
		tq := "to_tsquery('simple', " + args.add(tsQuery(q)) + ")"
		return `(SELECT CASE WHEN d.search_vector @@ ` + tq + ` THEN ts_rank(d.search_vector, ` + tq + `) END FROM documents d WHERE d.id = c.doc_id)`
	}
	return `(CASE WHEN ` + sqliteMatchCheck(args, q, "c.doc_id", "c.issued_on") + ` THEN 0 END)`
}

// searchWalkQuery walks the reach's documents of p.newest (the
// documents list's ranges of doc_scopes, newest first, issued_on then
// id) and stops at the bound-th that matches. The OFFSET 0 (SQLite's
// needs a LIMIT) keeps
// PostgreSQL from pulling the look-up up into the WHERE and the SELECT
// (two look-ups of each document), the inner ORDER BY from sorting all
// the walk's documents before the limit.
func (db Docs) searchWalkQuery(p *docListPlan, f doc.SearchFilter, bound int) (string, []any) {
	args := append(argList{}, p.newestArgs...)
	fence := "OFFSET 0"
	if db.dialect == sqliteDialect {
		fence = "LIMIT -1 OFFSET 0"
	}
	return `SELECT m.doc_id, m.rank FROM (SELECT c.doc_id, c.issued_on, ` + db.docMatchRank(&args, f.Query) + ` AS rank FROM (` + p.newest + `) c
		ORDER BY c.issued_on DESC, c.doc_id DESC ` + fence + `) m
		WHERE m.rank IS NOT NULL ORDER BY m.issued_on DESC, m.doc_id DESC LIMIT ` + strconv.Itoa(bound), args
}

// searchIndexQuery reads the reach's newest lim.Bound matches from the
// full-text index: every match of the reach (GIN, FTS5), newest first as
// the list (issued_on, then id) and the walk; the issue date joined with
// an empty string (PostgreSQL) and the unary + (SQLite) keep the planners
// from walking an index of issued_on instead. On PostgreSQL the Bound
// kept are ranked after, and when the probe found no match (rare) each
// match's unit is a look-up (LATERAL … OFFSET 0): with its estimate of a
// thousand matches the planner hashed all the city's units, 7 ms for one
// match; for many matches (5% of the city's: 11,111) the hash is the
// cheaper, 5 ms less than 11,111 look-ups.
func (db Docs) searchIndexQuery(f doc.SearchFilter, lim docSearchLimits, rare bool) (string, []any) {
	var args argList
	if db.dialect == postgresDialect {
		match := db.ftsMatch(&args, f.Query)
		readable := readableSQL(&args, f.Reach)
		tq := "to_tsquery('simple', " + args.add(tsQuery(f.Query)) + ")"
		units := `JOIN units au ON au.id = d.audience_unit_id`
		if rare {
			units = `CROSS JOIN LATERAL (SELECT u.path FROM units u WHERE u.id = d.audience_unit_id OFFSET 0) au`
		}
		return `SELECT c.id, ts_rank(r.search_vector, ` + tq + `) FROM (SELECT d.id, d.issued_on FROM documents d
			` + units + `
			WHERE ` + match + ` AND ` + readable + `
			ORDER BY d.issued_on || '' DESC, d.id DESC LIMIT ` + strconv.Itoa(lim.Bound) + `) c JOIN documents r ON r.id = c.id`, args
	}
	m := args.add(fts5Query(f.Query))
	return `SELECT d.id, 0 FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid JOIN units au ON au.id = d.audience_unit_id
		WHERE documents_fts MATCH ` + m + ` AND ` + readableSQL(&args, f.Reach) + `
		ORDER BY +d.issued_on DESC, d.id DESC LIMIT ` + strconv.Itoa(lim.Bound), args
}

// searchRankQuery ranks SQLite's candidates as the search always did
// (the reference statement in docs_search_test.go ranks every match).
// The candidates are checked on the rows of one read of the MATCH (the
// unary + keeps their ids from FTS5): given them as rowid = ?, FTS5
// evaluated the query again for each id, a prefix ("ban"*) expanded over
// the whole index each time, 16 s of CPU for the 1,000 candidates of
// "van ban" on the SQLite city (200,000 matches; one read of them: 36 ms
// in the sqlite3 shell; docs/benchmarks.md, r24-sqlitecity). The
// candidates' range of ids (BETWEEN, given to FTS5 with the MATCH, still
// one read) bounds that read where the newest documents were written
// together (ids close to each other): on the SQLite city "van ban"'s 1,000 candidates are ids 1 to
// 1,095 of 200,000, and the rank read 1,095 matches, not 200,000 (bm25
// still counts each phrase's documents once, the most of what is left:
// docs/benchmarks.md, r25-sqlitedocs).
func (db Docs) searchRankQuery(f doc.SearchFilter, ids []int64) (string, []any) {
	var args argList
	m := args.add(fts5Query(f.Query))
	return `SELECT ` + docColumns("d.body") + ` FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid JOIN units au ON au.id = d.audience_unit_id
		WHERE documents_fts MATCH ` + m + ` AND +documents_fts.rowid IN ` + idList(ids) + `
		AND documents_fts.rowid BETWEEN ` + strconv.FormatInt(slices.Min(ids), 10) + ` AND ` + strconv.FormatInt(slices.Max(ids), 10) + `
		ORDER BY bm25(documents_fts, 10.0, 10.0, 4.0, 1.0), d.id DESC LIMIT ` + args.add(f.Limit), args
}
