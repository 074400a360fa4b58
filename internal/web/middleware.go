package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// authenticate attaches the actor of a valid session; it refuses only a
// session restricted to enrolling a second factor (see restrict.go).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := httpx.SessionToken(r); tok != "" && !strings.HasPrefix(r.URL.Path, "/static/") {
			a, err := s.Auth.Authenticate(r.Context(), tok, httpx.ClientAddress(r))
			if err == nil {
				if a.Restricted && !restrictedAllows(r) {
					s.refuseRestricted(w, r) // restrict.go: enrol a second factor first
					return
				}
				r = r.WithContext(context.WithValue(r.Context(), httpx.ActorKey, a))
			} else if !apperr.Is(err, apperr.Unauthorized) {
				s.Log.Error("authenticate", "err", err)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requireActor answers 401 (API) or redirects to the sign-in page (HTML).
func (s *Server) requireActor(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if httpx.ActorFrom(r) != nil {
			h(w, r)
			return
		}
		if httpx.IsAPI(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sotay"`)
			s.apiError(w, r, apperr.Keyed(apperr.Unauthorized, "common.sign_first", "sign in first"))
			return
		}
		http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (Flush for
// server-sent events).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe recovers panics, counts requests and logs failures. It logs the
// route pattern, never the query string (which may hold names).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		pattern := "unmatched"
		r = r.WithContext(context.WithValue(r.Context(), httpx.PatternKey, &pattern))
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic", "path", r.URL.Path, "panic", p)
				if sw.status == 0 {
					s.fail(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
			s.metrics.observe(r.Method, pattern, sw.status, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// crossOriginDenied answers a write that http.CrossOriginProtection
// refused: problem+json (403) for the API, the error page for pages.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, apperr.Keyed(apperr.Forbidden, "http.cross_origin_request_refused", "cross-origin request refused: send it from this site"))
}

// validQuery refuses a query string whose values are not valid UTF-8
// (400), before any handler reads it.
func (s *Server) validQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			q, _ := url.ParseQuery(r.URL.RawQuery) // pairs it cannot read are dropped, as by r.URL.Query
			bad, hasNUL, nul := false, false, ""
			for k, vs := range q {
				bad = bad || !utf8.ValidString(k)
				for _, v := range vs {
					bad = bad || !utf8.ValidString(v)
					if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
						hasNUL, nul = true, strings.ReplaceAll(k, "\x00", "")
					}
				}
			}
			if bad {
				s.fail(w, r, apperr.Keyed(apperr.Malformed, "http.query_string_not_valid", "the query string is not valid UTF-8"))
				return
			}
			if hasNUL {
				// PostgreSQL refuses a NUL in text: a search with %00 in
				// its words answered 500.
				s.fail(w, r, apperr.Keyed(apperr.Malformed, "http.query_string_nul", "the query string holds a NUL character (%s)", nul).
					With(apperr.FieldKeyed(nul, "http.query_string_nul", "the query string holds a NUL character (%s)", nul)))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers err as problem+json on the API and as the error page on
// pages.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.IsAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.uiError(w, r, err)
}
