package cli

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestFourGoodMeetingEvidence: a Phú Túc cell's scoresheet carries the
// summary of its held meetings and of its members at conferences; a link
// to one of its held meetings is kept with the meeting's title, a link to
// another unit's meeting is refused (422); the page shows the summary.
func TestFourGoodMeetingEvidence(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		ctx := t.Context()
		_, commune, _, _ := fgPhuTuc(t, m)
		q := m.App.DB.Reader()
		// A held meeting of a cell that has a sheet not yet done for the
		// meeting's year, or is not registered that year.
		var meetingID, cell int64
		var month string
		if err := q.QueryRowContext(ctx, `SELECT m.id, m.unit_id, m.month FROM meetings m JOIN units u ON u.id = m.unit_id
			WHERE m.state = 'closed' AND u.path LIKE $1 AND u.kind = 'cell' AND (
				EXISTS (SELECT 1 FROM fourgood_sheets s JOIN fourgood_frameworks f ON f.id = s.framework_id
					WHERE s.unit_id = m.unit_id AND f.year = CAST(SUBSTR(m.month, 1, 4) AS INTEGER) AND s.stage <> 'done')
				OR NOT EXISTS (SELECT 1 FROM fourgood_registrations r WHERE r.unit_id = m.unit_id AND r.year = CAST(SUBSTR(m.month, 1, 4) AS INTEGER)))
			ORDER BY m.id LIMIT 1`, commune.Path+"%").Scan(&meetingID, &cell, &month); err != nil {
			t.Fatalf("a held meeting of a Phú Túc cell in the demo: %v", err)
		}
		var foreign int64
		if err := q.QueryRowContext(ctx, `SELECT id FROM meetings WHERE state = 'closed' AND unit_id <> $1 ORDER BY id LIMIT 1`, cell).Scan(&foreign); err != nil {
			t.Fatalf("a held meeting of another unit in the demo: %v", err)
		}
		year, _ := strconv.Atoi(month[:4])
		office := m.signIn(t, "vanphong")
		var sheetID int64
		err := q.QueryRowContext(ctx, `SELECT s.id FROM fourgood_sheets s JOIN fourgood_frameworks f ON f.id = s.framework_id
			WHERE s.unit_id = $1 AND f.year = $2 AND s.stage <> 'done' ORDER BY s.id LIMIT 1`, cell, year).Scan(&sheetID)
		if err != nil {
			district, _, _, _ := fgPhuTuc(t, m)
			var f fgFrameworkJSON
			if st := office.do("POST", "/api/v1/frameworks", fgBody(district.ID, year, fmt.Sprintf("%d-12-31", year)), &f); st != 201 {
				t.Fatalf("create: %d", st)
			}
			var sh fgSheetJSON
			if st := office.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": cell, "reason": "Đăng ký muộn"}, &sh); st != 201 {
				t.Fatalf("register: %d", st)
			}
			sheetID = sh.ID
		}
		var sh struct {
			Scores []struct {
				Criterion string                         `json:"criterion"`
				Links     []struct{ Kind, Title string } `json:"links"`
			} `json:"scores"`
			Evidence struct {
				Meetings *struct {
					Held, RegularMonths int
					MonthsDue           int `json:"months_due"`
				} `json:"meetings"`
				Conferences *struct{ Expected, Absent int } `json:"conferences"`
			} `json:"evidence_from_system"`
		}
		path := fmt.Sprintf("/api/v1/scoresheets/%d", sheetID)
		if st := office.do("GET", path, nil, &sh); st != 200 {
			t.Fatalf("sheet: %d", st)
		}
		if sh.Evidence.Meetings == nil || sh.Evidence.Meetings.Held < 1 || sh.Evidence.Meetings.MonthsDue < 1 {
			t.Errorf("meetings evidence: got %+v, want at least the meeting of %s", sh.Evidence.Meetings, month)
		}
		if sh.Evidence.Conferences == nil {
			t.Errorf("conference evidence: got null")
		}
		crit := sh.Scores[0].Criterion
		if st := office.do("PUT", path+"/scores", []any{map[string]any{"criterion": crit, "links": []any{map[string]any{"kind": "meeting", "id": foreign}}}}, nil); st != 422 {
			t.Errorf("another unit's meeting: got %d, want 422", st)
		}
		if st := office.do("PUT", path+"/scores", []any{map[string]any{"criterion": crit, "links": []any{map[string]any{"kind": "meeting", "id": meetingID}}}}, nil); st != 200 {
			t.Fatalf("the cell's meeting: got %d, want 200", st)
		}
		if st := office.do("GET", path, nil, &sh); st != 200 {
			t.Fatalf("sheet: %d", st)
		}
		if l := sh.Scores[0].Links; len(l) != 1 || l[0].Kind != "meeting" || !strings.Contains(l[0].Title, month) {
			t.Errorf("links: got %+v, want the meeting of %s", l, month)
		}
		page := m.uiSignIn(t, "vanphong").get(fmt.Sprintf("/chi-bo-4-tot/bieu/%d", sheetID))
		for _, want := range []string{"Sinh hoạt thường kỳ:", "Hội nghị:", "Buổi sinh hoạt:"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the sheet page lacks %q", want)
			}
		}
	})
}
