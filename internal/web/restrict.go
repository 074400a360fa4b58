package web

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"github.com/sotay-vn/sotay/internal/web/ui"
)

// A restricted session (an account whose role requires a second factor
// that it has not enrolled, see auth.NeedsTOTPEnrolment) may call only
// these: enrol, look at itself, sign out — and the pages that do the same.
// Everything else answers 403 (API) or leads to the account page (HTML).
var restrictedMay = map[string]bool{
	"POST /api/v1/accounts/me/totp":         true,
	"POST /api/v1/accounts/me/totp/confirm": true,
	"GET /api/v1/accounts/me":               true,
	"DELETE /api/v1/session":                true,
	"POST /api/v1/session":                  true,
	"GET /healthz":                          true,
	"GET /metrics":                          true,

	"GET " + ui.PageAccount:      true,
	"POST " + ui.PageTOTPStart:   true,
	"POST " + ui.PageTOTPConfirm: true,
	"GET " + ui.PageTOTPQR:       true,
	"POST /dang-xuat":            true,
	"GET /dang-nhap":             true,
	"POST /dang-nhap":            true,
	"GET /ngon-ngu":              true,
}

// restrictedAllows reports whether a restricted session may make request r.
func restrictedAllows(r *http.Request) bool {
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return restrictedMay[method+" "+r.URL.Path]
}

// refuseRestricted answers a restricted session's request for anything
// else: a problem document for the API, the account page for people.
func (s *Server) refuseRestricted(w http.ResponseWriter, r *http.Request) {
	if !httpx.IsAPI(r) {
		httpx.SeeOther(w, r, ui.PageAccount)
		return
	}
	err := apperr.Keyed(apperr.Forbidden, "http.your_role_requires_second", "your role requires a second factor: enrol one (POST /api/v1/accounts/me/totp, then /confirm) before anything else")
	err.Extra = map[string]any{"type": "https://sotay.vn/problems/totp_enrolment_required", "needs": []string{auth.NeedTOTPEnrolment}}
	s.apiError(w, r, err)
}
