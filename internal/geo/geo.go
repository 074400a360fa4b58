// Package geo holds the zone of an outbreak focus: a polygon in
// longitude/latitude (WGS 84, as GeoJSON has it), read strictly from the
// GeoJSON people paste (ParsePolygon), measured (BBox, Centroid, Area) and
// drawn as a server-rendered SVG map (Map). Standard library only.
package geo

import (
	"math"
	"strconv"
)

// Point is a position: longitude then latitude, in degrees (GeoJSON order).
type Point struct{ Lon, Lat float64 }

// Polygon is a GeoJSON Polygon: the first ring is the outer boundary, the
// others are holes. Each ring is closed (its last point repeats its first)
// and has no two consecutive equal points. The zero Polygon (no rings) is
// "no zone" and marshals as null.
type Polygon struct{ Rings [][]Point }

// IsZero reports whether p has no rings.
func (p Polygon) IsZero() bool { return len(p.Rings) == 0 }

// Points is the number of positions in all rings.
func (p Polygon) Points() int {
	n := 0
	for _, r := range p.Rings {
		n += len(r)
	}
	return n
}

// MarshalJSON writes p as a GeoJSON Polygon geometry,
// {"type":"Polygon","coordinates":[[[lon,lat],…]]}; the zero Polygon is null.
func (p Polygon) MarshalJSON() ([]byte, error) {
	if p.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 40+p.Points()*24)
	b = append(b, `{"type":"Polygon","coordinates":[`...)
	for i, r := range p.Rings {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, pt := range r {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendFloat(b, pt.Lon, 'f', -1, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, pt.Lat, 'f', -1, 64)
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	b = append(b, "]}"...)
	return b, nil
}

// UnmarshalJSON reads a stored zone: null is the zero Polygon; otherwise
// the same reading as ParsePolygon without the checks of the shape
// (closure, crossings, bounding box, cap), so that a zone stored under
// older rules still loads. Input from people goes through ParsePolygon.
func (p *Polygon) UnmarshalJSON(raw []byte) error {
	if string(trimSpace(raw)) == "null" {
		*p = Polygon{}
		return nil
	}
	q, err := decode(raw, false)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// BBox is a bounding box in degrees. The zero BBox with Empty set is "no
// point yet"; use NewBBox and Extend.
type BBox struct {
	MinLon, MinLat, MaxLon, MaxLat float64
	Empty                          bool
}

// NewBBox returns the empty box.
func NewBBox() BBox {
	return BBox{MinLon: math.Inf(1), MinLat: math.Inf(1), MaxLon: math.Inf(-1), MaxLat: math.Inf(-1), Empty: true}
}

// Extend returns b grown to hold pt.
func (b BBox) Extend(pt Point) BBox {
	if b.Empty {
		return BBox{MinLon: pt.Lon, MinLat: pt.Lat, MaxLon: pt.Lon, MaxLat: pt.Lat}
	}
	b.MinLon = math.Min(b.MinLon, pt.Lon)
	b.MinLat = math.Min(b.MinLat, pt.Lat)
	b.MaxLon = math.Max(b.MaxLon, pt.Lon)
	b.MaxLat = math.Max(b.MaxLat, pt.Lat)
	return b
}

// Union returns the box holding b and c.
func (b BBox) Union(c BBox) BBox {
	if c.Empty {
		return b
	}
	b = b.Extend(Point{c.MinLon, c.MinLat})
	return b.Extend(Point{c.MaxLon, c.MaxLat})
}

// Contains reports whether pt lies in b, edges included.
func (b BBox) Contains(pt Point) bool {
	return !b.Empty && pt.Lon >= b.MinLon && pt.Lon <= b.MaxLon && pt.Lat >= b.MinLat && pt.Lat <= b.MaxLat
}

// BBox is the box of p's outer ring (holes lie inside it); empty for the
// zero Polygon.
func (p Polygon) BBox() BBox {
	b := NewBBox()
	if p.IsZero() {
		return b
	}
	for _, pt := range p.Rings[0] {
		b = b.Extend(pt)
	}
	return b
}

// Vietnam is the box every zone must lie in: the mainland and the islands
// (Phú Quốc, Côn Đảo, the Paracels and the Spratlys), roughly.
var Vietnam = BBox{MinLon: 102.0, MinLat: 6.0, MaxLon: 117.9, MaxLat: 23.5}

// earthRadius is the mean radius of the Earth in metres (IUGG).
const earthRadius = 6371008.8

func rad(d float64) float64 { return d * math.Pi / 180 }

// ringArea is the signed area of a closed ring on the sphere in m²,
// positive when the ring turns counter-clockwise (seen from above), by the
// formula of Chamberlain and Duquette (JPL, 2007) that GeoJSON tools use.
func ringArea(r []Point) float64 {
	if len(r) < 4 {
		return 0
	}
	var s float64
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		s += rad(b.Lon-a.Lon) * (2 + math.Sin(rad(a.Lat)) + math.Sin(rad(b.Lat)))
	}
	return s * earthRadius * earthRadius / 2
}

// Area is p's area in square metres on a spherical Earth: the outer ring's
// less its holes' (approximate: good to a fraction of a percent for a
// commune-sized zone).
func (p Polygon) Area() float64 {
	if p.IsZero() {
		return 0
	}
	a := math.Abs(ringArea(p.Rings[0]))
	for _, h := range p.Rings[1:] {
		a -= math.Abs(ringArea(h))
	}
	return math.Max(a, 0)
}

// Centroid is p's centre of area (holes taken out), computed on a local
// equirectangular plane (longitudes scaled by the cosine of the box's
// middle latitude), which is exact enough for a zone of a few kilometres.
// A polygon without area gives the mean of its outer ring's points; the
// zero Polygon gives the zero Point and false.
func (p Polygon) Centroid() (Point, bool) {
	if p.IsZero() || len(p.Rings[0]) == 0 {
		return Point{}, false
	}
	b := p.BBox()
	k := math.Cos(rad((b.MinLat + b.MaxLat) / 2))
	o := Point{b.MinLon, b.MinLat} // origin near the zone: fewer rounding errors
	var sa, sx, sy float64
	for i, r := range p.Rings {
		a, x, y := ringMoments(r, o, k)
		// The outer ring counts positive, holes negative, whatever
		// their direction.
		if (i == 0) != (a > 0) {
			a, x, y = -a, -x, -y
		}
		sa += a
		sx += x
		sy += y
	}
	if math.Abs(sa) < 1e-18 {
		var mx, my float64
		r := p.Rings[0]
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		for _, pt := range r[:n] {
			mx += pt.Lon
			my += pt.Lat
		}
		return Point{mx / float64(n), my / float64(n)}, true
	}
	return Point{o.Lon + sx/sa/k, o.Lat + sy/sa}, true
}

// ringMoments returns the signed area and first moments of a closed ring on
// the plane x = (lon-o.Lon)·k, y = lat-o.Lat (shoelace formula), so that
// the centroid is (x/a, y/a).
func ringMoments(r []Point, o Point, k float64) (a, mx, my float64) {
	for i := 0; i+1 < len(r); i++ {
		x0, y0 := (r[i].Lon-o.Lon)*k, r[i].Lat-o.Lat
		x1, y1 := (r[i+1].Lon-o.Lon)*k, r[i+1].Lat-o.Lat
		c := x0*y1 - x1*y0
		a += c
		mx += (x0 + x1) * c
		my += (y0 + y1) * c
	}
	return a / 2, mx / 6, my / 6
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
