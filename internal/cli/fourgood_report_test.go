package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/report"
)

// TestFourGoodReportFigures: a report request of kind four-good from the
// district; Phú Túc's draft carries the four-good figures of its subtree
// for the framework's year (as many registered cells as its results
// list) and a section naming the framework; sending the draft keeps them.
func TestFourGoodReportFigures(t *testing.T) {
	onEachEngine(t, func(t *testing.T, m *Main) {
		district, phuTuc, _, _ := fgPhuTuc(t, m)
		office, commune := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc")
		var year int
		var frameworkID int64
		if err := m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT f.year, f.id FROM fourgood_sheets s JOIN fourgood_frameworks f ON f.id = s.framework_id
			JOIN units u ON u.id = s.unit_id WHERE u.path LIKE $1 AND s.period = 'final' ORDER BY f.year DESC, f.id LIMIT 1`, phuTuc.Path+"%").Scan(&year, &frameworkID); err != nil {
			t.Fatalf("a four-good sheet of Phú Túc in the demo: %v", err)
		}
		var results struct {
			Items []struct{ Level string } `json:"items"`
		}
		if st := commune.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results?unit=%d&period=final", frameworkID, phuTuc.ID), nil, &results); st != 200 || len(results.Items) == 0 {
			t.Fatalf("results: got %d with %d items", st, len(results.Items))
		}
		var req struct{ ID int64 }
		body := map[string]any{"title": "Báo cáo kết quả chi bộ 4 tốt", "unit_id": district.ID, "kind": "four-good",
			"period_from": fmt.Sprintf("%d-01-01", year), "period_to": fmt.Sprintf("%d-12-31", year), "workdays": 5}
		if st := office.do("POST", "/api/v1/report-requests", body, &req); st != 201 {
			t.Fatalf("request: got %d", st)
		}
		var draft report.Draft
		if st := commune.do("GET", fmt.Sprintf("/api/v1/report-requests/%d/draft?unit=%d", req.ID, phuTuc.ID), nil, &draft); st != 200 {
			t.Fatalf("draft: got %d", st)
		}
		// Every framework of the year that reaches Phú Túc counts; the demo
		// has at least the one above.
		if got := draft.Figures["fourgood.registered"]; got < int64(len(results.Items)) {
			t.Errorf("fourgood.registered: got %d, want at least %d", got, len(results.Items))
		}
		var bands int64
		for k, v := range draft.Figures {
			if strings.HasPrefix(k, "fourgood.band_") || k == "fourgood.unclassified" {
				bands += v
			}
		}
		if bands != draft.Figures["fourgood.registered"] {
			t.Errorf("the bands add up to %d, want the %d registered", bands, draft.Figures["fourgood.registered"])
		}
		if !strings.Contains(draft.Body, "Xây dựng chi bộ \"4 tốt\"") {
			t.Errorf("the draft lacks the four-good section:\n%s", draft.Body)
		}
		var sub report.Submission
		if st := commune.do("POST", fmt.Sprintf("/api/v1/report-requests/%d/submissions", req.ID), map[string]any{"unit_id": phuTuc.ID}, &sub); st != 201 {
			t.Fatalf("send: got %d", st)
		}
		if sub.Figures["fourgood.registered"] != draft.Figures["fourgood.registered"] {
			t.Errorf("sent figures: got %v, want the draft's %v", sub.Figures, draft.Figures)
		}
	})
}
