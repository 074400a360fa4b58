package ui

import (
	"io"
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/qr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The account page: the signed-in person's second factor, sessions and
// password. A session restricted to enrolling a second factor sees only
// the enrolment (restrict.go lets it reach these paths and nothing else).
const (
	PageAccount     = "/tai-khoan"
	PageTOTPStart   = "/tai-khoan/xac-thuc"
	PageTOTPConfirm = "/tai-khoan/xac-thuc/xac-nhan"
	PageTOTPQR      = "/tai-khoan/xac-thuc/ma-qr"
	pagePassword    = "/tai-khoan/mat-khau"
)

// accountPage is the data of templates/account.html.
type accountPage struct {
	view
	Factor auth.SecondFactor
	// Enrolment is set right after an enrolment starts: the only time the
	// recovery codes are shown.
	Enrolment *auth.TOTPEnrolment
	Sessions  []sessionRow
	// Notice and Error are catalogue keys.
	Notice, Error string
	OTPError      bool
	// Fields holds the password form's errors: field → service message.
	Fields map[string]string
}

// sessionRow is a session as the page shows it.
type sessionRow struct {
	ID, Agent, Address, Created, LastSeen string
	Current                               bool
}

// accountNotices are the notices a redirect back to the page may ask for.
var accountNotices = map[string]string{
	"totp":     "account.totp_on",
	"password": "account.password_changed",
	"session":  "account.session_ended",
}

// accountView fills the page with the actor's second factor and sessions.
func (s *Handler) accountView(r *http.Request, p *accountPage) error {
	a := httpx.ActorFrom(r)
	f, err := s.Auth.SecondFactorOf(r.Context(), a)
	if err != nil {
		return err
	}
	p.Factor = f
	if a.Restricted {
		return nil
	}
	sessions, err := s.Auth.Sessions(r.Context(), a)
	if err != nil {
		return err
	}
	for _, si := range sessions {
		agent := si.UserAgent
		if len([]rune(agent)) > 90 {
			agent = string([]rune(agent)[:90]) + "…"
		}
		p.Sessions = append(p.Sessions, sessionRow{ID: si.ID, Agent: agent, Address: si.Address, Current: si.Current,
			Created: when(langOf(r), si.CreatedAt), LastSeen: when(langOf(r), si.LastSeen)})
	}
	return nil
}

func (s *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage) error {
	if err := s.accountView(r, p); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "account", p)
	return nil
}

func (s *Handler) uiAccount(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, &accountPage{Notice: accountNotices[r.URL.Query().Get("ok")]})
}

// uiTOTPStart begins an enrolment and shows the QR code and the recovery
// codes, which are not shown again.
func (s *Handler) uiTOTPStart(w http.ResponseWriter, r *http.Request) error {
	enr, err := s.Auth.StartTOTP(r.Context(), httpx.ActorFrom(r))
	switch apperr.CodeOf(err) {
	case "":
		return s.renderAccount(w, r, http.StatusOK, &accountPage{Enrolment: enr})
	case apperr.Conflict:
		return s.renderAccount(w, r, http.StatusConflict, &accountPage{})
	default:
		return err
	}
}

func (s *Handler) uiTOTPConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	err := s.Auth.ConfirmTOTP(r.Context(), httpx.ActorFrom(r), r.PostForm.Get("otp"))
	switch apperr.CodeOf(err) {
	case "":
		httpx.SeeOther(w, r, PageAccount+"?ok=totp")
	case apperr.Invalid:
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, &accountPage{Error: "account.totp_bad", OTPError: true})
	case apperr.Conflict:
		httpx.SeeOther(w, r, PageAccount)
	default:
		return err
	}
	return nil
}

// uiTOTPQR draws the key URI of the enrolment in progress as an SVG QR code.
func (s *Handler) uiTOTPQR(w http.ResponseWriter, r *http.Request) error {
	uri, err := s.Auth.PendingTOTPURL(r.Context(), httpx.ActorFrom(r))
	if err != nil {
		return err
	}
	svg, err := qr.SVG(uri)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "no-store")
	io.WriteString(w, svg)
	return nil
}

func (s *Handler) uiChangePassword(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	err := error(apperr.Keyed(apperr.Invalid, "common.password_was_not_changed", "the password was not changed").With(apperr.FieldKeyed("new_password2", "page.two_new_passwords_differ", "the two new passwords differ")))
	if f.Get("new_password") == f.Get("new_password2") {
		err = s.Auth.ChangePassword(r.Context(), httpx.ActorFrom(r), f.Get("current_password"), f.Get("new_password"))
	}
	switch apperr.CodeOf(err) {
	case "":
		httpx.SeeOther(w, r, PageAccount+"?ok=password")
	case apperr.Invalid:
		e, _ := apperr.As(err)
		p := &accountPage{Error: "account.password_invalid", Fields: map[string]string{}}
		for _, fe := range e.Fields {
			p.Fields[fe.Field] = fieldText(langOf(r), fe)
		}
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, p)
	case apperr.RateLimited:
		if e, _ := apperr.As(err); e.Extra["retry_after"] != nil {
			w.Header().Set("Retry-After", httpx.ToString(e.Extra["retry_after"]))
		}
		return s.renderAccount(w, r, http.StatusTooManyRequests, &accountPage{Error: "signin.slow"})
	default:
		return err
	}
	return nil
}

// uiEndSession ends one of the person's sessions; ending the current one
// signs out.
func (s *Handler) uiEndSession(w http.ResponseWriter, r *http.Request) error {
	current, err := s.EndSession(w, r)
	if err != nil {
		return err
	}
	if current {
		httpx.SeeOther(w, r, "/dang-nhap")
		return nil
	}
	httpx.SeeOther(w, r, PageAccount+"?ok=session")
	return nil
}
