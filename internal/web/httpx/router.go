package httpx

import "net/http"

// HandlerFunc is the one shape of every handler, API and page alike: it
// writes its answer, or returns the error that its surface's adapter maps
// through the one status table (Status).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

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
}

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
	rt.mux.Handle(pattern, RecordPattern(pattern, h))
}

// Routes lists what was registered, in order.
func (rt *Router) Routes() []Route { return rt.routes }
