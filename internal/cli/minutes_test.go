package cli

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/testrun"
)

// TestMeetingMinutesOutput closes a meeting of bithu.phutuc's cell with an
// excused and an absent member, prints its minutes and resolution, and
// reads the PDF back with poppler: "BIÊN BẢN", the number in the cell's
// sequence of the year, the place, the absentees' names with the reason.
// An open meeting answers 409; another commune's officer 404.
func TestMeetingMinutesOutput(t *testing.T) {
	testrun.OfficeTool(t, "pdftotext")
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) { // the numbering query on both engines
		w := newMeetingWorld(t, m)
		path := func(f string, a ...any) string { return fmt.Sprintf(f, a...) }
		starts := time.Now().Add(-90 * time.Minute).Truncate(time.Minute)
		place := "Nhà văn hóa thôn, phòng họp số 2"
		var mt meetingJSON
		if st := w.secretary.do("POST", path("/api/v1/units/%d/meetings", w.cell), map[string]any{"kind": "regular", "starts_at": starts.Format(time.RFC3339),
			"place": place, "topic": "Sinh hoạt thường kỳ"}, &mt); st != 201 {
			t.Fatalf("schedule: %d", st)
		}
		mp := path("/api/v1/meetings/%d", mt.ID)
		page := m.uiSignIn(t, "dangvien")
		link := path(`href="/api/v1/meetings/%d/minutes.pdf"`, mt.ID)
		if a := page.get(path("/sinh-hoat/%d", mt.ID)); a.Status != 200 || strings.Contains(a.Body, link) {
			t.Errorf("the open meeting's page: %d, links the minutes: %v", a.Status, strings.Contains(a.Body, link))
		}
		for _, p := range []string{"/minutes.pdf", "/minutes.docx", "/resolution.pdf", "/resolution.docx"} {
			var prob problemJSON
			if st := w.secretary.do("GET", mp+p, nil, &prob); st != 409 {
				t.Errorf("%s of an open meeting: %d, want 409", p, st)
			}
		}
		var roll struct {
			Expected []struct {
				MemberID int64  `json:"member_id"`
				FullName string `json:"full_name"`
			} `json:"expected"`
		}
		if st := w.secretary.do("GET", mp+"/roll", nil, &roll); st != 200 || len(roll.Expected) < 3 {
			t.Fatalf("roll: %d %+v", st, roll)
		}
		var lines []map[string]any
		for i, e := range roll.Expected {
			switch i {
			case 0:
				lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "excused", "reason": "Ốm, nằm viện"})
			case 1:
				lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "absent"})
			default:
				lines = append(lines, map[string]any{"member_id": e.MemberID, "status": "present"})
			}
		}
		if st := w.secretary.do("PUT", mp+"/attendance", lines, nil); st != 200 {
			t.Fatalf("attendance: %d", st)
		}
		if st := w.secretary.do("PATCH", mp, map[string]any{"chair": "Nguyễn Văn Chủ", "secretary": "Trần Thị Ký", "conclusions": "Chi bộ thống nhất các nhiệm vụ tháng tới.",
			"resolution": "1. Hoàn thành thu đảng phí.\n2. Ra quân vệ sinh đường làng.", "vote": map[string]int{"for": len(lines) - 2}}, nil); st != 200 {
			t.Fatalf("minutes: %d", st)
		}
		if st := w.secretary.do("POST", mp+"/close", nil, &mt); st != 200 || mt.State != "closed" {
			t.Fatalf("close: %d %s", st, mt.State)
		}

		// The number: the meeting's place among the cell's closed meetings of
		// its year, by start (counted here from the list).
		year := starts.In(vietnamZone).Year()
		number := 0
		for cursor := ""; ; {
			var page listJSON[meetingJSON]
			q := path("/api/v1/units/%d/meetings?from=%d-01-01&limit=100", w.cell, year)
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			if st := w.secretary.do("GET", q, nil, &page); st != 200 {
				t.Fatalf("list: %d", st)
			}
			for _, it := range page.Items {
				at, err := time.Parse(time.RFC3339, it.StartsAt)
				if err != nil {
					t.Fatal(err)
				}
				if it.State == "closed" && at.In(vietnamZone).Year() == year && (at.Before(starts) || at.Equal(starts) && it.ID <= mt.ID) {
					number++
				}
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}

		if a := page.get(path("/sinh-hoat/%d", mt.ID)); a.Status != 200 || !strings.Contains(a.Body, link) {
			t.Errorf("the closed meeting's page: %d, does not link the minutes", a.Status)
		}
		dir := t.TempDir()
		for _, c := range []struct {
			name string
			c    *client
		}{{"member", w.member}, {"committee", w.committee}, {"stranger", w.stranger}} {
			for _, p := range []string{"minutes.pdf", "minutes.docx", "resolution.pdf", "resolution.docx"} {
				st, h, body := fetchPaper(t, c.c, mp+"/"+p)
				if c.name == "stranger" {
					if st != 404 {
						t.Errorf("another commune's officer gets %s: %d, want 404", p, st)
					}
					continue
				}
				if st != 200 {
					t.Fatalf("%s gets %s: %d %s", c.name, p, st, body)
				}
				magic := "%PDF-"
				if strings.HasSuffix(p, ".docx") {
					magic = "PK\x03\x04"
				}
				if !bytes.HasPrefix(body, []byte(magic)) {
					t.Errorf("%s: not a %s file", p, magic)
				}
				if !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
					t.Errorf("%s: Content-Disposition %q", p, h.Get("Content-Disposition"))
				}
				os.WriteFile(filepath.Join(dir, p), body, 0o644)
			}
		}
		flatText := func(file string) string {
			return strings.Join(strings.Fields(testrun.Run(t, "pdftotext", "-layout", filepath.Join(dir, file), "-")), " ")
		}
		minutes := flatText("minutes.pdf")
		for _, want := range []string{"BIÊN BẢN SINH HOẠT CHI BỘ", path("Số %d-BB/CB", number), "ĐẢNG BỘ XÃ PHÚ TÚC", "Phú Túc, ngày", place,
			roll.Expected[0].FullName, "Ốm, nằm viện", roll.Expected[1].FullName, "Không có lý do", "THƯ KÝ", "CHỦ TRÌ", "Nguyễn Văn Chủ", "Trần Thị Ký",
			"Chi bộ thống nhất các nhiệm vụ tháng tới."} {
			if !strings.Contains(minutes, want) {
				t.Errorf("the minutes do not say %q:\n%s", want, minutes)
			}
		}
		resolution := flatText("resolution.pdf")
		for _, want := range []string{"NGHỊ QUYẾT", path("Số %d-NQ/CB", number), "QUYẾT NGHỊ:", "Ra quân vệ sinh đường làng.", "T/M CHI BỘ", "BÍ THƯ"} {
			if !strings.Contains(resolution, want) {
				t.Errorf("the resolution does not say %q:\n%s", want, resolution)
			}
		}
	})
}

// TestMeetingCompliancePaper prints Phú Túc's grid of the year as the
// commune's committee and reads it back: every cell is named; another
// commune's officer gets 404.
func TestMeetingCompliancePaper(t *testing.T) {
	testrun.OfficeTool(t, "pdftotext")
	m := parallelDemo(t)
	w := newMeetingWorld(t, m)
	year := time.Now().In(vietnamZone).Year()
	var grid complianceJSON
	if st := w.committee.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance?year=%d", w.phuTuc.ID, year), nil, &grid); st != 200 || len(grid.Cells) == 0 {
		t.Fatalf("grid: %d %+v", st, grid)
	}
	text := paperText(t, w, func(ext string) string {
		return fmt.Sprintf("/api/v1/units/%d/meeting-compliance.%s?year=%d", w.phuTuc.ID, ext, year)
	})
	var names []string
	for _, c := range grid.Cells {
		names = append(names, c.Name)
	}
	checkPaperSays(t, "the grid", text, names, "ĐẢNG BỘ XÃ PHÚ TÚC", "BÁO CÁO", fmt.Sprintf("Tình hình sinh hoạt chi bộ năm %d", year), "T/M ĐẢNG ỦY")
}

// TestFourGoodReportPaper: a commune prints its four-good results for the
// district (the demo's sample framework, the interim review): the party
// form, each cell of the results named, and another commune's officer
// answered 404.
func TestFourGoodReportPaper(t *testing.T) {
	testrun.OfficeTool(t, "pdftotext")
	m := parallelDemo(t)
	w := newMeetingWorld(t, m)
	var fws listJSON[struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Year int    `json:"year"`
	}]
	if st := w.committee.do("GET", "/api/v1/frameworks", nil, &fws); st != 200 || len(fws.Items) == 0 {
		t.Fatalf("frameworks: %d %+v", st, fws)
	}
	fw := fws.Items[0]
	var res struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	q := fmt.Sprintf("?unit=%d&period=interim", w.phuTuc.ID)
	if st := w.committee.do("GET", fmt.Sprintf("/api/v1/frameworks/%d/results%s", fw.ID, q), nil, &res); st != 200 || len(res.Items) == 0 {
		t.Fatalf("results: %d %+v", st, res)
	}
	text := paperText(t, w, func(ext string) string { return fmt.Sprintf("/api/v1/frameworks/%d/report.%s%s", fw.ID, ext, q) })
	var names []string
	for _, it := range res.Items {
		names = append(names, it.Name)
	}
	checkPaperSays(t, "the report", text, names, "ĐẢNG BỘ XÃ PHÚ TÚC", "BÁO CÁO", fmt.Sprintf("“Chi bộ 4 tốt” năm %d (sơ kết giữa kỳ)", fw.Year), "T/M ĐẢNG ỦY")
}

// checkPaperSays checks that a paper's text (what) says each of wants and
// names each of names: by its last word, as a long name may wrap in its
// column.
func checkPaperSays(t *testing.T, what, text string, names []string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not say %q:\n%s", what, want, text)
		}
	}
	for _, name := range names {
		f := strings.Fields(name)
		if !strings.Contains(text, f[len(f)-1]) {
			t.Errorf("%s does not name %q:\n%s", what, name, text)
		}
	}
}

// paperText fetches the paper at path(ext) as PDF and as DOCX (404 for
// another commune's officer, 200 for the commune's committee) and answers
// the PDF's text, its white space folded.
func paperText(t *testing.T, w *meetingWorld, path func(ext string) string) string {
	t.Helper()
	dir := t.TempDir()
	for _, ext := range []string{"pdf", "docx"} {
		p := path(ext)
		if st, _, _ := fetchPaper(t, w.stranger, p); st != 404 {
			t.Errorf("another commune's officer: %d, want 404", st)
		}
		st, _, body := fetchPaper(t, w.committee, p)
		if st != 200 {
			t.Fatalf("%s: %d %s", ext, st, body)
		}
		os.WriteFile(filepath.Join(dir, "paper."+ext), body, 0o644)
	}
	return strings.Join(strings.Fields(testrun.Run(t, "pdftotext", "-layout", filepath.Join(dir, "paper.pdf"), "-")), " ")
}
