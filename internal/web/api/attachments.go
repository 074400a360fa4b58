package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
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

// storedAttachment is an attachment of a record: a document's, or a
// criterion's evidence.
type storedAttachment interface{ Stored() doc.StoredFile }

// addAttachment reads {id} and an upload (attachedFile) and adds it
// through add; it answers 201 with the attachment at its address below
// base. reach, when not nil, is checked before the upload is read: out of
// reach answers 404 whatever the upload.
func addAttachment[A storedAttachment](s *Handler, w http.ResponseWriter, r *http.Request, base string, reach func(context.Context, *auth.Actor, int64) error, add func(context.Context, *auth.Actor, int64, io.Reader, string) (A, error)) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	if reach != nil {
		if err := reach(r.Context(), a, id); err != nil {
			return err
		}
	}
	body, name, err := s.attachedFile(w, r)
	if err != nil {
		return err
	}
	at, err := add(r.Context(), a, id, body, name)
	if err != nil {
		return err
	}
	return sendAt(w, http.StatusCreated, base+strconv.FormatInt(id, 10)+"/attachments/"+strconv.FormatInt(at.Stored().ID, 10), at)
}

// serveAttachment answers the attachment {aid} of the record {id}: open
// reads it as the actor may, with its content; the file is served by
// serveStoredFile.
func serveAttachment[A storedAttachment](w http.ResponseWriter, r *http.Request, open func(context.Context, *auth.Actor, int64, int64) (A, doc.ReadSeekCloser, error)) error {
	id, aid, err := httpx.PathIDAnd(r, "aid")
	if err != nil {
		return err
	}
	at, f, err := open(r.Context(), httpx.ActorFrom(r), id, aid)
	if err != nil {
		return err
	}
	defer f.Close()
	serveStoredFile(w, r, at.Stored(), f)
	return nil
}

// serveStoredFile answers a stored attachment: its type and name, never
// sniffed or run (a sandbox CSP), revalidated by its content hash, with
// Range requests served by http.ServeContent.
func serveStoredFile(w http.ResponseWriter, r *http.Request, at doc.StoredFile, f io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", at.MediaType)
	h.Set("Content-Disposition", httpx.ContentDisposition(at.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+at.SHA256+`"`)
	http.ServeContent(w, r, "", at.CreatedAt, f)
}
