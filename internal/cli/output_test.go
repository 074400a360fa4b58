package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/testrun"
)

// The printed form over HTTP (internal/output): a document and the
// accountability report as .docx and .pdf.

func outputPermEntries() map[string]permEntry {
	one := signedIn
	return map[string]permEntry{
		// Reach as for reading the document.
		"GET /api/v1/documents/{id}.docx": one(permProbe{method: "GET", path: "/api/v1/documents/{id}.docx", obj: "document", allowed: everyone(200)}),
		"GET /api/v1/documents/{id}.pdf":  one(permProbe{method: "GET", path: "/api/v1/documents/{id}.pdf", obj: "document", allowed: everyone(200)}),
		// Reach as for the report itself.
		"GET /api/v1/accountability.docx": one(permProbe{method: "GET", path: "/api/v1/accountability.docx?unit={id}", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/accountability.pdf": one(permProbe{method: "GET", path: "/api/v1/accountability.pdf?unit={id}", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
		// Reach as for the compliance grid.
		"GET /api/v1/units/{id}/meeting-compliance.docx": one(permProbe{method: "GET", path: "/api/v1/units/{id}/meeting-compliance.docx?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/units/{id}/meeting-compliance.pdf":  one(permProbe{method: "GET", path: "/api/v1/units/{id}/meeting-compliance.pdf?year=2026", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		// Reach as for reading the meeting; the fixture's meetings are
		// open: 409 once reached.
		"GET /api/v1/meetings/{id}/minutes.docx":    one(permProbe{method: "GET", path: "/api/v1/meetings/{id}/minutes.docx", obj: "meeting", allowed: everyone(409)}),
		"GET /api/v1/meetings/{id}/minutes.pdf":     one(permProbe{method: "GET", path: "/api/v1/meetings/{id}/minutes.pdf", obj: "meeting", allowed: everyone(409)}),
		"GET /api/v1/meetings/{id}/resolution.docx": one(permProbe{method: "GET", path: "/api/v1/meetings/{id}/resolution.docx", obj: "meeting", allowed: everyone(409)}),
		"GET /api/v1/meetings/{id}/resolution.pdf":  one(permProbe{method: "GET", path: "/api/v1/meetings/{id}/resolution.pdf", obj: "meeting", allowed: everyone(409)}),
	}
}

// fetchPaper gets a printed paper with its headers.
func fetchPaper(t *testing.T, c *client, path string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// TestOfficialOutput prints the demo's Directive 24-CT/TU and the
// district's accountability report, and reads them back with poppler and
// LibreOffice: the exact Vietnamese text (NFC), embedded fonts, A4; every
// .docx opens.
func TestOfficialOutput(t *testing.T) {
	soffice := testrun.OfficeTool(t, "soffice")
	testrun.OfficeTool(t, "pdftotext")
	testrun.OfficeTool(t, "pdffonts")
	testrun.OfficeTool(t, "pdfinfo")
	m := parallelDemo(t)
	member := m.signIn(t, "dangvien")
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Number string `json:"number"`
		} `json:"items"`
	}
	if st := member.do("GET", "/api/v1/documents?q=24-CT%2FTU&limit=50", nil, &list); st != 200 {
		t.Fatalf("documents: %d", st)
	}
	var id int64
	for _, d := range list.Items {
		if d.Number == "24-CT/TU" {
			id = d.ID
		}
	}
	if id == 0 {
		t.Fatalf("the demo's 24-CT/TU is not in %+v", list.Items)
	}
	dir := t.TempDir()

	// The directive, as the member who reads it.
	for _, tc := range []struct{ ext, ctype, magic string }{
		{"pdf", "application/pdf", "%PDF-"},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04"},
	} {
		st, h, body := fetchPaper(t, member, fmt.Sprintf("/api/v1/documents/%d.%s", id, tc.ext))
		if st != 200 {
			t.Fatalf("%s: %d %s", tc.ext, st, body)
		}
		if got := h.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.ext, got, tc.ctype)
		}
		wantCD := `attachment; filename="24-CT-TU.` + tc.ext + `"; filename*=UTF-8''Ch%E1%BB%89%20th%E1%BB%8B%2024-CT%2FTU.` + tc.ext
		if got := h.Get("Content-Disposition"); got != wantCD {
			t.Errorf("%s: Content-Disposition %q, want %q", tc.ext, got, wantCD)
		}
		if !bytes.HasPrefix(body, []byte(tc.magic)) {
			t.Errorf("%s: the body does not start as a %s file", tc.ext, tc.ext)
		}
		os.WriteFile(filepath.Join(dir, "ct24."+tc.ext), body, 0o644)
	}
	// The district's report, as the standing committee.
	btv := m.signIn(t, "btv")
	district, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	unit := district.ID
	for _, ext := range []string{"pdf", "docx"} {
		st, h, body := fetchPaper(t, btv, fmt.Sprintf("/api/v1/accountability.%s?unit=%d", ext, unit))
		if st != 200 {
			t.Fatalf("accountability.%s: %d %s", ext, st, body)
		}
		if !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="bao-cao-trach-nhiem-`) {
			t.Errorf("accountability.%s: Content-Disposition %q", ext, h.Get("Content-Disposition"))
		}
		os.WriteFile(filepath.Join(dir, "report."+ext), body, 0o644)
	}
	// The same report through ?format=, as the spreadsheet is asked.
	if st, _, body := fetchPaper(t, btv, fmt.Sprintf("/api/v1/accountability?unit=%d&format=pdf", unit)); st != 200 || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Errorf("accountability?format=pdf: %d", st)
	}

	// LibreOffice opens both .docx files (one run).
	testrun.Run(t, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", filepath.Join(dir, "office"), filepath.Join(dir, "ct24.docx"), filepath.Join(dir, "report.docx"))

	want := map[string][]string{
		"ct24": {"THÀNH ỦY HÀ NỘI", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 24-CT/TU", "Hà Nội, ngày 07 tháng 8 năm 2023", "CHỈ THỊ",
			"Chỉ thị về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc của hệ thống chính trị Thành phố",
			"Những biểu hiện phải chấn chỉnh", "Đùn đẩy công việc lên cấp trên hoặc sang cơ quan, đơn vị khác;",
			"T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nơi nhận:", "Huyện ủy Phú Xuyên,"},
		"report": {"HUYỆN ỦY PHÚ XUYÊN", "ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO", "I. TÌNH HÌNH CHUNG", "Tổng cộng", "T/M BAN THƯỜNG VỤ"},
	}
	for name, lines := range want {
		for _, file := range []string{filepath.Join(dir, name+".pdf"), filepath.Join(dir, "office", name+".pdf")} {
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: %v (LibreOffice could not open the .docx?)", name, err)
				continue
			}
			text := testrun.Run(t, "pdftotext", "-layout", file, "-")
			if !norm.NFC.IsNormalString(text) {
				t.Errorf("%s: the text is not NFC", file)
			}
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range lines {
				if !strings.Contains(flat, w) {
					t.Errorf("%s does not say %q:\n%s", file, w, text)
				}
			}
		}
		file := filepath.Join(dir, name+".pdf")
		if info := testrun.Run(t, "pdfinfo", file); !strings.Contains(info, "595.28 x 841.89 pts (A4)") {
			t.Errorf("%s: not A4:\n%s", name, info)
		}
		fonts := strings.Split(strings.TrimSpace(testrun.Run(t, "pdffonts", file)), "\n")
		if len(fonts) < 3 {
			t.Errorf("%s: no fonts listed", name)
		}
		for _, l := range fonts[min(2, len(fonts)):] {
			if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("%s: a font is not embedded: %s", name, l)
			}
		}
	}
}

// TestDocumentSigner gives a document its signer, a deputy secretary, and
// reads the printed PDF back with poppler: "K/T BÍ THƯ", "PHÓ BÍ THƯ" and
// the name under the signature; a name with a direction override is
// refused on its field, and nothing is written.
func TestDocumentSigner(t *testing.T) {
	testrun.OfficeTool(t, "pdftotext")
	m := parallelDemo(t)
	office := m.signIn(t, "vanphong")
	district, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	post := func(signer map[string]any, out any) int {
		return office.do("POST", "/api/v1/documents", map[string]any{"type": "TB", "issuer_code": "HU", "issued_on": "2026-11-20",
			"title": "Thông báo kết luận của Ban Thường vụ", "body": "Nội dung thông báo.", "signer": signer,
			"audience": map[string]any{"unit_id": district.ID}}, out)
	}
	count := func() int {
		var l listJSON[map[string]any]
		if st := office.do("GET", "/api/v1/documents?limit=1", nil, &l); st != 200 {
			t.Fatalf("documents: %d", st)
		}
		return l.Total
	}
	before := count()
	for what, name := range map[string]string{
		"a direction override": "Nguyễn\u202eVăn An",
		"a control character":  "Nguyễn\u0007Văn An",
		"101 characters":       strings.Repeat("Ă", 101),
	} {
		var bad problemJSON
		if st := post(map[string]any{"name": name}, &bad); st != 422 || !bad.hasField("signer.name") {
			t.Errorf("a signer's name with %s: %d %+v, want 422 on signer.name", what, st, bad)
		}
	}
	if after := count(); after != before {
		t.Errorf("the refusals wrote %d documents", after-before)
	}
	var d struct {
		ID     int64 `json:"id"`
		Signer struct {
			Name   string `json:"name"`
			Deputy bool   `json:"deputy"`
		} `json:"signer"`
	}
	if st := post(map[string]any{"name": "  Nguyễn   Văn An ", "deputy": true}, &d); st != 201 {
		t.Fatalf("a document with its signer: %d", st)
	}
	if d.Signer.Name != "Nguyễn Văn An" || !d.Signer.Deputy {
		t.Errorf("signer %+v, want the name cleaned and deputy", d.Signer)
	}
	st, _, body := fetchPaper(t, office, fmt.Sprintf("/api/v1/documents/%d.pdf", d.ID))
	if st != 200 {
		t.Fatalf("the PDF: %d", st)
	}
	file := filepath.Join(t.TempDir(), "tb.pdf")
	os.WriteFile(file, body, 0o644)
	text := strings.Join(strings.Fields(testrun.Run(t, "pdftotext", file, "-")), " ")
	for _, want := range []string{"T/M BAN THƯỜNG VỤ K/T BÍ THƯ PHÓ BÍ THƯ", "Nguyễn Văn An"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, text)
		}
	}
}
