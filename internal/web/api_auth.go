package web

import (
	"net/http"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OTP      string `json:"otp"`
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(auth.SessionAbsolute / time.Second)})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request) error {
	var in signInRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	token, acc, err := s.Auth.SignIn(r.Context(), in.Username, in.Password, in.OTP, clientAddress(r), r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	answer := map[string]any{"token": token, "account": acc}
	if needs := acc.Needs(); len(needs) > 0 {
		answer["needs"] = needs
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.Auth.SignOut(r.Context(), sessionToken(r)); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// meAnswer is GET /accounts/me.
type meAnswer struct {
	ID       int64        `json:"id"`
	Username string       `json:"username"`
	MemberID *int64       `json:"member_id"`
	Roles    []auth.Grant `json:"roles"`
	// Needs is ["totp_enrolment"] while the session is restricted to it.
	Needs []string `json:"needs,omitempty"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	me := meAnswer{ID: a.AccountID, Username: a.Username, Roles: a.Grants}
	if a.MemberID != 0 {
		me.MemberID = &a.MemberID
	}
	if me.Roles == nil {
		me.Roles = []auth.Grant{}
	}
	if a.Restricted {
		me.Needs = []string{auth.NeedTOTPEnrolment}
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

func (s *Server) apiCreateAccount(w http.ResponseWriter, r *http.Request) error {
	var in auth.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	acc, err := s.Auth.CreateAccount(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, acc)
	return nil
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Roles []auth.Grant `json:"roles"`
	}
	// Accept both {"roles": [...]} and a bare array; an object without
	// "roles" is 422, never "no roles" ([] removes them).
	var raw []auth.Grant
	if err := decodeJSONEither(w, r, &in, &raw, "roles"); err != nil {
		return err
	}
	if raw != nil {
		in.Roles = raw
	}
	acc, err := s.Auth.SetRoles(r.Context(), actorFrom(r), id, in.Roles)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	unit, err := queryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	recs, next, err := auth.ListAudit(r.Context(), s.AuditLog, actorFrom(r), auth.AuditQuery{UnitID: unit, Object: q.Get("object"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[auth.AuditRecord]{Items: recs, NextCursor: next, Total: len(recs)})
	return nil
}

// apiStartTOTP begins enrolling a second factor: POST /accounts/me/totp
// answers the secret, its key URI and the recovery codes, once.
func (s *Server) apiStartTOTP(w http.ResponseWriter, r *http.Request) error {
	enr, err := s.Auth.StartTOTP(r.Context(), actorFrom(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, enr)
	return nil
}

// apiConfirmTOTP activates the enrolment with a current code {"otp": "..."}.
func (s *Server) apiConfirmTOTP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		OTP string `json:"otp"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.Auth.ConfirmTOTP(r.Context(), actorFrom(r), in.OTP); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiSessions lists the caller's sessions.
func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Auth.Sessions(r.Context(), actorFrom(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[auth.SessionInfo]{Items: items, Total: len(items)})
	return nil
}

// apiEndSession ends one of the caller's sessions; ending the current one
// signs out.
func (s *Server) apiEndSession(w http.ResponseWriter, r *http.Request) error {
	current, err := s.Auth.EndSession(r.Context(), actorFrom(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	if current {
		s.clearSessionCookie(w)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiChangePassword changes the caller's password {current_password,
// new_password}; the caller's other sessions end.
func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.Auth.ChangePassword(r.Context(), actorFrom(r), in.Current, in.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiResetPassword sets a new password {new_password} for an account the
// caller manages; that account's sessions end.
func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		New string `json:"new_password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.Auth.ResetPassword(r.Context(), actorFrom(r), id, in.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
