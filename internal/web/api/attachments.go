package api

import (
	"io"
	"mime"
	"net/http"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// attachedFile reads an attachment's upload (multipart field "file" or a
// raw body, see uploadedFile) and its name: the part's or ?filename=, else
// the Content-Disposition header's; valid UTF-8, in NFC. The documents'
// and the four-good criteria's attachments share it.
func (s *Handler) attachedFile(w http.ResponseWriter, r *http.Request) (io.Reader, string, error) {
	body, name, _, err := s.uploadedFile(w, r)
	if err != nil {
		return nil, "", err
	}
	if name == "" {
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
			name = params["filename"]
		}
	}
	if !utf8.ValidString(name) {
		return nil, "", apperr.Keyed(apperr.Malformed, "http.file_name_not_valid", "the file name is not valid UTF-8")
	}
	return body, norm.NFC.String(name), nil
}

// serveStoredFile answers a stored attachment: its type and name, never
// sniffed or run (a sandbox CSP), revalidated by its content hash, with
// Range requests served by http.ServeContent.
func serveStoredFile(w http.ResponseWriter, r *http.Request, mediaType, name, sha256 string, created time.Time, f io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", mediaType)
	h.Set("Content-Disposition", httpx.ContentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+sha256+`"`)
	http.ServeContent(w, r, "", created, f)
}
