package sheet

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/xuri/excelize/v2"
)

// TestReadLegacyPerColumn: offices retype the header and some columns in
// Unicode and keep others in a legacy font. The encoding is decided per
// column, and from the cell's font when it is a legacy one.
func TestReadLegacyPerColumn(t *testing.T) {
	vni := func(s string) string { return viet.EncodeLegacy(s, viet.VNI) }
	plain := func(s string) string { return s }
	fields := []Field{
		{Name: "name", Aliases: []string{"Họ và tên"}, Required: true},
		{Name: "home", Aliases: []string{"Quê quán"}},
		{Name: "note", Aliases: []string{"Ghi chú"}},
	}
	// Names and notes, and home towns whose Unicode spelling is all Latin-1
	// ("Hà Tây"): decoding them as TCVN3 because the names are would garble them.
	names := []string{"Nguyễn Văn Đức", "Lê Thị Hà", "Trần Quốc Việt"}
	homes := []string{"Hà Tây", "Bà Rịa", "Hà Tây"}
	notes := []string{"Chuyển đến từ Đà Nẵng", "Đảng viên mới", "Chi ủy viên"}
	type column struct {
		encode func(string) string
		font   string // "" for the default font
	}
	xlsxOf := func(cols [3]column) []byte {
		return buildXLSX(t, func(f *excelize.File, sh string) {
			setRow(t, f, sh, "A1", "Họ và tên", "Quê quán", "Ghi chú") // the header, retyped in Unicode
			for c, col := range cols {
				values := [][]string{names, homes, notes}[c]
				for r, v := range values {
					cell := fmt.Sprintf("%c%d", 'A'+c, r+2)
					must(t, f.SetCellStr(sh, cell, col.encode(v)))
					if col.font != "" {
						must(t, f.SetCellStyle(sh, cell, cell, style(t, f, &excelize.Style{Font: &excelize.Font{Family: col.font}})))
					}
				}
			}
		})
	}
	want := func(enc string) *Table {
		tb := &Table{HeaderRow: 1, Columns: []string{"name", "home", "note"}, Headers: []string{"Họ và tên", "Quê quán", "Ghi chú"}, Encoding: enc}
		for i := range names {
			tb.Rows = append(tb.Rows, row(i+2, txt(names[i]), txt(homes[i]), txt(notes[i])))
		}
		return tb
	}
	csvOf := func(cols [3]func(string) string) []byte {
		records := [][]string{{"Họ và tên", "Quê quán", "Ghi chú"}}
		for i := range names {
			records = append(records, []string{cols[0](names[i]), cols[1](homes[i]), cols[2](notes[i])})
		}
		return []byte(joinCSV(",", records))
	}
	tests := []struct {
		name string
		data []byte
		want *Table
	}{
		{"names in .VnTime, the rest Unicode", xlsxOf([3]column{{tcvn3, ".VnTime"}, {plain, ""}, {plain, ""}}), want("tcvn3")},
		{"names in .VnTimeH, notes in VNI-Times", xlsxOf([3]column{{tcvn3, ".VnTimeH"}, {plain, "Times New Roman"}, {vni, "VNI-Times"}}), want("tcvn3,vni")},
		{"names in TCVN3 without the font (column evidence)", xlsxOf([3]column{{tcvn3, ""}, {plain, ""}, {plain, ""}}), want("tcvn3")},
		{"csv: names TCVN3, notes VNI, home towns Unicode", csvOf([3]func(string) string{tcvn3, plain, vni}), want("tcvn3,vni")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkReadAs(t, tt.data, "", "", fields, tt.want)
		})
	}
	// A cell in a legacy font holding Unicode beyond Latin-1 (fixed by
	// hand) stays as it is.
	t.Run("Unicode text in a .VnTime cell", func(t *testing.T) {
		data := xlsxOf([3]column{{plain, ".VnTime"}, {plain, ""}, {plain, ""}})
		got, err := Read(bytes.NewReader(data), "", "", fields, Limits{})
		if err != nil {
			t.Fatalf("Read: got error %v", err)
		}
		if got.Rows[0].Cells[0].Value != names[0] {
			t.Errorf("Read: got %q, want %q", got.Rows[0].Cells[0].Value, names[0])
		}
	})
}

func TestFontEncoding(t *testing.T) {
	tests := []struct {
		font string
		want viet.Encoding
	}{
		{".VnTime", viet.TCVN3}, {".VnTimeH", viet.TCVN3}, {".VnArial", viet.TCVN3}, {".vnArial NarrowH", viet.TCVN3},
		{"VNI-Times", viet.VNI}, {"VNI-Helve", viet.VNI}, {"vni-aptima", viet.VNI},
		{"Times New Roman", viet.None}, {"Arial", viet.None}, {"Calibri", viet.None}, {"VnTime", viet.None}, {"", viet.None},
	}
	for _, tt := range tests {
		if got := FontEncoding(tt.font); got != tt.want {
			t.Errorf("FontEncoding(%q): got %q, want %q", tt.font, got, tt.want)
		}
	}
}
