package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// MaxPoints is the most positions a zone may have, all rings together: a
// village drawn by hand has tens, a traced boundary a few hundred; the cap
// keeps the checks, the storage and the map small.
const MaxPoints = 5000

// Field is the name of the field ParsePolygon's errors are about.
const Field = "zone"

// ParsePolygon reads a zone as people give it: a GeoJSON Polygon geometry,
// a Feature whose geometry is a Polygon, or a FeatureCollection of exactly
// one such Feature (what geojson.io exports), optionally as a JSON string
// holding one of these. It refuses, with an apperr.Invalid error on the
// field "zone" that says what and where (rings and positions counted from
// 1): anything else, a ring of fewer than 4 positions or not closed, a
// position that is not [longitude, latitude] numbers (an altitude is
// accepted and dropped), a number that is not finite, more than MaxPoints
// positions, a position outside Vietnam's box, a ring that crosses or
// touches itself or another ring, a hole outside the outer ring or inside
// another hole. Consecutive repeated positions are dropped.
func ParsePolygon(raw json.RawMessage) (Polygon, error) {
	return decode(raw, true)
}

// decode reads raw; strict adds the checks of the shape.
func decode(raw []byte, strict bool) (Polygon, error) {
	raw = trimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			raw = trimSpace([]byte(s))
		}
	}
	if !json.Valid(raw) {
		return Polygon{}, apperr.InvalidField(Field, "geo.not_json", "the zone is not valid GeoJSON: paste a Polygon such as {\"type\": \"Polygon\", \"coordinates\": [[[105.9, 20.7], …]]}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Polygon{}, apperr.InvalidField(Field, "geo.not_json", "the zone is not valid GeoJSON: paste a Polygon such as {\"type\": \"Polygon\", \"coordinates\": [[[105.9, 20.7], …]]}")
	}
	geom, err := polygonObject(v)
	if err != nil {
		return Polygon{}, err
	}
	coords, ok := geom["coordinates"]
	if !ok || coords == nil {
		return Polygon{}, apperr.InvalidField(Field, "geo.no_coordinates", "the polygon has no \"coordinates\"")
	}
	rings, ok := coords.([]any)
	if !ok {
		return Polygon{}, apperr.InvalidField(Field, "geo.bad_coordinates", "the polygon's \"coordinates\" must be a list of rings, each a list of [longitude, latitude] positions")
	}
	if len(rings) == 0 {
		return Polygon{}, apperr.InvalidField(Field, "geo.no_rings", "the polygon has no rings: give at least its outer boundary")
	}
	total := 0
	for _, r := range rings {
		if l, ok := r.([]any); ok {
			total += len(l)
		}
	}
	if strict && total > MaxPoints {
		return Polygon{}, apperr.InvalidField(Field, "geo.too_many_points", "the zone has %d points, more than the %d allowed: simplify it", total, MaxPoints)
	}
	p := Polygon{Rings: make([][]Point, len(rings))}
	origin := make([][]int, len(rings)) // each kept point's position in the input
	for i, r := range rings {
		list, ok := r.([]any)
		if !ok {
			return Polygon{}, apperr.InvalidField(Field, "geo.bad_ring", "ring %d is not a list of [longitude, latitude] positions", i+1)
		}
		ring, at, err := readRing(i+1, list, strict)
		if err != nil {
			return Polygon{}, err
		}
		p.Rings[i] = ring
		origin[i] = at
	}
	if strict {
		if err := checkSimple(p, origin); err != nil {
			return Polygon{}, err
		}
	}
	return p, nil
}

// readRing reads ring n (from 1) of the input: its points without
// consecutive repeats, closed, and each kept point's position in the input;
// strict adds the checks of the shape (inside Vietnam, closed, at least
// three different positions).
func readRing(n int, list []any, strict bool) ([]Point, []int, error) {
	ring := make([]Point, 0, len(list))
	at := make([]int, 0, len(list))
	for j, pos := range list {
		pt, err := position(pos, n, j+1)
		if err != nil {
			return nil, nil, err
		}
		if strict && !Vietnam.Contains(pt) {
			return nil, nil, apperr.InvalidField(Field, "geo.outside_vietnam", "ring %d, position %d (longitude %s, latitude %s) is outside Vietnam (longitude 102 to 117.9, latitude 6 to 23.5): are longitude and latitude swapped?", n, j+1, num(pt.Lon), num(pt.Lat))
		}
		if len(ring) > 0 && ring[len(ring)-1] == pt {
			at[len(at)-1] = j // a repeated position adds nothing; the edge starts at the last
			continue
		}
		ring = append(ring, pt)
		at = append(at, j)
	}
	if len(list) < 4 && strict {
		return nil, nil, apperr.InvalidField(Field, "geo.ring_short", "ring %d has %d positions: a ring needs at least 4, its last repeating its first", n, len(list))
	}
	if len(ring) > 1 && ring[0] != ring[len(ring)-1] {
		if strict {
			return nil, nil, apperr.InvalidField(Field, "geo.ring_open", "ring %d is not closed: its last position must repeat its first", n)
		}
		ring = append(ring, ring[0])
		at = append(at, len(list))
	}
	if strict && len(ring) < 4 {
		return nil, nil, apperr.InvalidField(Field, "geo.ring_flat", "ring %d has fewer than 3 different positions: it encloses nothing", n)
	}
	return ring, at, nil
}

// polygonObject finds the Polygon geometry in a GeoJSON object: itself, a
// Feature's geometry, or a FeatureCollection's only Feature's.
func polygonObject(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, apperr.InvalidField(Field, "geo.not_object", "the zone must be a GeoJSON object such as {\"type\": \"Polygon\", \"coordinates\": …}")
	}
	typ, ok := m["type"].(string)
	if !ok {
		return nil, apperr.InvalidField(Field, "geo.no_type", "the zone has no GeoJSON \"type\": it must be a Polygon")
	}
	switch typ {
	case "Polygon":
		return m, nil
	case "FeatureCollection":
		fs, _ := m["features"].([]any)
		if len(fs) != 1 {
			return nil, apperr.InvalidField(Field, "geo.feature_count", "the FeatureCollection holds %d features: give one polygon", len(fs))
		}
		return polygonObject(fs[0])
	case "Feature":
		g, ok := m["geometry"].(map[string]any)
		if !ok {
			return nil, apperr.InvalidField(Field, "geo.no_geometry", "the Feature has no geometry: draw or paste a polygon")
		}
		gt, ok := g["type"].(string)
		if !ok {
			return nil, apperr.InvalidField(Field, "geo.no_type", "the zone has no GeoJSON \"type\": it must be a Polygon")
		}
		if gt != "Polygon" {
			return nil, apperr.InvalidField(Field, "geo.not_polygon", "the zone must be a Polygon, not %s", quoteType(gt))
		}
		return g, nil
	}
	return nil, apperr.InvalidField(Field, "geo.not_polygon", "the zone must be a Polygon, not %s", quoteType(typ))
}

// quoteType quotes a type name received, cut to 40 characters.
func quoteType(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return strconv.Quote(s)
}

// position reads [lon, lat] or [lon, lat, altitude].
func position(v any, ring, pos int) (Point, error) {
	l, ok := v.([]any)
	if !ok || len(l) < 2 || len(l) > 3 {
		return Point{}, apperr.InvalidField(Field, "geo.bad_position", "ring %d, position %d is not [longitude, latitude] numbers", ring, pos)
	}
	var xy [3]float64
	for k, c := range l {
		n, ok := c.(json.Number)
		if !ok {
			return Point{}, apperr.InvalidField(Field, "geo.bad_position", "ring %d, position %d is not [longitude, latitude] numbers", ring, pos)
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			var ne *strconv.NumError
			if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) && math.IsInf(f, 0) || err == nil {
				return Point{}, apperr.InvalidField(Field, "geo.not_finite", "ring %d, position %d holds a number too large to be a coordinate", ring, pos)
			}
			return Point{}, apperr.InvalidField(Field, "geo.bad_position", "ring %d, position %d is not [longitude, latitude] numbers", ring, pos)
		}
		xy[k] = f
	}
	return Point{Lon: xy[0], Lat: xy[1]}, nil
}

// num writes a coordinate for a message.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
