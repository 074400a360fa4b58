package output

import (
	"context"
	"io"
	"runtime"

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
// end).
func Render(ctx context.Context, w io.Writer, d *Document, f Format) error {
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
