package meeting

import (
	"fmt"
	"sort"
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

// quarter of a month "YYYY-MM": "YYYY-Qn".
func quarter(month string) string {
	m, _ := strconv.Atoi(month[5:])
	return month[:4] + "-Q" + strconv.Itoa((m-1)/3+1)
}

// Grid turns the store's aggregates into the cell × month grid: a month
// has its regular meeting when a closed regular meeting started in it; a
// month's quarter has its thematic meeting when a closed thematic meeting
// started in the quarter up to the last month counted. The cells missing
// most come first, then by name.
func Grid(rows []CellMonth, first, last string) []CellCompliance {
	months := Months(first, last)
	type agg struct {
		cell                   *CellCompliance
		regular                map[string]bool
		expected, present      map[string]int
		meetings               map[string]int
		thematic               map[string]bool
		yearExpected, yearPres int
	}
	byCell := map[int64]*agg{}
	var order []int64
	for _, r := range rows {
		a := byCell[r.UnitID]
		if a == nil {
			a = &agg{cell: &CellCompliance{UnitID: r.UnitID, Name: r.Name}, regular: map[string]bool{}, expected: map[string]int{},
				present: map[string]int{}, meetings: map[string]int{}, thematic: map[string]bool{}}
			byCell[r.UnitID] = a
			order = append(order, r.UnitID)
		}
		if r.Month == "" || r.Meetings == 0 {
			continue
		}
		if r.Kind == Regular {
			a.regular[r.Month] = true
		} else {
			a.thematic[quarter(r.Month)] = true
		}
		a.meetings[r.Month] += r.Meetings
		a.expected[r.Month] += r.Expected
		a.present[r.Month] += r.Present
		a.yearExpected += r.Expected
		a.yearPres += r.Present
	}
	out := make([]CellCompliance, 0, len(order))
	for _, id := range order {
		a := byCell[id]
		c := *a.cell
		c.Months = make([]MonthRecord, len(months))
		seenQ := map[string]bool{}
		for i, mo := range months {
			rec := MonthRecord{Month: mo, Regular: a.regular[mo], ThematicInQuarter: a.thematic[quarter(mo)], Meetings: a.meetings[mo]}
			if e := a.expected[mo]; e > 0 {
				rate := float64(a.present[mo]) / float64(e)
				rec.AttendanceRate = &rate
			}
			if !rec.Regular {
				c.Missing++
			}
			// A quarter counts once, when it is over or is the last counted.
			if q := quarter(mo); !seenQ[q] && (i == len(months)-1 || quarter(months[i+1]) != q) {
				seenQ[q] = true
				if !rec.ThematicInQuarter {
					c.Missing++
				}
			}
			c.Months[i] = rec
		}
		if a.yearExpected > 0 {
			rate := float64(a.yearPres) / float64(a.yearExpected)
			c.AttendanceRate = &rate
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Missing != out[j].Missing {
			return out[i].Missing > out[j].Missing
		}
		return viet.Compare(out[i].Name, out[j].Name) < 0
	})
	return out
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
