package viet

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search form of s: lower case, without diacritics, with
// đ/Đ folded to d and white space collapsed as Clean does.
//
// People search for "nguyen van dang" as often as for "Nguyễn Văn Đăng", and
// for "đang" when they mean "Đăng"; comparing folded forms makes all of them
// match. Folding also erases the difference between precomposed (NFC) and
// decomposed (NFD) input, and between letters that only differ in
// compatibility form (full-width Ｎ, the ligature ﬁ, mathematical 𝐍).
// Letters that carry a stroke rather than a separable mark (đ, ð, ø, ł, ħ, ŧ,
// ƀ) are mapped to their plain letter, and æ, œ, ß to ae, oe, ss, so that a
// name typed with Ð (Icelandic eth, a common stand-in for Đ) still matches.
//
// The folded form is for matching only, never for display: "Bà" and "Ba"
// fold alike. Invisible format characters (soft hyphen, bidi marks) are
// dropped, zero-width spaces count as white space. Fold is idempotent, and its output contains no upper-case
// letter and no non-spacing mark.
//
// Fold runs on every member row of an import, so the common cases are fast
// and allocation-free where possible: already-folded ASCII is returned as is,
// and other Latin letters are looked up in tables built once at start-up;
// only other scripts take the general path through the Unicode tables.
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	f := folder{b: make([]byte, 0, len(s)+len(s)/4)}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				f.byte(c + 'a' - 'A')
			case c == ' ' || ('\t' <= c && c <= '\r'):
				f.space()
			default:
				f.byte(c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r < rune(len(foldLatin)):
			f.entry(&foldLatin[r])
		case 0x1E00 <= r && r < 0x1F00:
			f.entry(&foldLatinExt[r-0x1E00])
		case 0x0300 <= r && r < 0x0370:
			// Combining diacritical marks, as in NFD input: drop.
		default:
			f.rune(r, 0)
		}
	}
	if len(f.b) == 0 {
		return ""
	}
	// f.b is not touched again: hand it over without copying, as
	// strings.Builder does.
	return unsafe.String(&f.b[0], len(f.b))
}

// isFoldedASCII reports whether s is ASCII with no upper-case letter and is
// already collapsed, so that Fold(s) == s.
func isFoldedASCII(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z', '\t' <= c && c <= '\r':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			prevSpace = false
		}
	}
	return !prevSpace || len(s) == 0
}

// folder accumulates folded output and collapses white space: a space is
// only written once a non-space follows, so leading and trailing white space
// vanish and inner runs become one space.
type folder struct {
	b       []byte
	pending bool
}

func (f *folder) space() { f.pending = len(f.b) > 0 }

func (f *folder) flush() {
	if f.pending {
		f.b = append(f.b, ' ')
		f.pending = false
	}
}

func (f *folder) byte(c byte) {
	if f.pending {
		f.b = append(f.b, ' ')
		f.pending = false
	}
	f.b = append(f.b, c)
}

// entry writes a table entry; most are one ASCII letter.
func (f *folder) entry(e *foldEntry) {
	if e.c != 0 {
		f.byte(e.c)
		return
	}
	f.str(e.s)
}

// str writes a table entry. Entries are already folded; a space in one
// stands for white space and goes through the collapsing logic.
func (f *folder) str(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			f.space()
			continue
		}
		f.flush()
		// Multi-byte UTF-8 never contains the byte 0x20, so the rest of the
		// entry up to the next space can be written in one go.
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			f.b = append(f.b, s[i:]...)
			return
		}
		f.b = append(f.b, s[i:i+j]...)
		i += j - 1
	}
}

// rune folds one rune the slow way, through the Unicode tables. depth bounds
// the recursion into decompositions and case mappings, which in Unicode
// terminates after two or three steps.
func (f *folder) rune(r rune, depth int) {
	switch {
	case isSpace(r):
		f.space()
		return
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		// Marks, and invisible format characters such as the soft
		// hyphen and the bidi controls, which only hinder matching.
		return
	}
	if s, ok := foldSpecial[r]; ok {
		f.str(s)
		return
	}
	if hangulBase <= r && r < hangulBase+hangulCount {
		// Hangul syllables decompose algorithmically, outside the tables:
		// fold them to jamo, so that NFC and NFD input fold alike.
		si := r - hangulBase
		f.flush()
		f.b = utf8.AppendRune(f.b, 0x1100+si/588)
		f.b = utf8.AppendRune(f.b, 0x1161+si%588/28)
		if t := si % 28; t != 0 {
			f.b = utf8.AppendRune(f.b, 0x11A7+t)
		}
		return
	}
	if depth < 4 {
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		if d := norm.NFKD.Properties(buf[:n]).Decomposition(); d != nil {
			for _, dr := range string(d) {
				f.rune(dr, depth+1)
			}
			return
		}
		if lr := lower(r); lr != r {
			f.rune(lr, depth+1)
			return
		}
	}
	f.flush()
	f.b = utf8.AppendRune(f.b, r)
}

const (
	hangulBase  = 0xAC00
	hangulCount = 11172
)

// lower is unicode.ToLower, extended to the few upper-case letters that have
// no lower-case mapping of their own but are case variants under simple case
// folding.
func lower(r rune) rune {
	if lr := unicode.ToLower(r); lr != r || !unicode.IsUpper(r) {
		return lr
	}
	for fr := unicode.SimpleFold(r); fr != r; fr = unicode.SimpleFold(fr) {
		if !unicode.IsUpper(fr) {
			return fr
		}
	}
	return r
}

// foldSpecial holds letters whose diacritic is part of the glyph (a stroke,
// a slash) and so has no Unicode decomposition, plus the Latin ligatures.
var foldSpecial = map[rune]string{
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l",
	'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t",
	'ƀ': "b", 'Ƀ': "b", 'ı': "i",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ß': "ss", 'ẞ': "ss",
}

// foldLatin and foldLatinExt cache the folded form of every rune of Latin-1,
// Latin Extended-A and -B (U+0000–U+024F) and of Latin Extended Additional
// (U+1E00–U+1EFF), where all precomposed Vietnamese letters live.
var (
	foldLatin    = foldTable(0, 0x250)
	foldLatinExt = foldTable(0x1E00, 0x1F00)
)

// foldEntry is the folded form of one rune: c if it is one ASCII byte other
// than a space, else s.
type foldEntry struct {
	c byte
	s string
}

func foldTable(lo, hi rune) []foldEntry {
	t := make([]foldEntry, hi-lo)
	for r := lo; r < hi; r++ {
		// The sentinel stops the folder from swallowing white space at
		// the start of the entry (a rune may fold to a space, or to a
		// space and marks, as U+00A8 DIAERESIS does under NFKD).
		f := folder{b: []byte{'x'}}
		f.rune(r, 0)
		e := string(f.b[1:])
		if f.pending {
			e += " "
		}
		t[r-lo].s = e
		if len(e) == 1 && e[0] != ' ' {
			t[r-lo].c = e[0]
		}
	}
	return t
}
