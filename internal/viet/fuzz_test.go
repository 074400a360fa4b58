package viet

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The seed corpus lives in testdata/fuzz; these seeds add the samples of the
// other tests. Run for instance:
//
//	go test -run '^$' -fuzz FuzzFold -fuzztime 30s ./internal/viet/
func FuzzFold(f *testing.F) {
	for _, s := range vietnameseSamples {
		f.Add(s)
		f.Add(norm.NFD.String(s))
	}
	f.Add(" \u00a0\u200b\t")
	f.Add("ΆΘΗΝΑ Ёлка 𝐍 ﬁ ＮＧ ß ǅ ϒ 한")
	f.Add("a\xffb")
	f.Fuzz(func(t *testing.T, s string) {
		checkFoldInvariants(t, s)
		if utf8.ValidString(s) && belowArmenian(s) {
			if a, b := Fold(norm.NFC.String(s)), Fold(norm.NFD.String(s)); a != b {
				t.Fatalf("Fold(NFC %+q) = %+q, Fold(NFD) = %+q", s, a, b)
			}
		}
	})
}

// belowArmenian reports whether s only has runes of the Latin, Greek and
// Cyrillic blocks and the combining marks, where NFC and NFD forms must
// fold alike. (Elsewhere, canonical reordering of spacing marks can make
// them differ, which does not matter for search.)
func belowArmenian(s string) bool {
	for _, r := range s {
		if r >= 0x0530 {
			return false
		}
	}
	return true
}

func FuzzDecodeLegacy(f *testing.F) {
	for _, s := range legacySamples {
		f.Add(s.uni)
		f.Add(s.tcvn3)
		f.Add(s.vni)
	}
	for _, s := range []string{"Müller", "José", "Café", "« Paris »", "25°C", "a\xffb", "aâù", "NGUYÔN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, enc := DecodeLegacy(s)
		switch {
		case enc == None && out != s:
			t.Fatalf("DecodeLegacy(%+q) = %+q, None: changed without an encoding", s, out)
		case enc != None && enc != TCVN3 && enc != VNI:
			t.Fatalf("DecodeLegacy(%+q) returned unknown encoding %q", s, enc)
		}
		if !utf8.ValidString(s) {
			if enc != None {
				t.Fatalf("DecodeLegacy(%+q) decoded invalid UTF-8 as %q", s, enc)
			}
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("DecodeLegacy(%+q) = %+q is not valid UTF-8", s, out)
		}
		if enc != None {
			if !norm.NFC.IsNormalString(out) {
				t.Fatalf("DecodeLegacy(%+q) = %+q is not NFC", s, out)
			}
			if again := DecodeWith(s, enc); again != out {
				t.Fatalf("DecodeWith(%+q, %q) = %+q, DecodeLegacy gave %+q", s, enc, again, out)
			}
		}
		if got := DetectLegacy([]string{s}); got != enc {
			t.Fatalf("DetectLegacy([%+q]) = %q, DecodeLegacy found %q", s, got, enc)
		}
		for _, e := range []Encoding{TCVN3, VNI} {
			if d := DecodeWith(s, e); !utf8.ValidString(d) {
				t.Fatalf("DecodeWith(%+q, %q) = %+q is not valid UTF-8", s, e, d)
			}
		}
		// Text made of ASCII and Vietnamese letters survives a round trip
		// through VNI, and, in lower case, through TCVN3.
		if vietnameseOnlyText(s) {
			want := norm.NFC.String(s)
			if got := DecodeWith(EncodeLegacy(s, VNI), VNI); got != want {
				t.Fatalf("VNI round trip of %+q = %+q", want, got)
			}
			if !hasUpper(want) {
				if got := DecodeWith(EncodeLegacy(s, TCVN3), TCVN3); got != want {
					t.Fatalf("TCVN3 round trip of %+q = %+q", want, got)
				}
			}
		}
	})
}

// vietnameseOnlyText reports whether s, once in NFC, holds only ASCII and
// Vietnamese letters.
func vietnameseOnlyText(s string) bool {
	for _, r := range norm.NFC.String(s) {
		if _, ok := letterOf[r]; !ok && r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}
