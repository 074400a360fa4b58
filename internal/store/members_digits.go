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
// phone members_phone, migration 0040), which yields the members whose
// number starts with the digits in the number's order. Each index is
// first counted up to DigitCandidates+1 (its entries only). When every number
// has at most DigitCandidates, those are all the matches: they are read, the
// subtree's are kept (by their unit's path and status), sorted by name,
// counted exactly, and the page is read from them. Otherwise the digits
// are common: the page is a walk of DigitWalk members of the subtree in
// name order (as a short name query, a short page keeps a next_cursor),
// and the total is "at least" the matches that walk found.

// digitColumns are the numbers a digits search matches, each with an index.
var digitColumns = []string{"card_no", "citizen_id", "phone"}

// searchDigits answers a digits search of the subtree at f.Path.
func (db Members) searchDigits(ctx context.Context, f member.Filter) (*page.Of[member.Member], error) {
	prepare := func(s *nameSearch) {
		s.like = escapeLike(f.Digits) + "%"
		s.match = `(m.card_no LIKE ` + likeFirst + ` ESCAPE '\' OR m.citizen_id LIKE ` + likeFirst + ` ESCAPE '\' OR m.phone LIKE ` + likeFirst + ` ESCAPE '\')`
	}
	return db.readSearch(ctx, f, prepare, func(s *nameSearch, q Querier, p *page.Of[member.Member], size int) (stop *searchKey, err error) {
		few, err := s.fewDigits(ctx, q)
		if err != nil || !few {
			p.Items, stop, err = s.digitsWalk(ctx, q, size)
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

// fewDigits reports whether each number's index holds at most DigitCandidates
// numbers that start with the digits (counting its entries only). The
// three counts are one statement: CASE runs the next only when the one
// before found few (both engines run a scalar subquery when it is
// reached), so a page costs one round trip here, not up to three.
func (s nameSearch) fewDigits(ctx context.Context, q Querier) (bool, error) {
	lo, hi := s.digitsRange()
	var few int
	err := q.QueryRowContext(ctx, s.fewDigitsSQL(), lo, hi).Scan(&few)
	return few == 1, err
}

// fewDigitsSQL is 1 when each number col has at most DigitCandidates
// numbers in [$1, $2), else 0 (digitCountSQL of each in turn).
func (s nameSearch) fewDigitsSQL() string {
	var whens []string
	for _, col := range digitColumns {
		whens = append(whens, ` WHEN (`+s.digitCountSQL(col)+`) > `+strconv.Itoa(s.lim.DigitCandidates)+` THEN 0`)
	}
	return `SELECT CASE` + strings.Join(whens, "") + ` ELSE 1 END`
}

// digitCountSQL counts the numbers col in [$1, $2), up to DigitCandidates+1.
func (s nameSearch) digitCountSQL(col string) string {
	return fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM members c WHERE c.%s >= $1 AND c.%s < $2 LIMIT %d) p`, col, col, s.lim.DigitCandidates+1)
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
// subtree is bigger (then stop, as for a short name query).
func (s nameSearch) digitsWalk(ctx context.Context, q Querier, size int) ([]member.Member, *searchKey, error) {
	walk := 0
	if size > s.lim.DigitWalk {
		walk = s.lim.DigitWalk
	}
	query, args := s.walkPageSQL(walk)
	items, err := queryAll(ctx, q, scanSearchRow, query, args...)
	if err != nil || len(items) > s.f.Limit || walk == 0 {
		return items, nil, err
	}
	stop, err := s.walkEnd(ctx, q, walk)
	return items, stop, err
}
