package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/readroute"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// PrimaryCookie is the cookie that sends a session's reads to the primary
// database for a short time after it wrote (Server.ReadYourWrites).
const PrimaryCookie = "sotay_primary"

// readYourWrites routes the reads of a session that just wrote to the
// primary when heavy reads go to a replica (Server.ReadYourWrites > 0).
//
// Every session, with or without cookies (a script with a bearer token):
// a successful write records in the session's row where the primary's
// log stands (Server.MarkWrote, before the answer goes), good for
// WroteWindow; the row comes back with the session on every request
// (auth.Actor.WroteAt), and the request's heavy reads go to the replica
// only once it has replayed that far (readroute.After). A session that
// did not write pays nothing more than before.
//
// Sessions that keep cookies (browsers), besides:
// a write request (any method but GET, HEAD, OPTIONS) reads from the
// primary and, when it succeeds (status below 400) for a signed-in
// session, its answer sets a cookie good for ReadYourWrites; a request
// that brings the cookie, unexpired, reads from the primary too. The
// cookie holds its expiry and an HMAC of it keyed by the session token, so
// any process can check it without shared state or a shared key, and it
// is worth nothing to another session; forging it needs the token, which
// lets one write anyway. The store decides which reads may go to the
// replica (readroute).
func (s *Server) readYourWrites(next http.Handler) http.Handler {
	if s.ReadYourWrites <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := httpx.SessionToken(r)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			if token != "" && freshWrite(r, token, s.Clock()) {
				r = r.WithContext(readroute.Primary(r.Context()))
			} else if a := httpx.ActorFrom(r); a != nil && a.WroteAt != "" {
				r = r.WithContext(readroute.After(r.Context(), a.WroteAt))
			}
		default:
			r = r.WithContext(readroute.Primary(r.Context()))
			if token != "" && httpx.ActorFrom(r) != nil {
				ctx := context.WithoutCancel(r.Context())
				w = &markWrites{ResponseWriter: w, mark: func(h http.Header) {
					if s.MarkWrote != nil && s.WroteWindow > 0 {
						// Before the answer goes: the client's next request, to
						// whichever process, finds the mark with the session.
						if err := s.MarkWrote(ctx, token, s.Clock().Add(s.WroteWindow)); err != nil {
							s.Log.Warn("read-your-writes: mark the session", "err", err)
						}
					}
					until := s.Clock().Add(s.ReadYourWrites)
					c := &http.Cookie{Name: PrimaryCookie, Value: primaryValue(token, until), Path: "/",
						MaxAge: int((s.ReadYourWrites + time.Second - 1) / time.Second), HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode}
					h.Add("Set-Cookie", c.String())
				}}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// primaryValue is the cookie's value: the expiry in Unix milliseconds and
// its HMAC-SHA256 under the session token.
func primaryValue(token string, until time.Time) string {
	ms := strconv.FormatInt(until.UnixMilli(), 10)
	return ms + "." + primaryMAC(token, ms)
}

func primaryMAC(token, ms string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("sotay read-your-writes " + ms))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// freshWrite reports whether the request brings this session's cookie,
// unexpired.
func freshWrite(r *http.Request, token string, now time.Time) bool {
	c, err := r.Cookie(PrimaryCookie)
	if err != nil {
		return false
	}
	ms, mac, ok := strings.Cut(c.Value, ".")
	if !ok {
		return false
	}
	until, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || now.UnixMilli() >= until {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(primaryMAC(token, ms)))
}

// markWrites calls mark on the headers before an answer below 400 goes.
type markWrites struct {
	http.ResponseWriter
	mark    func(http.Header)
	written bool
}

func (w *markWrites) WriteHeader(code int) {
	if !w.written && code >= 200 {
		w.written = true
		if code < 400 {
			w.mark(w.Header())
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *markWrites) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *markWrites) Unwrap() http.ResponseWriter { return w.ResponseWriter }
