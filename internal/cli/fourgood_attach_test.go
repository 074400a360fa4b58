package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type fgFileJSON struct {
	ID        int64  `json:"id"`
	Criterion string `json:"criterion"`
	Stage     string `json:"stage"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
}

// fgPDF is a small file that sniffs as a PDF.
func fgPDF(text string) []byte { return []byte("%PDF-1.4\n% " + text + "\n%%EOF\n") }

// fgAudits counts the audit entries of an action.
func fgAudits(t *testing.T, m *Main, action string) int {
	t.Helper()
	var n int
	if err := m.App.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFourGoodAttachments: files on a criterion's score through the API
// and the pages, on both engines. The cell uploads (multipart and raw),
// lists, downloads the same bytes and removes its own file; a type not
// accepted, a criterion with sub-criteria and a file over the limit are
// refused with nothing written; another commune's committee gets 404 on
// every route; once the cell submits, its files are locked (the reviewer
// adds its own and sees the cell's on the side-by-side page).
func TestFourGoodAttachments(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		district, _, cell, chauCan := fgPhuTuc(t, m)
		office, danguy, bithu := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "bithu.phutuc")
		var f fgFrameworkJSON
		if st := office.do("POST", "/api/v1/frameworks", fgBody(district.ID, 2030, "2030-03-31"), &f); st != 201 {
			t.Fatalf("create: %d", st)
		}
		var sh, other fgSheetJSON
		if st := bithu.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": cell}, &sh); st != 201 {
			t.Fatalf("register: %d", st)
		}
		if st := office.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": chauCan}, &other); st != 201 {
			t.Fatalf("register Châu Can: %d", st)
		}
		base := fmt.Sprintf("/api/v1/scoresheets/%d/attachments", sh.ID)
		list := func(c *client) []fgFileJSON {
			t.Helper()
			var l struct{ Items []fgFileJSON }
			if st := c.do("GET", base, nil, &l); st != 200 {
				t.Fatalf("list: %d", st)
			}
			return l.Items
		}

		// Upload: multipart and raw; the name keeps its Vietnamese.
		st, raw := bithu.attach(base+"?criterion=1.1", "file", "Biên bản họp chi bộ.pdf", "", fgPDF("một"))
		if st != 201 {
			t.Fatalf("upload: %d %s", st, raw)
		}
		// raw sends the file as the body, its name in the query.
		rawUp := func(c *client, path, query, filename, media string, body []byte) (int, []byte) {
			if filename != "" {
				query += "&filename=" + url.QueryEscape(filename)
			}
			return c.attach(path+"?"+strings.TrimPrefix(query, "&"), "", "", media, body)
		}
		st, raw = rawUp(bithu, base, "criterion=2", "so-nghi-quyet", "application/pdf", fgPDF("hai"))
		if st != 201 {
			t.Fatalf("raw upload: %d %s", st, raw)
		}
		got := list(bithu)
		type row struct{ Criterion, Stage, Name, MediaType string }
		var rows []row
		for _, x := range got {
			rows = append(rows, row{x.Criterion, x.Stage, x.Name, x.MediaType})
		}
		want := []row{{"1.1", "self", "Biên bản họp chi bộ.pdf", "application/pdf"}, {"2", "self", "so-nghi-quyet.pdf", "application/pdf"}}
		if d := cmp.Diff(want, rows); d != "" {
			t.Fatalf("files (-want +got):\n%s", d)
		}
		// Download: the same bytes, as a download.
		st, h, body := bithu.fetch(fmt.Sprintf("%s/%d", base, got[0].ID))
		if st != 200 || !bytes.Equal(body, fgPDF("một")) || h.Get("Content-Type") != "application/pdf" || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: got %d %q %v", st, body, h)
		}
		// The sheet carries them on its criteria.
		var full struct {
			Scores []struct {
				Criterion   string       `json:"criterion"`
				Attachments []fgFileJSON `json:"attachments"`
			} `json:"scores"`
		}
		if st := bithu.do("GET", fmt.Sprintf("/api/v1/scoresheets/%d", sh.ID), nil, &full); st != 200 {
			t.Fatalf("sheet: %d", st)
		}
		on := map[string]int{}
		for _, sc := range full.Scores {
			on[sc.Criterion] = len(sc.Attachments)
		}
		if d := cmp.Diff(map[string]int{"1.1": 1, "1.2": 0, "2": 1}, on); d != "" {
			t.Errorf("files per criterion (-want +got):\n%s", d)
		}

		// Refusals: nothing written.
		attaches := fgAudits(t, m, "scoresheet.attach")
		big := append(fgPDF("lớn"), make([]byte, 20<<20)...)
		for _, tc := range []struct {
			name, query, filename, media string
			body                         []byte
			status                       int
		}{
			{"a text file", "criterion=1.1", "ghi-chu.txt", "text/plain", []byte("không phải PDF"), 415},
			{"a criterion with sub-criteria", "criterion=1", "a.pdf", "application/pdf", fgPDF("x"), 422},
			{"no criterion", "", "a.pdf", "application/pdf", fgPDF("x"), 422},
			{"an unknown criterion", "criterion=9", "a.pdf", "application/pdf", fgPDF("x"), 422},
			{"over 20 MiB", "criterion=1.1", "lon.pdf", "application/pdf", big, 413},
		} {
			if st, raw := rawUp(bithu, base, tc.query, tc.filename, tc.media, tc.body); st != tc.status {
				t.Errorf("%s: got %d %s, want %d", tc.name, st, raw, tc.status)
			}
		}
		if n := len(list(bithu)); n != 2 {
			t.Errorf("after the refusals: %d files, want 2", n)
		}
		if n := fgAudits(t, m, "scoresheet.attach"); n != attaches {
			t.Errorf("refusals audited: %d attach entries, want %d", n, attaches)
		}

		// Out of reach: Phú Túc's committee on Châu Can's sheet, a member on Phú Túc's.
		otherBase := fmt.Sprintf("/api/v1/scoresheets/%d/attachments", other.ID)
		st, raw = office.attach(otherBase+"?criterion=1.1", "file", "chau-can.pdf", "", fgPDF("Châu Can"))
		if st != 201 {
			t.Fatalf("office uploads to Châu Can: %d %s", st, raw)
		}
		var oat fgFileJSON
		if err := json.Unmarshal(raw, &oat); err != nil {
			t.Fatal(err)
		}
		dangvien := m.signIn(t, "dangvien")
		for _, probe := range []struct {
			who          *client
			method, path string
		}{
			{danguy, "GET", otherBase},
			{danguy, "GET", fmt.Sprintf("%s/%d", otherBase, oat.ID)},
			{danguy, "DELETE", fmt.Sprintf("%s/%d", otherBase, oat.ID)},
			{danguy, "GET", fmt.Sprintf("%s/%d", base, oat.ID)}, // Châu Can's file through Phú Túc's sheet
			{dangvien, "GET", base},
			{dangvien, "GET", fmt.Sprintf("%s/%d", base, got[0].ID)},
		} {
			if st := probe.who.do(probe.method, probe.path, nil, nil); st != 404 {
				t.Errorf("%s %s out of reach: got %d, want 404", probe.method, probe.path, st)
			}
		}
		if st, _ := danguy.attach(otherBase+"?criterion=1.1", "file", "x.pdf", "", fgPDF("x")); st != 404 {
			t.Errorf("upload out of reach: got %d, want 404", st)
		}

		// Remove one's own file; then submit: the cell's files are locked.
		if st := bithu.do("DELETE", fmt.Sprintf("%s/%d", base, got[1].ID), nil, nil); st != 204 {
			t.Fatalf("remove: %d", st)
		}
		if n := len(list(bithu)); n != 1 {
			t.Errorf("after removing: %d files, want 1", n)
		}
		if st := bithu.do("PUT", fmt.Sprintf("/api/v1/scoresheets/%d/scores", sh.ID), `[{"criterion":"1.1","points":25},{"criterion":"1.2","points":20},{"criterion":"2","points":40}]`, nil); st != 200 {
			t.Fatalf("scores: %d", st)
		}
		if st := bithu.do("POST", fmt.Sprintf("/api/v1/scoresheets/%d/submit", sh.ID), nil, nil); st != 200 {
			t.Fatalf("submit: %d", st)
		}
		if st, _ := bithu.attach(base+"?criterion=1.1", "file", "muon.pdf", "", fgPDF("muộn")); st != 409 {
			t.Errorf("upload after submitting: got %d, want 409", st)
		}
		if st := bithu.do("DELETE", fmt.Sprintf("%s/%d", base, got[0].ID), nil, nil); st != 409 {
			t.Errorf("remove after submitting: got %d, want 409", st)
		}
		if st := danguy.do("DELETE", fmt.Sprintf("%s/%d", base, got[0].ID), nil, nil); st != 409 {
			t.Errorf("the reviewer removes the cell's file: got %d, want 409", st)
		}
		if st, raw := danguy.attach(base+"?criterion=2", "file", "Kiểm tra của xã.pdf", "", fgPDF("xã")); st != 201 {
			t.Errorf("the reviewer's file: got %d %s", st, raw)
		}
		var stages []string
		for _, x := range list(danguy) {
			stages = append(stages, x.Criterion+":"+x.Stage)
		}
		if d := cmp.Diff([]string{"1.1:self", "2:review"}, stages); d != "" {
			t.Errorf("files after the review's upload (-want +got):\n%s", d)
		}

		// The pages: the reviewer's view lists both files, with a remove
		// button for its own only; the page's upload and removal.
		page := m.uiSignIn(t, "danguy.phutuc")
		sheet := fmt.Sprintf("/chi-bo-4-tot/bieu/%d", sh.ID)
		a := page.get(sheet)
		if a.Status != 200 || !strings.Contains(a.Body, "Biên bản họp chi bộ.pdf") || !strings.Contains(a.Body, "Kiểm tra của xã.pdf") {
			t.Fatalf("the reviewer's view: %d, files missing", a.Status)
		}
		if n := strings.Count(a.Body, "/xoa\""); n != 1 {
			t.Errorf("remove buttons on the reviewer's view: got %d, want 1", n)
		}
		a = page.upload(sheet+"/tep", "Ảnh buổi kiểm tra.png", "\x89PNG\r\n\x1a\nảnh", url.Values{"criterion": {"1.2"}})
		if a.Status != 303 {
			t.Fatalf("page upload: %d %.300s", a.Status, a.Body)
		}
		if a = page.upload(sheet+"/tep", "ghi-chu.txt", "chữ", url.Values{"criterion": {"1.2"}}); a.Status != 415 || !strings.Contains(a.Body, "Đính kèm ảnh") {
			t.Errorf("page upload of a text file: got %d, want 415 with the message", a.Status)
		}
		files := list(danguy)
		if len(files) != 3 || files[1].Name != "Ảnh buổi kiểm tra.png" || files[1].MediaType != "image/png" {
			t.Fatalf("after the page's upload: %+v", files)
		}
		if a = page.post(fmt.Sprintf("%s/tep/%d/xoa", sheet, files[1].ID), url.Values{"criterion": {"1.2"}}); a.Status != 303 {
			t.Errorf("page removal: %d", a.Status)
		}
		if a = page.post(fmt.Sprintf("%s/tep/%d/xoa", sheet, files[0].ID), url.Values{"criterion": {"1.1"}}); a.Status != 409 {
			t.Errorf("page removal of the cell's file: got %d, want 409", a.Status)
		}
		if n := len(list(danguy)); n != 2 {
			t.Errorf("after the page's removal: %d files, want 2", n)
		}
		if got := fgAudits(t, m, "scoresheet.detach"); got != 2 {
			t.Errorf("removals audited: got %d, want 2", got)
		}
	})
}
