package viet

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese writes tones as marks on vowels. Each of the twelve vowel
// letters a ă â e ê i o ô ơ u ư y takes one of six tones, which gives, with
// đ, the 67 lower-case and 67 upper-case non-ASCII letters of the alphabet.
// The legacy encodings spell these letters out of a base and marks, so the
// codecs work on (vowel, tone) pairs rather than on Unicode code points.

// Tones, in the order the legacy tables list them. The names are the
// Vietnamese ones; the comments give the Unicode combining mark.
const (
	toneNone  = iota // ngang: no mark
	toneHuyen        // huyền: U+0300 grave
	toneSac          // sắc: U+0301 acute
	toneHoi          // hỏi: U+0309 hook above
	toneNga          // ngã: U+0303 tilde
	toneNang         // nặng: U+0323 dot below
	numTones
)

// toneMarks are the combining marks of the tones, indexed by tone.
var toneMarks = [numTones]rune{0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323}

// vowels are the twelve lower-case vowel letters, indexed by vowel number.
var vowels = [...]rune{'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

// Vowel numbers, for the tables of the codecs.
const (
	vA = iota
	vAw
	vAa
	vE
	vEe
	vI
	vO
	vOo
	vOw
	vU
	vUw
	vY
	numVowels
)

// letter describes one Vietnamese letter: a vowel with its tone, or đ.
type letter struct {
	vowel int  // index into vowels, or -1 for đ
	tone  int  // toneNone … toneNang
	upper bool // upper case
}

var (
	// letterOf maps each of the 134 non-ASCII Vietnamese letters and the
	// 12 plain ASCII vowels (both cases) to its description. Hot paths use
	// lookupLetter, which avoids the map.
	letterOf = map[rune]letter{}
	// runeOf is the inverse: [upper][vowel][tone] → rune.
	runeOf [2][numVowels][numTones]rune

	// The Vietnamese letters live in U+0000–U+01B0 and U+1EA0–U+1EF9.
	letterLow [0x1B1]letterSlot
	letterExt [0x1EFA - 0x1EA0]letterSlot
)

type letterSlot struct {
	l  letter
	ok bool
}

// lookupLetter is letterOf[r] without a map access.
func lookupLetter(r rune) (letter, bool) {
	var s letterSlot
	switch {
	case r < 0:
	case r < rune(len(letterLow)):
		s = letterLow[r]
	case r >= 0x1EA0 && r < 0x1EFA:
		s = letterExt[r-0x1EA0]
	}
	return s.l, s.ok
}

// The tables are filled in one init, in dependency order: the codecs are
// built from the letter tables.
func init() {
	initLetters()
	initTCVN3()
	initVNI()
}

func initLetters() {
	for v, base := range vowels {
		for t := range numTones {
			r := base
			if t != toneNone {
				r = []rune(norm.NFC.String(string(base) + string(toneMarks[t])))[0]
			}
			R := unicode.ToUpper(r)
			runeOf[0][v][t], runeOf[1][v][t] = r, R
			letterOf[r] = letter{vowel: v, tone: t}
			letterOf[R] = letter{vowel: v, tone: t, upper: true}
		}
	}
	letterOf['đ'] = letter{vowel: -1}
	letterOf['Đ'] = letter{vowel: -1, upper: true}
	for r, l := range letterOf {
		switch {
		case r < rune(len(letterLow)):
			letterLow[r] = letterSlot{l, true}
		case r >= 0x1EA0 && r < 0x1EFA:
			letterExt[r-0x1EA0] = letterSlot{l, true}
		default:
			panic("viet: letter outside the lookup tables")
		}
	}
}

// rune returns the Unicode letter that l describes.
func (l letter) rune() rune {
	u := 0
	if l.upper {
		u = 1
	}
	if l.vowel < 0 {
		return []rune{'đ', 'Đ'}[u]
	}
	return runeOf[u][l.vowel][l.tone]
}

// isVietnameseOnly reports whether r is a letter that only Vietnamese uses
// among the languages written in Latin script that we are likely to meet:
// ă â ê ô ơ ư đ with or without tone, and any vowel with hook above or dot
// below. Its presence shows that a string is already proper Unicode
// Vietnamese and not mis-decoded legacy text.
func isVietnameseOnly(r rune) bool {
	if r < 0x100 {
		return false // Latin-1: â ê ô and à á … are also French, Portuguese …
	}
	_, ok := lookupLetter(r)
	return ok
}
