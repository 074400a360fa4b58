package ui

import (
	"errors"
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// errorPage is the one HTML error page.
type errorPage struct {
	view
	Status int
	// Message is the service's message (translated by the template); empty
	// for "not found" and internal errors, which must not say more.
	Message string
}

// uiError renders err as an HTML page with the status that status() gives
// the API for the same error, so that the two cannot disagree.
func (s *Handler) uiError(w http.ResponseWriter, r *http.Request, err error) {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		err = apperr.Keyed(apperr.TooLarge, "page.request_too_large", "the request is too large")
	}
	code := apperr.CodeOf(err)
	p := &errorPage{Status: httpx.Status(code)}
	switch code {
	case apperr.Internal:
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case apperr.NotFound:
		// Say no more: the object may exist, out of the actor's reach.
	default:
		e, _ := apperr.As(err)
		p.Message = errText(langOf(r), e)
	}
	s.render(w, r, p.Status, "error", p)
}

// uiNotFound answers paths that match no page.
func (s *Handler) uiNotFound(w http.ResponseWriter, r *http.Request) error {
	s.uiError(w, r, apperr.Keyed(apperr.NotFound, "page.no_page", "no page at %s", r.URL.Path))
	return nil
}
