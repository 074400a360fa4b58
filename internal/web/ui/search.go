package ui

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// searchPage is one ranked list of the documents, news and (for officers)
// members matching a query, with the matched words highlighted.
type searchPage struct {
	view
	Q        string
	Searched bool
	Hits     []searchHit
}

// searchHit is a hit as the page shows it.
type searchHit struct {
	Kind    string // "document", "news", "member"
	Link    string
	Number  string
	Title   template.HTML
	Snippet template.HTML
}

func (s *Handler) uiSearch(w http.ResponseWriter, r *http.Request) error {
	p := &searchPage{Q: norm.NFC.String(r.URL.Query().Get("q"))}
	if p.Q != "" {
		hits, err := s.Docs.Search(r.Context(), httpx.ActorFrom(r), p.Q, 30)
		if err != nil {
			return err
		}
		p.Searched = true
		q := doc.ParseQuery(p.Q)
		for _, h := range hits {
			sh := searchHit{Kind: h.Kind, Number: h.Number, Title: marked(q.Highlight(h.Title)), Snippet: marked(h.Snippet)}
			id := strconv.FormatInt(h.ID, 10)
			switch h.Kind {
			case "document":
				sh.Link = "/van-ban/" + id
			case "news":
				sh.Link = "/tin-tuc/" + id
			default:
				sh.Link = "/dang-vien/" + id
			}
			p.Hits = append(p.Hits, sh)
		}
	}
	return s.show(w, r, "search", p, nil)
}
