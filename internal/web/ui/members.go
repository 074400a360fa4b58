package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// membersPage is one page of the members of a subtree.
type membersPage struct {
	view
	Unit     *org.Unit
	Q        string
	Status   string
	Statuses []member.Status
	// Page is the list as the actor may see it (Page.Personal is false
	// for a member browsing their cell: public fields only).
	Page *member.ViewPage
	// Next is the URL of the next page, First the URL of the first page
	// when this is not it (a keyset cursor cannot go back one page).
	Next, First string
}

func (s *Handler) uiMembers(w http.ResponseWriter, r *http.Request) error {
	u, err := s.unitFromPath(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &membersPage{Unit: u, Q: q.Get("q"), Status: q.Get("status"), Statuses: member.Statuses}
	p.Crumbs = s.trail(r.Context(), httpx.ActorFrom(r), u)
	p.Page, err = s.Members.List(r.Context(), httpx.ActorFrom(r), member.ListInput{
		UnitID: u.ID, Q: p.Q, Status: p.Status, Limit: 50, Cursor: q.Get("cursor")})
	if apperr.Is(err, apperr.Invalid) {
		// Only a hand-made URL has an unknown status: show the default list.
		p.Status = ""
		p.Page, err = s.Members.List(r.Context(), httpx.ActorFrom(r), member.ListInput{UnitID: u.ID, Q: p.Q, Limit: 50})
	}
	if err != nil {
		return err
	}
	p.Next, p.First = moreLinks(p.Page.NextCursor, q.Get("cursor"), p.listURL)
	return s.show(w, r, "members", p, nil)
}

// listURL is this list with the same search and filter at another cursor.
func (p *membersPage) listURL(cursor string) string {
	return withQuery("/don-vi/"+strconv.FormatInt(p.Unit.ID, 10)+"/dang-vien", "q", p.Q, "status", p.Status, "cursor", cursor)
}

// uiExportMembers downloads the list as shown, with its search and
// filter, as xlsx or csv (format=csv); only those who read personal
// fields export, anyone else finds no such page.
func (s *Handler) uiExportMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	in := member.ExportInput{UnitID: id, Q: q.Get("q"), Status: q.Get("status"), Format: "xlsx"}
	if q.Get("format") == "csv" {
		in.Format = "csv"
	}
	if err := s.ExportMembers(w, r, in); apperr.Is(err, apperr.Invalid) {
		return apperr.Keyed(apperr.NotFound, "page.no_page", "no page at %s", r.URL.Path) // a hand-made status
	} else {
		return err
	}
}

// ExportURL is the download of this list in format, with its search and
// filter.
func (p *membersPage) ExportURL(format string) string {
	if format == "xlsx" {
		format = "" // the default
	}
	return withQuery("/don-vi/"+strconv.FormatInt(p.Unit.ID, 10)+"/dang-vien/xuat", "q", p.Q, "status", p.Status, "format", format)
}

// withQuery is path with a query of the name, value pairs whose value is
// set (path alone when none is).
func withQuery(path string, pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// idValue is n as a query value, "" (left out) for 0.
func idValue(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// flagValue is a ticked box as a query value, "" (left out) when not.
func flagValue(on bool) string {
	if on {
		return "1"
	}
	return ""
}

// moreLinks are a list page's links to its next page (when there is one)
// and back to its first (when this is not it); at is the page at a cursor.
func moreLinks(next *string, cursor string, at func(cursor string) string) (nextURL, first string) {
	if next != nil {
		nextURL = at(*next)
	}
	if cursor != "" {
		first = at("")
	}
	return nextURL, first
}
