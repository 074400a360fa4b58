package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
	"golang.org/x/text/unicode/norm"
)

// docRoutes registers the documents, news, search, notes and bookmarks API.
func (s *Server) docRoutes(mux *http.ServeMux) {
	if s.Docs == nil {
		return
	}
	s.handleAPI(mux, "GET /api/v1/document-types", "signed_in", s.apiDocTypes)
	s.handleAPI(mux, "GET /api/v1/documents", "signed_in", s.apiDocuments)
	s.handleAPI(mux, "POST /api/v1/documents", "signed_in", s.apiCreateDocument)
	s.handleAPI(mux, "GET /api/v1/documents/{id}", "signed_in", s.apiDocument)
	s.handleAPI(mux, "PATCH /api/v1/documents/{id}", "signed_in", s.apiReviseDocument)
	s.handleAPI(mux, "GET /api/v1/documents/{id}/revisions", "signed_in", s.apiDocRevisions)
	s.handleAPI(mux, "GET /api/v1/documents/{id}/revisions/{version}", "signed_in", s.apiDocRevision)
	s.handleAPI(mux, "POST /api/v1/documents/{id}/attachments", "signed_in", s.apiAttach)
	s.handleAPI(mux, "GET /api/v1/documents/{id}/attachments/{aid}", "signed_in", s.apiAttachment)
	s.handleAPI(mux, "GET /api/v1/documents/{id}/receipts", "signed_in", s.apiReceipts)
	s.handleAPI(mux, "GET /api/v1/documents/{id}/note", "signed_in", s.apiNote)
	s.handleAPI(mux, "PUT /api/v1/documents/{id}/note", "signed_in", s.apiPutNote)
	s.handleAPI(mux, "PUT /api/v1/documents/{id}/bookmark", "signed_in", s.apiBookmark(true))
	s.handleAPI(mux, "DELETE /api/v1/documents/{id}/bookmark", "signed_in", s.apiBookmark(false))
	s.handleAPI(mux, "GET /api/v1/bookmarks", "signed_in", s.apiBookmarks)
	s.handleAPI(mux, "GET /api/v1/search", "signed_in", s.apiSearch)
	s.handleAPI(mux, "GET /api/v1/news", "signed_in", s.apiNewsList)
	s.handleAPI(mux, "POST /api/v1/news", "signed_in", s.apiCreateNews)
	s.handleAPI(mux, "GET /api/v1/news/{id}", "signed_in", s.apiNews)
	s.handleAPI(mux, "PATCH /api/v1/news/{id}", "signed_in", s.apiReviseDocument)
	s.handleAPI(mux, "GET /api/v1/news/{id}/comments", "signed_in", s.apiComments)
	s.handleAPI(mux, "POST /api/v1/news/{id}/comments", "signed_in", s.apiAddComment)
	s.handleAPI(mux, "POST /api/v1/comments/{id}/hide", "signed_in", s.apiHideComment)
	s.handleAPI(mux, "GET /api/v1/terms", "signed_in", s.apiTerms)
	s.handleAPI(mux, "POST /api/v1/terms", "signed_in", s.apiCreateTerm)
}

func (s *Server) apiDocTypes(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, list[doc.TypeInfo]{Items: doc.Types, Total: len(doc.Types)})
	return nil
}

func (s *Server) docListInput(r *http.Request) (doc.ListInput, error) {
	q := r.URL.Query()
	unit, err := queryID(r, "unit")
	if err != nil {
		return doc.ListInput{}, err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return doc.ListInput{}, err
	}
	year, err := queryYear(r)
	if err != nil {
		return doc.ListInput{}, err
	}
	return doc.ListInput{Q: norm.NFC.String(q.Get("q")), Type: q.Get("type"), UnitID: unit, Year: year, Category: norm.NFC.String(q.Get("category")),
		Featured: isTrue(q.Get("featured")), Unread: isTrue(q.Get("unread")), Limit: limit, Cursor: q.Get("cursor")}, nil
}

func isTrue(v string) bool { return v == "true" || v == "1" }

// queryYear reads ?year= (the year a document was issued; empty: any).
func queryYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1930 || y > 9999 {
		return 0, apperr.Fields("bad year", apperr.FieldError{Field: "year", Message: "a year such as 2026"})
	}
	return y, nil
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	in, err := s.docListInput(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.List(r.Context(), actorFrom(r), doc.KindDocument, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	var in doc.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.Docs.Create(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10))
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Docs.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	setETag(w, d.Version)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiReviseDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in doc.ReviseInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if v, err := ifMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	// The path names the kind: a news id under /documents is not found.
	in.Kind = doc.KindDocument
	if strings.HasPrefix(r.URL.Path, "/api/v1/news/") {
		in.Kind = doc.KindNews
	}
	d, err := s.Docs.Revise(r.Context(), actorFrom(r), id, in)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiDocRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revs, err := s.Docs.Revisions(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[doc.Revision]{Items: revs, Total: len(revs)})
	return nil
}

func (s *Server) apiDocRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := pathID(r, "version")
	if err != nil {
		return err
	}
	rev, err := s.Docs.Revision(r.Context(), actorFrom(r), id, int(v))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rev)
	return nil
}

func (s *Server) apiAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	body, name, _, err := s.uploadedFile(w, r)
	if err != nil {
		return err
	}
	if name == "" {
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
			name = params["filename"]
		}
	}
	if !utf8.ValidString(name) {
		return apperr.New(apperr.Malformed, "the file name is not valid UTF-8")
	}
	at, err := s.Docs.Attach(r.Context(), actorFrom(r), id, body, norm.NFC.String(name))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(id, 10)+"/attachments/"+strconv.FormatInt(at.ID, 10))
	writeJSON(w, http.StatusCreated, at)
	return nil
}

func (s *Server) apiAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	at, f, err := s.Docs.OpenAttachment(r.Context(), actorFrom(r), id, aid)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", at.MediaType)
	h.Set("Content-Disposition", contentDisposition(at.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+at.SHA256+`"`)
	http.ServeContent(w, r, "", at.CreatedAt, f)
	return nil
}

// contentDisposition names a download: a plain ASCII filename (diacritics
// dropped, đ → d) for old clients and the exact name in RFC 5987
// filename* (UTF-8, percent-encoded) for the others.
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case r == 'đ':
			ascii.WriteByte('d')
		case r == 'Đ':
			ascii.WriteByte('D')
		case unicode.Is(unicode.Mn, r):
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		case r < 0x80:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			enc.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(b)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

func (s *Server) apiReceipts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := queryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	rec, err := s.Docs.Receipts(r.Context(), actorFrom(r), id, doc.ReceiptsInput{UnitID: unit, Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) apiNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Docs.Note(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (s *Server) apiPutNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body"`
	}
	// "body" is required: "" deletes the note, a missing key is 422.
	if err := decodeJSON(w, r, &in, "body"); err != nil {
		return err
	}
	n, err := s.Docs.PutNote(r.Context(), actorFrom(r), id, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (s *Server) apiBookmark(on bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.Docs.SetBookmark(r.Context(), actorFrom(r), id, on); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Server) apiBookmarks(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.Bookmarks(r.Context(), actorFrom(r), limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, page)
	return nil
}

// apiSearch answers one ranked list of documents, news and members. The
// snippet marks matched words with « and ».
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	limit := 20
	if r.URL.Query().Get("limit") != "" {
		n, err := queryLimit(r)
		if err != nil {
			return err
		}
		limit = n
	}
	hits, err := s.Docs.Search(r.Context(), actorFrom(r), norm.NFC.String(r.URL.Query().Get("q")), limit)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, list[doc.Hit]{Items: hits, Total: len(hits)})
	return nil
}

func (s *Server) apiNewsList(w http.ResponseWriter, r *http.Request) error {
	in, err := s.docListInput(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.List(r.Context(), actorFrom(r), doc.KindNews, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiCreateNews(w http.ResponseWriter, r *http.Request) error {
	var in doc.NewsInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.Docs.CreateNews(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	w.Header().Set("Location", "/api/v1/news/"+strconv.FormatInt(d.ID, 10))
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Docs.GetNews(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	setETag(w, d.Version)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	page, err := s.Docs.Comments(r.Context(), actorFrom(r), id, limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiAddComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeJSON(w, r, &in, "body"); err != nil {
		return err
	}
	c, err := s.Docs.AddComment(r.Context(), actorFrom(r), id, in.Body)
	if err != nil {
		return err
	}
	s.commentPosted(r.Context(), actorFrom(r), c) // api_notifications.go
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiHideComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	c, err := s.Docs.HideComment(r.Context(), actorFrom(r), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiTerms(w http.ResponseWriter, r *http.Request) error {
	unit, err := queryID(r, "unit")
	if err == nil && unit == 0 {
		err = apperr.Fields("unit is required", apperr.FieldError{Field: "unit", Message: "required"})
	}
	if err != nil {
		return err
	}
	terms, err := s.Docs.Terms(r.Context(), actorFrom(r), unit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[doc.Term]{Items: terms, Total: len(terms)})
	return nil
}

func (s *Server) apiCreateTerm(w http.ResponseWriter, r *http.Request) error {
	var in doc.Term
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Docs.CreateTerm(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}
