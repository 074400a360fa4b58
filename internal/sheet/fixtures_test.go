package sheet

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/xuri/excelize/v2"
	xunicode "golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite the files under testdata/ (fixtures and fuzz seed corpora)")

// fixture is one file under testdata/ that other packages' tests may use,
// with what Read (with memberFields-like aliases) returns for it.
type fixture struct {
	name string
	make func(t testing.TB) []byte
	want *Table
}

func fixtures() []fixture {
	tcvn := membersRecordsIn(func(s string) string { return viet.EncodeLegacy(s, viet.TCVN3) })
	tcvnWant := membersCSVWant()
	tcvnWant.Encoding = "tcvn3"
	return []fixture{
		{
			name: "members.xlsx",
			make: func(t testing.TB) []byte { return membersXLSX(t) },
			want: membersWant(),
		},
		{
			name: "members_semicolon_bom.csv",
			make: func(t testing.TB) []byte { return withBOM(joinCSV(";", membersRecords)) },
			want: membersCSVWant(),
		},
		{
			name: "members_utf16.txt",
			make: func(t testing.TB) []byte { return utf16Bytes(t, joinCSV("\t", membersRecords), xunicode.LittleEndian) },
			want: membersCSVWant(),
		},
		{
			name: "members_tcvn3.xlsx",
			make: func(t testing.TB) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					setRecords(t, f, sh, tcvn)
					must(t, f.MergeCell(sh, "A1", "F1"))
				})
			},
			want: tcvnWant,
		},
	}
}

// membersRecordsIn returns membersRecords with every text passed through enc.
func membersRecordsIn(enc func(string) string) [][]string {
	out := make([][]string, len(membersRecords))
	for i, rec := range membersRecords {
		out[i] = make([]string, len(rec))
		for j, v := range rec {
			out[i][j] = enc(v)
		}
	}
	return out
}

// TestGenerateFixtures checks the committed fixtures read as documented;
// with -update it first rewrites them and the fuzz seed corpora:
//
//	go test ./internal/sheet/ -run TestGenerateFixtures -update
func TestGenerateFixtures(t *testing.T) {
	if *update {
		must(t, os.MkdirAll("testdata", 0o755))
		for _, fx := range fixtures() {
			must(t, os.WriteFile(filepath.Join("testdata", fx.name), fx.make(t), 0o644))
		}
		writeSeeds(t, "FuzzReadCSV", csvSeeds(t))
		writeSeeds(t, "FuzzReadXLSX", xlsxSeeds(t))
	}
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			defer f.Close()
			got, err := Read(f, fx.name, "", memberFields, Limits{})
			if err != nil {
				t.Fatalf("Read: got error %v", err)
			}
			if diff := cmp.Diff(fx.want, got); diff != "" {
				t.Errorf("Read(testdata/%s): got … want mismatch (-want +got):\n%s", fx.name, diff)
			}
		})
	}
}

// writeSeeds writes a fuzz seed corpus: one file per seed, each argument a
// []byte literal.
func writeSeeds(t *testing.T, fuzzName string, seeds [][][]byte) {
	dir := filepath.Join("testdata", "fuzz", fuzzName)
	must(t, os.RemoveAll(dir))
	must(t, os.MkdirAll(dir, 0o755))
	for i, args := range seeds {
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, a := range args {
			b.WriteString("[]byte(" + strconv.Quote(string(a)) + ")\n")
		}
		must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%02d", i)), []byte(b.String()), 0o644))
	}
}

// csvSeeds are the seed inputs of FuzzReadCSV (one argument: the file).
func csvSeeds(t testing.TB) [][][]byte {
	texts := [][]byte{
		withBOM(joinCSV(";", membersRecords)),
		[]byte(joinCSV(",", membersRecords)),
		utf16Bytes(t, joinCSV("\t", membersRecords), xunicode.LittleEndian),
		utf16Bytes(t, "Họ tên,Số thẻ\r\nAn,01\r\n", xunicode.BigEndian),
		cp1258(t, joinCSV(",", membersRecords)),
		[]byte("sep=;\nHọ tên;Số thẻ\n\"An\nBình\";\"0\"\"1\"\n"),
		[]byte("Họ tên,Số thẻ\rAn,'=1+1\r"),
		[]byte("\"unterminated,Họ tên,Số thẻ\n"),
	}
	out := make([][][]byte, len(texts))
	for i, s := range texts {
		out[i] = [][]byte{s}
	}
	return out
}

// xlsxParts are the parts of an .xlsx that FuzzReadXLSX varies.
var xlsxParts = []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"}

// xlsxSeeds are the seed inputs of FuzzReadXLSX: the worksheet, shared
// strings and styles parts of real workbooks.
func xlsxSeeds(t testing.TB) [][][]byte {
	var out [][][]byte
	for _, file := range [][]byte{membersXLSX(t), richXLSX(t)} {
		parts := unzipParts(t, file)
		var args [][]byte
		for _, p := range xlsxParts {
			args = append(args, parts[p])
		}
		out = append(out, args)
	}
	out = append(out, [][]byte{
		[]byte(sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="s"><v>0</v></c></row>` +
			`<row><c><v>1.5E+3</v></c><c s="1"><v>32947</v></c><c t="d"><v>2020-01-02</v></c></row>`)),
		[]byte(`<sst><si><t>Số thẻ</t></si></sst>`),
		[]byte(`<styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`),
	})
	// Legacy fonts: a cell style in .VnTime, a rich-text run in VNI-Times.
	out = append(out, [][]byte{
		[]byte(sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Số thẻ</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr" s="1"><is><t>` + tcvn3("Nguyễn Văn Đức") + `</t></is></c><c r="B2"><v>12345678</v></c></row>` +
			`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" t="inlineStr"><is><r><rPr><rFont val=".VnArial"/></rPr><t>` + tcvn3("Hà Tây") + `</t></r></is></c></row>`)),
		[]byte(`<sst><si><r><rPr><rFont val="VNI-Times"/></rPr><t>` + viet.EncodeLegacy("Lê Thị Hà", viet.VNI) + `</t></r></si></sst>`),
		[]byte(`<styleSheet><fonts count="2"><font><name val="Times New Roman"/></font><font><sz val="12"/><name val=".VnTime"/></font></fonts>` +
			`<dxfs><dxf><font><name val="VNI-Helve"/></font></dxf></dxfs><cellXfs><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/><xf fontId="9"/></cellXfs></styleSheet>`),
	})
	return out
}

// richXLSX has rich text, a 1904 date system and varied formats.
func richXLSX(t testing.TB) []byte {
	return buildXLSX(t, func(f *excelize.File, sh string) {
		yes := true
		must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		setRow(t, f, sh, "C5", "Họ tên", "Ngày sinh", "Số thẻ")
		must(t, f.SetCellRichText(sh, "C6", []excelize.RichTextRun{{Text: "Đỗ "}, {Text: "Lan", Font: &excelize.Font{Bold: true}}}))
		must(t, f.SetCellFloat(sh, "D6", 31485, -1, 64))
		must(t, f.SetCellInt(sh, "E6", 12345))
		must(t, f.SetCellStyle(sh, "D6", "D6", style(t, f, &excelize.Style{NumFmt: 15})))
	})
}

func unzipParts(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	p, err := readZipParts(data)
	must(t, err)
	return p
}
