package sheet

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

func TestParseDate(t *testing.T) {
	type ymd struct {
		Y, M, D int
		OK      bool
	}
	tests := []struct {
		in   string
		want ymd
	}{
		{"15/03/1990", ymd{1990, 3, 15, true}},
		{"5/3/1990", ymd{1990, 3, 5, true}},
		{"15-03-1990", ymd{1990, 3, 15, true}},
		{"15.03.1990", ymd{1990, 3, 15, true}},
		{"1990-03-15", ymd{1990, 3, 15, true}},
		{"1990/3/5", ymd{1990, 3, 5, true}},
		{" 29/02/2000 ", ymd{2000, 2, 29, true}},
		{"15/03/1990 00:00:00", ymd{1990, 3, 15, true}},
		{"15/03/1990 0:00", ymd{1990, 3, 15, true}},
		{"1990-03-15T00:00:00Z", ymd{1990, 3, 15, true}},
		{"29/02/1900", ymd{}},
		{"31/04/1990", ymd{}},
		{"15/13/1990", ymd{}},
		{"00/01/1990", ymd{}},
		{"15/03-1990", ymd{}},
		{"15/03/90", ymd{}},
		{"1990", ymd{}},
		{"32874", ymd{}},
		{"15/03/1990 abc", ymd{}},
		{"1990-03-15-01", ymd{}},
		{"", ymd{}},
		{"//", ymd{}},
		{"ngày 15/03/1990", ymd{}},
	}
	for _, tt := range tests {
		y, m, d, ok := ParseDate(tt.in)
		if got := (ymd{y, m, d, ok}); got != tt.want {
			t.Errorf("ParseDate(%q): got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"1234567", "1234567", true},
		{"1.2345678E+7", "12345678", true},
		{"1.2345678e7", "12345678", true},
		{"12345678.0", "12345678", true},
		{"0.30000000000000004", "0.3", true},
		{"12.300000000000001", "12.3", true},
		{"-0", "0", true},
		{"-12.5", "-12.5", true},
		{"1E-3", "0.001", true},
		{"1E+21", "1000000000000000000000", true},
		{"123456789012", "123456789012", true},
		{" 42 ", "42", true},
		{"abc", "", false},
		{"NaN", "", false},
		{"Inf", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := formatNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("formatNumber(%q): got (%q, %v), want (%q, %v)", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSerialDate(t *testing.T) {
	tests := []struct {
		serial   float64
		date1904 bool
		want     string
		ok       bool
	}{
		{1, false, "1900-01-01", true},
		{59, false, "1900-02-28", true},
		{60, false, "", false}, // Excel's phantom 29 February 1900
		{61, false, "1900-03-01", true},
		{32947, false, "1990-03-15", true},
		{32947.75, false, "1990-03-15", true},
		{45658, false, "2025-01-01", true},
		{2958465, false, "9999-12-31", true},
		{2958466, false, "", false},
		{0, false, "", false},
		{-1, false, "", false},
		{0, true, "1904-01-01", true},
		{31485, true, "1990-03-15", true},
	}
	for _, tt := range tests {
		got, ok := serialDate(tt.serial, tt.date1904)
		if got != tt.want || ok != tt.ok {
			t.Errorf("serialDate(%v, %v): got (%q, %v), want (%q, %v)", tt.serial, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"dd/mm/yyyy", true},
		{"d/m/yy", true},
		{"[$-42A]dd/mm/yyyy;@", true},
		{"[$-F800]dddd, mmmm dd, yyyy", true},
		{"mmm-yy", true},
		{"mmmm", true},
		{`yyyy"年"m"月"d"日"`, true},
		{"dd/mm/yyyy hh:mm", true},
		{"h:mm AM/PM", false},
		{"mm:ss", false},
		{"[h]:mm:ss", false},
		{"[mm]:ss", false},
		{"General", false},
		{"@", false},
		{"0", false},
		{"#,##0.00", false},
		{"0.00E+00", false},
		{`#,##0 "đồng"`, false},
		{`0 "ngày"`, false},
		{`\d0`, false},
		{"[Red]#,##0;[Blue]-#,##0", false},
		{`#,##0;"dd"`, false},
	}
	for _, tt := range tests {
		if got := isDateFormat(tt.code); got != tt.want {
			t.Errorf("isDateFormat(%q): got %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"  a  b  ", "a b"},
		{"a\tb\r\nc", "a b c"},
		{"Nguyễn\u00a0Văn\u2003An", "Nguyễn Văn An"},
		{norm.NFD.String("Nguyễn Thị Ánh"), "Nguyễn Thị Ánh"},
		{"\ufeffHọ\u200b tên\u00ad", "Họ tên"},
		{"a\x00b\x07c", "abc"},
		{"\xff\xfe", "\ufffd"}, // a run of invalid bytes becomes one U+FFFD
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatcher(t *testing.T) {
	m := newMatcher(memberFields)
	tests := []struct{ header, want string }{
		{"Họ và tên", "name"},
		{"HỌ VÀ TÊN", "name"},
		{"ho va ten", "name"},
		{"Họ và tên (*)", "name"},
		{"Họ và\ntên", "name"},
		{"  Họ tên:  ", "name"},
		{norm.NFD.String("Họ tên"), "name"},
		{"Số thẻ ĐV", "card"},
		{"SO THE DANG VIEN", "card"},
		{"Ngày, tháng, năm sinh", "birth"},
		{"Ngày sinh (dd/mm/yyyy)", "birth"},
		{"NGÀY VÀO ĐẢNG", "joined"},
		{"name", "name"},
		{"Tên", ""},
		{"Ngày", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := m.match(tt.header); got != tt.want {
			t.Errorf("match(%q): got %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name, text string
		want       rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"semicolon with commas in addresses", "Họ tên;Địa chỉ;Số thẻ\nAn;Số 1, phố Huế, Hà Nội;01\nBình;Số 2, ngõ 3;02\n", ';'},
		{"tab", "a\tb\tc\n1\t2,5\t3\n", '\t'},
		{"title line without delimiter", "DANH SÁCH\n\na;b;c\n1;2;3\n", ';'},
		{"single column", "a\nb\n", ','},
	}
	for _, tt := range tests {
		if got := detectDelimiter(tt.text); got != tt.want {
			t.Errorf("%s: detectDelimiter: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTableHelpers(t *testing.T) {
	tb := &Table{Columns: []string{"", "name", "card"}}
	got := []any{tb.Index("name"), tb.Index("card"), tb.Index("birth"), tb.Index(""), tb.Missing(memberFields)}
	want := []any{1, 2, -1, -1, []string(nil)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Index/Missing: got … want mismatch (-want +got):\n%s", diff)
	}
	tb.Columns = []string{"card"}
	if got, want := tb.Missing(memberFields), []string{"name"}; !cmp.Equal(got, want) {
		t.Errorf("Missing: got %v, want %v", got, want)
	}
}
