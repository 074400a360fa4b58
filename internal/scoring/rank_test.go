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
	done := func(id int64, total Points, sub time.Time, tb ...Points) ResultRow {
		return ResultRow{SheetID: id, UnitID: id, Stage: StageDone, Totals: Totals{Self: total, Review: total, Final: total}, SubmittedAt: sub, Tiebreak: tb}
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
		want  []want
	}{
		{"bands", nil, []ResultRow{done(1, 950, t0), done(2, 700, t0), done(3, 499, t0), done(4, 900, t0)},
			[]want{{1, "A", 1}, {4, "A", 2}, {2, "B", 3}, {3, "", 4}}},
		{"quota caps the top level", &Quota{Level: "A", MaxShare: 0.5}, []ResultRow{done(1, 950, t0), done(2, 940, t0), done(3, 930, t0), done(4, 600, t0)},
			[]want{{1, "A", 1}, {2, "A", 2}, {3, "B", 3}, {4, "C", 4}}},
		{"quota floor", &Quota{Level: "A", MaxShare: 0.2}, []ResultRow{done(1, 950, t0), done(2, 940, t0), done(3, 930, t0), done(4, 600, t0)},
			[]want{{1, "B", 1}, {2, "B", 2}, {3, "B", 3}, {4, "C", 4}}},
		{"tie by first criterion", &Quota{Level: "A", MaxShare: 0.25}, []ResultRow{done(1, 950, t0, 400, 550), done(2, 950, t0, 500, 450), done(3, 950, t0, 400, 550), done(4, 100, t0)},
			[]want{{2, "A", 1}, {1, "B", 2}, {3, "B", 3}, {4, "", 4}}},
		{"tie by earlier submission then unit id", nil, []ResultRow{done(3, 800, t0.Add(time.Hour)), done(2, 800, t0), done(1, 800, t0.Add(time.Hour)), done(4, 800, time.Time{})},
			[]want{{2, "B", 1}, {1, "B", 2}, {3, "B", 3}, {4, "B", 4}}},
		{"stage decides the counted total", nil, []ResultRow{
			{SheetID: 1, UnitID: 1, Stage: StageFinal, Totals: Totals{Self: 990, Review: 600, Final: 600}},
			{SheetID: 2, UnitID: 2, Stage: StageReview, Totals: Totals{Self: 800}}},
			[]want{{2, "B", 1}, {1, "C", 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.Quota = tc.quota
			res := Rank(f, tc.rows, len(tc.rows))
			var got []want
			for _, r := range res {
				got = append(got, want{r.UnitID, r.Level, r.Rank})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTiebreakOf(t *testing.T) {
	f := &Framework{Criteria: []Criterion{{Code: "1", Children: []Criterion{{Code: "1.1"}, {Code: "1.2"}}}, {Code: "2"}}}
	p := func(v Points) *Points { return &v }
	scores := []Score{{Criterion: "1.1", SelfPoints: p(50), ReviewPoints: p(40)}, {Criterion: "1.2", SelfPoints: p(30), FinalPoints: p(10)}, {Criterion: "2", SelfPoints: p(70)}}
	for _, tc := range []struct {
		stage Stage
		want  []Points
	}{
		{StageSelf, []Points{80, 70}},
		{StageReview, []Points{80, 70}},
		{StageFinal, []Points{70, 70}}, // the review's: 40 + 30 (kept)
		{StageDone, []Points{50, 70}},  // the final's: 40 (kept) + 10
	} {
		if diff := cmp.Diff(tc.want, TiebreakOf(f, scores, tc.stage)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.stage, diff)
		}
	}
}
