package scoring

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// FrameworkInput is a framework as a person writes it (POST and PUT
// /api/v1/frameworks).
type FrameworkInput struct {
	Name                  string           `json:"name"`
	Year                  int              `json:"year"`
	OwnerUnitID           int64            `json:"owner_unit_id"`
	CellTypes             []org.CellType   `json:"cell_types"`
	Status                Status           `json:"status"`
	RegistrationDeadline  date.Date        `json:"registration_deadline"`
	ReportDeadline        date.Date        `json:"report_deadline"`
	InterimReportDeadline date.Date        `json:"interim_report_deadline"`
	Criteria              []CriterionInput `json:"criteria"`
	Bands                 []BandInput      `json:"bands"`
	Quota                 *Quota           `json:"quota"`
	Version               int              `json:"version"`
}

// CriterionInput is one criterion as written: a parent's max_points may be
// left out (it is the sum of its children's) or must equal that sum.
type CriterionInput struct {
	Code      string           `json:"code"`
	Title     string           `json:"title"`
	MaxPoints *float64         `json:"max_points"`
	Guidance  string           `json:"guidance"`
	Children  []CriterionInput `json:"children"`
}

// BandInput is one band as written.
type BandInput struct {
	Level     string  `json:"level"`
	MinPoints float64 `json:"min_points"`
}

// FlatInput is one criterion row as a spreadsheet holds it.
type FlatInput struct {
	Row       int // the spreadsheet row (0 for the JSON tree)
	Field     string
	Code      string
	Parent    string
	Title     string
	MaxPoints *float64
	Guidance  string
}

var codePattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]*$`)

// errs collects field errors.
type errs []apperr.FieldError

func (e *errs) add(field, key, format string, args ...any) {
	*e = append(*e, apperr.FieldKeyed(field, key, format, args...))
}

func (e *errs) addRow(row int, field, key, format string, args ...any) {
	if row > 0 {
		*e = append(*e, apperr.RowKeyed(row, field, key, format, args...))
		return
	}
	e.add(field, key, format, args...)
}

func (e errs) err() error {
	if len(e) == 0 {
		return nil
	}
	out := apperr.Keyed(apperr.Invalid, e[0].Key, "%s", e[0].Message)
	out.Args = e[0].Args // the first field's message is the summary
	return out.With(e...)
}

// checkLine checks a one-line text: required, at most n characters.
func (e *errs) checkLine(field, s string, n int, required bool) {
	e.checkText(field, s, n, required, false)
}

func (e *errs) checkText(field, s string, n int, required, multiline bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			e.add(field, "fourgood.required", "%s is required", field)
		}
		return
	}
	if utf8.RuneCountInString(s) > n {
		e.add(field, "fourgood.too_long", "at most %d characters", n)
		return
	}
	var err error
	if multiline {
		err = viet.CheckText(s)
	} else {
		err = viet.CheckLine(s)
	}
	if err != nil {
		e.add(field, "fourgood.bad_text", "%s", err.Error())
	}
}

// flatten turns the JSON tree into rows with field paths.
func flattenInput(cs []CriterionInput, parent, prefix string, depth int, out *[]FlatInput, e *errs) {
	for i, c := range cs {
		field := fmt.Sprintf("%s[%d]", prefix, i)
		if depth > MaxDepth {
			e.add(field, "fourgood.too_deep", "criteria may be at most %d levels deep", MaxDepth)
			return
		}
		if len(*out) >= MaxCriteria {
			e.add("criteria", "fourgood.too_many_criteria", "at most %d criteria", MaxCriteria)
			return
		}
		*out = append(*out, FlatInput{Field: field, Code: c.Code, Parent: parent, Title: c.Title, MaxPoints: c.MaxPoints, Guidance: c.Guidance})
		flattenInput(c.Children, c.Code, field+".children", depth+1, out, e)
	}
}

// BuildCriteria validates criteria rows (from the JSON tree or a
// spreadsheet) and returns them in tree order with every parent's maximum
// set: codes unique and well formed, parents known, no cycle, at most
// MaxDepth levels and MaxCriteria rows, leaves with a maximum in
// 0 < max ≤ MaxPoints, a parent's maximum (when given) the sum of its
// children's.
func BuildCriteria(rows []FlatInput) ([]Flat, error) {
	var e errs
	if len(rows) == 0 {
		e.add("criteria", "fourgood.no_criteria", "a framework needs at least one criterion")
		return nil, e.err()
	}
	if len(rows) > MaxCriteria {
		e.add("criteria", "fourgood.too_many_criteria", "at most %d criteria", MaxCriteria)
		return nil, e.err()
	}
	at := checkRows(rows, &e)
	if len(e) > 0 {
		return nil, e.err()
	}
	kids := map[string][]int{}
	for i, r := range rows {
		if r.Parent != "" {
			if _, ok := at[r.Parent]; !ok {
				e.addRow(r.Row, rowField(r, "parent"), "fourgood.unknown_parent", "no criterion has the code %s", r.Parent)
				continue
			}
		}
		kids[r.Parent] = append(kids[r.Parent], i)
	}
	if len(e) > 0 {
		return nil, e.err()
	}
	if checkCycles(rows, at, &e); len(e) > 0 {
		return nil, e.err()
	}
	b := &treeBuilder{rows: rows, kids: kids, e: &e}
	total := b.walk("", "", 1)
	if total > MaxPoints*10 {
		e.add("criteria", "fourgood.total_too_large", "the criteria add up to %s points; at most %d", total, MaxPoints)
	}
	if len(e) > 0 {
		return nil, e.err()
	}
	return b.out, nil
}

// rowField names a row's field: by itself for a spreadsheet row (the row
// number is given beside it), under the row's path in the JSON tree.
func rowField(r FlatInput, name string) string {
	if r.Row > 0 {
		return name
	}
	return r.Field + "." + name
}

// checkRows checks each row by itself (code, title, guidance, maximum)
// and answers where each code stands.
func checkRows(rows []FlatInput, e *errs) map[string]int {
	at := map[string]int{}
	for i, r := range rows {
		switch {
		case r.Code == "":
			e.addRow(r.Row, rowField(r, "code"), "fourgood.required", "%s is required", "code")
		case len(r.Code) > MaxCodeLen || !codePattern.MatchString(r.Code):
			e.addRow(r.Row, rowField(r, "code"), "fourgood.bad_code", "a code is 1 to %d letters, digits, dots, dashes or underscores, like 1.2", MaxCodeLen)
		default:
			if j, dup := at[r.Code]; dup {
				e.addRow(r.Row, rowField(r, "code"), "fourgood.duplicate_code", "the code %s is used twice (also at %s)", r.Code, where(rows[j]))
			} else {
				at[r.Code] = i
			}
		}
		var te errs
		te.checkLine(rowField(r, "title"), r.Title, MaxTitleLen, true)
		te.checkText(rowField(r, "guidance"), r.Guidance, MaxGuideLen, false, true)
		for _, f := range te {
			f.Row = r.Row
			*e = append(*e, f)
		}
		if r.MaxPoints != nil {
			if p, ok := PointsOf(*r.MaxPoints); !ok || p < 0 {
				e.addRow(r.Row, rowField(r, "max_points"), "fourgood.bad_max", "the maximum is a number from 0 to %d with at most one decimal", MaxPoints)
			}
		}
	}
	return at
}

// checkCycles stops at the first row whose chain of parents comes back to
// it (it never reaches the top) or is more than MaxDepth deep.
func checkCycles(rows []FlatInput, at map[string]int, e *errs) {
	for _, r := range rows {
		seen := map[string]bool{r.Code: true}
		depth := 1
		for p := r.Parent; p != ""; p = rows[at[p]].Parent {
			if seen[p] {
				e.addRow(r.Row, rowField(r, "parent"), "fourgood.cycle", "the criterion %s is its own ancestor (a cycle through %s)", r.Code, p)
				break
			}
			seen[p] = true
			depth++
		}
		if depth > MaxDepth && len(*e) == 0 {
			e.addRow(r.Row, rowField(r, "parent"), "fourgood.too_deep", "criteria may be at most %d levels deep", MaxDepth)
		}
		if len(*e) > 0 {
			return
		}
	}
}

// treeBuilder lays the checked rows out in tree order, each parent's
// maximum the sum of its children's.
type treeBuilder struct {
	rows []FlatInput
	kids map[string][]int
	e    *errs
	out  []Flat
}

// walk adds the children of parent (under the top criterion top, at
// depth) and answers the sum of their maximums.
func (b *treeBuilder) walk(parent, top string, depth int) Points {
	var sum Points
	for _, i := range b.kids[parent] {
		r := b.rows[i]
		t := top
		if t == "" {
			t = r.Code
		}
		k := len(b.out)
		b.out = append(b.out, Flat{Code: r.Code, Parent: r.Parent, Title: r.Title, Guidance: r.Guidance, Top: t, Depth: depth, Leaf: len(b.kids[r.Code]) == 0})
		var max Points
		if len(b.kids[r.Code]) == 0 {
			if r.MaxPoints == nil {
				b.e.addRow(r.Row, rowField(r, "max_points"), "fourgood.required", "%s is required", "max_points")
			} else if max, _ = PointsOf(*r.MaxPoints); max <= 0 {
				b.e.addRow(r.Row, rowField(r, "max_points"), "fourgood.bad_max", "the maximum is a number from 0 to %d with at most one decimal", MaxPoints)
			}
		} else {
			max = b.walk(r.Code, t, depth+1)
			if r.MaxPoints != nil {
				if given, _ := PointsOf(*r.MaxPoints); given != max {
					b.e.addRow(r.Row, rowField(r, "max_points"), "fourgood.parent_max", "the maximum of %s is %s but its sub-criteria add up to %s", r.Code, given, max)
				}
			}
		}
		b.out[k].MaxPoints = max
		sum += max
	}
	return sum
}

func where(r FlatInput) string {
	if r.Row > 0 {
		return fmt.Sprintf("row %d", r.Row)
	}
	return r.Field
}

// Validated is a framework input that passed validation.
type Validated struct {
	Framework Framework
	Flat      []Flat
}

// validateFramework checks everything but the owner's reach.
func validateFramework(in FrameworkInput) (*Validated, error) {
	var e errs
	e.checkLine("name", in.Name, MaxNameLen, true)
	if in.Year < viet.MinYear || in.Year > viet.MaxYear {
		e.add("year", "fourgood.bad_year", "the year is from %d to %d", viet.MinYear, viet.MaxYear)
	}
	if in.OwnerUnitID <= 0 {
		e.add("owner_unit_id", "fourgood.required", "%s is required", "owner_unit_id")
	}
	if in.RegistrationDeadline.IsZero() {
		e.add("registration_deadline", "fourgood.required", "%s is required", "registration_deadline")
	}
	switch in.Status {
	case "", StatusOpen, StatusDraft:
	default:
		e.add("status", "fourgood.bad_status", "the status is draft or open")
	}
	if len(in.CellTypes) > MaxCellTypes {
		e.add("cell_types", "fourgood.bad_cell_type", "the cell type %s is not one of %s", "…", cellTypeList())
	}
	for i, ct := range in.CellTypes {
		if !slices.Contains(org.CellTypes, ct) {
			e.add(fmt.Sprintf("cell_types[%d]", i), "fourgood.bad_cell_type", "the cell type %s is not one of %s", string(ct), cellTypeList())
		} else if slices.Index(in.CellTypes, ct) != i {
			e.add(fmt.Sprintf("cell_types[%d]", i), "fourgood.duplicate_cell_type", "the cell type %s is listed twice", string(ct))
		}
	}
	if len(e) > 0 {
		return nil, e.err()
	}
	var rows []FlatInput
	flattenInput(in.Criteria, "", "criteria", 1, &rows, &e)
	if len(e) > 0 {
		return nil, e.err()
	}
	flat, err := BuildCriteria(rows)
	if err != nil {
		return nil, err
	}
	var total Points
	for _, f := range flat {
		if f.Depth == 1 {
			total += f.MaxPoints
		}
	}
	bands, err := validateBands(in.Bands, in.Quota, total)
	if err != nil {
		return nil, err
	}
	status := in.Status
	if status == "" {
		status = StatusOpen
	}
	cts := slices.Clone(in.CellTypes)
	slices.Sort(cts)
	return &Validated{Flat: flat, Framework: Framework{Name: in.Name, Year: in.Year, OwnerUnitID: in.OwnerUnitID, CellTypes: cts, Status: status,
		RegistrationDeadline: in.RegistrationDeadline, ReportDeadline: in.ReportDeadline, InterimReportDeadline: in.InterimReportDeadline,
		Criteria: Tree(flat), Bands: bands, Quota: in.Quota, MaxTotal: total}}, nil
}

func cellTypeList() string {
	s := make([]string, len(org.CellTypes))
	for i, c := range org.CellTypes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// validateBands checks the bands (distinct levels and minima within the
// total) and the quota (a band's level, a share in (0, 1]); it returns the
// bands from the highest minimum down.
func validateBands(in []BandInput, q *Quota, total Points) ([]Band, error) {
	var e errs
	if len(in) == 0 {
		e.add("bands", "fourgood.no_bands", "a framework needs at least one band")
	}
	if len(in) > MaxBands {
		e.add("bands", "fourgood.too_many_bands", "at most %d bands", MaxBands)
	}
	if len(e) > 0 {
		return nil, e.err()
	}
	var out []Band
	levels, mins := map[string]bool{}, map[Points]bool{}
	for i, b := range in {
		f := fmt.Sprintf("bands[%d]", i)
		e.checkLine(f+".level", b.Level, MaxLevelLen, true)
		p, ok := PointsOf(b.MinPoints)
		switch {
		case !ok || p < 0 || p > total:
			e.add(f+".min_points", "fourgood.bad_min", "the minimum is from 0 to the framework's total, %s, with at most one decimal", total)
		case mins[p]:
			e.add(f+".min_points", "fourgood.duplicate_min", "two bands have the minimum %s", p)
		}
		if levels[b.Level] {
			e.add(f+".level", "fourgood.duplicate_level", "the level %s is listed twice", b.Level)
		}
		levels[b.Level], mins[p] = true, true
		out = append(out, Band{Level: b.Level, MinPoints: p})
	}
	if q != nil {
		if !levels[q.Level] {
			e.add("quota.level", "fourgood.quota_level", "the quota's level must be one of the bands")
		}
		if math.IsNaN(q.MaxShare) || q.MaxShare <= 0 || q.MaxShare > 1 {
			e.add("quota.max_share", "fourgood.quota_share", "the share is a number above 0 and at most 1 (0.2 is 20%%)")
		}
	}
	if len(e) > 0 {
		return nil, e.err()
	}
	slices.SortFunc(out, func(a, b Band) int { return int(b.MinPoints - a.MinPoints) })
	return out, nil
}
