package viet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode Normalization Form C.
//
// Vietnamese text reaches us in two shapes: precomposed ("ễ" as one code
// point, what Windows and most keyboards produce) and decomposed ("e" + U+0302
// + U+0303, what macOS file names and some web forms produce). They look the
// same but compare unequal byte for byte, so every string that is stored,
// compared or used as a key must go through NFC first. Already-normalised
// input, by far the common case, is returned without allocating.
func NFC(s string) string {
	return norm.NFC.String(s)
}

// Clean returns s in NFC with leading and trailing white space removed and
// every internal run of white space replaced by one ASCII space.
//
// Spreadsheets and copy-paste from Word or the web bring in non-breaking
// spaces (U+00A0), tabs, line breaks and zero-width spaces that are invisible
// on screen yet make two spellings of one name differ byte for byte. Clean is
// the normal form for any free text a person typed: names, addresses, titles.
// It leaves other invisible characters (such as the soft hyphen, which is the
// letter ư in TCVN3 text) alone, so DecodeLegacy still works on its output.
func Clean(s string) string {
	s = NFC(s)
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false // a space is owed before the next non-space rune
	for _, r := range s {
		if isSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether s has no leading or trailing white space and
// no white space other than single ASCII spaces between words, that is
// whether collapsing white space would leave it unchanged. It lets Clean and
// Fold return their input without allocating in the common case.
func isCollapsed(s string) bool {
	prevSpace := true // a leading space counts as a second one in a row
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
				continue
			}
			if '\t' <= c && c <= '\r' {
				return false
			}
			prevSpace = false
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if isSpace(r) {
			return false
		}
		prevSpace = false
	}
	return !prevSpace || len(s) == 0
}

// isSpace reports whether r separates words. On top of Unicode White_Space
// (which covers U+00A0, U+2000–U+200A, U+202F, U+3000 …) it treats as space
// the zero-width characters that office software inserts between words
// (U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+FEFF, a stray byte-order
// mark, and U+180E MONGOLIAN VOWEL SEPARATOR, white space before Unicode 6.3).
// Zero-width (non-)joiners are left alone: they shape scripts that need them.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || ('\t' <= r && r <= '\r')
	}
	switch r {
	case 0x200B, 0x2060, 0xFEFF, 0x180E:
		return true
	}
	return unicode.IsSpace(r)
}
