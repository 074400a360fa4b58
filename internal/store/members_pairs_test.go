package store

import "testing"

// TestPairToken checks the word boundary a query's names must have
// (migration 0042): known to three characters on each side, or to the
// whole word where the word is a middle one; "" when the query has none.
func TestPairToken(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"van nguyen", "van ngu"},
		{"khuc thi", "huc thi"},
		{"nguyen", ""},
		{"uc thi", ""},    // the first word may be the end of a longer one
		{"guyen va", ""},  // the last word may be the start of a longer one
		{"uc thi an", ""}, // a short first and a short last word
		{"yen van a", "yen van"},
		{"an thi an", ""},
		{"a b c", ""},
		{"x ab cd y", "ab cd"},
		{"van  an", ""}, // two spaces: an empty word
		{" van an", ""},
		{"đặng văn", "ặng văn"}, // characters, not bytes
		{"trường xuân", "ờng xuâ"},
	} {
		if got := pairToken(c.q); got != c.want {
			t.Errorf("pairToken(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}
