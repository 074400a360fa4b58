package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
	listpage "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// newsListPage lists the news the actor may read, newest first; featured
// news first on the first page.
type newsListPage struct {
	view
	Featured    []doc.Document
	Page        *listpage.Of[doc.Document]
	Category    string
	Next, First string
	// CanPost shows the button to post news.
	CanPost bool
}

func (s *Handler) uiNewsList(w http.ResponseWriter, r *http.Request) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	q := r.URL.Query()
	p := &newsListPage{Category: norm.NFC.String(q.Get("category")), CanPost: actor.HasAny(doc.PublishNews)}
	cursor := q.Get("cursor")
	var err error
	if cursor == "" && p.Category == "" {
		f, err := s.Docs.List(ctx, actor, doc.KindNews, doc.ListInput{Featured: true, Limit: 3})
		if err != nil {
			return err
		}
		p.Featured = f.Items
	}
	p.Page, err = s.Docs.List(ctx, actor, doc.KindNews, doc.ListInput{Category: p.Category, Limit: 20, Cursor: cursor})
	if err != nil {
		return err
	}
	at := func(c string) string { return withQuery("/tin-tuc", "category", p.Category, "cursor", c) }
	p.Next, p.First = moreLinks(p.Page.NextCursor, cursor, at)
	return s.show(w, r, "news_list", p, nil)
}

// newsPage is one piece of news, its visible comments and the form to
// comment; officers may hide a comment (the audit trail keeps it).
type newsPage struct {
	view
	News     *doc.Document
	Body     template.HTML
	Comments *listpage.Of[doc.Comment]
	CanHide  bool
	// CanEdit shows the buttons to edit and to feature the news.
	CanEdit bool
	// Draft and Error keep a comment that was refused.
	Draft, Error string
	Notice       string
	Next, First  string
}

func (s *Handler) newsView(r *http.Request, id int64, cursor string) (*newsPage, error) {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	n, err := s.Docs.GetNews(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p := &newsPage{News: n, Body: template.HTML(n.BodyHTML), CanHide: actor.Can(n.Audience.Path, doc.Officers)}
	if p.CanEdit, err = s.Docs.MayEditNews(ctx, actor, n); err != nil {
		return nil, err
	}
	if p.Comments, err = s.Docs.Comments(ctx, actor, id, 50, cursor); err != nil {
		return nil, err
	}
	base := "/tin-tuc/" + strconv.FormatInt(id, 10)
	p.Next, p.First = moreLinks(p.Comments.NextCursor, cursor, func(c string) string {
		if c == "" {
			return base + "#binh-luan"
		}
		return base + "?cursor=" + url.QueryEscape(c) + "#binh-luan"
	})
	return p, nil
}

// newsNotices are the notices a redirect back may ask for.
var newsNotices = map[string]string{"comment": "news.commented", "hidden": "news.hidden",
	"posted": "newsf.posted", "edited": "newsf.edited", "featured": "newsf.featured_on", "unfeatured": "newsf.featured_off"}

func (s *Handler) uiNews(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.newsView(r, id, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	p.Notice = newsNotices[r.URL.Query().Get("da")]
	return s.show(w, r, "news", p, nil)
}

func (s *Handler) uiAddComment(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	body := norm.NFC.String(r.PostForm.Get("body"))
	c, err := s.Docs.AddComment(ctx, actor, id, body)
	if apperr.Is(err, apperr.Invalid) {
		p, verr := s.newsView(r, id, "")
		if verr != nil {
			return verr
		}
		e, _ := apperr.As(err)
		p.Draft, p.Error = body, fieldMessage(langOf(r), e)
		s.render(w, r, http.StatusUnprocessableEntity, "news", p)
		return nil
	}
	if err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/tin-tuc/"+strconv.FormatInt(id, 10)+"?da=comment#c"+strconv.FormatInt(c.ID, 10))
	return nil
}

func (s *Handler) uiHideComment(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	c, err := s.Docs.HideComment(r.Context(), httpx.ActorFrom(r), id, norm.NFC.String(r.PostForm.Get("reason")))
	if err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/tin-tuc/"+strconv.FormatInt(c.NewsID, 10)+"?da=hidden#binh-luan")
	return nil
}
