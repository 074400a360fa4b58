package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// A name search of a subtree (issue 17; docs/api.md "Members") costs a
// page whatever the word: its page and its count each read either a
// bounded walk of the subtree in name order (member_scopes carries the
// folded name, migration 0032, so the walk reads that table alone) or,
// when the walk finds the word rare, the few names that hold it through a
// trigram index (pg_trgm on PostgreSQL, the FTS5 table member_names on
// SQLite), which are then checked against the subtree and sorted. The
// match is always name_folded LIKE '%q%' (the indexes only narrow).
// searchLimits are the search's bounds (a test makes them small).
type searchLimits struct {
	// Walk is how many of the subtree's members (from the cursor on) a
	// page's walk reads before it asks the index.
	Walk int
	// Exact: a subtree with at most this many members (of the statuses
	// asked) counts a search by reading its names in one statement, up
	// to Bound+1 matches (the demo district's 9,700 do:
	// TestAPITreeAndSearch); exact up to Bound.
	Exact int
	// Bound is where a count stops: total Bound and total_at_least. In
	// a subtree of at most Exact members too (r22-nguyen): a common
	// word there ("nguyen": 3,770 of the demo district's 9,700) read
	// every name of the subtree for its exact count, over 5 ms a
	// request; counting up to Bound+1 reads about a quarter of them.
	Bound int
	// CountWalk is how many of a bigger subtree's members the count reads
	// before it asks the index.
	CountWalk int
	// Rare: a word found at most this many times in the count's walk is
	// counted through the index, which reads at most Candidates names.
	Rare, Candidates int
	// ShortWalk is how many members a page of a query the index cannot
	// take (one or two characters) reads in a subtree of more than Exact
	// members; DigitWalk the same for common digits, whose walk reads
	// each member's record.
	ShortWalk, DigitWalk int
	// DigitCandidates: digits found at most this many times in each
	// number's index are read through the indexes (else common).
	DigitCandidates int
	// DigitSet: common digits found at most this many times in the three
	// numbers' indexes together are read from the indexes as a set that
	// the walk's members are checked against, instead of each walked
	// member's record (members_digits.go).
	DigitSet int
	// UnitSet: the candidates of an index are checked against the units
	// of a subtree of at most this many members (of the statuses asked)
	// read once, rather than by a look-up of each one's unit
	// (candidateCheck).
	UnitSet int
	// Keys: a query of one or two words that at most this many words (or
	// pairs of words) of the vocabulary can make is read through
	// member_keys in a subtree of more than Exact members, when they are
	// kept and the subtree holds at most Candidates of their rows
	// (members_keys.go); 0: never.
	Keys int
	// Checked: the unified search (members_terms.go) reads the names of
	// a rare word's members from member_keys to check its other words
	// when they are at most this many, else it walks (the city's 1,270
	// members of "quyet" for "nghi quyet": 7.6 ms, the walk and the
	// index 4.8 ms; docs/benchmarks.md, r23-unified).
	Checked int
	// MeetCommon: a word with more rows than this in the whole tree
	// (member_words.n) is common enough for the unified search to meet a
	// rare word's rows of member_keys with its rows instead of asking the
	// trigram index, which reads about that many names for it
	// (members_terms_meet.go). "nghi" (3,408 rows in the city) is not: its
	// trigrams are rare and the index cheap ("nghi quyet": 1.9-2.4 ms).
	MeetCommon int
}

// searchBounds are the bounds of docs/api.md ("Members").
var searchBounds = searchLimits{Walk: 5000, Exact: 10000, Bound: 1000, CountWalk: 5000, Rare: 10, Candidates: 2000, ShortWalk: 2000, DigitWalk: 1000, DigitCandidates: 500, DigitSet: 5000, UnitSet: 100000, Keys: 16, Checked: 500, MeetCommon: 20000}

// searchLimitsKey carries other searchLimits in a test's context.
type searchLimitsKey struct{}

// nameSearch is one name search of a subtree: its SQL pieces.
type nameSearch struct {
	db    *DB
	scope string // s.scope_id = … AND s.status IN (…), values written in
	// units and statusIn make the condition on a candidate c (id,
	// sort_key, unit_id, status) of the index that it is a member of the
	// subtree of the statuses: its unit's path (units: the condition on
	// u) in the subtree's range, its status in statusIn (" AND …" or
	// empty), values written in. It is what a row of member_scopes says
	// (the rows are those of the unit's path), read from the units (a
	// small table) instead of a probe of member_scopes for each candidate.
	units, statusIn string
	// unitSet: the subtree is small enough (searchLimits.UnitSet) that
	// its units are read once, as a set the candidates' units are
	// checked against (candidateCheck), rather than each candidate's
	// unit looked up.
	unitSet bool
	// wholeTree: the subtree is the whole tree (its unit is the only
	// root), so that every candidate's unit is in it and only its status
	// is checked.
	wholeTree bool
	like      string // the LIKE pattern of the folded query ($1)
	// match is the walk's condition on a member (c: the member_scopes
	// row, m: the record) with the pattern at $1: the name holds the
	// query, or a card, citizen ID or phone number starts with the digits.
	match string
	query string // the folded query
	f     member.Filter
	// cond is the cursor's condition on s, with its arguments from $2.
	cond   string
	cursor argList
	lim    searchLimits
	// carried is the first page's total that the cursor carries for this
	// search (members_search_cursor.go), nil when it carries none or
	// another search's; carry says that the page's next cursor carries
	// its total (a subtree of at most Exact members).
	carried *carriedTotal
	carry   bool
}

// searchable reports whether f is a name search the search path answers:
// the current members of a subtree, names only.
func searchable(f member.Filter) bool {
	return f.Query != "" && f.Digits == "" && !f.Hosted && f.AsOf.IsZero() && f.AdmittedBy.IsZero()
}

// digitsSearchable reports whether f is a digits search (card, citizen ID,
// phone) the digits path answers: the current members of a subtree.
func digitsSearchable(f member.Filter) bool {
	return f.Digits != "" && f.Query == "" && !f.Hosted && f.AsOf.IsZero() && f.AdmittedBy.IsZero()
}

// search answers a name search of the subtree at f.Path: the count, then
// the page.
func (db Members) search(ctx context.Context, f member.Filter) (*page.Of[member.Member], error) {
	return db.readSearch(ctx, f, nil, func(s *nameSearch, q Querier, p *page.Of[member.Member], size int) (stop *searchKey, err error) {
		// In a subtree of more than Exact members, a word (or two) that
		// few words of the vocabulary make, of which the subtree holds
		// few members (members_keys.go), counted up to Bound. A smaller
		// subtree's names are read at once below, cheaper than the keys.
		if size > s.lim.Exact {
			keys, ok, err := s.keysSearch(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("search keys: %w", err)
			}
			if ok {
				p.Total = len(keys)
				if p.Total > s.lim.Bound {
					p.Total, p.TotalAtLeast = s.lim.Bound, true
				}
				p.Items, err = s.pageOf(ctx, q, keys)
				return nil, err
			}
		}
		// The pages carry the first page's total in their cursors: a
		// next page need not read the subtree's names again to count.
		s.carry = true
		if size <= s.lim.Exact && len(s.cursor) == 0 {
			// A small subtree's first page: its matches and their number
			// in one read of its names (exactPageSQL).
			p.Items, p.Total, err = s.exactPage(ctx, q)
			p.Total, p.TotalAtLeast = s.bounded(p.Total)
			return nil, err
		}
		// A small subtree's carried total, or a bigger one's "at least"
		// (its walk's count: 5,000 names read again). A bigger subtree's
		// exact total came with its matches from the index (count's
		// rare word), which the page needs: counted again.
		if c := s.carried; c != nil && (size <= s.lim.Exact || c.atLeast) {
			p.Total, p.TotalAtLeast = c.total, c.atLeast
			p.Items, stop, err = s.page(ctx, q, size)
			return stop, err
		}
		var rare []searchKey
		if p.Total, p.TotalAtLeast, rare, err = s.count(ctx, q, size); err != nil {
			return nil, fmt.Errorf("count members: %w", err)
		}
		if rare != nil {
			p.Items, err = s.pageOf(ctx, q, rare)
		} else {
			p.Items, stop, err = s.page(ctx, q, size)
		}
		return stop, err
	})
}

// readSearch reads a search of the subtree at f.Path: prepare (if any)
// adjusts the search's pieces, read fills the page's items and total
// (given the subtree's size, of the statuses) and says where a bounded
// walk stopped; then the page is cut.
//
// Its statements run on the reader pool as they are, not inside a
// read-only transaction (Read): on PostgreSQL that transaction was READ
// COMMITTED, where each statement takes its own snapshot anyway, so it
// gave the page and its count nothing but two more round trips (BEGIN,
// ROLLBACK) of the four to six a page costs (docs/benchmarks.md,
// r18-randw). The count is a page's own estimate in any case: a first
// page counts, and a write between two pages moves the count of a next
// page that counts again (a bigger subtree's; a small one's next pages
// carry the first page's total: members_search_cursor.go). On SQLite
// Read is the pool already.
func (db Members) readSearch(ctx context.Context, f member.Filter, prepare func(*nameSearch),
	read func(s *nameSearch, q Querier, p *page.Of[member.Member], size int) (*searchKey, error)) (*page.Of[member.Member], error) {
	s, counted, err := newNameSearch(db.DB, f)
	if err != nil || s == nil {
		return &page.Of[member.Member]{Items: []member.Member{}}, err
	}
	if lim, ok := ctx.Value(searchLimitsKey{}).(searchLimits); ok {
		s.lim = lim
	}
	if prepare != nil {
		prepare(s)
	}
	p := &page.Of[member.Member]{Items: []member.Member{}}
	q := Querier(db.read)
	err = func() error {
		var size int
		if len(doc.AncestorIDs(f.Path)) == 1 {
			// A root's subtree: the whole tree when it is the only root
			// (asked with the size: one round trip, not two).
			var roots int
			if err := q.QueryRowContext(ctx, `SELECT (`+counted+`), (`+rootsSQL+`)`).Scan(&size, &roots); err != nil {
				return fmt.Errorf("count members and roots: %w", err)
			}
			s.unitSet = size <= s.lim.UnitSet
			s.wholeTree = roots == 1 && !s.unitSet
		} else {
			if err := q.QueryRowContext(ctx, counted).Scan(&size); err != nil {
				return fmt.Errorf("count members: %w", err)
			}
			s.unitSet = size <= s.lim.UnitSet
		}
		stop, err := read(s, q, p, size)
		if err != nil {
			return fmt.Errorf("list members: %w", err)
		}
		cutSearchPage(p, s, stop)
		return nil
	}()
	if err != nil {
		return nil, err
	}
	return p, nil
}

// rootsSQL counts the roots of the tree, up to two: one means a root's
// subtree is the whole tree.
const rootsSQL = `SELECT COUNT(*) FROM (SELECT 1 FROM units WHERE parent_id IS NULL LIMIT 2) r`

// cutSearchPage ends a page of a search (one row more than limit read):
// the cursor is after the page's last member, or, when a bounded walk
// stopped (stop) before it filled the page, after the last member the
// walk read, so that the next page goes on from there (docs/api.md: a
// short page, even an empty one, with a next_cursor). When s.carry, the
// cursor carries the page's total for the next page.
func cutSearchPage(p *page.Of[member.Member], s *nameSearch, stop *searchKey) {
	encode := func(key []byte, id int64) string {
		if s.carry {
			return encodeSearchCursor(key, id, carriedTotal{total: p.Total, atLeast: p.TotalAtLeast, sum: searchSum(s.f)})
		}
		return encodeCursor(key, id)
	}
	cutPage(p, s.f.Limit, func(last member.Member) string { return encode(last.SortKey, last.ID) })
	if p.NextCursor == nil && stop != nil {
		c := encode(stop.key, stop.id)
		p.NextCursor = &c
	}
}

// newNameSearch writes the pieces of f's search (nil: nothing to list)
// and the SQL of the subtree's size, from the per-subtree counters.
func newNameSearch(db *DB, f member.Filter) (*nameSearch, string, error) {
	ids := doc.AncestorIDs(f.Path)
	if len(ids) == 0 {
		return nil, "", nil
	}
	scopeID := strconv.FormatInt(ids[len(ids)-1], 10)
	s := &nameSearch{db: db, scope: `s.scope_id = ` + scopeID, like: "%" + escapeLike(f.Query) + "%", query: f.Query, f: f, lim: searchBounds,
		units: `u.path >= ` + quoteSQL(f.Path) + ` AND u.path < ` + quoteSQL(prefixEnd(f.Path))}
	s.match = `c.name_folded LIKE ` + s.pattern()
	counted := subtreeMembersSQL(scopeID)
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			marks[i] = quoteSQL(string(st))
		}
		in := " IN (" + strings.Join(marks, ", ") + ")"
		s.scope += ` AND s.status` + in
		s.statusIn = ` AND c.status` + in
		counted += ` AND status` + in
	}
	if f.Cursor != "" {
		ck, cid, carried, err := decodeMemberCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		if carried != nil && carried.sum == searchSum(f) {
			s.carried = carried
		}
		// A row comparison, which both engines take as the primary key's
		// lower bound even in a plan made without the values (a generic
		// plan): written as key > k OR (key = k AND id > i), a next
		// page's generic plan read the rest of the subtree by bitmap and
		// sorted it (r23-search), so its pattern had to stay in sight and
		// the statement was planned again at every request.
		s.cursor = argList{ck, cid}
		s.cond = ` AND (s.sort_key, s.member_id) > ($2, $3)`
	}
	return s, counted, nil
}

// pattern is the right side of the first page's and the counts' LIKE:
// the pattern at $1. On PostgreSQL it is read by an InitPlan, (SELECT
// $1), whose value the planner does not see: a statement whose pattern it
// saw was planned again at every run (a custom plan: its estimate of the
// pattern's matches made the generic plan look dearer), 0.40–0.45 ms of
// the demo district's first page (r23-search); it now keeps its generic
// plan after five runs, as the lists' statements do. The escape is
// PostgreSQL's default, the backslash; SQLite has none, so it is named
// there. The walk after a cursor (match) hides it too since its cursor is
// a row comparison (newNameSearch): with key > k OR (key = k AND id > i)
// its generic plan read the rest of the subtree by bitmap and sorted it.
func (s nameSearch) pattern() string {
	if s.db.dialect == postgresDialect {
		return `(SELECT ` + likeFirst + `)`
	}
	return likeFirst + ` ESCAPE '\'`
}

// indexed reports whether the query has a trigram for the index to find
// (three characters or more).
func (s nameSearch) indexed() bool { return utf8.RuneCountInString(s.query) >= 3 }

// candidates is the WITH clause of the members whose names hold the query,
// through the trigram index (a query of two words or more: the index of
// word boundaries, when it has a boundary to look up), as c(id, sort_key); its parameters follow
// the LIKE pattern ($1) at $next; limit > 0 reads that many at most.
func (s nameSearch) candidates(next, limit int) (string, any) {
	mark := "$" + strconv.Itoa(next)
	lim := ""
	if limit > 0 {
		lim = ` LIMIT ` + strconv.Itoa(limit)
	}
	if tok := pairToken(s.query); tok != "" {
		// Two words or more: the names with the query's word boundary
		// (members_pairs.go), not its trigrams.
		if s.db.dialect == postgresDialect {
			return `WITH c AS MATERIALIZED (SELECT m.id, m.sort_key, m.unit_id, m.status FROM members m
			WHERE ` + pairsExpr("m.name_folded") + ` && ARRAY[` + mark + `, '` + pairLong + `'] AND m.name_folded LIKE ` + likeFirst + ` ESCAPE '\'` + lim + `) `, tok
		}
		return `WITH c AS MATERIALIZED (SELECT m.id, m.sort_key, m.unit_id, m.status FROM member_pairs p JOIN members m ON m.id = p.member_id
		WHERE p.token = ` + mark + ` AND m.name_folded LIKE ` + likeFirst + ` ESCAPE '\'` + lim + `) `, tok
	}
	if s.db.dialect == postgresDialect {
		return `WITH c AS MATERIALIZED (SELECT m.id, m.sort_key, m.unit_id, m.status FROM members m
			WHERE translate(m.name_folded, ' ', '0') LIKE ` + mark + ` ESCAPE '\' AND m.name_folded LIKE ` + likeFirst + ` ESCAPE '\'` + lim + `) `,
			"%" + escapeLike(strings.ReplaceAll(s.query, " ", "0")) + "%"
	}
	return `WITH c AS MATERIALIZED (SELECT m.id, m.sort_key, m.unit_id, m.status FROM member_names JOIN members m ON m.id = member_names.rowid
		WHERE member_names MATCH ` + mark + ` AND m.name_folded LIKE ` + likeFirst + ` ESCAPE '\'` + lim + `) `,
		`"` + strings.ReplaceAll(s.query, `"`, `""`) + `"`
}

// count counts the subtree's matches: up to Bound+1 of them when it has
// at most Exact members (size, of the statuses), more than Bound being
// "at least Bound" (boundedCountSQL), else by a walk of CountWalk of
// its members up to Bound+1 matches: more than Bound is "at least Bound";
// a rare word there (at most Rare matches) is counted through the index,
// reading at most Candidates names (more: at least what it found), and
// then the subtree's matches are known (rare, in name order, not nil) and
// make the page too; any other word is "at least" the matches the walk
// found.
func (s nameSearch) count(ctx context.Context, q Querier, size int) (total int, atLeast bool, rare []searchKey, err error) {
	var n int
	if size <= s.lim.Exact {
		err := q.QueryRowContext(ctx, s.boundedCountSQL(), s.like).Scan(&n)
		total, atLeast = s.bounded(n)
		return total, atLeast, nil, err
	}
	if err := q.QueryRowContext(ctx, s.walkCountSQL(), s.like).Scan(&n); err != nil || n > s.lim.Bound {
		return min(n, s.lim.Bound), true, nil, err
	}
	if n > s.lim.Rare || !s.indexed() {
		return n, true, nil, nil
	}
	var read int
	rare = []searchKey{}
	query, args := s.indexCountSQL()
	err = queryEach(ctx, q, func(rows *sql.Rows) error {
		var k searchKey
		var in int
		read++
		if err := rows.Scan(&k.key, &k.id, &in); err != nil || in == 0 {
			return err
		}
		rare = append(rare, k)
		return nil
	}, query, args...)
	if err != nil {
		return 0, false, nil, err
	}
	if read > s.lim.Candidates {
		return min(max(n, len(rare)), s.lim.Bound), true, nil, nil
	}
	sortKeys(rare)
	return min(len(rare), s.lim.Bound), len(rare) > s.lim.Bound, rare, nil
}

// searchKey is a member's place in name order.
type searchKey struct {
	key []byte
	id  int64
}

// sortKeys puts keys in name order.
func sortKeys(keys []searchKey) {
	slices.SortFunc(keys, func(a, b searchKey) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
}

// byNameOrder compares two members in name order: sort key, then id.
func byNameOrder(a, b member.Member) int {
	if c := bytes.Compare(a.SortKey, b.SortKey); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// pageOf reads the page of the subtree's matches, known in name order:
// those after the cursor, one more than the limit.
func (s nameSearch) pageOf(ctx context.Context, q Querier, keys []searchKey) ([]member.Member, error) {
	if len(s.cursor) == 2 {
		ck, cid := s.cursor[0].([]byte), s.cursor[1].(int64)
		keys = slices.DeleteFunc(slices.Clone(keys), func(k searchKey) bool {
			c := bytes.Compare(k.key, ck)
			return c < 0 || c == 0 && k.id <= cid
		})
	}
	keys = keys[:min(len(keys), s.f.Limit+1)]
	if len(keys) == 0 {
		return []member.Member{}, nil
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.id
	}
	got, err := queryMap(ctx, q, func(rows *sql.Rows) (int64, member.Member, error) {
		m, err := scanSearchRow(rows)
		return m.ID, m, err
	}, `SELECT `+memberColumns+`, m.status FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id IN `+idList(ids))
	if err != nil {
		return nil, err
	}
	out := make([]member.Member, 0, len(ids))
	for _, id := range ids {
		if m, ok := got[id]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// exactPage reads the first page of a subtree of at most Exact members
// and the number of its matches (exactPageSQL; none when the page is
// empty: a first page is empty only when nothing matches).
func (s nameSearch) exactPage(ctx context.Context, q Querier) ([]member.Member, int, error) {
	total := 0
	items, err := queryAll(ctx, q, func(rows *sql.Rows) (member.Member, error) {
		var st string
		m, err := scanMember(rows, &st, &total)
		if err != nil {
			return member.Member{}, err
		}
		m.Status = member.Status(st)
		return *m, nil
	}, s.exactPageSQL(), s.like)
	// The page's order is the inner read's; the joins may not keep it,
	// and an ORDER BY after them costs SQLite a sort of the page in a
	// temporary B-tree (the plan test's rule), so the page is put in name
	// order here.
	slices.SortFunc(items, byNameOrder)
	return items, total, err
}

// bounded is the total of a count of up to Bound+1 matches: more than
// Bound is "at least Bound".
func (s nameSearch) bounded(n int) (total int, atLeast bool) {
	if n > s.lim.Bound {
		return s.lim.Bound, true
	}
	return n, false
}

// exactPageSQL reads the first page (one member more than the limit) of
// the matches of a subtree of at most Exact members, each row with the
// number of matches up to Bound+1:
// one statement for the count and the page, where a first page read
// the count, then a walk of Walk members and, for a rare word that walk
// could not fill a page with, the index page (docs/benchmarks.md,
// r19-search). The page p reads the subtree's names in name order up to
// the page's last match. When p holds at most the limit, it read the
// whole subtree and its rows (n: a window over the page's 51 rows at
// most) are the count; else the count is boundedCountSQL's (r22-nguyen:
// a rare word, "khuc" in the demo district, read the 9,700 names twice,
// once for the page and once for the count). Both engines evaluate a
// CASE's branch only when taken, and an uncorrelated subquery once. Not
// a window COUNT(*) OVER () over all the matches: SQLite then writes
// every match to a temporary table (a common word in the demo district:
// 3,770 rows, 8.8 ms). A next page
// walks after the cursor and answers the first page's total, which its
// cursor carries (r24-names; an older cursor counts again).
func (s nameSearch) exactPageSQL() string {
	return `SELECT ` + memberColumns + `, m.status, CASE WHEN p.n <= ` + strconv.Itoa(s.f.Limit) + ` THEN p.n ELSE (` + s.boundedCountSQL() + `) END
		FROM (SELECT w.sort_key, w.member_id, COUNT(*) OVER () AS n FROM (SELECT s.sort_key, s.member_id FROM member_scopes s
		WHERE ` + s.scope + ` AND s.name_folded LIKE ` + s.pattern() + ` ORDER BY s.sort_key, s.member_id LIMIT ` + strconv.Itoa(s.f.Limit+1) + `) w) p
		JOIN members m ON m.id = p.member_id JOIN units u ON u.id = m.unit_id`
}

// boundedCountSQL counts the subtree's matches up to Bound+1, reading its
// members' names until it has found that many (all of them for a word
// with at most Bound matches): a common word stops early ("nguyen" in
// the demo district: after about 2,600 of the 9,700 names).
func (s nameSearch) boundedCountSQL() string {
	return `SELECT COUNT(*) FROM (SELECT 1 FROM member_scopes s WHERE ` + s.scope + ` AND s.name_folded LIKE ` + s.pattern() + `
		LIMIT ` + strconv.Itoa(s.lim.Bound+1) + `) c`
}

// walkCountSQL counts the matches among CountWalk of the subtree's
// members, up to Bound+1.
func (s nameSearch) walkCountSQL() string {
	return `SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT s.name_folded FROM member_scopes s WHERE ` + s.scope + `
		ORDER BY s.sort_key, s.member_id LIMIT ` + strconv.Itoa(s.lim.CountWalk) + `) c WHERE c.name_folded LIKE ` + s.pattern() + ` LIMIT ` + strconv.Itoa(s.lim.Bound+1) + `) p`
}

// indexCountSQL reads Candidates+1 names at most through the index:
// their sort keys and ids, and whether they are of the subtree.
func (s nameSearch) indexCountSQL() (string, []any) {
	with, arg := s.candidates(2, s.lim.Candidates+1)
	from, within := s.candidateCheck()
	return with + `SELECT c.sort_key, c.id, CASE WHEN ` + within + ` THEN 1 ELSE 0 END FROM ` + from, []any{s.like, arg}
}

// candidateCheck is what a statement reading the candidates c of an index
// (their id, sort_key, unit_id, status) reads them from, and the
// condition that one is a member of the subtree of the statuses, for a
// CASE of its columns: its status alone in the whole tree (wholeTree),
// else each candidate's unit looked up, or, when the
// subtree is small (unitSet), its unit tested against the subtree's units
// read once (a hashed subplan on PostgreSQL, an ephemeral index on
// SQLite: a district's 500–1,000 units read once cost less than a
// look-up for each of a few hundred candidates).
func (s nameSearch) candidateCheck() (from, within string) {
	if s.wholeTree {
		return `c`, `1 = 1` + s.statusIn
	}
	if s.unitSet {
		return `c`, `c.unit_id IN (SELECT u.id FROM units u WHERE ` + s.units + `)` + s.statusIn
	}
	return `c JOIN units u ON u.id = c.unit_id`, s.units + s.statusIn
}

// page reads the page after the cursor, one member more than the limit:
// by a walk of s.lim.Walk members of
// the subtree, and when that does not fill the page in a subtree bigger
// than the walk, through the index (sorting the few matches). A query
// the index cannot take (one or two characters) in a subtree of more
// than s.lim.Exact members walks s.lim.ShortWalk members only: when they
// do not fill the page, stop is the last of them (the next page starts
// after it).
func (s nameSearch) page(ctx context.Context, q Querier, size int) ([]member.Member, *searchKey, error) {
	walk := 0 // all
	switch {
	case !s.indexed() && size > s.lim.Exact:
		walk = s.lim.ShortWalk
	case s.indexed() && size > s.lim.Walk:
		walk = s.lim.Walk
	}
	query, args := s.walkPageSQL(walk)
	items, err := queryAll(ctx, q, scanSearchRow, query, args...)
	if err != nil || len(items) > s.f.Limit || walk == 0 {
		return items, nil, err
	}
	if !s.indexed() {
		stop, err := s.walkEnd(ctx, q, walk)
		return items, stop, err
	}
	query, args = s.indexPageSQL()
	items, err = queryAll(ctx, q, scanSearchRow, query, args...)
	return items, nil, err
}

// walkEnd is the last member of a walk of walk members from the cursor
// on, nil when the walk reads the rest of the subtree.
func (s nameSearch) walkEnd(ctx context.Context, q Querier, walk int) (*searchKey, error) {
	var k searchKey
	err := q.QueryRowContext(ctx, s.walkEndSQL(walk), s.cursor...).Scan(&k.key, &k.id)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return &k, err
}

// walkEndSQL reads the walk-th member from the cursor on.
func (s nameSearch) walkEndSQL(walk int) string {
	cond := s.cond
	for i := 2; i <= 3; i++ { // the cursor's $2, $3 become $1, $2
		cond = strings.ReplaceAll(cond, "$"+strconv.Itoa(i), "$"+strconv.Itoa(i-1))
	}
	return `SELECT s.sort_key, s.member_id FROM member_scopes s WHERE ` + s.scope + cond + ` ORDER BY s.sort_key, s.member_id LIMIT 1 OFFSET ` + strconv.Itoa(walk-1)
}

// walkPageSQL reads the page's matches among the subtree's members from
// the cursor on in name order: limit of them, or all (0).
func (s nameSearch) walkPageSQL(limit int) (string, []any) {
	walk := `SELECT s.sort_key, s.member_id, s.name_folded FROM member_scopes s WHERE ` + s.scope + s.cond + ` ORDER BY s.sort_key, s.member_id`
	if limit > 0 {
		walk += ` LIMIT ` + strconv.Itoa(limit)
	}
	return `SELECT ` + memberColumns + `, m.status FROM (` + walk + `) c JOIN members m ON m.id = c.member_id JOIN units u ON u.id = m.unit_id
		WHERE ` + s.match + ` ORDER BY c.sort_key, c.member_id LIMIT ` + strconv.Itoa(s.f.Limit+1), append([]any{s.like}, s.cursor...)
}

// indexPageSQL reads the page through the index: the names that hold the
// query, those of the subtree (by their unit's path) after the cursor,
// sorted.
func (s nameSearch) indexPageSQL() (string, []any) {
	args := append([]any{s.like}, s.cursor...)
	with, arg := s.candidates(len(args)+1, 0)
	return with + `SELECT ` + memberColumns + `, m.status FROM (SELECT c.sort_key, c.id FROM c
		JOIN units u ON u.id = c.unit_id WHERE ` + s.units + s.statusIn + strings.ReplaceAll(strings.ReplaceAll(s.cond, "s.sort_key", "c.sort_key"), "s.member_id", "c.id") + `
		ORDER BY c.sort_key, c.id LIMIT ` + strconv.Itoa(s.f.Limit+1) + `) p
		JOIN members m ON m.id = p.id JOIN units u ON u.id = m.unit_id ORDER BY p.sort_key, p.id`, append(args, arg)
}

// scanSearchRow reads a member of a list with its status (the list's own:
// as of a date, it may differ from the record's).
func scanSearchRow(rows *sql.Rows) (member.Member, error) {
	var st string
	m, err := scanMember(rows, &st)
	if err != nil {
		return member.Member{}, err
	}
	m.Status = member.Status(st)
	return *m, nil
}

// quoteSQL writes s as an SQL string literal.
func quoteSQL(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
