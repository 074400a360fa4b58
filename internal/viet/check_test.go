package viet

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestCheckLineAndText(t *testing.T) {
	for _, tt := range []struct {
		name      string
		in        string
		line      string // the error of CheckLine ("" for none)
		text      string // the error of CheckText
		printable string // Printable(in)
	}{
		{"Vietnamese", "Nguyễn Thị Ánh Tuyết", "", "", "Nguyễn Thị Ánh Tuyết"},
		{"empty", "", "", "", ""},
		{"NUL", "An\x00", "control character U+0000 at character 3", "control character U+0000 at character 3", "An"},
		{"ESC sequence", "Văn \x1b[31mAn", "control character U+001B at character 5", "control character U+001B at character 5", "Văn [31mAn"},
		{"DEL", "a\x7fb", "control character U+007F at character 2", "control character U+007F at character 2", "ab"},
		{"C1 CSI", "Bí thư\u009b", "control character U+009B at character 7", "control character U+009B at character 7", "Bí thư"},
		{"tab", "a\tb", "control character U+0009 at character 2", "", "a\tb"},
		{"line feed", "a\nb", "control character U+000A at character 2", "", "a\nb"},
		{"CR LF", "a\r\nb", "control character U+000D at character 2", "", "a\r\nb"},
		{"lone CR", "a\rb", "control character U+000D at character 2", "control character U+000D at character 2", "ab"},
		{"RLO", "exe.\u202efdp", "bidirectional control U+202E at character 5", "bidirectional control U+202E at character 5", "exe.fdp"},
		{"LRE", "\u202aA", "bidirectional control U+202A at character 1", "bidirectional control U+202A at character 1", "A"},
		{"isolates", "a\u2066b\u2069", "bidirectional control U+2066 at character 2", "bidirectional control U+2066 at character 2", "ab"},
		{"LRM RLM", "\u200e\u200f", "bidirectional control U+200E at character 1", "bidirectional control U+200E at character 1", ""},
		{"Arabic letter mark", "x\u061c", "bidirectional control U+061C at character 2", "bidirectional control U+061C at character 2", "x"},
		{"invalid UTF-8", "Ng\xffn", "invalid UTF-8 at character 3", "invalid UTF-8 at character 3", "Ng\ufffdn"},
		{"zero-width joiner kept", "a\u200db", "", "", "a\u200db"},
		{"NBSP kept", "a\u00a0b", "", "", "a\u00a0b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := errString(CheckLine(tt.in)); got != tt.line {
				t.Errorf("CheckLine(%+q): got %q, want %q", tt.in, got, tt.line)
			}
			if got := errString(CheckText(tt.in)); got != tt.text {
				t.Errorf("CheckText(%+q): got %q, want %q", tt.in, got, tt.text)
			}
			if got := Printable(tt.in); got != tt.printable {
				t.Errorf("Printable(%+q): got %+q, want %+q", tt.in, got, tt.printable)
			}
		})
	}
	var te *TextError
	if err := CheckLine("a\x1b"); !errors.As(err, &te) || te.Rune != 0x1b || te.Pos != 2 {
		t.Errorf("CheckLine error: got %#v, want a *TextError for U+001B at 2", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzCheck: CheckLine is stricter than CheckText; Printable gives text
// CheckText accepts, leaves accepted text alone and is idempotent.
//
//	go test -run '^$' -fuzz FuzzCheck -fuzztime 20s ./internal/viet/
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", "a\x00b", "\x1b[2J", "a\r\nb\rc", "\u202egpj.exe", "\xff\xfe", "\u0085", "\u2069x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckLine(s) == nil && CheckText(s) != nil {
			t.Fatalf("CheckLine accepts %+q but CheckText refuses it", s)
		}
		p := Printable(s)
		if err := CheckText(p); err != nil {
			t.Fatalf("Printable(%+q) = %+q, refused: %v", s, p, err)
		}
		if CheckText(s) == nil && p != s {
			t.Fatalf("Printable(%+q) = %+q: changed accepted text", s, p)
		}
		if Printable(p) != p {
			t.Fatalf("Printable is not idempotent on %+q", s)
		}
		if utf8.ValidString(s) && CheckText(s) != nil && len(p) >= len(s) {
			t.Fatalf("Printable(%+q) = %+q dropped nothing", s, p)
		}
	})
}
