package meeting

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRollupAgreesWithGrid holds the roll-up by child (SumCells then
// Rollup, what the per-subtree counters answer) against the contract's
// grid: for random cells and every last month counted, each month's
// counts must be the grid's rows counted (cells with the regular meeting,
// cells with the quarter's thematic one, the sums), and the rates the
// sums' quotients.
func TestRollupAgreesWithGrid(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := range 20 {
		cells := make([]CellYear, 1+rng.Intn(12))
		for i := range cells {
			c := &cells[i]
			c.UnitID, c.Name = int64(i+1), fmt.Sprintf("Chi bộ %d", i)
			c.Regular, c.Thematic = uint32(rng.Intn(1<<12)), uint32(rng.Intn(1<<12))&uint32(rng.Intn(1<<12))
			for m := range 12 {
				if rng.Intn(3) > 0 {
					c.Meetings[m] = 1 + rng.Intn(2)
					c.Expected[m] = rng.Intn(20)
					c.Present[m] = rng.Intn(c.Expected[m] + 1)
				}
			}
		}
		for last := 1; last <= 12; last++ {
			first, lastMonth := "2025-01", fmt.Sprintf("2025-%02d", last)
			got := Rollup(SumCells(SubtreeYear{UnitID: 9, Name: "Xã", Kind: "grassroots_committee"}, cells), first, lastMonth)
			want := UnitCompliance{UnitID: 9, Name: "Xã", Kind: "grassroots_committee", Cells: len(cells)}
			var exp, pres int
			for i, mo := range Months(first, lastMonth) {
				r := MonthRollup{Month: mo}
				for _, c := range Grid(cells, first, lastMonth) {
					rec := c.Months[i]
					if rec.Regular {
						r.Regular++
					}
					if rec.ThematicInQuarter {
						r.ThematicInQuarter++
					}
					r.Meetings += rec.Meetings
				}
				for _, c := range cells {
					r.Expected += c.Expected[i]
					r.Present += c.Present[i]
				}
				if r.Expected > 0 {
					v := float64(r.Present) / float64(r.Expected)
					r.AttendanceRate = &v
				}
				exp, pres = exp+r.Expected, pres+r.Present
				want.Months = append(want.Months, r)
			}
			if exp > 0 {
				v := float64(pres) / float64(exp)
				want.AttendanceRate = &v
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("round %d, to %s (-grid counted +roll-up):\n%s", round, lastMonth, d)
			}
		}
	}
}

func TestMonthRecordMark(t *testing.T) {
	tests := []struct {
		regular, thematic bool
		want              string
	}{
		{false, false, "0"},
		{true, false, "x"},
		{false, true, "0 CĐ"},
		{true, true, "x CĐ"},
	}
	for _, tt := range tests {
		m := MonthRecord{Regular: tt.regular, ThematicInQuarter: tt.thematic}
		if got := m.Mark("x", "0", " CĐ"); got != tt.want {
			t.Errorf("Mark(regular %v, thematic %v): got %q, want %q", tt.regular, tt.thematic, got, tt.want)
		}
	}
}
