package sheet

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// clean normalises one cell text: NFC, whitespace (including NBSP, tabs and
// line breaks) collapsed to single spaces, surrounding spaces trimmed, and
// invisible format characters (zero-width space, BOM, soft hyphen,
// direction marks) and control characters removed.
func clean(s string) string {
	if s == "" {
		return ""
	}
	if isPlainASCII(s) {
		// Fast path: nothing to normalise but ASCII spacing.
		if !needsSpaceFix(s) {
			return s
		}
	} else {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		s = norm.NFC.String(s) // returns s itself when already NFC
		if isTidy(s) {
			return s
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case isInvisible(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isTidy reports whether s has no leading, trailing or repeated space, no
// space other than U+0020 and no invisible character.
func isTidy(s string) bool {
	prevSpace := true // a leading space is untidy
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case unicode.IsSpace(r), isInvisible(r):
			return false
		}
		prevSpace = false
	}
	return !prevSpace
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// needsSpaceFix reports whether an ASCII string has leading/trailing or
// repeated spaces, or any control character.
func needsSpaceFix(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return true
		}
		if c == ' ' && i+1 < len(s) && s[i+1] == ' ' {
			return true
		}
	}
	return false
}

func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f', '\ufffe':
		return true
	}
	return unicode.IsControl(r)
}

// fold turns a header text or alias into a comparison key: diacritics and
// case removed (đ→d), every run of punctuation, symbols and spaces removed.
// "Ngày sinh (*)" and "NGAY SINH" give the same key.
func fold(s string) string {
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð':
			b.WriteByte('d')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stripTrailingNote removes one trailing parenthesised or bracketed note from
// a header text: "Số thẻ (12 số)" → "Số thẻ".
func stripTrailingNote(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	var open byte
	switch s[len(s)-1] {
	case ')':
		open = '('
	case ']':
		open = '['
	default:
		return s
	}
	i := strings.LastIndexByte(s, open)
	if i <= 0 {
		return s
	}
	return strings.TrimSpace(s[:i])
}

// formatNumber renders a stored spreadsheet number the way Excel shows it in
// a General cell, but never with an exponent: at most 15 significant digits,
// no trailing zeros or ".0". ok is false when raw is not a finite number.
func formatNumber(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	if v == 0 {
		return "0", true
	}
	// Round to 15 significant digits as Excel does, then print plainly.
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err == nil {
		v = r
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}

// ParseDate parses a date written as text in one of the forms found in
// Vietnamese office files: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and
// yyyy-mm-dd (also yyyy/mm/dd and yyyy.mm.dd). The two separators must be
// the same. A trailing time of day ("15/03/1990 00:00:00") is ignored. The
// date must exist in the calendar. Spreadsheet serial numbers are not
// accepted: a date cell is already converted by Read (Cell.Date).
func ParseDate(s string) (y, m, d int, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i > 0 {
		if !isTimeOfDay(strings.TrimSpace(s[i+1:])) {
			return 0, 0, 0, false
		}
		s = s[:i]
	} else if i := strings.IndexByte(s, 'T'); i == 10 {
		// ISO 8601 date-time: 1990-03-15T00:00:00
		s = s[:i]
	}
	var parts [3]string
	var sep byte
	n := 0
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c != '/' && c != '-' && c != '.' {
			return 0, 0, 0, false
		}
		if sep == 0 {
			sep = c
		} else if c != sep {
			return 0, 0, 0, false
		}
		if n >= 2 {
			return 0, 0, 0, false
		}
		parts[n] = s[start:i]
		n++
		start = i + 1
	}
	if n != 2 {
		return 0, 0, 0, false
	}
	parts[2] = s[start:]
	for _, p := range parts {
		if p == "" {
			return 0, 0, 0, false
		}
	}
	if len(parts[0]) == 4 {
		if len(parts[1]) > 2 || len(parts[2]) > 2 {
			return 0, 0, 0, false
		}
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	} else {
		if len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 4 {
			return 0, 0, 0, false
		}
		d, m, y = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	}
	if !validDate(y, m, d) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func isTimeOfDay(s string) bool {
	// h:mm, hh:mm:ss, optionally with AM/PM or SA/CH; digits and colons only.
	s = strings.TrimSpace(strings.TrimRight(strings.ToUpper(s), "APMSCH "))
	if s == "" {
		return false
	}
	colons := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			colons++
		case c == '.' && colons == 2:
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return colons == 1 || colons == 2
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}
