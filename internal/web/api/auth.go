package api

import (
	"context"
	"net/http"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OTP      string `json:"otp"`
}

func (s *Handler) apiSignIn(w http.ResponseWriter, r *http.Request) error {
	var in signInRequest
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	token, acc, err := s.Auth.SignIn(r.Context(), in.Username, in.Password, in.OTP, httpx.ClientAddress(r), r.UserAgent())
	if err != nil {
		return err
	}
	s.SetSessionCookie(w, token)
	answer := map[string]any{"token": token, "account": acc}
	if needs := acc.Needs(); len(needs) > 0 {
		answer["needs"] = needs
	}
	httpx.WriteJSON(w, http.StatusOK, answer)
	return nil
}

func (s *Handler) apiSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.Auth.SignOut(r.Context(), httpx.SessionToken(r)); err != nil {
		return err
	}
	s.ClearSessionCookie(w)
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

func (s *Handler) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := httpx.ActorFrom(r)
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
	httpx.WriteJSON(w, http.StatusOK, me)
	return nil
}

func (s *Handler) apiCreateAccount(w http.ResponseWriter, r *http.Request) error {
	acc, err := withBody(w, r, s.Auth.CreateAccount)
	return send(w, http.StatusCreated, acc, err)
}

func (s *Handler) apiSetRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Roles []auth.Grant `json:"roles"`
	}
	// Accept both {"roles": [...]} and a bare array; an object without
	// "roles" is 422, never "no roles" ([] removes them).
	var raw []auth.Grant
	if err := httpx.DecodeJSONEither(w, r, &in, &raw, "roles"); err != nil {
		return err
	}
	if raw != nil {
		in.Roles = raw
	}
	acc, err := s.Auth.SetRoles(r.Context(), httpx.ActorFrom(r), id, in.Roles)
	return send(w, http.StatusOK, acc, err)
}

func (s *Handler) apiAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := httpx.AuditQuery(r)
	if err != nil {
		return err
	}
	recs, next, err := auth.ListAudit(r.Context(), s.AuditLog, httpx.ActorFrom(r), q)
	return send(w, http.StatusOK, page.Of[auth.AuditRecord]{Items: recs, NextCursor: next, Total: len(recs)}, err)
}

// apiVerifyAudit runs `sotay audit verify` for an admin.
func (s *Handler) apiVerifyAudit(w http.ResponseWriter, r *http.Request) error {
	rep, err := auth.VerifyAuditChain(r.Context(), s.AuditChain, httpx.ActorFrom(r))
	return send(w, http.StatusOK, rep, err)
}

// apiAccounts lists the accounts the caller administers: ?q= (folded, the
// user name or the member's name), limit, cursor.
func (s *Handler) apiAccounts(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rows, next, err := s.Auth.ListAccounts(r.Context(), httpx.ActorFrom(r), auth.AccountQuery{Q: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit})
	return send(w, http.StatusOK, page.Of[auth.AccountRow]{Items: rows, NextCursor: next, Total: len(rows)}, err)
}

// apiAccount shows an account the caller administers, with its sessions.
func (s *Handler) apiAccount(w http.ResponseWriter, r *http.Request) error {
	v, err := httpx.ByPathID(r, s.Auth.AccountFor)
	return send(w, http.StatusOK, v, err)
}

// apiResetTOTP removes the second factor of an account whose phone was
// lost (a higher officer only).
func (s *Handler) apiResetTOTP(w http.ResponseWriter, r *http.Request) error {
	return sendDone(w, doByID(r, s.Auth.ResetSecondFactor))
}

// apiStartTOTP begins enrolling a second factor: POST /accounts/me/totp
// answers the secret, its key URI and the recovery codes, once.
func (s *Handler) apiStartTOTP(w http.ResponseWriter, r *http.Request) error {
	enr, err := s.Auth.StartTOTP(r.Context(), httpx.ActorFrom(r))
	return sendFresh(w, enr, err)
}

// apiConfirmTOTP activates the enrolment with a current code {"otp": "..."}.
func (s *Handler) apiConfirmTOTP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		OTP string `json:"otp"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return sendDone(w, s.Auth.ConfirmTOTP(r.Context(), httpx.ActorFrom(r), in.OTP))
}

// apiSessions lists the caller's sessions.
func (s *Handler) apiSessions(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Auth.Sessions(r.Context(), httpx.ActorFrom(r))
	return sendAll(w, http.StatusOK, items, err)
}

// apiEndSession ends one of the caller's sessions; ending the current one
// signs out.
func (s *Handler) apiEndSession(w http.ResponseWriter, r *http.Request) error {
	_, err := s.EndSession(w, r)
	return sendDone(w, err)
}

// apiChangePassword changes the caller's password {current_password,
// new_password}; the caller's other sessions end.
func (s *Handler) apiChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return sendDone(w, s.Auth.ChangePassword(r.Context(), httpx.ActorFrom(r), in.Current, in.New))
}

// apiResetPassword sets a new password {new_password} for an account the
// caller manages; that account's sessions end.
func (s *Handler) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	type newPassword struct {
		New string `json:"new_password"`
	}
	_, err := byIDWithBody(w, r, func(ctx context.Context, a *auth.Actor, id int64, in newPassword) (struct{}, error) {
		return struct{}{}, s.Auth.ResetPassword(ctx, a, id, in.New)
	})
	return sendDone(w, err)
}
