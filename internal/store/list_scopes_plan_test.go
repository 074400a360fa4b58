package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestOutbreakListPlans checks the foci list (issue 17, item 1): one
// unit's reach, two units (one under the other), a state, a next page,
// the root; the count and the page, on both engines.
func TestOutbreakListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		next := encodeCursor(nil, 77)
		checkScopeListPlans(t, newPlanChecker(t, db), func(f outbreak.Filter) (scopeListQuery, bool, error) {
			f.Limit = 50
			return outbreakListSQL(db.dialect, f)
		}, []namedFilter[outbreak.Filter]{
			{"unit", outbreak.Filter{Paths: []string{"/1/2/"}}},
			{"unit-active", outbreak.Filter{Paths: []string{"/1/2/"}, State: "active"}},
			{"unit-next", outbreak.Filter{Paths: []string{"/1/2/"}, Cursor: next}},
			{"two-units", outbreak.Filter{Paths: []string{"/1/2/", "/1/5/", "/1/5/9/"}, State: "closed", Cursor: next}},
			{"root", outbreak.Filter{Paths: []string{"/"}}},
			{"root-active-next", outbreak.Filter{Paths: []string{"/"}, State: "active", Cursor: next}},
		})
	})
}

// namedFilter is one case of checkScopeListPlans.
type namedFilter[F any] struct {
	name string
	f    F
}

// checkScopeListPlans checks the plans of the count and of the page that
// build writes for each filter of a list by scopes (outbreaks,
// conferences).
func checkScopeListPlans[F any](t *testing.T, c *planChecker, build func(F) (scopeListQuery, bool, error), cases []namedFilter[F]) {
	for _, s := range cases {
		t.Run(s.name, func(t *testing.T) {
			q, ok, err := build(s.f)
			if err != nil || !ok {
				t.Fatalf("no query: %v, %v", ok, err)
			}
			c.check(t, "count", q.count, q.countArgs)
			c.check(t, "page", q.page, q.pageArgs)
		})
	}
}

// TestConferenceListPlans checks the conference list: an office's reach,
// a reach with the member's invitations and the account's points, a
// member alone, an account alone, the root, a next page.
func TestConferenceListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		next := strconv.Itoa(77)
		checkScopeListPlans(t, newPlanChecker(t, db), func(f conference.Filter) (scopeListQuery, bool, error) {
			f.Limit = 50
			return conferenceListSQL(db.dialect, f)
		}, []namedFilter[conference.Filter]{
			{"office", conference.Filter{Paths: []string{"/1/2/"}}},
			{"office-member-account", conference.Filter{Paths: []string{"/1/2/", "/1/5/"}, MemberID: 9, AccountID: 3}},
			{"office-member-account-next", conference.Filter{Paths: []string{"/1/2/"}, MemberID: 9, AccountID: 3, Cursor: next}},
			{"member", conference.Filter{MemberID: 9}},
			{"member-next", conference.Filter{MemberID: 9, Cursor: next}},
			{"account", conference.Filter{AccountID: 3}},
			{"root", conference.Filter{Paths: []string{"/"}, MemberID: 9}},
		})
	})
}

// TestMeetingListPlans checks a unit's meetings by start (GET
// /units/{id}/meetings): a cell's (meetings_unit_start) and a committee's
// (meeting_scopes), whole, from a day, within a range, from a cursor; the
// count (stopped after listCountBound) and the page, on both engines.
func TestMeetingListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		from := time.Date(2026, 11, 19, 17, 0, 0, 0, time.UTC)
		after := &meeting.Cursor{StartsAt: from.Add(72 * time.Hour), ID: 77}
		for _, s := range []struct {
			name string
			f    meeting.ListFilter
		}{
			{"cell", meeting.ListFilter{UnitID: 7}},
			{"cell-from", meeting.ListFilter{UnitID: 7, From: from}},
			{"cell-range-next", meeting.ListFilter{UnitID: 7, From: from, To: from.AddDate(0, 1, 0), After: after}},
			{"committee", meeting.ListFilter{ScopeID: 2}},
			{"committee-from", meeting.ListFilter{ScopeID: 2, From: from}},
			{"committee-next", meeting.ListFilter{ScopeID: 2, After: after}},
			{"committee-range-next", meeting.ListFilter{ScopeID: 2, From: from, To: from.AddDate(0, 1, 0), After: after}},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				page, count, args := meetingListSQL(s.f)
				c.check(t, "count", count, args[:strings.Count(count, "$")])
				c.check(t, "page", page, args)
			})
		}
	})
}

// TestReportListPlans checks a unit's report requests (GET
// /report-requests?unit=): the two halves' counts, stopped after the
// bound, and the page from the start and from a cursor.
func TestReportListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		count, page := reportListSQL(db.dialect)
		c.check(t, "count", count, []any{int64(7), listCountBound + 1})
		c.check(t, "page", page, []any{int64(7), int64(1) << 62, 51})
		c.check(t, "next page", page, []any{int64(7), int64(77), 51})
	})
}

// TestFrameworkListPlans checks the four-good frameworks list (GET
// /frameworks): a unit's (the frameworks owned above it), an office's
// (owned above it or within its subtree), several grants, the root, a
// year, a next page; the count and the page, on both engines, over 2,000
// frameworks (analysed: on empty tables PostgreSQL reads a whole small
// index rather than look 50 ids up).
func TestFrameworkListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "grassroots HN.1.A", "cell HN.1.A.1")
		units := []*org.Unit{u["HN"], u["HN.1"], u["HN.2"], u["HN.1.A"]}
		for i := range 2000 {
			o := units[i%len(units)]
			f := &scoring.Framework{Name: "Khung " + strconv.Itoa(i), Year: 2020 + i%8, OwnerUnitID: o.ID, Status: "draft",
				RegistrationDeadline: date.MustParse("2026-03-01"), Bands: []scoring.Band{}, MaxTotal: 1000}
			if i%100 != 0 { // the store's writes for a few, the rest in bulk
				if _, err := db.write.ExecContext(ctx, `INSERT INTO fourgood_frameworks (name, year, owner_unit_id, status, registration_deadline, bands, max_total, created_at)
					VALUES ($1, $2, $3, 'draft', '2026-03-01', '[]', 1000, $4)`, f.Name, f.Year, o.ID, time.Now()); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if _, err := (FourGood{DB: db}).Create(ctx, f, nil, auditFor("framework.create")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
			t.Fatal(err)
		}
		c := newPlanChecker(t, db)
		hn, d1, d2, cell := u["HN"].Path, u["HN.1"].Path, u["HN.2"].Path, u["HN.1.A.1"].Path
		for _, s := range []struct {
			name  string
			f     scoring.FrameworkFilter
			after *frameworkKey
		}{
			{"unit", scoring.FrameworkFilter{OwnerPaths: []string{hn, d1, u["HN.1.A"].Path, cell}}, nil},
			{"office", scoring.FrameworkFilter{OwnerPaths: []string{hn, d1}, Subtrees: []string{d1}}, nil},
			{"office-year-next", scoring.FrameworkFilter{OwnerPaths: []string{hn, d1}, Subtrees: []string{d1}, Year: 2026}, &frameworkKey{2026, 77}},
			{"two-grants-next", scoring.FrameworkFilter{OwnerPaths: []string{hn, d1, d2}, Subtrees: []string{d1, d2}}, &frameworkKey{2025, 77}},
			{"root", scoring.FrameworkFilter{Subtrees: []string{"/"}}, nil},
		} {
			t.Run(s.name, func(t *testing.T) {
				q, ok := frameworkListSQL(db.dialect, s.f, 50, s.after)
				if !ok {
					t.Fatal("no query")
				}
				c.check(t, "count", q.count, q.countArgs)
				c.check(t, "page", q.page, q.pageArgs)
				fetch, args := frameworksByID([]int64{3, 77, 1999})
				c.check(t, "frameworks", fetch, args)
			})
		}
	})
}
