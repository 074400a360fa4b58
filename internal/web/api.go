package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"golang.org/x/text/unicode/norm"
)

// maxJSON bounds every JSON request body.
const maxJSON = 1 << 20

func (s *Server) apiRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /healthz", "public", s.healthz)
	s.handle(mux, "GET /metrics", "public", func(w http.ResponseWriter, r *http.Request) { s.metrics.serve(w, r) })

	s.handle(mux, "POST /api/v1/session", "public", s.apiSignIn)
	s.handle(mux, "DELETE /api/v1/session", "signed_in", s.apiSignOut)
	s.handle(mux, "GET /api/v1/accounts/me", "signed_in", s.apiMe)
	s.handle(mux, "POST /api/v1/accounts", "signed_in", s.apiCreateAccount)
	s.handle(mux, "PUT /api/v1/accounts/{id}/roles", "signed_in", s.apiSetRoles)
	s.handle(mux, "POST /api/v1/accounts/{id}/password-reset", "signed_in", s.apiResetPassword)
	s.handle(mux, "POST /api/v1/accounts/me/password", "signed_in", s.apiChangePassword)
	s.handle(mux, "POST /api/v1/accounts/me/totp", "signed_in", s.apiStartTOTP)
	s.handle(mux, "POST /api/v1/accounts/me/totp/confirm", "signed_in", s.apiConfirmTOTP)
	s.handle(mux, "GET /api/v1/accounts/me/sessions", "signed_in", s.apiSessions)
	s.handle(mux, "DELETE /api/v1/accounts/me/sessions/{id}", "signed_in", s.apiEndSession)
	s.accountPages(mux) // the account page and its forms (ui_account.go)

	s.handle(mux, "GET /api/v1/audit", "signed_in", s.apiAudit)

	s.handle(mux, "GET /api/v1/units", "signed_in", s.api(s.apiUnits))
	s.handle(mux, "POST /api/v1/units", "signed_in", s.api(s.apiCreateUnit))
	s.handle(mux, "POST /api/v1/units/merge", "signed_in", s.api(s.apiMergeUnits))
	s.handle(mux, "GET /api/v1/units/{id}", "signed_in", s.api(s.apiUnit))
	s.handle(mux, "PATCH /api/v1/units/{id}", "signed_in", s.api(s.apiUpdateUnit))
	s.handle(mux, "POST /api/v1/units/{id}/move", "signed_in", s.api(s.apiMoveUnit))
	s.handle(mux, "POST /api/v1/units/{id}/dissolve", "signed_in", s.api(s.apiDissolveUnit))
	s.handle(mux, "POST /api/v1/units/{id}/split", "signed_in", s.api(s.apiSplitUnit))
	s.handle(mux, "GET /api/v1/units/{id}/stats", "signed_in", s.api(s.apiUnitStats))

	s.handle(mux, "GET /api/v1/members", "signed_in", s.apiMembers)
	s.handle(mux, "POST /api/v1/members", "signed_in", s.apiCreateMember)
	s.handle(mux, "GET /api/v1/members/due-full", "signed_in", s.apiDueFull)
	s.handle(mux, "GET /api/v1/members/{id}", "signed_in", s.apiMember)
	s.handle(mux, "PATCH /api/v1/members/{id}", "signed_in", s.apiUpdateMember)
	s.handle(mux, "POST /api/v1/members/{id}/transfers", "signed_in", s.apiTransfer)
	s.handle(mux, "POST /api/v1/members/{id}/status", "signed_in", s.apiChangeStatus)
	s.handle(mux, "GET /api/v1/members/{id}/events", "signed_in", s.apiMemberEvents)
	s.handle(mux, "POST /api/v1/imports/members", "signed_in", s.apiImportMembers)
	s.handle(mux, "GET /api/v1/exports/members", "signed_in", s.apiExportMembers)
	s.docRoutes(mux) // documents, news, search, notes, bookmarks (api_docs.go)
	// Tasks, steps, rules, accountability and unit heads (api_tasks.go);
	// holidays, deadlines in working days and schedules (api_calendar.go).
	s.taskRoutes(mux)
	s.calendarRoutes(mux)
	s.notifyRoutes(mux) // the inbox and its settings (api_notifications.go)
	s.handle(mux, "/api/", "public", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, apperr.NotFoundf("no such endpoint: %s %s", r.Method, r.URL.Path))
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.Ping(r.Context()); err != nil {
		s.Log.Error("healthz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// decodeJSON reads a bounded JSON body into v and normalises its text to NFC.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	// The media type is not checked: curl -d and some clients send JSON as
	// form data; cross-origin writes are stopped by CrossOriginProtection.
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		return apperr.New(apperr.Unsupported, "send application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", maxJSON)
		}
		return apperr.New(apperr.Malformed, "the request body could not be read")
	}
	body = norm.NFC.Bytes(body)
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return apperr.Fields("a field has the wrong type", apperr.FieldError{Field: typeErr.Field, Message: "must be " + typeErr.Type.String()})
		}
		if strings.Contains(err.Error(), "date") {
			return apperr.Fields("a date is not valid", apperr.FieldError{Field: "date", Message: err.Error()})
		}
		return apperr.New(apperr.Malformed, "the body is not valid JSON: %v", err)
	}
	return nil
}

// pathID reads a numeric path value; anything else is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("not found")
	}
	return id, nil
}

// queryID reads an optional numeric query parameter.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Fields("not an id", apperr.FieldError{Field: name, Message: "must be a positive integer"})
	}
	return id, nil
}

func queryDate(r *http.Request, name string) (date.Date, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return date.Date{}, nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return date.Date{}, apperr.Fields("not a date", apperr.FieldError{Field: name, Message: "must be YYYY-MM-DD"})
	}
	return d, nil
}

func queryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, apperr.Fields("bad limit", apperr.FieldError{Field: "limit", Message: "must be a positive integer (at most 500)"})
	}
	return min(n, 500), nil
}

// ifMatch reads the version a client last saw from If-Match ("3", W/"3").
func ifMatch(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, apperr.New(apperr.Malformed, "If-Match must hold the version last read")
	}
	return n, nil
}

func setETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// list is the envelope of every list answer.
type list[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
}

// decodeJSONEither decodes a body that may be an object (into obj) or a
// bare array (into arr).
func decodeJSONEither(w http.ResponseWriter, r *http.Request, obj any, arr any) error {
	var raw json.RawMessage
	if err := decodeJSON(w, r, &raw); err != nil {
		return err
	}
	target := obj
	if t := strings.TrimSpace(string(raw)); strings.HasPrefix(t, "[") {
		target = arr
	}
	if err := json.Unmarshal(raw, target); err != nil {
		return apperr.New(apperr.Malformed, "the body is not valid JSON: %v", err)
	}
	return nil
}

// apiFunc is a JSON handler that returns its error instead of writing it,
// so that the one error mapper answers for it.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// api adapts an apiFunc to a handler.
func (s *Server) api(h apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	}
}
