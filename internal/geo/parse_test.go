package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Around Phú Xuyên (Hà Nội): x, y are offsets in thousandths of a degree.
const lon0, lat0 = 105.9, 20.7

type xy [2]float64

// poly writes a GeoJSON Polygon whose rings are given in thousandths of a
// degree from (lon0, lat0).
func poly(rings ...[]xy) string {
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[`)
	for i, r := range rings {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, p := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%s,%s]", num(lon0+p[0]/1000), num(lat0+p[1]/1000))
		}
		b.WriteByte(']')
	}
	b.WriteString(`]}`)
	return b.String()
}

// square is the closed ring of the square (x0, y0)–(x1, y1), counter-clockwise.
func square(x0, y0, x1, y1 float64) []xy {
	return []xy{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// circle is a closed ring of n points around (cx, cy) with radius r.
func circle(cx, cy, r float64, n int) []xy {
	out := make([]xy, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		out = append(out, xy{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return append(out, out[0])
}

func TestParsePolygonRefusals(t *testing.T) {
	big := circle(0, 0, 100, MaxPoints) // MaxPoints+1 positions with the closing one
	tests := []struct {
		name, in string
		key      string
		args     []any
	}{
		{"not JSON", `{"type":`, "geo.not_json", nil},
		{"empty", ``, "geo.not_json", nil},
		{"two values", `{} {}`, "geo.not_json", nil},
		{"an array", `[[105.9,20.7]]`, "geo.not_object", nil},
		{"a number", `12`, "geo.not_object", nil},
		{"null", `null`, "geo.not_object", nil},
		{"no type", `{"coordinates":[]}`, "geo.no_type", nil},
		{"type not a string", `{"type":5}`, "geo.no_type", nil},
		{"multipolygon", `{"type":"MultiPolygon","coordinates":[]}`, "geo.not_polygon", []any{`"MultiPolygon"`}},
		{"lower case", `{"type":"polygon","coordinates":[]}`, "geo.not_polygon", []any{`"polygon"`}},
		{"long type cut", `{"type":"` + strings.Repeat("x", 60) + `"}`, "geo.not_polygon", []any{`"` + strings.Repeat("x", 40) + `…"`}},
		{"feature of a point", `{"type":"Feature","geometry":{"type":"Point","coordinates":[105.9,20.7]}}`, "geo.not_polygon", []any{`"Point"`}},
		{"feature without geometry", `{"type":"Feature","geometry":null,"properties":{}}`, "geo.no_geometry", nil},
		{"collection of two", `{"type":"FeatureCollection","features":[{},{}]}`, "geo.feature_count", []any{2}},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "geo.feature_count", []any{0}},
		{"no coordinates", `{"type":"Polygon"}`, "geo.no_coordinates", nil},
		{"null coordinates", `{"type":"Polygon","coordinates":null}`, "geo.no_coordinates", nil},
		{"coordinates a number", `{"type":"Polygon","coordinates":5}`, "geo.bad_coordinates", nil},
		{"no rings", `{"type":"Polygon","coordinates":[]}`, "geo.no_rings", nil},
		{"ring not a list", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,20.7],[105.91,20.71],[105.9,20.7]],7]}`, "geo.bad_ring", []any{2}},
		{"position a string", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,"20.7"],[105.91,20.71],[105.9,20.7]]]}`, "geo.bad_position", []any{1, 2}},
		{"position one number", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,20.7],[105.91],[105.9,20.7]]]}`, "geo.bad_position", []any{1, 3}},
		{"position four numbers", `{"type":"Polygon","coordinates":[[[105.9,20.7,1,2],[105.91,20.7],[105.91,20.71],[105.9,20.7]]]}`, "geo.bad_position", []any{1, 1}},
		{"position an object", `{"type":"Polygon","coordinates":[[{"lon":105.9,"lat":20.7}]]}`, "geo.bad_position", []any{1, 1}},
		{"infinite", `{"type":"Polygon","coordinates":[[[105.9,20.7],[1e999,20.7],[105.91,20.71],[105.9,20.7]]]}`, "geo.not_finite", []any{1, 2}},
		{"swapped", `{"type":"Polygon","coordinates":[[[20.7,105.9],[20.7,105.91],[20.71,105.91],[20.7,105.9]]]}`, "geo.outside_vietnam", []any{1, 1, "20.7", "105.9"}},
		{"west of the box", `{"type":"Polygon","coordinates":[[[105.9,20.7],[101.99,20.7],[105.91,20.71],[105.9,20.7]]]}`, "geo.outside_vietnam", []any{1, 2, "101.99", "20.7"}},
		{"north of the box", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,23.5001],[105.91,20.71],[105.9,20.7]]]}`, "geo.outside_vietnam", []any{1, 2, "105.91", "23.5001"}},
		{"east of the box", `{"type":"Polygon","coordinates":[[[117.9,10],[117.95,10],[117.9,10.1],[117.9,10]]]}`, "geo.outside_vietnam", []any{1, 2, "117.95", "10"}},
		{"south of the box", `{"type":"Polygon","coordinates":[[[110,6],[110.1,6],[110.1,5.99],[110,6]]]}`, "geo.outside_vietnam", []any{1, 3, "110.1", "5.99"}},
		{"three positions", poly([]xy{{0, 0}, {1, 0}, {0, 0}}), "geo.ring_short", []any{1, 3}},
		{"hole of three positions", poly(square(0, 0, 10, 10), []xy{{1, 1}, {2, 1}, {1, 1}}), "geo.ring_short", []any{2, 3}},
		{"not closed", poly([]xy{{0, 0}, {1, 0}, {1, 1}, {0, 1}}), "geo.ring_open", []any{1}},
		{"flat after repeats", poly([]xy{{0, 0}, {1, 0}, {1, 0}, {0, 0}}), "geo.ring_flat", []any{1}},
		{"one point", poly([]xy{{0, 0}, {0, 0}, {0, 0}, {0, 0}}), "geo.ring_flat", []any{1}},
		{"too many points", poly(big), "geo.too_many_points", []any{MaxPoints + 1, MaxPoints}},
		{"bow tie", poly([]xy{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}), "geo.self_intersection", []any{1, 1, 3}},
		{"bow tie after a repeat", poly([]xy{{0, 0}, {0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}), "geo.self_intersection", []any{1, 2, 4}},
		{"figure eight touching at a vertex", poly([]xy{{0, 0}, {10, 0}, {5, 5}, {10, 10}, {0, 10}, {5, 5}, {0, 0}}), "geo.self_intersection", []any{1, 2, 5}},
		{"vertex on an edge", poly([]xy{{0, 0}, {10, 0}, {10, 10}, {5, 0}, {0, 10}, {0, 0}}), "geo.self_intersection", []any{1, 1, 3}},
		{"spike back along an edge", poly([]xy{{0, 0}, {10, 0}, {15, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}), "geo.self_intersection", []any{1, 1, 3}},
		{"spike back from the start", poly([]xy{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}, {0, -5}, {0, 0}}), "geo.self_intersection", []any{1, 1, 4}},
		{"collinear overlap", poly([]xy{{0, 0}, {10, 0}, {10, 5}, {3, 0}, {3, -5}, {0, -5}, {0, 0}}), "geo.self_intersection", []any{1, 1, 3}},
		{"hole crossing the outer ring", poly(square(0, 0, 10, 10), square(5, 5, 15, 15)), "geo.rings_meet", []any{1, 2, 2, 1}},
		{"hole touching the outer ring", poly(square(0, 0, 10, 10), []xy{{5, 0}, {7, 2}, {3, 2}, {5, 0}}), "geo.rings_meet", []any{1, 2, 1, 1}},
		{"touching holes", poly(square(0, 0, 10, 10), square(1, 1, 4, 4), square(4, 4, 6, 6)), "geo.rings_meet", []any{2, 3, 2, 1}},
		{"holes sharing an edge", poly(square(0, 0, 10, 10), square(1, 1, 4, 4), square(4, 1, 6, 4)), "geo.rings_meet", []any{2, 3, 1, 1}},
		{"hole outside", poly(square(0, 0, 10, 10), square(20, 20, 25, 25)), "geo.hole_outside", []any{2}},
		{"hole in a hole", poly(square(0, 0, 10, 10), square(1, 1, 9, 9), square(3, 3, 5, 5)), "geo.hole_in_hole", []any{3, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolygon(json.RawMessage(tt.in))
			if err == nil {
				t.Fatalf("got %d rings and no error, want %s", len(p.Rings), tt.key)
			}
			e, ok := apperr.As(err)
			if !ok {
				t.Fatalf("got %T %v, want an apperr", err, err)
			}
			type got struct {
				Code  apperr.Code
				Key   string
				Args  []any
				Field string
				FKey  string
			}
			g := got{Code: e.Code, Key: e.Key, Args: e.Args}
			if len(e.Fields) == 1 {
				g.Field, g.FKey = e.Fields[0].Field, e.Fields[0].Key
			}
			want := got{Code: apperr.Invalid, Key: tt.key, Args: tt.args, Field: "zone", FKey: tt.key}
			if d := cmp.Diff(want, g, cmp.Comparer(func(a, b []any) bool { return fmt.Sprint(a) == fmt.Sprint(b) })); d != "" {
				t.Errorf("%v\n(-want +got):\n%s", err, d)
			}
		})
	}
}

func TestParsePolygonAccepts(t *testing.T) {
	sq := `[[105.9,20.7],[105.91,20.7],[105.91,20.71],[105.9,20.71],[105.9,20.7]]`
	want := Polygon{Rings: [][]Point{{{105.9, 20.7}, {105.91, 20.7}, {105.91, 20.71}, {105.9, 20.71}, {105.9, 20.7}}}}
	tests := []struct {
		name, in string
		want     Polygon
	}{
		{"polygon", `{"type":"Polygon","coordinates":[` + sq + `]}`, want},
		{"spaces and other members", " \n{\"bbox\":[1,2,3,4],\"type\":\"Polygon\",\"coordinates\":[" + sq + "]}\t", want},
		{"feature", `{"type":"Feature","properties":{"name":"Thôn Đại Nghiệp"},"geometry":{"type":"Polygon","coordinates":[` + sq + `]}}`, want},
		{"geojson.io collection", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"coordinates":[` + sq + `],"type":"Polygon"}}]}`, want},
		{"a JSON string", `"{\"type\":\"Polygon\",\"coordinates\":[` + sq + `]}"`, want},
		{"altitudes dropped", `{"type":"Polygon","coordinates":[[[105.9,20.7,12],[105.91,20.7,3],[105.91,20.71,0],[105.9,20.71,1.5],[105.9,20.7,12]]]}`, want},
		{"repeats dropped", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,20.7],[105.91,20.7],[105.91,20.71],[105.9,20.71],[105.9,20.7],[105.9,20.7]]]}`, want},
		{"clockwise kept", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.9,20.71],[105.91,20.71],[105.91,20.7],[105.9,20.7]]]}`,
			Polygon{Rings: [][]Point{{{105.9, 20.7}, {105.9, 20.71}, {105.91, 20.71}, {105.91, 20.7}, {105.9, 20.7}}}}},
		{"corners of the box", `{"type":"Polygon","coordinates":[[[102,6],[117.9,6],[117.9,23.5],[102,23.5],[102,6]]]}`,
			Polygon{Rings: [][]Point{{{102, 6}, {117.9, 6}, {117.9, 23.5}, {102, 23.5}, {102, 6}}}}},
		{"triangle", `{"type":"Polygon","coordinates":[[[105.9,20.7],[105.91,20.7],[105.9,20.71],[105.9,20.7]]]}`,
			Polygon{Rings: [][]Point{{{105.9, 20.7}, {105.91, 20.7}, {105.9, 20.71}, {105.9, 20.7}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePolygon(json.RawMessage(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// Shapes that are valid though they come close to the refusals.
func TestParsePolygonValidShapes(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"two holes apart", poly(square(0, 0, 10, 10), square(1, 1, 4, 4), square(5, 5, 8, 8))},
		{"concave", poly([]xy{{0, 0}, {10, 0}, {10, 10}, {5, 1}, {0, 10}, {0, 0}})},
		{"collinear neighbours", poly([]xy{{0, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}})},
		{"circle at the cap", poly(circle(0, 0, 100, MaxPoints-1))},
		{"hole near the edge", poly(square(0, 0, 10, 10), square(0.001, 0.001, 9.999, 9.999))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePolygon(json.RawMessage(tt.in)); err != nil {
				t.Errorf("got %v, want no error", err)
			}
		})
	}
}

func TestPolygonRoundTrip(t *testing.T) {
	for _, in := range []string{
		poly(square(0, 0, 10, 10)),
		poly(square(0, 0, 10, 10), square(1, 1, 4, 4), square(5, 5, 8, 8)),
		poly(circle(3, 4, 7.5, 200)),
	} {
		p, err := ParsePolygon(json.RawMessage(in))
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("marshal: got %.80s…, want %.80s…", out, in)
		}
		q, err := ParsePolygon(out)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(p, q); d != "" {
			t.Errorf("round trip (-first +second):\n%s", d)
		}
		var u Polygon
		if err := json.Unmarshal(out, &u); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(p, u); d != "" {
			t.Errorf("UnmarshalJSON (-parsed +unmarshalled):\n%s", d)
		}
	}
	// The zero Polygon is null both ways, as a struct field.
	type focus struct {
		Zone Polygon `json:"zone"`
	}
	out, err := json.Marshal(focus{})
	if err != nil || string(out) != `{"zone":null}` {
		t.Errorf("zero: got %s %v, want {\"zone\":null}", out, err)
	}
	var f focus
	f.Zone.Rings = [][]Point{{{1, 2}}}
	if err := json.Unmarshal([]byte(`{"zone":null}`), &f); err != nil || !f.Zone.IsZero() {
		t.Errorf("null: got %v %v, want the zero Polygon", f.Zone, err)
	}
}

// A stored zone loads even when it would now be refused (outside the box,
// crossing), and an open ring is closed.
func TestUnmarshalLenient(t *testing.T) {
	var p Polygon
	err := json.Unmarshal([]byte(`{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10]]]}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	want := Polygon{Rings: [][]Point{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if err := json.Unmarshal([]byte(`{"type":"Point","coordinates":[0,0]}`), &p); err == nil {
		t.Error("a Point: got no error")
	}
}

func TestBBox(t *testing.T) {
	p, err := ParsePolygon(json.RawMessage(poly(square(0, 0, 10, 10), square(1, 1, 4, 4))))
	if err != nil {
		t.Fatal(err)
	}
	got := p.BBox()
	far := p.Rings[0][2] // (10, 10) as parsed
	want := BBox{MinLon: lon0, MinLat: lat0, MaxLon: far.Lon, MaxLat: far.Lat}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !NewBBox().Empty || !(Polygon{}).BBox().Empty {
		t.Error("the empty box is not empty")
	}
	for _, tt := range []struct {
		pt   Point
		want bool
	}{
		{Point{102, 6}, true}, {Point{117.9, 23.5}, true}, {Point{101.9999999, 10}, false},
		{Point{110, 23.5000001}, false}, {Point{117.9000001, 10}, false}, {Point{110, 5.9999999}, false},
		{Point{109.33, 16.5}, true},  // the Paracels
		{Point{114.35, 10.38}, true}, // the Spratlys
		{Point{103.96, 10.23}, true}, // Phú Quốc
	} {
		if got := Vietnam.Contains(tt.pt); got != tt.want {
			t.Errorf("Vietnam.Contains(%v): got %v, want %v", tt.pt, got, tt.want)
		}
	}
	u := NewBBox().Union(got).Union(NewBBox()).Extend(Point{106, 21})
	if want := (BBox{MinLon: lon0, MinLat: lat0, MaxLon: 106, MaxLat: 21}); u != want {
		t.Errorf("union: got %+v, want %+v", u, want)
	}
}

func TestAreaAndCentroid(t *testing.T) {
	// A square of 0.01° at 20.7°N: about 1,113 m × 1,041 m.
	sq, _ := ParsePolygon(json.RawMessage(poly(square(0, 0, 10, 10))))
	holed, err := ParsePolygon(json.RawMessage(poly(square(0, 0, 10, 10), square(5, 1, 9, 9))))
	if err != nil {
		t.Fatal(err)
	}
	cw, _ := ParsePolygon(json.RawMessage(poly([]xy{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}})))
	side := earthRadius * rad(0.01)
	cosMid := math.Cos(rad(20.705))
	tests := []struct {
		name     string
		p        Polygon
		area     float64
		centroid Point
	}{
		{"square", sq, side * side * cosMid, Point{105.905, 20.705}},
		{"clockwise square", cw, side * side * cosMid, Point{105.905, 20.705}},
		// The hole takes 0.004×0.008 of the right half: the centre moves left.
		{"square with a hole", holed, side * side * cosMid * (1 - 0.32),
			Point{105.9 + (0.005*100e-6-0.007*32e-6)/(68e-6), 20.705}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Area(); math.Abs(got-tt.area)/tt.area > 0.002 {
				t.Errorf("area: got %.0f m², want %.0f m²", got, tt.area)
			}
			got, ok := tt.p.Centroid()
			if !ok || math.Abs(got.Lon-tt.centroid.Lon) > 1e-6 || math.Abs(got.Lat-tt.centroid.Lat) > 1e-6 {
				t.Errorf("centroid: got %v %v, want %v", got, ok, tt.centroid)
			}
		})
	}
	if _, ok := (Polygon{}).Centroid(); ok {
		t.Error("the zero polygon has a centroid")
	}
	if a := (Polygon{}).Area(); a != 0 {
		t.Errorf("the zero polygon's area: got %v", a)
	}
}
