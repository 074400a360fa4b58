package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
)

// BenchmarkTaskWrite measures what the writes pay for the task lists'
// index (issue 17: task_scopes rewritten in each write's transaction): one
// task created by the district office for a commune, then accepted by
// the commune, through the task service on the district demo, SQLite, one
// writer. It reports the process CPU per task (both writes).
func BenchmarkTaskWrite(b *testing.B) {
	ctx := context.Background()
	db := benchDatasets(b)["district-sqlite"]
	district, err := Units{db}.ByCode(ctx, "HN.PX")
	if err != nil {
		b.Fatal(err)
	}
	commune, err := Units{db}.ByCode(ctx, "HN.PX.PHUTUC")
	if err != nil {
		b.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) }
	svc := &task.Service{Store: Tasks{db}, Calendars: &task.Calendars{Store: Calendars{db}, Now: now}, Now: now}
	office := &auth.Actor{AccountID: 1, Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
	committee := &auth.Actor{AccountID: 2, Username: "du", Grants: []auth.Grant{{UnitID: commune.ID, UnitPath: commune.Path, Role: auth.RoleCommittee}}}
	cpu0 := processCPUTime()
	for b.Loop() {
		d, err := svc.Create(ctx, office, task.CreateInput{Title: "Việc thử", UnitID: commune.ID, DueOn: benchToday})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Step(ctx, committee, d.ID, task.StepInput{Action: task.ActAccept}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPUTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/task")
}
