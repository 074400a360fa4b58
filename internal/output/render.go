package output

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"runtime"
	"sync"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Format is a printed format.
type Format string

const (
	DOCX Format = "docx"
	PDF  Format = "pdf"
)

// MediaType is the media type of a format.
func (f Format) MediaType() string {
	if f == PDF {
		return "application/pdf"
	}
	return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

// slots bounds how many papers are set at once, whoever asks: each holds
// its layout and fonts in memory for tens of milliseconds, and a burst of
// requests queues here instead of growing the server.
var slots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// Render writes d in format f, waiting for a free slot (or for ctx to
// end). A paper set before is written again from the papers kept
// (rendered), without a slot.
func Render(ctx context.Context, w io.Writer, d *Document, f Format) error {
	key, keyed := paperKey(d, f)
	if keyed {
		if b, ok := rendered.get(key); ok {
			_, err := w.Write(b)
			return err
		}
	}
	var buf bytes.Buffer
	if err := renderSlot(ctx, &buf, d, f); err != nil {
		return err
	}
	if keyed {
		rendered.put(key, buf.Bytes())
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// renderSlot writes d in format f once a slot is free (or fails when ctx
// ends first).
func renderSlot(ctx context.Context, w io.Writer, d *Document, f Format) error {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return apperr.Keyed(apperr.Unavailable, "output.busy", "too many papers are being printed; try again")
	}
	defer func() { <-slots }()
	switch f {
	case PDF:
		return WritePDF(w, d)
	case DOCX:
		return WriteDOCX(w, d)
	}
	return apperr.Keyed(apperr.NotFound, "output.format", "no such format: %[1]s", string(f))
}

// The same paper is asked for again and again (every cell's secretary
// prints the same directive, a report is fetched once more at the
// meeting), and setting it costs tens of milliseconds of CPU: fpdf parses
// each TrueType face it embeds, names it by hashing its 65,536 widths,
// then subsets and compresses it, for every document, and keeps no parsed
// font between documents. A Document alone decides its bytes (fixed dates,
// the fonts embedded in the binary: the golden tests hold it), so the bytes
// are kept by a hash of the Document and the format: a changed paper is
// another key, and nothing needs invalidating. Bounded in entries and
// bytes; when full, arbitrary entries go (as doc.RenderCached).
const (
	renderedEntries  = 256
	renderedBytes    = 32 << 20
	renderedMaxPaper = renderedBytes / 16
)

var rendered = paperCache{entries: renderedEntries, bytes: renderedBytes, maxPaper: renderedMaxPaper}

// paperKey is the SHA-256 of the format and the Document as JSON (every
// field of a Document is exported and JSON has no map in it, so equal
// Documents give equal texts); false when the Document cannot be encoded,
// and then it is not kept.
func paperKey(d *Document, f Format) ([sha256.Size]byte, bool) {
	b, err := json.Marshal(struct {
		F Format
		D *Document
	}{f, d})
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(b), true
}

// paperCache holds papers' bytes by key, at most entries of them and
// bytes in all, none larger than maxPaper. The slices it hands out are
// never written to.
type paperCache struct {
	mu                       sync.Mutex
	m                        map[[sha256.Size]byte][]byte
	used                     int
	entries, bytes, maxPaper int
}

func (c *paperCache) get(key [sha256.Size]byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

func (c *paperCache) put(key [sha256.Size]byte, b []byte) {
	if len(b) > c.maxPaper {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[[sha256.Size]byte][]byte{}
	}
	if _, dup := c.m[key]; dup {
		return
	}
	for k, v := range c.m {
		if len(c.m) < c.entries && c.used+len(b) <= c.bytes {
			break
		}
		delete(c.m, k)
		c.used -= len(v)
	}
	c.m[key] = b
	c.used += len(b)
}
