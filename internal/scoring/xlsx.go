package scoring

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/sheet"
)

// Columns of a framework's spreadsheet: one row per criterion.
var Columns = []sheet.Field{
	{Name: "code", Aliases: []string{"Mã", "Mã tiêu chí", "STT"}, Required: true},
	{Name: "parent", Aliases: []string{"Thuộc", "Mã cha", "Tiêu chí cha"}},
	{Name: "title", Aliases: []string{"Tiêu chí", "Nội dung", "Tên tiêu chí"}, Required: true},
	{Name: "max_points", Aliases: []string{"Điểm tối đa", "Điểm chuẩn", "Thang điểm", "maximum"}},
	{Name: "guidance", Aliases: []string{"Hướng dẫn", "Hướng dẫn chấm"}},
}

// headers are the export's column titles, Vietnamese first; the import
// reads them back.
var headers = []string{"Mã", "Thuộc", "Tiêu chí", "Điểm tối đa", "Hướng dẫn"}

// CriteriaXLSX writes a framework's criteria as a spreadsheet.
func CriteriaXLSX(w io.Writer, f *Framework) error {
	var rows [][]string
	for _, c := range Flatten(f.Criteria) {
		rows = append(rows, []string{c.Code, c.Parent, c.Title, c.MaxPoints.String(), c.Guidance})
	}
	return sheet.WriteXLSX(w, "Tiêu chí", f.Name, headers, rows)
}

// ResultsXLSX writes results as a spreadsheet.
func ResultsXLSX(w io.Writer, f *Framework, r *Results) error {
	var rows [][]string
	for _, it := range r.Items {
		rows = append(rows, []string{strconv.Itoa(it.Rank), it.Name, it.Self.String(), it.Review.String(), it.Final.String(), it.Total.String(), it.Level, string(it.Stage)})
	}
	return sheet.WriteXLSX(w, "Kết quả", f.Name, []string{"Hạng", "Chi bộ", "Tự chấm", "Cấp trên chấm", "Chung cuộc", "Tổng điểm", "Xếp loại", "Bước"}, rows)
}

// ImportInput is a spreadsheet of criteria to replace a framework's.
type ImportInput struct {
	Body      io.Reader
	Filename  string
	MediaType string
	MaxBytes  int64
	DryRun    bool
	Version   int
}

// ImportReport answers an import: the rows read, and the framework as it
// is (or would be, on a dry run).
type ImportReport struct {
	Rows      int                 `json:"rows"`
	DryRun    bool                `json:"dry_run"`
	Errors    []apperr.FieldError `json:"errors"`
	Framework *Framework          `json:"framework"`
}

// ReadCriteria reads criteria rows from a spreadsheet and validates them
// (row and field in every error).
func ReadCriteria(in ImportInput) ([]Flat, int, error) {
	max := in.MaxBytes
	if max <= 0 {
		max = 5 << 20
	}
	t, err := sheet.Read(in.Body, in.Filename, in.MediaType, Columns, sheet.Limits{MaxBytes: max, MaxRows: MaxCriteria + 1})
	switch {
	case errors.Is(err, sheet.ErrTooLarge):
		e := apperr.Keyed(apperr.TooLarge, "fourgood.file_too_large", "the file is too large (at most %d criteria)", MaxCriteria)
		e.Err = err
		return nil, 0, e
	case errors.Is(err, sheet.ErrUnsupported):
		e := apperr.Keyed(apperr.Unsupported, "member.import_unsupported", "%s", err.Error())
		if key, args := apperr.KeyOf(err); key != "" {
			e.Key, e.Args = key, args // what is wrong with the file, in the reader's language
		}
		e.Err = err
		return nil, 0, e
	case errors.Is(err, sheet.ErrNoHeader):
		return nil, 0, apperr.InvalidField("file", "fourgood.no_header", "no header row with the columns Mã, Thuộc, Tiêu chí, Điểm tối đa, Hướng dẫn was found")
	case err != nil:
		e := apperr.Keyed(apperr.Malformed, "member.import_unreadable", "the file cannot be read: %s", err.Error())
		e.Err = err
		return nil, 0, e
	}
	if miss := t.Missing(Columns); len(miss) > 0 {
		return nil, 0, apperr.InvalidField("file", "fourgood.missing_columns", "missing columns: %s", strings.Join(miss, ", "))
	}
	col := func(r sheet.Row, name string) string {
		if i := t.Index(name); i >= 0 && i < len(r.Cells) {
			return r.Cells[i].Value
		}
		return ""
	}
	var rows []FlatInput
	var e errs
	for _, r := range t.Rows {
		in := FlatInput{Row: r.Number, Code: col(r, "code"), Parent: col(r, "parent"), Title: col(r, "title"), Guidance: col(r, "guidance")}
		if v := col(r, "max_points"); v != "" {
			f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
			if err != nil {
				e.addRow(r.Number, "max_points", "fourgood.bad_max", "the maximum is a number from 0 to %d with at most one decimal", MaxPoints)
				continue
			}
			in.MaxPoints = &f
		}
		rows = append(rows, in)
	}
	if err := e.err(); err != nil {
		return nil, len(t.Rows), err
	}
	flat, err := BuildCriteria(rows)
	return flat, len(t.Rows), err
}

// ImportCriteria replaces a framework's criteria from a spreadsheet, all
// or nothing (refused once scored). A dry run checks without writing.
func (s *Service) ImportCriteria(ctx context.Context, a *auth.Actor, id int64, in ImportInput) (*ImportReport, error) {
	old, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	flat, n, err := ReadCriteria(in)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Rows: n, DryRun: in.DryRun, Errors: []apperr.FieldError{}}
	f := *old
	f.Criteria = Tree(flat)
	var total Points
	for _, c := range flat {
		if c.Depth == 1 {
			total += c.MaxPoints
		}
	}
	f.MaxTotal = total
	for i, b := range f.Bands {
		if b.MinPoints > total {
			return nil, apperr.InvalidField(fmt.Sprintf("bands[%d].min_points", i), "fourgood.bad_min", "the minimum is from 0 to the framework's total, %s, with at most one decimal", total)
		}
	}
	if old.Scored {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.scored", "scores have been entered against this framework: it cannot change; copy it for next year")
	}
	if in.DryRun {
		rep.Framework = &f
		return rep, nil
	}
	if in.Version != 0 {
		f.Version = in.Version
	}
	if err := s.Store.Update(ctx, &f, flat, auth.AuditEntry{Actor: a, Action: "framework.import", ObjectType: "framework", ObjectID: id, UnitPath: old.OwnerPath,
		Before: old.Criteria, After: f.Criteria}); err != nil {
		return nil, err
	}
	if rep.Framework, err = s.Store.Framework(ctx, id); err != nil {
		return nil, err
	}
	return rep, nil
}

// ExportCriteria is the framework's criteria as .xlsx bytes.
func (s *Service) ExportCriteria(ctx context.Context, a *auth.Actor, id int64) (*Framework, []byte, error) {
	f, err := s.Framework(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if err := CriteriaXLSX(&b, f); err != nil {
		return nil, nil, err
	}
	return f, b.Bytes(), nil
}

// BadYear is the answer to a year query outside the calendar.
func BadYear() error {
	return apperr.InvalidField("year", "fourgood.bad_year", "the year is from %d to %d", viet0, viet1)
}

// BadFormat is the answer to an unknown format= value.
func BadFormat() error {
	return apperr.InvalidField("format", "fourgood.bad_format", "the format is json or xlsx")
}
