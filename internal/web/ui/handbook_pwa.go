package ui

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The handbook as an installable web app: a manifest, a service worker
// served from the root (so that its scope is the whole site without a
// Service-Worker-Allowed header), app icons, and an offline page. The
// worker's source is static/sw.js and the manifest's static/manifest.
// webmanifest; at start the server writes into them the hashed URLs of
// the shell (stylesheet, script, icons) and a version that changes with
// them, so that browsers install the new worker after an upgrade.

// offlinePath is the page the worker shows for a page it does not keep.
const offlinePath = "/ngoai-tuyen"

// pwaFile is a root-scope file of the web app, ready to serve.
type pwaFile struct {
	body, gz []byte
	ctype    string
}

var manifestFile, workerFile = buildPWA()

func buildPWA() (*pwaFile, *pwaFile) {
	for _, size := range []int{192, 512} {
		addAsset("icon-"+strconv.Itoa(size)+".png", appIcon(size), "image/png")
	}
	icons := []string{"icon-192.png", "icon-512.png", "icon.svg"}
	manifest := readStatic("manifest.webmanifest")
	for _, name := range icons {
		manifest = strings.ReplaceAll(manifest, `"/static/`+name+`"`, `"`+hashedNames[name]+`"`)
	}
	shell := []string{offlinePath}
	for _, name := range append([]string{"app.css", "app.js"}, icons...) {
		shell = append(shell, hashedNames[name])
	}
	list, _ := json.Marshal(shell)
	sum := sha256.Sum256(list)
	worker := readStatic("sw.js")
	worker = strings.Replace(worker, "const VERSION = 'dev';", "const VERSION = '"+hex.EncodeToString(sum[:5])+"';", 1)
	worker = strings.Replace(worker, "const SHELL = ['"+offlinePath+"'];", "const SHELL = "+string(list)+";", 1)
	return newPWAFile(manifest, "application/manifest+json"), newPWAFile(worker, "text/javascript; charset=utf-8")
}

func readStatic(name string) string {
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func newPWAFile(body, ctype string) *pwaFile {
	return &pwaFile{body: []byte(body), gz: gzipped([]byte(body), gzip.BestCompression), ctype: ctype}
}

// addAsset serves a generated file among the hashed static assets.
func addAsset(name string, body []byte, ctype string) {
	sum := sha256.Sum256(body)
	dot := strings.LastIndexByte(name, '.')
	served := name[:dot] + "." + hex.EncodeToString(sum[:5]) + name[dot:]
	assets[served] = &asset{body: body, ctype: ctype}
	hashedNames[name] = "/static/" + served
}

// appIcon draws the app's icon: a gold star on the party's red, full bleed
// (so that it can be masked to any shape), as a PNG of size×size pixels.
func appIcon(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	red := color.NRGBA{0x9b, 0x1c, 0x1c, 0xff}
	gold := color.NRGBA{0xf5, 0xc5, 0x18, 0xff}
	// The star of icon.svg, scaled from its 512-unit box.
	var pts [10][2]float64
	s := float64(size) / 512
	for i := range pts {
		a := -math.Pi/2 + float64(i)*math.Pi/5
		r := 170.0
		if i%2 == 1 {
			r = 68
		}
		pts[i] = [2]float64{(256 + r*math.Cos(a)) * s, (266 + r*math.Sin(a)) * s}
	}
	inside := func(x, y float64) bool {
		in := false
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
		return in
	}
	mix := func(a, b uint8, t float64) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t + 0.5) }
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Four samples per pixel smooth the star's edges.
			n := 0
			for _, d := range [4][2]float64{{.25, .25}, {.75, .25}, {.25, .75}, {.75, .75}} {
				if inside(float64(x)+d[0], float64(y)+d[1]) {
					n++
				}
			}
			t := float64(n) / 4
			img.SetNRGBA(x, y, color.NRGBA{mix(red.R, gold.R, t), mix(red.G, gold.G, t), mix(red.B, gold.B, t), 0xff})
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// servePWA serves a root-scope file. "no-cache": the browser checks it on
// every use, so that a new worker or manifest takes effect at once.
func servePWA(f *pwaFile) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("Cache-Control", "no-cache")
		h.Set("Vary", "Accept-Encoding")
		body := f.body
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}
}

// offlinePage says that the network is gone and what still works.
type offlinePage struct{ view }

// uiOffline renders the offline page for nobody in particular: it is kept
// by the worker and may be shown after the next person signs in.
func (s *Handler) uiOffline(w http.ResponseWriter, r *http.Request) error {
	r = r.WithContext(context.WithValue(r.Context(), httpx.ActorKey, (*auth.Actor)(nil)))
	return s.show(w, r, "offline", &offlinePage{}, nil)
}
