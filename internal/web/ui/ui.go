package ui

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

//go:embed templates
var templateFS embed.FS

// pages holds every page parsed with the layout, once per language, so that
// the `t` function is bound to a language without cloning per request.
var pages = parsePages()

// pageNames are the page templates in templates/, without ".html".
var pageNames = []string{"signin", "home", "units", "unit", "members", "member", "member_form", "import", "error"}

func parsePages() map[lang]map[string]*template.Template {
	out := map[lang]map[string]*template.Template{}
	for _, l := range langs {
		out[l] = map[string]*template.Template{}
		for _, name := range pageNames {
			t := template.New(name).Funcs(templateFuncs(l))
			out[l][name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
		}
	}
	return out
}

// templateFuncs are the helpers of the templates in language l.
func templateFuncs(l lang) template.FuncMap {
	m := template.FuncMap{
		// t "stats.title", or t "status" .Status for "status.full".
		"t": func(key string, parts ...any) string {
			for _, p := range parts {
				key += "." + fmt.Sprint(p)
			}
			return translate(l, key)
		},
		"tf":    func(key string, args ...any) string { return fmt.Sprintf(translate(l, key), args...) },
		"msg":   func(m string) string { return translateMessage(l, m) },
		"date":  func(d date.Date) string { return d.VN() },
		"num":   func(n int) string { return groupDigits(n, translate(l, "num.sep")) },
		"asset": assetURL,
	}
	for k, f := range navFuncs { // task_mine.go
		m[k] = f
	}
	return m
}

// view is what the layout needs on every page; page data embed it.
type view struct {
	Lang  lang
	Actor *auth.Actor
	// Here is the current URL, for the language switch to come back to.
	Here string
	// Crumbs are the units above the page's subject, top first.
	Crumbs []org.Unit
}

func (v *view) base() *view { return v }

// viewer is any page data (it embeds view).
type viewer interface{ base() *view }

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data viewer) {
	v := data.base()
	v.Lang, v.Actor, v.Here = langOf(r), httpx.ActorFrom(r), r.URL.RequestURI()
	buf := pageBuffer() // ui_static.go
	defer releasePageBuffer(buf)
	if err := pages[v.Lang][page].ExecuteTemplate(buf, "layout", data); err != nil {
		s.Log.Error("render", "page", page, "err", err)
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
