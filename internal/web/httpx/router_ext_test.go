package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRouterExtensions: a pattern whose last wildcard carries an
// extension shares the plain pattern's mux entry; the path value reaches
// the handler without the extension.
func TestRouterExtensions(t *testing.T) {
	mux := http.NewServeMux()
	rt := NewRouter(mux, func(h http.HandlerFunc) http.HandlerFunc { return h })
	echo := func(tag string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tag + ":" + r.PathValue("id"))) }
	}
	rt.Handle("GET /d/{id}", Public, echo("plain"))
	rt.Handle("GET /d/{id}.pdf", Public, echo("pdf"))
	rt.Handle("GET /d/{id}.docx", Public, echo("docx"))
	rt.Handle("GET /only/{id}.pdf", Public, echo("only"))
	for _, tc := range []struct {
		path string
		st   int
		body string
	}{
		{"/d/24", 200, "plain:24"},
		{"/d/24.pdf", 200, "pdf:24"},
		{"/d/24.docx", 200, "docx:24"},
		{"/d/24.txt", 200, "plain:24.txt"},
		{"/d/.pdf", 200, "plain:.pdf"},
		{"/only/7.pdf", 200, "only:7"},
		{"/only/7", 404, ""},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
		if w.Code != tc.st || (tc.body != "" && w.Body.String() != tc.body) {
			t.Errorf("GET %s: got %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.st, tc.body)
		}
	}
	if got := len(rt.Routes()); got != 4 {
		t.Errorf("routes: got %d, want 4", got)
	}
}
