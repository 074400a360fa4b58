package store

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestMeetingMonthsAfterRandomWrites holds the per-subtree compliance
// counters (meeting_subtree_months) against the cells' roll-up rows they
// count, on both engines: random meetings of two years scheduled, marked
// and closed through the service in the cells of a small city, communes
// moved between the districts, a cell merged away (dissolved: still in
// its year's grid) and a cell created in the middle of a year (not in the
// year before's grid). Every ten writes, for every unit and both years,
// the counters of the unit and its children (SubtreeMonths) must equal the
// cells' rows of each subtree summed (meeting.SumCells over CellYears, the
// grid's own read); at the end `check counters` finds nothing, and a
// counter changed behind the store's back is the one drift named.
func TestMeetingMonthsAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(36))
		us := mustTree(t, db, "province C", "district C.1", "district C.2",
			"grassroots C.1.A", "grassroots C.1.B", "grassroots C.2.A",
			"cell C.1.A.1", "cell C.1.A.2", "cell C.1.B.1", "cell C.1.B.2", "cell C.2.A.1", "cell C.2.A.2", "cell C.2.A.3")
		late := us["C.2.A.3"] // created in March 2026
		if _, err := db.write.ExecContext(ctx, `UPDATE units SET valid_from = '2026-03-01' WHERE id = $1`, late.ID); err != nil {
			t.Fatal(err)
		}
		var cells []*org.Unit
		for _, c := range []string{"C.1.A.1", "C.1.A.2", "C.1.B.1", "C.1.B.2", "C.2.A.1", "C.2.A.2", "C.2.A.3"} {
			cells = append(cells, us[c])
			for i := range 3 {
				mustMember(t, db, us[c], fmt.Sprintf("Nguyễn Văn %s %d", c, i), fmt.Sprintf("3%03d%04d", us[c].ID, i))
			}
		}
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		clock := now
		svc := &meeting.Service{Store: Meetings{DB: db}, Now: func() time.Time { return clock }}
		office := actorOn(1, "vp", us["C"], auth.RoleOffice)
		audit := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "test"}
		}
		day := date.MustParse("2026-01-01")
		next := func() date.Date { day = day.AddDays(1); return day }
		statuses := []string{meeting.Present, meeting.Present, meeting.Excused, meeting.Absent}

		compare := func(step int) {
			t.Helper()
			for _, code := range []string{"C", "C.1", "C.2", "C.1.A", "C.1.B", "C.2.A", "C.1.A.1"} {
				for _, year := range []string{"2025", "2026"} {
					got, err := Meetings{DB: db}.SubtreeMonths(ctx, us[code].ID, year+"-01", year+"-12")
					if err != nil {
						t.Fatal(err)
					}
					want := make([]meeting.SubtreeYear, len(got))
					for i, u := range got {
						rows, err := Meetings{DB: db}.CellYears(ctx, u.Path, year+"-01", year+"-12", time.Time{})
						if err != nil {
							t.Fatal(err)
						}
						want[i] = meeting.SumCells(meeting.SubtreeYear{UnitID: u.UnitID, Name: u.Name, Kind: u.Kind, Path: u.Path}, rows)
					}
					if len(got) == 0 || got[0].UnitID != us[code].ID {
						t.Fatalf("write %d, %s %s: the unit's own row missing: %+v", step, code, year, got)
					}
					if d := cmp.Diff(want, got); d != "" {
						t.Fatalf("write %d, %s %s: counters (-cells' rows summed +counters):\n%s", step, code, year, d)
					}
				}
			}
		}
		ops := map[string]int{}
		for step := 1; step <= 80; step++ {
			switch k := rng.Intn(100); {
			case k < 85: // a meeting held and closed
				c := cells[rng.Intn(len(cells))]
				year, month := 2025+rng.Intn(2), 1+rng.Intn(10)
				if c.ID == late.ID {
					year, month = 2026, 3+rng.Intn(8)
				}
				kind := meeting.Regular
				if rng.Intn(3) == 0 {
					kind = meeting.Thematic
				}
				at := time.Date(year, time.Month(month), 1+rng.Intn(27), 12, 0, 0, 0, time.UTC)
				m, err := svc.Schedule(ctx, office, c.ID, meeting.CreateInput{Kind: kind, StartsAt: at, Place: "Nhà văn hóa", Topic: "Sinh hoạt"})
				if err != nil {
					t.Fatalf("schedule: %v", err)
				}
				roll, err := svc.Roll(ctx, office, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				var lines []meeting.Attendance
				for _, l := range roll.Expected {
					if rng.Intn(4) > 0 {
						st := statuses[rng.Intn(len(statuses))]
						lines = append(lines, meeting.Attendance{MemberID: l.MemberID, Status: st, Reason: map[bool]string{true: "Ốm"}[st == meeting.Excused]})
					}
				}
				if len(lines) > 0 {
					if _, err := svc.PutAttendance(ctx, office, m.ID, meeting.AttendanceInput{Lines: lines}); err != nil {
						t.Fatalf("attendance: %v", err)
					}
				}
				clock = at.Add(3 * time.Hour)
				_, err = svc.Close(ctx, office, m.ID, meeting.CloseInput{})
				clock = now
				if err != nil {
					t.Fatalf("close: %v", err)
				}
				ops["meeting"]++
			case k < 95: // a commune moved to the other district
				moveCommune(t, db, us, rng.Intn(3), next())
				ops["move"]++
			default: // a cell merged into another: dissolved, its meetings stay
				if ops["merge"] > 0 {
					continue
				}
				i := rng.Intn(len(cells) - 1)
				if cells[i].ID == late.ID {
					i++
				}
				if err := (Units{db}).Merge(ctx, []int64{cells[i].ID}, cells[(i+1)%len(cells)].ID, next(), audit("unit.merge")); err != nil {
					t.Fatalf("merge: %v", err)
				}
				cells = append(cells[:i], cells[i+1:]...)
				ops["merge"]++
			}
			if step%10 == 0 {
				compare(step)
			}
		}
		t.Logf("writes: %v", ops)
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) > 0 {
			t.Fatalf("drift after the writes: %v", drift)
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE meeting_subtree_months SET present = present + 1 WHERE unit_id = $1 AND year = 2026 AND month = 3`, us["C"].ID); err != nil {
			t.Fatal(err)
		}
		drift, err = db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) != 1 || drift[0].Table != "meeting_subtree_months" || !strings.Contains(drift[0].Key, fmt.Sprintf("unit_id=%d, year=2026, month=3, present", us["C"].ID)) {
			t.Fatalf("a tampered counter: drift %v, want the one row named", drift)
		}
		if _, err := db.FixCounters(ctx); err != nil {
			t.Fatal(err)
		}
		compare(0)
	})
}
