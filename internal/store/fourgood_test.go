package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/scoring"
)

func pts(v float64) *float64 { return &v }

func fourGoodInput(owner int64) scoring.FrameworkInput {
	return scoring.FrameworkInput{Name: "Khung 2026", Year: 2026, OwnerUnitID: owner, RegistrationDeadline: date.MustParse("2026-12-31"),
		ReportDeadline: date.MustParse("2026-12-25"),
		Criteria: []scoring.CriterionInput{
			{Code: "1", Title: "Lãnh đạo", Children: []scoring.CriterionInput{{Code: "1.1", Title: "a", MaxPoints: pts(30)}, {Code: "1.2", Title: "b", MaxPoints: pts(20)}}},
			{Code: "2", Title: "Sinh hoạt", MaxPoints: pts(50)},
		},
		Bands: []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 90}, {Level: "Đạt", MinPoints: 50}},
		Quota: &scoring.Quota{Level: "Chi bộ 4 tốt", MaxShare: 0.5}}
}

func TestFourGoodStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		svc := &scoring.Service{Store: FourGood{DB: db}, Now: func() time.Time { return now }}
		u := mustTree(t, db, "district PX", "grassroots PX.A", "grassroots PX.B", "cell PX.A.1", "cell PX.A.2", "cell PX.B.1", "cell PX.B.2")
		district, b := u["PX"], u["PX.B"]
		cells := []*org.Unit{u["PX.A.1"], u["PX.A.2"], u["PX.B.1"], u["PX.B.2"]}
		office := actorOn(1, "office", district, auth.RoleOffice)
		f, err := svc.Create(ctx, office, fourGoodInput(district.ID))
		if err != nil {
			t.Fatal(err)
		}
		if f.MaxTotal != 1000 || f.Criteria[0].MaxPoints != 500 || f.Quota == nil || f.Quota.MaxShare != 0.5 || f.Bands[0].MinPoints != 900 || f.Bands[1].MinPoints != 500 {
			t.Fatalf("read back: %+v", f)
		}
		// Self 95, 95, 92, 60: the quota (half of 4) keeps two at the top;
		// the first two tie on 95 and criterion 1 decides.
		self := [][3]float64{{25, 20, 50}, {30, 20, 45}, {30, 20, 42}, {10, 10, 40}}
		var sheets []int64
		for i, c := range cells {
			sh, err := svc.Register(ctx, office, f.ID, scoring.RegisterInput{UnitID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			sheets = append(sheets, sh.ID)
			if _, err := svc.PutScores(ctx, office, sh.ID, 0, []scoring.ScoreInput{{Criterion: "1.1", Points: pts(self[i][0]), Links: &[]scoring.Link{}},
				{Criterion: "1.2", Points: pts(self[i][1])}, {Criterion: "2", Points: pts(self[i][2])}}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Minute)
			if _, err := svc.Submit(ctx, office, sh.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		before, err := svc.Sheet(ctx, office, sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.PutScores(ctx, office, sheets[0], 0, []scoring.ScoreInput{{Criterion: "2", Points: pts(40), Reason: strp("ok")}, {Criterion: "1.1", Points: pts(31), Reason: strp("x")}}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("over max: got %v", err)
		}
		after, _ := svc.Sheet(ctx, office, sheets[0])
		if after.Version != before.Version || after.Totals != before.Totals {
			t.Fatalf("a refused write changed the sheet: %v → %v", before.Totals, after.Totals)
		}
		if _, err := svc.Update(ctx, office, f.ID, fourGoodInput(district.ID)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("update once scored: got %v, want conflict", err)
		}
		res, err := svc.Results(ctx, office, f.ID, scoring.ResultsInput{})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Unit  int64
			Total scoring.Points
			Level string
			Rank  int
		}
		var got []row
		for _, r := range res.Items {
			got = append(got, row{r.UnitID, r.Total, r.Level, r.Rank})
		}
		want := []row{{cells[1].ID, 950, "Chi bộ 4 tốt", 1}, {cells[0].ID, 950, "Chi bộ 4 tốt", 2}, {cells[2].ID, 920, "Đạt", 3}, {cells[3].ID, 600, "Đạt", 4}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
		if res.ByLevel["Đạt"] != 2 || res.ByLevel["Chi bộ 4 tốt"] != 2 {
			t.Errorf("by level: %v", res.ByLevel)
		}
		// The subtree of commune B keeps its ranks from the whole framework.
		resB, err := svc.Results(ctx, office, f.ID, scoring.ResultsInput{UnitID: b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(resB.Items) != 2 || resB.Items[0].Rank != 3 || len(resB.Reports) != 1 || resB.Reports[0].Status != "pending" {
			t.Errorf("commune B: %+v reports %+v", resB.Items, resB.Reports)
		}
		if _, err := svc.SendReport(ctx, office, f.ID, scoring.ReportInput{UnitID: b.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SendReport(ctx, office, f.ID, scoring.ReportInput{UnitID: b.ID}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("report twice: got %v", err)
		}
		c, err := svc.Copy(ctx, office, f.ID, scoring.CopyInput{Year: 2027})
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.List(ctx, office, scoring.ListInput{UnitID: cells[0].ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 2 || len(list.Items) != 1 || list.Items[0].ID != c.ID || list.NextCursor == nil {
			t.Fatalf("list page 1: %+v", list)
		}
		list, err = svc.List(ctx, office, scoring.ListInput{UnitID: cells[0].ID, Limit: 1, Cursor: *list.NextCursor})
		if err != nil || len(list.Items) != 1 || list.Items[0].ID != f.ID || list.NextCursor != nil || !list.Items[0].Scored {
			t.Fatalf("list page 2: %+v %v", list, err)
		}
		var audits int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'framework.%' OR action LIKE 'scoresheet.%'`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		// create, 4 registrations, 12 scores, 4 submissions, report, copy
		if audits != 23 {
			t.Errorf("audit entries: got %d, want 23", audits)
		}
	})
}

func strp(s string) *string { return &s }
