package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/task"
)

func TestReportRequests(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		svc := &report.Service{Store: Reports{DB: db}, Tasks: f.svc, Now: f.clock}
		in := report.CreateInput{Title: "Báo cáo quý IV", UnitID: f.district.ID, Kind: "quarter",
			PeriodFrom: date.MustParse("2026-10-01"), PeriodTo: date.MustParse("2026-10-31"), DueOn: date.MustParse("2026-11-10")}
		r, err := svc.Create(ctx, f.office, in)
		if err != nil {
			t.Fatal(err)
		}
		// One sub-task per commune below, under the request's group task.
		kids, err := Tasks{DB: db}.Children(ctx, r.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		taskOf := map[int64]int64{}
		for _, k := range kids {
			taskOf[k.UnitID] = k.ID
		}
		type row struct {
			Unit   int64
			Status report.Status
			Task   int64
		}
		rows := func(r *report.Request) []row {
			var out []row
			for _, u := range r.Units {
				out = append(out, row{u.UnitID, u.Status, u.TaskID})
			}
			return out
		}
		want := []row{{f.a.ID, report.StatusMissing, taskOf[f.a.ID]}, {f.b.ID, report.StatusMissing, taskOf[f.b.ID]}, {f.c.ID, report.StatusMissing, taskOf[f.c.ID]}}
		if d := cmp.Diff(want, rows(r)); d != "" || len(kids) != 3 {
			t.Fatalf("units (-want +got):\n%s (%d sub-tasks)", d, len(kids))
		}

		// A sends on time: kept as sent, its task done.
		body := "## Kết quả\n\nĐã hoàn thành."
		sub, err := svc.Send(ctx, f.comA, r.ID, report.SendInput{UnitID: f.a.ID, Body: &body, Figures: report.Figures{"members.total": 12}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Reports{DB: db}.Submission(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != body+"" || got.Figures["members.total"] != 12 || got.UnitID != f.a.ID || got.RequestID != r.ID {
			t.Errorf("submission read back: got %+v", got)
		}
		ta, err := Tasks{DB: db}.Task(ctx, taskOf[f.a.ID])
		if err != nil {
			t.Fatal(err)
		}
		if ta.State != task.StateDone {
			t.Errorf("A's task: got state %s, want done", ta.State)
		}
		// Sent again (even straight to the store): 409.
		again := *sub
		err = Reports{DB: db}.Send(ctx, &again, auditFor("report.send"))
		if !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second send: got %v, want conflict", err)
		}
		// C sends after the due date: late.
		f.at("2026-11-12")
		if _, err := svc.Send(ctx, f.comC, r.ID, report.SendInput{UnitID: f.c.ID, Body: &body}); err != nil {
			t.Fatal(err)
		}
		r, err = svc.Get(ctx, f.office, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want = []row{{f.a.ID, report.StatusSent, taskOf[f.a.ID]}, {f.b.ID, report.StatusMissing, taskOf[f.b.ID]}, {f.c.ID, report.StatusLate, taskOf[f.c.ID]}}
		if d := cmp.Diff(want, rows(r)); d != "" {
			t.Errorf("after sending (-want +got):\n%s", d)
		}
		if !r.Units[1].Overdue {
			t.Errorf("B not sent after the due date: got overdue false")
		}

		// Lists: two more requests; the district's made, A's received, by pages of 2.
		for _, title := range []string{"Báo cáo tháng 11", "Báo cáo chuyên đề"} {
			in.Title, in.DueOn = title, date.MustParse("2026-12-01")
			if _, err := svc.Create(ctx, f.office, in); err != nil {
				t.Fatal(err)
			}
		}
		var titles []string
		cursor := ""
		for range 3 {
			p, err := svc.List(ctx, f.office, report.ListInput{UnitID: f.district.ID, Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 3 {
				t.Errorf("district total: got %d, want 3", p.Total)
			}
			for _, it := range p.Items {
				titles = append(titles, it.Title+"/"+it.Direction)
			}
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		wantTitles := []string{"Báo cáo chuyên đề/made", "Báo cáo tháng 11/made", "Báo cáo quý IV/made"}
		if d := cmp.Diff(wantTitles, titles); d != "" {
			t.Errorf("district list (-want +got):\n%s", d)
		}
		p, err := svc.List(ctx, f.comA, report.ListInput{UnitID: f.a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got2 []string
		for _, it := range p.Items {
			got2 = append(got2, it.Title+"/"+it.Direction+"/"+string(it.Status))
		}
		if d := cmp.Diff([]string{"Báo cáo chuyên đề/received/missing", "Báo cáo tháng 11/received/missing", "Báo cáo quý IV/received/sent"}, got2); d != "" {
			t.Errorf("A's list (-want +got):\n%s", d)
		}
		if _, err := svc.List(ctx, f.office, report.ListInput{UnitID: f.district.ID, Cursor: "bad"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad cursor: got %v, want invalid", err)
		}
	})
}

// A request whose write fails half-way leaves nothing: no tasks, no request.
func TestReportRequestAtomic(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		nt, ta, err := f.svc.Plan(ctx, f.office, task.CreateInput{Title: "x", UnitID: f.district.ID, DueOn: date.MustParse("2026-11-10"), FanOut: true})
		if err != nil {
			t.Fatal(err)
		}
		var before int
		db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks`).Scan(&before)
		// A unit that does not exist: the request row fails its foreign key.
		r := &report.Request{Head: report.Head{UnitID: 999999, Title: "x", Kind: "k", PeriodFrom: date.MustParse("2026-10-01"), PeriodTo: date.MustParse("2026-10-31"), DueOn: date.MustParse("2026-11-10")}, CreatedAt: f.now}
		if err := (Reports{DB: db}).Create(ctx, &report.NewRequest{Request: r, Tasks: nt, TaskAudit: ta}, auditFor("report.request")); err == nil {
			t.Fatal("create with a missing unit: got no error")
		}
		var after int
		db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks`).Scan(&after)
		if after != before {
			t.Errorf("tasks after a failed request: got %d, want %d", after, before)
		}
	})
}

func auditFor(action string) auth.AuditEntry {
	return auth.AuditEntry{Actor: system, Action: action, ObjectType: "report"}
}
