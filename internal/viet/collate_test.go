package viet

import (
	"bytes"
	"slices"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"Đảng bộ xã An", "Dương Xá", "Chi bộ thôn Hạ"}, []string{"Chi bộ thôn Hạ", "Dương Xá", "Đảng bộ xã An"}},
		{[]string{"Ơn", "Ôn", "On", "Ân", "Ăn", "An"}, []string{"An", "Ăn", "Ân", "On", "Ôn", "Ơn"}},
		{[]string{"chi bộ B", "Chi bộ A"}, []string{"Chi bộ A", "chi bộ B"}},
	}
	for _, tt := range tests {
		got := slices.Clone(tt.in)
		slices.SortFunc(got, Compare)
		if !slices.Equal(got, tt.want) {
			t.Errorf("sorted %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextKeyOrdersAsCompare: for every pair of texts, the order of their
// keys is Compare's (the unit pickers sort by keys, org.targets). The texts
// hold what unit labels hold: Đ against D, tones, digits, the picker's
// separator, case, doubled and decomposed (NFD) spellings of one text,
// which Compare cleans first and then tells apart by their bytes.
func TestTextKeyOrdersAsCompare(t *testing.T) {
	texts := []string{
		"Đảng bộ xã An", "Dương Xá", "Chi bộ thôn Hạ", "Ơn", "Ôn", "On", "Ân", "Ăn", "An",
		"chi bộ B", "Chi bộ A", "Chi bộ 10", "Chi bộ 9", "Chi bộ 1",
		"Huyện ủy Phú Xuyên › Đảng bộ xã Phú Túc › Chi bộ thôn Kim Lân",
		"Huyện ủy Phú Xuyên › Đảng bộ xã Phú Túc", "Huyện ủy Phú Xuyên › Đảng bộ xã Châu Can",
		"Huyện ủy Phú Xuyên › Dương Xá", "Huyện ủy Phú Xuyên",
		"Chi bộ  thôn Hạ", " Chi bộ thôn Hạ", "Chi bo\u0323 tho\u0302n Ha\u0323", "CHI BỘ THÔN HẠ",
		"", "Đ", "D", "đ", "d",
	}
	sign := func(n int) int { return min(max(n, -1), 1) }
	for _, a := range texts {
		for _, b := range texts {
			if got, want := sign(bytes.Compare(TextKey(a), TextKey(b))), Compare(a, b); got != want {
				t.Errorf("keys of %q and %q compare %d, Compare says %d", a, b, got, want)
			}
		}
	}
}
