package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"golang.org/x/text/unicode/norm"
)

// maxJSON bounds every JSON request body.
const MaxJSON = 1 << 20

// maxList bounds every list in a request body (ids, roles, rules, parts…):
// one request does a bounded amount of work.
const MaxList = 500

// decodeJSON is the one way a JSON request body is read. The body must be
// valid UTF-8 (400), exactly one JSON value with no trailing data (400),
// with no duplicate member names at any depth (400) and no array longer
// than maxList (413, naming the field). Each name in required must be a
// member of the top-level object (422 naming it): a write never takes a
// missing key for an empty value, only an explicit null, "" or [] clears.
// Text is normalised to NFC; control and bidirectional characters are for
// the modules to refuse (viet.CheckLine, viet.CheckText).
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any, required ...string) error {
	body, err := readJSON(w, r)
	if err != nil {
		return err
	}
	if err := requireNames(body, required); err != nil {
		return err
	}
	return unmarshalJSON(body, v)
}

// DecodeJSONScreened is DecodeJSON with a screen run on the checked body
// before it is decoded: a module's own refusal (keys that look like
// patient data, say) answers before the strict decoder's generic one.
func DecodeJSONScreened(w http.ResponseWriter, r *http.Request, v any, screen func([]byte) error, required ...string) error {
	body, err := readJSON(w, r)
	if err != nil {
		return err
	}
	if err := screen(body); err != nil {
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
		return nil, apperr.Keyed(apperr.Unsupported, "http.send_application_json", "send application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSON))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, apperr.Keyed(apperr.TooLarge, "http.body_too_large", "the request body is larger than %d bytes", MaxJSON)
		}
		return nil, apperr.Keyed(apperr.Malformed, "http.request_body_could_not", "the request body could not be read")
	}
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	return body, nil
}

// checkJSON applies the rules of decodeJSON that need no target type.
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		return apperr.Keyed(apperr.Malformed, "http.request_body_not_valid", "the request body is not valid UTF-8")
	}
	// jsontext refuses duplicate names, invalid UTF-8 and lone surrogates
	// (\ud800) by default.
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		if _, err := dec.ReadToken(); err != nil {
			if err == io.EOF {
				return apperr.Keyed(apperr.Malformed, "http.request_body_empty_send", "the request body is empty: send one JSON value")
			}
			return apperr.Keyed(apperr.Malformed, "http.body_not_valid_json", "the body is not valid JSON: %v", err)
		}
		d := dec.StackDepth()
		if d == 0 {
			break
		}
		if k, n := dec.StackIndex(d); k == '[' && n > MaxList {
			field := fieldOf(dec.StackPointer())
			return apperr.Keyed(apperr.Invalid, "http.list_too_long", "a list is too long").With(apperr.FieldKeyed(field, "common.most_items", "at most %d items", MaxList))
		}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return apperr.Keyed(apperr.Malformed, "http.body_not_valid_json_2", "the body is not valid JSON: more data follows the first value")
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
		return apperr.Keyed(apperr.Malformed, "http.body_must_json_object", "the body must be a JSON object")
	}
	var missing []apperr.FieldError
	for _, name := range required {
		if _, ok := obj[name]; !ok {
			missing = append(missing, apperr.FieldKeyed(name, "common.required", "required"))
		}
	}
	if len(missing) > 0 {
		return apperr.Keyed(apperr.Invalid, "http.required_field_missing_send", "a required field is missing (send null, \"\" or [] to clear a value)").With(missing...)
	}
	return nil
}

// unmarshalJSON decodes a checked body into v with its text in NFC.
func unmarshalJSON(body []byte, v any) error {
	body = norm.NFC.Bytes(body)
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return apperr.Keyed(apperr.Invalid, "http.field_wrong_type", "a field has the wrong type").With(apperr.FieldKeyed(typeErr.Field, "http.field_type", "must be %s", typeErr.Type.String()))
		}
		if strings.Contains(err.Error(), "date") {
			return apperr.Keyed(apperr.Invalid, "http.date_not_valid", "a date is not valid").With(apperr.FieldFrom("date", err))
		}
		return apperr.Keyed(apperr.Malformed, "http.body_not_valid_json", "the body is not valid JSON: %v", err)
	}
	return nil
}

// pathID reads a numeric path value; anything but a canonical positive
// decimal (no sign, no leading zero, no space) is simply not found.
func PathID(r *http.Request, name string) (int64, error) {
	id, ok := ParseID(r.PathValue(name))
	if !ok {
		return 0, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	return id, nil
}

// ByPathID reads {id} from the path and calls get with the request's
// context, its actor and the id: the record as the actor may see it. The
// API's handlers and the pages both read a record so.
func ByPathID[T any](r *http.Request, get func(context.Context, *auth.Actor, int64) (T, error)) (T, error) {
	id, err := PathID(r, "id")
	if err != nil {
		var zero T
		return zero, err
	}
	return get(r.Context(), ActorFrom(r), id)
}

// PathIDAnd reads {id} and the numeric path value name (an attachment,
// a bridge point, a submission of the record {id}).
func PathIDAnd(r *http.Request, name string) (int64, int64, error) {
	id, err := PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	other, err := PathID(r, name)
	return id, other, err
}

// PathIDAndUnit reads {id} from the path and ?unit= (0 when absent).
func PathIDAndUnit(r *http.Request) (int64, int64, error) {
	id, err := PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	unit, err := QueryID(r, "unit")
	return id, unit, err
}

// queryID reads an optional numeric query parameter: a canonical positive
// decimal, else 422.
func QueryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, ok := ParseID(v)
	if !ok {
		return 0, apperr.Keyed(apperr.Invalid, "http.not_id", "not an id").With(apperr.FieldKeyed(name, "http.must_positive_integer", "must be a positive integer"))
	}
	return id, nil
}

// parseID accepts exactly the form ids are written in: decimal digits
// without sign, spaces or leading zeros, at least 1. "+5", " 5", "05",
// "5 " and "0" are not ids (strconv.ParseInt takes "+5").
func ParseID(v string) (int64, bool) {
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

func QueryDate(r *http.Request, name string) (date.Date, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return date.Date{}, nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return date.Date{}, apperr.Keyed(apperr.Invalid, "common.not_date", "not a date").With(apperr.FieldKeyed(name, "http.must_yyyy_mm_dd", "must be YYYY-MM-DD"))
	}
	return d, nil
}

func QueryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, apperr.Keyed(apperr.Invalid, "http.bad_limit", "bad limit").With(apperr.FieldKeyed("limit", "http.must_positive_integer_most", "must be a positive integer (at most 500)"))
	}
	return min(n, 500), nil
}

// ifMatch reads the version a client last saw from If-Match ("3", W/"3").
func IfMatch(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strconv.Itoa(n) != v {
		return 0, apperr.Keyed(apperr.Malformed, "http.if_match_must_hold", "If-Match must hold the version last read")
	}
	return n, nil
}

func SetETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}

// decodeJSONEither decodes a body that may be an object (into obj, with
// the required members) or a bare array (into arr).
func DecodeJSONEither(w http.ResponseWriter, r *http.Request, obj any, arr any, required ...string) error {
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

// IsTrue reads a boolean query parameter: "true" or "1".
func IsTrue(v string) bool { return v == "true" || v == "1" }
