package viet

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNFC(t *testing.T) {
	checkStrings(t, "NFC", NFC, []strCase{
		{"empty", "", ""},
		{"ascii", "Nguyen Van Dang", "Nguyen Van Dang"},
		{"already NFC", "Nguyễn Văn Đăng", "Nguyễn Văn Đăng"},
		// e + circumflex + tilde, a + breve, D + nothing (Đ never decomposes).
		{"NFD", "Nguye\u0302\u0303n Va\u0306n Đa\u0306ng", "Nguyễn Văn Đăng"},
		{"tilde before circumflex is another letter", "e\u0303\u0302", "ẽ\u0302"},
		{"dot below then hook", "o\u031b\u0323", "ợ"},
	})
}

func TestClean(t *testing.T) {
	checkStrings(t, "Clean", Clean, []strCase{
		{"empty", "", ""},
		{"only spaces", " \t\u00a0\u200b ", ""},
		{"clean ascii", "Chi bo 1", "Chi bo 1"},
		{"clean vietnamese", "Chi bộ thôn Hạ Thái", "Chi bộ thôn Hạ Thái"},
		{"trim", "  Nguyễn Văn Đăng\t", "Nguyễn Văn Đăng"},
		{"double space", "Nguyễn  Văn   Đăng", "Nguyễn Văn Đăng"},
		{"nbsp", "Nguyễn\u00a0Văn\u00a0Đăng", "Nguyễn Văn Đăng"},
		{"tab and newline", "Nguyễn\tVăn\r\nĐăng", "Nguyễn Văn Đăng"},
		{"zero width space between words", "Nguyễn\u200bVăn \u200b Đăng", "Nguyễn Văn Đăng"},
		{"narrow nbsp and ideographic space", "Phú\u202fXuyên\u3000Hà Nội", "Phú Xuyên Hà Nội"},
		{"bom at start", "\ufeffĐảng ủy", "Đảng ủy"},
		{"NFD is composed", "Nguye\u0302\u0303n  Va\u0306n", "Nguyễn Văn"},
		{"soft hyphen kept (it is ư in TCVN3)", "Tr\u00ad¬ng", "Tr\u00ad¬ng"},
		{"zero width joiner kept", "a\u200db", "a\u200db"},
	})
}

func TestCleanIdempotent(t *testing.T) {
	for _, s := range []string{"", " a  b ", "\u00a0Nguye\u0302\u0303n\u200b", "x\ty\nz", "Lê Văn Đức"} {
		once := Clean(s)
		if twice := Clean(once); twice != once {
			t.Errorf("Clean(Clean(%+q)) = %+q, want %+q", s, twice, once)
		}
		if !norm.NFC.IsNormalString(once) {
			t.Errorf("Clean(%+q) = %+q is not NFC", s, once)
		}
	}
}

// Clean runs on every imported cell; clean input must not allocate.
func TestCleanDoesNotAllocateOnCleanInput(t *testing.T) {
	for _, s := range []string{"Chi bo 1", "Nguyễn Văn Đăng", ""} {
		if n := testing.AllocsPerRun(100, func() { _ = Clean(s) }); n != 0 {
			t.Errorf("Clean(%q) allocates %v times, want 0", s, n)
		}
	}
}

// strCase is a case of a string function: its name, the input and the
// result wanted.
type strCase struct{ name, in, want string }

// checkStrings runs f on each case, as a subtest named by the case.
func checkStrings(t *testing.T, fname string, f func(string) string, tests []strCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f(tt.in); got != tt.want {
				t.Errorf("%s(%+q) = %+q, want %+q", fname, tt.in, got, tt.want)
			}
		})
	}
}
