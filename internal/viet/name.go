package viet

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A Vietnamese personal name is written family name first, given name last:
// in "Nguyễn Thị Minh Khai", Nguyễn is the family name (họ), Thị Minh the
// middle name (tên đệm) and Khai the given name (tên). Because a handful of
// family names (Nguyễn, Trần, Lê, Phạm …) cover most of the population,
// Vietnamese lists — class rolls, voter lists, party member registers — are
// sorted by given name, then by middle name, then by family name.

// SplitName splits a full name into family name (the first word), given
// name (the last word) and middle name (the words between, joined by single
// spaces). A one-word name is taken as a given name only. The parts are
// Clean. Compound family names (Tôn Nữ, Âu Dương) are not recognised: the
// second word counts as a middle name, which is also how lists sort them.
func SplitName(full string) (family, middle, given string) {
	words := strings.Fields(Clean(full))
	switch len(words) {
	case 0:
		return "", "", ""
	case 1:
		return "", "", words[0]
	}
	return words[0], strings.Join(words[1:len(words)-1], " "), words[len(words)-1]
}

// NameSortKeyVersion identifies the layout and the collation weights of the
// keys NameSortKey returns. Stored keys must be recomputed when it changes;
// it changes when this package changes the layout or when an upgrade of
// golang.org/x/text changes the weights (TestNameSortKeyGolden notices).
const NameSortKeyVersion = 1

// NameSortKey returns a key for full such that comparing the keys of two
// names with bytes.Compare (or as BLOB / bytea in SQLite and PostgreSQL)
// orders them the Vietnamese way: by given name, then middle name, then
// family name, each compared syllable by syllable in Vietnamese alphabetical
// order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), where
// the letters of a syllable count before its tone and toneless comes first
// (a à ả ã á ạ, the order of Vietnamese dictionaries and of CLDR). Case
// decides only between names that are otherwise equal, lower case first.
//
// So "An" < "Anh" < "Ánh" < "Ân" < "Bình", and "Đăng" comes after every
// given name in D. The input goes through Clean first, so NFC and NFD
// spellings and stray white space give the same key.
//
// The weights come from the CLDR Vietnamese collation in golang.org/x/text;
// see NameSortKeyVersion. Layout: for each part (given, middle, family),
// for each syllable its primary weights, 0x00 0x03 and its secondary weights
// (one byte each, or 0xFF and two bytes), with 0x00 0x02 between syllables
// and 0x00 0x01 after the part; then, in the same order and with the same
// separators, the tertiary (case) weights. Zero bytes of weights are escaped
// as 0x00 0xFF. So the end of a part sorts before the end of a syllable,
// which sorts before the end of the primary weights, which sorts before any
// further weight: a syllable that is a prefix of another ("An", "Anh") or a
// part with fewer syllables sorts first, and the key is prefix-free.
func NameSortKey(full string) []byte {
	s := Clean(full)
	// family = s[:i], middle = s[i+1:j], given = s[j+1:]
	i, j := strings.IndexByte(s, ' '), strings.LastIndexByte(s, ' ')
	var parts [3]string
	switch {
	case i < 0:
		parts[0] = s
	case i == j:
		parts = [3]string{s[j+1:], "", s[:i]}
	default:
		parts = [3]string{s[j+1:], s[i+1 : j], s[:i]}
	}

	c := collators.Get().(*nameCollator)
	defer collators.Put(c)
	key := make([]byte, 0, 2*len(s)+24)
	ter := c.ter[:0]
	for _, part := range parts {
		for k := 0; part != ""; k++ {
			w := part
			if n := strings.IndexByte(part, ' '); n >= 0 {
				w, part = part[:n], part[n+1:]
			} else {
				part = ""
			}
			if k > 0 {
				key = append(key, 0, sepWord)
				ter = append(ter, 0, sepWord)
			}
			c.buf.Reset()
			ck := c.coll.KeyFromString(&c.buf, w)
			prim, sec, t, ok := splitLevels(ck)
			if !ok {
				// Not the layout splitLevels knows: keep the key whole,
				// which still orders correctly within this syllable.
				key = appendEscaped(key, ck)
				continue
			}
			key = appendEscaped(key, prim)
			key = append(key, 0, sepLevel)
			for x := 0; x+1 < len(sec); x += 2 {
				if w := uint16(sec[x])<<8 | uint16(sec[x+1]); w < 0xFF {
					key = append(key, byte(w))
				} else {
					key = appendEscaped(append(key, 0xFF), sec[x:x+2])
				}
			}
			ter = appendEscaped(ter, t)
		}
		key = append(key, 0, sepPart)
		ter = append(ter, 0, sepPart)
	}
	key = append(key, ter...)
	c.ter = ter
	return key
}

// splitLevels splits a tertiary-strength collation key of golang.org/x/text
// into its levels: primary weights (two bytes each, three when the first
// byte has its top bit set), 0x00 0x00, secondary weights (two bytes each),
// 0x00 0x00 and tertiary weights (a byte each). ok is false when k does not
// have that shape.
func splitLevels(k []byte) (prim, sec, ter []byte, ok bool) {
	i := 0
	for {
		if i+1 >= len(k) {
			return nil, nil, nil, false
		}
		if k[i] == 0 && k[i+1] == 0 {
			break
		}
		if k[i]&0x80 != 0 {
			i += 3
		} else {
			i += 2
		}
	}
	prim, k = k[:i], k[i+2:]
	for i = 0; ; i += 2 {
		if i+1 >= len(k) {
			return nil, nil, nil, false
		}
		if k[i] == 0 && k[i+1] == 0 {
			break
		}
	}
	return prim, k[:i], k[i+2:], true
}

// CompareNames compares two full names in the order of NameSortKey and
// returns -1, 0 or +1. It is meant for sorting in memory; for sorting in
// the database store the keys.
func CompareNames(a, b string) int {
	return bytes.Compare(NameSortKey(a), NameSortKey(b))
}

// Separators in name keys. All follow a zero byte, and an escaped zero
// byte of a weight is 0x00 0xFF, above them all.
const (
	sepPart  = 0x01
	sepWord  = 0x02
	sepLevel = 0x03
	escZero  = 0xFF
)

func appendEscaped(dst, k []byte) []byte {
	for _, c := range k {
		if c == 0 {
			dst = append(dst, 0, escZero)
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// nameCollator bundles the collator and the buffers that one NameSortKey
// call needs. A collate.Collator is not safe for concurrent use and costs
// about 2µs and 5 KB to create, so they are pooled.
type nameCollator struct {
	coll *collate.Collator
	buf  collate.Buffer
	ter  []byte // tertiary weights, gathered while the key is built
}

var collators = sync.Pool{
	New: func() any {
		return &nameCollator{coll: collate.New(language.Vietnamese)}
	},
}

// IsNameText reports whether s, in NFC, is written only in the letters of
// the Vietnamese alphabet (with their tone marks, and f j w z, which names
// of ethnic minorities and foreign names use), separated by spaces,
// hyphens and apostrophes ("H'Hen Niê", "Y-Ngông"), with at least one
// letter. Legacy text read as Latin-1 ("Vò V¨n ViÖt", "Nguyeãn") and names
// with digits, symbols or letters of other alphabets are not.
func IsNameText(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && isASCIILetter(byte(r)):
			letters++
		case r == ' ' || r == '-' || r == '\'' || r == '’':
		default:
			if _, ok := lookupLetter(r); !ok {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

// ShowName is a personal name as a page shows it: a name typed all in
// lower case ("nguyễn văn an", common in lists typed on a phone) shows
// each word with a capital ("Nguyễn Văn An"); a name with any capital is
// shown as typed, since its writer chose its case. The record keeps what
// was typed.
func ShowName(full string) string {
	for _, r := range full {
		if unicode.IsUpper(r) {
			return full
		}
	}
	words := strings.Fields(full)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}
