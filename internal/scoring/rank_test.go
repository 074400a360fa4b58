package scoring

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRankBandsQuotaTies(t *testing.T) {
	f := &Framework{Criteria: []Criterion{{Code: "1"}, {Code: "2"}},
		Bands: []Band{{Level: "A", MinPoints: 900}, {Level: "B", MinPoints: 700}, {Level: "C", MinPoints: 500}}}
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	done := func(id int64, code string, total Points, sub time.Time) ResultRow {
		return ResultRow{SheetID: id, UnitID: id, Code: code, Stage: StageDone, Totals: Totals{Self: total, Review: total, Final: total}, SubmittedAt: sub}
	}
	type want struct {
		ID    int64
		Level string
		Rank  int
	}
	for _, tc := range []struct {
		name  string
		quota *Quota
		rows  []ResultRow
		tops  map[int64]map[string]Totals
		want  []want
	}{
		{"bands", nil, []ResultRow{done(1, "a", 950, t0), done(2, "b", 700, t0), done(3, "c", 499, t0), done(4, "d", 900, t0)},
			nil, []want{{1, "A", 1}, {4, "A", 2}, {2, "B", 3}, {3, "", 4}}},
		{"quota caps the top level", &Quota{Level: "A", MaxShare: 0.5}, []ResultRow{done(1, "a", 950, t0), done(2, "b", 940, t0), done(3, "c", 930, t0), done(4, "d", 600, t0)},
			nil, []want{{1, "A", 1}, {2, "A", 2}, {3, "B", 3}, {4, "C", 4}}},
		{"quota floor", &Quota{Level: "A", MaxShare: 0.2}, []ResultRow{done(1, "a", 950, t0), done(2, "b", 940, t0), done(3, "c", 930, t0), done(4, "d", 600, t0)},
			nil, []want{{1, "B", 1}, {2, "B", 2}, {3, "B", 3}, {4, "C", 4}}},
		{"tie by first criterion", &Quota{Level: "A", MaxShare: 0.25}, []ResultRow{done(1, "a", 950, t0), done(2, "b", 950, t0), done(3, "c", 950, t0), done(4, "d", 100, t0)},
			map[int64]map[string]Totals{1: {"1": {Final: 400}, "2": {Final: 550}}, 2: {"1": {Final: 500}, "2": {Final: 450}}, 3: {"1": {Final: 400}, "2": {Final: 550}}},
			[]want{{2, "A", 1}, {1, "B", 2}, {3, "B", 3}, {4, "", 4}}},
		{"tie by earlier submission then code", nil, []ResultRow{done(1, "z", 800, t0.Add(time.Hour)), done(2, "y", 800, t0), done(3, "x", 800, t0.Add(time.Hour)), done(4, "w", 800, time.Time{})},
			nil, []want{{2, "B", 1}, {3, "B", 2}, {1, "B", 3}, {4, "B", 4}}},
		{"stage decides the counted total", nil, []ResultRow{
			{SheetID: 1, UnitID: 1, Code: "a", Stage: StageFinal, Totals: Totals{Self: 990, Review: 600, Final: 600}},
			{SheetID: 2, UnitID: 2, Code: "b", Stage: StageReview, Totals: Totals{Self: 800}}},
			nil, []want{{2, "B", 1}, {1, "C", 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.Quota = tc.quota
			asked := 0
			res, err := Rank(f, tc.rows, len(tc.rows), func(ids []int64) (map[int64]map[string]Totals, error) {
				asked = len(ids)
				return tc.tops, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, r := range res {
				got = append(got, want{r.UnitID, r.Level, r.Rank})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.tops != nil && asked != 3 {
				t.Errorf("asked for %d sheets' subtotals, want the 3 tied", asked)
			}
		})
	}
}
