package viet

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	checkStrings(t, "Fold", Fold, []strCase{
		{"empty", "", ""},
		{"only white space", " \u00a0\t\u200b", ""},
		{"folded ascii", "nguyen van dang", "nguyen van dang"},
		{"ascii upper", "NGUYEN Van DANG", "nguyen van dang"},
		{"NFC", "Nguyễn Văn Đăng", "nguyen van dang"},
		{"NFD", "Nguye\u0302\u0303n Va\u0306n Đa\u0306ng", "nguyen van dang"},
		{"upper case", "NGUYỄN VĂN ĐĂNG", "nguyen van dang"},
		{"white space collapsed", "  Nguyễn\u00a0\u00a0Văn\tĐăng \n", "nguyen van dang"},
		{"zero width space", "Phú\u200bXuyên", "phu xuyen"},
		{"party unit", "Đảng ủy xã Phú Túc", "dang uy xa phu tuc"},
		{"cell", "Chi bộ thôn Hạ Thái", "chi bo thon ha thai"},
		{"horn letters", "Phượng Dực, Trương, Ơn", "phuong duc, truong, on"},
		{"all tones of a", "a à á ả ã ạ", "a a a a a a"},
		{"eth used for Đ", "Ðặng", "dang"},
		{"digits and punctuation kept", "Tổ 5 - P.Hòa Bình (Q.1)", "to 5 - p.hoa binh (q.1)"},
		{"western", "Müller José Ærø Øresund Łódź straße", "muller jose aero oresund lodz strasse"},
		{"full width", "ＮＧＵＹＥＮ", "nguyen"},
		{"ligature", "ﬁlm", "film"},
		{"mathematical bold", "𝐍𝐠𝐮𝐲𝐞̂̃𝐧", "nguyen"},
		{"greek", "ΆΘΗΝΑ", "αθηνα"},
		{"cyrillic", "Ёлка", "елка"},
		{"soft hyphen and bidi marks dropped", "Tr\u00adương\u200e", "truong"},
		{"han unchanged", "阮文登", "阮文登"},
		{"invalid utf-8 becomes U+FFFD", "a\xffb", "a\ufffdb"},
	})
}

// Every Vietnamese letter, upper and lower case, folds to its ASCII base.
func TestFoldVietnameseLetters(t *testing.T) {
	n := 0
	for r, l := range letterOf {
		want := "d"
		if l.vowel >= 0 {
			// a ă â e ê i o ô ơ u ư y
			want = "aaaeeiooouuy"[l.vowel : l.vowel+1]
		}
		if r >= 0x80 {
			n++
		}
		for _, in := range []string{string(r), norm.NFD.String(string(r))} {
			if got := Fold(in); got != want {
				t.Errorf("Fold(%+q) = %q, want %q", in, got, want)
			}
		}
	}
	if n != 134 {
		t.Errorf("found %d non-ASCII Vietnamese letters, want 134", n)
	}
}

// Names typed on different systems must fold alike.
func TestFoldNFCAndNFDAgree(t *testing.T) {
	for _, s := range vietnameseSamples {
		nfc, nfd := norm.NFC.String(s), norm.NFD.String(s)
		if a, b := Fold(nfc), Fold(nfd); a != b {
			t.Errorf("Fold(NFC %q) = %q, Fold(NFD) = %q", s, a, b)
		}
	}
}

// Every single code point folds to lower case without marks, and folding
// again changes nothing: the invariants FuzzFold checks, here exhaustively
// over runes.
func TestFoldEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("exhaustive over all code points")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if 0xD800 <= r && r < 0xE000 {
			continue
		}
		checkFoldInvariants(t, string(r))
	}
}

func checkFoldInvariants(t *testing.T, in string) {
	t.Helper()
	got := Fold(in)
	if !utf8.ValidString(got) {
		t.Fatalf("Fold(%+q) = %+q is not valid UTF-8", in, got)
	}
	for _, r := range got {
		if unicode.IsUpper(r) || unicode.Is(unicode.Mn, r) {
			t.Fatalf("Fold(%+q) = %+q contains %U (upper case or mark)", in, got, r)
		}
		if isSpace(r) && r != ' ' {
			t.Fatalf("Fold(%+q) = %+q contains white space %U", in, got, r)
		}
	}
	if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
		t.Fatalf("Fold(%+q) = %+q has uncollapsed spaces", in, got)
	}
	if again := Fold(got); again != got {
		t.Fatalf("Fold(Fold(%+q)) = %+q, want %+q", in, again, got)
	}
}

func TestFoldAllocations(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"nguyen van dang", 0}, // already folded: returned as is
		{"Nguyễn Văn Đăng", 1}, // the result string only
		{"NGUYEN VAN DANG", 1},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, func() { _ = Fold(tt.in) }); got != tt.want {
			t.Errorf("Fold(%q) allocates %v times, want %v", tt.in, got, tt.want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	benchmarks := []struct{ name, in string }{
		{"folded-ascii", "nguyen van dang"},
		{"ascii", "Nguyen Van Dang"},
		{"nfc", "Nguyễn Văn Đăng"},
		{"nfd", norm.NFD.String("Nguyễn Văn Đăng")},
		{"unit", "Đảng ủy xã Phú Túc, huyện Phú Xuyên"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Fold(bm.in)
			}
		})
	}
}
