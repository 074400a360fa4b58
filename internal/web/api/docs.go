package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

func (s *Handler) apiDocTypes(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, page.Of[doc.TypeInfo]{Items: doc.Types, Total: len(doc.Types)})
	return nil
}

func (s *Handler) docListInput(r *http.Request) (doc.ListInput, error) {
	q := r.URL.Query()
	unit, limit, cursor, err := unitPage(r)
	if err != nil {
		return doc.ListInput{}, err
	}
	year, err := queryYear(r)
	if err != nil {
		return doc.ListInput{}, err
	}
	return doc.ListInput{Q: norm.NFC.String(q.Get("q")), Type: q.Get("type"), UnitID: unit, Year: year, Category: norm.NFC.String(q.Get("category")),
		Featured: httpx.IsTrue(q.Get("featured")), Unread: httpx.IsTrue(q.Get("unread")), Limit: limit, Cursor: cursor}, nil
}

// queryYear reads ?year= (the year a document was issued; empty: any).
func queryYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1930 || y > 9999 {
		return 0, apperr.Keyed(apperr.Invalid, "http.bad_year", "bad year").With(apperr.FieldKeyed("year", "http.year_such_2026", "a year such as 2026"))
	}
	return y, nil
}

func (s *Handler) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	return s.docList(w, r, doc.KindDocument)
}

// docList answers a list of documents or of news.
func (s *Handler) docList(w http.ResponseWriter, r *http.Request, kind doc.Kind) error {
	in, err := s.docListInput(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.List(r.Context(), httpx.ActorFrom(r), kind, in)
	return sendFresh(w, page, err)
}

func (s *Handler) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := withBody(w, r, s.Docs.Create)
	return sendNew(w, "/api/v1/documents/", d, err)
}

func (s *Handler) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := httpx.ByPathID(r, s.Docs.Get)
	return sendFreshRecord(w, d, err)
}

func (s *Handler) apiReviseDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := byIDWithBody(w, r, ifMatch(r, func(in *doc.ReviseInput) *int { return &in.Version },
		func(ctx context.Context, a *auth.Actor, id int64, in doc.ReviseInput) (*doc.Document, error) {
			// The path names the kind: a news id under /documents is not found.
			in.Kind = doc.KindDocument
			if strings.HasPrefix(r.URL.Path, "/api/v1/news/") {
				in.Kind = doc.KindNews
			}
			return s.Docs.Revise(ctx, a, id, in)
		}))
	return sendRecord(w, http.StatusOK, d, err)
}

func (s *Handler) apiDocRevisions(w http.ResponseWriter, r *http.Request) error {
	revs, err := httpx.ByPathID(r, s.Docs.Revisions)
	return sendAll(w, http.StatusOK, revs, err)
}

func (s *Handler) apiDocRevision(w http.ResponseWriter, r *http.Request) error {
	id, v, err := httpx.PathIDAnd(r, "version")
	if err != nil {
		return err
	}
	rev, err := s.Docs.Revision(r.Context(), httpx.ActorFrom(r), id, int(v))
	return send(w, http.StatusOK, rev, err)
}

func (s *Handler) apiAttach(w http.ResponseWriter, r *http.Request) error {
	return addAttachment(s, w, r, "/api/v1/documents/", nil, s.Docs.Attach)
}

func (s *Handler) apiAttachment(w http.ResponseWriter, r *http.Request) error {
	return serveAttachment(w, r, s.Docs.OpenAttachment)
}

func (s *Handler) apiReceipts(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	unit, limit, cursor, err := unitPage(r)
	if err != nil {
		return err
	}
	rec, err := s.Docs.Receipts(r.Context(), httpx.ActorFrom(r), id, doc.ReceiptsInput{UnitID: unit, Limit: limit, Cursor: cursor})
	return sendFresh(w, rec, err)
}

func (s *Handler) apiNote(w http.ResponseWriter, r *http.Request) error {
	n, err := httpx.ByPathID(r, s.Docs.Note)
	return sendFresh(w, n, err)
}

func (s *Handler) apiPutNote(w http.ResponseWriter, r *http.Request) error {
	// "body" is required: "" deletes the note, a missing key is 422.
	n, err := byIDWithBody(w, r, func(ctx context.Context, a *auth.Actor, id int64, in bodyInput) (*doc.Note, error) {
		return s.Docs.PutNote(ctx, a, id, in.Body)
	}, "body")
	return send(w, http.StatusOK, n, err)
}

func (s *Handler) apiBookmark(on bool) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return sendDone(w, doByID(r, func(ctx context.Context, a *auth.Actor, id int64) error {
			return s.Docs.SetBookmark(ctx, a, id, on)
		}))
	}
}

func (s *Handler) apiBookmarks(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageQuery(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.Bookmarks(r.Context(), httpx.ActorFrom(r), limit, cursor)
	return sendFresh(w, page, err)
}

// apiSearch answers one ranked list of documents, news and members. The
// snippet marks matched words with « and ».
func (s *Handler) apiSearch(w http.ResponseWriter, r *http.Request) error {
	limit := 20
	if r.URL.Query().Get("limit") != "" {
		n, err := httpx.QueryLimit(r)
		if err != nil {
			return err
		}
		limit = n
	}
	hits, err := s.Docs.Search(r.Context(), httpx.ActorFrom(r), norm.NFC.String(r.URL.Query().Get("q")), limit)
	if err == nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	return sendAll(w, http.StatusOK, hits, err)
}

func (s *Handler) apiNewsList(w http.ResponseWriter, r *http.Request) error {
	return s.docList(w, r, doc.KindNews)
}

func (s *Handler) apiCreateNews(w http.ResponseWriter, r *http.Request) error {
	d, err := withBody(w, r, s.Docs.CreateNews)
	return sendNew(w, "/api/v1/news/", d, err)
}

func (s *Handler) apiNews(w http.ResponseWriter, r *http.Request) error {
	d, err := httpx.ByPathID(r, s.Docs.GetNews)
	return sendFreshRecord(w, d, err)
}

func (s *Handler) apiComments(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	limit, cursor, err := pageQuery(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.Comments(r.Context(), httpx.ActorFrom(r), id, limit, cursor)
	return sendFresh(w, page, err)
}

func (s *Handler) apiAddComment(w http.ResponseWriter, r *http.Request) error {
	c, err := byIDWithBody(w, r, func(ctx context.Context, a *auth.Actor, id int64, in bodyInput) (*doc.Comment, error) {
		return s.Docs.AddComment(ctx, a, id, in.Body)
	}, "body")
	return send(w, http.StatusCreated, c, err)
}

func (s *Handler) apiHideComment(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	c, err := s.Docs.HideComment(r.Context(), httpx.ActorFrom(r), id, in.Reason)
	return send(w, http.StatusOK, c, err)
}

func (s *Handler) apiTerms(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitRequired(r)
	if err != nil {
		return err
	}
	terms, err := s.Docs.Terms(r.Context(), httpx.ActorFrom(r), unit)
	return sendAll(w, http.StatusOK, terms, err)
}

func (s *Handler) apiCreateTerm(w http.ResponseWriter, r *http.Request) error {
	t, err := withBody(w, r, s.Docs.CreateTerm)
	return send(w, http.StatusCreated, t, err)
}

// bodyInput is a request whose one field is the text "body".
type bodyInput struct {
	Body string `json:"body"`
}
