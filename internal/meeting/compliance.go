package meeting

import (
	"bytes"
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
// most come first, then by name. Rows of one cell come together.
func Grid(rows []CellMonth, first, last string) []CellCompliance {
	months := Months(first, last)
	index := make(map[string]int, len(months))
	for i, mo := range months {
		index[mo] = i
	}
	// Quarters by month index; the last month of each quarter counted.
	quarterOf := make([]int, len(months))
	for i, mo := range months {
		quarterOf[i] = (int(mo[5]-'0')*10 + int(mo[6]-'0') - 1) / 3
	}
	type agg struct {
		regular, thematic uint32 // bits: months; quarters
		expected, present []int
		meetings          []int
		yearExp, yearPres int
	}
	out := make([]CellCompliance, 0, 64)
	aggs := make([]agg, 0, 64)
	for _, r := range rows {
		if n := len(out); n == 0 || out[n-1].UnitID != r.UnitID {
			out = append(out, CellCompliance{UnitID: r.UnitID, Name: r.Name})
			aggs = append(aggs, agg{expected: make([]int, len(months)), present: make([]int, len(months)), meetings: make([]int, len(months))})
		}
		a := &aggs[len(aggs)-1]
		i, ok := index[r.Month]
		if !ok || r.Meetings == 0 {
			continue
		}
		if r.Kind == Regular {
			a.regular |= 1 << i
		} else {
			a.thematic |= 1 << quarterOf[i]
		}
		a.meetings[i] += r.Meetings
		a.expected[i] += r.Expected
		a.present[i] += r.Present
		a.yearExp += r.Expected
		a.yearPres += r.Present
	}
	recs := make([]MonthRecord, len(out)*len(months))
	rates := make([]float64, len(out)*len(months)+len(out))
	for c := range out {
		a, cell := &aggs[c], &out[c]
		cell.Months = recs[c*len(months) : (c+1)*len(months) : (c+1)*len(months)]
		for i, mo := range months {
			rec := MonthRecord{Month: mo, Regular: a.regular&(1<<i) != 0, ThematicInQuarter: a.thematic&(1<<quarterOf[i]) != 0, Meetings: a.meetings[i]}
			if e := a.expected[i]; e > 0 {
				rate := &rates[c*len(months)+i]
				*rate = float64(a.present[i]) / float64(e)
				rec.AttendanceRate = rate
			}
			if !rec.Regular {
				cell.Missing++
			}
			// A quarter counts once: at its last month counted.
			if (i == len(months)-1 || quarterOf[i+1] != quarterOf[i]) && !rec.ThematicInQuarter {
				cell.Missing++
			}
			cell.Months[i] = rec
		}
		if a.yearExp > 0 {
			rate := &rates[len(out)*len(months)+c]
			*rate = float64(a.yearPres) / float64(a.yearExp)
			cell.AttendanceRate = rate
		}
	}
	keys := make(map[int64][]byte, len(out))
	for _, c := range out {
		keys[c.UnitID] = viet.TextKey(c.Name)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Missing != out[j].Missing {
			return out[i].Missing > out[j].Missing
		}
		return bytes.Compare(keys[out[i].UnitID], keys[out[j].UnitID]) < 0
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
