package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// memberFields is a member-list header as the callers of this package use.
var memberFields = []Field{
	{Name: "name", Aliases: []string{"Họ và tên", "Họ tên"}, Required: true},
	{Name: "birth", Aliases: []string{"Ngày sinh", "Ngày, tháng, năm sinh"}},
	{Name: "card", Aliases: []string{"Số thẻ đảng viên", "Số thẻ ĐV", "Số thẻ"}},
	{Name: "joined", Aliases: []string{"Ngày vào Đảng", "Ngày kết nạp"}},
	{Name: "gender", Aliases: []string{"Giới tính"}},
}

// Cell constructors for expected values.
func txt(v string) Cell  { return Cell{Value: v} }
func num(v string) Cell  { return Cell{Value: v, Numeric: true} }
func date(v string) Cell { return Cell{Value: v, Date: true} }

func row(n int, cells ...Cell) Row { return Row{Number: n, Cells: cells} }

// serial returns the 1900-system spreadsheet serial of a date.
func serial(y, m, d int) float64 {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

// buildXLSX makes a workbook with excelize; fill gets the first sheet name.
func buildXLSX(t testing.TB, fill func(f *excelize.File, sh string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f, "Sheet1")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// must fails the test on error; for excelize setters.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func style(t testing.TB, f *excelize.File, s *excelize.Style) int {
	t.Helper()
	id, err := f.NewStyle(s)
	must(t, err)
	return id
}

func setRow(t testing.TB, f *excelize.File, sh, cell string, vals ...any) {
	t.Helper()
	must(t, f.SetSheetRow(sh, cell, &vals))
}

// setRecords writes records as text from A1 down, one row each.
func setRecords(t testing.TB, f *excelize.File, sh string, records [][]string) {
	t.Helper()
	for i, rec := range records {
		vals := make([]any, len(rec))
		for j, v := range rec {
			vals[j] = v
		}
		setRow(t, f, sh, fmt.Sprintf("A%d", i+1), vals...)
	}
}

// membersXLSX is the typical committee file: a merged title over two rows,
// a blank row, the header on row 4, date cells in two formats, a card
// number stored as a number, dates and card numbers typed as text, an empty
// row in the middle, a value beyond the header and trailing empty rows.
func membersXLSX(t testing.TB) []byte {
	return buildXLSX(t, func(f *excelize.File, sh string) {
		bold := style(t, f, &excelize.Style{Font: &excelize.Font{Bold: true}})
		d14 := style(t, f, &excelize.Style{NumFmt: 14})
		dmy := "dd/mm/yyyy"
		dCustom := style(t, f, &excelize.Style{CustomNumFmt: &dmy})
		must(t, f.SetCellStr(sh, "A1", "DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3"))
		must(t, f.MergeCell(sh, "A1", "F1"))
		must(t, f.SetCellStyle(sh, "A1", "A1", bold))
		must(t, f.SetCellStr(sh, "A2", "Đảng bộ phường Bến Nghé"))
		must(t, f.MergeCell(sh, "A2", "F2"))
		setRow(t, f, sh, "A4", "STT", "Họ và tên (*)", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ghi chú")
		must(t, f.SetCellStyle(sh, "A4", "F4", bold))

		setRow(t, f, sh, "A5", 1, "Nguyễn Văn An", serial(1990, 3, 15), 12345678, serial(2015, 5, 19))
		must(t, f.SetCellStyle(sh, "C5", "C5", d14))
		must(t, f.SetCellStyle(sh, "E5", "E5", dCustom))
		must(t, f.SetCellStr(sh, "H5", "ngoài bảng"))

		setRow(t, f, sh, "A6", 2, "Trần Thị Bình", "05/11/1985", "098765432", "2010-02-03", "chuyển đến")
		// row 7 left empty
		setRow(t, f, sh, "A8", 3, "Lê Văn Cường", "1.2.1979", "001122334", "19.05.2000")
		// trailing rows: styled but empty, blank strings, spaces only
		must(t, f.SetCellStyle(sh, "A9", "F12", d14))
		must(t, f.SetCellStr(sh, "B10", ""))
		must(t, f.SetCellStr(sh, "C11", "   "))
	})
}

// membersWant is what Read returns for membersXLSX.
func membersWant() *Table {
	return &Table{
		HeaderRow: 4,
		Columns:   []string{"", "name", "birth", "card", "joined", ""},
		Headers:   []string{"STT", "Họ và tên (*)", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ghi chú"},
		Rows: []Row{
			row(5, num("1"), txt("Nguyễn Văn An"), date("1990-03-15"), num("12345678"), date("2015-05-19"), Cell{}),
			row(6, num("2"), txt("Trần Thị Bình"), txt("05/11/1985"), txt("098765432"), txt("2010-02-03"), txt("chuyển đến")),
			row(8, num("3"), txt("Lê Văn Cường"), txt("1.2.1979"), txt("001122334"), txt("19.05.2000"), Cell{}),
		},
	}
}

// membersRecords is the CSV counterpart of membersXLSX (all text).
var membersRecords = [][]string{
	{"DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3"},
	{"Đảng bộ phường Bến Nghé"},
	{},
	{"STT", "Họ và tên (*)", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ghi chú"},
	{"1", "Nguyễn Văn An", "15/03/1990", "012345678", "19/05/2015", ""},
	{"2", "Trần Thị Bình", "05/11/1985", "098765432", "2010-02-03", "chuyển đến; từ quận 1, TP.HCM"},
	{"", "", "", "", "", ""},
	{"3", "Lê Văn Cường", "1.2.1979", "001122334", "19.05.2000"},
}

// joinCSV renders records with a delimiter and CRLF, quoting as needed.
func joinCSV(delim string, records [][]string) string {
	var b strings.Builder
	for _, rec := range records {
		for i, v := range rec {
			if i > 0 {
				b.WriteString(delim)
			}
			if strings.ContainsAny(v, delim+"\"\r\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			b.WriteString(v)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func membersCSVWant() *Table {
	return &Table{
		HeaderRow: 4,
		Columns:   []string{"", "name", "birth", "card", "joined", ""},
		Headers:   []string{"STT", "Họ và tên (*)", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ghi chú"},
		Rows: []Row{
			row(5, txt("1"), txt("Nguyễn Văn An"), txt("15/03/1990"), txt("012345678"), txt("19/05/2015"), Cell{}),
			row(6, txt("2"), txt("Trần Thị Bình"), txt("05/11/1985"), txt("098765432"), txt("2010-02-03"), txt("chuyển đến; từ quận 1, TP.HCM")),
			row(8, txt("3"), txt("Lê Văn Cường"), txt("1.2.1979"), txt("001122334"), txt("19.05.2000"), Cell{}),
		},
	}
}

func withBOM(s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) }

func utf16Bytes(t testing.TB, s string, e xunicode.Endianness) []byte {
	t.Helper()
	b, err := xunicode.UTF16(e, xunicode.UseBOM).NewEncoder().Bytes([]byte(s))
	must(t, err)
	return b
}

// cp1258 encodes Vietnamese text the way Windows-1258 stores it: base
// letters with their circumflex, breve or horn precomposed where the code
// page has them, tone marks as separate combining characters.
func cp1258(t testing.TB, s string) []byte {
	t.Helper()
	var b strings.Builder
	var base []rune
	var tones []rune
	flush := func() {
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
		base, tones = base[:0], tones[:0]
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == '\u0300' || r == '\u0301' || r == '\u0303' || r == '\u0309' || r == '\u0323':
			tones = append(tones, r)
		case unicode.Is(unicode.Mn, r):
			base = append(base, r)
		default:
			flush()
			base = append(base, r)
		}
	}
	flush()
	out, err := charmap.Windows1258.NewEncoder().Bytes([]byte(b.String()))
	must(t, err)
	return out
}

// rewritePart returns a copy of a ZIP file with one part's content changed
// (or added when absent).
func rewritePart(t testing.TB, zipData []byte, name string, edit func(old string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		must(t, err)
		var content bytes.Buffer
		_, err = content.ReadFrom(rc)
		must(t, err)
		rc.Close()
		if zf.Name == name {
			found = true
			content.Reset()
			content.WriteString(edit(string(mustRead(t, zf))))
		}
		w, err := zw.Create(zf.Name)
		must(t, err)
		_, err = w.Write(content.Bytes())
		must(t, err)
	}
	if !found {
		w, err := zw.Create(name)
		must(t, err)
		_, err = w.Write([]byte(edit("")))
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

func mustRead(t testing.TB, zf *zip.File) []byte {
	t.Helper()
	rc, err := zf.Open()
	must(t, err)
	defer rc.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(rc)
	must(t, err)
	return b.Bytes()
}

// sheetXML wraps sheetData content in a worksheet document.
func sheetXML(sheetData string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		sheetData + `</sheetData></worksheet>`
}

// makeZip builds a ZIP file from part names and contents.
func makeZip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		must(t, err)
		_, err = w.Write([]byte(parts[n]))
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

// tcvn3 encodes Vietnamese text in TCVN3 (ABC), as the characters the
// .VnTime font shows them with: each byte as the Latin-1 character of the
// same code.
func tcvn3(s string) string {
	const from = "ăâêôơưđĂÂÊÔƠƯĐàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
	codes := []byte{
		0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
		0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB,
		0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE,
		0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE,
		0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE,
	}
	m := map[rune]rune{}
	for i, r := range []rune(from) {
		m[r] = rune(codes[i])
	}
	return strings.Map(func(r rune) rune {
		if c, ok := m[r]; ok {
			return c
		}
		return r
	}, norm.NFC.String(s))
}

// checkReadAs reads data (Read, no limits) and fails t unless it reads as
// want.
func checkReadAs(t *testing.T, data []byte, filename, mediaType string, fields []Field, want *Table) {
	t.Helper()
	got, err := Read(bytes.NewReader(data), filename, mediaType, fields, Limits{})
	if err != nil {
		t.Fatalf("Read: got error %v, want nil", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read: got … want mismatch (-want +got):\n%s", diff)
	}
}
