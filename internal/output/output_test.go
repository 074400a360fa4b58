package output

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

func TestDateInWords(t *testing.T) {
	for _, tc := range []struct {
		d    date.Date
		want string
	}{
		{date.New(2023, 9, 8), "ngày 08 tháng 9 năm 2023"},
		{date.New(2023, 8, 7), "ngày 07 tháng 8 năm 2023"},
		{date.New(2026, 2, 15), "ngày 15 tháng 02 năm 2026"},
		{date.New(2026, 1, 1), "ngày 01 tháng 01 năm 2026"},
		{date.New(2025, 12, 31), "ngày 31 tháng 12 năm 2025"},
		{date.New(2025, 3, 10), "ngày 10 tháng 3 năm 2025"},
	} {
		if got := DateInWords(tc.d); got != tc.want {
			t.Errorf("DateInWords(%s): got %q, want %q", tc.d, got, tc.want)
		}
	}
	if got, want := DateLine("Phú Xuyên", date.New(2023, 9, 8)), "Phú Xuyên, ngày 08 tháng 9 năm 2023"; got != want {
		t.Errorf("DateLine: got %q, want %q", got, want)
	}
}

func TestIssuerBlock(t *testing.T) {
	for _, tc := range []struct {
		unit, typ     string
		place         string
		capacity      string
		upper, number string
	}{
		{"Huyện ủy Phú Xuyên", "KH", "Phú Xuyên", "T/M BAN THƯỜNG VỤ", "HUYỆN ỦY PHÚ XUYÊN", "121-KH/HU"},
		{"Thành ủy Hà Nội", "CT", "Hà Nội", "T/M BAN THƯỜNG VỤ", "THÀNH ỦY HÀ NỘI", "24-CT/TU"},
		{"Huyện ủy Phú Xuyên", "NQ", "Phú Xuyên", "T/M BAN CHẤP HÀNH", "HUYỆN ỦY PHÚ XUYÊN", "3-NQ/HU"},
		{"Đảng bộ xã Phú Túc", "KH", "Phú Túc", "T/M ĐẢNG ỦY", "ĐẢNG BỘ XÃ PHÚ TÚC", "12-KH/ĐU"},
		{"Chi bộ thôn Đồng Vinh", "NQ", "Đồng Vinh", "T/M CHI BỘ", "CHI BỘ THÔN ĐỒNG VINH", "01-NQ/CB"},
	} {
		if got := PlaceOf(tc.unit); got != tc.place {
			t.Errorf("PlaceOf(%q): got %q, want %q", tc.unit, got, tc.place)
		}
		if got := SignatureFor(tc.unit, tc.typ).Capacity; got != tc.capacity {
			t.Errorf("SignatureFor(%q, %s): got %q, want %q", tc.unit, tc.typ, got, tc.capacity)
		}
		if got := Upper(tc.unit); got != tc.upper {
			t.Errorf("Upper(%q): got %q, want %q", tc.unit, got, tc.upper)
		}
		// The header as laid out: issuer in bold capitals top left, the
		// star under it, the number under the star.
		d := &Document{Header: Header{Upper: "Đảng bộ thành phố Hà Nội", Issuer: tc.unit, Number: tc.number, Place: tc.place, Date: date.New(2023, 9, 8)}, Type: "Kế hoạch", Summary: "x"}
		pages, err := d.Layout()
		if err != nil {
			t.Fatal(err)
		}
		var issuer, star, number, party, dateLine *Item
		for i := range pages[0].Items {
			it := &pages[0].Items[i]
			switch it.Text {
			case tc.upper:
				issuer = it
			case "*":
				star = it
			case "Số " + tc.number:
				number = it
			case Party:
				party = it
			case DateLine(tc.place, date.New(2023, 9, 8)):
				dateLine = it
			}
		}
		if issuer == nil || star == nil || number == nil || party == nil || dateLine == nil {
			t.Fatalf("%s: header items missing: issuer %v star %v number %v party %v date %v", tc.unit, issuer, star, number, party, dateLine)
		}
		if issuer.Style != Bold || !(issuer.Y < star.Y && star.Y < number.Y) || issuer.X > MarginLeft+leftColWidth {
			t.Errorf("%s: issuer %+v, star %+v, number %+v: want bold issuer over star over number, left", tc.unit, issuer, star, number)
		}
		if party.Style != Bold|Underline || party.X < rightColLeft || dateLine.Style != Italic || dateLine.Y <= party.Y {
			t.Errorf("%s: party %+v, date %+v: want the bold underlined heading right, the date in italics under it", tc.unit, party, dateLine)
		}
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"24-CT/TU": "24-CT-TU", "4529-QĐ/TU": "4529-QD-TU", "12-HD/BTCTU": "12-HD-BTCTU", "": "van-ban", "/": "van-ban", "3-NQ/ĐU": "3-NQ-DU"} {
		if got := FileName(in, "van-ban"); got != want {
			t.Errorf("FileName(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestBlocks(t *testing.T) {
	md := "## Mục đích\n\nChỉ thị *nhằm* tăng **cường** kỷ luật.\n\n- Một;\n- Hai\n  1. hai a\n  2. hai b\n\n> Trích dẫn\n\n| Đơn vị | Số |\n|---|--:|\n| Phú Túc | 12 |\n"
	got, err := Blocks(md)
	if err != nil {
		t.Fatal(err)
	}
	p := func(runs ...Run) []Block { return []Block{{Kind: Paragraph, Runs: runs, Align: AlignJustify}} }
	want := []Block{
		{Kind: Heading, Level: 2, Runs: []Run{{Text: "Mục đích"}}},
		{Kind: Paragraph, Align: AlignJustify, Runs: []Run{{Text: "Chỉ thị "}, {Text: "nhằm", Style: Italic}, {Text: " tăng "}, {Text: "cường", Style: Bold}, {Text: " kỷ luật."}}},
		{Kind: List, Start: 0, Items: [][]Block{
			p(Run{Text: "Một;"}),
			append(p(Run{Text: "Hai"}), Block{Kind: List, Ordered: true, Start: 1, Items: [][]Block{p(Run{Text: "hai a"}), p(Run{Text: "hai b"})}}),
		}},
		{Kind: Paragraph, Align: AlignJustify, Indent: 1, Runs: []Run{{Text: "Trích dẫn"}}},
		{Kind: Table, Head: true, Aligns: []Align{AlignLeft, AlignRight}, Rows: [][][]Run{
			{{{Text: "Đơn vị"}}, {{Text: "Số"}}},
			{{{Text: "Phú Túc"}}, {{Text: "12"}}},
		}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Blocks (-want +got):\n%s", d)
	}
}

func TestCleanText(t *testing.T) {
	m, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"Nguye\u0302\u0303n":           "Nguyễn", // NFD → NFC
		"Đảng\u202eủy":                 "Đảngủy",
		"a\x00b\x1bc\u200bd":           "abcd",
		"Hoan hô 👍🏽 nhé":               "Hoan hô ? nhé",
		"cờ 🇻🇳!":                       "cờ ?!",
		"gia đình 👨\u200d👩\u200d👧 vui": "gia đình ? vui",
		"tab\tvà\ndòng":                "tab và dòng",
		"中文":                           "?",
	} {
		if got := clean(m, in); got != want {
			t.Errorf("clean(%q): got %q, want %q", in, got, want)
		}
	}
	// Every Vietnamese letter, in both cases, is in every face.
	letters := "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
	for _, r := range letters + strings.ToUpper(letters) {
		if !m.covered[r] {
			t.Errorf("%q (U+%04X) is missing from the fonts", r, r)
		}
	}
}

// TestBadInput: each body is printed or refused with a keyed 4xx, never a
// panic; what is printed keeps within the bounds.
func TestBadInput(t *testing.T) {
	table10MB := "| a | b |\n|---|---|\n" + strings.Repeat("| xxxxxxxxxx | yyyyyyyyyy |\n", 10<<20/28)
	for _, tc := range []struct {
		name, body string
		key        string // "" when it prints
		code       apperr.Code
		check      func(t *testing.T, pages []Page)
	}{
		{name: "10 MB table", body: table10MB, key: "output.too_large", code: apperr.TooLarge},
		{name: "5,000 headings", body: strings.Repeat("## Mục\n\n", 5000), check: func(t *testing.T, pages []Page) {
			if n := countText(pages, "Mục"); n != 5000 {
				t.Errorf("got %d headings set, want 5000", n)
			}
		}},
		{name: "12,000 paragraphs", body: strings.Repeat("x\n\n", 12000), key: "output.too_many_blocks", code: apperr.Invalid},
		{name: "lists 100 deep", body: nested(100), key: "output.too_deep", code: apperr.Invalid},
		{name: "lists 8 deep", body: nested(7), check: func(t *testing.T, pages []Page) {
			if n := countText(pages, "mục"); n != 7 {
				t.Errorf("got %d items, want 7", n)
			}
		}},
		{name: "quotes 10,000 deep", body: strings.Repeat(">", 10000) + " x", key: "output.too_deep", code: apperr.Invalid},
		{name: "control characters", body: "a\x00b\x07c\x1b[31md\u0085e", check: func(t *testing.T, pages []Page) {
			if !hasText(pages, "abc[31mde") {
				t.Errorf("control characters kept: %v", texts(pages))
			}
		}},
		{name: "bidi overrides", body: "Nguyễn \u202eVăn\u202c A\u2066B\u2069", check: func(t *testing.T, pages []Page) {
			if !hasText(pages, "Nguyễn Văn AB") {
				t.Errorf("bidi controls kept: %v", texts(pages))
			}
		}},
		{name: "emoji", body: "Chúc mừng 🎉🎉 thành công 👍🏽", check: func(t *testing.T, pages []Page) {
			if !hasText(pages, "Chúc mừng ? thành công ?") {
				t.Errorf("emoji: %v", texts(pages))
			}
		}},
		{name: "21 columns", body: "|" + strings.Repeat(" a |", 21) + "\n|" + strings.Repeat("---|", 21) + "\n", key: "output.too_wide", code: apperr.Invalid},
		{name: "30,000 cells", body: "| a | b | c |\n|---|---|---|\n" + strings.Repeat("| 1 | 2 | 3 |\n", 10000), key: "output.too_many_cells", code: apperr.Invalid},
		{name: "code of 300,000 lines", body: "```\n" + strings.Repeat("x\n", 300000) + "```\n", key: "output.too_many_blocks", code: apperr.Invalid},
		{name: "a word of 200,000 letters", body: strings.Repeat("ư", 200000), check: func(t *testing.T, pages []Page) {
			if len(pages) < 10 {
				t.Errorf("got %d pages, want the word broken over many", len(pages))
			}
		}},
		{name: "a cell taller than a page", body: "| a | b |\n|---|---|\n| " + strings.Repeat("chữ ", 30000) + " | b |\n", key: "output.row_too_tall", code: apperr.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pages []Page
			blocks, err := Blocks(tc.body)
			if err == nil {
				d := &Document{Type: "Báo cáo", Summary: "thử", Body: blocks}
				pages, err = d.Layout()
				if err == nil {
					var sink countWriter
					if err = WritePDF(&sink, d); err == nil {
						err = WriteDOCX(&sink, d)
					}
				}
			}
			if tc.key == "" {
				if err != nil {
					t.Fatalf("got %v, want it printed", err)
				}
				tc.check(t, pages)
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) || e.Key != tc.key || e.Code != tc.code {
				t.Fatalf("got %v, want %s (%s)", err, tc.key, tc.code)
			}
		})
	}
}

// TestPageBound: a paper filled by code (a report) is bounded by pages.
func TestPageBound(t *testing.T) {
	runs := make([]Run, 0, 60000)
	for i := 0; i < 30000; i++ {
		runs = append(runs, Run{Text: "dòng"}, Run{Text: "\n"})
	}
	d := &Document{Body: []Block{{Kind: Paragraph, Runs: runs}}}
	_, err := d.Layout()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Key != "output.too_many_pages" {
		t.Fatalf("got %v, want output.too_many_pages", err)
	}
	var sink countWriter
	if err := WritePDF(&sink, d); !errors.As(err, &e) || e.Key != "output.too_many_pages" {
		t.Fatalf("PDF: got %v, want output.too_many_pages", err)
	}
}

func nested(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- mục\n")
	}
	return b.String()
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

func texts(pages []Page) []string {
	var out []string
	for _, p := range pages {
		for _, it := range p.Items {
			if it.Kind == TextItem {
				out = append(out, it.Text)
			}
		}
	}
	return out
}

func hasText(pages []Page, s string) bool {
	for _, t := range texts(pages) {
		if t == s {
			return true
		}
	}
	return false
}

func countText(pages []Page, s string) int {
	n := 0
	for _, t := range texts(pages) {
		if t == s {
			n++
		}
	}
	return n
}

var _ = time.Second

// TestJustified sets a long paragraph: each line but the last ends at the
// right margin (the spaces widened), the last one short of it.
func TestJustified(t *testing.T) {
	m, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Các cấp ủy, tổ chức đảng phải xác định rõ trách nhiệm của người đứng đầu trong xử lý công việc. ", 6)
	l := &layouter{m: m}
	l.newPage()
	l.para([]Run{{Text: strings.TrimSpace(text)}}, BodySize, MarginLeft, textWidth, 10, AlignJustify)
	if l.err != nil {
		t.Fatal(l.err)
	}
	ends := map[float64]float64{} // baseline → right end of its last word
	var order []float64
	for _, p := range l.pages {
		for _, it := range p.Items {
			if it.Kind != TextItem {
				continue
			}
			if _, ok := ends[it.Y]; !ok {
				order = append(order, it.Y)
			}
			ends[it.Y] = max(ends[it.Y], it.X+m.width(it.Text, it.Style, it.Size))
		}
	}
	if len(order) < 3 {
		t.Fatalf("%d lines, want a paragraph of several", len(order))
	}
	right := MarginLeft + textWidth
	for i, y := range order {
		last := i == len(order)-1
		if got := ends[y]; !last && math.Abs(got-right) > 0.05 {
			t.Errorf("line %d ends at %.2f mm, want the margin %.2f", i+1, got, right)
		} else if last && got > right-5 {
			t.Errorf("the last line ends at %.2f mm, want it ragged", got)
		}
	}
}

// TestRenderingRecovers: a panic inside a writer is an error naming the
// writer, not a crash.
func TestRenderingRecovers(t *testing.T) {
	err := rendering("docx", &Document{}, func(*metrics, *Document) error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "docx: boom") {
		t.Errorf("got %v, want an error with %q", err, "docx: boom")
	}
}
