package httpx

import (
	"net"
	"net/http"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

type ctxKey int

// The request context carries the signed-in actor (set by the server's
// authentication middleware) and a slot for the matched route pattern
// (filled for the metrics middleware).
const (
	ActorKey ctxKey = iota
	PatternKey
)

// RecordPattern tells the observing middleware which route matched (the
// middleware sees an earlier copy of the request, without r.Pattern).
func RecordPattern(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(PatternKey).(*string); ok {
			*p = pattern
		}
		h(w, r)
	}
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "sotay_session"

// ActorFrom returns the signed-in actor of a request, or nil.
func ActorFrom(r *http.Request) *auth.Actor {
	a, _ := r.Context().Value(ActorKey).(*auth.Actor)
	return a
}

func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func SessionToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
