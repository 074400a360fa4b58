package meeting

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/sotay-vn/sotay/internal/viet"
)

// Months lists the months from first to last inclusive ("YYYY-MM").
func Months(first, last string) []string {
	var out []string
	y, _ := strconv.Atoi(first[:4])
	m, _ := strconv.Atoi(first[5:])
	for {
		s := fmt.Sprintf("%04d-%02d", y, m)
		if s > last {
			return out
		}
		out = append(out, s)
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
}

// Grid turns the cells' years into the cell × month grid for the months
// first..last (one year): a month has its regular meeting when a closed
// regular meeting started in it; a month's quarter has its thematic
// meeting when a closed thematic meeting started in the quarter up to the
// last month counted. The cells missing most come first, then by name.
func Grid(cells []CellYear, first, last string) []CellCompliance {
	months := Months(first, last)
	m0 := int(first[5]-'0')*10 + int(first[6]-'0') - 1 // index of the first month
	n := len(months)
	var counted uint32 // months counted
	for i := range n {
		counted |= 1 << (m0 + i)
	}
	out := make([]CellCompliance, len(cells))
	recs := make([]MonthRecord, len(cells)*n)
	rates := make([]float64, len(cells)*(n+1))
	for c := range cells {
		y, cell := &cells[c], &out[c]
		cell.UnitID, cell.Name = y.UnitID, y.Name
		cell.Months = recs[c*n : (c+1)*n : (c+1)*n]
		thematic := y.Thematic & counted
		var yearExp, yearPres int
		for i, mo := range months {
			m := m0 + i
			q := uint32(7) << (m / 3 * 3) // the quarter's three months
			rec := MonthRecord{Month: mo, Regular: y.Regular&(1<<m) != 0, ThematicInQuarter: thematic&q != 0, Meetings: y.Meetings[m]}
			if e := y.Expected[m]; e > 0 {
				rate := &rates[c*(n+1)+i]
				*rate = float64(y.Present[m]) / float64(e)
				rec.AttendanceRate = rate
			}
			yearExp += y.Expected[m]
			yearPres += y.Present[m]
			if !rec.Regular {
				cell.Missing++
			}
			// A quarter counts once: at its last month counted.
			if (i == n-1 || m%3 == 2) && !rec.ThematicInQuarter {
				cell.Missing++
			}
			cell.Months[i] = rec
		}
		if yearExp > 0 {
			rate := &rates[c*(n+1)+n]
			*rate = float64(yearPres) / float64(yearExp)
			cell.AttendanceRate = rate
		}
	}
	// Sort positions by (missing desc, name key, position): a total order,
	// so an unstable sort keeps equal names in the store's order, without
	// moving the records or looking keys up in a map while sorting.
	keys := make([][]byte, len(out))
	idx := make([]int, len(out))
	for i := range out {
		keys[i], idx[i] = viet.TextKey(out[i].Name), i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(out[b].Missing, out[a].Missing); c != 0 {
			return c
		}
		if c := bytes.Compare(keys[a], keys[b]); c != 0 {
			return c
		}
		return a - b
	})
	sorted := make([]CellCompliance, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// Flags groups the absences without reason by member (the store gives
// only members with enough of them, ordered by member).
func Flags(abs []Absence) []Flag {
	out := []Flag{}
	for _, a := range abs {
		if n := len(out); n == 0 || out[n-1].MemberID != a.MemberID {
			out = append(out, Flag{MemberID: a.MemberID, FullName: a.FullName, UnitID: a.UnitID, MeetingIDs: []int64{}})
		}
		f := &out[len(out)-1]
		f.MeetingIDs = append(f.MeetingIDs, a.MeetingID)
		f.Absences++
	}
	return out
}

// SumCells rolls cells' years up as the store's per-subtree counters do
// (the "as of" roll-up, which the counters cannot answer, and the tests'
// oracle): per month, the cells with the regular meeting, the cells with a
// thematic meeting in the month's quarter up to the month, and the sums.
func SumCells(u SubtreeYear, cells []CellYear) SubtreeYear {
	u.Cells = len(cells)
	for _, c := range cells {
		for m := range 12 {
			q := uint32(1)<<(m+1) - uint32(1)<<(m/3*3) // the quarter's months up to m
			if c.Regular&(1<<m) != 0 {
				u.Regular[m]++
			}
			if c.Thematic&q != 0 {
				u.Thematic[m]++
			}
			u.Meetings[m] += c.Meetings[m]
			u.Expected[m] += c.Expected[m]
			u.Present[m] += c.Present[m]
		}
	}
	return u
}

// Rollup is a subtree's months first..last (one year) as the grid counts
// them: a quarter's thematic meeting counts in its months up to the last
// month counted.
func Rollup(u SubtreeYear, first, last string) UnitCompliance {
	months := Months(first, last)
	m0 := int(first[5]-'0')*10 + int(first[6]-'0') - 1
	end := m0 + len(months) - 1 // index of the last month counted
	out := UnitCompliance{UnitID: u.UnitID, Name: u.Name, Kind: u.Kind, Cells: u.Cells, Months: make([]MonthRollup, len(months))}
	var exp, pres int
	for i, mo := range months {
		m := m0 + i
		r := MonthRollup{Month: mo, Regular: u.Regular[m], ThematicInQuarter: u.Thematic[min(m/3*3+2, end)],
			Meetings: u.Meetings[m], Expected: u.Expected[m], Present: u.Present[m]}
		r.AttendanceRate = rate(r.Present, r.Expected)
		exp += r.Expected
		pres += r.Present
		out.Months[i] = r
	}
	out.AttendanceRate = rate(pres, exp)
	return out
}

func rate(present, expected int) *float64 {
	if expected == 0 {
		return nil
	}
	r := float64(present) / float64(expected)
	return &r
}
