package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/task"
)

// TestOutbreaks runs foci through the store on both engines: the commune
// above a village, reports moving the last case, one report a day, the
// on-site at its version, shifts with their inbox notices, funding as a
// task whose steps the funding reads, paging, the board's aggregates and
// closing once.
func TestOutbreaks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC) // Monday 10:00 in Vietnam
		clock := func() time.Time { return now }
		tasks := &task.Service{Store: Tasks{db}, Calendars: &task.Calendars{Store: Calendars{db}, Now: clock}, Now: clock, Documents: &doc.Service{Store: Docs{db}}}
		svc := &outbreak.Service{Store: Outbreaks{DB: db}, Tasks: tasks, Now: clock}
		u := mustTree(t, db, "province HN", "district HN.PX", "grassroots HN.PX.A", "cell HN.PX.A.1", "grassroots HN.PX.B")
		district, commune, village, other := u["HN.PX"], u["HN.PX.A"], u["HN.PX.A.1"], u["HN.PX.B"]
		an := mustMember(t, db, village, "Nguyễn Văn An", "20000001")
		binh := mustMember(t, db, village, "Trần Thị Bình", "20000002")
		office := actorOn(1, "vp", district, auth.RoleOffice)
		officer := actorOn(2, "xa", commune, auth.RoleCommittee)

		ds, err := svc.Diseases(ctx, office)
		if err != nil || len(ds) != 4 {
			t.Fatalf("seeded diseases: %+v %v", ds, err)
		}
		if d, created, err := svc.PutDisease(ctx, office, "sot_xuat_huyet", outbreak.DiseaseInput{NameVI: "Sốt xuất huyết Dengue", NameEN: "Dengue fever", ClosingDays: 14, Version: 1}); err != nil || created || d.Version != 2 {
			t.Errorf("put dengue: %+v %v %v", d, created, err)
		}
		if _, _, err := svc.PutDisease(ctx, office, "sot_xuat_huyet", outbreak.DiseaseInput{NameVI: "x", ClosingDays: 14, Version: 1}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("put at an old version: %v, want conflict", err)
		}

		zone := json.RawMessage(`{"type":"Polygon","coordinates":[[[105.9,20.7],[105.92,20.7],[105.92,20.72],[105.9,20.7]]]}`)
		first := date.MustParse("2026-09-05")
		f, err := svc.Open(ctx, officer, outbreak.OpenInput{UnitID: village.ID, Disease: "sot_xuat_huyet", Place: "Thôn Một", OpenedOn: date.MustParse("2026-09-07"), FirstCaseOn: &first, Zone: zone})
		if err != nil {
			t.Fatal(err)
		}
		g, err := svc.Open(ctx, office, outbreak.OpenInput{UnitID: other.ID, Disease: "tay_chan_mieng", Place: "Thôn Hai", OpenedOn: date.MustParse("2026-09-01")})
		if err != nil {
			t.Fatal(err)
		}
		n3, n0 := 3, 0
		for _, r := range []outbreak.ReportInput{{On: date.MustParse("2026-09-07"), NewCases: &n3, Actions: "Phun 1.500.000 đồng hóa chất"}} {
			if _, err := svc.AddReport(ctx, officer, f.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.AddReport(ctx, officer, f.ID, outbreak.ReportInput{On: date.MustParse("2026-09-07"), NewCases: &n0}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a second report for the day: %v, want conflict", err)
		}
		if _, err := svc.AddReport(ctx, office, g.ID, outbreak.ReportInput{On: date.MustParse("2026-09-02"), NewCases: &n3}); err != nil {
			t.Fatal(err)
		}
		onsite, err := svc.SetOnSite(ctx, officer, f.ID, outbreak.OnSiteInput{Command: &outbreak.CommandInput{MemberID: an.ID, Phone: "0912000111"},
			Forces: []outbreak.ForceInput{{UnitID: &village.ID, Role: "Chi bộ", Count: ptrInt(9)}}, Means: []outbreak.Item{{Item: "Máy phun", Quantity: 2}}, Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetOnSite(ctx, officer, f.ID, outbreak.OnSiteInput{Version: 1}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("on-site at an old version: %v", err)
		}
		from := now.Add(24 * time.Hour)
		duties, err := svc.AddDuties(ctx, officer, f.ID, []outbreak.DutyInput{{MemberID: an.ID, Role: "Phun", From: from, To: from.Add(4 * time.Hour)}, {MemberID: binh.ID, Role: "Phun", From: from, To: from.Add(4 * time.Hour)}})
		if err != nil || len(duties) != 2 {
			t.Fatalf("duties: %v", err)
		}
		var notices int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE kind = $1 AND member_id IN ($2, $3)`, outbreak.DutyKind, an.ID, binh.ID).Scan(&notices); err != nil || notices != 2 {
			t.Errorf("shift notices: %d %v, want 2", notices, err)
		}
		mine, err := svc.MyDuties(ctx, &auth.Actor{MemberID: an.ID}, 10, "")
		if err != nil || mine.Total != 1 || mine.Items[0].Place != "Thôn Một" {
			t.Errorf("an's shifts: %+v %v", mine, err)
		}
		fu, err := svc.RequestFunding(ctx, officer, f.ID, outbreak.FundingInput{Amount: 50_000_000, Purpose: "Hóa chất", NeededBy: date.MustParse("2026-09-11"), ToUnitID: district.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.RequestFunding(ctx, officer, f.ID, outbreak.FundingInput{Amount: 1, Purpose: "x", NeededBy: date.MustParse("2040-01-01"), ToUnitID: district.ID})
		if e, ok := apperr.As(err); !ok || len(e.Fields) == 0 || e.Fields[0].Field != "needed_by" {
			t.Errorf("funding needed in 2040: %v, want refused on needed_by", err)
		}
		td, err := tasks.Get(ctx, office, fu.TaskID)
		if err != nil || td.HolderUnitID != district.ID || td.DueOn.String() != "2026-09-11" || td.IssuerUnitID != district.ID {
			t.Fatalf("the funding task: %+v %v", td, err)
		}
		now = time.Date(2026, 9, 15, 3, 0, 0, 0, time.UTC)
		for _, a := range []task.Action{task.ActAccept, task.ActComplete} {
			if _, err := tasks.Step(ctx, office, fu.TaskID, task.StepInput{Action: a}); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
		}
		d, err := svc.Get(ctx, officer, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantFund := []outbreak.Funding{{ID: fu.ID, OutbreakID: f.ID, TaskID: fu.TaskID, Amount: 50_000_000, Purpose: "Hóa chất", NeededBy: date.MustParse("2026-09-11"),
			ToUnitID: district.ID, ToUnitName: district.Name, State: outbreak.FundDisbursed, DueOn: date.MustParse("2026-09-11"), DisbursedOn: ptrDate(date.MustParse("2026-09-15")), Late: true}}
		if diff := cmp.Diff(wantFund, d.Funding, cmpIgnore("CreatedAt", "TaskState")); diff != "" {
			t.Errorf("funding (-want +got):\n%s", diff)
		}
		if d.LastCaseOn == nil || d.LastCaseOn.String() != "2026-09-07" || d.CasesTotal != 3 || len(d.Reports) != 1 || len(d.Duties) != 2 ||
			d.OnSite.Command == nil || d.OnSite.Command.MemberName != an.FullName || d.Version != onsite.Version || string(d.Zone) != string(zone) {
			t.Errorf("detail: %+v", d.Focus)
		}
		if _, err := svc.Get(ctx, officer, g.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the commune reads the commune beside's focus: %v", err)
		}

		// Paging: the district sees both, newest first; the commune its own.
		p1, err := svc.List(ctx, office, outbreak.ListInput{Limit: 1})
		if err != nil || p1.Total != 2 || len(p1.Items) != 1 || p1.Items[0].ID != g.ID || p1.NextCursor == nil {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		p2, err := svc.List(ctx, office, outbreak.ListInput{Limit: 1, Cursor: *p1.NextCursor})
		if err != nil || len(p2.Items) != 1 || p2.Items[0].ID != f.ID || p2.NextCursor != nil {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
		if own, err := svc.List(ctx, officer, outbreak.ListInput{}); err != nil || own.Total != 1 {
			t.Errorf("the commune's list: %+v %v", own, err)
		}

		// The board on 09-15.
		b, err := svc.Board(ctx, office, district.ID, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]outbreak.BoardRow{}
		for _, r := range b.Communes {
			r.CommuneName = ""
			got[r.CommuneID] = r
		}
		want := map[int64]outbreak.BoardRow{
			commune.ID: {CommuneID: commune.ID, ActiveFoci: 1, DaysOpenMax: 9, Cases7: 0, CasesPrev7: 3, Cases14: 3, Trend: "down", FundingRequested: 1, AmountRequested: 50_000_000,
				FundingDisbursed: 1, AmountDisbursed: 50_000_000, FundingLate: 1, MeansStale: 1},
			other.ID: {CommuneID: other.ID, ActiveFoci: 1, DaysOpenMax: 15, Cases7: 0, CasesPrev7: 3, Cases14: 3, Trend: "down", NoCommand: 1, NoForces: 1, MeansStale: 1},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("board (-want +got):\n%s", diff)
		}
		if b.Totals.ActiveFoci != 2 || b.Totals.FundingLate != 1 || len(b.Foci) != 2 {
			t.Errorf("board totals %+v, %d foci", b.Totals, len(b.Foci))
		}

		bz, err := svc.BoardWith(ctx, office, outbreak.BoardInput{UnitID: district.ID, Zones: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range bz.Foci {
			if want := map[int64]string{f.ID: string(zone), g.ID: ""}[e.ID]; string(e.Zone) != want {
				t.Errorf("focus %d's zone on the map: %s, want %s", e.ID, e.Zone, want)
			}
		}

		// Closing: 8 days after the last case: refused; 14 days: once.
		if _, err := svc.Close(ctx, officer, f.ID, outbreak.CloseInput{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("close early: %v", err)
		}
		now = time.Date(2026, 9, 21, 3, 0, 0, 0, time.UTC)
		if _, err := svc.Close(ctx, officer, f.ID, outbreak.CloseInput{}); err != nil {
			t.Fatal(err)
		}
		if err := (Outbreaks{DB: db}).Close(ctx, &outbreak.Focus{ID: f.ID, ClosedOn: ptrDate(date.MustParse("2026-09-21")), UpdatedAt: now}, auth.AuditEntry{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("the store closes a closed focus: %v, want conflict", err)
		}
		b, err = svc.Board(ctx, office, district.ID, date.MustParse("2026-09-21"))
		if err != nil || b.Totals.ActiveFoci != 1 {
			t.Errorf("board after closing: %+v %v", b.Totals, err)
		}
		figs, section, err := svc.ReportFigures(ctx, office, &report.UnitRef{ID: commune.ID, Path: commune.Path}, "month", date.MustParse("2026-09-01"), date.MustParse("2026-09-30"))
		wantFigs := report.Figures{"outbreak.foci_opened": 1, "outbreak.foci_closed": 1, "outbreak.cases": 3, "outbreak.shifts": 2, "outbreak.shifts_confirmed": 0, "outbreak.members_mobilised": 2}
		if diff := cmp.Diff(wantFigs, figs); err != nil || diff != "" || !strings.Contains(section, "2 lượt đảng viên trực") {
			t.Errorf("report figures (-want +got):\n%s%q %v", diff, section, err)
		}
		if figs, _, err := svc.ReportFigures(ctx, office, &report.UnitRef{ID: commune.ID, Path: commune.Path}, "month", date.MustParse("2026-10-01"), date.MustParse("2026-10-31")); err != nil || figs != nil {
			t.Errorf("report figures of October: %v %v, want none", figs, err)
		}
		var audits int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'outbreak'`).Scan(&audits); err != nil || audits < 8 {
			t.Errorf("audit entries on outbreaks: %d %v", audits, err)
		}
	})
}

func ptrInt(n int) *int              { return &n }
func ptrDate(d date.Date) *date.Date { return &d }
func cmpIgnore(fields ...string) cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		for _, f := range fields {
			if p.Last().String() == "."+f {
				return true
			}
		}
		return false
	}, cmp.Ignore())
}
