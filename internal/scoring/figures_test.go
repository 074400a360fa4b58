package scoring

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/date"
)

// TestReportFigures: the four-good figures of a report draft count the
// subtree's registered cells by band (quota applied) and how many are
// final, for the period's kind; a period with no sheets answers nil.
func TestReportFigures(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	f := w.sampleFramework(t)
	score := func(unit int64, pts [3]float64, submits int) {
		sh, err := w.s.Register(ctx, w.office, f.ID, RegisterInput{UnitID: unit})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.PutScores(ctx, w.office, sh.ID, 0, []ScoreInput{{Criterion: "1.1", Points: f64(pts[0])}, {Criterion: "1.2", Points: f64(pts[1])}, {Criterion: "2", Points: f64(pts[2])}}); err != nil {
			t.Fatal(err)
		}
		for range submits {
			if _, err := w.s.Submit(ctx, w.office, sh.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	score(3, [3]float64{10, 15, 25}, 3) // 50: the top band, done
	score(6, [3]float64{10, 10, 10}, 1) // 30: "Đạt", under review
	year := [2]date.Date{date.MustParse("2026-01-01"), date.MustParse("2026-12-31")}
	for _, tc := range []struct {
		name    string
		unit    int64
		period  [2]date.Date
		want    map[string]int64
		section []string
	}{
		{"the district", 1, year, map[string]int64{"fourgood.registered": 2, "fourgood.done": 1, "fourgood.band_1": 1, "fourgood.band_2": 1, "fourgood.unclassified": 0},
			[]string{"Khung mẫu 2026 (tổng kết năm): 2 chi bộ đăng ký", "Chi bộ 4 tốt: 1; Đạt: 1", "1/2 chi bộ"}},
		{"commune A", 2, year, map[string]int64{"fourgood.registered": 1, "fourgood.done": 1, "fourgood.band_1": 1, "fourgood.band_2": 0, "fourgood.unclassified": 0},
			[]string{"1 chi bộ đăng ký", "kết quả cuối cùng"}},
		{"the first half: no interim sheets", 1, [2]date.Date{date.MustParse("2026-01-01"), date.MustParse("2026-06-30")}, nil, nil},
		{"another year", 1, [2]date.Date{date.MustParse("2025-01-01"), date.MustParse("2025-12-31")}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			figs, section, err := w.s.ReportFigures(ctx, w.office, tc.unit, tc.period[0], tc.period[1])
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, figs); diff != "" {
				t.Errorf("figures (-want +got):\n%s", diff)
			}
			for _, s := range tc.section {
				if !strings.Contains(section, s) {
					t.Errorf("the section lacks %q: %s", s, section)
				}
			}
		})
	}
	// Out of reach: the other commune's officer reads nothing of commune A.
	if figs, _, err := w.s.ReportFigures(ctx, w.away, 2, year[0], year[1]); err != nil || figs != nil {
		t.Errorf("out of reach: got %v, %v; want nothing", figs, err)
	}
}
