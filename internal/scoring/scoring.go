// Package scoring is the four-good cell model (Chi bộ 4 tốt, Nghị quyết
// 21-NQ/TW; DOMAIN.md "Four-good cells"): criteria frameworks that an
// office defines per year and cell type, the cells' registration, the
// scoresheets that go self → review → final → done, and the results with
// classification bands, a quota on the top level and distinct ranks.
//
// Points are kept in tenths (Points) so that sums are exact on both
// database engines; the API shows them as numbers with at most one decimal.
//
// Ties in the results are broken by one documented rule (Rank): the higher
// counted total; then the higher points on the top-level criteria in the
// framework's order (the first criterion, "leads the political task",
// first); then the earlier submission of the self-assessment; then the
// lower unit id (the unit recorded first). Ranks are therefore distinct.
package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

// Points are tenths of a point: 75 is 7.5 points.
type Points int64

// Float is the points as a number.
func (p Points) Float() float64 { return float64(p) / 10 }

// String is the points as the pages show them: "7.5", "10".
func (p Points) String() string { return strconv.FormatFloat(p.Float(), 'f', -1, 64) }

// MarshalJSON writes the points as a number with at most one decimal.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads points written by MarshalJSON (a number with at
// most one decimal).
func (p *Points) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	v, ok := PointsOf(f)
	if !ok {
		return fmt.Errorf("points %s: at most one decimal", b)
	}
	*p = v
	return nil
}

// PointsOf converts a number given by a person: ok is false when it has
// more than one decimal, is not finite or is beyond the bounds.
func PointsOf(f float64) (Points, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxPoints {
		return 0, false
	}
	t := math.Round(f * 10)
	if math.Abs(t-f*10) > 1e-6 {
		return 0, false
	}
	return Points(t), true
}

// Stage is where a scoresheet stands.
type Stage string

const (
	StageSelf   Stage = "self"   // the cell scores itself
	StageReview Stage = "review" // the level above reviews
	StageFinal  Stage = "final"  // the framework's owner finalises
	StageDone   Stage = "done"   // locked
)

// Next is the stage a submission moves to.
func (s Stage) Next() Stage {
	switch s {
	case StageSelf:
		return StageReview
	case StageReview:
		return StageFinal
	case StageFinal:
		return StageDone
	}
	return ""
}

// Period is the interim (six-month, sơ kết) or final (year-end, tổng kết)
// scoring.
type Period string

const (
	PeriodInterim Period = "interim"
	PeriodFinal   Period = "final"
)

// Valid reports whether p is a known period.
func (p Period) Valid() bool { return p == PeriodInterim || p == PeriodFinal }

// orFinal is the period a request names: the final one when it names
// none; an unknown one is refused on the field "period".
func (p Period) orFinal() (Period, error) {
	if p == "" {
		return PeriodFinal, nil
	}
	if !p.Valid() {
		return p, apperr.InvalidField("period", "fourgood.bad_period", "the period is interim or final")
	}
	return p, nil
}

// Status of a framework: a draft cannot take registrations.
type Status string

const (
	StatusDraft Status = "draft"
	StatusOpen  Status = "open"
)

// Bounds of a framework and of the text in it.
const (
	MaxCriteria  = 300
	MaxDepth     = 4
	MaxBands     = 10
	MaxPoints    = 10000 // per criterion and per framework, in points
	MaxCodeLen   = 20
	MaxTitleLen  = 500
	MaxGuideLen  = 4000
	MaxNameLen   = 300
	MaxLevelLen  = 100
	MaxTextLen   = 4000 // evidence, comment, reason
	MaxLinks     = 20
	MaxCellTypes = 8
	MaxScores    = MaxCriteria
)

// Criterion is one node of the criteria tree. Only leaves are scored; a
// parent's maximum is the sum of its children's.
type Criterion struct {
	Code      string      `json:"code"`
	Parent    string      `json:"parent,omitempty"`
	Title     string      `json:"title"`
	MaxPoints Points      `json:"max_points"`
	Guidance  string      `json:"guidance,omitempty"`
	Children  []Criterion `json:"children,omitempty"`
}

// Band is a classification level reached from a minimum total.
type Band struct {
	Level     string `json:"level"`
	MinPoints Points `json:"min_points"`
}

// Quota caps the share of the registered cells that may reach a level.
type Quota struct {
	Level    string  `json:"level"`
	MaxShare float64 `json:"max_share"`
}

// Framework is one year's criteria framework of an owner unit, for some
// cell types (none: every type).
type Framework struct {
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	Year                 int            `json:"year"`
	OwnerUnitID          int64          `json:"owner_unit_id"`
	OwnerName            string         `json:"owner_name,omitempty"`
	OwnerPath            string         `json:"-"`
	CellTypes            []org.CellType `json:"cell_types"`
	Status               Status         `json:"status"`
	RegistrationDeadline date.Date      `json:"registration_deadline"`
	// ReportDeadline is when the committees below the owner must have
	// reported their results up (the final period; InterimReportDeadline
	// for the interim one).
	ReportDeadline        date.Date   `json:"report_deadline,omitempty"`
	InterimReportDeadline date.Date   `json:"interim_report_deadline,omitempty"`
	Criteria              []Criterion `json:"criteria"`
	Bands                 []Band      `json:"bands"`
	Quota                 *Quota      `json:"quota"`
	MaxTotal              Points      `json:"max_total"`
	CopiedFrom            *int64      `json:"copied_from,omitempty"`
	// Scored: a score exists against the framework, so it cannot change.
	Scored        bool      `json:"scored"`
	Registrations int       `json:"registrations"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
}

// Ref is the framework's id and version (its ETag in the API).
func (x *Framework) Ref() (id int64, version int) { return x.ID, x.Version }

// Flat is one criterion with its parent code, in tree order (what the
// store keeps and the spreadsheet holds).
type Flat struct {
	Code      string
	Parent    string
	Title     string
	MaxPoints Points
	Guidance  string
	// Top is the code of the top-level criterion above (itself at the top).
	Top  string
	Leaf bool
	// Depth is 1 at the top.
	Depth int
}

// Flatten lists the tree in order with parent codes.
func Flatten(cs []Criterion) []Flat {
	var out []Flat
	var walk func(cs []Criterion, parent, top string, depth int)
	walk = func(cs []Criterion, parent, top string, depth int) {
		for _, c := range cs {
			t := top
			if t == "" {
				t = c.Code
			}
			out = append(out, Flat{Code: c.Code, Parent: parent, Title: c.Title, MaxPoints: c.MaxPoints, Guidance: c.Guidance, Top: t, Leaf: len(c.Children) == 0, Depth: depth})
			walk(c.Children, c.Code, t, depth+1)
		}
	}
	walk(cs, "", "", 1)
	return out
}

// Tree builds the tree from flat rows in order (parents need not come
// first). It assumes the rows were validated (BuildTree validates).
func Tree(fs []Flat) []Criterion {
	kids := map[string][]int{}
	for i, f := range fs {
		kids[f.Parent] = append(kids[f.Parent], i)
	}
	var build func(parent string) []Criterion
	build = func(parent string) []Criterion {
		var out []Criterion
		for _, i := range kids[parent] {
			f := fs[i]
			out = append(out, Criterion{Code: f.Code, Parent: f.Parent, Title: f.Title, MaxPoints: f.MaxPoints, Guidance: f.Guidance, Children: build(f.Code)})
		}
		return out
	}
	return build("")
}

// Link is a piece of evidence the system holds: a document or a task (a
// meeting once the meetings module is present).
type Link struct {
	Kind  string `json:"kind"`
	ID    int64  `json:"id"`
	Title string `json:"title,omitempty"`
}

// Link kinds accepted as evidence.
const (
	LinkDocument = "document"
	LinkTask     = "task"
)

// LinkKinds are the kinds of evidence the store itself finds; meetings
// and conferences are added where their modules are wired in.
var LinkKinds = []string{LinkDocument, LinkTask}

// Score is one criterion of a scoresheet at every stage.
type Score struct {
	Criterion    string  `json:"criterion"`
	SelfPoints   *Points `json:"self_points"`
	ReviewPoints *Points `json:"review_points"`
	FinalPoints  *Points `json:"final_points"`
	Evidence     string  `json:"evidence"`
	Links        []Link  `json:"links"`
	Comment      string  `json:"comment"`
	// Reason is the reviewer's (or the owner's) reason for changing points.
	Reason string `json:"reason"`
	// Attachments are the files given as evidence (Service.Attach).
	Attachments []Attachment `json:"attachments"`
}

// Totals are the sums of a scoresheet at each stage.
type Totals struct {
	Self   Points `json:"self"`
	Review Points `json:"review"`
	Final  Points `json:"final"`
}

// Sheet is one cell's scoresheet for one period of a framework.
type Sheet struct {
	ID          int64     `json:"id"`
	FrameworkID int64     `json:"framework_id"`
	UnitID      int64     `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	UnitPath    string    `json:"-"`
	UnitCode    string    `json:"-"`
	Period      Period    `json:"period"`
	Stage       Stage     `json:"stage"`
	Scores      []Score   `json:"scores"`
	Totals      Totals    `json:"totals"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// Registration: when and how the cell registered.
	RegisteredAt time.Time `json:"registered_at"`
	// LateReason is set when an officer above registered the cell after
	// the deadline.
	LateReason         string    `json:"late_reason,omitempty"`
	EvidenceFromSystem *Evidence `json:"evidence_from_system"`
	Version            int       `json:"version"`
}

// Ref is the scoresheet's id and version (its ETag in the API).
func (x *Sheet) Ref() (id int64, version int) { return x.ID, x.Version }

// TaskCounts are the tasks a cell received in a period and how they went
// (Evidence.Tasks).
type TaskCounts struct {
	Received int `json:"received"`
	Done     int `json:"done"`
	OnTime   int `json:"on_time"`
	Late     int `json:"late"`
	Open     int `json:"open"`
	Overdue  int `json:"overdue"`
}

// MemberCounts are a cell's members, their lifecycle events and their
// reading of documents in a period (Evidence.Members).
type MemberCounts struct {
	Active        int `json:"active"`
	Admitted      int `json:"admitted"`
	Events        int `json:"events"`
	DocumentReads int `json:"document_reads"`
}

// Evidence is what the system knows about a cell for a period, shown
// beside the criteria (issue 12 "Evidence from the system itself"). Parts
// whose module is absent stay nil.
type Evidence struct {
	From    date.Date     `json:"from"`
	To      date.Date     `json:"to"`
	Tasks   *TaskCounts   `json:"tasks"`
	Members *MemberCounts `json:"members"`
	// Meetings and Conferences stay null where their module is absent.
	Meetings    *MeetingSummary    `json:"meetings"`
	Conferences *ConferenceSummary `json:"conferences"`
	// Outbreak: the members' outbreak shifts (null where the module is
	// absent).
	Outbreak *OutbreakSummary `json:"outbreak"`
}

// MarshalJSON writes the framework with its parent maxima filled in.
func (f Framework) MarshalJSON() ([]byte, error) {
	type plain Framework
	p := plain(f)
	if p.CellTypes == nil {
		p.CellTypes = []org.CellType{}
	}
	if p.Bands == nil {
		p.Bands = []Band{}
	}
	if p.Criteria == nil {
		p.Criteria = []Criterion{}
	}
	return json.Marshal(p)
}
