package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/task"
)

// Services are the domain modules both surfaces call, and the settings
// they share. The server (internal/web) holds one; the API and the pages
// each keep a pointer to it.
type Services struct {
	Org     *org.Service
	Members *member.Service
	// Docs is documents, news, search, notes and bookmarks.
	Docs *doc.Service
	Auth *auth.Service
	// Tasks is work handling; Calendars the working-day calendar and its
	// official schedules.
	Tasks     *task.Service
	Calendars *task.Calendars
	// Reports is report requests up the tree and the units' reports.
	Reports *report.Service
	// FourGood is the four-good cell model (frameworks, scoresheets).
	FourGood *scoring.Service
	// Notify is the inbox and the notification settings.
	Notify *notify.Service
	// Conferences are the multi-site conferences.
	Conferences *conference.Service
	// Meetings is the cell meetings: guidance, meetings, roll, compliance.
	Meetings *meeting.Service
	// Outbreaks is outbreak response under "4 tại chỗ".
	Outbreaks *outbreak.Service
	// AuditLog reads the audit trail.
	AuditLog auth.AuditStore
	// AuditChain verifies the audit log's hash chain (the admin's page).
	AuditChain auth.ChainVerifier
	// Importer reads member lists from office files.
	Importer *member.Importer
	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	Log  *slog.Logger
	Now  func() time.Time
	// MaxUpload bounds import uploads (default 20 MiB).
	MaxUpload int64
	// Secure marks cookies Secure (behind TLS).
	Secure bool
}

// Clock is the program's clock (Now, or the machine's when unset).
func (s *Services) Clock() time.Time { return date.NowFrom(s.Now) }

// Today is today's date in Vietnam, by the program's clock.
func (s *Services) Today() date.Date { return date.Today(s.Clock()) }

// SetSessionCookie gives the browser its session.
func (s *Services) SetSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(auth.SessionAbsolute / time.Second)})
}

// EndSession ends the caller's session {id} (one of theirs); ending the
// current one also clears its cookie (signs out), and says so. The API and
// the account page share it.
func (s *Services) EndSession(w http.ResponseWriter, r *http.Request) (current bool, err error) {
	current, err = s.Auth.EndSession(r.Context(), ActorFrom(r), r.PathValue("id"))
	if err == nil && current {
		s.ClearSessionCookie(w)
	}
	return current, err
}

// ClearSessionCookie removes the session from the browser.
func (s *Services) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}
