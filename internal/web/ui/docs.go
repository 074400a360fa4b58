package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/notify"
	listpage "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// libraryPage is the library: the documents the actor may read, newest
// first, filtered by words, type, issuing unit and year.
type libraryPage struct {
	view
	Page *listpage.Of[doc.Document]
	// The filters' options.
	Types, Issuers, Years []choice
	// The filters as given.
	Q, Type      string
	Issuer, Year int64
	Unread       bool
	IsMember     bool
	Next, First  string
	CanPublish   bool
	// Error is a service message about a filter.
	Error string
}

// libraryYears are the years the filter offers: this year and the nine
// before it.
func (s *Handler) libraryYears() []int {
	y := s.Today().Year
	out := make([]int, 10)
	for i := range out {
		out[i] = y - i
	}
	return out
}

func (s *Handler) uiLibrary(w http.ResponseWriter, r *http.Request) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	q := r.URL.Query()
	p := &libraryPage{Q: norm.NFC.String(q.Get("q")), Type: q.Get("type"),
		Unread: httpx.IsTrue(q.Get("unread")), IsMember: actor.MemberID != 0, CanPublish: actor.HasAny(doc.PublishDocs)}
	p.Issuer, _ = strconv.ParseInt(q.Get("issuer"), 10, 64)
	p.Year, _ = strconv.ParseInt(q.Get("year"), 10, 64)
	if p.Year < 1930 || p.Year > 9999 {
		p.Year = 0
	}
	issuers, err := s.Docs.IssuerOptions(ctx, actor)
	if err != nil {
		return err
	}
	in := doc.ListInput{Q: p.Q, Type: p.Type, UnitID: max(p.Issuer, 0), Year: int(p.Year), Unread: p.Unread, Limit: 20, Cursor: q.Get("cursor")}
	p.Page, err = s.Docs.List(ctx, actor, doc.KindDocument, in)
	if apperr.Is(err, apperr.Invalid) {
		// A hand-made URL (an unknown type, a broken cursor): say so and
		// show the library without that filter.
		e, _ := apperr.As(err)
		p.Error, p.Type = fieldMessage(langOf(r), e), ""
		in.Type, in.Cursor = "", ""
		p.Page, err = s.Docs.List(ctx, actor, doc.KindDocument, in)
	}
	if err != nil {
		return err
	}
	l := langOf(r)
	p.Types = choicesOf(doc.Types, p.Type, func(t doc.TypeInfo) (string, string) { return t.Code, t.Label + " · " + docTypeName(l, t.Code) })
	p.Issuers = choicesOf(issuers, strconv.FormatInt(p.Issuer, 10), func(u doc.UnitRef) (string, string) { return strconv.FormatInt(u.ID, 10), u.Name })
	p.Years = choicesOf(s.libraryYears(), strconv.FormatInt(p.Year, 10), func(y int) (string, string) { return strconv.Itoa(y), strconv.Itoa(y) })
	p.Next, p.First = moreLinks(p.Page.NextCursor, q.Get("cursor"), p.url)
	return s.show(w, r, "doc_list", p, nil)
}

// url is the library with the same filters at another cursor.
func (p *libraryPage) url(cursor string) string {
	return withQuery("/van-ban", "q", p.Q, "type", p.Type, "issuer", idValue(p.Issuer), "year", idValue(p.Year),
		"unread", flagValue(p.Unread), "cursor", cursor)
}

// docPage is one document as a member reads it: the header as printed,
// the text, the attachments, the reader's note and bookmark.
type docPage struct {
	view
	Doc *doc.Document
	// Parent is the unit above the issuing unit ("" at the top), Issuer
	// the issuing unit, as the header prints them; Place the locality of
	// the date line.
	Parent, Issuer, Place string
	Body                  template.HTML
	// Article is the document as printed, rendered once per revision
	// (docArticle).
	Article template.HTML
	Note    *doc.Note
	// Notice is a catalogue key (after a form was sent).
	Notice string
	// NoteError is a service message about the note.
	NoteError string
	// ReceiptsURL is the read-rate page, for officers who may see it.
	ReceiptsURL string
	// InboxID is the inbox item of this document ("doc-12").
	InboxID string
}

// docNotices are the notices a redirect back to the page may ask for.
var docNotices = map[string]string{"note": "doc.note_saved", "saved": "doc.bookmarked", "unsaved": "doc.unbookmarked"}

func (s *Handler) uiDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	// Read records the member's read receipt.
	rd, err := s.Docs.Read(ctx, actor, id)
	if err != nil {
		return err
	}
	d := rd.Doc
	p := &docPage{Doc: d, Body: template.HTML(d.BodyHTML), Note: rd.Note, Notice: docNotices[r.URL.Query().Get("da")], InboxID: notify.DocItemID(d.ID)}
	p.setIssuer(rd.Issuers)
	if p.Article, err = docArticle(langOf(r), p); err != nil {
		return err
	}
	p.ReceiptsURL = receiptsURL(actor, d)
	return s.show(w, r, "doc", p, nil)
}

// setIssuer fills the issuing body of the page's header from the issuing
// unit and the unit above it (doc.Service.IssuerChain).
func (p *docPage) setIssuer(chain []doc.UnitRef) {
	last := chain[len(chain)-1]
	p.Issuer, p.Place = last.Name, placeName(last.Name)
	if len(chain) > 1 {
		p.Parent = chain[0].Name
	}
}

// The printed part of a document page (its header, title, text and
// attachments) is the same for every reader of one revision: it is
// rendered once and kept, by language, document, revision, issuing units
// and attachments, so that a reader's page only fills in what is theirs.
// The key holds everything the part shows that can change without a new
// revision; the cache is bounded and emptied when full.
const articleCacheEntries = 4096

var articleCache = struct {
	sync.Mutex
	m map[string]template.HTML
}{m: map[string]template.HTML{}}

func docArticle(l lang, p *docPage) (template.HTML, error) {
	d := p.Doc
	var k strings.Builder
	fmt.Fprintf(&k, "%s|%d|%d|%s|%s|%s", l, d.ID, d.Version, d.UpdatedAt.Format(time.RFC3339Nano), p.Parent, p.Issuer)
	for _, a := range d.Attachments {
		fmt.Fprintf(&k, "|%d", a.ID)
	}
	key := k.String()
	articleCache.Lock()
	html, ok := articleCache.m[key]
	articleCache.Unlock()
	if ok {
		return html, nil
	}
	p.Lang = l
	var buf bytes.Buffer
	if err := page(l, "doc").ExecuteTemplate(&buf, "doc-article", p); err != nil {
		return "", err
	}
	html = template.HTML(buf.String())
	articleCache.Lock()
	if len(articleCache.m) >= articleCacheEntries {
		clear(articleCache.m)
	}
	articleCache.m[key] = html
	articleCache.Unlock()
	return html, nil
}

// receiptsURL is the read-rate page of d for those who may see it
// (doc.ReceiptsUnit), "" for others.
func receiptsURL(actor *auth.Actor, d *doc.Document) string {
	unit, ok := doc.ReceiptsUnit(actor, d.Audience)
	if !ok {
		return ""
	}
	base := "/van-ban/" + strconv.FormatInt(d.ID, 10) + "/da-doc"
	if unit != 0 {
		return base + "?unit=" + strconv.FormatInt(unit, 10)
	}
	return base
}

func (s *Handler) uiPutNote(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	_, err = s.Docs.PutNote(ctx, actor, id, norm.NFC.String(r.PostForm.Get("note")))
	if apperr.Is(err, apperr.Invalid) {
		// Too long: show the page again with the text kept.
		d, gerr := s.Docs.Get(ctx, actor, id)
		if gerr != nil {
			return gerr
		}
		e, _ := apperr.As(err)
		p := &docPage{Doc: d, Body: template.HTML(d.BodyHTML), Note: &doc.Note{DocumentID: id, Body: r.PostForm.Get("note")}, NoteError: fieldMessage(langOf(r), e), InboxID: notify.DocItemID(id)}
		chain, err := s.Docs.IssuerChain(ctx, d)
		if err != nil {
			return err
		}
		p.setIssuer(chain)
		if p.Article, err = docArticle(langOf(r), p); err != nil {
			return err
		}
		p.ReceiptsURL = receiptsURL(actor, d)
		s.render(w, r, http.StatusUnprocessableEntity, "doc", p)
		return nil
	}
	if err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/van-ban/"+strconv.FormatInt(id, 10)+"?da=note#ghi-chu")
	return nil
}

// fieldMessage is the first field's message of a validation error, or its
// message.
func fieldMessage(l lang, e *apperr.Error) string {
	if e == nil {
		return ""
	}
	if len(e.Fields) > 0 {
		return fieldText(l, e.Fields[0])
	}
	return errText(l, e)
}

func (s *Handler) uiBookmark(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	on := r.PostForm.Get("on") == "1"
	if err := s.Docs.SetBookmark(r.Context(), httpx.ActorFrom(r), id, on); err != nil {
		return err
	}
	notice := "unsaved"
	if on {
		notice = "saved"
	}
	back := "/van-ban/" + strconv.FormatInt(id, 10)
	if next := r.PostForm.Get("next"); next != "" && strings.HasPrefix(httpx.LocalPath(next), "/tin-tuc/") {
		back = httpx.LocalPath(next)
	}
	httpx.SeeOther(w, r, back+"?da="+notice)
	return nil
}

// postedID reads the id named in the path and the small form posted with it.
func postedID(w http.ResponseWriter, r *http.Request, name string) (int64, error) {
	id, err := httpx.PathID(r, name)
	if err == nil {
		err = readForm(w, r)
	}
	return id, err
}
