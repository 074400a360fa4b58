package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A name query of one word ("khuc") or of two ("van nguyen") in a subtree
// of more than Exact members is answered, when few words of the vocabulary
// can make it and the subtree holds few of their members, by member_keys
// (migration 0047): for each member, each word of its folded name and each
// pair of adjacent words, under its unit's path, with its status and sort
// key, in a b-tree (key, path, member_id) that holds the status and sort
// key too. A name holds a one-word query (no space) exactly when one of
// its words does, and a two-word query "a b" exactly when two adjacent
// words x, y have x ending with a and y starting with b. So the query's
// keys are read from the vocabulary member_words (a few hundred words in
// the city), and each key is one range of the index (key, the subtree's
// path prefix): at most Candidates+1 rows of them all are read; when they
// are all, they are the subtree's matches, sorted in Go (exact count up to
// Bound, the page from them). No walk of the subtree's names, no heap of
// members but the page's (docs/benchmarks.md, r21-search).
//
// One row per member and key, not per member, key and unit of its path
// (r20-search: 9.9 M rows, 2.5 GB in the city, which main could not take):
// the subtree is a range of paths, not a scope, so the rows come out of
// name order and are sorted here; a key with more than Candidates rows in
// the subtree goes the old way (the walks, the trigram index:
// members_search.go), as does a query with more than Keys keys, shorter
// than three characters, of three words or more, or with a space at an end
// or two together. The keys are kept only in databases that can have such
// a subtree (member_keys_on: more than 10,000 members, memberKeysFrom);
// elsewhere the search goes the old way. They switch on with the
// migration, the bulk loader, `check counters --fix`, and an ordinary
// write that grows the database past the threshold (members_keys_grow.go).

// memberKeysFrom is the number of members above which a database keeps
// member_keys: a subtree needs more than searchBounds.Exact members to read
// them (migration 0047 writes the same number).
const memberKeysFrom = 10000

// searchKeys reads the keys of member_keys whose members' names hold the
// query: ok is false when the keys are off, the query is not one they
// answer or more than Keys of them would be read (then keys is nil).
func (s nameSearch) searchKeys(ctx context.Context, q Querier) (keys []string, ok bool, err error) {
	keys, rows, ok, err := s.vocabKeys(ctx, q)
	// A word that had more than Candidates rows in the whole tree when
	// the vocabulary was written (member_words.n) is common: counting its
	// rows in the subtree (up to Candidates+1) would cost more than the
	// old way saves ("nguyen" in the demo-sized district: 3.8 to 5.3-7.2
	// ms on SQLite, measured).
	if err != nil || !ok || rows > int64(s.lim.Candidates) {
		return nil, false, err
	}
	return keys, true, nil
}

// vocabKeys reads the query's keys from the vocabulary and their rows in
// the whole tree when it was written (member_words.n, a hint): ok is
// false when the keys are off, the query is not one they answer or it
// has more than Keys of them.
func (s nameSearch) vocabKeys(ctx context.Context, q Querier) (keys []string, rows int64, ok bool, err error) {
	query, args, ok := s.keysSQL()
	if !ok {
		return nil, 0, false, nil
	}
	err = queryEach(ctx, q, func(r *sql.Rows) error {
		var k string
		var n int64
		err := r.Scan(&k, &n)
		keys, rows = append(keys, k), rows+n
		return err
	}, query, args...)
	if err != nil || len(keys) > s.lim.Keys || slices.Contains(keys, "") {
		return nil, 0, false, err
	}
	return keys, rows, true, nil
}

// keysOff is a row of an empty word when the keys are not kept
// (member_keys_on empty): no key of the vocabulary is empty.
const keysOff = `SELECT '', 0 WHERE NOT EXISTS (SELECT 1 FROM member_keys_on) UNION ALL `

// keysSQL reads the query's keys from the vocabulary, Keys+1 at most: the
// words holding a one-word query, or the pairs "x y" of words x ending
// with the first word and y starting with the second; and a row ” when
// the keys are off. ok is false when the query is neither (or the keys
// are not asked for: Keys 0).
func (s nameSearch) keysSQL() (query string, args []any, ok bool) {
	if s.lim.Keys <= 0 || !s.indexed() {
		return "", nil, false
	}
	lim := ` LIMIT ` + strconv.Itoa(s.lim.Keys+1)
	words := strings.Split(s.query, " ")
	switch {
	case len(words) == 1:
		return keysOff + `SELECT * FROM (SELECT w.word, w.n FROM member_words w WHERE w.word LIKE ` + likeFirst + ` ESCAPE '\'` + lim + `) k`, []any{s.like}, true
	case len(words) == 2 && words[0] != "" && words[1] != "":
		return keysOff + `SELECT * FROM (SELECT a.word || ' ' || b.word, 0 FROM member_words a, member_words b
			WHERE a.word LIKE ` + likeFirst + ` ESCAPE '\' AND b.word LIKE ` + likeParam("$2") + ` ESCAPE '\'` + lim + `) k`,
			[]any{"%" + escapeLike(words[0]), escapeLike(words[1]) + "%"}, true
	}
	return "", nil, false
}

// keyRowsSQL reads the rows of the keys in the subtree (its paths), of
// the statuses asked: sort key and member, when there are at most
// Candidates of them, else one row of member -1. The rows are counted in
// the statement (Candidates+1 at most, from the index alone) before any
// is sent: a common word ("nguyen", 194,000 rows in the city) costs that
// count, not 2,000 rows read by the driver (2-4 ms of CPU measured) before
// the search goes the old way.
func (s nameSearch) keyRowsSQL(keys []string) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = quoteSQL(k)
	}
	n := `(SELECT COUNT(*) FROM c)` // run once: it is not correlated
	return `WITH c AS MATERIALIZED (SELECT k.sort_key, k.member_id FROM member_keys k WHERE k.key IN (` + strings.Join(quoted, ", ") + `)
		AND k.path >= ` + quoteSQL(s.f.Path) + ` AND k.path < ` + quoteSQL(prefixEnd(s.f.Path)) +
		strings.ReplaceAll(s.statusIn, "c.status", "k.status") + ` LIMIT ` + strconv.Itoa(s.lim.Candidates+1) + `)
		SELECT c.sort_key, c.member_id FROM c WHERE ` + n + ` <= ` + strconv.Itoa(s.lim.Candidates) + `
		UNION ALL SELECT * FROM (SELECT c.sort_key, -1 FROM c WHERE ` + n + ` > ` + strconv.Itoa(s.lim.Candidates) + ` LIMIT 1) p`
}

// keysSearch answers the search through member_keys: the subtree's
// matches in name order. ok is false when the keys do not answer it
// (searchKeys) or the subtree holds more than Candidates of the keys'
// rows: then the search goes the old way.
func (s nameSearch) keysSearch(ctx context.Context, q Querier) (keys []searchKey, ok bool, err error) {
	words, ok, err := s.searchKeys(ctx, q)
	if err != nil || !ok {
		return nil, false, err
	}
	return s.keyRows(ctx, q, words)
}

// keyRows reads the rows of the keys words in the subtree, in name order:
// ok is false when there are more than Candidates of them.
func (s nameSearch) keyRows(ctx context.Context, q Querier, words []string) (keys []searchKey, ok bool, err error) {
	keys = []searchKey{}
	if len(words) == 0 {
		return keys, true, nil
	}
	many := false
	err = queryEach(ctx, q, func(rows *sql.Rows) error {
		var k searchKey
		err := rows.Scan(&k.key, &k.id)
		many = many || k.id < 0
		keys = append(keys, k)
		return err
	}, s.keyRowsSQL(words))
	if err != nil || many {
		return nil, false, err
	}
	sortKeys(keys)
	// A member two of whose words hold the query has two rows: next to
	// each other now.
	return slices.CompactFunc(keys, func(a, b searchKey) bool { return a.id == b.id && bytes.Equal(a.key, b.key) }), true, nil
}

// memberKeysSQL is member_keys recomputed from members (key, path,
// member_id, status, sort_key) for the members m that cond selects, the
// triggers' text of migration 0047; a member's word may come twice (a
// name that repeats a word).
func memberKeysSQL(d dialect, cond string) string {
	if d == postgresDialect {
		return `SELECT k AS key, u.path, m.id AS member_id, m.status, m.sort_key FROM members m JOIN units u ON u.id = m.unit_id
			CROSS JOIN LATERAL member_keys_of(m.name_folded) k WHERE ` + cond
	}
	words := `json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]')`
	return `SELECT a.value AS key, u.path, m.id AS member_id, m.status, m.sort_key FROM members m JOIN units u ON u.id = m.unit_id, ` + words + ` a
		WHERE a.value <> '' AND ` + cond + `
		UNION ALL SELECT a.value || ' ' || b.value, u.path, m.id, m.status, m.sort_key FROM members m JOIN units u ON u.id = m.unit_id, ` + words + ` a JOIN ` + words + ` b ON b.key = a.key + 1
		WHERE a.value <> '' AND b.value <> '' AND ` + cond
}

// memberKeysDriftSQL selects the members whose rows of member_keys are
// not their recomputation: member_id, the rows missing, the rows that
// should not be there.
func memberKeysDriftSQL(d dialect) string {
	kept := `SELECT key, path, member_id, status, sort_key FROM member_keys`
	// The recomputation in parentheses: the compound operators have the
	// same precedence, so "kept EXCEPT words UNION ALL pairs" would add
	// the pairs back.
	recomputed := `SELECT * FROM (` + memberKeysSQL(d, "1 = 1") + `) r`
	return `SELECT member_id, SUM(missing), SUM(extra) FROM (
		SELECT member_id, 1 AS missing, 0 AS extra FROM (` + recomputed + ` EXCEPT ` + kept + `) a
		UNION ALL SELECT member_id, 0, 1 FROM (` + kept + ` EXCEPT ` + recomputed + `) b) x GROUP BY member_id`
}

// missingWordsSQL selects the words of member_keys (its keys without a
// space) that member_words does not hold.
const missingWordsSQL = `SELECT DISTINCT k.key FROM member_keys k WHERE k.key NOT LIKE '% %'
	AND NOT EXISTS (SELECT 1 FROM member_words w WHERE w.word = k.key)`

// memberKeysOn reports whether the database keeps member_keys.
func memberKeysOn(ctx context.Context, q Querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM member_keys_on`).Scan(&n)
	return n > 0, err
}

// keysWanted reports whether the database has more members than from
// (memberKeysFrom: its root's subtree may read the keys; DB.keysFrom) and
// whether it keeps the keys. The count stops at from+1.
func keysWanted(ctx context.Context, q Querier, from int) (wanted, on bool, err error) {
	var n, kept int
	err = q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM members LIMIT `+strconv.Itoa(from+1)+`) m),
		(SELECT COUNT(*) FROM member_keys_on)`).Scan(&n, &kept)
	return n > from, kept > 0, err
}

// checkMemberKeys compares member_keys with its recomputation from members
// when the database keeps them (a row missing: a search misses the member;
// a row too many: it lists a member that no longer matches), and
// member_words with the words of member_keys (a word missing: its members
// are not found by it). A word no one holds any more stays in
// member_words: it is an empty range. When the keys are not kept, the
// table must be empty, and a database of more than from members
// (DB.keysFrom) should keep them (member_keys_on: want 1).
func checkMemberKeys(ctx context.Context, q Querier, d dialect, from int) ([]CounterDrift, error) {
	wanted, on, err := keysWanted(ctx, q, from)
	if err != nil {
		return nil, fmt.Errorf("member keys kept: %w", err)
	}
	if !on {
		var out []CounterDrift
		if wanted {
			out = append(out, CounterDrift{Table: "member_keys_on", Key: "kept", Want: 1})
		}
		var rows int64
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM member_keys LIMIT 1) k`).Scan(&rows); err != nil {
			return nil, fmt.Errorf("member keys: %w", err)
		}
		if rows > 0 {
			out = append(out, CounterDrift{Table: "member_keys", Key: "rows while not kept", Got: rows})
		}
		return out, nil
	}
	var out []CounterDrift
	err = queryEach(ctx, q, func(rows *sql.Rows) error {
		var id, missing, extra int64
		if err := rows.Scan(&id, &missing, &extra); err != nil {
			return err
		}
		out = append(out, CounterDrift{Table: "member_keys", Key: fmt.Sprintf("member_id=%d, rows", id), Got: extra, Want: missing})
		return nil
	}, memberKeysDriftSQL(d)+` ORDER BY member_id`)
	if err != nil {
		return nil, fmt.Errorf("compare member_keys: %w", err)
	}
	words, err := queryAll(ctx, q, scanValue[string], missingWordsSQL+` ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("compare member_words: %w", err)
	}
	for _, w := range words {
		out = append(out, CounterDrift{Table: "member_words", Key: "word=" + w, Want: 1})
	}
	return out, nil
}

// fixMemberKeys brings member_keys to what checkMemberKeys wants: kept
// from now on (all of it written) in a database of more than
// memberKeysFrom members that did not keep them; emptied where they are
// not kept; else the rows of the members that drifted rewritten, and the
// missing words added.
func (tx *Tx) fixMemberKeys(ctx context.Context) error {
	wanted, on, err := keysWanted(ctx, tx, tx.db.keysFrom())
	switch {
	case err != nil:
		return err
	case !on && wanted:
		return tx.keepMemberKeys(ctx)
	case !on:
		_, err := tx.ExecContext(ctx, `DELETE FROM member_keys`)
		return err
	}
	ids, err := queryAll(ctx, tx, scanValue[int64], `SELECT member_id FROM (`+memberKeysDriftSQL(tx.db.dialect)+`) d`)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := tx.rewriteMemberKeys(ctx, `m.id IN `+idList(ids[:n])); err != nil {
			return err
		}
		ids = ids[n:]
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO member_words (word) `+missingWordsSQL)
	return err
}

// rewriteMemberKeys writes again the rows of member_keys of the members m
// that cond selects.
func (tx *Tx) rewriteMemberKeys(ctx context.Context, cond string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_keys WHERE member_id IN (SELECT m.id FROM members m WHERE `+cond+`)`); err != nil {
		return fmt.Errorf("member keys: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_keys (key, path, member_id, status, sort_key)
		SELECT DISTINCT * FROM (`+memberKeysSQL(tx.db.dialect, cond)+`) r`); err != nil {
		return fmt.Errorf("member keys: %w", err)
	}
	return nil
}

// keepMemberKeys makes the database keep member_keys from now on: the
// flag, every member's rows, the vocabulary (the bulk loader of a big
// database, `check counters --fix`, the tests).
func (tx *Tx) keepMemberKeys(ctx context.Context) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_keys_on (one) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM member_keys_on)`); err != nil {
		return fmt.Errorf("keep member keys: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_keys`); err != nil {
		return fmt.Errorf("keep member keys: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_keys (key, path, member_id, status, sort_key)
		SELECT DISTINCT * FROM (`+memberKeysSQL(tx.db.dialect, "1 = 1")+`) r`); err != nil {
		return fmt.Errorf("keep member keys: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_words`); err != nil {
		return fmt.Errorf("keep member keys: words: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_words (word, n) SELECT key, COUNT(*) FROM member_keys WHERE key NOT LIKE '% %' GROUP BY key`); err != nil {
		return fmt.Errorf("keep member keys: words: %w", err)
	}
	return nil
}

// keepMemberKeysIfBig makes a database of more than memberKeysFrom members
// keep member_keys if it does not yet (after a bulk load: the city's
// members, loaded into a database migrated empty; after an ordinary write
// that grew it past the threshold: members_keys_grow.go).
func (tx *Tx) keepMemberKeysIfBig(ctx context.Context) error {
	wanted, on, err := keysWanted(ctx, tx, tx.db.keysFrom())
	if err != nil || !wanted || on {
		return err
	}
	return tx.keepMemberKeys(ctx)
}
