package store

import (
	"strconv"
	"testing"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/outbreak"
)

// TestOutbreakListPlans checks the foci list (issue 17, item 1): one
// unit's reach, two units (one under the other), a state, a next page,
// the root; the count and the page, on both engines.
func TestOutbreakListPlans(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		next := encodeCursor(nil, 77)
		for _, s := range []struct {
			name string
			f    outbreak.Filter
		}{
			{"unit", outbreak.Filter{Paths: []string{"/1/2/"}}},
			{"unit-active", outbreak.Filter{Paths: []string{"/1/2/"}, State: "active"}},
			{"unit-next", outbreak.Filter{Paths: []string{"/1/2/"}, Cursor: next}},
			{"two-units", outbreak.Filter{Paths: []string{"/1/2/", "/1/5/", "/1/5/9/"}, State: "closed", Cursor: next}},
			{"root", outbreak.Filter{Paths: []string{"/"}}},
			{"root-active-next", outbreak.Filter{Paths: []string{"/"}, State: "active", Cursor: next}},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				q, ok, err := outbreakListSQL(db.dialect, s.f)
				if err != nil || !ok {
					t.Fatalf("outbreakListSQL: %v, %v", ok, err)
				}
				c.check(t, "count", q.count, q.countArgs)
				c.check(t, "page", q.page, q.pageArgs)
			})
		}
	})
}

// TestConferenceListPlans checks the conference list: an office's reach,
// a reach with the member's invitations and the account's points, a
// member alone, an account alone, the root, a next page.
func TestConferenceListPlans(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		next := strconv.Itoa(77)
		for _, s := range []struct {
			name string
			f    conference.Filter
		}{
			{"office", conference.Filter{Paths: []string{"/1/2/"}}},
			{"office-member-account", conference.Filter{Paths: []string{"/1/2/", "/1/5/"}, MemberID: 9, AccountID: 3}},
			{"office-member-account-next", conference.Filter{Paths: []string{"/1/2/"}, MemberID: 9, AccountID: 3, Cursor: next}},
			{"member", conference.Filter{MemberID: 9}},
			{"member-next", conference.Filter{MemberID: 9, Cursor: next}},
			{"account", conference.Filter{AccountID: 3}},
			{"root", conference.Filter{Paths: []string{"/"}, MemberID: 9}},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				q, ok, err := conferenceListSQL(db.dialect, s.f)
				if err != nil || !ok {
					t.Fatalf("conferenceListSQL: %v, %v", ok, err)
				}
				c.check(t, "count", q.count, q.countArgs)
				c.check(t, "page", q.page, q.pageArgs)
			})
		}
	})
}
