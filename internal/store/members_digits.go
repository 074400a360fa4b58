package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// A digits search (docs/api.md "Members": 3+ digits, the start of a card
// number, citizen ID or phone number) costs a page (issue 17): each of the
// three numbers has an index (card_no and citizen_id their unique ones,
// phone members_phone, migration 0040), which yields the members whose
// number starts with the digits in the number's order; at most
// Candidates+1 of them are read from each. When every number has at most
// Candidates, those are all the matches: the subtree's are kept (by
// their unit's path and status), sorted by name, counted exactly, and
// the page is read from them. Otherwise the digits are common: the page
// is a bounded walk of the subtree in name order (as a short name query),
// and the total is "at least" the matches found among those read.

// digitColumns are the numbers a digits search matches, each with an index.
var digitColumns = []string{"card_no", "citizen_id", "phone"}

// searchDigits answers a digits search of the subtree at f.Path.
func (db Members) searchDigits(ctx context.Context, f member.Filter) (*page.Of[member.Member], error) {
	s, counted, err := newNameSearch(db.DB, f)
	if err != nil || s == nil {
		return &page.Of[member.Member]{Items: []member.Member{}}, err
	}
	if lim, ok := ctx.Value(searchLimitsKey{}).(searchLimits); ok {
		s.lim = lim
	}
	s.like = escapeLike(f.Digits) + "%"
	s.match = `(m.card_no LIKE $1 ESCAPE '\' OR m.citizen_id LIKE $1 ESCAPE '\' OR m.phone LIKE $1 ESCAPE '\')`
	p := &page.Of[member.Member]{Items: []member.Member{}}
	err = db.readOn(ctx, db.read, func(q Querier) error {
		keys, all, err := s.digitCandidates(ctx, q)
		if err != nil {
			return fmt.Errorf("count members: %w", err)
		}
		p.Total, p.TotalAtLeast = len(keys), !all
		var stop *searchKey
		if all {
			p.Items, err = s.pageOf(ctx, q, keys)
		} else {
			var size int
			if err := q.QueryRowContext(ctx, counted).Scan(&size); err != nil {
				return fmt.Errorf("count members: %w", err)
			}
			p.Items, stop, err = s.digitsWalk(ctx, q, size)
		}
		if err != nil {
			return fmt.Errorf("list members: %w", err)
		}
		cutSearchPage(p, f.Limit, stop)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// digitCandidates reads, through each number's index, at most
// Candidates+1 members whose number starts with the digits, and keeps
// those of the subtree, in name order; all reports that no number had
// more than Candidates (then they are all the subtree's matches).
func (s nameSearch) digitCandidates(ctx context.Context, q Querier) (keys []searchKey, all bool, err error) {
	lo := s.f.Digits
	hi := lo[:len(lo)-1] + string(lo[len(lo)-1]+1) // digits: the next byte is ':' at most
	seen := map[int64]bool{}
	keys, all = []searchKey{}, true
	for _, col := range digitColumns {
		read := 0
		err := queryEach(ctx, q, func(rows *sql.Rows) error {
			var k searchKey
			var in int
			read++
			if err := rows.Scan(&k.key, &k.id, &in); err != nil || in == 0 || seen[k.id] {
				return err
			}
			seen[k.id] = true
			keys = append(keys, k)
			return nil
		}, s.digitCandidatesSQL(col), lo, hi)
		if err != nil {
			return nil, false, err
		}
		all = all && read <= s.lim.Candidates
	}
	slices.SortFunc(keys, func(a, b searchKey) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return keys, all, nil
}

// digitCandidatesSQL reads the members whose number col is in [$1, $2)
// (starts with the digits), Candidates+1 at most in the number's order:
// sort key, id and whether they are of the subtree (of the statuses).
func (s nameSearch) digitCandidatesSQL(col string) string {
	return fmt.Sprintf(`SELECT c.sort_key, c.id, CASE WHEN %s THEN 1 ELSE 0 END FROM members c JOIN units u ON u.id = c.unit_id
		WHERE c.%s >= $1 AND c.%s < $2 ORDER BY c.%s LIMIT %d`, s.within, col, col, col, s.lim.Candidates+1)
}

// digitsWalk reads the page of common digits: a walk of the subtree in
// name order from the cursor, s.lim.Walk members at most when the subtree
// is bigger (then stop, as for a short name query).
func (s nameSearch) digitsWalk(ctx context.Context, q Querier, size int) ([]member.Member, *searchKey, error) {
	bounded := size > s.lim.Walk
	query, args := s.walkPageSQL(size, bounded)
	items, err := queryAll(ctx, q, scanSearchRow, query, args...)
	if err != nil || len(items) > s.f.Limit || !bounded {
		return items, nil, err
	}
	stop, err := s.walkEnd(ctx, q)
	return items, stop, err
}
