package viet

import "unicode"

// Written Vietnamese separates every syllable with a space (or a hyphen),
// and a syllable has a rigid shape: an optional initial consonant, a vowel
// group, an optional final consonant, and at most one tone mark, which sits
// on a vowel fixed by the spelling. Text decoded with the wrong table breaks
// that shape almost at once ("Mỹller", "Cafộ", "Mađana", "Leõ"), which is
// what makes the legacy-encoding detection in this package reliable without
// a dictionary.

// initials lists the initial consonants, longest first so that the first
// prefix found is the right one. "gi" and "qu" are handled apart.
var initials = []string{
	"ngh",
	"ch", "gh", "kh", "ng", "nh", "ph", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
}

// openRhymes are the vowel groups that may end a syllable.
var openRhymes = setOf(
	"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oe",
	"oi", "ôi", "ơi", "ua", "uê", "ui", "uơ", "uy", "ưa", "ưi", "ưu",
	"iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
)

// closedNuclei are the vowel groups that may stand before a final consonant.
// A lone y does so only after qu (quýt, Quỳnh), where the u is part of the
// initial.
var closedNuclei = setOf(
	"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"iê", "yê", "oa", "oă", "oe", "oo", "uâ", "uê", "uô", "uy", "ươ", "uyê",
)

// finals are the final consonants; stops take only the sắc or nặng tone.
var finals = map[string]bool{ // value: is a stop
	"c": true, "ch": true, "p": true, "t": true,
	"m": false, "n": false, "ng": false, "nh": false,
}

// eitherTone are the open vowel pairs on which the tone may go on either
// vowel: the old style (hòa, khỏe, thủy) and the new (hoà, khoẻ, thuỷ) are
// both current.
var eitherTone = setOf("oa", "oe", "uy")

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// isSyllable reports whether w, a run of letters, is a well-formed
// Vietnamese syllable in a plausible case pattern (lower, UPPER or Title).
func isSyllable(w string) bool {
	var buf [12]rune
	sk := buf[:0] // skeleton: lower case, tone removed
	tone, toneAt := toneNone, -1
	mode := 0 // 0 undecided, 1 lower or Title, 2 UPPER
	for i, r := range []rune(w) {
		if len(sk) == cap(sk) {
			return false
		}
		var base rune
		var up bool
		if l, ok := lookupLetter(r); ok {
			if l.tone != toneNone {
				if tone != toneNone {
					return false // two tones
				}
				tone, toneAt = l.tone, len(sk)
			}
			up = l.upper
			base = 'đ'
			if l.vowel >= 0 {
				base = vowels[l.vowel]
			}
		} else if r < 0x80 && unicode.IsLetter(r) {
			up = 'A' <= r && r <= 'Z'
			base = unicode.ToLower(r)
		} else {
			return false
		}
		switch {
		case i == 0:
		case i == 1 && up:
			if !unicode.IsUpper([]rune(w)[0]) {
				return false
			}
			mode = 2
		case i == 1:
			mode = 1
		case up != (mode == 2):
			return false
		}
		sk = append(sk, base)
	}
	if len(sk) == 0 {
		return false
	}
	switch {
	case hasPrefix(sk, "gi") && rhymeOK(sk, 2, tone, toneAt):
		return true // gia, giữ, giường; else gì, gìn: g + i…
	case hasPrefix(sk, "qu"):
		return rhymeOK(sk, 2, tone, toneAt) // qua, quốc, quyên
	case sk[0] == 'q':
		return false
	}
	for _, in := range initials {
		if hasPrefix(sk, in) {
			return rhymeOK(sk, len([]rune(in)), tone, toneAt)
		}
	}
	return rhymeOK(sk, 0, tone, toneAt)
}

func hasPrefix(sk []rune, p string) bool {
	i := 0
	for _, r := range p {
		if i >= len(sk) || sk[i] != r {
			return false
		}
		i++
	}
	return true
}

// rhymeOK reports whether sk[start:] is a vowel group optionally followed
// by a final consonant, and whether the tone fits the final and sits on the
// right vowel.
func rhymeOK(sk []rune, start, tone, toneAt int) bool {
	end := start
	for end < len(sk) && isVowelBase(sk[end]) {
		end++
	}
	if end == start {
		return false
	}
	vg, coda := string(sk[start:end]), string(sk[end:])
	if coda == "" {
		if !openRhymes[vg] {
			return false
		}
	} else {
		stop, ok := finals[coda]
		if !ok || !closedNuclei[vg] {
			return false
		}
		if stop && tone != toneSac && tone != toneNang {
			return false
		}
	}
	if tone == toneNone {
		return true
	}
	return toneAt-start == tonePosition(sk[start:end], coda != "", toneAt-start)
}

// tonePosition returns where the tone belongs in the vowel group v: on the
// last vowel with a shape mark (ă â ê ô ơ ư: mấy, người), else on the last
// vowel before a final consonant (toán, hoàng), else on the first vowel of
// a pair (mái, múa) or the middle one of a triple (ngoài, khuỷu). For the
// pairs of eitherTone, any position is right, so it returns got.
func tonePosition(v []rune, closed bool, got int) int {
	for i := len(v) - 1; i >= 0; i-- {
		switch v[i] {
		case 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
			return i
		}
	}
	switch {
	case closed:
		return len(v) - 1
	case len(v) == 2 && eitherTone[string(v)]:
		return got
	case len(v) == 3:
		return 1
	}
	return 0
}

func isVowelBase(r rune) bool {
	switch r {
	case 'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y':
		return true
	}
	return false
}
