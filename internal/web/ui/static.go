package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded file, served under a name that carries a hash of
// its content, so it can be cached for a year and still change on upgrade.
type asset struct {
	body, gz []byte
	ctype    string
}

// assets maps served names ("app.1a2b3c4d5e.css") to files; hashedNames
// maps file names ("app.css") to their served URL.
var assets, hashedNames = loadAssets()

func loadAssets() (map[string]*asset, map[string]string) {
	byName, urls := map[string]*asset{}, map[string]string{}
	files, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		body, err := staticFS.ReadFile("static/" + f.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(f.Name())
		served := strings.TrimSuffix(f.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a := &asset{body: body, ctype: mime.TypeByExtension(ext)}
		if strings.HasPrefix(a.ctype, "text/") || ext == ".svg" {
			a.gz = gzipped(body, gzip.BestCompression)
		}
		byName[served], urls[f.Name()] = a, "/static/"+served
	}
	return byName, urls
}

func gzipped(b []byte, level int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// pageGzip keeps gzip writers for pages: a new writer allocates about
// 800 KB of compressor state, which costs far more than compressing a page
// of 10 KB with one that is reused.
var pageGzip = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// pageBuffers keep the buffers pages are rendered into: growing a new one
// to the size of a page allocates it several times over.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

func pageBuffer() *bytes.Buffer {
	b := pageBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// releasePageBuffer gives a buffer back once the page is written; a very
// large one is left to the collector.
func releasePageBuffer(b *bytes.Buffer) {
	if b.Cap() <= 256<<10 {
		pageBuffers.Put(b)
	}
}

// gzippedPage compresses a rendered page with a pooled writer.
func gzippedPage(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	zw := pageGzip.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	pageGzip.Put(zw)
	return buf.Bytes()
}

// assetURL is the template function that names a static file by its hash.
func assetURL(name string) (string, error) {
	u, ok := hashedNames[name]
	if !ok {
		return "", &fs.PathError{Op: "asset", Path: name, Err: fs.ErrNotExist}
	}
	return u, nil
}

// serveStatic serves the embedded assets, compressed when the client
// accepts it. Unknown names are plain 404s: no page, no session lookup.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := a.body
	if a.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(part, ";")
		if strings.TrimSpace(enc) != "gzip" {
			continue
		}
		q = strings.TrimSpace(q)
		if v, found := strings.CutPrefix(q, "q="); found {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}
