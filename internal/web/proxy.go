package web

import (
	"net"
	"net/http"
	"strings"
)

// forwardedFor replaces the remote address of requests relayed by a
// reverse proxy on this machine with the client address it reports, so
// that per-address sign-in limits and the audit trail see real clients.
// Only a loopback peer is believed: anyone else could forge the header.
func forwardedFor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsLoopback() {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				// The proxy appends the peer it saw: the last entry.
				parts := strings.Split(xff, ",")
				if client := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); client != nil {
					r.RemoteAddr = net.JoinHostPort(client.String(), "0")
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
