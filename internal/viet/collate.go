package viet

// Compare compares two texts (names of units, places, titles) in
// Vietnamese alphabetical order, word by word from the left: "Dương Xá"
// before "Đảng bộ", as Đ is a letter after D (digits compare as text).
// Unlike CompareNames it does not reorder the words: it is for everything
// but personal names.
// It returns -1, 0 or +1 and is meant for sorting in memory.
func Compare(a, b string) int {
	c := collators.Get().(*nameCollator)
	defer collators.Put(c)
	if r := c.coll.CompareString(Clean(a), Clean(b)); r != 0 {
		return r
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
