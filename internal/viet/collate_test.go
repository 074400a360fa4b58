package viet

import (
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
