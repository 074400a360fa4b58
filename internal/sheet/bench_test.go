package sheet

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// memberSheet10k builds a 10,000-row, 12-column member list as Excel saves
// it: shared strings, dates as serials with date formats, card numbers
// stored as numbers, a title above the header.
func memberSheet10k(b *testing.B) []byte {
	const n = 10000
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	d14, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(b, err)
	dmy := "dd/mm/yyyy"
	dCustom, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dmy})
	must(b, err)
	must(b, f.SetCellStr(sh, "A1", "DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ PHƯỜNG BẾN NGHÉ"))
	setRow(b, f, sh, "A3", []any{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Quê quán", "Dân tộc",
		"Tôn giáo", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Chức vụ", "Ghi chú"}...)
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"}
	middle := []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc"}
	given := []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quỳnh"}
	towns := []string{"Hà Nội", "Nam Định", "Thái Bình", "Nghệ An", "Quảng Nam", "TP. Hồ Chí Minh"}
	for i := 0; i < n; i++ {
		gender := "Nam"
		if i%2 == 1 {
			gender = "Nữ"
		}
		name := fmt.Sprintf("%s %s %s", family[i%len(family)], middle[i%len(middle)], given[i%len(given)])
		row := []any{
			i + 1, name, gender,
			serial(1950+i%50, 1+i%12, 1+i%28),
			towns[i%len(towns)], "Kinh", "Không",
			serial(1975+i%45, 1+i%12, 1+i%28),
			serial(1976+i%45, 1+i%12, 1+i%28),
			10000000 + i*7, "Đảng viên", "",
		}
		must(b, f.SetSheetRow(sh, fmt.Sprintf("A%d", 4+i), &row))
	}
	must(b, f.SetCellStyle(sh, "D4", fmt.Sprintf("D%d", 3+n), d14))
	must(b, f.SetCellStyle(sh, "H4", fmt.Sprintf("I%d", 3+n), dCustom))
	var buf bytes.Buffer
	must(b, f.Write(&buf))
	return buf.Bytes()
}

func BenchmarkReadXLSX10k(b *testing.B) {
	data := memberSheet10k(b)
	fields := append([]Field(nil), memberFields...)
	fields = append(fields,
		Field{Name: "hometown", Aliases: []string{"Quê quán"}},
		Field{Name: "ethnicity", Aliases: []string{"Dân tộc"}},
		Field{Name: "religion", Aliases: []string{"Tôn giáo"}},
		Field{Name: "official", Aliases: []string{"Ngày chính thức"}},
		Field{Name: "position", Aliases: []string{"Chức vụ"}},
	)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t, err := Read(bytes.NewReader(data), "ds.xlsx", "", fields, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if len(t.Rows) != 10000 {
			b.Fatalf("got %d rows, want 10000", len(t.Rows))
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
