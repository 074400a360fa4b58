package member

import (
	"context"
	"io"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/sheet"
)

// Headers are the export's header row (the first alias of each column).
func Headers() []string {
	h := make([]string, len(Columns))
	for i, c := range Columns {
		h[i] = c.Aliases[0]
	}
	return h
}

// ExportRow renders a record in the import's columns.
func ExportRow(m *Member, unitCode string) []string {
	g := "Nam"
	if m.Gender == Female {
		g = "Nữ"
	}
	return []string{m.FullName, g, m.BirthDate.VN(), m.CardNo, m.BiographyNo, m.CitizenID, m.Phone, m.Email,
		m.AdmittedOn.VN(), m.FullOn.VN(), unitCode, m.Position}
}

// Export writes the members of a unit's subtree (those who belong to a
// cell today) as xlsx or csv, page by page so memory stays bounded.
func (s *Service) Export(ctx context.Context, actor *auth.Actor, unitID int64, format string, w io.Writer, codes func(ctx context.Context, ids []int64) (map[int64]string, error)) error {
	u, err := s.Store.UnitRef(ctx, unitID)
	if err != nil {
		return err
	}
	if !actor.Can(u.Path, auth.ReadPersonal) {
		return apperr.NotFoundf("unit %d not found", unitID)
	}
	if format != "xlsx" && format != "csv" {
		return apperr.Fields("unknown format", apperr.FieldError{Field: "format", Message: "xlsx or csv"})
	}
	var rows [][]string
	f := Filter{Path: u.Path, Statuses: ActiveStatuses, Limit: 500}
	for {
		page, err := s.Store.ListMembers(ctx, f)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(page.Items))
		for _, m := range page.Items {
			ids = append(ids, m.UnitID)
		}
		cs, err := codes(ctx, ids)
		if err != nil {
			return err
		}
		for i := range page.Items {
			rows = append(rows, ExportRow(&page.Items[i], cs[page.Items[i].UnitID]))
		}
		if page.NextCursor == nil {
			break
		}
		f.Cursor = *page.NextCursor
	}
	if err := s.Store.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.export", ObjectType: "unit", ObjectID: unitID, UnitPath: u.Path, After: map[string]any{"rows": len(rows), "format": format}}); err != nil {
		return err
	}
	if format == "csv" {
		return sheet.WriteCSV(w, Headers(), rows)
	}
	return sheet.WriteXLSX(w, "Đảng viên", "DANH SÁCH ĐẢNG VIÊN — "+u.Name, Headers(), rows)
}
