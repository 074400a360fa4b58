package ui

import (
	"net/http"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// signInPage is the sign-in form.
type signInPage struct {
	view
	Username string
	Next     string
	// Error is a catalogue key: the same one for an unknown user and a
	// wrong password, so the page does not tell which accounts exist.
	Error string
	// OTP shows the field for the second factor, once the server has said
	// that the account needs one (or when it was already filled in).
	OTP bool
}

func (s *Handler) uiSignInForm(w http.ResponseWriter, r *http.Request) error {
	next := httpx.LocalPath(r.URL.Query().Get("next"))
	if httpx.ActorFrom(r) != nil {
		httpx.SeeOther(w, r, next)
		return nil
	}
	return s.show(w, r, "signin", &signInPage{Next: next}, nil)
}

func (s *Handler) uiSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	otp := r.PostForm.Get("otp")
	p := &signInPage{Username: r.PostForm.Get("username"), Next: httpx.LocalPath(r.PostForm.Get("next")), OTP: otp != ""}
	token, acc, err := s.Auth.SignIn(r.Context(), p.Username, r.PostForm.Get("password"), otp, httpx.ClientAddress(r), r.UserAgent())
	switch apperr.CodeOf(err) {
	case "":
		s.SetSessionCookie(w, token)
		if len(acc.Needs()) > 0 {
			httpx.SeeOther(w, r, PageAccount) // enrol a second factor first
			return nil
		}
		httpx.SeeOther(w, r, p.Next)
	case apperr.Unauthorized:
		p.Error = "signin.failed"
		if e, _ := apperr.As(err); e != nil && e.Extra["otp_required"] == true {
			p.OTP = true
			p.Error = "signin.otp"
			if otp != "" {
				p.Error = "signin.otp_failed"
			}
		}
		s.render(w, r, http.StatusUnauthorized, "signin", p)
	case apperr.RateLimited:
		p.Error = "signin.slow"
		if e, _ := apperr.As(err); e.Extra["retry_after"] != nil {
			w.Header().Set("Retry-After", httpx.ToString(e.Extra["retry_after"]))
		}
		s.render(w, r, http.StatusTooManyRequests, "signin", p)
	default:
		return err
	}
	return nil
}

func (s *Handler) uiSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.Auth.SignOut(r.Context(), httpx.SessionToken(r)); err != nil {
		return err
	}
	s.ClearSessionCookie(w)
	httpx.SeeOther(w, r, "/dang-nhap")
	return nil
}

// uiLanguage remembers the chosen language for a year and goes back to
// the page the link was on.
func (s *Handler) uiLanguage(w http.ResponseWriter, r *http.Request) error {
	l := vi
	if lang(r.URL.Query().Get("lang")) == en {
		l = en
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(365 * 24 * time.Hour / time.Second)})
	httpx.SeeOther(w, r, httpx.LocalPath(r.URL.Query().Get("next")))
	return nil
}
