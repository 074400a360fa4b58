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
// A quarter's request carries none. The framework's results read the
// committees' status from the four-good request (pending, then sent with
// its submission) and refuse the framework's own report beside it.
func TestFourGoodReportFigures(t *testing.T) {
	t.Parallel()
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
		// The committees' status on the results is read from the request
		// now: Phú Túc has not sent yet; the framework's own report is
		// refused while the request stands.
		fgStatus := func() (string, int64, int64) {
			t.Helper()
			var res struct {
				Reports []struct {
					UnitID       int64  `json:"unit_id"`
					Status       string `json:"status"`
					RequestID    int64  `json:"request_id"`
					SubmissionID int64  `json:"submission_id"`
				} `json:"reports"`
			}
			if st := office.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results?period=final", frameworkID), nil, &res); st != 200 {
				t.Fatalf("results: %d", st)
			}
			for _, r := range res.Reports {
				if r.UnitID == phuTuc.ID {
					return r.Status, r.RequestID, r.SubmissionID
				}
			}
			t.Fatalf("no report row for Phú Túc: %+v", res.Reports)
			return "", 0, 0
		}
		if st, rid, sid := fgStatus(); st != "pending" || rid != req.ID || sid != 0 {
			t.Errorf("before sending: got %s request %d submission %d, want pending on request %d", st, rid, sid, req.ID)
		}
		if st := commune.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/reports", frameworkID), map[string]any{"unit_id": phuTuc.ID, "period": "final"}, nil); st != 409 {
			t.Errorf("the framework's own report beside the request: got %d, want 409", st)
		}
		// Another kind of request carries no four-good figures.
		var quarter struct{ ID int64 }
		qbody := map[string]any{"title": "Báo cáo quý", "unit_id": district.ID, "kind": "quarter",
			"period_from": fmt.Sprintf("%d-07-01", year), "period_to": fmt.Sprintf("%d-09-30", year), "workdays": 5}
		if st := office.do("POST", "/api/v1/report-requests", qbody, &quarter); st != 201 {
			t.Fatalf("quarter request: got %d", st)
		}
		var qdraft report.Draft
		if st := commune.do("GET", fmt.Sprintf("/api/v1/report-requests/%d/draft?unit=%d", quarter.ID, phuTuc.ID), nil, &qdraft); st != 200 {
			t.Fatalf("quarter draft: got %d", st)
		}
		for k := range qdraft.Figures {
			if strings.HasPrefix(k, "fourgood.") {
				t.Errorf("the quarter's draft carries %s", k)
			}
		}
		if strings.Contains(qdraft.Body, "Xây dựng chi bộ \"4 tốt\"") || qdraft.Figures["members.total"] == 0 {
			t.Errorf("the quarter's draft: four-good section or no members:\n%s", qdraft.Body)
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
		if st, rid, sid := fgStatus(); st != "sent" || rid != req.ID || sid != sub.ID {
			t.Errorf("after sending: got %s request %d submission %d, want sent on request %d, submission %d", st, rid, sid, req.ID, sub.ID)
		}
		page := m.uiSignIn(t, "vanphong")
		if a := page.get(fmt.Sprintf("/chi-bo-4-tot/khung/%d/ket-qua?period=final", frameworkID)); a.Status != 200 || !strings.Contains(a.Body, fmt.Sprintf(`href="/bao-cao/%d/bai/%d"`, req.ID, sub.ID)) {
			t.Errorf("the results page does not link the submission: %d", a.Status)
		}
	})
}
