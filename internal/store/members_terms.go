package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// The members arm of the unified search (GET /api/v1/search, issue 17)
// costs its page, not the reach: the first members (active, in name
// order) of each of the reach's subtrees whose folded name holds every
// word of the query, in any order. It is the name search's walk and
// index (members_search.go) and keys (members_keys.go) with several
// words: a walk of the subtree's member_scopes rows in name order, which
// carry the folded name, that stops after the page. In a subtree of more
// than Walk members: a rare word's members from member_keys when they are
// kept (the page itself for one word; else at most Checked names read and
// checked for the other words); else a walk of Walk names and, when they
// do not fill the page, the trigram index (pg_trgm, FTS5) with every word
// of three characters or more, whose names are checked against the
// subtree and sorted. The match is always each word's name_folded LIKE
// '%word%' (the indexes only narrow), as before: a word found inside
// another ("van" in "tuvan"), the last word a prefix alike
// (docs/benchmarks.md, r23-unified).

// termsSearch is one subtree's search for several words: the name
// search's pieces (scope, units, statuses, bounds) and the words.
type termsSearch struct {
	*nameSearch
	terms []string // the folded words, none empty
}

// SearchMembersByName finds the first limit active members, in name
// order, of the subtrees at paths whose folded name holds every word of
// the query: a path under another is already covered, and each subtree's
// page is read apart and merged here (the subtrees are disjoint).
func (db Docs) SearchMembersByName(ctx context.Context, paths []string, q doc.Query, limit int) ([]doc.MemberHit, error) {
	terms := slices.DeleteFunc(slices.Clone(q.Terms), func(t string) bool { return t == "" })
	if len(paths) == 0 || len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	var all []member.Member
	for _, p := range outermostPaths(paths) {
		ms, err := Members{db.DB}.searchTerms(ctx, p, terms, limit)
		if err != nil {
			return nil, fmt.Errorf("search members of %s: %w", p, err)
		}
		all = append(all, ms...)
	}
	slices.SortFunc(all, byNameOrder)
	out := make([]doc.MemberHit, 0, min(len(all), limit))
	for _, m := range all[:min(len(all), limit)] {
		out = append(out, doc.MemberHit{ID: m.ID, FullName: m.FullName, UnitName: m.UnitName})
	}
	return out, nil
}

// outermostPaths are the distinct paths not under another of paths, in
// order: the subtrees that cover the reach without overlap.
func outermostPaths(paths []string) []string {
	var out []string
	for i, p := range paths {
		covered := false
		for j, o := range paths {
			if j != i && strings.HasPrefix(p, o) && (p != o || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

// searchTerms reads the first limit active members (one more, cut) of
// the subtree at path whose names hold every term.
func (db Members) searchTerms(ctx context.Context, path string, terms []string, limit int) ([]member.Member, error) {
	f := member.Filter{Path: path, Query: strings.Join(terms, " "), Statuses: member.ActiveStatuses, Limit: limit}
	p, err := db.readSearch(ctx, f, nil, func(s *nameSearch, q Querier, p *page.Of[member.Member], size int) (*searchKey, error) {
		var err error
		p.Items, err = termsSearch{nameSearch: s, terms: terms}.page(ctx, q, size)
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// page reads the page: a walk of the subtree in name order that stops
// after it, or, in a subtree of more than Walk members, member_keys for
// a rare word when they answer it, else a walk of Walk of them and, when
// they do not fill the page, the index. Words of one or two characters
// alone (nothing for the index) walk the subtree until the page is full:
// such words are common.
func (t termsSearch) page(ctx context.Context, q Querier, size int) ([]member.Member, error) {
	if size > t.lim.Walk {
		// A subtree the walk would not read whole: when few words of the
		// vocabulary hold one of the query's words and the subtree has
		// few members of them, member_keys has that word's matches
		// (members_keys.go), as for the name search ("khuc" in the city:
		// no walk of Walk names), and the other words are checked on
		// those members' names when they are few ("nghi quyet": the
		// members of "quyet" in a district).
		keys, ok, meet, vocab, err := t.rareKeys(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search keys: %w", err)
		}
		if ok && len(t.terms) == 1 {
			return t.pageOf(ctx, q, keys)
		}
		if meet != "" {
			// A word rare in the tree with words common in it ("van
			// quyet" in the city): the rare word's rows of member_keys
			// that the other words' rows meet (members_terms_meet.go).
			return t.meetPage(ctx, q, meet, vocab)
		}
		if ok {
			return t.checkedPage(ctx, q, keys)
		}
		if t.indexed() && t.rareInTree(vocab) {
			// A word rare in the whole tree, though too common in the
			// subtree for its names to be read and checked: the walk
			// of Walk names would find few of its members (the city's
			// "nghi quyet": 1,270 of 500,000 names hold "quyet"), so
			// the index, whose candidates hold it, is read at once.
			return t.indexPage(ctx, q)
		}
	}
	walk := 0 // all
	if t.indexed() && size > t.lim.Walk {
		walk = t.lim.Walk
	}
	items, err := queryAll(ctx, q, scanSearchRow, t.walkSQL(walk), t.likes()...)
	if err != nil || len(items) > t.f.Limit || walk == 0 {
		return items, err
	}
	return t.indexPage(ctx, q)
}

// indexPage reads the page through the index (indexSQL), on SQLite with
// the query indexMatch picks.
func (t termsSearch) indexPage(ctx context.Context, q Querier) ([]member.Member, error) {
	match, err := t.indexMatch(ctx, q)
	if err != nil {
		return nil, err
	}
	query, args := t.indexSQL(match)
	return queryAll(ctx, q, scanSearchRow, query, args...)
}

// indexed reports whether a word has a trigram for the index to find.
func (t termsSearch) indexed() bool { return len(t.indexTerms()) > 0 }

// indexTerms are the words of three characters or more.
func (t termsSearch) indexTerms() []string {
	var out []string
	for _, w := range t.terms {
		if utf8.RuneCountInString(w) >= 3 {
			out = append(out, w)
		}
	}
	return out
}

// likes are the LIKE patterns of the words, $1…$n.
func (t termsSearch) likes() []any {
	out := make([]any, len(t.terms))
	for i, w := range t.terms {
		out[i] = "%" + escapeLike(w) + "%"
	}
	return out
}

// matchSQL is the condition that the column holds every word ($1…$n).
func (t termsSearch) matchSQL(col string) string {
	conds := make([]string, len(t.terms))
	for i := range t.terms {
		conds[i] = col + ` LIKE CAST($` + strconv.Itoa(i+1) + ` AS TEXT) ESCAPE '\'`
	}
	return strings.Join(conds, " AND ")
}

// walkMatchSQL is matchSQL for the walks: on PostgreSQL each pattern is
// read by an InitPlan, (SELECT $i), which the planner does not see, so
// that the walk keeps its generic plan instead of being planned again at
// every request (r23-search's finding for the name search's first page;
// the escape is PostgreSQL's default, the backslash).
func (t termsSearch) walkMatchSQL(col string) string {
	if t.db.dialect != postgresDialect {
		return t.matchSQL(col)
	}
	conds := make([]string, len(t.terms))
	for i := range t.terms {
		conds[i] = col + ` LIKE (SELECT CAST($` + strconv.Itoa(i+1) + ` AS TEXT))`
	}
	return strings.Join(conds, " AND ")
}

// walkSQL reads the page's matches among the subtree's first limit
// members in name order (0: all of them), one more than the page.
func (t termsSearch) walkSQL(limit int) string {
	walk := `SELECT s.sort_key, s.member_id, s.name_folded FROM member_scopes s WHERE ` + t.scope + ` ORDER BY s.sort_key, s.member_id`
	if limit > 0 {
		walk += ` LIMIT ` + strconv.Itoa(limit)
	}
	return `SELECT ` + memberColumns + `, m.status FROM (` + walk + `) c JOIN members m ON m.id = c.member_id JOIN units u ON u.id = m.unit_id
		WHERE ` + t.walkMatchSQL("c.name_folded") + ` ORDER BY c.sort_key, c.member_id LIMIT ` + strconv.Itoa(t.f.Limit+1)
}

// indexSQL reads the page through the index: the names that hold every
// word, those of the subtree (candidateCheck), sorted, one more than the
// page. On PostgreSQL each word of three characters or more is a
// condition on the trigram index (its pattern is the word's LIKE: a word
// has no space, which the index's expression turns into '0'), and the
// index ANDs them; on SQLite match is the FTS5 query (indexMatch: the
// words' phrases or their rarest trigrams).
func (t termsSearch) indexSQL(match string) (string, []any) {
	args := t.likes()
	var found string
	if t.db.dialect == postgresDialect {
		var conds []string
		for i, w := range t.terms {
			if utf8.RuneCountInString(w) >= 3 {
				conds = append(conds, `translate(m.name_folded, ' ', '0') LIKE CAST($`+strconv.Itoa(i+1)+` AS TEXT) ESCAPE '\'`)
			}
		}
		found = `FROM members m WHERE ` + strings.Join(conds, " AND ")
	} else {
		args = append(args, match)
		found = `FROM member_names JOIN members m ON m.id = member_names.rowid WHERE member_names MATCH $` + strconv.Itoa(len(args))
	}
	from, within := t.candidateCheck()
	return `WITH c AS MATERIALIZED (SELECT m.id, m.sort_key, m.unit_id, m.status ` + found + ` AND ` + t.matchSQL("m.name_folded") + `)
		SELECT ` + memberColumns + `, m.status FROM (SELECT c.sort_key, c.id FROM ` + from + ` WHERE ` + within + `
		ORDER BY c.sort_key, c.id LIMIT ` + strconv.Itoa(t.f.Limit+1) + `) p
		JOIN members m ON m.id = p.id JOIN units u ON u.id = m.unit_id ORDER BY p.sort_key, p.id`, args
}

// rareKeys are the subtree's members (in name order) whose names hold one
// of the words, through member_keys (keysSearch), for the first word,
// longest first, that the keys answer: ok is false when none. With other
// words to check they are at most Checked: the vocabulary's count of the
// word's rows in the whole tree is held to Candidates, as for the name
// search, but the subtree's rows to Checked (counted in the index, none
// sent when they are more). On SQLite, when the vocabulary says every
// other word is common (othersCommon), no rows are read: meet is the rare
// word, whose rows the other words' rows meet in member_keys (meetPage;
// on PostgreSQL the meet's probes cost more than pg_trgm's AND: measured,
// members_terms_meet.go). vocab holds the keys of each word the
// vocabulary answered (vocabKeys), for rareInTree and meetPage.
func (t termsSearch) rareKeys(ctx context.Context, q Querier) (keys []searchKey, ok bool, meet string, vocab map[string]wordKeys, err error) {
	words := slices.Clone(t.terms)
	slices.SortStableFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	words = slices.Compact(words)
	vocab, read := map[string]wordKeys{}, map[string]bool{}
	for i, w := range words {
		if err := t.readVocab(ctx, q, words[i:i+1], vocab, read); err != nil {
			return nil, false, "", nil, err
		}
		v, known := vocab[w]
		if !known || v.rows > int64(t.lim.Candidates) {
			continue
		}
		if len(t.terms) > 1 && t.db.dialect != postgresDialect {
			// The other words' vocabulary, for the meet (read here only
			// on SQLite: PostgreSQL does not meet, and pays nothing more).
			if err := t.readVocab(ctx, q, words, vocab, read); err != nil {
				return nil, false, "", nil, err
			}
			if t.othersCommon(w, vocab) {
				return nil, false, w, vocab, nil
			}
		}
		one := t.word(w)
		if len(t.terms) > 1 {
			one.lim.Candidates = min(one.lim.Candidates, t.lim.Checked)
		}
		if found, ok, err := one.keyRows(ctx, q, v.keys); err != nil || ok {
			return found, ok, "", vocab, err
		}
	}
	return nil, false, "", vocab, nil
}

// readVocab reads into vocab the vocabulary's keys of each of words not
// read yet (vocabKeys): the words it does not answer are left out.
func (t termsSearch) readVocab(ctx context.Context, q Querier, words []string, vocab map[string]wordKeys, read map[string]bool) error {
	for _, w := range words {
		if read[w] {
			continue
		}
		keys, rows, ok, err := t.word(w).vocabKeys(ctx, q)
		if err != nil {
			return err
		}
		if read[w] = true; ok {
			vocab[w] = wordKeys{keys: keys, rows: rows}
		}
	}
	return nil
}

// wordKeys are the vocabulary's words that hold one of the query's words,
// and their rows in the whole tree when it was written (member_words.n, a
// hint: a word written since counts 0).
type wordKeys struct {
	keys []string
	rows int64
}

// rareInTree reports whether a word of the query (of three characters or
// more) has at most Candidates rows in the whole tree by the vocabulary
// (vocab, from rareKeys), so that the index's candidates, which hold
// every word, are about that many at most: the walk that comes first for
// common words would read Walk names for a page it cannot fill.
func (t termsSearch) rareInTree(vocab map[string]wordKeys) bool {
	for w, v := range vocab {
		if utf8.RuneCountInString(w) >= 3 && v.rows <= int64(t.lim.Candidates) {
			return true
		}
	}
	return false
}

// word is the name search of one of the words.
func (t termsSearch) word(w string) nameSearch {
	one := *t.nameSearch
	one.query, one.like = w, "%"+escapeLike(w)+"%"
	return one
}

// checkedPage is the page of the members of keys (in name order, of the
// subtree and statuses) whose names hold every word: their names read at
// once (at most Checked of them), the page's in name order.
func (t termsSearch) checkedPage(ctx context.Context, q Querier, keys []searchKey) ([]member.Member, error) {
	if len(keys) == 0 {
		return []member.Member{}, nil
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.id
	}
	items, err := queryAll(ctx, q, scanSearchRow, `SELECT `+memberColumns+`, m.status FROM members m JOIN units u ON u.id = m.unit_id
		WHERE m.id IN `+idList(ids)+` AND `+t.matchSQL("m.name_folded"), t.likes()...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, byNameOrder)
	return items[:min(len(items), t.f.Limit+1)], nil
}
