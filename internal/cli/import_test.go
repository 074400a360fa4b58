package cli

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

type reportJSON struct {
	Rows        int `json:"rows"`
	Valid       int `json:"valid"`
	Created     int `json:"created"`
	Updated     int `json:"updated"`
	Unchanged   int `json:"unchanged"`
	WouldCreate int `json:"would_create"`
	WouldUpdate int `json:"would_update"`
	HeaderRow   int `json:"header_row"`
	Skipped     []struct {
		Row int `json:"row"`
	} `json:"skipped"`
	Encoding string `json:"encoding"`
	Errors   []struct {
		Row     int    `json:"row"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// officeRow is one member as a committee office would type it.
type officeRow struct {
	name, gender     string
	birth            any // a time-like string typed as text, or a float serial for a date cell
	card             any // string, or a number that lost its leading zero
	citizen, phone   string
	admitted, fullOn any
	cell, position   string
}

// officeFile builds an .xlsx the way real office files look: a merged
// title above the header, a blank line, the header on row 4, date cells
// and dates typed as text, numbers stored as numbers, trailing empty rows.
func officeFile(t *testing.T, rows []officeRow, encode func(string) string) []byte {
	t.Helper()
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetCellValue(sh, "A1", encode("DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ PHÚ TÚC"))
	f.MergeCell(sh, "A1", "J1")
	f.SetCellValue(sh, "A2", encode("(Kèm theo báo cáo số 12-BC/ĐU)"))
	headers := []string{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Số CCCD", "Điện thoại", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ", "Chức vụ"}
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		f.SetCellValue(sh, cell, encode(h))
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for r, row := range rows {
		n := r + 5
		set := func(col int, v any) {
			cell, _ := excelize.CoordinatesToCellName(col, n)
			switch x := v.(type) {
			case string:
				f.SetCellValue(sh, cell, encode(x))
			case float64:
				f.SetCellValue(sh, cell, x)
				if col == 4 || col == 8 || col == 9 {
					f.SetCellStyle(sh, cell, cell, dateStyle)
				}
			case int:
				f.SetCellValue(sh, cell, x)
			}
		}
		set(1, r+1)
		set(2, row.name)
		set(3, row.gender)
		set(4, row.birth)
		set(5, row.card)
		set(6, row.citizen)
		set(7, row.phone)
		set(8, row.admitted)
		set(9, row.fullOn)
		set(10, row.cell)
		set(11, row.position)
	}
	// The foot of an office list: blank lines, a place-and-date line and signatures.
	foot := len(rows) + 7
	f.SetCellValue(sh, fmt.Sprintf("H%d", foot), encode("Phú Túc, ngày 20 tháng 11 năm 2026"))
	f.SetCellValue(sh, fmt.Sprintf("B%d", foot+1), encode("Người lập biểu"))
	f.SetCellValue(sh, fmt.Sprintf("H%d", foot+1), encode("T/M ĐẢNG ỦY"))
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// valueBomb returns a copy of an .xlsx whose row 6, column B holds a text of
// n bytes, streamed into the ZIP so that the test never holds it.
func valueBomb(t *testing.T, xlsx []byte, n int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	// Deflate's fastest level: 300 MB of one letter still packs into about
	// 390 KB (306 KB at the default level), in a fifth of the CPU.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		old, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(zf.Name)
		if zf.Name != "xl/worksheets/sheet1.xml" {
			w.Write(old)
			continue
		}
		before, after, ok := strings.Cut(string(old), `<row r="6"`)
		if !ok {
			t.Fatal("no row 6 in the sheet")
		}
		io.WriteString(w, before+`<row r="6"><c r="B6" t="inlineStr"><is><t>`)
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for left := n; left > 0; left -= len(chunk) {
			w.Write(chunk[:min(left, len(chunk))])
		}
		io.WriteString(w, `</t></is></c></row><row r="60"`+after)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func (c *client) upload(path, filename string, body []byte) (int, reportJSON) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(body)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var rep reportJSON
	st := c.send(req, &rep)
	return st, rep
}

func goodRows(cellName string) []officeRow {
	return []officeRow{
		// 1980-03-05 as a date cell (serial 29285); card number that lost its leading zero.
		{name: "Nguyễn Thị Hường", gender: "Nữ", birth: float64(29285), card: 1234567, citizen: "001180012345", phone: "0912 345 678", admitted: "19/05/2005", fullOn: "19/05/2006", cell: cellName, position: "Chi ủy viên"},
		{name: norm.NFD.String("Trần Văn Đức"), gender: "Nam", birth: "1975-11-30", card: "87654321", citizen: "001075054321", admitted: float64(38000), fullOn: float64(38400), cell: cellName},
		{name: "Lê Văn Tám", gender: "nam", birth: "02/09/1990", card: "55554444", admitted: "03/02/2024", cell: cellName},
	}
}

func TestAPIImportMembers(t *testing.T) { bothEngines(t, testAPIImportMembers) }

func testAPIImportMembers(t *testing.T, m *Main) {
	office, admin := m.signIn(t, "vanphong"), m.signIn(t, "admin")
	district := demoDistrict(t, admin)
	phuTuc := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	cells := childrenOf(admin, phuTuc.ID)
	cell := cells[0]
	countIn := func() int {
		var l listJSON[memberJSON]
		office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d", phuTuc.ID), nil, &l)
		return l.Total
	}
	before := countIn()
	path := fmt.Sprintf("/api/v1/imports/members?unit=%d", phuTuc.ID)
	plain := func(s string) string { return s }

	t.Run("dry run then import", func(t *testing.T) {
		file := officeFile(t, goodRows(cell.Name), plain)
		st, rep := office.upload(path+"&dry_run=true", "danh-sach.xlsx", file)
		if st != 200 || len(rep.Errors) != 0 {
			t.Fatalf("dry run: status %d, errors %+v", st, rep.Errors)
		}
		if diff := cmp.Diff(reportJSON{Rows: 3, Valid: 3, WouldCreate: 3, HeaderRow: 4, Skipped: []struct {
			Row int `json:"row"`
		}{{10}, {11}}}, rep, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("dry-run report (-want +got):\n%s", diff)
		}
		if got := countIn(); got != before {
			t.Fatalf("a dry run changed the count: %d → %d", before, got)
		}
		st, rep = office.upload(path, "danh-sach.xlsx", file)
		if st != 201 || rep.Created != 3 {
			t.Fatalf("import: status %d, report %+v", st, rep)
		}
		if got, want := countIn(), before+3; got != want {
			t.Errorf("members after import: got %d, want %d", got, want)
		}
		var found listJSON[memberJSON]
		office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=huong", phuTuc.ID), nil, &found)
		var hit memberJSON
		for _, it := range found.Items {
			if it["full_name"] == "Nguyễn Thị Hường" {
				hit = it
			}
		}
		want := memberJSON{"card_no": "01234567", "birth_date": "1980-03-05", "phone": "0912345678", "admitted_on": "2005-05-19", "status": "full"}
		got := memberJSON{}
		for k := range want {
			got[k] = hit[k]
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("imported record (-want +got):\n%s", diff)
		}
		// The same file again updates the same people instead of duplicating them.
		st, rep = office.upload(path, "danh-sach.xlsx", file)
		if st != 200 || rep.Updated != 0 || rep.Unchanged != 3 || rep.Created != 0 {
			t.Errorf("re-import: status %d, report %+v, want 3 unchanged", st, rep)
		}
		if got, want := countIn(), before+3; got != want {
			t.Errorf("members after re-import: got %d, want %d", got, want)
		}
	})

	t.Run("legacy TCVN3 file", func(t *testing.T) {
		rows := []officeRow{{name: "Phạm Quốc Việt", gender: "Nam", birth: "12/12/1985", card: "11112222", admitted: "01/01/2010", fullOn: "01/01/2011", cell: cell.Name}}
		tcvn3 := func(s string) string { return viet.EncodeLegacy(s, viet.TCVN3) }
		st, rep := office.upload(path+"&dry_run=true", "cu.xlsx", officeFile(t, rows, tcvn3))
		if st != 200 || len(rep.Errors) != 0 || rep.Encoding != "tcvn3" || rep.Valid != 1 {
			t.Errorf("TCVN3 dry run: status %d, report %+v", st, rep)
		}
	})

	t.Run("names in .VnTime, the rest in Unicode", func(t *testing.T) {
		tcvn3 := func(s string) string { return viet.EncodeLegacy(s, viet.TCVN3) }
		rows := []officeRow{{name: tcvn3("Vũ Văn Việt"), gender: "Nam", birth: "12/12/1985", card: "31112222", admitted: "01/01/2010", fullOn: "01/01/2011", cell: cell.Name, position: "Bí thư chi bộ"}}
		file := officeFile(t, rows, plain)
		// The name column in the .VnTime font, as the office left it.
		f, err := excelize.OpenReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		vnTime, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: ".VnTime"}})
		f.SetCellStyle(f.GetSheetName(0), "B5", "B5", vnTime)
		var buf bytes.Buffer
		f.Write(&buf)
		st, rep := office.upload(path+"&dry_run=true", "mot-cot.xlsx", buf.Bytes())
		if st != 200 || len(rep.Errors) != 0 || rep.Encoding != "tcvn3" || rep.Valid != 1 {
			t.Errorf(".VnTime column: status %d, report %+v", st, rep)
		}
		// The same file without the font: one TCVN3 name under a Unicode
		// header is not enough evidence, and "Vò V¨n ViÖt" is not a name.
		n := countIn()
		st, rep = office.upload(path, "mot-cot.xlsx", file)
		if st != 422 || len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Field != "full_name" {
			t.Errorf("undecoded legacy name: status %d, errors %+v, want 422 for row 5, full_name", st, rep.Errors)
		}
		if got := countIn(); got != n {
			t.Errorf("a refused import changed the count: %d → %d", n, got)
		}
	})

	t.Run("one bad row stops the whole import", func(t *testing.T) {
		rows := []officeRow{
			{name: "Đỗ Thị Mai", gender: "Nữ", birth: "01/01/1988", card: "22223333", admitted: "01/01/2012", fullOn: "01/01/2013", cell: cell.Name},
			{name: "Bùi Văn Nam", gender: "Nam", birth: "31/02/1988", card: "123", admitted: "01/01/2012", cell: "Chi bộ không có"},
			{name: "Hồ Văn Lâm", gender: "Nam", birth: "01/01/1970", card: "22223333", admitted: "01/01/2000", fullOn: "01/01/2001", cell: cell.Name},
			{name: "Ngô Thị Lan", gender: "Nữ", birth: "01/01/1990", card: "87654321", admitted: "01/01/2015", cell: cell.Name},
		}
		n := countIn()
		st, rep := office.upload(path, "loi.xlsx", officeFile(t, rows, plain))
		if st != 422 {
			t.Fatalf("bad import: got %d, want 422", st)
		}
		type fe struct {
			Row   int
			Field string
		}
		var got []fe
		for _, e := range rep.Errors {
			got = append(got, fe{e.Row, e.Field})
		}
		want := []fe{{6, "birth_date"}, {6, "unit"}, {6, "card_no"}, {7, "card_no"}, {8, "card_no"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("errors (-want +got):\n%s\n%+v", diff, rep.Errors)
		}
		if got := countIn(); got != n {
			t.Errorf("a failed import changed the count: %d → %d", n, got)
		}
	})

	t.Run("export round-trips", func(t *testing.T) {
		for _, format := range []string{"csv", "xlsx"} {
			var body []byte
			if st := office.do("GET", fmt.Sprintf("/api/v1/exports/members?unit=%d&format=%s", cell.ID, format), nil, &body); st != 200 {
				t.Fatalf("export %s: %d", format, st)
			}
			st, rep := office.upload(fmt.Sprintf("/api/v1/imports/members?unit=%d&dry_run=true", cell.ID), "export."+format, body)
			if st != 200 || len(rep.Errors) != 0 || rep.WouldCreate != 0 || rep.WouldUpdate != 0 || rep.Unchanged != rep.Rows || rep.Rows < 10 {
				t.Errorf("%s export re-imported: status %d, report %+v", format, st, rep)
			}
		}
	})

	t.Run("bad uploads", func(t *testing.T) {
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
		if st, _ := office.upload(path, "anh.png", png); st != 415 {
			t.Errorf("PNG: got %d, want 415", st)
		}
		big := bytes.Repeat([]byte("Họ và tên,Giới tính\n"), (21<<20)/20)
		if st, _ := office.upload(path, "big.csv", big); st != 413 {
			t.Errorf("oversized: got %d, want 413", st)
		}
		// A few hundred KB whose one text unpacks to 300 MB: refused, naming the cell.
		bomb := valueBomb(t, officeFile(t, goodRows(cell.Name), plain), 300<<20)
		if st, rep := office.upload(path, "bom.xlsx", bomb); st != 413 || len(rep.Errors) != 1 || rep.Errors[0].Row != 6 || rep.Errors[0].Field != "column B" {
			t.Errorf("value bomb: got %d %+v, want 413 naming row 6, column B", st, rep.Errors)
		}
		if st, _ := office.upload(path, "trong.csv", []byte("a,b,c\n1,2,3\n")); st != 422 {
			t.Errorf("no header: got %d, want 422", st)
		}
		out := m.signIn(t, "danguy.phutuc")
		other := unitByName(t, admin, district.ID, "Đảng bộ xã Châu Can")
		if st, _ := out.upload(fmt.Sprintf("/api/v1/imports/members?unit=%d", other.ID), "x.xlsx", officeFile(t, goodRows("x"), plain)); st != 404 {
			t.Errorf("import outside reach: got %d, want 404", st)
		}
	})
	_ = strings.TrimSpace
}

// TestImportExportRoundTrip: importing an export creates nobody and
// changes nobody, also for people with neither card number nor citizen ID
// (matched on name, birth date and cell), on both engines; a changed row
// is an update and only it gets a new version.
func TestImportExportRoundTrip(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		office, admin := m.signIn(t, "vanphong"), m.signIn(t, "admin")
		cells := phuTucCells(t, admin)
		cell := cells[0]
		path := fmt.Sprintf("/api/v1/imports/members?unit=%d", cell.ID)
		list := func() map[string]memberJSON {
			out := map[string]memberJSON{}
			for cursor := ""; ; {
				var l listJSON[memberJSON]
				office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=200%s", cell.ID, cursor), nil, &l)
				for _, it := range l.Items {
					out[fmt.Sprint(it["id"])] = it
				}
				if l.NextCursor == nil {
					return out
				}
				cursor = "&cursor=" + *l.NextCursor
			}
		}
		// Two people without any number.
		noNumbers := []officeRow{
			{name: "Đinh Văn Hải", gender: "Nam", birth: "04/04/1984", admitted: "01/01/2010", fullOn: "01/01/2011", cell: cell.Name},
			{name: "Vũ Thị Ngọc", gender: "Nữ", birth: "05/05/1985", admitted: "01/01/2012", fullOn: "01/01/2013", cell: cell.Name, phone: "0912000111"},
		}
		if st, rep := office.upload(path, "moi.xlsx", officeFile(t, noNumbers, func(s string) string { return s })); st != 201 || rep.Created != 2 {
			t.Fatalf("first import: status %d, report %+v", st, rep)
		}
		before := list()
		for _, format := range []string{"csv", "xlsx"} {
			var body []byte
			if st := office.do("GET", fmt.Sprintf("/api/v1/exports/members?unit=%d&format=%s", cell.ID, format), nil, &body); st != 200 {
				t.Fatalf("export %s: %d", format, st)
			}
			st, rep := office.upload(path, "export."+format, body)
			if st != 200 || len(rep.Errors) != 0 || rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != len(before) || rep.Rows != len(before) {
				t.Errorf("%s export re-imported: status %d, report %+v, want %d unchanged", format, st, rep, len(before))
			}
			if diff := cmp.Diff(before, list()); diff != "" {
				t.Errorf("%s export re-imported changed records (-before +after):\n%s", format, diff)
			}
		}
		// One changed phone: one update, one unchanged, no duplicate.
		noNumbers[1].phone = "0912000222"
		st, rep := office.upload(path, "sua.xlsx", officeFile(t, noNumbers, func(s string) string { return s }))
		if st != 200 || rep.Created != 0 || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Errorf("changed file: status %d, report %+v, want 1 updated and 1 unchanged", st, rep)
		}
		after := list()
		if len(after) != len(before) {
			t.Errorf("members after the changed file: got %d, want %d", len(after), len(before))
		}
		changed := 0
		for id, b := range before {
			if fmt.Sprint(after[id]["version"]) != fmt.Sprint(b["version"]) {
				changed++
				if after[id]["phone"] != "0912000222" {
					t.Errorf("member %s: got phone %v, want 0912000222", id, after[id]["phone"])
				}
			}
		}
		if changed != 1 {
			t.Errorf("records with a new version: got %d, want 1", changed)
		}
	})
}
