package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// A digits search (docs/api.md "Members": 3+ digits, the start of a card
// number, citizen ID or phone number) costs a page (issue 17): each of the
// three numbers has an index (card_no and citizen_id their unique ones,
// phone members_phone, migration 0040; on PostgreSQL each holds the
// member's id too, migration 0049), which yields the members whose
// number starts with the digits in the number's order. Each index is
// first counted up to DigitSet+1 (its entries only; SQLite:
// DigitCandidates+1). When every number
// has at most DigitCandidates, those are all the matches: they are read, the
// subtree's are kept (by their unit's path and status), sorted by name,
// counted exactly, and the page is read from them. Otherwise the digits
// are common: the page is a walk of DigitWalk members of the subtree in
// name order (as a short name query, a short page keeps a next_cursor),
// and the total is "at least" the matches that walk found. On PostgreSQL
// the walk checks its members against the matching numbers read from the
// indexes as a set when the three hold at most DigitSet of them ("0915":
// 4,467 in the city), else against each member's record. SQLite always
// reads the records: a look-up by rowid is cheap there (its "0915" cost
// 1.5–5 ms a page in the city, docs/benchmarks.md session 11), and its
// plan of the set builds an automatic index of the set's ids on every
// call (not measured on its city: none was at hand in r23-city).

// digitColumns are the numbers a digits search matches, each with an index.
var digitColumns = []string{"card_no", "citizen_id", "phone"}

// searchDigits answers a digits search of the subtree at f.Path.
func (db Members) searchDigits(ctx context.Context, f member.Filter) (*page.Of[member.Member], error) {
	prepare := func(s *nameSearch) {
		s.like = escapeLike(f.Digits) + "%"
		s.match = `(m.card_no LIKE ` + likeFirst + ` ESCAPE '\' OR m.citizen_id LIKE ` + likeFirst + ` ESCAPE '\' OR m.phone LIKE ` + likeFirst + ` ESCAPE '\')`
	}
	return db.readSearch(ctx, f, prepare, func(s *nameSearch, q Querier, p *page.Of[member.Member], size int) (stop *searchKey, err error) {
		found, err := s.digitsFound(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("count digits: %w", err)
		}
		if !found.few(s.lim) {
			p.Items, stop, err = s.digitsWalk(ctx, q, size, s.digitSets() && found.set(s.lim))
			p.Total, p.TotalAtLeast = len(p.Items), true
			return stop, err
		}
		keys, err := s.digitCandidates(ctx, q)
		if err != nil {
			return nil, err
		}
		p.Total = len(keys)
		p.Items, err = s.pageOf(ctx, q, keys)
		return nil, err
	})
}

// digitsRange is the range of the numbers that start with the digits.
func (s nameSearch) digitsRange() (lo, hi string) {
	lo = s.f.Digits
	return lo, lo[:len(lo)-1] + string(lo[len(lo)-1]+1) // digits: the next byte is ':' at most
}

// digitsFound is how many numbers of each index start with the digits,
// each counted up to one past digitCountBound; -1: not counted, as one
// before it was over that bound.
type digitsFound [3]int

// few: every number has at most DigitCandidates (the candidates path).
func (d digitsFound) few(lim searchLimits) bool {
	for _, n := range d {
		if n < 0 || n > lim.DigitCandidates {
			return false
		}
	}
	return true
}

// set: the three numbers hold at most DigitSet together, few enough for
// the walk to check its members against them as a set.
func (d digitsFound) set(lim searchLimits) bool {
	sum := 0
	for _, n := range d {
		if n < 0 {
			return false
		}
		sum += n
	}
	return sum <= lim.DigitSet
}

// digitsFound counts the numbers of each index that start with the digits
// (counting its entries only), in one statement: a round trip per page
// here, not up to three.
func (s nameSearch) digitsFound(ctx context.Context, q Querier) (digitsFound, error) {
	lo, hi := s.digitsRange()
	var d digitsFound
	err := q.QueryRowContext(ctx, s.digitsFoundSQL(), lo, hi).Scan(&d[0], &d[1], &d[2])
	return d, err
}

// digitsFoundSQL counts each number col in [$1, $2) up to the count's
// bound (digitCountSQL), one column each; a number is counted only when
// none before it was over that bound (-1 then: a CASE runs its scalar
// subquery only when it is reached, on both engines), so that digits
// common in one number ("001": every citizen ID of Hà Nội) do not read
// the next ones' indexes as well. Each step is a MATERIALIZED CTE over
// the one before (stepN: one row; the plan tests let SQLite scan it), so
// that neither engine copies a count into the next step's CASE (SQLite
// would run each copy).
func (s nameSearch) digitsFoundSQL() string {
	bound := strconv.Itoa(s.digitCountBound())
	var ctes, names, over []string
	for i, col := range digitColumns {
		count := `(` + s.digitCountSQL(col) + `)`
		name := "n" + strconv.Itoa(i)
		sel := `SELECT ` + count + ` AS ` + name
		if i > 0 {
			sel = `SELECT ` + strings.Join(names, ", ") + `, CASE WHEN ` + strings.Join(over, " OR ") + ` THEN -1 ELSE ` + count + ` END AS ` + name + ` FROM step` + strconv.Itoa(i-1)
		}
		ctes = append(ctes, `step`+strconv.Itoa(i)+` AS MATERIALIZED (`+sel+`)`)
		names = append(names, name)
		over = append(over, name+` > `+bound)
	}
	return `WITH ` + strings.Join(ctes, ", ") + ` SELECT ` + strings.Join(names, ", ") + ` FROM step` + strconv.Itoa(len(digitColumns)-1)
}

// digitSets reports whether the walk of common digits may check its
// members against a set read from the numbers' indexes: on PostgreSQL
// only (SQLite: the records, see above).
func (s nameSearch) digitSets() bool { return s.db.dialect == postgresDialect }

// digitCountBound is where digitCountSQL stops: past DigitCandidates, and
// past DigitSet where the walk may read a set (else the count would read
// what nothing uses).
func (s nameSearch) digitCountBound() int {
	if !s.digitSets() {
		return s.lim.DigitCandidates
	}
	return max(s.lim.DigitSet, s.lim.DigitCandidates)
}

// digitCountSQL counts the numbers col in [$1, $2), up to one past the
// count's bound.
func (s nameSearch) digitCountSQL(col string) string {
	return fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM members c WHERE c.%s >= $1 AND c.%s < $2 LIMIT %d) p`, col, col, s.digitCountBound()+1)
}

// digitCandidates reads, through each number's index, the members whose
// number starts with the digits (few: fewDigits), and keeps those of the
// subtree, in name order. The three numbers' reads are the arms of one
// UNION ALL (one round trip, not three); a member found by two numbers
// is kept once.
func (s nameSearch) digitCandidates(ctx context.Context, q Querier) ([]searchKey, error) {
	lo, hi := s.digitsRange()
	seen := map[int64]bool{}
	keys := []searchKey{}
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		var k searchKey
		var in int
		if err := rows.Scan(&k.key, &k.id, &in); err != nil || in == 0 || seen[k.id] {
			return err
		}
		seen[k.id] = true
		keys = append(keys, k)
		return nil
	}, s.allDigitCandidatesSQL(), lo, hi)
	if err != nil {
		return nil, err
	}
	sortKeys(keys)
	return keys, nil
}

// allDigitCandidatesSQL is digitCandidatesSQL of each number, one after
// the other (each arm a subquery p, for its own ORDER BY and LIMIT).
func (s nameSearch) allDigitCandidatesSQL() string {
	var arms []string
	for _, col := range digitColumns {
		arms = append(arms, `SELECT * FROM (`+s.digitCandidatesSQL(col)+`) p`)
	}
	return strings.Join(arms, " UNION ALL ")
}

// digitCandidatesSQL reads the members whose number col is in [$1, $2)
// (starts with the digits), DigitCandidates+1 at most in the number's order:
// sort key, id and whether they are of the subtree (of the statuses).
func (s nameSearch) digitCandidatesSQL(col string) string {
	from, within := s.candidateCheck()
	return fmt.Sprintf(`SELECT c.sort_key, c.id, CASE WHEN %s THEN 1 ELSE 0 END FROM %s
		WHERE c.%s >= $1 AND c.%s < $2 ORDER BY c.%s LIMIT %d`, within, strings.Replace(from, "c", "members c", 1), col, col, col, s.lim.DigitCandidates+1)
}

// digitsWalk reads the page of common digits: a walk of the subtree in
// name order from the cursor, s.lim.DigitWalk members at most when the
// subtree is bigger (then stop, as for a short name query). set: the
// walk's members are checked against the numbers' indexes read as a set
// (digitsSetPageSQL), else against their records (walkPageSQL).
func (s nameSearch) digitsWalk(ctx context.Context, q Querier, size int, set bool) ([]member.Member, *searchKey, error) {
	walk := 0
	if size > s.lim.DigitWalk {
		walk = s.lim.DigitWalk
	}
	query, args := s.walkPageSQL(walk)
	if set {
		query, args = s.digitsSetPageSQL(walk)
	}
	items, err := queryAll(ctx, q, scanSearchRow, query, args...)
	if err != nil || len(items) > s.f.Limit || walk == 0 {
		return items, nil, err
	}
	stop, err := s.walkEnd(ctx, q, walk)
	return items, stop, err
}

// digitsSetPageSQL is walkPageSQL for digits whose numbers are few enough
// to read whole (DigitSet): the walk's members (limit of them, or all: 0)
// joined to the ids of the numbers that start with the digits, read from
// the three indexes alone (on PostgreSQL each holds the id, migration
// 0049; on SQLite every index holds the rowid). Only the page's members
// are read from members. Before, the walk read each of its 1,000 members'
// records for their numbers: 1,000 look-ups of members, about 2.5 ms of
// PostgreSQL's CPU for "0915" in the city, where the set's 4,467 index
// entries and the join cost about 1 ms (docs/benchmarks.md, r23-city).
// DISTINCT: a member two of whose numbers start with the digits is
// joined twice. The same $1 (the range's start) and cursor ($2, $3) as
// walkPageSQL, the range's end after them.
func (s nameSearch) digitsSetPageSQL(limit int) (string, []any) {
	lo, hi := s.digitsRange()
	args := append(append([]any{lo}, s.cursor...), hi)
	end := "$" + strconv.Itoa(len(args))
	var arms []string
	for _, col := range digitColumns {
		arms = append(arms, fmt.Sprintf(`SELECT n.id FROM members n WHERE n.%s >= $1 AND n.%s < %s`, col, col, end))
	}
	walk := `SELECT s.sort_key, s.member_id FROM member_scopes s WHERE ` + s.scope + s.cond + ` ORDER BY s.sort_key, s.member_id`
	if limit > 0 {
		walk += ` LIMIT ` + strconv.Itoa(limit)
	}
	return `SELECT ` + memberColumns + `, m.status FROM (SELECT DISTINCT c.sort_key, c.member_id FROM (` + walk + `) c
		JOIN (` + strings.Join(arms, " UNION ALL ") + `) n ON n.id = c.member_id ORDER BY c.sort_key, c.member_id LIMIT ` + strconv.Itoa(s.f.Limit+1) + `) p
		JOIN members m ON m.id = p.member_id JOIN units u ON u.id = m.unit_id ORDER BY p.sort_key, p.member_id`, args
}
