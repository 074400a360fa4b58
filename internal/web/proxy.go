package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// forwardedFor replaces the remote address of requests relayed by a
// reverse proxy on this machine with the client address it reports, so
// that per-address sign-in limits and the audit trail see real clients.
// Only a loopback peer is believed: anyone else could forge the header.
//
// With several processes behind a load balancer on other machines, the
// balancer's addresses are listed in trusted (Server.TrustedProxies) and
// believed as well.
func forwardedFor(next http.Handler, trusted ...netip.Prefix) http.Handler {
	believed := func(ip netip.Addr) bool {
		if ip.IsLoopback() {
			return true
		}
		for _, p := range trusted {
			if p.Contains(ip.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip, perr := netip.ParseAddr(host); err == nil && perr == nil && believed(ip) {
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
