package member

import (
	"context"
	"io"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/readroute"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Headers are the export's header row (the first alias of each column).
func Headers() []string {
	h := make([]string, len(Columns))
	for i, c := range Columns {
		h[i] = c.Aliases[0]
	}
	return h
}

// ExportRow renders a record in the import's columns; cell is the cell
// as the import reads it (its name or its code).
func ExportRow(m *Member, cell string) []string {
	g := "Nam"
	if m.Gender == Female {
		g = "Nữ"
	}
	return []string{m.FullName, g, m.BirthDate.VN(), m.CardNo, m.BiographyNo, m.CitizenID, m.Phone, m.Email,
		m.AdmittedOn.VN(), m.FullOn.VN(), cell, m.Position}
}

// ExportInput selects what an export writes: a unit's subtree, with the
// list's search and status filter ("" the active members, "all", or a
// comma list), as xlsx or csv.
type ExportInput struct {
	UnitID int64
	Q      string
	Status string
	Format string
}

// Export writes the members of a unit's subtree that the list with the
// same search and filter shows, as xlsx or csv, page by page so memory
// stays bounded. Only those who read personal fields export; anyone else
// is told the unit does not exist. The cell column carries the cell's
// name, which the import reads back; a name that two cells of the subtree
// share is written as the cell's code, which the import also reads. It
// returns the unit, whose name names the file (ExportFilename).
func (s *Service) Export(ctx context.Context, actor *auth.Actor, in ExportInput, w io.Writer) (*UnitRef, error) {
	u, err := s.Store.UnitRef(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.ReadPersonal) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", in.UnitID)
	}
	if in.Format != "xlsx" && in.Format != "csv" {
		return nil, apperr.Keyed(apperr.Invalid, "common.unknown_format", "unknown format").With(apperr.FieldKeyed("format", "member.xlsx_csv", "xlsx or csv"))
	}
	f := Filter{Path: u.Path, Limit: 500}
	if f.Statuses, err = parseStatuses(in.Status); err != nil {
		return nil, err
	}
	q := viet.Fold(in.Q)
	if d := digitsOnly(q); allDigits(d) && len(d) >= 3 {
		f.Digits = d
	} else {
		f.Query = q
	}
	// The pages may come from a read replica (an export is a heavy read).
	bulk := readroute.Bulk(ctx)
	cells, err := s.Store.CellsUnder(bulk, u.Path)
	if err != nil {
		return nil, err
	}
	label := cellLabels(cells)
	var rows [][]string
	for {
		page, err := s.Store.List(bulk, f)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			m := &page.Items[i]
			cell, ok := label[m.UnitID]
			if !ok {
				cell = m.UnitName
			}
			rows = append(rows, ExportRow(m, cell))
		}
		if page.NextCursor == nil {
			break
		}
		f.Cursor = *page.NextCursor
	}
	if err := s.Store.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.export", ObjectType: "unit", ObjectID: in.UnitID, UnitPath: u.Path,
		After: map[string]any{"rows": len(rows), "format": in.Format, "q": in.Q, "status": in.Status}}); err != nil {
		return nil, err
	}
	if in.Format == "csv" {
		return u, sheet.WriteCSV(w, Headers(), rows)
	}
	return u, sheet.WriteXLSX(w, "Đảng viên", "DANH SÁCH ĐẢNG VIÊN — "+u.Name, Headers(), rows)
}

// cellLabels names each cell of a subtree as the export writes it: its
// name, or its code when another cell of the subtree has the same folded
// name (the import could not tell them apart).
func cellLabels(cells []UnitRef) map[int64]string {
	n := map[string]int{}
	for _, c := range cells {
		n[viet.Fold(c.Name)]++
	}
	out := make(map[int64]string, len(cells))
	for _, c := range cells {
		out[c.ID] = c.Name
		if n[viet.Fold(c.Name)] > 1 && c.Code != "" {
			out[c.ID] = c.Code
		}
	}
	return out
}

// ExportFilename names an export after its unit and the day, folded to
// ASCII and hyphenated: "dang-vien-chi-bo-thon-kim-lan-2026-12-06.xlsx".
func ExportFilename(unitName string, day date.Date, format string) string {
	var b strings.Builder
	b.WriteString("dang-vien")
	dash := true
	for _, r := range viet.Fold(unitName) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String() + "-" + day.String() + "." + format
}
