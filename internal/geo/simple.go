package geo

import (
	"math"
	"math/big"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// seg is one edge of a ring: from ring[k] to ring[k+1].
type seg struct {
	a, b                   Point
	ring, k, n             int // ring, index in the ring, the ring's edge count
	minX, minY, maxX, maxY float64
}

// checkSimple refuses a polygon whose rings cross or touch (themselves or
// each other), or whose holes are not inside the outer ring and outside
// each other. origin maps each kept point to its position in the input,
// for the messages. The edges are put in a uniform grid over the polygon's
// box (about as many cells as edges) and only edges sharing a cell are
// compared: near-linear for real boundaries (docs/benchmarks.md).
//
// long: its steps (the edges, the grid's cells of each edge, the first
// meeting pair in input order, the holes) share the flat arrays of the
// grid (cells, at, from, seen), sized once for speed; split, each step
// would take half a dozen of them as arguments, and the order of the
// comparisons, which decides which pair a message names, is clearest read
// in one place.
func checkSimple(p Polygon, origin [][]int) error {
	var segs []seg
	box := NewBBox()
	for i, r := range p.Rings {
		for k := 0; k+1 < len(r); k++ {
			a, b := r[k], r[k+1]
			segs = append(segs, seg{a: a, b: b, ring: i, k: k, n: len(r) - 1,
				minX: math.Min(a.Lon, b.Lon), minY: math.Min(a.Lat, b.Lat),
				maxX: math.Max(a.Lon, b.Lon), maxY: math.Max(a.Lat, b.Lat)})
			box = box.Extend(a)
		}
	}
	g := int(math.Sqrt(float64(len(segs)))) + 1
	cw := (box.MaxLon - box.MinLon) / float64(g)
	ch := (box.MaxLat - box.MinLat) / float64(g)
	if cw <= 0 {
		cw = 1
	}
	if ch <= 0 {
		ch = 1
	}
	cellX := func(x float64) int { return clampInt(int(math.Floor((x-box.MinLon)/cw)), 0, g-1) }
	cellY := func(y float64) int { return clampInt(int(math.Floor((y-box.MinLat)/ch)), 0, g-1) }
	// Each edge goes into the cells it passes through (row by row, its
	// stretch in each row widened by a hair against rounding), not the
	// cells of its box: a long diagonal edge takes a line of cells.
	cells := make([][]int32, g*g)
	at := make([]int32, 0, 4*len(segs)) // the cells of edge i: at[from[i]:from[i+1]]
	from := make([]int, len(segs)+1)
	ex, ey := cw*1e-9, ch*1e-9
	for i, s := range segs {
		dx, dy := s.b.Lon-s.a.Lon, s.b.Lat-s.a.Lat
		for cy := cellY(s.minY - ey); cy <= cellY(s.maxY+ey); cy++ {
			x0, x1 := s.minX, s.maxX
			if dy != 0 {
				y0 := math.Max(s.minY, box.MinLat+float64(cy)*ch-ey)
				y1 := math.Min(s.maxY, box.MinLat+float64(cy+1)*ch+ey)
				xa := s.a.Lon + (y0-s.a.Lat)/dy*dx
				xb := s.a.Lon + (y1-s.a.Lat)/dy*dx
				x0, x1 = math.Max(s.minX, math.Min(xa, xb)), math.Min(s.maxX, math.Max(xa, xb))
			}
			for cx := cellX(x0 - ex); cx <= cellX(x1+ex); cx++ {
				c := cy*g + cx
				cells[c] = append(cells[c], int32(i))
				at = append(at, int32(c))
			}
		}
		from[i+1] = len(at)
	}
	// Edges are taken in input order, each compared with the later edges
	// sharing one of its cells (once each: seen marks them), so the pair
	// reported is the first in input order and an input full of
	// crossings stops at its first crossing edge.
	seen := make([]int32, len(segs))
	for i := range seen {
		seen[i] = -1
	}
	bi, bj := len(segs), len(segs)
	for i := range segs {
		s := &segs[i]
		for _, c := range at[from[i]:from[i+1]] {
			for _, j := range cells[c] {
				if int(j) <= i || seen[j] == int32(i) || int(j) >= bj {
					continue
				}
				seen[j] = int32(i)
				t := &segs[j]
				if s.maxX < t.minX || t.maxX < s.minX || s.maxY < t.minY || t.maxY < s.minY {
					continue
				}
				if meets(s, t) {
					bi, bj = i, int(j)
				}
			}
		}
		if bi < len(segs) {
			break
		}
	}
	if bi < len(segs) {
		s, t := segs[bi], segs[bj]
		sn, tn := origin[s.ring][s.k]+1, origin[t.ring][t.k]+1
		if s.ring == t.ring {
			return apperr.InvalidField(Field, "geo.self_intersection", "ring %d crosses or touches itself: segment %d meets segment %d (segment n goes from position n to the next)", s.ring+1, sn, tn)
		}
		return apperr.InvalidField(Field, "geo.rings_meet", "ring %d and ring %d cross or touch: segment %d of the first meets segment %d of the second (segment n goes from position n to the next)", s.ring+1, t.ring+1, sn, tn)
	}
	// No edges meet: each hole is wholly inside or wholly outside any
	// other ring, so one of its points tells.
	for i := 1; i < len(p.Rings); i++ {
		pt := p.Rings[i][0]
		if !inRing(pt, p.Rings[0]) {
			return apperr.InvalidField(Field, "geo.hole_outside", "ring %d is a hole (every ring after the first is) but lies outside the outer ring", i+1)
		}
		for j := 1; j < len(p.Rings); j++ {
			if j != i && inRing(pt, p.Rings[j]) {
				return apperr.InvalidField(Field, "geo.hole_in_hole", "ring %d lies inside ring %d: holes may not nest", i+1, j+1)
			}
		}
	}
	return nil
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// meets reports whether two edges have a point in common beyond the one
// point two neighbouring edges of a ring share.
func meets(s, t *seg) bool {
	if s.ring == t.ring && s.n > 1 {
		switch {
		case (s.k+1)%s.n == t.k: // s then t: they share s.b = t.a
			return backtracks(s.a, s.b, t.b)
		case (t.k+1)%t.n == s.k: // t then s: they share t.b = s.a
			return backtracks(t.a, t.b, s.b)
		}
	}
	return segmentsMeet(s.a, s.b, t.a, t.b)
}

// backtracks reports whether the path p → q → r turns back on itself:
// r lies on the line pq, on p's side of q (the edges overlap).
func backtracks(p, q, r Point) bool {
	if orient(p, q, r) != 0 {
		return false
	}
	return (p.Lon-q.Lon)*(r.Lon-q.Lon)+(p.Lat-q.Lat)*(r.Lat-q.Lat) > 0
}

// segmentsMeet reports whether the closed segments p1p2 and p3p4 have a
// point in common (crossing, touching or overlapping).
func segmentsMeet(p1, p2, p3, p4 Point) bool {
	d1 := orient(p3, p4, p1)
	d2 := orient(p3, p4, p2)
	d3 := orient(p1, p2, p3)
	d4 := orient(p1, p2, p4)
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return d1 == 0 && within(p3, p4, p1) ||
		d2 == 0 && within(p3, p4, p2) ||
		d3 == 0 && within(p1, p2, p3) ||
		d4 == 0 && within(p1, p2, p4)
}

// within reports whether c, collinear with a and b, lies between them.
func within(a, b, c Point) bool {
	return c.Lon >= math.Min(a.Lon, b.Lon) && c.Lon <= math.Max(a.Lon, b.Lon) &&
		c.Lat >= math.Min(a.Lat, b.Lat) && c.Lat <= math.Max(a.Lat, b.Lat)
}

// orient is the sign of the turn a → b → c: 1 left, -1 right, 0 straight.
// The float answer is used when it is clearly away from zero; otherwise
// the determinant is computed exactly, so that a point lying on an edge
// (a hole touching the boundary) is seen whatever the rounding.
func orient(a, b, c Point) int {
	l := (b.Lon - a.Lon) * (c.Lat - a.Lat)
	r := (b.Lat - a.Lat) * (c.Lon - a.Lon)
	d := l - r
	if bound := 1e-12 * (math.Abs(l) + math.Abs(r)); d > bound {
		return 1
	} else if d < -bound {
		return -1
	}
	return orientExact(a, b, c)
}

func orientExact(a, b, c Point) int {
	const prec = 2200 // differences and products of float64s are exact
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	sub := func(x, y float64) *big.Float { return new(big.Float).SetPrec(prec).Sub(f(x), f(y)) }
	l := new(big.Float).SetPrec(prec).Mul(sub(b.Lon, a.Lon), sub(c.Lat, a.Lat))
	r := new(big.Float).SetPrec(prec).Mul(sub(b.Lat, a.Lat), sub(c.Lon, a.Lon))
	return l.Cmp(r)
}

// inRing reports whether pt lies inside the closed ring (even-odd rule;
// pt is known not to lie on it).
func inRing(pt Point, r []Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a.Lat > pt.Lat) != (b.Lat > pt.Lat) {
			x := a.Lon + (pt.Lat-a.Lat)/(b.Lat-a.Lat)*(b.Lon-a.Lon)
			if pt.Lon < x {
				in = !in
			}
		}
	}
	return in
}
