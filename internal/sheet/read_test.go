package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

func TestReadXLSX(t *testing.T) {
	nfd := func(s string) string { return norm.NFD.String(s) }
	tests := []struct {
		name   string
		file   func(t *testing.T) []byte
		fields []Field
		want   *Table
	}{
		{
			name: "title and merged cells above header on row 4, dates, numeric card, trailing empty rows",
			file: func(t *testing.T) []byte { return membersXLSX(t) },
			want: membersWant(),
		},
		{
			name: "1904 date system",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					yes := true
					must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
					d14 := style(t, f, &excelize.Style{NumFmt: 14})
					setRow(t, f, sh, "A1", "Họ tên", "Ngày sinh")
					setRow(t, f, sh, "A2", "Phạm Văn Dũng", serial(1990, 3, 15)-1462)
					setRow(t, f, sh, "A3", "Võ Thị Em", 0.0)
					must(t, f.SetCellStyle(sh, "B2", "B3", d14))
				})
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "birth"},
				Headers:   []string{"Họ tên", "Ngày sinh"},
				Rows: []Row{
					row(2, txt("Phạm Văn Dũng"), date("1990-03-15")),
					row(3, txt("Võ Thị Em"), date("1904-01-01")),
				},
			},
		},
		{
			name: "raw cell types: exponent, float noise, inline and rich strings, bool, error, ISO date, escapes, no r attributes",
			file: func(t *testing.T) []byte {
				base := buildXLSX(t, func(f *excelize.File, sh string) { must(t, f.SetCellStr(sh, "A1", "x")) })
				return rewritePart(t, base, "xl/worksheets/sheet1.xml", func(string) string {
					return sheetXML(
						`<row r="2"><c r="A2" t="inlineStr"><is><t>Họ tên</t></is></c>` +
							`<c r="B2" t="inlineStr"><is><r><t>Số </t></r><r><rPr><b/></rPr><t>thẻ</t></r><rPh><t>ignored</t></rPh></is></c>` +
							`<c r="C2" t="inlineStr"><is><t>Ngày_x000D_sinh</t></is></c></row>` +
							// row without r: follows row 2; cells without r follow each other
							`<row><c t="str"><f>A1</f><v>Hoàng Văn Giang</v></c><c><v>1.2345678E+7</v></c><c t="d"><v>1989-12-31T00:00:00Z</v></c></row>` +
							`<row r="5"><c r="A5" t="inlineStr"><is><t xml:space="preserve">  Lý_x005F_x000D_Hạnh </t></is></c><c r="B5"><v>0.30000000000000004</v></c><c r="C5" t="b"><v>1</v></c></row>` +
							`<row r="6"><c r="A6" t="e"><v>#N/A</v></c><c r="B6"><v>-0</v></c><c r="C6"><f>1+1</f></c></row>`)
				})
			},
			want: &Table{
				HeaderRow: 2,
				Columns:   []string{"name", "card", "birth"},
				Headers:   []string{"Họ tên", "Số thẻ", "Ngày sinh"},
				Rows: []Row{
					row(3, txt("Hoàng Văn Giang"), num("12345678"), date("1989-12-31")),
					row(5, txt("Lý_x000D_Hạnh"), num("0.3"), txt("TRUE")),
					row(6, txt("#N/A"), num("0"), Cell{}),
				},
			},
		},
		{
			name: "NFD text, NBSP, line breaks in header",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					setRow(t, f, sh, "A1", nfd("Họ và tên"), nfd("Ngày\nsinh"), nfd("Giới\u00a0tính"))
					setRow(t, f, sh, "A2", nfd("  Nguyễn   Văn\u00a0Ánh "), nfd("Ngày 1 tháng 2"), nfd("Nữ"))
				})
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "birth", "gender"},
				Headers:   []string{"Họ và tên", "Ngày sinh", "Giới tính"},
				Rows:      []Row{row(2, txt("Nguyễn Văn Ánh"), txt("Ngày 1 tháng 2"), txt("Nữ"))},
			},
		},
		{
			name: "any order, unknown and duplicate headers, trailing notes, rich text",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					setRow(t, f, sh, "B3", "Ghi chú", "SỐ THẺ", "họ tên", "HỌ VÀ TÊN", "Ngay sinh (dd/mm/yyyy)", "Ngày kết nạp:")
					setRow(t, f, sh, "B4", "", "012", "", "Tên trùng", "1/1/1990", "2/2/2020")
					must(t, f.SetCellRichText(sh, "D4", []excelize.RichTextRun{
						{Text: "Đỗ "}, {Text: "Thị Lan", Font: &excelize.Font{Bold: true}},
					}))
				})
			},
			want: &Table{
				HeaderRow: 3,
				Columns:   []string{"", "", "card", "name", "", "birth", "joined"},
				Headers:   []string{"", "Ghi chú", "SỐ THẺ", "họ tên", "HỌ VÀ TÊN", "Ngay sinh (dd/mm/yyyy)", "Ngày kết nạp:"},
				Rows: []Row{
					row(4, Cell{}, Cell{}, txt("012"), txt("Đỗ Thị Lan"), txt("Tên trùng"), txt("1/1/1990"), txt("2/2/2020")),
				},
			},
		},
		{
			name: "first visible sheet",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					setRow(t, f, sh, "A1", "Họ tên", "Số thẻ")
					setRow(t, f, sh, "A2", "Ẩn Danh", "999")
					idx, err := f.NewSheet("Danh sách")
					must(t, err)
					setRow(t, f, "Danh sách", "A1", "Họ tên", "Số thẻ")
					setRow(t, f, "Danh sách", "A2", "Hiện Ra", "111")
					f.SetActiveSheet(idx)
					must(t, f.SetSheetVisible(sh, false))
				})
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "card"},
				Headers:   []string{"Họ tên", "Số thẻ"},
				Rows:      []Row{row(2, txt("Hiện Ra"), txt("111"))},
			},
		},
		{
			name: "row with the required field beats a row with more fields",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					setRow(t, f, sh, "A1", "Ngày sinh", "Số thẻ", "Giới tính")
					setRow(t, f, sh, "A2", "Họ tên", "Ngày sinh")
					setRow(t, f, sh, "A3", "Bùi Văn Khoa", "1980-01-01")
				})
			},
			want: &Table{
				HeaderRow: 2,
				Columns:   []string{"name", "birth"},
				Headers:   []string{"Họ tên", "Ngày sinh"},
				Rows:      []Row{row(3, txt("Bùi Văn Khoa"), txt("1980-01-01"))},
			},
		},
		{
			name: "time-only and other number formats stay numbers",
			file: func(t *testing.T) []byte {
				return buildXLSX(t, func(f *excelize.File, sh string) {
					tm := style(t, f, &excelize.Style{NumFmt: 20})   // h:mm
					money := style(t, f, &excelize.Style{NumFmt: 3}) // #,##0
					mmss := "mm:ss"
					minutes := style(t, f, &excelize.Style{CustomNumFmt: &mmss})
					setRow(t, f, sh, "A1", "Họ tên", "Số thẻ", "Ngày sinh", "Ngày vào Đảng")
					setRow(t, f, sh, "A2", "Đinh Văn Lộc", 1234567, 0.5, 45000)
					must(t, f.SetCellStyle(sh, "B2", "B2", money))
					must(t, f.SetCellStyle(sh, "C2", "C2", tm))
					must(t, f.SetCellStyle(sh, "D2", "D2", minutes))
				})
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "card", "birth", "joined"},
				Headers:   []string{"Họ tên", "Số thẻ", "Ngày sinh", "Ngày vào Đảng"},
				Rows:      []Row{row(2, txt("Đinh Văn Lộc"), num("1234567"), num("0.5"), num("45000"))},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := tt.fields
			if fields == nil {
				fields = memberFields
			}
			checkReadAs(t, tt.file(t), "ds.xlsx", "", fields, tt.want)
		})
	}
}

func TestReadCSV(t *testing.T) {
	tab := [][]string{
		{"Họ và tên", "Số thẻ", "Ngày sinh"},
		{"Nguyễn Văn An", "012345678", "15/03/1990"},
		{"Trần Thị Bình", "098765432", "05/11/1985"},
	}
	tabWant := &Table{
		HeaderRow: 1,
		Columns:   []string{"name", "card", "birth"},
		Headers:   []string{"Họ và tên", "Số thẻ", "Ngày sinh"},
		Rows: []Row{
			row(2, txt("Nguyễn Văn An"), txt("012345678"), txt("15/03/1990")),
			row(3, txt("Trần Thị Bình"), txt("098765432"), txt("05/11/1985")),
		},
	}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want *Table
	}{
		{
			name: "semicolons, UTF-8 BOM, title above header, quoted delimiter",
			data: func(t *testing.T) []byte { return withBOM(joinCSV(";", membersRecords)) },
			want: membersCSVWant(),
		},
		{
			name: "comma without BOM",
			data: func(t *testing.T) []byte { return []byte(joinCSV(",", membersRecords)) },
			want: membersCSVWant(),
		},
		{
			name: "UTF-16 LE with BOM, tab separated (Excel Unicode text)",
			data: func(t *testing.T) []byte { return utf16Bytes(t, joinCSV("\t", membersRecords), xunicode.LittleEndian) },
			want: membersCSVWant(),
		},
		{
			name: "UTF-16 BE with BOM",
			data: func(t *testing.T) []byte { return utf16Bytes(t, joinCSV("\t", tab), xunicode.BigEndian) },
			want: tabWant,
		},
		{
			name: "UTF-16 LE without BOM",
			data: func(t *testing.T) []byte { return utf16Bytes(t, joinCSV(",", tab), xunicode.LittleEndian)[2:] },
			want: tabWant,
		},
		{
			name: "Windows-1258",
			data: func(t *testing.T) []byte { return cp1258(t, joinCSV(";", membersRecords)) },
			want: membersCSVWant(),
		},
		{
			name: "Excel sep= line",
			data: func(t *testing.T) []byte { return []byte("sep=|\r\n" + joinCSV("|", tab)) },
			want: &Table{
				HeaderRow: 2, Columns: tabWant.Columns, Headers: tabWant.Headers,
				Rows: []Row{
					row(3, txt("Nguyễn Văn An"), txt("012345678"), txt("15/03/1990")),
					row(4, txt("Trần Thị Bình"), txt("098765432"), txt("05/11/1985")),
				},
			},
		},
		{
			name: "old Mac line ends",
			data: func(t *testing.T) []byte { return []byte(strings.ReplaceAll(joinCSV(",", tab), "\r\n", "\r")) },
			want: tabWant,
		},
		{
			name: "quoted newlines: row numbers are the lines where records start",
			data: func(t *testing.T) []byte {
				return []byte("Họ tên,Địa chỉ,Số thẻ\n\"Ngô Văn Minh\",\"Số 1\nphố Huế\",\"01\"\n\"Tạ Thị\nNga\",,02\n")
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "", "card"},
				Headers:   []string{"Họ tên", "Địa chỉ", "Số thẻ"},
				Rows: []Row{
					row(2, txt("Ngô Văn Minh"), txt("Số 1 phố Huế"), txt("01")),
					row(4, txt("Tạ Thị Nga"), Cell{}, txt("02")),
				},
			},
		},
		{
			name: "column numbering row under the header is not data",
			data: func(t *testing.T) []byte {
				return []byte("STT,Họ tên,Ngày sinh,Số thẻ\n(1),(2),(3),(4)\n1,An,1/1/1990,01\n")
			},
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"", "name", "birth", "card"},
				Headers:   []string{"STT", "Họ tên", "Ngày sinh", "Số thẻ"},
				Rows:      []Row{row(3, txt("1"), txt("An"), txt("1/1/1990"), txt("01"))},
			},
		},
		{
			name: "ragged rows and columns beyond the header",
			data: func(t *testing.T) []byte { return []byte("Họ tên,Số thẻ\nA\nB,1,extra,more\n,,x\n") },
			want: &Table{
				HeaderRow: 1,
				Columns:   []string{"name", "card"},
				Headers:   []string{"Họ tên", "Số thẻ"},
				Rows:      []Row{row(2, txt("A"), Cell{}), row(3, txt("B"), txt("1"))},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkReadAs(t, tt.data(t), "ds.csv", "text/csv", memberFields, tt.want)
		})
	}
}

func TestReadErrors(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rnd.UintN(256))
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	members := membersXLSX(t)
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		lim  Limits
		want error
		msg  string // substring of the error message
	}{
		{name: "legacy .xls (OLE2)", data: func(*testing.T) []byte { return ole }, want: ErrUnsupported, msg: "save it as .xlsx"},
		{name: "random bytes", data: func(*testing.T) []byte { return random }, want: ErrUnsupported, msg: "save it as .xlsx"},
		{name: "PNG image", data: func(*testing.T) []byte { return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") }, want: ErrUnsupported},
		{name: "HTML saved as .xls", data: func(*testing.T) []byte {
			return []byte("<html><body><table><tr><td>Họ tên</td><td>Số thẻ</td></tr></table></body></html>")
		}, want: ErrUnsupported, msg: "HTML"},
		{name: "Excel 2003 XML", data: func(*testing.T) []byte {
			return []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>`)
		}, want: ErrUnsupported},
		{name: "ZIP that is not a workbook", data: func(t *testing.T) []byte {
			return makeZip(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
		}, want: ErrUnsupported, msg: "save it as .xlsx"},
		{name: "ZIP with workbook relationships but no workbook", data: func(t *testing.T) []byte {
			return makeZip(t, map[string]string{"_rels/.rels": `<Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="xl/wb.xml"/></Relationships>`})
		}, want: ErrUnsupported, msg: "no Excel workbook"},
		{name: "Word document", data: func(t *testing.T) []byte {
			return makeZip(t, map[string]string{
				"_rels/.rels":       `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
				"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`,
			})
		}, want: ErrUnsupported, msg: "not an Excel workbook"},
		{name: "Excel binary workbook", data: func(t *testing.T) []byte {
			return makeZip(t, map[string]string{
				"_rels/.rels":     `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>`,
				"xl/workbook.bin": "\x83\x01\x00",
			})
		}, want: ErrUnsupported, msg: ".xlsb"},
		{name: "OpenDocument spreadsheet", data: func(t *testing.T) []byte {
			return makeZip(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
		}, want: ErrUnsupported, msg: ".ods"},
		{name: "truncated xlsx", data: func(*testing.T) []byte { return members[:len(members)/2] }, want: ErrUnsupported, msg: "damaged"},
		{name: "damaged worksheet XML", data: func(t *testing.T) []byte {
			return rewritePart(t, members, "xl/worksheets/sheet1.xml", func(s string) string { return s[:len(s)/2] })
		}, want: ErrUnsupported, msg: "damaged"},
		{name: "oversized input", data: func(*testing.T) []byte { return members }, lim: Limits{MaxBytes: 1000}, want: ErrTooLarge},
		{name: "too many rows", data: func(*testing.T) []byte { return members }, lim: Limits{MaxRows: 2}, want: ErrTooLarge},
		{name: "too many CSV rows", data: func(*testing.T) []byte {
			return []byte("Họ tên,Số thẻ\n" + strings.Repeat("a,1\n", 100))
		}, lim: Limits{MaxRows: 50}, want: ErrTooLarge},
		{name: "no recognisable header", data: func(*testing.T) []byte { return []byte("a,b,c\n1,2,3\n") }, want: ErrNoHeader},
		{name: "only one field matches", data: func(*testing.T) []byte { return []byte("Họ tên,b,c\n1,2,3\n") }, want: ErrNoHeader},
		{name: "empty file", data: func(*testing.T) []byte { return nil }, want: ErrNoHeader},
		{name: "workbook without sheets", data: func(t *testing.T) []byte {
			return rewritePart(t, members, "xl/workbook.xml", func(string) string {
				return `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`
			})
		}, want: ErrNoHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			got, err := Read(bytes.NewReader(data), "ds.xls", "application/vnd.ms-excel", memberFields, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Read: got (%v, %v), want error %v", got, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Read: got message %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// TestReadHostileXLSX checks that files built to exhaust memory fail fast or
// read in bounded memory.
func TestReadHostileXLSX(t *testing.T) {
	base := membersXLSX(t)
	t.Run("every row has a cell at column XFD", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Số thẻ</t></is></c></row>`)
		for i := 2; i <= 50000; i++ {
			fmt.Fprintf(&sb, `<row r="%d"><c r="XFD%d"><v>1</v></c><c r="XFD%d"/></row>`, i, i, i)
		}
		data := rewritePart(t, base, "xl/worksheets/sheet1.xml", func(string) string { return sheetXML(sb.String()) })
		start := time.Now()
		got, err := Read(bytes.NewReader(data), "", "", memberFields, Limits{})
		if err != nil {
			t.Fatalf("Read: got error %v", err)
		}
		if len(got.Rows) != 0 {
			t.Errorf("Read: got %d rows, want 0", len(got.Rows))
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("Read took %v", d)
		}
	})
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"} {
		t.Run("deeply nested elements in "+part, func(t *testing.T) {
			data := rewritePart(t, base, part, func(string) string {
				return `<workbook><sheets>` + strings.Repeat("<a>", 1<<20)
			})
			_, err := Read(bytes.NewReader(data), "", "", memberFields, Limits{})
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "nested too deeply") {
				t.Fatalf("Read: got %v, want ErrUnsupported (nested too deeply)", err)
			}
		})
	}
	t.Run("zip bomb in shared strings", func(t *testing.T) {
		defer func(old int64) { unzipXMLSizeLimit = old }(unzipXMLSizeLimit)
		unzipXMLSizeLimit = 1 << 20
		data := rewritePart(t, base, "xl/sharedStrings.xml", func(old string) string {
			// Many short texts: the part's bound (one long text is refused by
			// the value bound, see TestReadValueBomb).
			return strings.Replace(old, "</sst>", strings.Repeat("<si><t>A</t></si>", 300000)+"</sst>", 1)
		})
		if len(data) > 200<<10 {
			t.Fatalf("bomb is %d bytes, want a small file", len(data))
		}
		_, err := Read(bytes.NewReader(data), "", "", memberFields, Limits{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Read: got %v, want ErrTooLarge", err)
		}
	})
	t.Run("zip bomb in worksheet", func(t *testing.T) {
		defer func(old int64) { unzipSizeLimit = old }(unzipSizeLimit)
		unzipSizeLimit = 2 << 20
		data := rewritePart(t, base, "xl/worksheets/sheet1.xml", func(old string) string {
			return strings.Replace(old, "<sheetData>", "<sheetData>"+strings.Repeat("<row/>", 1<<20), 1)
		})
		_, err := Read(bytes.NewReader(data), "", "", memberFields, Limits{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Read: got %v, want ErrTooLarge", err)
		}
	})
}

func TestReadLegacy(t *testing.T) {
	vni := func(s string) string { return viet.EncodeLegacy(s, viet.VNI) }
	plain := func(s string) string { return s }
	xlsxOf := func(records [][]string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			return buildXLSX(t, func(f *excelize.File, sh string) {
				setRecords(t, f, sh, records)
			})
		}
	}
	// Saved by Excel as "CSV (Comma delimited)": the font's bytes.
	csvOf := func(records [][]string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(joinCSV(",", records)))
			must(t, err)
			return data
		}
	}
	records := func(enc func(string) string) [][]string {
		return [][]string{
			{enc("Danh sách đảng viên chi bộ")},
			{"STT", enc("Họ và tên"), enc("Ngày sinh"), enc("Ghi chú")},
			{"1", enc("Nguyễn Văn Đức"), "15/03/1990", enc("Chuyển đến từ Đà Nẵng")},
			{"2", enc("Lê Thị Hà"), "01/01/1970", ""},
		}
	}
	want := func(enc string) *Table {
		return &Table{
			HeaderRow: 2,
			Columns:   []string{"", "name", "birth", ""},
			Headers:   []string{"STT", "Họ và tên", "Ngày sinh", "Ghi chú"},
			Rows: []Row{
				row(3, txt("1"), txt("Nguyễn Văn Đức"), txt("15/03/1990"), txt("Chuyển đến từ Đà Nẵng")),
				row(4, txt("2"), txt("Lê Thị Hà"), txt("01/01/1970"), Cell{}),
			},
			Encoding: enc,
		}
	}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want *Table
	}{
		{"TCVN3 xlsx", xlsxOf(records(tcvn3)), want("tcvn3")},
		{"TCVN3 csv in Windows-1252 bytes", csvOf(records(tcvn3)), want("tcvn3")},
		{"VNI xlsx", xlsxOf(records(vni)), want("vni")},
		{"VNI csv in Windows-1252 bytes", csvOf(records(vni)), want("vni")},
		{"Unicode stays as is", xlsxOf(records(plain)), want("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkReadAs(t, tt.data(t), "", "", memberFields, tt.want)
		})
	}
}

func TestReadMaxBytesReader(t *testing.T) {
	body := http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(membersXLSX(t))), 100)
	_, err := Read(body, "ds.xlsx", "", memberFields, Limits{})
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatalf("Read: got %v, want the body's *http.MaxBytesError wrapped for the web layer", err)
	}
}
