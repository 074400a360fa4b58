package ui

import "fmt"

// The texts of the unit picker (picker.go, templates/picker_parts.html)
// and of the rest of issue 10's pages.
func init() {
	for k, v := range i10Catalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var i10Catalog = map[string][2]string{
	"picker.find":     {"Tìm đơn vị theo tên (gõ không dấu cũng được)", "Find a unit by name (without diacritics is fine)"},
	"picker.any_unit": {"Mọi đơn vị", "Any unit"},
	"picker.first":    {"Một số đơn vị (tìm theo tên để chọn nơi khác):", "Some units (find by name for others):"},
	"picker.audit":    {"Đơn vị", "Unit"},
}
