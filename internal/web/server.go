// Package web is the HTTP adapter: routes, middleware, the JSON API, the
// HTML pages and the one place where application errors become statuses.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
)

// Server holds the services the handlers call.
type Server struct {
	Org     *org.Service
	Members *member.Service
	// Docs is documents, news, search, notes and bookmarks (api_docs.go).
	Docs *doc.Service
	Auth *auth.Service
	// Tasks is work handling (api_tasks.go); Calendars the working-day
	// calendar and its official schedules (api_calendar.go).
	Tasks     *task.Service
	Calendars *task.Calendars
	// Notify is the inbox and the notification settings
	// (api_notifications.go, ui_notifications.go).
	Notify *notify.Service
	// AuditLog reads the audit trail.
	AuditLog auth.AuditStore
	// Importer reads member lists from office files.
	Importer *member.Importer
	// UnitCodes maps unit ids to codes for exports.
	UnitCodes func(ctx context.Context, ids []int64) (map[int64]string, error)
	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	Log  *slog.Logger
	Now  func() time.Time
	// MaxUpload bounds import uploads (default 20 MiB).
	MaxUpload int64
	// Secure marks cookies Secure (behind TLS).
	Secure bool
	// TrustProxy takes the client address from X-Forwarded-For when the
	// request comes from a loopback address (a reverse proxy on this host).
	TrustProxy bool

	metrics *metrics
	routes  []route
}

// route is one registered pattern with its access policy, so that a test
// can enumerate every route and check it.
type route struct {
	Pattern string
	Policy  string // "public", "signed_in"
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
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
	mux := http.NewServeMux()
	s.routes = nil
	s.apiRoutes(mux)
	s.uiRoutes(mux)
	var h http.Handler = mux
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	h = cop.Handler(h)
	h = s.validQuery(h)
	h = securityHeaders(h)
	h = s.observe(h)
	if s.TrustProxy {
		h = forwardedFor(h)
	}
	return h
}

// Routes lists the registered patterns and their policies (for tests).
func (s *Server) Routes() []route { return s.routes }

// handlerFunc is the one shape of every handler, API and page alike: it
// writes its answer, or returns the error that its surface's adapter maps
// through the one status table (errors.go).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handleAPI registers a JSON handler: its error becomes problem+json.
func (s *Server) handleAPI(mux *http.ServeMux, pattern, policy string, h handlerFunc) {
	s.handle(mux, pattern, policy, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// handlePage registers a page handler: its error becomes the error page.
func (s *Server) handlePage(mux *http.ServeMux, pattern, policy string, h handlerFunc) {
	s.handle(mux, pattern, policy, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.uiError(w, r, err)
		}
	})
}

func (s *Server) handle(mux *http.ServeMux, pattern, policy string, h http.HandlerFunc) {
	s.routes = append(s.routes, route{pattern, policy})
	if policy != "public" {
		h = s.requireActor(h)
	}
	mux.Handle(pattern, recordPattern(pattern, h))
}
