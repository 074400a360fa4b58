// Package api is the JSON API (../shared/API.md): routes.go lists every
// route with its policy; each handler parses the request, calls one
// service method and writes the answer, or returns its error for the one
// adapter to write as problem+json.
package api

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Handler serves the API with the services it shares with the pages.
type Handler struct {
	*httpx.Services
}

// handle registers an API handler: its error becomes problem+json.
func (s *Handler) handle(rt *httpx.Router, pattern, policy string, h httpx.HandlerFunc) {
	rt.Handle(pattern, policy, httpx.Failing(h, s.apiError))
}

// apiError writes err as application/problem+json.
func (s *Handler) apiError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteProblem(w, r, s.Log, err)
}
