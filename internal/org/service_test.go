package org

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidateUnit(t *testing.T) {
	tests := []struct {
		name string
		u    Unit
		want []string
	}{
		{"cell", Unit{Kind: KindCell, CellType: "rural", Name: "Chi bộ thôn Hạ", Code: "HN.PX.C1"}, nil},
		{"committee", Unit{Kind: KindGrassroots, Name: "Đảng bộ xã Phú Túc", Code: "HN.PX.PHUTUC"}, nil},
		{"committee with a cell type", Unit{Kind: KindGrassroots, CellType: "rural", Name: "X", Code: "X"}, []string{"cell_type"}},
		{"unknown kind", Unit{Kind: "club", Name: "X", Code: "X"}, []string{"kind"}},
		{"unknown cell type", Unit{Kind: KindCell, CellType: "farm", Name: "X", Code: "X"}, []string{"cell_type"}},
		{"no name, code with a space", Unit{Kind: KindCell, Code: "A B"}, []string{"name", "code"}},
		{"code with a slash", Unit{Kind: KindCell, Name: "X", Code: "A/B"}, []string{"code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range validateUnit(&tt.u) {
				got = append(got, e.Field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields in error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		id   int64
		isID bool
	}{{"42", 42, true}, {"HN.PX", 0, false}, {"", 0, false}, {"12a", 0, false}, {"1234567890123456789", 0, false}}
	for _, tt := range tests {
		id, ok := parseID(tt.in)
		if id != tt.id || ok != tt.isID {
			t.Errorf("parseID(%q) = %d, %v; want %d, %v", tt.in, id, ok, tt.id, tt.isID)
		}
	}
}
