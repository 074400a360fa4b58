package viet

import (
	"strings"
	"unicode/utf8"
)

// TCVN3 (TCVN 5712:1993, table VN3, the "ABC" encoding of the .VnTime,
// .VnArial … fonts) is a single-byte code: ASCII below 0x80, Vietnamese
// letters in 0xA1–0xFE. VN3 has codes for the upper-case base letters
// Ă Â Ê Ô Ơ Ư Đ but none for upper-case letters with a tone: typists used the
// .VnTimeH ("H" for hoa, capital) font family, which draws the lower-case
// codes as capitals, or simply mixed cases. Office files keep the bytes and
// readers that assume Windows-1252 show them as Latin-1 characters, so
// "Nguyễn Văn Đăng" appears as "NguyÔn V¨n §¨ng".

// tcvn3Rows gives, for each vowel, the codes of its six tones in tone order
// (none, huyền, sắc, hỏi, ngã, nặng); 0 means "the plain ASCII letter".
var tcvn3Rows = [numVowels][numTones]byte{
	vA:  {0, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9},
	vAw: {0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6},
	vAa: {0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB},
	vE:  {0, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1},
	vEe: {0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6},
	vI:  {0, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE},
	vO:  {0, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4},
	vOo: {0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9},
	vOw: {0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE},
	vU:  {0, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4},
	vUw: {0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9},
	vY:  {0, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE},
}

// tcvn3Upper are the codes of the upper-case base letters.
var tcvn3Upper = map[rune]byte{
	'Ă': 0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6, 'Đ': 0xA7,
}

const tcvn3LowerD = 0xAE // đ

// tcvn3Decode maps a code 0x80–0xFF to its letter; vowel == -2 marks a code
// that VN3 leaves unused (the rune then stands for itself).
var tcvn3Decode [0x80]letter

func initTCVN3() {
	for i := range tcvn3Decode {
		tcvn3Decode[i] = letter{vowel: -2}
	}
	for v, row := range tcvn3Rows {
		for t, c := range row {
			if c != 0 {
				tcvn3Decode[c-0x80] = letter{vowel: v, tone: t}
			}
		}
	}
	for r, c := range tcvn3Upper {
		l := letterOf[r]
		tcvn3Decode[c-0x80] = l
	}
	tcvn3Decode[tcvn3LowerD-0x80] = letter{vowel: -1}
}

// tcvn3Letter returns the letter for the Latin-1 rune r read from TCVN3 text,
// and whether its case is ambiguous (a toned letter, always coded lower case).
func tcvn3Letter(r rune) (l letter, ambiguous, ok bool) {
	if r < 0x80 || r > 0xFF {
		return letter{}, false, false
	}
	l = tcvn3Decode[r-0x80]
	if l.vowel == -2 {
		return letter{}, false, false
	}
	return l, l.tone != toneNone, true
}

// decodeTCVN3 decodes s, whose runes are TCVN3 codes read as Latin-1.
//
// Because VN3 has no upper-case toned letters, "Ánh" typed in .VnTime comes
// out as "ánh" and "NGUYỄN" as "NGUYễN". The decoder restores the case of
// toned letters from their surroundings:
//   - in a word whose other letters are capitals (at least one capital
//     besides the first letter, no lower-case letter): NGUYÔN → NGUYỄN;
//   - in the whole string, when no letter in it is lower case and some word
//     is clearly in capitals: "Hµ NéI" → "HÀ NỘI";
//   - at the start of a word, when every word that starts with a letter of
//     known case starts with a capital, as names do: "TrÇn ThÞ ¸nh" →
//     "Trần Thị Ánh".
//
// Text typed with .VnTimeH and lower-case codes ("®¶ng ñy" shown as ĐẢNG ỦY)
// cannot be told apart from lower-case text and stays in lower case.
func decodeTCVN3(s string) string {
	t := &tcvn3Text{ds: make([]tcvn3Rune, 0, len(s))}
	for _, r := range s {
		d := tcvn3Rune{r: r}
		if l, amb, ok := tcvn3Letter(r); ok {
			d.r = l.rune()
			d.ambiguous = amb
			d.up = l.upper
			d.low = !amb && !l.upper
		} else if r < utf8.RuneSelf && isASCIILetter(byte(r)) {
			d.up = 'A' <= r && r <= 'Z'
			d.low = !d.up
		} else {
			t.endWord(len(t.ds))
			t.start = len(t.ds) + 1
		}
		t.ds = append(t.ds, d)
	}
	t.endWord(len(t.ds))
	ds := t.ds
	if !t.anyLower && t.anyUpperWord {
		for i := range ds {
			if ds[i].ambiguous {
				ds[i].r = toUpperLetter(ds[i].r)
			}
		}
	} else if t.titleWords > 0 && t.lowerStarts == 0 {
		for _, w := range t.words {
			if d := &ds[w[0]]; d.ambiguous {
				d.r = toUpperLetter(d.r)
			}
		}
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, d := range ds {
		b.WriteRune(d.r)
	}
	return b.String()
}

// tcvn3Rune is a decoded rune and what is known of its case.
type tcvn3Rune struct {
	r         rune
	ambiguous bool
	up, low   bool // definitely upper / lower case
}

// tcvn3Text is a string being decoded: its runes, its words, and what
// its words say of the case of the whole.
type tcvn3Text struct {
	ds                      []tcvn3Rune
	words                   [][2]int // [start, end) in ds
	anyLower, anyUpperWord  bool
	titleWords, lowerStarts int
	start                   int // of the current word
}

// endWord closes the word from t.start to end: its counts go to the
// whole, and a word in capitals gets its ambiguous letters in capitals.
func (t *tcvn3Text) endWord(end int) {
	start, ds := t.start, t.ds
	if end == start {
		return
	}
	t.words = append(t.words, [2]int{start, end})
	switch first := ds[start]; {
	case first.up:
		t.titleWords++
	case first.low:
		t.lowerStarts++
	}
	ups, upsAfterFirst, lows := 0, 0, 0
	for i := start; i < end; i++ {
		switch {
		case ds[i].up:
			ups++
			if i > start {
				upsAfterFirst++
			}
		case ds[i].low:
			lows++
		}
	}
	if lows > 0 {
		t.anyLower = true
		return
	}
	if ups >= 2 {
		t.anyUpperWord = true
	}
	if upsAfterFirst > 0 {
		for i := start; i < end; i++ {
			if ds[i].ambiguous {
				ds[i].r = toUpperLetter(ds[i].r)
				ds[i].ambiguous = false
			}
		}
	}
}

// tcvn3Leftovers counts the runes of s in 0xA1–0xFF that are not TCVN3
// codes: they do not occur in TCVN3 text, so they count against it.
func tcvn3Leftovers(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0xA1 && r <= 0xFF {
			if _, _, ok := tcvn3Letter(r); !ok {
				n++
			}
		}
	}
	return n
}

// encodeTCVN3 encodes s in TCVN3, as Latin-1 runes. Upper-case toned
// letters, which VN3 cannot represent, get the lower-case code, as they did
// in practice. Runes that have no code are kept as they are.
func encodeTCVN3(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range NFC(s) {
		l, ok := lookupLetter(r)
		switch {
		case !ok || r < utf8.RuneSelf:
			b.WriteRune(r)
		case l.vowel < 0 && l.upper:
			b.WriteRune(rune(tcvn3Upper['Đ']))
		case l.vowel < 0:
			b.WriteRune(tcvn3LowerD)
		case l.upper && l.tone == toneNone:
			if c, ok := tcvn3Upper[r]; ok {
				b.WriteRune(rune(c))
			} else {
				b.WriteRune(r) // A E I O U Y
			}
		default:
			c := tcvn3Rows[l.vowel][l.tone]
			if c == 0 {
				b.WriteRune(vowels[l.vowel]) // a e i o u y
			} else {
				b.WriteRune(rune(c))
			}
		}
	}
	return b.String()
}

func isASCIILetter(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// toUpperLetter returns the upper-case form of a Vietnamese letter.
func toUpperLetter(r rune) rune {
	l, ok := lookupLetter(r)
	if !ok {
		return r
	}
	l.upper = true
	return l.rune()
}
