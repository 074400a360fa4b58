package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/readroute"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// templateFuncs are the helpers of the templates in language l.
func templateFuncs(l lang) template.FuncMap {
	return template.FuncMap{
		// t "stats.title", or t "status" .Status for "status.full".
		"t": func(key string, parts ...any) string {
			for _, p := range parts {
				key += "." + fmt.Sprint(p)
			}
			return translate(l, key)
		},
		"tf":    func(key string, args ...any) string { return fmt.Sprintf(translate(l, key), args...) },
		"msg":   func(v any) string { return msgText(l, v) },
		"date":  func(d date.Date) string { return d.VN() },
		"num":   func(n int) string { return groupDigits(n, translate(l, "num.sep")) },
		"asset": assetURL,
		// person shows a personal name typed all in lower case with capitals.
		"person": viet.ShowName,
	}
}

// view is what the layout needs on every page; page data embed it.
type view struct {
	Lang  lang
	Actor *auth.Actor
	// Here is the current URL, for the language switch to come back to.
	Here string
	// Crumbs are the units above the page's subject, top first.
	Crumbs []org.Unit
	// TemplateName is the page's template (on <body data-page>: the
	// end-to-end crawl renders each template once in a browser).
	TemplateName string
}

func (v *view) base() *view { return v }

// viewer is any page data (it embeds view).
type viewer interface{ base() *view }

// show renders a page with 200 once its data is read: an error reading it
// goes to the error page instead.
func (s *Handler) show(w http.ResponseWriter, r *http.Request, name string, data viewer, err error) error {
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, name, data)
	return nil
}

// showForm shows the page load makes, filled by fill: the GET side of a
// form whose POST side loads the same page (units, members).
func showForm[P viewer](s *Handler, w http.ResponseWriter, r *http.Request, name string, load func(*http.Request) (P, error), fill func(P)) error {
	p, err := load(r)
	if err == nil {
		fill(p)
	}
	return s.show(w, r, name, p, err)
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data viewer) {
	v := data.base()
	v.Lang, v.Actor, v.Here, v.TemplateName = langOf(r), httpx.ActorFrom(r), r.URL.RequestURI(), name
	buf := pageBuffer() // static.go
	defer releasePageBuffer(buf)
	if err := page(v.Lang, name).ExecuteTemplate(buf, "layout", data); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages show personal records: keep them out of shared caches and the
	// back-forward cache of a shared computer.
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	body := buf.Bytes()
	// A list of 50 members is 14 KB of HTML and 3 KB compressed: worth it
	// on a slow phone network. Below 1 KB it saves nothing.
	if len(body) > 1024 && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = gzippedPage(body) // ui_static.go
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// groupDigits writes n with a separator between groups of three digits:
// 9.662 in Vietnamese, 9,662 in English.
func groupDigits(n int, sep string) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// oneRead marks r as a page that gathers several lists: the store reads
// them in one read transaction (readroute.Together) rather than one each.
// The handler defers end; a page that writes must not use it (its reads
// would not see its writes).
func oneRead(r *http.Request) (_ *http.Request, end func()) {
	ctx, end := readroute.Together(r.Context())
	return r.WithContext(ctx), end
}
