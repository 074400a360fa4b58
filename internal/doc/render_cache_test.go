package doc

import (
	"strings"
	"testing"
)

// TestRenderCached: the cache answers what Render answers, for a text seen
// again and for a revised one.
func TestRenderCached(t *testing.T) {
	for _, md := range []string{"", "**a**", "Các cấp ủy *quán triệt*", "**a**", "<script>x</script> [x](javascript:alert(1))", strings.Repeat("đoạn văn\n\n", 100)} {
		if got, want := RenderCached(md), Render(md); got != want {
			t.Errorf("RenderCached(%q) = %q, want %q", md, got, want)
		}
	}
}
