package doc

import "sync"

// Rendering a body (goldmark, then the allow-list) costs far more than
// reading it: tens of microseconds to a millisecond for a page of text.
// Bodies change only by a revision, and a revision is a new text, so the
// rendered HTML is kept by the Markdown source itself: a revised body
// misses the cache by itself, and no invalidation is needed. The cache is
// bounded in entries and bytes (sources and results); when it is full,
// arbitrary entries go.
const (
	renderCacheEntries = 2048
	renderCacheBytes   = 64 << 20
)

var renderCache = struct {
	sync.Mutex
	m     map[string]string
	bytes int
}{m: map[string]string{}}

// RenderCached is Render, with the result kept for the next reader.
func RenderCached(md string) string {
	if md == "" {
		return ""
	}
	renderCache.Lock()
	out, ok := renderCache.m[md]
	renderCache.Unlock()
	if ok {
		return out
	}
	out = Render(md)
	size := len(md) + len(out)
	if size > renderCacheBytes/16 {
		return out
	}
	renderCache.Lock()
	defer renderCache.Unlock()
	for k, v := range renderCache.m {
		if len(renderCache.m) < renderCacheEntries && renderCache.bytes+size <= renderCacheBytes {
			break
		}
		delete(renderCache.m, k)
		renderCache.bytes -= len(k) + len(v)
	}
	if _, dup := renderCache.m[md]; !dup {
		renderCache.m[md] = out
		renderCache.bytes += size
	}
	return out
}
