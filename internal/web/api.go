package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"golang.org/x/text/unicode/norm"
)

// maxJSON bounds every JSON request body.
const maxJSON = 1 << 20

func (s *Server) apiRoutes(mux *http.ServeMux) {
	s.handleAPI(mux, "GET /healthz", "public", s.healthz)
	s.handle(mux, "GET /metrics", "public", func(w http.ResponseWriter, r *http.Request) { s.metrics.serve(w, r) })

	s.handleAPI(mux, "POST /api/v1/session", "public", s.apiSignIn)
	s.handleAPI(mux, "DELETE /api/v1/session", "signed_in", s.apiSignOut)
	s.handleAPI(mux, "GET /api/v1/accounts/me", "signed_in", s.apiMe)
	s.handleAPI(mux, "POST /api/v1/accounts", "signed_in", s.apiCreateAccount)
	s.handleAPI(mux, "PUT /api/v1/accounts/{id}/roles", "signed_in", s.apiSetRoles)
	s.handleAPI(mux, "POST /api/v1/accounts/{id}/password-reset", "signed_in", s.apiResetPassword)
	s.handleAPI(mux, "POST /api/v1/accounts/me/password", "signed_in", s.apiChangePassword)
	s.handleAPI(mux, "POST /api/v1/accounts/me/totp", "signed_in", s.apiStartTOTP)
	s.handleAPI(mux, "POST /api/v1/accounts/me/totp/confirm", "signed_in", s.apiConfirmTOTP)
	s.handleAPI(mux, "GET /api/v1/accounts/me/sessions", "signed_in", s.apiSessions)
	s.handleAPI(mux, "DELETE /api/v1/accounts/me/sessions/{id}", "signed_in", s.apiEndSession)
	s.accountPages(mux) // the account page and its forms (ui_account.go)

	s.handleAPI(mux, "GET /api/v1/audit", "signed_in", s.apiAudit)

	s.handleAPI(mux, "GET /api/v1/units", "signed_in", s.apiUnits)
	s.handleAPI(mux, "POST /api/v1/units", "signed_in", s.apiCreateUnit)
	s.handleAPI(mux, "POST /api/v1/units/merge", "signed_in", s.apiMergeUnits)
	s.handleAPI(mux, "GET /api/v1/units/{id}", "signed_in", s.apiUnit)
	s.handleAPI(mux, "PATCH /api/v1/units/{id}", "signed_in", s.apiUpdateUnit)
	s.handleAPI(mux, "POST /api/v1/units/{id}/move", "signed_in", s.apiMoveUnit)
	s.handleAPI(mux, "POST /api/v1/units/{id}/dissolve", "signed_in", s.apiDissolveUnit)
	s.handleAPI(mux, "POST /api/v1/units/{id}/split", "signed_in", s.apiSplitUnit)
	s.handleAPI(mux, "GET /api/v1/units/{id}/stats", "signed_in", s.apiUnitStats)

	s.handleAPI(mux, "GET /api/v1/members", "signed_in", s.apiMembers)
	s.handleAPI(mux, "POST /api/v1/members", "signed_in", s.apiCreateMember)
	s.handleAPI(mux, "GET /api/v1/members/due-full", "signed_in", s.apiDueFull)
	s.handleAPI(mux, "GET /api/v1/members/{id}", "signed_in", s.apiMember)
	s.handleAPI(mux, "PATCH /api/v1/members/{id}", "signed_in", s.apiUpdateMember)
	s.handleAPI(mux, "POST /api/v1/members/{id}/transfers", "signed_in", s.apiTransfer)
	s.handleAPI(mux, "POST /api/v1/members/{id}/status", "signed_in", s.apiChangeStatus)
	s.handleAPI(mux, "GET /api/v1/members/{id}/events", "signed_in", s.apiMemberEvents)
	s.handleAPI(mux, "POST /api/v1/imports/members", "signed_in", s.apiImportMembers)
	s.handleAPI(mux, "GET /api/v1/exports/members", "signed_in", s.apiExportMembers)
	s.docRoutes(mux) // documents, news, search, notes, bookmarks (api_docs.go)
	// Tasks, steps, rules, accountability and unit heads (api_tasks.go);
	// holidays, deadlines in working days and schedules (api_calendar.go).
	s.taskRoutes(mux)
	s.calendarRoutes(mux)
	s.notifyRoutes(mux) // the inbox and its settings (api_notifications.go)
	s.handleAPI(mux, "/api/", "public", func(w http.ResponseWriter, r *http.Request) error {
		return apperr.NotFoundf("no such endpoint: %s %s", r.Method, r.URL.Path)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.Ping(r.Context()); err != nil {
		s.Log.Error("healthz", "err", err)
		return apperr.New(apperr.Unavailable, "database unavailable")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}

// maxList bounds every list in a request body (ids, roles, rules, parts…):
// one request does a bounded amount of work.
const maxList = 500

// decodeJSON is the one way a JSON request body is read. The body must be
// valid UTF-8 (400), exactly one JSON value with no trailing data (400),
// with no duplicate member names at any depth (400) and no array longer
// than maxList (413, naming the field). Each name in required must be a
// member of the top-level object (422 naming it): a write never takes a
// missing key for an empty value, only an explicit null, "" or [] clears.
// Text is normalised to NFC; control and bidirectional characters are for
// the modules to refuse (viet.CheckLine, viet.CheckText).
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, required ...string) error {
	body, err := readJSON(w, r)
	if err != nil {
		return err
	}
	if err := requireNames(body, required); err != nil {
		return err
	}
	return unmarshalJSON(body, v)
}

// readJSON reads and checks a body for decodeJSON.
func readJSON(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// The media type is not checked: curl -d and some clients send JSON as
	// form data; cross-origin writes are stopped by CrossOriginProtection.
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		return nil, apperr.New(apperr.Unsupported, "send application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", maxJSON)
		}
		return nil, apperr.New(apperr.Malformed, "the request body could not be read")
	}
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	return body, nil
}

// checkJSON applies the rules of decodeJSON that need no target type.
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		return apperr.New(apperr.Malformed, "the request body is not valid UTF-8")
	}
	// jsontext refuses duplicate names, invalid UTF-8 and lone surrogates
	// (\ud800) by default.
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		if _, err := dec.ReadToken(); err != nil {
			if err == io.EOF {
				return apperr.New(apperr.Malformed, "the request body is empty: send one JSON value")
			}
			return apperr.New(apperr.Malformed, "the body is not valid JSON: %v", err)
		}
		d := dec.StackDepth()
		if d == 0 {
			break
		}
		if k, n := dec.StackIndex(d); k == '[' && n > maxList {
			field := fieldOf(dec.StackPointer())
			return apperr.Fields("a list is too long", apperr.FieldError{Field: field, Message: fmt.Sprintf("at most %d items", maxList)})
		}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return apperr.New(apperr.Malformed, "the body is not valid JSON: more data follows the first value")
	}
	return nil
}

// fieldOf names the array that holds the element at JSON pointer p:
// "/ids/500" → "ids", "/parts/2/ids/9" → "parts[2].ids", "/500" → "items".
func fieldOf(p jsontext.Pointer) string {
	var b strings.Builder
	var tokens []string
	for t := range p.Tokens() {
		tokens = append(tokens, t)
	}
	if len(tokens) > 0 {
		tokens = tokens[:len(tokens)-1]
	}
	for _, t := range tokens {
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	if b.Len() == 0 {
		return "items"
	}
	return b.String()
}

// requireNames answers 422 naming each required member missing from the
// top-level object of body.
func requireNames(body []byte, required []string) error {
	if len(required) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return apperr.New(apperr.Malformed, "the body must be a JSON object")
	}
	var missing []apperr.FieldError
	for _, name := range required {
		if _, ok := obj[name]; !ok {
			missing = append(missing, apperr.FieldError{Field: name, Message: "required"})
		}
	}
	if len(missing) > 0 {
		return apperr.Fields("a required field is missing (send null, \"\" or [] to clear a value)", missing...)
	}
	return nil
}

// unmarshalJSON decodes a checked body into v with its text in NFC.
func unmarshalJSON(body []byte, v any) error {
	body = norm.NFC.Bytes(body)
	if err := json.Unmarshal(body, v); err != nil {
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

// pathID reads a numeric path value; anything but a canonical positive
// decimal (no sign, no leading zero, no space) is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, ok := parseID(r.PathValue(name))
	if !ok {
		return 0, apperr.NotFoundf("not found")
	}
	return id, nil
}

// queryID reads an optional numeric query parameter: a canonical positive
// decimal, else 422.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, ok := parseID(v)
	if !ok {
		return 0, apperr.Fields("not an id", apperr.FieldError{Field: name, Message: "must be a positive integer"})
	}
	return id, nil
}

// parseID accepts exactly the form ids are written in: decimal digits
// without sign, spaces or leading zeros, at least 1. "+5", " 5", "05",
// "5 " and "0" are not ids (strconv.ParseInt takes "+5").
func parseID(v string) (int64, bool) {
	if v == "" || len(v) > 19 || v[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
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
	if err != nil || n < 1 || strconv.Itoa(n) != v {
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

// decodeJSONEither decodes a body that may be an object (into obj, with
// the required members) or a bare array (into arr).
func decodeJSONEither(w http.ResponseWriter, r *http.Request, obj any, arr any, required ...string) error {
	body, err := readJSON(w, r)
	if err != nil {
		return err
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return unmarshalJSON(body, arr)
	}
	if err := requireNames(body, required); err != nil {
		return err
	}
	return unmarshalJSON(body, obj)
}
