package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestMeetingCommitteeList pages a commune's and a district's meetings by
// start through meeting_scopes on both engines, follows a start moved by
// an edit and a cell moved to another commune, and checks the plan: a
// range of the scope's index in the page's order, no sort.
func TestMeetingCommitteeList(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		svc := &meeting.Service{Store: Meetings{DB: db}, Now: func() time.Time { return now }}
		u := mustTree(t, db, "province HN", "district HN.PX", "grassroots HN.PX.A", "grassroots HN.PX.B", "cell HN.PX.A.1", "cell HN.PX.A.2", "cell HN.PX.B.1")
		city, district, communeA, communeB, a1, a2, b1 := u["HN"], u["HN.PX"], u["HN.PX.A"], u["HN.PX.B"], u["HN.PX.A.1"], u["HN.PX.A.2"], u["HN.PX.B.1"]
		office := actorOn(1, "vp", city, auth.RoleOffice)
		at := func(day int) time.Time { return time.Date(2026, 10, day, 12, 30, 0, 0, time.UTC) }
		sched := func(u *org.Unit, day int) int64 {
			t.Helper()
			m, err := svc.Schedule(ctx, office, u.ID, meeting.CreateInput{Kind: meeting.Regular, StartsAt: at(day), Place: "Hội trường", Topic: "Sinh hoạt"})
			if err != nil {
				t.Fatal(err)
			}
			return m.ID
		}
		// Interleaved starts, two at the same instant (ordered by id).
		x1, y1, z1 := sched(a1, 3), sched(a2, 1), sched(b1, 2)
		x2, y2 := sched(a1, 5), sched(a2, 5)
		pages := func(unit int64, from date.Date) ([]int64, int) {
			t.Helper()
			var ids []int64
			total, cursor := -1, ""
			for range 10 {
				p, err := svc.List(ctx, office, meeting.ListInput{UnitID: unit, From: from, Limit: 2, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				total = p.Total
				for _, m := range p.Items {
					ids = append(ids, m.ID)
				}
				if p.NextCursor == nil {
					break
				}
				cursor = *p.NextCursor
			}
			return ids, total
		}
		for _, tc := range []struct {
			name  string
			unit  int64
			from  date.Date
			want  []int64
			total int
		}{
			{"commune A", communeA.ID, date.Date{}, []int64{y1, x1, x2, y2}, 4},
			{"commune B", communeB.ID, date.Date{}, []int64{z1}, 1},
			{"the district", district.ID, date.Date{}, []int64{y1, z1, x1, x2, y2}, 5},
			{"the city from 3 October", city.ID, date.MustParse("2026-10-03"), []int64{x1, x2, y2}, 3},
		} {
			got, total := pages(tc.unit, tc.from)
			if diff := cmp.Diff(tc.want, got); diff != "" || total != tc.total {
				t.Errorf("%s: total %d, want %d; pages (-want +got):\n%s", tc.name, total, tc.total, diff)
			}
		}
		// An edit moves a start: the committee's order follows.
		m, err := svc.Get(ctx, office, y1)
		if err != nil {
			t.Fatal(err)
		}
		later := at(9)
		if _, err := svc.Update(ctx, office, y1, meeting.UpdateInput{StartsAt: &later, Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		if got, _ := pages(communeA.ID, date.Date{}); !cmp.Equal(got, []int64{x1, x2, y2, y1}) {
			t.Errorf("after the edit: %v, want %v", got, []int64{x1, x2, y2, y1})
		}
		// Cell A.2 moves to commune B: its meetings follow it.
		if err := (Units{DB: db}).Move(ctx, a2.ID, communeB.ID, date.MustParse("2026-11-01"), auth.AuditEntry{Actor: office, Action: "unit.move", ObjectType: "unit", ObjectID: a2.ID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := pages(communeA.ID, date.Date{}); !cmp.Equal(got, []int64{x1, x2}) {
			t.Errorf("commune A after the move: %v, want %v", got, []int64{x1, x2})
		}
		if got, _ := pages(communeB.ID, date.Date{}); !cmp.Equal(got, []int64{z1, y2, y1}) {
			t.Errorf("commune B after the move: %v, want %v", got, []int64{z1, y2, y1})
		}
		if got, _ := pages(district.ID, date.Date{}); len(got) != 5 {
			t.Errorf("the district after the move: %v, want all five", got)
		}

		// The plan of a committee's page after a cursor.
		f := meeting.ListFilter{ScopeID: communeA.ID, From: at(1), To: at(30), Limit: 50, After: &meeting.Cursor{StartsAt: at(3), ID: x1}}
		query, count, args := meetingListSQL(f)
		countPlan := explainPlan(t, db, count, args[:strings.Count(count, "$")])
		if db.dialect == postgresDialect {
			if !strings.Contains(countPlan, "meeting_scopes_pkey") {
				t.Errorf("PostgreSQL count misses the scope's index:\n%s", countPlan)
			}
		} else if !strings.Contains(countPlan, "SEARCH s USING COVERING INDEX") || len(badPlanLines(db.dialect, strings.Split(countPlan, "\n"))) > 0 {
			t.Errorf("SQLite count does not read the scope's index alone:\n%s", countPlan)
		}
		plan := explainPlan(t, db, query, args)
		if db.dialect == postgresDialect {
			if strings.Contains(plan, "Sort") || !strings.Contains(plan, "meeting_scopes_pkey") {
				t.Errorf("PostgreSQL plan sorts or misses the scope's index:\n%s", plan)
			}
		} else if strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "SEARCH s USING") {
			t.Errorf("SQLite plan sorts or does not search the scope's index:\n%s", plan)
		}
	})
}

// explainPlan returns the plan of a query: EXPLAIN QUERY PLAN's details on
// SQLite; EXPLAIN on PostgreSQL with sequential scans and sorts made
// expensive (so a plan with a Sort means no index gives the order), in a
// transaction of its own.
func explainPlan(t *testing.T, db *DB, query string, args []any) string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	err := db.Write(ctx, func(tx *Tx) error {
		prefix := "EXPLAIN QUERY PLAN "
		if db.dialect == postgresDialect {
			prefix = "EXPLAIN "
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_sort = off`); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, prefix+query, args...)
		if err != nil {
			return err
		}
		lines, err = planLines(rows)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
