package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// ensureFourGood registers every live cell under the unit with code owner
// to a framework of four criteria (one leaf each), with scoresheets at
// every stage and one score row per criterion, in set-based statements;
// it reuses the framework named "Bench" when present.
func ensureFourGood(tb testing.TB, db *DB, owner string) int64 {
	tb.Helper()
	ctx := context.Background()
	var id int64
	if err := db.read.QueryRowContext(ctx, `SELECT id FROM fourgood_frameworks WHERE name = 'Bench'`).Scan(&id); err == nil {
		return id
	}
	u, err := Units{DB: db}.ByCode(ctx, owner)
	if err != nil {
		tb.Fatal(err)
	}
	p := func(v float64) *float64 { return &v }
	in := scoring.FrameworkInput{Name: "Bench", Year: 2026, OwnerUnitID: u.ID, RegistrationDeadline: date.MustParse("2026-03-31"),
		Criteria: []scoring.CriterionInput{{Code: "1", Title: "a", MaxPoints: p(25)}, {Code: "2", Title: "b", MaxPoints: p(25)}, {Code: "3", Title: "c", MaxPoints: p(25)}, {Code: "4", Title: "d", MaxPoints: p(25)}},
		Bands:    []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 90}, {Level: "Hoàn thành tốt", MinPoints: 70}, {Level: "Hoàn thành", MinPoints: 50}},
		Quota:    &scoring.Quota{Level: "Chi bộ 4 tốt", MaxShare: 0.2}}
	svc := &scoring.Service{Store: FourGood{DB: db}, Now: time.Now}
	f, err := svc.Create(ctx, auth.SystemActor(), in)
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	lo, hi := u.Path, prefixEnd(u.Path)
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_registrations (framework_id, unit_id, year, registered_at)
			SELECT $1, id, 2026, $2 FROM units WHERE kind = 'cell' AND dissolved_on IS NULL AND path >= $3 AND path < $4`, f.ID, tx.Now, lo, hi); err != nil {
			return err
		}
		// Totals from 40 to 100 points; stages spread over the four.
		if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_sheets (framework_id, unit_id, period, stage, self_total, review_total, final_total, scored, submitted_at, created_at, updated_at)
			SELECT $1, unit_id, 'final', CASE unit_id % 4 WHEN 0 THEN 'self' WHEN 1 THEN 'review' WHEN 2 THEN 'final' ELSE 'done' END,
				400 + (unit_id * 37) % 601, 400 + (unit_id * 37) % 601 - unit_id % 7, 400 + (unit_id * 37) % 601 - unit_id % 7, 1, $2, $2, $2
			FROM fourgood_registrations WHERE framework_id = $1`, f.ID, tx.Now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fourgood_sheets SET tiebreak = CAST(self_total / 4 AS TEXT) || ',' || CAST(unit_id % 250 AS TEXT) WHERE framework_id = $1`, f.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO fourgood_scores (sheet_id, criterion, top_code, self_points, review_points, final_points, updated_at)
			SELECT s.id, c.code, c.top_code, (s.self_total + CAST(c.code AS INTEGER) * 3) / 4, NULL, NULL, $2
			FROM fourgood_sheets s CROSS JOIN fourgood_criteria c WHERE s.framework_id = $1 AND c.framework_id = $1`, f.ID, tx.Now)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	var n int
	db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM fourgood_sheets WHERE framework_id = $1`, f.ID).Scan(&n)
	tb.Logf("registered %d cells under %s in %s", n, owner, time.Since(start).Round(time.Millisecond))
	return f.ID
}

// BenchmarkFourGoodResults measures the results of a framework owned by
// the top of each dataset (every cell registered): the whole tree, the
// district Phú Xuyên and the commune Phú Túc. The quota and the ranks are
// computed over all the framework's cells each time; the subtree only
// filters what is answered.
func BenchmarkFourGoodResults(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		id := ensureFourGood(b, db, "HN")
		svc := &scoring.Service{Store: FourGood{DB: db}, Now: time.Now}
		for _, scope := range []struct{ name, code string }{{"commune", "HN.PX.PHUTUC"}, {"district", "HN.PX"}, {"city", "HN"}} {
			u, err := Units{DB: db}.ByCode(ctx, scope.code)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(name+"/results-"+scope.name, func(b *testing.B) {
				var rows, all int
				for b.Loop() {
					r, err := svc.Results(ctx, auth.SystemActor(), id, scoring.ResultsInput{UnitID: u.ID})
					if err != nil {
						b.Fatal(err)
					}
					rows, all = len(r.Items), r.Registered
				}
				b.ReportMetric(float64(rows), "rows")
				b.ReportMetric(float64(all), "cells")
			})
		}
	}
}
