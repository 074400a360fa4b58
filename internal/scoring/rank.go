package scoring

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// ResultRow is one scoresheet as the results read it (without its unit's
// name and path, which only the cells answered need).
type ResultRow struct {
	SheetID     int64
	UnitID      int64
	Stage       Stage
	Totals      Totals
	SubmittedAt time.Time
	// Tiebreak is the counted points of each top-level criterion in the
	// framework's order, kept on the sheet at each write (TiebreakOf).
	Tiebreak []Points
}

// TiebreakOf is a sheet's tie-break key at a stage: the counted points of
// each top-level criterion, in the framework's order.
func TiebreakOf(f *Framework, scores []Score, stage Stage) []Points {
	flat := Flatten(f.Criteria)
	top := map[string]string{}
	for _, c := range flat {
		top[c.Code] = c.Top
	}
	per := map[string]Totals{}
	for _, sc := range scores {
		t := per[top[sc.Criterion]]
		one := totals([]Score{sc})
		t.Self, t.Review, t.Final = t.Self+one.Self, t.Review+one.Review, t.Final+one.Final
		per[top[sc.Criterion]] = t
	}
	out := make([]Points, 0, len(f.Criteria))
	for _, c := range f.Criteria {
		out = append(out, CountedOf(stage, per[c.Code]))
	}
	return out
}

// Counted is the total that classifies a sheet: the last completed
// stage's (self while the cell scores and while it is reviewed, the
// review's while the owner finalises, the final once done).
func (r ResultRow) Counted() Points {
	switch r.Stage {
	case StageFinal:
		return r.Totals.Review
	case StageDone:
		return r.Totals.Final
	}
	return r.Totals.Self
}

// CountedOf picks the counted stage's subtotal.
func CountedOf(stage Stage, t Totals) Points {
	return ResultRow{Stage: stage, Totals: t}.Counted()
}

// Result is one cell in the results.
type Result struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	// SheetID is the cell's scoresheet for the period.
	SheetID int64  `json:"sheet_id"`
	Stage   Stage  `json:"stage"`
	Self    Points `json:"self"`
	Review  Points `json:"review"`
	Final   Points `json:"final"`
	// Total is the counted total (Counted); Provisional until done.
	Total       Points `json:"total"`
	Provisional bool   `json:"provisional"`
	// Level is the band reached with the quota applied ("" below every
	// band); BandLevel the band before the quota.
	Level     string `json:"level"`
	BandLevel string `json:"band_level"`
	// CappedByQuota: the quota moved the cell down from BandLevel.
	CappedByQuota bool `json:"capped_by_quota"`
	// Rank is distinct across the framework's registered cells (see the
	// package doc for the tie-break rule).
	Rank int `json:"rank"`
	// LastYear is the cell's counted total in the framework this one was
	// copied from, when it was scored there.
	LastYear *Points `json:"last_year"`
	Change   *Points `json:"change"`
}

// BandOf returns the level a total reaches ("" below every band). Bands
// come from the highest minimum down.
func BandOf(bands []Band, total Points) string {
	for _, b := range bands {
		if total >= b.MinPoints {
			return b.Level
		}
	}
	return ""
}

// QuotaCap is how many cells may hold the quota's level: the share of the
// registered cells, rounded down.
func QuotaCap(q *Quota, registered int) int {
	if q == nil {
		return math.MaxInt
	}
	return int(math.Floor(q.MaxShare*float64(registered) + 1e-9))
}

// Rank classifies and ranks the rows of one framework and period: order
// by the documented rule (package doc: the counted total, then the
// tie-break key, then the earlier self-assessment, then the unit id),
// bands by the counted total, then the quota from the top rank down (the
// cells over the cap take the next band below the quota's level).
// registered is the number of cells the quota's share is of.
func Rank(f *Framework, rows []ResultRow, registered int) []Result {
	SortRows(rows)
	limit := QuotaCap(f.Quota, registered)
	below := ""
	if f.Quota != nil {
		for i, b := range f.Bands {
			if b.Level == f.Quota.Level && i+1 < len(f.Bands) {
				below = f.Bands[i+1].Level
			}
		}
	}
	out := make([]Result, len(rows))
	held := 0
	for i, r := range rows {
		t := r.Counted()
		band := BandOf(f.Bands, t)
		res := Result{UnitID: r.UnitID, SheetID: r.SheetID, Stage: r.Stage, Self: r.Totals.Self, Review: r.Totals.Review, Final: r.Totals.Final,
			Total: t, Provisional: r.Stage != StageDone, Level: band, BandLevel: band, Rank: i + 1}
		if f.Quota != nil && band == f.Quota.Level {
			if held < limit {
				held++
			} else {
				res.Level, res.CappedByQuota = below, true
			}
		}
		out[i] = res
	}
	return out
}

// SortRows puts rows in rank order by the documented rule (the counted
// total, the tie-break key, the earlier self-assessment, the lower unit
// id): the order the store's rank key (migration 0031) keeps in an index.
func SortRows(rows []ResultRow) {
	slices.SortFunc(rows, func(a, b ResultRow) int {
		if c := cmp.Compare(b.Counted(), a.Counted()); c != 0 {
			return c
		}
		for i := range max(len(a.Tiebreak), len(b.Tiebreak)) {
			var x, y Points
			if i < len(a.Tiebreak) {
				x = a.Tiebreak[i]
			}
			if i < len(b.Tiebreak) {
				y = b.Tiebreak[i]
			}
			if c := cmp.Compare(y, x); c != 0 {
				return c
			}
		}
		if a.SubmittedAt.IsZero() != b.SubmittedAt.IsZero() {
			if a.SubmittedAt.IsZero() {
				return 1
			}
			return -1
		}
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.UnitID, b.UnitID)
	})
}

// RankedRow is one sheet of a subtree with its rank over the whole
// framework and period, and its cell.
type RankedRow struct {
	ResultRow
	Rank int
	Unit UnitRef
}

// Ranked is what the results read: the sheets of a subtree in rank order
// with their ranks, how many sheets the framework has for the period
// (Registered) and how many of them count at least the threshold asked
// for (Above; the quota's level starts below them).
type Ranked struct {
	Registered int
	Above      int
	Rows       []RankedRow
}

// RankedFrom ranks every row of a framework and period and keeps those of
// the cells in units (the subtree): the definition the store's indexed
// read is checked against, and the fake store's read.
func RankedFrom(rows []ResultRow, units map[int64]UnitRef, above *Points) *Ranked {
	rows = slices.Clone(rows)
	SortRows(rows)
	out := &Ranked{Registered: len(rows)}
	for i, r := range rows {
		if above != nil && r.Counted() >= *above {
			out.Above++
		}
		if u, ok := units[r.UnitID]; ok {
			out.Rows = append(out.Rows, RankedRow{ResultRow: r, Rank: i + 1, Unit: u})
		}
	}
	return out
}

// quotaAbove is the counted total from which a sheet sits in a band above
// the quota's level (nil: the quota's level is the top band, or no quota):
// the quota's cap counts the sheets of its level from the first rank
// below those.
func quotaAbove(f *Framework) *Points {
	if f.Quota == nil {
		return nil
	}
	for i, b := range f.Bands {
		if b.Level == f.Quota.Level && i > 0 {
			p := f.Bands[i-1].MinPoints
			return &p
		}
	}
	return nil
}

// Classify gives each ranked row its band and, with a quota, its level:
// a sheet of the quota's level keeps it when it is among the first cap
// sheets of that level in rank order (its rank minus the sheets of the
// bands above), as Rank does over all the rows.
func Classify(f *Framework, rk *Ranked) []Result {
	limit := QuotaCap(f.Quota, rk.Registered)
	below := ""
	if f.Quota != nil {
		for i, b := range f.Bands {
			if b.Level == f.Quota.Level && i+1 < len(f.Bands) {
				below = f.Bands[i+1].Level
			}
		}
	}
	out := make([]Result, len(rk.Rows))
	for i, r := range rk.Rows {
		t := r.Counted()
		band := BandOf(f.Bands, t)
		res := Result{UnitID: r.UnitID, Name: r.Unit.Name, SheetID: r.SheetID, Stage: r.Stage, Self: r.Totals.Self, Review: r.Totals.Review, Final: r.Totals.Final,
			Total: t, Provisional: r.Stage != StageDone, Level: band, BandLevel: band, Rank: r.Rank}
		if f.Quota != nil && band == f.Quota.Level && r.Rank-rk.Above > limit {
			res.Level, res.CappedByQuota = below, true
		}
		out[i] = res
	}
	return out
}

// PageQuery asks for one page of a framework's results in rank order
// (?limit=&cursor=) and what by_level counts over the subtree.
type PageQuery struct {
	Cursor string // after the page it names ("": the first)
	Limit  int
	// Whole: the subtree is the framework's owner's (it holds every sheet).
	Whole bool
	// Above: the quota's level starts below the sheets counting at least
	// this (quotaAbove); Quota: the quota (nil: none).
	Above *Points
	Quota *Quota
	// Mins are the bands' least points, counted over the subtree.
	Mins []Points
}

// RankedPage is one page of results (Rows with their ranks, Registered and
// Above as Ranked) and the subtree counted: its sheets, those counting at
// least each of the query's Mins (AtLeast), and those ranked no lower than
// the last sheet the quota's level may hold (UpToCap; every sheet when the
// cap is not reached).
type RankedPage struct {
	Ranked
	Subtree, UpToCap int
	AtLeast          []int
	Next             *string
}

// LevelCounts is by_level and the unclassified count of a subtree from its
// counts (RankedPage), as Classify gives them row by row: the sheets of
// band i are those counting at least its least points and not the band's
// above; of the quota's band, those ranked after the cap take the band
// below (none: unclassified).
func LevelCounts(f *Framework, p *RankedPage) (map[string]int, int) {
	by := map[string]int{}
	prev := 0
	n := make([]int, len(f.Bands))
	for i, b := range f.Bands {
		n[i] = p.AtLeast[i] - prev
		prev = p.AtLeast[i]
		by[b.Level] = 0
	}
	unclassified := p.Subtree - prev
	if f.Quota != nil {
		for i, b := range f.Bands {
			if b.Level != f.Quota.Level {
				continue
			}
			above := 0
			if i > 0 {
				above = p.AtLeast[i-1]
			}
			kept := min(max(p.UpToCap-above, 0), n[i])
			if i+1 < len(f.Bands) {
				n[i+1] += n[i] - kept
			} else {
				unclassified += n[i] - kept
			}
			n[i] = kept
		}
	}
	for i, b := range f.Bands {
		by[b.Level] += n[i]
	}
	return by, unclassified
}
