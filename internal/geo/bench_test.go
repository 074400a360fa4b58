package geo

import (
	"encoding/json"
	"testing"
)

// BenchmarkParsePolygon reads a valid zone at the cap: a circle of
// MaxPoints positions (the usual case of the grid: about one edge a cell).
func BenchmarkParsePolygon(b *testing.B) {
	raw := json.RawMessage(poly(circle(0, 0, 100, MaxPoints-1)))
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ParsePolygon(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePolygonStar reads the worst case at the cap: a star whose
// every edge crosses most others (all edges share the grid's cells).
func BenchmarkParsePolygonStar(b *testing.B) {
	raw := json.RawMessage(poly(star(MaxPoints - 1)))
	for b.Loop() {
		if _, err := ParsePolygon(raw); err == nil {
			b.Fatal("the star was accepted")
		}
	}
}

// star is a closed ring of n points on a circle, each joined to the one
// almost opposite: every edge crosses most others.
func star(n int) []xy {
	c := circle(0, 0, 100, n)
	out := make([]xy, 0, n+1)
	step := n/2 - 1
	for i := 0; i < n; i++ {
		out = append(out, c[(i*step)%n])
	}
	return append(out, out[0])
}

// BenchmarkMap draws a district: 300 foci of 200 points each.
func BenchmarkMap(b *testing.B) {
	items := district(b, 300, 200)
	var n int
	for b.Loop() {
		n = len(Map(items, MapOptions{Width: 640}))
	}
	b.ReportMetric(float64(n), "bytes")
}
