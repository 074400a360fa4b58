package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

var rtHeaders = []string{"STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Giới tính", "Ghi chú"}

var rtRows = [][]string{
	{"1", "Nguyễn Văn An", "15/03/1990", "012345678", "19/05/2015", "Nam", ""},
	{"2", "Trần Thị Bình", "1985-11-05", "000000001", "", "Nữ", `=HYPERLINK("http://x","y")`},
	{"3", "Lê Văn Cường", "", "0012", "", "", "+84 912 345 678"},
	{"4", `Đỗ "Tèo"`, "", "1.5E+3", "", "", "@SUM(1,2)"},
	{"5", "Phạm Thị Dung", "", "", "", "", "-cmd|' /C calc'!A0"},
	{"6", "Hoàng Văn Em", "", "", "", "", "'=đã có dấu nháy"},
	{"7", "Vũ Thị Giang", "", "", "", "", "a, b; c \"d\" e"},
	{"8", "", "", "", "", "", "-"},
}

// rtWant is the table Read returns for rtHeaders/rtRows with the header on
// headerRow.
func rtWant(headerRow int) *Table {
	t := &Table{
		HeaderRow: headerRow,
		Columns:   []string{"", "name", "birth", "card", "joined", "gender", ""},
		Headers:   rtHeaders,
	}
	for i, r := range rtRows {
		cells := make([]Cell, len(r))
		for j, v := range r {
			cells[j] = Cell{Value: v}
		}
		t.Rows = append(t.Rows, Row{Number: headerRow + 1 + i, Cells: cells})
	}
	return t
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *bytes.Buffer) error
		want  *Table
	}{
		{
			name: "xlsx with title",
			write: func(w *bytes.Buffer) error {
				return WriteXLSX(w, "Danh sách", "DANH SÁCH ĐẢNG VIÊN CHI BỘ 1", rtHeaders, rtRows)
			},
			want: rtWant(3),
		},
		{
			name:  "xlsx without title",
			write: func(w *bytes.Buffer) error { return WriteXLSX(w, "", "", rtHeaders, rtRows) },
			want:  rtWant(1),
		},
		{
			name:  "csv",
			write: func(w *bytes.Buffer) error { return WriteCSV(w, rtHeaders, rtRows) },
			want:  rtWant(1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatalf("write: got error %v", err)
			}
			got, err := Read(&buf, "", "", memberFields, Limits{})
			if err != nil {
				t.Fatalf("Read: got error %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("round trip: got … want mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteXLSXLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "Chi bộ [1]: danh sách đảng viên năm 2025", "DANH SÁCH", rtHeaders, rtRows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetName(0)
	if want := "Chi bộ -1-- danh sách đảng viên"; sh != want {
		t.Errorf("sheet name: got %q, want %q", sh, want)
	}
	merges, err := f.GetMergeCells(sh)
	must(t, err)
	var ranges []string
	for _, m := range merges {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if diff := cmp.Diff([]string{"A1:G1"}, ranges); diff != "" {
		t.Errorf("merged cells: got … want mismatch (-want +got):\n%s", diff)
	}
	bold := func(cell string) bool {
		id, err := f.GetCellStyle(sh, cell)
		must(t, err)
		st, err := f.GetStyle(id)
		must(t, err)
		return st.Font != nil && st.Font.Bold
	}
	numFmt := func(cell string) int {
		id, err := f.GetCellStyle(sh, cell)
		must(t, err)
		st, err := f.GetStyle(id)
		must(t, err)
		return st.NumFmt
	}
	cellType := func(cell string) excelize.CellType {
		ct, err := f.GetCellType(sh, cell)
		must(t, err)
		return ct
	}
	value := func(cell string) string {
		v, err := f.GetCellValue(sh, cell)
		must(t, err)
		return v
	}
	panes, err := f.GetPanes(sh)
	must(t, err)
	width, err := f.GetColWidth(sh, "B")
	must(t, err)
	widthA, err := f.GetColWidth(sh, "A")
	must(t, err)

	type layout struct {
		A1, A2, B3, D4 string
		TitleBold      bool
		HeaderBold     bool
		DataBold       bool
		D4Type         excelize.CellType
		D4NumFmt       int
		Freeze         bool
		YSplit         int
		TopLeft        string
		WideName       bool
		NarrowSTT      bool
	}
	got := layout{
		A1: value("A1"), A2: value("A2"), B3: value("B3"), D4: value("D4"),
		TitleBold: bold("A1"), HeaderBold: bold("B3"), DataBold: bold("B4"),
		D4Type: cellType("D4"), D4NumFmt: numFmt("D4"),
		Freeze: panes.Freeze, YSplit: panes.YSplit, TopLeft: panes.TopLeftCell,
		WideName: width >= 15, NarrowSTT: widthA <= 10,
	}
	want := layout{
		A1: "DANH SÁCH", A2: "", B3: "Họ và tên", D4: "012345678",
		TitleBold: true, HeaderBold: true, DataBold: false,
		D4Type: excelize.CellTypeInlineString, D4NumFmt: 49,
		Freeze: true, YSplit: 3, TopLeft: "A4",
		WideName: true, NarrowSTT: true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layout: got … want mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteCSVBytes(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCSV(&buf, []string{"Họ tên", "Ghi chú"}, [][]string{
		{"An", "=1+1"},
		{"Bình", "a,b"},
		{"Cường", "-5"},
		{"Dũng", "'@x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeffHọ tên,Ghi chú\r\nAn,'=1+1\r\nBình,\"a,b\"\r\nCường,-5\r\nDũng,''@x\r\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV: got %q, want %q", got, want)
	}
}

func TestSafeSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "Sheet1"},
		{"Danh sách", "Danh sách"},
		{"a/b\\c?d*e[f]g:h", "a-b-c-d-e-f-g-h"},
		{"'quoted'", "quoted"},
		{"History", "Sheet1"},
		{"Một tên rất dài quá ba mươi mốt ký tự", "Một tên rất dài quá ba mươi mốt"},
	}
	for _, tt := range tests {
		if got := safeSheetName(tt.in); got != tt.want {
			t.Errorf("safeSheetName(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(w *bytes.Buffer) error
	}{
		{"xlsx", func(w *bytes.Buffer) error { return WriteXLSX(w, "", "Tiêu đề", nil, nil) }},
		{"csv", func(w *bytes.Buffer) error { return WriteCSV(w, nil, nil) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatalf("write: got error %v, want nil", err)
			}
			if _, err := Read(&buf, "", "", memberFields, Limits{}); !errors.Is(err, ErrNoHeader) {
				t.Errorf("Read: got %v, want ErrNoHeader", err)
			}
		})
	}
}

// TestWriteDropsControls: no export writes a control or bidirectional
// character, whatever a record held before such text was refused.
func TestWriteDropsControls(t *testing.T) {
	rows := [][]string{{"Nguyễn\x1b[2J Văn\u202e An", "Bí thư\u0000\u009b\u2066"}}
	for _, format := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		var err error
		if format == "csv" {
			err = WriteCSV(&buf, []string{"Họ và tên", "Chức vụ"}, rows)
		} else {
			err = WriteXLSX(&buf, "Danh sách", "Danh sách\u202e", []string{"Họ và tên", "Chức vụ"}, rows)
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var text string
		if format == "csv" {
			text = buf.String()
		} else {
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				text += string(b)
			}
		}
		for _, bad := range []string{"\x1b", "\u202e", "\x00", "\u009b", "\u2066"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s export holds %+q", format, bad)
			}
		}
		if !strings.Contains(text, "Nguyễn[2J Văn An") {
			t.Errorf("%s export lost the text around the dropped characters", format)
		}
	}
}
