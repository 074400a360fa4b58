package viet

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// VNI (the VNI Windows encoding of the VNI-Times, VNI-Helve … fonts) writes
// most Vietnamese letters as an ASCII base letter followed by one mark byte
// that the font draws over or under the previous glyph: "Nguyễn" is stored
// as "Nguye" + 0xE3, which Windows-1252 readers show as "Nguyeãn". A few
// letters have single codes of their own: ơ ư đ, the toned forms of i, and
// ỵ. Upper-case letters use upper-case marks ("NGUYEÃN"); both sets of marks
// are accepted after either case of base, since typists mixed them.

// The shapes a VNI mark can add to a base vowel. The mark tables below give
// the marks as the Latin-1 runes they appear as, lower case first.
const (
	vniCirc  = iota // circumflex: â ê ô
	vniBreve        // breve: ă
	numVniShapes
)

// vniTone are the marks of the five tones on a plain vowel (or on ơ, ư).
var vniTone = [2][numTones]rune{
	{0, 'ø', 'ù', 'û', 'õ', 'ï'},
	{0, 'Ø', 'Ù', 'Û', 'Õ', 'Ï'},
}

// vniShapeTone are the marks that add a circumflex or a breve and a tone in
// one byte: [case][shape][tone].
var vniShapeTone = [2][numVniShapes][numTones]rune{
	{
		vniCirc:  {'â', 'à', 'á', 'å', 'ã', 'ä'},
		vniBreve: {'ê', 'è', 'é', 'ú', 'ü', 'ë'},
	},
	{
		vniCirc:  {'Â', 'À', 'Á', 'Å', 'Ã', 'Ä'},
		vniBreve: {'Ê', 'È', 'É', 'Ú', 'Ü', 'Ë'},
	},
}

// vniSingle are the letters with a code of their own: the toned i (the
// font draws the tone where the dot of the i would be), ỵ, ơ, ư and đ.
var vniSingle = map[rune]rune{
	'ì': 'ì', 'í': 'í', 'æ': 'ỉ', 'ó': 'ĩ', 'ò': 'ị', 'î': 'ỵ', 'ô': 'ơ', 'ö': 'ư', 'ñ': 'đ',
	'Ì': 'Ì', 'Í': 'Í', 'Æ': 'Ỉ', 'Ó': 'Ĩ', 'Ò': 'Ị', 'Î': 'Ỵ', 'Ô': 'Ơ', 'Ö': 'Ư', 'Ñ': 'Đ',
}

type vniMark struct {
	shape int // -1 none, else vniCirc or vniBreve
	tone  int
}

var (
	// vniMarkOf maps every mark rune to what it adds; see vniMarkAt.
	vniMarkOf = map[rune]vniMark{}
	// vniMarks and vniSingles index vniMarkOf and vniSingle by rune-0x80
	// for the decoder, which looks up every rune.
	vniMarks [0x80]struct {
		m  vniMark
		ok bool
	}
	vniSingles [0x80]rune
	// vniEncode maps a Unicode letter to its VNI spelling.
	vniEncode = map[rune]string{}
)

// vniShaped gives the vowel that a shape mark makes of a base vowel.
var vniShaped = [numVniShapes]map[int]int{
	vniCirc:  {vA: vAa, vE: vEe, vO: vOo},
	vniBreve: {vA: vAw},
}

func initVNI() {
	for c := range 2 {
		for t := toneHuyen; t < numTones; t++ {
			vniMarkOf[vniTone[c][t]] = vniMark{shape: -1, tone: t}
		}
		for sh := range numVniShapes {
			for t := range numTones {
				vniMarkOf[vniShapeTone[c][sh][t]] = vniMark{shape: sh, tone: t}
			}
		}
	}
	for r, m := range vniMarkOf {
		vniMarks[r-0x80].m, vniMarks[r-0x80].ok = m, true
	}
	for r, d := range vniSingle {
		vniSingles[r-0x80] = d
	}
	// Encoder: build the spelling of every letter.
	single := map[rune]string{}
	for k, v := range vniSingle {
		single[v] = string(k)
	}
	shapeOf := map[int][2]int{} // shaped vowel → (base vowel, shape)
	for sh, m := range vniShaped {
		for base, shaped := range m {
			shapeOf[shaped] = [2]int{base, sh}
		}
	}
	for c, up := range []bool{false, true} {
		for v := range numVowels {
			for t := range numTones {
				r := letter{vowel: v, tone: t, upper: up}.rune()
				if s, ok := single[r]; ok {
					vniEncode[r] = s
					continue
				}
				if v == vI && t == toneNone {
					continue // plain i
				}
				if bs, ok := shapeOf[v]; ok {
					base := letter{vowel: bs[0], upper: up}.rune()
					vniEncode[r] = string(base) + string(vniShapeTone[c][bs[1]][t])
					continue
				}
				if t == toneNone {
					continue // a e o u y; ơ ư are single codes
				}
				base := letter{vowel: v, upper: up}.rune()
				enc := string(base)
				if s, ok := single[base]; ok {
					enc = s // ơ ư
				}
				vniEncode[r] = enc + string(vniTone[c][t])
			}
		}
	}
	vniEncode['đ'], vniEncode['Đ'] = "ñ", "Ñ"
}

func vniMarkAt(r rune) (vniMark, bool) {
	if r < 0x80 || r > 0xFF {
		return vniMark{}, false
	}
	m := vniMarks[r-0x80]
	return m.m, m.ok
}

func vniSingleAt(r rune) rune {
	if r < 0x80 || r > 0xFF {
		return 0
	}
	return vniSingles[r-0x80]
}

// vniBase returns the vowel that r starts in VNI text: a plain ASCII vowel,
// or ơ / ư written as ô / ö.
func vniBase(r rune) (v int, upper, ok bool) {
	switch r {
	case 'ô':
		return vOw, false, true
	case 'Ô':
		return vOw, true, true
	case 'ö':
		return vUw, false, true
	case 'Ö':
		return vUw, true, true
	}
	if r >= utf8.RuneSelf {
		return 0, false, false
	}
	upper = 'A' <= r && r <= 'Z'
	switch unicode.ToLower(r) {
	case 'a':
		return vA, upper, true
	case 'e':
		return vE, upper, true
	case 'o':
		return vO, upper, true
	case 'u':
		return vU, upper, true
	case 'y':
		return vY, upper, true
	}
	return 0, false, false
}

// decodeVNI decodes s, whose runes are VNI codes read as Latin-1. A mark
// that cannot apply to the letter before it (a breve after e, a tone after
// a consonant) is left as the character it is.
func decodeVNI(s string) string {
	out, _, _ := decodeVNICount(s)
	return out
}

// decodeVNICount is decodeVNI that also counts the runes in 0xA1–0xFF that
// it left as they were (marks after a letter they do not fit, Latin-1
// letters VNI does not use): they do not occur in VNI text, so they count
// against it. strong counts the marks it applied that Western words do not
// have after a vowel: all but ï and û, ù after o (où) and á after e (deán).
func decodeVNICount(s string) (out string, leftovers, strong int) {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		v, up, ok := vniBase(r)
		if !ok {
			if d := vniSingleAt(r); d != 0 {
				r = d
			} else if r >= 0xA1 && r <= 0xFF {
				leftovers++
			}
			b.WriteRune(r)
			continue
		}
		tone := toneNone
		if i+1 < len(rs) {
			if m, ok := vniMarkAt(rs[i+1]); ok {
				shaped, fits := v, true
				if m.shape >= 0 {
					shaped, fits = vniShaped[m.shape][v]
				}
				if fits {
					if !vniWeakMark(r, rs[i+1]) {
						strong++
					}
					v, tone = shaped, m.tone
					i++
					// A shape mark without tone may be followed by a
					// plain tone mark ("aâù" for ấ), as some converters
					// wrote it.
					if m.shape >= 0 && m.tone == toneNone && i+1 < len(rs) {
						if m2, ok := vniMarkAt(rs[i+1]); ok && m2.shape < 0 {
							tone = m2.tone
							i++
						}
					}
				}
			}
		}
		b.WriteRune(letter{vowel: v, tone: tone, upper: up}.rune())
	}
	return b.String(), leftovers, strong
}

// vniWeakMark reports whether the mark m after the base letter r also
// occurs in Western words (naïve, goût, où, deán).
func vniWeakMark(r, m rune) bool {
	switch unicode.ToLower(m) {
	case 'ï', 'û':
		return true
	case 'ù':
		return unicode.ToLower(r) == 'o'
	case 'á':
		return unicode.ToLower(r) == 'e'
	}
	return false
}

// encodeVNI encodes s in VNI, as Latin-1 runes. Runes that are not
// Vietnamese letters are kept as they are.
func encodeVNI(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range NFC(s) {
		if e, ok := vniEncode[r]; ok {
			b.WriteString(e)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
