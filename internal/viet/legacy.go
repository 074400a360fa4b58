package viet

import (
	"unicode/utf8"
)

// Encoding names a legacy Vietnamese text encoding.
type Encoding string

// The encodings that DecodeLegacy recognises. The zero value means none:
// the text is taken to be proper Unicode.
const (
	None  Encoding = ""
	TCVN3 Encoding = "tcvn3"
	VNI   Encoding = "vni"
)

// Before Unicode took over (in Vietnamese government offices, only around
// 2002–2010), Vietnamese text was typed in 8-bit encodings tied to fonts.
// Party organisations have decades of member lists in such Word and Excel
// files. When those are opened or imported as Unicode, the bytes come out
// as Latin-1 / Windows-1252 characters: "NguyÔn V¨n §¨ng" (TCVN3) or
// "Nguyeãn Vaên Ñaêng" (VNI) for "Nguyễn Văn Đăng".
//
// Decoding must be conservative: the same Latin-1 characters are also
// ordinary letters in Western names ("Müller", "José") and in Unicode
// Vietnamese itself ("Lê", "Hà"). So the decoders here only ever touch
// strings made entirely of Latin-1 and Windows-1252 characters, and the
// detectors only decode when the result reads as Vietnamese syllables while
// the input does not.

// DecodeLegacy detects whether s is TCVN3 or VNI text read as Latin-1 and
// returns it decoded to NFC Unicode together with the encoding found. When
// none is found, or the case is doubtful, it returns s unchanged and None.
//
// One cell carries little evidence: "Trí" is both the Unicode name Trí and
// the TCVN3 spelling of "Trớ". DecodeLegacy leaves such ambiguous strings
// alone. When a whole column or file is at hand, use DetectLegacy on it and
// DecodeWith on each cell instead, which decides once for all cells.
//
// Input that is not valid UTF-8 is returned unchanged: callers reading raw
// bytes should first decode them as Windows-1252.
func DecodeLegacy(s string) (out string, enc Encoding) {
	if !isLegacyCandidate(s) {
		return s, None
	}
	t := scoreLegacy(s, TCVN3)
	v := scoreLegacy(s, VNI)
	switch best := pick(t, v); best {
	case TCVN3:
		return t.decoded, TCVN3
	case VNI:
		return v.decoded, VNI
	}
	return s, None
}

// DetectLegacy looks at many strings from one source (a column, a sheet, a
// file) and returns the legacy encoding they are written in, or None. It is
// more reliable than DecodeLegacy on single strings because evidence adds
// up: a few names that read well either way no longer decide anything.
// It returns None when the samples hold as much proper Unicode Vietnamese
// (letters beyond Latin-1, such as ă ơ ư đ ạ ễ) as legacy-looking text.
func DetectLegacy(samples []string) Encoding {
	var t, v legacyScore
	unicodeVN := 0
	for _, s := range samples {
		if hasVietnameseUnicode(s) {
			unicodeVN++
			continue
		}
		if !isLegacyCandidate(s) {
			continue
		}
		t.add(scoreLegacy(s, TCVN3))
		v.add(scoreLegacy(s, VNI))
	}
	best := pick(t, v)
	var w legacyScore
	switch best {
	case TCVN3:
		w = t
	case VNI:
		w = v
	default:
		return None
	}
	if w.improved <= unicodeVN {
		return None
	}
	return best
}

// DecodeWith decodes s from enc, as DetectLegacy reported it for the source
// of s, without second-guessing each string. Strings that cannot be legacy
// text (they hold characters beyond Latin-1 and Windows-1252, such as a cell
// that was already fixed by hand, or are not valid UTF-8) and enc == None
// return s unchanged. Decoded text is in NFC.
func DecodeWith(s string, enc Encoding) string {
	if enc == None || !isLegacyCandidate(s) {
		return s
	}
	switch enc {
	case TCVN3:
		return decodeTCVN3(s)
	case VNI:
		return decodeVNI(s)
	}
	return s
}

// EncodeLegacy encodes the Unicode text s in enc, giving the Latin-1
// characters that a Windows-1252 reader would show for the legacy bytes.
// It exists to produce test data and fixtures. It is lossy where the
// encoding is: TCVN3 has no upper-case toned letters (they are written with
// the lower-case code, as in practice), and characters other than ASCII and
// Vietnamese letters are copied as they are, even where they collide with
// legacy codes.
func EncodeLegacy(s string, enc Encoding) string {
	switch enc {
	case TCVN3:
		return encodeTCVN3(s)
	case VNI:
		return encodeVNI(s)
	}
	return s
}

// cp1252Extra are the characters that Windows-1252 puts at 0x80–0x9F,
// where Latin-1 has control codes. Neither TCVN3 (VN3) nor VNI uses those
// bytes for letters, so they may appear in legacy text as punctuation.
var cp1252Extra = map[rune]bool{
	'€': true, '‚': true, 'ƒ': true, '„': true, '…': true, '†': true, '‡': true,
	'ˆ': true, '‰': true, 'Š': true, '‹': true, 'Œ': true, 'Ž': true, '‘': true,
	'’': true, '“': true, '”': true, '•': true, '–': true, '—': true, '˜': true,
	'™': true, 'š': true, '›': true, 'œ': true, 'ž': true, 'Ÿ': true,
}

// isLegacyCandidate reports whether s could be legacy text read as
// Windows-1252: valid UTF-8, every rune in Latin-1 or Windows-1252, and at
// least one rune in 0xA1–0xFF, where both encodings put their letters.
func isLegacyCandidate(s string) bool {
	high := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		i += n
		switch {
		case r >= 0xA1 && r <= 0xFF:
			high = true
		case r <= 0xFF, cp1252Extra[r]:
		default:
			return false
		}
	}
	return high
}

// hasVietnameseUnicode reports whether s holds a letter or a combining mark
// that only proper Unicode Vietnamese text contains: a precomposed letter
// beyond Latin-1, or, in NFD text, the breve, hook above, horn or dot below.
func hasVietnameseUnicode(s string) bool {
	for _, r := range s {
		if r < 0x100 {
			continue
		}
		switch r {
		case 0x0306, 0x0309, 0x031B, 0x0323:
			return true
		}
		if isVietnameseOnly(r) {
			return true
		}
	}
	return false
}

// legacyScore sums up how well the words of some text read as Vietnamese
// before and after decoding with one encoding. Only words holding a
// non-ASCII rune count: pure ASCII words read the same either way.
type legacyScore struct {
	decoded  string
	words    int // words with a non-ASCII rune
	validIn  int // of which valid syllables as they are
	validOut int // of which valid syllables once decoded
	badOut   int // of which not valid once decoded
	improved int // strings where validOut > validIn
	worse    int // strings where validOut < validIn
	// evidence: the decoded text has a letter that only Vietnamese uses
	// (ă ơ ư đ, ạ ễ …), or the input has a legacy code that Western text
	// does not have (see strongLegacy). Without either, legacy text that
	// decodes to Latin-1 letters only cannot be told from Western text:
	// French "où" is also VNI for "ó".
	evidence bool
}

func (a *legacyScore) add(b legacyScore) {
	a.words += b.words
	a.validIn += b.validIn
	a.validOut += b.validOut
	a.badOut += b.badOut
	a.improved += b.improved
	a.worse += b.worse
	a.evidence = a.evidence || b.evidence
}

// acceptable reports whether decoding makes the text read as Vietnamese:
// strictly more valid syllables than before, and almost no invalid ones
// (one in ten is tolerated in longer texts, for foreign words and names of
// ethnic minorities such as "Kpă" that are not Vietnamese syllables).
func (a legacyScore) acceptable() bool {
	return a.evidence && a.validOut > a.validIn && a.badOut*10 <= a.words && a.improved > a.worse
}

// pick chooses between the scores of TCVN3 and VNI for the same text.
func pick(t, v legacyScore) Encoding {
	tok, vok := t.acceptable(), v.acceptable()
	switch {
	case tok && vok:
		ts, vs := t.validOut-t.badOut, v.validOut-v.badOut
		if ts > vs {
			return TCVN3
		}
		if vs > ts {
			return VNI
		}
		return None // undecidable: leave alone
	case tok:
		return TCVN3
	case vok:
		return VNI
	}
	return None
}

// scoreLegacy decodes s with enc and compares its words before and after.
func scoreLegacy(s string, enc Encoding) legacyScore {
	sc := legacyScore{decoded: DecodeWith(s, enc)}
	sc.evidence = hasVietnameseUnicode(sc.decoded) || strongLegacy(s, enc)
	in, out := legacyWords(s), splitWords(sc.decoded)
	if len(in) != len(out) {
		// Decoding never merges nor splits words, as word characters map
		// to letters; be safe all the same.
		sc.badOut = len(in) + 1
		sc.words = len(in)
		return sc
	}
	for i, w := range in {
		if isASCII(w) {
			continue
		}
		sc.words++
		if isSyllable(w) {
			sc.validIn++
		}
		if legacyLeftovers(w, enc) > 0 {
			// A character this encoding does not produce: the word is
			// not in it ("Hoàng" is not TCVN3, where à is unused).
			sc.badOut++
			continue
		}
		if isSyllable(out[i]) {
			sc.validOut++
		} else {
			sc.badOut++
		}
	}
	switch {
	case sc.validOut > sc.validIn:
		sc.improved = 1
	case sc.validOut < sc.validIn:
		sc.worse = 1
	}
	return sc
}

func legacyLeftovers(w string, enc Encoding) int {
	if enc == TCVN3 {
		return tcvn3Leftovers(w)
	}
	_, n, _ := decodeVNICount(w)
	return n
}

// strongLegacy reports whether s has a legacy code that Western text does
// not: for TCVN3 the symbols of 0xA1–0xBF and × ÷ (¨ for ă, § for Đ, µ for
// à …); for VNI a mark after a vowel other than those French, Spanish and
// Portuguese words also have (ï û after a vowel, ù after o, á after e).
func strongLegacy(s string, enc Encoding) bool {
	if enc == VNI {
		_, _, strong := decodeVNICount(s)
		return strong > 0
	}
	for _, r := range s {
		if (r >= 0xA1 && r <= 0xBF) || r == 0xD7 || r == 0xF7 {
			return true
		}
	}
	return false
}

// legacyWords splits s into words for scoring: runs of ASCII letters and
// of runes in 0xA1–0xFF, which may be legacy letters (the soft hyphen 0xAD
// is ư in TCVN3; × and ÷ are ì and ữ). Everything else separates words.
func legacyWords(s string) []string {
	return splitFunc(s, func(r rune) bool {
		return (r < utf8.RuneSelf && isASCIILetter(byte(r))) || (r >= 0xA1 && r <= 0xFF)
	})
}

// splitWords splits decoded text into words: runs of letters, where a
// letter is any rune that legacyWords would keep or a Vietnamese letter.
func splitWords(s string) []string {
	return splitFunc(s, func(r rune) bool {
		if (r < utf8.RuneSelf && isASCIILetter(byte(r))) || (r >= 0xA1 && r <= 0xFF) {
			return true
		}
		_, ok := lookupLetter(r)
		return ok
	})
}

func splitFunc(s string, in func(rune) bool) []string {
	var words []string
	start := -1
	for i, r := range s {
		switch {
		case in(r) && start < 0:
			start = i
		case !in(r) && start >= 0:
			words = append(words, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
