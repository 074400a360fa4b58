package httpx

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// decode runs decodeJSON on body and answers the error code and the first
// field named.
func decode(body string, v any, required ...string) (apperr.Code, string) {
	r := httptest.NewRequest("PUT", "/api/v1/x", strings.NewReader(body))
	err := DecodeJSON(httptest.NewRecorder(), r, v, required...)
	field := ""
	if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
		field = e.Fields[0].Field
	}
	return apperr.CodeOf(err), field
}

func TestDecodeJSON(t *testing.T) {
	long := `{"ids":[` + strings.Repeat("1,", MaxList) + `1]}`
	nested := `{"parts":[{"ids":[` + strings.Repeat("1,", MaxList) + `1]}]}`
	for _, tt := range []struct {
		name      string
		body      string
		required  []string
		wantCode  apperr.Code
		wantField string
	}{
		{"one object", `{"a":"x"}`, nil, "", ""},
		{"white space around", " \n{\"a\":\"x\"}\r\n ", nil, "", ""},
		{"two values", `{"a":"x"}{"a":"y"}`, nil, apperr.Malformed, ""},
		{"trailing text", `{"a":"x"} x`, nil, apperr.Malformed, ""},
		{"trailing comma", `{"a":"x"},`, nil, apperr.Malformed, ""},
		{"empty", ``, nil, apperr.Malformed, ""},
		{"duplicate", `{"a":"x","a":"y"}`, nil, apperr.Malformed, ""},
		{"duplicate by escape", `{"a":"x","\u0061":"y"}`, nil, apperr.Malformed, ""},
		{"nested duplicate", `{"b":{"c":1,"c":2}}`, nil, apperr.Malformed, ""},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", nil, apperr.Malformed, ""},
		{"lone surrogate", `{"a":"\udc00"}`, nil, apperr.Malformed, ""},
		{"missing required", `{"a":"x"}`, []string{"b"}, apperr.Invalid, "b"},
		{"null is present", `{"a":"x","b":null}`, []string{"b"}, "", ""},
		{"required of null body", `null`, []string{"b"}, apperr.Malformed, ""},
		{"required of an array", `[]`, []string{"b"}, apperr.Malformed, ""},
		{"list of 500", `{"ids":[` + strings.Repeat("1,", MaxList-1) + `1]}`, nil, "", ""},
		{"list of 501", long, nil, apperr.Invalid, "ids"},
		{"nested list of 501", nested, nil, apperr.Invalid, "parts[0].ids"},
		{"bare list of 501", `[` + strings.Repeat("1,", MaxList) + `1]`, nil, apperr.Invalid, "items"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			code, field := decode(tt.body, &v, tt.required...)
			if code != tt.wantCode || field != tt.wantField {
				t.Errorf("decodeJSON(%.60q, %v): got %q %q, want %q %q", tt.body, tt.required, code, field, tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"5", 5, true}, {"1234567", 1234567, true}, {"9223372036854775807", 9223372036854775807, true},
		{"+5", 0, false}, {"-5", 0, false}, {"05", 0, false}, {" 5", 0, false}, {"5 ", 0, false}, {"0", 0, false},
		{"", 0, false}, {"5e2", 0, false}, {"0x5", 0, false}, {"9223372036854775808", 0, false}, {"٥", 0, false},
	} {
		if got, ok := ParseID(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseID(%q): got %d %v, want %d %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzDecodeJSON: whatever the body, decodeJSON answers without
// panicking, and what it accepts is one valid JSON value in valid UTF-8
// that encoding/json reads the same way.
//
//	go test -run '^$' -fuzz FuzzDecodeJSON -fuzztime 20s ./internal/web/
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"roles":[{"unit_id":1,"role":"member"}]}`, `{"a":1}{"b":2}`, `{"a":1,"a":2}`, "{\"a\":\"\xff\"}",
		`{"a":"\ud800"}`, `[1,2,3]`, `null`, `{"body":"dòng 1\ndòng 2"}`, `{"a":{"b":[{"c":1,"C":2}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v any
		code, _ := decode(string(body), &v)
		if code != "" {
			if code != apperr.Malformed && code != apperr.Invalid {
				t.Fatalf("decodeJSON(%q): code %q", body, code)
			}
			return
		}
		if !utf8.Valid(body) || !json.Valid(body) {
			t.Fatalf("decodeJSON accepted %q", body)
		}
		var w any
		if err := json.Unmarshal(body, &w); err != nil {
			t.Fatalf("decodeJSON accepted %q that encoding/json refuses: %v", body, err)
		}
	})
}
