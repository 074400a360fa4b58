package geo

import (
	"bytes"
	"encoding/xml"
	"math"
	"sort"
	"strconv"
	"strings"
)

// MapItem is one thing on a map: a zone (drawn as its polygon) or, when it
// has none, a point (drawn as a dot); either way a link with a title.
type MapItem struct {
	Href  string  // where the item links to (a path on this site: "/outbreaks/12")
	Title string  // its name, shown on hover and read by screen readers
	State string  // a CSS class for its state: "active", "closed", "gap"…
	Zone  Polygon // drawn when it has rings
	Point *Point  // drawn as a dot when Zone has none
}

// MapOptions shape a map.
type MapOptions struct {
	Width int    // the width of the viewBox in pixels; 640 when 0
	Label string // the map's accessible name (its <title>), optional
	Empty string // the text of the map when no item has a place
	Class string // more classes on <svg>, besides "geo-map"
}

const (
	mapMargin    = 8    // pixels around the items
	mapMinSpan   = 0.01 // degrees: a single focus is shown with about 1 km around it
	mapTolerance = 0.5  // pixels: Douglas–Peucker tolerance
	dotRadius    = 5    // pixels
)

// Map draws items as a standalone SVG that needs no tiles: fitted to the
// items' box with an equirectangular projection (longitudes scaled by the
// cosine of the middle latitude), as wide as opt.Width in the viewBox and
// no width of its own (it follows its container). Rings are simplified to
// half a pixel and written in whole pixels, relative moves, so that a
// district with hundreds of foci stays small. Larger zones are drawn first
// (small ones stay clickable above them), then the dots; the output depends
// only on the items. Each item is an <a href> holding a <title> and a path
// or a circle of class "focus" and its State; an href that is not a path
// on this site or an http(s) address is left out (the item is drawn
// without a link). Items without a place are left out; when none has one,
// the map is a small SVG showing opt.Empty.
func Map(items []MapItem, opt MapOptions) []byte {
	w := opt.Width
	if w <= 0 {
		w = 640
	}
	type drawn struct {
		MapItem
		area  float64
		order int
	}
	var list []drawn
	box := NewBBox()
	for i, it := range items {
		switch {
		case !it.Zone.IsZero() && finite(it.Zone):
			box = box.Union(it.Zone.BBox())
			list = append(list, drawn{it, it.Zone.Area(), i})
		case it.Point != nil && finitePoint(*it.Point):
			it.Zone = Polygon{}
			box = box.Extend(*it.Point)
			list = append(list, drawn{it, -1, i})
		}
	}
	var b bytes.Buffer
	classes := "geo-map"
	if c := cssClasses(opt.Class); c != "" {
		classes += " " + c
	}
	if len(list) == 0 {
		return emptyMap(w, classes, opt)
	}
	// Larger zones first, then dots; ties by link, title and input order.
	sort.SliceStable(list, func(i, j int) bool {
		a, c := list[i], list[j]
		if a.area != c.area {
			return a.area > c.area
		}
		if a.Href != c.Href {
			return a.Href < c.Href
		}
		if a.Title != c.Title {
			return a.Title < c.Title
		}
		return a.order < c.order
	})
	pr := newProjection(box, w)
	b.Grow(256 + 160*len(list))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + itoa(w) + ` ` + itoa(pr.h) + `" class="` + classes + `">`)
	if opt.Label != "" {
		writeTitle(&b, opt.Label)
	}
	b.WriteString(`<g fill="#d9534f" fill-opacity="0.45" stroke="#a33" stroke-width="1" fill-rule="evenodd">`)
	for _, it := range list {
		pr.writeItem(&b, it.MapItem)
	}
	b.WriteString(`</g></svg>`)
	return b.Bytes()
}

// emptyMap is the small SVG that shows opt.Empty when no item has a place.
func emptyMap(w int, classes string, opt MapOptions) []byte {
	var b bytes.Buffer
	h := 80
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + itoa(w) + ` ` + itoa(h) + `" class="` + classes + ` geo-empty" role="img">`)
	writeTitle(&b, firstNonEmpty(opt.Label, opt.Empty))
	b.WriteString(`<rect x="0.5" y="0.5" width="` + itoa(w-1) + `" height="` + itoa(h-1) + `" fill="none" stroke="#ccc"/>`)
	b.WriteString(`<text x="` + itoa(w/2) + `" y="` + itoa(h/2+5) + `" text-anchor="middle" font-size="14" fill="#666">`)
	xml.EscapeText(&b, []byte(opt.Empty))
	b.WriteString(`</text></svg>`)
	return b.Bytes()
}

// writeItem draws one item: a link (or a group when its href is not
// safe) holding its title and its zone's path, or a dot at its point (or
// at the centroid of a zone too small to draw).
func (p projection) writeItem(b *bytes.Buffer, it MapItem) {
	link := safeHref(it.Href)
	if link != "" {
		b.WriteString(`<a href="`)
		xml.EscapeText(b, []byte(link))
		b.WriteString(`">`)
	} else {
		b.WriteString(`<g>`)
	}
	writeTitle(b, it.Title)
	class := "focus"
	if c := cssClasses(it.State); c != "" {
		class += " " + c
	}
	d := ""
	if !it.Zone.IsZero() {
		d = p.path(it.Zone)
	}
	if d != "" {
		b.WriteString(`<path class="` + class + `" d="` + d + `"/>`)
	} else {
		pt := Point{}
		if it.Point != nil {
			pt = *it.Point
		} else {
			pt, _ = it.Zone.Centroid() // a zone too small to draw
		}
		x, y := p.xy(pt)
		b.WriteString(`<circle class="` + class + ` dot" cx="` + itoa(int(math.Round(x))) + `" cy="` + itoa(int(math.Round(y))) + `" r="` + itoa(dotRadius) + `"/>`)
	}
	if link != "" {
		b.WriteString(`</a>`)
	} else {
		b.WriteString(`</g>`)
	}
}

// projection maps degrees to the viewBox's pixels.
type projection struct {
	box        BBox
	k, cos     float64 // pixels a degree of latitude; the longitudes' factor
	offX, offY float64
	h          int
}

func newProjection(box BBox, w int) projection {
	// A lone point or a tiny zone gets some land around it.
	if d := mapMinSpan - (box.MaxLon - box.MinLon); d > 0 {
		box.MinLon, box.MaxLon = box.MinLon-d/2, box.MaxLon+d/2
	}
	if d := mapMinSpan - (box.MaxLat - box.MinLat); d > 0 {
		box.MinLat, box.MaxLat = box.MinLat-d/2, box.MaxLat+d/2
	}
	cos := math.Cos(rad((box.MinLat + box.MaxLat) / 2))
	spanX, spanY := (box.MaxLon-box.MinLon)*cos, box.MaxLat-box.MinLat
	inner := float64(w - 2*mapMargin)
	k := inner / spanX
	maxH := 1.5 * float64(w) // a tall district is fitted by its height
	if spanY*k+2*mapMargin > maxH {
		k = (maxH - 2*mapMargin) / spanY
	}
	h := int(math.Ceil(spanY*k)) + 2*mapMargin
	if minH := w / 4; h < minH {
		h = minH
	}
	return projection{box: box, k: k, cos: cos,
		offX: (float64(w) - spanX*k) / 2, offY: (float64(h) - spanY*k) / 2, h: h}
}

func (p projection) xy(pt Point) (float64, float64) {
	return p.offX + (pt.Lon-p.box.MinLon)*p.cos*p.k, p.offY + (p.box.MaxLat-pt.Lat)*p.k
}

// path is the SVG path of a polygon: each ring simplified, in whole pixels
// and relative moves; "" when the outer ring is too small to draw.
func (p projection) path(poly Polygon) string {
	var sb strings.Builder
	for i, r := range poly.Rings {
		pts := make([]fpt, len(r))
		for j, pt := range r {
			pts[j].x, pts[j].y = p.xy(pt)
		}
		pts = simplifyRing(pts, mapTolerance)
		ipts := make([][2]int, 0, len(pts))
		for _, q := range pts {
			c := [2]int{int(math.Round(q.x)), int(math.Round(q.y))}
			if len(ipts) > 0 && ipts[len(ipts)-1] == c {
				continue
			}
			ipts = append(ipts, c)
		}
		if len(ipts) < 4 { // fewer than three corners: nothing to draw
			if i == 0 {
				return ""
			}
			continue
		}
		ipts = ipts[:len(ipts)-1] // "z" closes the ring
		sb.WriteByte('M')
		sb.WriteString(itoa(ipts[0][0]))
		writeNum(&sb, ipts[0][1])
		sb.WriteByte('l')
		for j := 1; j < len(ipts); j++ {
			dx, dy := ipts[j][0]-ipts[j-1][0], ipts[j][1]-ipts[j-1][1]
			if j > 1 {
				writeNum(&sb, dx)
			} else {
				sb.WriteString(itoa(dx))
			}
			writeNum(&sb, dy)
		}
		sb.WriteByte('z')
	}
	return sb.String()
}

// writeNum writes a number after another: a space, unless its minus sign
// separates it.
func writeNum(sb *strings.Builder, n int) {
	if n >= 0 {
		sb.WriteByte(' ')
	}
	sb.WriteString(itoa(n))
}

type fpt struct{ x, y float64 }

// simplifyRing simplifies a closed ring (last point = first) by
// Douglas–Peucker: split at the point farthest from the first, each half
// simplified as a line.
func simplifyRing(pts []fpt, tol float64) []fpt {
	n := len(pts)
	if n <= 4 {
		return pts
	}
	far, best := 0, -1.0
	for i := 1; i < n-1; i++ {
		if d := sq(pts[i].x-pts[0].x) + sq(pts[i].y-pts[0].y); d > best {
			far, best = i, d
		}
	}
	keep := make([]bool, n)
	keep[0], keep[far], keep[n-1] = true, true, true
	dp(pts, 0, far, tol*tol, keep)
	dp(pts, far, n-1, tol*tol, keep)
	out := pts[:0:0]
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

// dp marks the points of pts[i..j] that Douglas–Peucker keeps (iterative).
func dp(pts []fpt, i, j int, tol2 float64, keep []bool) {
	stack := [][2]int{{i, j}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		a, b := s[0], s[1]
		if b-a < 2 {
			continue
		}
		idx, best := -1, tol2
		for k := a + 1; k < b; k++ {
			if d := segDist2(pts[k], pts[a], pts[b]); d > best {
				idx, best = k, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, [2]int{a, idx}, [2]int{idx, b})
		}
	}
}

// segDist2 is the squared distance from p to the segment ab.
func segDist2(p, a, b fpt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l := dx*dx + dy*dy
	if l == 0 {
		return sq(p.x-a.x) + sq(p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / l
	t = math.Max(0, math.Min(1, t))
	return sq(p.x-a.x-t*dx) + sq(p.y-a.y-t*dy)
}

func sq(x float64) float64 { return x * x }

func itoa(n int) string { return strconv.Itoa(n) }

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// writeTitle writes <title> with text escaped; nothing for "".
func writeTitle(b *bytes.Buffer, text string) {
	if text == "" {
		return
	}
	b.WriteString("<title>")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</title>")
}

// cssClasses keeps the words of s made of ASCII letters, digits, "-" and
// "_" (a state or a class from the caller, never markup).
func cssClasses(s string) string {
	var out []string
	for _, w := range strings.Fields(s) {
		ok := true
		for _, r := range w {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// safeHref returns href when it is a path on this site ("/…" but not
// "//…"), a query or fragment, or an http(s) address; else "".
func safeHref(href string) string {
	switch {
	case strings.HasPrefix(href, "//"), strings.HasPrefix(href, `/\`):
		return ""
	case strings.HasPrefix(href, "/"), strings.HasPrefix(href, "?"), strings.HasPrefix(href, "#"):
	case strings.HasPrefix(strings.ToLower(href), "https://"), strings.HasPrefix(strings.ToLower(href), "http://"):
	default:
		return ""
	}
	for _, r := range href {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	return href
}

func finitePoint(p Point) bool {
	return !math.IsNaN(p.Lon) && !math.IsNaN(p.Lat) && !math.IsInf(p.Lon, 0) && !math.IsInf(p.Lat, 0) &&
		math.Abs(p.Lon) <= 180 && math.Abs(p.Lat) <= 90
}

func finite(p Polygon) bool {
	for _, r := range p.Rings {
		for _, pt := range r {
			if !finitePoint(pt) {
				return false
			}
		}
	}
	return true
}
