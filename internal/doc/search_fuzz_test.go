package doc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseQuery checks that any search box input parses without panic
// into a bounded query of folded terms, and that highlighting keeps the
// text (only « and » are added) and stays valid UTF-8.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"chi thi 24 ky cuong", "24/CT-TU", "24 CT TU", "Số 4529-QĐ/TU về", "Đảng viên", "  ", "«»", "a b c d e f g h i j k l m n o p", "\u0301\u0303", "12-HD/BTCTU kế hoạch"} {
		f.Add(s, "Chỉ thị 24-CT/TU về tăng cường kỷ cương, kỷ luật")
	}
	f.Fuzz(func(t *testing.T, query, text string) {
		q := ParseQuery(query)
		if len(q.Terms) > maxTerms {
			t.Fatalf("%d terms, want at most %d", len(q.Terms), maxTerms)
		}
		for _, term := range q.Terms {
			if term == "" || strings.ContainsAny(term, " ") || term != SearchText(term) {
				t.Fatalf("term %q is not a single folded word", term)
			}
		}
		if !utf8.ValidString(text) {
			return
		}
		h := q.Highlight(text)
		if !utf8.ValidString(h) {
			t.Fatalf("highlight is not valid UTF-8: %q", h)
		}
		if got := strings.NewReplacer("«", "", "»", "").Replace(h); got != strings.NewReplacer("«", "", "»", "").Replace(text) {
			t.Fatalf("highlight changed the text: %q → %q", text, h)
		}
	})
}
