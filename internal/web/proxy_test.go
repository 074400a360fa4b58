package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func TestForwardedFor(t *testing.T) {
	tests := []struct {
		remote, xff, want string
	}{
		{"10.0.0.5:5000", "203.0.113.7", "203.0.113.7"},          // a trusted balancer
		{"10.0.1.5:5000", "203.0.113.7", "10.0.1.5"},             // outside the trusted range
		{"[::ffff:10.0.0.5]:5000", "203.0.113.8", "203.0.113.8"}, // the same, as IPv6
		{"127.0.0.1:5000", "203.0.113.7", "203.0.113.7"},
		{"127.0.0.1:5000", "10.0.0.1, 203.0.113.7", "203.0.113.7"},
		{"[::1]:5000", "2001:db8::1", "2001:db8::1"},
		{"198.51.100.2:5000", "203.0.113.7", "198.51.100.2"}, // not from the proxy: ignored
		{"127.0.0.1:5000", "not an address", "127.0.0.1"},
		{"127.0.0.1:5000", "", "127.0.0.1"},
	}
	for _, tt := range tests {
		var got string
		h := forwardedFor(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = httpx.ClientAddress(r) }), netip.MustParsePrefix("10.0.0.0/24"))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tt.want {
			t.Errorf("remote %s, X-Forwarded-For %q: got %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}
