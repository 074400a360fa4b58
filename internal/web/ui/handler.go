// Package ui is the pages: Vietnamese first, server-rendered, working
// without JavaScript. routes.go lists every page with its policy;
// templates.go is the one template registry; i18n*.go translate by key.
package ui

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Handler serves the pages with the services it shares with the API.
type Handler struct {
	*httpx.Services
}

// handle registers a page handler: its error becomes the error page.
func (s *Handler) handle(rt *httpx.Router, pattern, policy string, h httpx.HandlerFunc) {
	rt.Handle(pattern, policy, httpx.Failing(h, s.uiError))
}

// Error answers err with the error page (for the server's middleware).
func (s *Handler) Error(w http.ResponseWriter, r *http.Request, err error) { s.uiError(w, r, err) }
