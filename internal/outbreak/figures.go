package outbreak

import (
	"context"
	"fmt"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/report"
)

// Figures are a subtree's outbreak work over a period: the evidence a
// unit's report up (and its four-good self-assessment) may cite.
type Figures struct {
	FociOpened      int
	FociClosed      int
	Cases           int
	Shifts          int
	ShiftsConfirmed int
	Members         int
}

// ReportFigures adds the outbreak work of the unit's subtree over the
// period to a report's draft (report.FigureSource): foci opened and
// closed, cases reported, the shifts its members were mobilised to and
// confirmed. A unit with none answers nil.
func (s *Service) ReportFigures(ctx context.Context, actor *auth.Actor, unit *report.UnitRef, kind string, from, to date.Date) (report.Figures, string, error) {
	f, err := s.Store.Figures(ctx, unit.Path, from, to)
	if err != nil || *f == (Figures{}) {
		return nil, "", err
	}
	figs := report.Figures{"outbreak.foci_opened": int64(f.FociOpened), "outbreak.foci_closed": int64(f.FociClosed), "outbreak.cases": int64(f.Cases),
		"outbreak.shifts": int64(f.Shifts), "outbreak.shifts_confirmed": int64(f.ShiftsConfirmed), "outbreak.members_mobilised": int64(f.Members)}
	section := fmt.Sprintf("**Phòng, chống dịch (\"4 tại chỗ\").** Trong kỳ phát hiện %d ổ dịch, kết thúc %d ổ dịch; ghi nhận %d ca mắc. "+
		"Huy động %d lượt đảng viên trực (%d đảng viên), %d lượt đã xác nhận.", f.FociOpened, f.FociClosed, f.Cases, f.Shifts, f.Members, f.ShiftsConfirmed)
	return figs, section, nil
}
