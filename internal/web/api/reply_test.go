package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSendAllEmptyIsArray: a whole list with no items answers "items": []
// whether the module gave an empty or a nil slice (docs/api.md, "Empty
// lists": httpx.WriteJSON writes a nil slice as []).
func TestSendAllEmptyIsArray(t *testing.T) {
	const want = `{"items":[],"next_cursor":null,"total":0}`
	for _, tc := range []struct {
		name  string
		write func(w http.ResponseWriter) error
	}{
		{"nil", func(w http.ResponseWriter) error { return sendAll[string](w, http.StatusOK, nil, nil) }},
		{"empty", func(w http.ResponseWriter) error { return sendAll(w, http.StatusOK, []int64{}, nil) }},
		{"nil of structs", func(w http.ResponseWriter) error { return sendAll[struct{ ID int64 }](w, http.StatusCreated, nil, nil) }},
	} {
		rec := httptest.NewRecorder()
		if err := tc.write(rec); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strings.TrimSpace(rec.Body.String()); got != want {
			t.Errorf("%s: got %s, want %s", tc.name, got, want)
		}
	}
}
