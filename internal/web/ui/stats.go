package ui

import (
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// statsView is a unit's figures laid out for bar charts.
type statsView struct {
	AsOf   date.Date
	Exists bool
	Total  int
	Units  int
	Charts []chart
}

// chart is one bar chart: members by status, gender or age band.
type chart struct {
	Title string // catalogue key
	Bars  []bar
}

// bar is one row of a chart. Width (0.5–100, so that a count of one still
// shows) is relative to the longest bar of its chart and becomes the width
// of an SVG rect: the page's CSP forbids style attributes, SVG geometry is
// not style.
type bar struct {
	Key     string // catalogue key of the label
	Count   int
	Percent int // of the chart's sum
	Width   float64
}

func newStatsView(st *org.Stats) *statsView {
	// The subtree's count holds the unit itself: the page shows the
	// organisations below it, so a cell does not count itself.
	v := &statsView{AsOf: st.AsOf, Exists: st.Exists, Total: st.Members.Total, Units: max(st.Units.Total-1, 0)}
	var statuses []string
	for _, s := range member.Statuses {
		statuses = append(statuses, string(s))
	}
	var bands []string
	for _, b := range org.AgeBands {
		bands = append(bands, b.Name)
	}
	v.Charts = []chart{
		{"stats.status", bars("status.", statuses, st.Members.ByStatus)},
		{"stats.gender", bars("gender.", []string{string(member.Male), string(member.Female)}, st.Members.ByGender)},
		{"stats.age", bars("age.", append(bands, "unknown"), st.Members.ByAgeBand)},
	}
	return v
}

// bars makes one chart from counts, in the order of keys, leaving out
// empty rows so that a small cell's chart is not a column of zeros.
func bars(prefix string, keys []string, counts map[string]int) []bar {
	sum, most := 0, 0
	for _, k := range keys {
		sum += counts[k]
		most = max(most, counts[k])
	}
	var out []bar
	for _, k := range keys {
		n := counts[k]
		if n == 0 {
			continue
		}
		out = append(out, bar{Key: prefix + k, Count: n, Percent: (n*100 + sum/2) / sum, Width: max(0.5, float64(n*1000/most)/10)})
	}
	return out
}
