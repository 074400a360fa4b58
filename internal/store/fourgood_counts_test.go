package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// randomSheetWrite is one random write of the four-good random tests on
// the score sheet id: unless the sheet is done (nothing written), two
// times in three points for codes, drawn from vals (past the
// self-assessment with a reason, and with skip each criterion left out
// one time in two), otherwise a submission. It answers whether it wrote
// points, whether the sheet was done, and the write's error.
func randomSheetWrite(ctx context.Context, t *testing.T, rng *rand.Rand, svc *scoring.Service, actor *auth.Actor, id int64, codes []string, vals []float64, skip bool) (scored, done bool, err error) {
	t.Helper()
	cur, err := svc.Sheet(ctx, actor, id)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Stage == scoring.StageDone {
		return false, true, nil
	}
	if rng.IntN(3) == 0 {
		_, err = svc.Submit(ctx, actor, id, 0)
		return false, false, err
	}
	var in []scoring.ScoreInput
	for _, code := range codes {
		if skip && cur.Stage != scoring.StageSelf && rng.IntN(2) == 0 {
			continue
		}
		v := vals[rng.IntN(len(vals))]
		s := scoring.ScoreInput{Criterion: code, Points: &v}
		if cur.Stage != scoring.StageSelf {
			s.Reason = strp("điều chỉnh")
		}
		in = append(in, s)
	}
	_, err = svc.PutScores(ctx, actor, id, 0, in)
	return true, false, err
}

// TestFourGoodCountsAfterRandomWrites keeps a framework of a small city
// (two districts, three communes, twelve cells; the quota on the top band)
// under random writes through the service and the store: scores and
// submissions, cells registered late (a sheet inserted), communes moved
// between the districts and cells between the communes. Every ten writes
// the counters by key head (fourgood_counts, migration 0038) and the
// subtrees' key orders (fourgood_sheet_scopes, 0044) must be what `sotay
// check counters` recounts, and the results of every unit walked in
// pages (their counts read from the counters) must equal the whole answer
// (counted row by row) and the old statement's ranks. Then a tampered
// counter, and a sheet missing from a district's key order, must be the
// one drift named, and the fix repairs it.
func TestFourGoodCountsAfterRandomWrites(t *testing.T) {
	// The whole answers span several of rankedResults' blocks.
	defer rankedBlock.Store(rankedBlock.Load())
	rankedBlock.Store(3)
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		us := mustTree(t, db, "province C", "district C.1", "district C.2", "grassroots C.1.A", "grassroots C.1.B", "grassroots C.2.A")
		communes := []*org.Unit{us["C.1.A"], us["C.1.B"], us["C.2.A"]}
		var cells []*org.Unit
		for _, c := range communes {
			for k := range 4 {
				code := fmt.Sprintf("%s.%d", c.Code, k)
				cells = append(cells, mustUnit(t, db, c, org.KindCell, code))
				us[code] = cells[len(cells)-1]
			}
		}
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		svc := &scoring.Service{Store: FourGood{DB: db}, Now: func() time.Time { return now }}
		office := actorOn(1, "office", us["C"], auth.RoleOffice)
		p := func(v float64) *float64 { return &v }
		f, err := svc.Create(ctx, office, scoring.FrameworkInput{Name: "Khung", Year: 2026, OwnerUnitID: us["C"].ID, RegistrationDeadline: date.MustParse("2026-12-31"),
			Criteria: []scoring.CriterionInput{{Code: "1", Title: "a", MaxPoints: p(50)}, {Code: "2", Title: "b", MaxPoints: p(50)}},
			Bands:    []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 80}, {Level: "Hoàn thành tốt", MinPoints: 50}, {Level: "Hoàn thành", MinPoints: 20}},
			Quota:    &scoring.Quota{Level: "Chi bộ 4 tốt", MaxShare: 0.25}})
		if err != nil {
			t.Fatal(err)
		}
		var sheets []int64
		register := func(c *org.Unit) {
			sh, err := svc.Register(ctx, office, f.ID, scoring.RegisterInput{UnitID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			sheets = append(sheets, sh.ID)
		}
		for _, c := range cells[:8] {
			register(c)
		}
		late := cells[8:]
		rng := rand.New(rand.NewPCG(38, 11))
		day := date.MustParse("2026-01-01")
		compare := func(step int) {
			t.Helper()
			drift, err := db.CheckCounters(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(drift) > 0 {
				t.Fatalf("write %d: counters drifted: %v", step, drift)
			}
			for _, sc := range append([]*org.Unit{us["C"], us["C.1"], us["C.2"], cells[0], cells[9]}, communes...) {
				cur, err := Units{db}.Unit(ctx, sc.ID)
				if err != nil {
					t.Fatal(err)
				}
				res, err := svc.Results(ctx, office, f.ID, scoring.ResultsInput{UnitID: sc.ID})
				if err != nil {
					t.Fatal(err)
				}
				if _, want := oldResults(t, db, f, cur.Path); !cmp.Equal(want, res.Items) {
					t.Fatalf("write %d, %s: results (-old statement +new):\n%s", step, sc.Code, cmp.Diff(want, res.Items))
				}
				comparePages(t, svc, office, f.ID, sc, res, 1+rng.IntN(4), fmt.Sprintf("write %d, %s", step, sc.Code))
			}
		}
		vals := []float64{0, 10, 25, 25, 40, 50}
		ops := map[string]int{}
		for step := 1; step <= 120; step++ {
			switch k := rng.IntN(100); {
			case k < 70: // points or a submission
				scored, done, err := randomSheetWrite(ctx, t, rng, svc, office, sheets[rng.IntN(len(sheets))], []string{"1", "2"}, vals, false)
				if done {
					continue
				}
				if scored {
					ops["scores"]++
				} else {
					ops["submit"]++
				}
				if err != nil && !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
					t.Fatal(err)
				}
				if rng.IntN(2) == 0 {
					now = now.Add(time.Duration(rng.IntN(90)+1) * time.Second)
				}
			case k < 78: // a cell registered late
				if len(late) == 0 {
					continue
				}
				register(late[0])
				late = late[1:]
				ops["register"]++
			case k < 92: // a commune moved to the other district
				day = day.AddDays(1)
				moveCommune(t, db, us, rng.IntN(3), day)
				ops["move commune"]++
			default: // a cell moved to another commune
				day = day.AddDays(1)
				c, to := cells[rng.IntN(len(cells))], communes[rng.IntN(len(communes))]
				if err := (Units{db}).Move(ctx, c.ID, to.ID, day, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "test"}); err != nil {
					t.Fatalf("move cell: %v", err)
				}
				ops["move cell"]++
			}
			if step%10 == 0 {
				compare(step)
			}
		}
		t.Logf("writes: %v", ops)
		if ops["move commune"] == 0 || ops["move cell"] == 0 || ops["register"] == 0 {
			t.Fatalf("the random writes missed a kind: %v", ops)
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE fourgood_counts SET sheets = sheets + 1 WHERE framework_id = $1 AND unit_id = $2
			AND head = (SELECT MIN(head) FROM fourgood_counts WHERE framework_id = $1 AND unit_id = $2 AND sheets > 0)`, f.ID, us["C.1"].ID); err != nil {
			t.Fatal(err)
		}
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) != 1 || drift[0].Table != "fourgood_counts" || !strings.Contains(drift[0].Key, fmt.Sprintf("unit_id=%d, head=", us["C.1"].ID)) {
			t.Fatalf("a tampered counter: drift %v, want the one row named", drift)
		}
		if _, err := db.FixCounters(ctx); err != nil {
			t.Fatal(err)
		}
		compare(0)
		// A sheet missing from a district's key order (migration 0044).
		if _, err := db.write.ExecContext(ctx, `DELETE FROM fourgood_sheet_scopes WHERE unit_id = $1 AND framework_id = $2
			AND rank_key = (SELECT MIN(rank_key) FROM fourgood_sheet_scopes WHERE unit_id = $1 AND framework_id = $2)`, us["C.1"].ID, f.ID); err != nil {
			t.Fatal(err)
		}
		drift, err = db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) != 1 || drift[0].Table != "fourgood_sheet_scopes" || !strings.HasPrefix(drift[0].Key, fmt.Sprintf("unit_id=%d, framework_id=%d, period=final, rank_key=", us["C.1"].ID, f.ID)) {
			t.Fatalf("a sheet missing from a subtree's key order: drift %v, want the one row named", drift)
		}
		if _, err := db.FixCounters(ctx); err != nil {
			t.Fatal(err)
		}
		compare(0)
	})
}

// TestFGHeadsSearch checks the counts by head that a page's ranks are made
// of (binary searches over the heads with the sheets before each) against
// their definition, a pass over the heads, for heads before, between, at
// and after the counted ones.
func TestFGHeadsSearch(t *testing.T) {
	rows := []struct {
		head string
		n    int
	}{{"0000000000000000010", 2}, {"0000000000000000020", 5}, {"0000000000000000021", 1}, {"0000000000000000400", 7}}
	var hs fgHeads
	for _, r := range rows {
		hs = append(hs, fgHead{head: r.head, n: r.n, before: hs.total()})
	}
	for _, head := range []string{"", "0000000000000000001", "0000000000000000010", "0000000000000000011", "0000000000000000020",
		"0000000000000000021", "0000000000000000022", "0000000000000000400", "0000000000000000401", "9"} {
		wantBelow, wantAt := 0, 0
		for _, r := range rows {
			if r.head < head {
				wantBelow += r.n
			}
			if r.head == head {
				wantAt = r.n
			}
		}
		if got := hs.below(head); got != wantBelow {
			t.Errorf("below(%q): got %d, want %d", head, got, wantBelow)
		}
		if got := hs.at(head); got != wantAt {
			t.Errorf("at(%q): got %d, want %d", head, got, wantAt)
		}
	}
	if got := hs.total(); got != 15 {
		t.Errorf("total: got %d, want 15", got)
	}
	if got := (fgHeads{}).below("1"); got != 0 {
		t.Errorf("no heads: below got %d, want 0", got)
	}
}
