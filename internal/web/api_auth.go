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

func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request) {
	var in signInRequest
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	token, acc, err := s.Auth.SignIn(r.Context(), in.Username, in.Password, clientAddress(r), r.UserAgent())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "account": acc})
}

func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.SignOut(r.Context(), sessionToken(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

// meAnswer is GET /accounts/me.
type meAnswer struct {
	ID       int64        `json:"id"`
	Username string       `json:"username"`
	MemberID *int64       `json:"member_id"`
	Roles    []auth.Grant `json:"roles"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	me := meAnswer{ID: a.AccountID, Username: a.Username, Roles: a.Grants}
	if a.MemberID != 0 {
		me.MemberID = &a.MemberID
	}
	if me.Roles == nil {
		me.Roles = []auth.Grant{}
	}
	writeJSON(w, http.StatusOK, me)
}

func (s *Server) apiCreateAccount(w http.ResponseWriter, r *http.Request) {
	var in auth.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	acc, err := s.Auth.CreateAccount(r.Context(), actorFrom(r), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, acc)
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Roles []auth.Grant `json:"roles"`
	}
	// Accept both {"roles": [...]} and a bare array.
	var raw []auth.Grant
	if err := decodeJSONEither(w, r, &in, &raw); err != nil {
		s.apiError(w, r, err)
		return
	}
	if raw != nil {
		in.Roles = raw
	}
	acc, err := s.Auth.SetRoles(r.Context(), actorFrom(r), id, in.Roles)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, acc)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	unit, err := queryID(r, "unit")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	limit, err := queryLimit(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	recs, next, err := auth.ListAudit(r.Context(), s.AuditLog, actorFrom(r), auth.AuditQuery{UnitID: unit, Object: q.Get("object"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[auth.AuditRecord]{Items: recs, NextCursor: next, Total: len(recs)})
}
