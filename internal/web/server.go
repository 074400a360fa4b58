// Package web is the HTTP server: it mounts the two surfaces — the JSON
// API (web/api) and the pages (web/ui), which share web/httpx — behind
// the middleware every request passes (authentication, cross-origin
// protection, security headers, metrics).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/sotay-vn/sotay/internal/web/api"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"github.com/sotay-vn/sotay/internal/web/ui"
)

// Server holds the services the handlers call.
type Server struct {
	httpx.Services
	// TrustProxy takes the client address from X-Forwarded-For when the
	// request comes from a loopback address (a reverse proxy on this host).
	TrustProxy bool
	// TrustedProxies are the addresses, besides loopback, whose
	// X-Forwarded-For is believed: load balancers on other machines in
	// front of several processes (--trusted-proxies).
	TrustedProxies []netip.Prefix
	// ReadYourWrites, when heavy reads go to a read replica, is how long a
	// session that wrote reads from the primary (readyourwrites.go); 0
	// without a replica.
	ReadYourWrites time.Duration
	// MarkWrote records, after a session's write succeeded, where the
	// primary's log stands, for WroteWindow: the session's heavy reads
	// then wait for the replica to replay that far (readyourwrites.go).
	// nil without a replica.
	MarkWrote   func(ctx context.Context, token string, until time.Time) error
	WroteWindow time.Duration
	// ReplicaLag, with a read replica, reads its replay lag for /metrics
	// (sotay_replica_lag_seconds); nil without one.
	ReplicaLag func(context.Context) (time.Duration, error)

	metrics *metrics
	pages   *ui.Handler
	router  *httpx.Router
}

// Handler builds the router with its middleware.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.MaxUpload == 0 {
		s.MaxUpload = 20 << 20
	}
	s.metrics = newMetrics()
	s.metrics.replicaLag = s.ReplicaLag
	s.pages = &ui.Handler{Services: &s.Services}
	mux := http.NewServeMux()
	s.router = httpx.NewRouter(mux, s.requireActor)
	s.router.Handle("GET /metrics", httpx.Public, s.metrics.serve)
	(&api.Handler{Services: &s.Services}).Routes(s.router)
	s.pages.Routes(s.router)
	var h http.Handler = mux
	h = s.readYourWrites(h)
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	h = cop.Handler(h)
	h = s.validQuery(h)
	h = securityHeaders(h)
	h = s.observe(h)
	if s.TrustProxy {
		h = forwardedFor(h, s.TrustedProxies...)
	}
	return h
}

// Routes lists the registered patterns and their policies (for tests).
func (s *Server) Routes() []httpx.Route { return s.router.Routes() }

// apiError writes err as problem+json.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteProblem(w, r, s.Log, err)
}

// uiError answers err with the error page.
func (s *Server) uiError(w http.ResponseWriter, r *http.Request, err error) { s.pages.Error(w, r, err) }
