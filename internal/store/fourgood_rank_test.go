package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// oldResults is the results as they were computed before the rank key
// (migration 0031): every sheet of the framework and period read, sorted
// in Go (scoring.Rank), then the subtree's cells named. The oracle.
func oldResults(t *testing.T, db *DB, f *scoring.Framework, path string) (registered int, items []scoring.Result) {
	t.Helper()
	ctx := context.Background()
	rows, err := FourGood{DB: db}.ResultRows(ctx, f.ID, scoring.PeriodFinal)
	if err != nil {
		t.Fatal(err)
	}
	units, err := FourGood{DB: db}.ResultUnits(ctx, f.ID, scoring.PeriodFinal, path)
	if err != nil {
		t.Fatal(err)
	}
	items = []scoring.Result{}
	for _, r := range scoring.Rank(f, rows, len(rows)) {
		if u, ok := units[r.UnitID]; ok {
			r.Name = u.Name
			items = append(items, r)
		}
	}
	return len(rows), items
}

// TestFourGoodRankKeyAfterRandomWrites scores, reviews and finalises the
// sheets of 30 cells in random order through the service (points from a
// few values, so that totals, criteria and submission times tie), with
// two frameworks (the quota on the top band; on the middle one), and
// after every few writes compares the results read from the rank key
// with the old statement (every sheet sorted in Go) for the district,
// each commune and some cells: items, ranks, levels, the quota and the
// count. The rank keys must also be what `sotay check counters`
// recomputes.
func TestFourGoodRankKeyAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		svc := &scoring.Service{Store: FourGood{DB: db}, Now: func() time.Time { return now }}
		specs := []string{"district PX"}
		for c := range 3 {
			specs = append(specs, fmt.Sprintf("grassroots PX.%d", c))
			for k := range 10 {
				specs = append(specs, fmt.Sprintf("cell PX.%d.%d", c, k))
			}
		}
		u := mustTree(t, db, specs...)
		district := u["PX"]
		office := actorOn(1, "office", district, auth.RoleOffice)
		p := func(v float64) *float64 { return &v }
		mk := func(year int, quotaLevel string) *scoring.Framework {
			in := scoring.FrameworkInput{Name: fmt.Sprintf("Khung %d", year), Year: year, OwnerUnitID: district.ID, RegistrationDeadline: date.MustParse("2026-12-31"),
				Criteria: []scoring.CriterionInput{
					{Code: "1", Title: "a", Children: []scoring.CriterionInput{{Code: "1.1", Title: "a1", MaxPoints: p(20)}, {Code: "1.2", Title: "a2", MaxPoints: p(20)}}},
					{Code: "2", Title: "b", MaxPoints: p(30)}, {Code: "3", Title: "c", MaxPoints: p(30)}},
				Bands: []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 80}, {Level: "Hoàn thành tốt", MinPoints: 50}, {Level: "Hoàn thành", MinPoints: 20}},
				Quota: &scoring.Quota{Level: quotaLevel, MaxShare: 0.3}}
			f, err := svc.Create(ctx, office, in)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		fws := []*scoring.Framework{mk(2026, "Chi bộ 4 tốt"), mk(2027, "Hoàn thành tốt")}
		var cells []*org.Unit
		for c := range 3 {
			for k := range 10 {
				cells = append(cells, u[fmt.Sprintf("PX.%d.%d", c, k)])
			}
		}
		type sheetOf struct {
			id int64
			fw *scoring.Framework
		}
		var sheets []sheetOf
		for i, c := range cells {
			f := fws[i%2]
			sh, err := svc.Register(ctx, office, f.ID, scoring.RegisterInput{UnitID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			sheets = append(sheets, sheetOf{sh.ID, f})
		}
		scopes := []*org.Unit{district, u["PX.0"], u["PX.1"], u["PX.2"], cells[0], cells[7], cells[29]}
		rng := rand.New(rand.NewPCG(7, 16))
		compare := func(step int) {
			t.Helper()
			for _, f := range fws {
				for _, sc := range scopes {
					// Small subtrees count their ranks; larger ones read
					// the keys in order (countMax 2: a commune).
					fast := &scoring.Service{Store: FourGood{DB: db, countMax: []int{rankCountMax, 2}[rng.IntN(2)]}, Now: svc.Now}
					res, err := fast.Results(ctx, office, f.ID, scoring.ResultsInput{UnitID: sc.ID})
					if err != nil {
						t.Fatal(err)
					}
					reg, want := oldResults(t, db, f, sc.Path)
					if res.Registered != reg {
						t.Errorf("step %d, %s, %s: registered %d, want %d", step, f.Name, sc.Code, res.Registered, reg)
					}
					if diff := cmp.Diff(want, res.Items); diff != "" {
						t.Fatalf("step %d, %s, %s: results from the rank key (-old statement +new):\n%s", step, f.Name, sc.Code, diff)
					}
					// The same walked page by page (?limit=&cursor=).
					comparePages(t, fast, office, f.ID, sc, res, 1+rng.IntN(7), fmt.Sprintf("step %d, %s, %s", step, f.Name, sc.Code))
				}
			}
		}
		compare(0)
		vals := []float64{0, 5, 10, 10, 15, 20}
		writes, refused := 0, 0
		for step := 1; step <= 240; step++ {
			_, done, err := randomSheetWrite(ctx, t, rng, svc, office, sheets[rng.IntN(len(sheets))].id, []string{"1.1", "1.2", "2", "3"}, vals, true)
			if done {
				continue
			}
			switch {
			case err == nil:
				writes++
			case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict):
				refused++
			default:
				t.Fatal(err)
			}
			// Half the time the clock stands still: submissions tie.
			if rng.IntN(2) == 0 {
				now = now.Add(time.Duration(rng.IntN(90)+1) * time.Second)
			}
			if step%20 == 0 {
				compare(step)
			}
		}
		var stages [4]int
		for _, sh := range sheets {
			cur, _ := svc.Sheet(ctx, office, sh.id)
			stages[map[scoring.Stage]int{scoring.StageSelf: 0, scoring.StageReview: 1, scoring.StageFinal: 2, scoring.StageDone: 3}[cur.Stage]]++
		}
		t.Logf("%d writes, %d refused; sheets at self, review, final, done: %v", writes, refused, stages)
		if stages[1]+stages[2] == 0 || stages[3] == 0 || writes < 100 {
			t.Fatalf("the random writes did not reach every stage: %v, %d writes", stages, writes)
		}
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) > 0 {
			t.Errorf("check counters after the writes: %v", drift)
		}
		// A key written behind the triggers' back is found and fixed.
		if _, err := db.write.ExecContext(ctx, `UPDATE fourgood_sheets SET tiebreak = '1,2' WHERE id = $1`, sheets[3].id); err != nil {
			t.Fatal(err)
		}
		if db.dialect == postgresDialect {
			_, err = db.write.ExecContext(ctx, `ALTER TABLE fourgood_sheets DISABLE TRIGGER fourgood_sheets_rank_key; UPDATE fourgood_sheets SET rank_key = 'x' WHERE id = `+fmt.Sprint(sheets[4].id)+`; ALTER TABLE fourgood_sheets ENABLE TRIGGER fourgood_sheets_rank_key`)
		} else {
			_, err = db.write.ExecContext(ctx, `UPDATE fourgood_sheets SET rank_key = 'x' WHERE id = $1`, sheets[4].id)
		}
		if err != nil {
			t.Fatal(err)
		}
		drift, err = db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var named []string
		for _, d := range drift {
			named = append(named, d.Key)
		}
		if want := []string{fmt.Sprintf("id=%d, rank_key", sheets[4].id)}; !cmp.Equal(named, want) {
			t.Errorf("check counters after a key was overwritten: %v, want %v", named, want)
		}
		if _, err := db.FixCounters(ctx); err != nil {
			t.Fatal(err)
		}
		if drift, err := db.CheckCounters(ctx); err != nil || len(drift) > 0 {
			t.Errorf("after --fix: %v %v", drift, err)
		}
		compare(-1)
	})
}

// comparePages walks the results of the framework for the unit page by
// page (?limit=&cursor=) and compares them with the whole answer res: the
// items in order, and on every page by_level, the unclassified, the
// registered, the quota's cap and the subtree's total.
func comparePages(t *testing.T, svc *scoring.Service, a *auth.Actor, frameworkID int64, sc *org.Unit, res *scoring.Results, limit int, what string) {
	t.Helper()
	var items []scoring.Result
	in := scoring.ResultsInput{UnitID: sc.ID, Limit: limit}
	for pages := 0; ; pages++ {
		pg, err := svc.Results(context.Background(), a, frameworkID, in)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total == nil || *pg.Total != len(res.Items) || pg.Registered != res.Registered || !cmp.Equal(pg.QuotaCap, res.QuotaCap) ||
			!cmp.Equal(pg.ByLevel, res.ByLevel) || pg.Unclassified != res.Unclassified {
			t.Fatalf("%s, page %d of %d: total %v, registered %d, cap %v, by_level %v, unclassified %d; want %d, %d, %v, %v, %d",
				what, pages, in.Limit, intOf(pg.Total), pg.Registered, intOf(pg.QuotaCap), pg.ByLevel, pg.Unclassified,
				len(res.Items), res.Registered, intOf(res.QuotaCap), res.ByLevel, res.Unclassified)
		}
		items = append(items, pg.Items...)
		if pg.NextCursor == nil {
			break
		}
		if pages > len(res.Items) {
			t.Fatalf("%s: pages without end", what)
		}
		in.Cursor = *pg.NextCursor
	}
	if diff := cmp.Diff(res.Items, items, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%s: the pages of %d (-whole +pages):\n%s", what, limit, diff)
	}
}

// intOf is *p, or nil.
func intOf(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
