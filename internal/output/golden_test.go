package output

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/testrun"
)

var update = flag.Bool("update", false, "rewrite the golden files of the printed form")

// sampleBody is a body with every kind of block.
const sampleBody = `> *Dữ liệu minh họa.* Phần dưới đây là **tóm tắt**.

## I. Mục đích, yêu cầu

Quán triệt đến 100% chi bộ, cán bộ, đảng viên; mỗi việc được giao đều có đơn vị, người chịu trách nhiệm và thời hạn rõ ràng, *không đùn đẩy* lên cấp trên hoặc sang đơn vị khác.

## II. Nhiệm vụ

1. Các đảng ủy xã, thị trấn tổ chức hội nghị quán triệt.
2. Rà soát quy trình giải quyết công việc:
   - thủ tục hành chính;
   - việc chậm trễ, đùn đẩy.

| TT | Đơn vị | Số việc | Đúng hạn |
|:--:|---|--:|--:|
| 1 | Đảng bộ xã Phú Túc | 12 | 10 |
| 2 | Đảng bộ xã Châu Can | 8 | 8 |

### Chế độ báo cáo

Báo cáo hằng quý về Huyện ủy (qua Văn phòng Huyện ủy).
`

// samples are one paper of each type the handbook prints: a document of
// every type, and the accountability report.
func samples(t testing.TB) map[string]*Document {
	t.Helper()
	chain := []doc.UnitRef{{ID: 1, Name: "Đảng bộ thành phố Hà Nội"}, {ID: 2, Name: "Huyện ủy Phú Xuyên"}}
	out := map[string]*Document{}
	for i, ty := range doc.Types {
		d := &doc.Document{Type: ty.Code, TypeLabel: ty.Label, Number: fmt.Sprintf("%d-%s/HU", 10+i, ty.Label), IssuedOn: date.New(2023, 9, 8),
			Title: ty.Name + " về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc", Body: sampleBody}
		d.Audience.UnitID, d.Audience.UnitName = 2, "Huyện ủy Phú Xuyên"
		p, err := FromDoc(d, chain)
		if err != nil {
			t.Fatal(err)
		}
		out[ty.Code] = p
	}
	out["accountability"] = Accountability(sampleReport(), chain)
	return out
}

func sampleReport() *task.Report {
	rate := 0.8
	rep := &task.Report{UnitID: 2, UnitName: "Huyện ủy Phú Xuyên", From: date.New(2026, 1, 1), To: date.New(2026, 6, 30), Today: date.New(2026, 7, 2)}
	rep.Totals = task.Metrics{Received: 20, DoneOnTime: 12, DoneLate: 3, OpenOverdue: 2, Escalations: 1, PushedSideways: 1, Returns: 2, Flags: 3, OnTimeRate: &rate}
	rep.Units = []task.UnitRow{
		{Rank: 1, UnitName: "Đảng bộ xã Phú Túc", Metrics: task.Metrics{Received: 12, DoneOnTime: 6, DoneLate: 3, OpenOverdue: 2}, Score: 12},
		{Rank: 2, UnitName: "Đảng bộ xã Châu Can", Metrics: task.Metrics{Received: 8, DoneOnTime: 6}, Score: 0},
	}
	rep.Heads = []task.HeadRow{{Rank: 1, MemberName: "Nguyễn Văn Đăng", UnitName: "Đảng bộ xã Phú Túc", Metrics: task.Metrics{Received: 4, DoneLate: 1}, Score: 2}}
	rep.Flags = []task.FlagCount{{Rule: "overdue", Name: "Quá hạn", Count: 2}, {Rule: "sideways", Name: "Đẩy sang ngang", Count: 1}}
	rep.Months = []task.MonthRow{{Month: "2026-01", Received: 5, DoneOnTime: 4}, {Month: "2026-02", Received: 3, DoneLate: 1}}
	return rep
}

// golden writes the layout as text: one line per item, positions in
// tenths of a millimetre.
func golden(pages []Page) string {
	var b strings.Builder
	for i, p := range pages {
		for _, it := range p.Items {
			switch it.Kind {
			case TextItem:
				fmt.Fprintf(&b, "%d T %.1f %.1f %s %g %s\n", i+1, it.X, it.Y, styleName(it.Style), it.Size, it.Text)
			case RuleItem:
				fmt.Fprintf(&b, "%d R %.1f %.1f %.1f %.1f\n", i+1, it.X, it.Y, it.X2, it.Y2)
			}
		}
	}
	return b.String()
}

func styleName(s Style) string {
	n := ""
	if s&Bold != 0 {
		n += "B"
	}
	if s&Italic != 0 {
		n += "I"
	}
	if s&Underline != 0 {
		n += "U"
	}
	if n == "" {
		n = "R"
	}
	return n
}

// TestGolden compares the layout of one paper of each type (its text and
// where each piece stands) with testdata/golden; go test -update rewrites
// them.
func TestGolden(t *testing.T) {
	for name, d := range samples(t) {
		pages, err := d.Layout()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := golden(pages)
		file := filepath.Join("testdata", "golden", name+".txt")
		if *update {
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%s: %v (go test -update writes it)", name, err)
		}
		if d := cmp.Diff(string(want), got); d != "" {
			t.Errorf("%s: layout differs from %s (-want +got):\n%s", name, file, d)
		}
	}
}

// TestOfficeTools checks every paper with tools nobody here wrote:
// LibreOffice opens each .docx (converts it to PDF, all in one run), and
// poppler reads each PDF: its text is the exact Vietnamese (NFC), every
// font is embedded, the page is A4.
func TestOfficeTools(t *testing.T) {
	soffice := testrun.OfficeTool(t, "soffice")
	testrun.OfficeTool(t, "pdftotext")
	testrun.OfficeTool(t, "pdffonts")
	testrun.OfficeTool(t, "pdfinfo")
	dir := t.TempDir()
	papers := samples(t)
	var docx []string
	for name, d := range papers {
		var pdf, word bytes.Buffer
		if err := WritePDF(&pdf, d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := WriteDOCX(&word, d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		os.WriteFile(filepath.Join(dir, name+".pdf"), pdf.Bytes(), 0o644)
		os.Mkdir(filepath.Join(dir, "docx"), 0o755)
		f := filepath.Join(dir, "docx", name+".docx")
		os.WriteFile(f, word.Bytes(), 0o644)
		docx = append(docx, f)
	}
	// One LibreOffice run converts them all.
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", filepath.Join(dir, "office")}, docx...)
	testrun.Run(t, soffice, args...)

	for name, d := range papers {
		want := []string{Party, Upper(d.Header.Issuer), DateLine(d.Header.Place, d.Header.Date), d.Signature.Capacity, "Nơi nhận:"}
		if d.Type != "" {
			want = append(want, Upper(d.Type))
		}
		for _, file := range []string{filepath.Join(dir, name+".pdf"), filepath.Join(dir, "office", name+".pdf")} {
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: LibreOffice did not convert the .docx: %v", name, err)
				continue
			}
			text := testrun.Run(t, "pdftotext", "-layout", file, "-")
			if !norm.NFC.IsNormalString(text) {
				t.Errorf("%s: the text of %s is not NFC", name, file)
			}
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range want {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("%s: %s does not say %q:\n%s", name, filepath.Base(filepath.Dir(file)), w, text)
				}
			}
			cell := "Đảng bộ xã Phú Túc"
			if name == "accountability" {
				cell = "Tổng cộng"
			}
			if !strings.Contains(flat, cell) || strings.Contains(text, "\uFFFD") {
				t.Errorf("%s: the body's table is not in %s", name, file)
			}
		}
		// Page numbers, from the second page, centred at the top: in
		// the PDF and in what LibreOffice makes of the .docx.
		for _, file := range []string{filepath.Join(dir, name+".pdf"), filepath.Join(dir, "office", name+".pdf")} {
			if pages := pdfPages(t, file); pages > 1 {
				first := strings.Fields(testrun.Run(t, "pdftotext", "-f", "1", "-l", "1", file, "-"))
				second := strings.Fields(testrun.Run(t, "pdftotext", "-f", "2", "-l", "2", file, "-"))
				if len(first) == 0 || first[0] == "1" {
					t.Errorf("%s: page 1 of %s starts with %q, want no page number", name, file, first)
				}
				if len(second) == 0 || second[0] != "2" {
					t.Errorf("%s: page 2 of %s starts with %.40q, want its number 2", name, file, second)
				}
			}
		}
		file := filepath.Join(dir, name+".pdf")
		info := testrun.Run(t, "pdfinfo", file)
		if !strings.Contains(info, "595.28 x 841.89 pts (A4)") {
			t.Errorf("%s: pdfinfo: want A4:\n%s", name, info)
		}
		fonts := strings.Split(strings.TrimSpace(testrun.Run(t, "pdffonts", file)), "\n")
		if len(fonts) < 3 {
			t.Errorf("%s: pdffonts lists no font:\n%s", name, strings.Join(fonts, "\n"))
		}
		for _, l := range fonts[2:] {
			f := strings.Fields(l)
			// name type... encoding emb sub uni object ID: emb is the fifth
			// field from the end.
			if len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("%s: a font is not embedded: %s", name, l)
			}
		}
	}
}

// pdfPages is the number of pages pdfinfo counts in file.
func pdfPages(t testing.TB, file string) int {
	t.Helper()
	for _, l := range strings.Split(testrun.Run(t, "pdfinfo", file), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("pdfinfo %s: %q", file, l)
			}
			return n
		}
	}
	t.Fatalf("pdfinfo %s: no page count", file)
	return 0
}
