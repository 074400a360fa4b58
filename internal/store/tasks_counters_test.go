package store

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
)

// taskSteps sizes TestTaskCountersAfterRandomSteps.
const taskSteps = 200

// TestTaskCountersAfterRandomSteps creates tasks and takes random steps
// through the task service (accept, forward, return, escalate, extend,
// report, complete, suspend, resume; refused steps are skipped) by the
// district and the communes over four months, with the scan raising flags
// on the way; then task_counts equals its recount (CheckCounters), and the
// report read from the counters (Accountability) equals the old statements
// over the rows (accountabilityScan, the oracle) for every unit, several
// periods (whole months, parts of months at one or both ends, one day, a
// year) and several "todays" (before, inside and after the history).
//
// Size: taskSteps random steps and tasks (300 until session 7, which cut
// them to 200 for the suite's time; with 150 no sideways forward was
// taken). With 200 the test still fails with the unanswered event of the
// steps' update trigger removed (SQLite: 23 counters drifted, seen in
// session 7; see docs/benchmarks.md, "Session 7").
func TestTaskCountersAfterRandomSteps(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(17))
		f := newTaskFixture(t, db)
		units := []*org.Unit{f.a, f.b, f.c}
		actors := []*auth.Actor{f.office, f.comA, f.comB, f.comC}
		actions := []task.Action{task.ActAccept, task.ActAccept, task.ActAccept, task.ActForward, task.ActReturn, task.ActEscalate, task.ActExtend,
			task.ActReport, task.ActComplete, task.ActComplete, task.ActComplete, task.ActSuspend, task.ActResume}
		var ids []int64
		day := date.MustParse("2026-08-03")
		steps := map[task.Action]int{}
		for i := range taskSteps {
			if i%4 == 0 {
				day = day.AddDays(1 + rng.Intn(3))
				f.at(day.String())
			}
			if len(ids) == 0 || rng.Intn(4) == 0 {
				due := day.AddDays(rng.Intn(20) - 3)
				if due.Before(day) {
					due = day
				}
				ids = append(ids, f.create(t, units[rng.Intn(len(units))], fmt.Sprintf("Việc %d", i), due.String()))
				continue
			}
			if i%37 == 0 {
				if _, err := f.svc.Scan(ctx); err != nil {
					t.Fatal(err)
				}
			}
			in := task.StepInput{Action: actions[rng.Intn(len(actions))], Note: "ghi chú"}
			switch in.Action {
			case task.ActForward:
				in.ToUnitID = &units[rng.Intn(len(units))].ID
			case task.ActExtend:
				in.NewDueOn = day.AddDays(7 + rng.Intn(10))
			case task.ActReport:
				p := 10 + rng.Intn(80)
				in.Percent = &p
			}
			if _, err := f.svc.Step(ctx, actors[rng.Intn(len(actors))], ids[rng.Intn(len(ids))], in); err == nil {
				steps[in.Action]++
			}
		}
		if _, err := f.svc.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d tasks, steps taken: %v", len(ids), steps)
		for _, a := range []task.Action{task.ActAccept, task.ActForward, task.ActReturn, task.ActEscalate, task.ActExtend, task.ActComplete} {
			if steps[a] == 0 {
				t.Errorf("no %s step was taken: change the seed", a)
			}
		}

		checkNoDrift(t, db, " after the steps")

		periods := [][2]string{
			{"2026-08-01", "2026-10-31"}, // whole months
			{"2026-08-15", "2026-11-20"}, // parts at both ends
			{"2026-08-01", "2026-11-20"}, // part at the end (the report's default shape)
			{"2026-09-12", "2026-12-31"}, // part at the start
			{"2026-09-01", "2026-09-17"}, // part of one month
			{"2026-09-20", "2026-10-08"}, // parts of two months, no whole one
			{"2026-08-20", "2026-08-20"}, // one day
			{"2026-01-01", "2026-12-31"}, // the year
		}
		todays := []string{"2026-08-20", "2026-09-10", "2026-10-01", "2026-11-20", "2027-01-15"}
		var seen int
		// SQLite reads a subtree of many units counters first: both ways
		// are compared (every subtree counted as many on the second pass).
		ways := []int64{accountabilityManyUnits.Load()}
		if db.dialect == sqliteDialect {
			ways = append(ways, -1)
		}
		defer accountabilityManyUnits.Store(ways[0])
		for _, many := range ways {
			accountabilityManyUnits.Store(many)
			for _, u := range []*org.Unit{f.district, f.a, f.b, f.c, f.cellA} {
				for _, p := range periods {
					for _, today := range todays {
						q := task.ReportQuery{Path: u.Path, From: date.MustParse(p[0]), To: date.MustParse(p[1]), Today: date.MustParse(today)}
						want, got := accountabilityBoth(t, db, q)
						if diff := cmp.Diff(reportByRow(want), reportByRow(got)); diff != "" {
							t.Errorf("%s %v today %s (counters first above %d units): rows (-old statements +counters):\n%s", u.Code, p, today, many, diff)
						}
						if diff := cmp.Diff(want.Months, got.Months); diff != "" {
							t.Errorf("%s %v today %s (counters first above %d units): months (-old statements +counters):\n%s", u.Code, p, today, many, diff)
						}
						if diff := cmp.Diff(want.FlagsByRule, got.FlagsByRule); diff != "" {
							t.Errorf("%s %v today %s (counters first above %d units): flags by rule (-old statements +counters):\n%s", u.Code, p, today, many, diff)
						}
						for _, r := range want.Rows {
							for bit, n := range []int{r.OpenOverdue, r.Unanswered, r.DoneLate, r.Flags, r.Escalations, r.PushedSideways,
								r.Returns, r.ExtensionRequests, r.DoneOnTime} {
								if n > 0 {
									seen |= 1 << bit
								}
							}
							if r.MemberID != nil && r.Received > 0 {
								seen |= 1 << 9
							}
						}
					}
				}
			}
		}
		if seen != 1<<10-1 {
			t.Errorf("the comparisons never saw some figure above zero (mask %010b; bits from the right: overdue, unanswered, done late, flags, escalations, sideways, returns, extensions, done on time, a head's row)", seen)
		}
	})
}

// reportByRow keys the report's rows by unit and member, each row with
// its metrics only (the order of the rows is the store's business). Rows
// whose figures are all zero are left out: the old statements answer one
// for a unit that only forwarded work down (the passing statement selects
// every forward and counts only the sideways ones), the counters have
// nothing to say about it; the report shows both the same way but for a
// line of zeros.
func reportByRow(d *task.ReportData) map[string]task.Metrics {
	out := map[string]task.Metrics{}
	for _, r := range d.Rows {
		if r.Metrics == (task.Metrics{}) {
			continue
		}
		k := fmt.Sprintf("unit %d (%s)", r.UnitID, r.UnitName)
		if r.MemberID != nil {
			k += fmt.Sprintf(" member %d (%s)", *r.MemberID, r.MemberName)
		}
		out[k] = r.Metrics
	}
	return out
}

// TestTaskCountersAfterGeneratedHistory runs the benchmarks' set-based
// history generator (which suspends the counters' triggers and recounts
// once) and a scan on the fixture's communes: the counters are exact and
// the report from them equals the old statements for the district and a
// commune.
func TestTaskCountersAfterGeneratedHistory(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		generateTaskHistory(t, db, 3000)
		if _, err := (Tasks{db}).ScanFlags(ctx, benchScanRequest()); err != nil {
			t.Fatal(err)
		}
		checkNoDrift(t, db, "")
		for _, u := range []*org.Unit{f.district, f.b} {
			q := task.ReportQuery{Path: u.Path, From: date.MustParse("2026-01-01"), To: benchToday, Today: benchToday}
			want, got := accountabilityBoth(t, db, q)
			if len(want.Rows) == 0 {
				t.Fatalf("%s: the old statements found nothing", u.Code)
			}
			if diff := cmp.Diff(reportByRow(want), reportByRow(got)); diff != "" {
				t.Errorf("%s: rows (-old statements +counters):\n%s", u.Code, diff)
			}
			if diff := cmp.Diff(want.Months, got.Months); diff != "" {
				t.Errorf("%s: months (-old statements +counters):\n%s", u.Code, diff)
			}
			if diff := cmp.Diff(want.FlagsByRule, got.FlagsByRule); diff != "" {
				t.Errorf("%s: flags by rule (-old statements +counters):\n%s", u.Code, diff)
			}
		}
	})
}
