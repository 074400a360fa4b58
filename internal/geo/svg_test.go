package geo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The SVG as encoding/xml reads it.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	ViewBox string   `xml:"viewBox,attr"`
	Class   string   `xml:"class,attr"`
	Title   string   `xml:"title"`
	Text    string   `xml:"text"`
	Group   struct {
		Links  []svgItem `xml:"a"`
		Plains []svgItem `xml:"g"`
	} `xml:"g"`
}

type svgItem struct {
	Href  string `xml:"href,attr"`
	Title string `xml:"title"`
	Path  *struct {
		Class string `xml:"class,attr"`
		D     string `xml:"d,attr"`
	} `xml:"path"`
	Circle *struct {
		Class string `xml:"class,attr"`
		Cx    int    `xml:"cx,attr"`
		Cy    int    `xml:"cy,attr"`
	} `xml:"circle"`
}

func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%.300s", err, b)
	}
	return d
}

func (d svgDoc) size(t *testing.T) (w, h int) {
	t.Helper()
	if _, err := fmt.Sscanf(d.ViewBox, "0 0 %d %d", &w, &h); err != nil {
		t.Fatalf("viewBox %q: %v", d.ViewBox, err)
	}
	return w, h
}

// rings reads a path as Map writes it (M x y l dx dy … z, repeated) back
// into absolute rings.
func rings(t *testing.T, d string) [][][2]int {
	t.Helper()
	var out [][][2]int
	for _, part := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		m, l, ok := strings.Cut(strings.TrimPrefix(part, "M"), "l")
		if !ok || !strings.HasPrefix(part, "M") {
			t.Fatalf("path %q: want M…l…z", part)
		}
		nums := func(s string) []int {
			var out []int
			for _, f := range strings.Fields(strings.ReplaceAll(s, "-", " -")) {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("path %q: %v", part, err)
				}
				out = append(out, n)
			}
			return out
		}
		start, rel := nums(m), nums(l)
		if len(start) != 2 || len(rel)%2 != 0 {
			t.Fatalf("path %q: odd numbers", part)
		}
		ring := [][2]int{{start[0], start[1]}}
		for i := 0; i < len(rel); i += 2 {
			last := ring[len(ring)-1]
			ring = append(ring, [2]int{last[0] + rel[i], last[1] + rel[i+1]})
		}
		out = append(out, ring)
	}
	return out
}

func mustPoly(t testing.TB, s string) Polygon {
	t.Helper()
	p, err := ParsePolygon(json.RawMessage(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMapItems(t *testing.T) {
	big := mustPoly(t, poly(square(0, 0, 40, 30)))
	small := mustPoly(t, poly(circle(50, 40, 5, 60)))
	holed := mustPoly(t, poly(square(60, 0, 80, 20), square(65, 5, 75, 15)))
	items := []MapItem{
		{Href: "/outbreaks/3", Title: "Thôn Đại Nghiệp — sốt xuất huyết", State: "active", Zone: small},
		{Href: "/outbreaks/1", Title: `Xóm <Mới> & "Bãi"`, State: "closed", Zone: big},
		{Href: "/outbreaks/9", Title: "Chưa khoanh vùng", State: "gap", Point: &Point{105.95, 20.74}},
		{Href: "/outbreaks/7", Title: "Không có vị trí", State: "active"}, // left out
		{Href: "javascript:alert(1)", Title: "bad link", State: "active x\"><script>", Zone: holed},
	}
	out := Map(items, MapOptions{Width: 500, Label: "Bản đồ ổ dịch"})
	doc := parseSVG(t, out)
	type item struct{ Href, Title, Class, Kind string }
	var got []item
	for _, l := range append(doc.Group.Links, doc.Group.Plains...) {
		it := item{Href: l.Href, Title: l.Title}
		switch {
		case l.Path != nil:
			it.Class, it.Kind = l.Path.Class, "path"
		case l.Circle != nil:
			it.Class, it.Kind = l.Circle.Class, "circle"
		}
		got = append(got, it)
	}
	want := []item{ // links first by area (largest first), then the dot; the unlinked apart
		{"/outbreaks/1", `Xóm <Mới> & "Bãi"`, "focus closed", "path"},
		{"/outbreaks/3", "Thôn Đại Nghiệp — sốt xuất huyết", "focus active", "path"},
		{"/outbreaks/9", "Chưa khoanh vùng", "focus gap dot", "circle"},
		{"", "bad link", "focus active", "path"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if doc.Title != "Bản đồ ổ dịch" {
		t.Errorf("label: got %q", doc.Title)
	}
	for _, bad := range []string{"javascript", "<script", `Xóm <Mới>`, `& "`} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("the SVG holds %q unescaped", bad)
		}
	}
	if !bytes.Contains(out, []byte("Xóm &lt;Mới&gt; &amp; &#34;Bãi&#34;")) {
		t.Errorf("the title is not escaped as expected:\n%s", out)
	}
	// Every point drawn lies inside the viewBox, and the holed zone has two rings.
	w, h := doc.size(t)
	if w != 500 {
		t.Errorf("width: got %d, want 500", w)
	}
	for _, l := range append(doc.Group.Links, doc.Group.Plains...) {
		if l.Path == nil {
			c := l.Circle
			if c.Cx < 0 || c.Cx > w || c.Cy < 0 || c.Cy > h {
				t.Errorf("%s: dot (%d, %d) outside 0 0 %d %d", l.Title, c.Cx, c.Cy, w, h)
			}
			continue
		}
		rs := rings(t, l.Path.D)
		if l.Title == "bad link" && len(rs) != 2 {
			t.Errorf("the holed zone: got %d rings, want 2", len(rs))
		}
		for _, r := range rs {
			for _, p := range r {
				if p[0] < 0 || p[0] > w || p[1] < 0 || p[1] > h {
					t.Errorf("%s: point %v outside 0 0 %d %d", l.Title, p, w, h)
				}
			}
		}
	}
}

// The projection keeps the shape: a square 0.04° × 0.03° at 20.7°N is
// drawn 0.04·cos(20.7°) : 0.03 wide to tall, fills the width less the
// margins, and north is up.
func TestMapProjection(t *testing.T) {
	zone := mustPoly(t, poly(square(0, 0, 40, 30)))
	doc := parseSVG(t, Map([]MapItem{{Href: "/a", Title: "a", Zone: zone}}, MapOptions{Width: 400}))
	w, h := doc.size(t)
	r := rings(t, doc.Group.Links[0].Path.D)[0]
	minX, maxX, minY, maxY := r[0][0], r[0][0], r[0][1], r[0][1]
	for _, p := range r {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	if minX != mapMargin || maxX != w-mapMargin {
		t.Errorf("x from %d to %d, want %d to %d", minX, maxX, mapMargin, w-mapMargin)
	}
	wantH := float64(w-2*mapMargin) * 0.03 / (0.04 * math.Cos(rad(20.715)))
	if got := float64(maxY - minY); math.Abs(got-wantH) > 1.5 {
		t.Errorf("height: got %v px, want %.1f", got, wantH)
	}
	if math.Abs(float64(h)-(wantH+2*mapMargin)) > 1 {
		t.Errorf("viewBox height: got %d, want about %.1f", h, wantH+2*mapMargin)
	}
	// The first point is the south-west corner: bottom left.
	if r[0] != [2]int{minX, maxY} {
		t.Errorf("first point %v, want bottom left (%d, %d)", r[0], minX, maxY)
	}
}

// A circle of 200 points is drawn with far fewer, and its drawn area stays
// within 3% of the true one.
func TestMapSimplifies(t *testing.T) {
	zone := mustPoly(t, poly(circle(0, 0, 5, 200)))
	other := mustPoly(t, poly(square(-100, -100, -99, -99)))
	doc := parseSVG(t, Map([]MapItem{{Href: "/c", Title: "c", Zone: zone}, {Href: "/o", Title: "o", Zone: other}}, MapOptions{Width: 640}))
	var r [][2]int
	for _, l := range doc.Group.Links {
		if l.Href == "/c" {
			r = rings(t, l.Path.D)[0]
		}
	}
	if len(r) >= 100 || len(r) < 8 {
		t.Errorf("got %d points, want from 8 to 100", len(r))
	}
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += float64(r[i][0]*r[j][1] - r[j][0]*r[i][1])
	}
	a = math.Abs(a) / 2
	// Radius in pixels: 0.005° of latitude at the map's scale.
	w, _ := doc.size(t)
	spanX := (0.105) * math.Cos(rad(20.7-0.0475)) // from -0.1 to 0.005 in lon
	k := float64(w-2*mapMargin) / spanX
	rpx := 0.005 * k
	// The circle is 0.005° both ways: an ellipse narrowed by cos(latitude).
	if want := math.Pi * rpx * rpx * math.Cos(rad(20.7)); math.Abs(a-want)/want > 0.03 {
		t.Errorf("drawn area %.0f px², want about %.0f (radius %.1f px)", a, want, rpx)
	}
}

func TestMapEmpty(t *testing.T) {
	for _, items := range [][]MapItem{nil, {{Href: "/x", Title: "no place"}}} {
		out := Map(items, MapOptions{Width: 300, Empty: `Chưa có ổ dịch <nào> & "khoanh vùng"`})
		doc := parseSVG(t, out)
		if doc.Text != `Chưa có ổ dịch <nào> & "khoanh vùng"` {
			t.Errorf("text: got %q", doc.Text)
		}
		if w, _ := doc.size(t); w != 300 {
			t.Errorf("width: got %d, want 300", w)
		}
		if len(doc.Group.Links) != 0 || len(out) > 600 {
			t.Errorf("got %d links, %d bytes: want none, small", len(doc.Group.Links), len(out))
		}
	}
}

// district makes n foci of m points each, scattered over a district of
// about 22 × 17 km around Phú Xuyên, radii 100 to 500 m, some with a hole,
// deterministic.
func district(tb testing.TB, n, m int) []MapItem {
	rng := rand.New(rand.NewPCG(14, 2026))
	items := make([]MapItem, 0, n)
	states := []string{"active", "closed", "gap"}
	for i := 0; i < n; i++ {
		cx, cy := rng.Float64()*200, rng.Float64()*150
		r := 1 + rng.Float64()*4
		ring := make([]xy, 0, m)
		for j := 0; j < m-1; j++ {
			a := 2 * math.Pi * float64(j) / float64(m-1)
			rr := r * (1 + 0.15*math.Sin(5*a) + 0.05*rng.Float64())
			ring = append(ring, xy{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		items = append(items, MapItem{
			Href:  fmt.Sprintf("/outbreaks/%d", 1000+i),
			Title: fmt.Sprintf("Ổ dịch số %d — thôn Đại Nghiệp, xã Phú Túc: %d ca", i+1, rng.IntN(40)),
			State: states[i%3],
			Zone:  mustPoly(tb, poly(ring)),
		})
	}
	return items
}

func TestMapDistrictSize(t *testing.T) {
	items := district(t, 300, 200)
	out := Map(items, MapOptions{Width: 640, Label: "Huyện Phú Xuyên"})
	if len(out) >= 100_000 {
		t.Errorf("the map of 300 foci of 200 points is %d bytes, want under 100,000", len(out))
	}
	doc := parseSVG(t, out)
	if len(doc.Group.Links) != len(items) {
		t.Fatalf("got %d links, want %d", len(doc.Group.Links), len(items))
	}
	want := map[string]string{}
	for _, it := range items {
		want[it.Href] = it.Title
	}
	for _, l := range doc.Group.Links {
		if want[l.Href] != l.Title {
			t.Errorf("%s: title %q, want %q", l.Href, l.Title, want[l.Href])
		}
		delete(want, l.Href)
	}
	if len(want) != 0 {
		t.Errorf("missing links: %v", want)
	}
	// Deterministic: the same items in another order draw the same map.
	shuffled := append([]MapItem(nil), items...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if again := Map(shuffled, MapOptions{Width: 640, Label: "Huyện Phú Xuyên"}); !bytes.Equal(out, again) {
		t.Error("the map depends on the items' order")
	}
	t.Logf("300 foci × 200 points: %d bytes", len(out))
}

func TestSafeHrefAndClasses(t *testing.T) {
	for in, want := range map[string]string{
		"/outbreaks/1?x=1&y=2":  "/outbreaks/1?x=1&y=2",
		"https://example.org/a": "https://example.org/a",
		"HTTP://example.org":    "HTTP://example.org",
		"//evil.example":        "",
		`/\evil.example`:        "",
		"javascript:alert(1)":   "",
		" javascript:x":         "",
		"data:text/html,x":      "",
		"/a\nb":                 "",
		"#z":                    "#z",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q): got %q, want %q", in, got, want)
		}
	}
	if got := cssClasses(`active "><x> gap-2 đ`); got != "active gap-2" {
		t.Errorf("cssClasses: got %q", got)
	}
}
