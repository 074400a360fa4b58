package scoring

import (
	"context"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// ReportFigures are a subtree's four-good results for a report up (the
// report requests' drafts; internal/cli wires them as a figure source so
// that this module does not depend on the reports): for every framework
// that reaches the unit (owned by it or above) of a year within from..to,
// the results of the unit's subtree for the period — the interim one when
// from..to lies within one year's first half, else the final one.
//
// Figures: fourgood.registered (cells with a sheet), fourgood.done
// (sheets finalised; the others are provisional), fourgood.band_N (cells
// at the N-th band from the top, quota applied) and fourgood.unclassified;
// summed over the frameworks. The section names each framework and its
// levels. Frameworks whose results the actor may not read are left out;
// nothing at all answers nil.
func (s *Service) ReportFigures(ctx context.Context, a *auth.Actor, unitID int64, from, to date.Date) (map[string]int64, string, error) {
	period := PeriodFinal
	if from.Year == to.Year && to.Month <= 6 {
		period = PeriodInterim
	}
	figs := map[string]int64{}
	var lines []string
	for y := from.Year; y <= to.Year && y <= from.Year+5; y++ {
		var cursor string
		for {
			list, err := s.List(ctx, a, ListInput{UnitID: unitID, Year: y, Limit: 100, Cursor: cursor})
			if apperr.Is(err, apperr.NotFound) {
				return nil, "", nil
			}
			if err != nil {
				return nil, "", err
			}
			for i := range list.Items {
				f := &list.Items[i]
				res, err := s.Results(ctx, a, f.ID, ResultsInput{UnitID: unitID, Period: period})
				if apperr.Is(err, apperr.NotFound) {
					continue
				}
				if err != nil {
					return nil, "", err
				}
				if len(res.Items) == 0 {
					continue
				}
				band := map[string]int{}
				for j, b := range f.Bands {
					band[b.Level] = j + 1
				}
				counts := make([]int, len(f.Bands)+1)
				done := 0
				for _, it := range res.Items {
					counts[band[it.Level]]++ // 0: below every band
					if it.Stage == StageDone {
						done++
					}
				}
				figs["fourgood.registered"] += int64(len(res.Items))
				figs["fourgood.done"] += int64(done)
				figs["fourgood.unclassified"] += int64(counts[0])
				parts := []string{}
				for j, b := range f.Bands {
					figs[fmt.Sprintf("fourgood.band_%d", j+1)] += int64(counts[j+1])
					parts = append(parts, fmt.Sprintf("%s: %d", b.Level, counts[j+1]))
				}
				parts = append(parts, fmt.Sprintf("chưa đạt mức nào: %d", counts[0]))
				state := "kết quả cuối cùng"
				if done < len(res.Items) {
					state = fmt.Sprintf("%d/%d chi bộ đã có kết quả cuối cùng, còn lại là điểm tạm tính", done, len(res.Items))
				}
				kind := "tổng kết năm"
				if period == PeriodInterim {
					kind = "sơ kết 6 tháng"
				}
				lines = append(lines, fmt.Sprintf("- %s (%s): %d chi bộ đăng ký; %s (%s).", f.Name, kind, len(res.Items), strings.Join(parts, "; "), state))
			}
			if list.NextCursor == nil || *list.NextCursor == "" {
				break
			}
			cursor = *list.NextCursor
		}
	}
	if len(lines) == 0 {
		return nil, "", nil
	}
	return figs, "**Xây dựng chi bộ \"4 tốt\".**\n\n" + strings.Join(lines, "\n"), nil
}
