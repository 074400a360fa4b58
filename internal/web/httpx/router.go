package httpx

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// HandlerFunc is the one shape of every handler, API and page alike: it
// writes its answer, or returns the error that its surface's adapter maps
// through the one status table (Status).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Failing adapts h to net/http: an error it returns goes to fail, the
// surface's one way of writing errors (problem+json, the error page).
func Failing(h HandlerFunc, fail func(http.ResponseWriter, *http.Request, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			fail(w, r, err)
		}
	}
}

// The access policies a route carries.
const (
	Public   = "public"    // anyone, signed in or not
	SignedIn = "signed_in" // a signed-in actor; the service checks reach
)

// Route is one registered pattern with its access policy, so that a test
// can enumerate every route and check it.
type Route struct {
	Pattern string
	Policy  string
}

// Router registers the routes of every surface on one mux and remembers
// them with their policies.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	// RequireActor guards every route whose policy is not Public.
	requireActor func(http.HandlerFunc) http.HandlerFunc
	// byLast shares one mux entry between a pattern ending in a wildcard
	// and the same pattern with an extension after it.
	byLast map[string]*extensions
}

// extensions dispatches a path whose last segment is a wildcard: to the
// handler of its extension ("{id}.pdf") when it ends in one, else to the
// plain pattern's ("{id}").
type extensions struct {
	name  string
	plain http.HandlerFunc
	exts  []string
	by    map[string]http.HandlerFunc
}

func (e *extensions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue(e.name)
	for _, ext := range e.exts {
		if len(v) > len(ext) && strings.HasSuffix(v, ext) {
			r.SetPathValue(e.name, v[:len(v)-len(ext)])
			e.by[ext](w, r)
			return
		}
	}
	if e.plain != nil {
		e.plain(w, r)
		return
	}
	WriteProblem(w, r, nil, apperr.Keyed(apperr.NotFound, "http.no_such_endpoint", "no such endpoint: %s %s", r.Method, r.URL.Path))
}

// lastWildcard splits a pattern whose last segment is a wildcard, with or
// without an extension after it: "GET /x/{id}.pdf" → "GET /x/{id}", "id",
// ".pdf". ServeMux takes a wildcard only as a whole segment; the router
// lets a file-like path ("/api/v1/documents/24.pdf") name its format.
var lastWildcard = regexp.MustCompile(`^(.*/\{([A-Za-z_][A-Za-z0-9_]*)\})(\.[A-Za-z0-9]+)?$`)

// NewRouter returns a router on mux; requireActor answers requests
// without a signed-in actor on routes that need one.
func NewRouter(mux *http.ServeMux, requireActor func(http.HandlerFunc) http.HandlerFunc) *Router {
	return &Router{mux: mux, requireActor: requireActor}
}

// Handle registers h for pattern under policy.
func (rt *Router) Handle(pattern, policy string, h http.HandlerFunc) {
	rt.routes = append(rt.routes, Route{pattern, policy})
	if policy != Public {
		h = rt.requireActor(h)
	}
	h = RecordPattern(pattern, h)
	m := lastWildcard.FindStringSubmatch(pattern)
	if m == nil {
		rt.mux.Handle(pattern, h)
		return
	}
	base, name, ext := m[1], m[2], m[3]
	e := rt.byLast[base]
	if e == nil {
		if rt.byLast == nil {
			rt.byLast = map[string]*extensions{}
		}
		e = &extensions{name: name, by: map[string]http.HandlerFunc{}}
		rt.byLast[base] = e
		rt.mux.Handle(base, e)
	}
	if ext == "" {
		e.plain = h
		return
	}
	e.exts = append(e.exts, ext)
	e.by[ext] = h
}

// Routes lists what was registered, in order.
func (rt *Router) Routes() []Route { return rt.routes }
