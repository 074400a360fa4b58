package page

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCut(t *testing.T) {
	next := func(last int) string { return "after " + strconv.Itoa(last) }
	for _, tt := range []struct {
		name  string
		items []int
		limit int
		want  []int
		next  string // "": no next page
	}{
		{"empty", []int{}, 2, []int{}, ""},
		{"fewer than the limit", []int{1}, 2, []int{1}, ""},
		{"exactly the limit", []int{1, 2}, 2, []int{1, 2}, ""},
		{"one more than the limit", []int{1, 2, 3}, 2, []int{1, 2}, "after 2"},
	} {
		got, cur := Cut(tt.items, tt.limit, next)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: items (-want +got):\n%s", tt.name, diff)
		}
		gotNext := ""
		if cur != nil {
			gotNext = *cur
		}
		if gotNext != tt.next {
			t.Errorf("%s: next cursor %q, want %q", tt.name, gotNext, tt.next)
		}
	}
}
