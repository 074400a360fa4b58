package doc

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// SearchFields are the folded texts the full-text index holds (SearchText
// of the title, the number's search form, the summary and the body's plain
// text). The service computes them; the store writes them.
type SearchFields struct {
	Title, Number, Summary, Body string
}

// ListFilter selects documents or news for a reader.
type ListFilter struct {
	Reach Reach
	Kind  Kind
	// Query filters by full text (empty: no filter).
	Query        Query
	Type         string
	IssuerUnitID int64
	// Year keeps the documents issued in that year (0: any).
	Year     int
	Category string
	Featured bool
	// Unread keeps the documents the reader's member has not read in their
	// current revision.
	Unread bool
	// Bookmarked keeps the account's bookmarks.
	Bookmarked bool
	AccountID  int64
	Limit      int
	Cursor     string
	// NoTotal: the caller does not show the total, so the store does not
	// count (Total stays 0): a page's short list of the latest news.
	NoTotal bool
}

// SearchFilter selects search candidates.
type SearchFilter struct {
	Reach Reach
	Query Query
	Limit int
}

// MemberHit is a member found by name.
type MemberHit struct {
	ID       int64
	FullName string
	UnitName string
}

// Store is what the doc service needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	ChildUnits(ctx context.Context, parentID int64) ([]UnitRef, error)
	// ConfiguredTerm returns the term configured on the unit at path or
	// the nearest unit above it that contains day on, or nil.
	ConfiguredTerm(ctx context.Context, path string, on date.Date) (*Term, error)
	Terms(ctx context.Context, path string) ([]Term, error)
	CreateTerm(ctx context.Context, t *Term, a auth.AuditEntry) error

	// Create inserts a document or news with its first revision and
	// its one audience row. A document with Seq 0 gets the next number of
	// its issuer unit, issuer code, type and term, in the same transaction.
	Create(ctx context.Context, d *Document, a auth.AuditEntry) error
	Document(ctx context.Context, id int64) (*Document, error)
	Revise(ctx context.Context, d *Document, version int, a auth.AuditEntry) error
	// SetFeatured features a piece of news or stops featuring it.
	SetFeatured(ctx context.Context, id int64, on bool, a auth.AuditEntry) error
	Revisions(ctx context.Context, id int64) ([]Revision, error)
	Revision(ctx context.Context, id int64, version int) (*Revision, error)
	List(ctx context.Context, f ListFilter) (*page.Of[Document], error)
	Search(ctx context.Context, f SearchFilter) ([]Document, error)
	SearchMembersByName(ctx context.Context, paths []string, q Query, limit int) ([]MemberHit, error)

	// RecordReceipt records that a member read a revision, once.
	RecordReceipt(ctx context.Context, docID, memberID int64, version int) error
	// ReaderState returns the newest revision a member read (0: none)
	// and whether the account bookmarked the document.
	ReaderState(ctx context.Context, docID, memberID, accountID int64) (int, bool, error)
	// Reading is Document with the reader's view of it (ReaderState,
	// the account's note and the number of attachments), in one query, for
	// the document's page; access is the caller's to check.
	Reading(ctx context.Context, id, memberID, accountID int64) (*Document, *ReaderView, error)
	// ReadRollup counts, for the subtree at path as a whole and for the
	// subtree of each child of its top unit, the active members the
	// audience expects and those who read the current revision.
	ReadRollup(ctx context.Context, d *Document, path string) (*ReadRollup, error)
	// NotRead pages through the expected members who have not read the
	// current revision, cell by cell; it leaves Total to the caller.
	NotRead(ctx context.Context, d *Document, path string, limit int, cursor string) (*page.Of[ReaderRef], error)

	AddAttachment(ctx context.Context, at *Attachment, a auth.AuditEntry) error
	Attachments(ctx context.Context, docID int64) ([]Attachment, error)
	Attachment(ctx context.Context, docID, id int64) (*Attachment, error)

	Note(ctx context.Context, docID, accountID int64) (*Note, error)
	PutNote(ctx context.Context, n *Note, a auth.AuditEntry) error
	SetBookmark(ctx context.Context, docID, accountID int64, on bool, a auth.AuditEntry) error

	AddNewsComment(ctx context.Context, c *Comment, a auth.AuditEntry) error
	NewsComments(ctx context.Context, newsID int64, limit int, cursor string) (*page.Of[Comment], error)
	NewsComment(ctx context.Context, id int64) (*Comment, error)
	HideNewsComment(ctx context.Context, c *Comment, a auth.AuditEntry) error
}

// Service is the documents' and news' use cases.
type Service struct {
	Store Store
	Files Files
	Now   func() time.Time
	// OnComment hears of every new comment, whoever posted it through
	// whichever surface (notify.Service: earlier commenters are told);
	// nil tells no one.
	OnComment CommentListener
	// Log records what fails after a write has succeeded (a notification).
	Log *slog.Logger
}

// CommentListener is told of a comment once it is saved.
type CommentListener interface {
	CommentPosted(ctx context.Context, actor *auth.Actor, newsID int64, newsTitle string, commentID int64) error
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) today() date.Date { return date.Today(s.now()) }

// Limits on text.
const (
	maxTitle    = 500
	maxSummary  = 4000
	maxBody     = 800 << 10
	maxComment  = 2000
	maxNote     = 20000
	maxCategory = 80
)

// CreateInput is a new document as the API receives it.
type CreateInput struct {
	Type         string    `json:"type"`
	Number       string    `json:"number"`
	IssuerCode   string    `json:"issuer_code"`
	IssuerUnitID int64     `json:"issuer_unit_id"`
	IssuedOn     date.Date `json:"issued_on"`
	Title        string    `json:"title"`
	Summary      string    `json:"summary"`
	Body         string    `json:"body"`
	Audience     Audience  `json:"audience"`
	Signer       Signer    `json:"signer"`
}

// NewsInput is a new piece of news.
type NewsInput struct {
	Title        string   `json:"title"`
	Category     string   `json:"category"`
	Featured     bool     `json:"featured"`
	Summary      string   `json:"summary"`
	Body         string   `json:"body"`
	IssuerUnitID int64    `json:"issuer_unit_id"`
	Audience     Audience `json:"audience"`
}

// SetNumber gives a document its sequence number under its type and issuer
// code (the store calls it when it assigns the next number).
func (d *Document) SetNumber(seq int) {
	n := Number{Seq: seq, Type: d.Type, Issuer: d.IssuerCode}
	d.Seq, d.Number = seq, n.String()
}

// SearchFields returns the folded texts for the index.
func (d *Document) SearchFields() SearchFields {
	f := SearchFields{Title: SearchText(d.Title), Summary: SearchText(d.Summary), Body: SearchText(PlainText(d.Body))}
	if d.Seq > 0 {
		f.Number = Number{Seq: d.Seq, Type: d.Type, Issuer: d.IssuerCode}.SearchForm()
	}
	return f
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func checkText(title, summary, body string) []apperr.FieldError {
	var errs []apperr.FieldError
	for _, f := range []struct {
		field, v string
		check    func(string) error
	}{{"title", title, viet.CheckLine}, {"summary", summary, viet.CheckText}, {"body", body, viet.CheckText}} {
		if err := f.check(f.v); err != nil {
			errs = append(errs, apperr.FieldFrom(f.field, err))
		}
	}
	switch {
	case title == "":
		errs = append(errs, apperr.FieldKeyed("title", "common.required", "required"))
	case runes(title) > maxTitle:
		errs = append(errs, apperr.FieldKeyed("title", "doc.most_500_characters", "at most 500 characters"))
	}
	if runes(summary) > maxSummary {
		errs = append(errs, apperr.FieldKeyed("summary", "doc.most_4000_characters", "at most 4000 characters"))
	}
	if len(body) > maxBody {
		errs = append(errs, apperr.FieldKeyed("body", "doc.most_800_kib", "at most 800 KiB"))
	}
	return errs
}

// publishingUnits resolves the audience and the issuing unit of a new
// document or news: the issuer must be a unit where the actor may publish,
// and the audience must lie in its subtree. Out of reach is 404.
func (s *Service) publishingUnits(ctx context.Context, actor *auth.Actor, roles []auth.Role, aud *Audience, issuerID int64) (*UnitRef, error) {
	if aud.UnitID == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "doc.audience_needs_unit", "the audience needs a unit").With(apperr.FieldKeyed("audience.unit_id", "common.required", "required"))
	}
	for _, r := range aud.Roles {
		if !r.Valid() {
			return nil, apperr.Keyed(apperr.Invalid, "common.unknown_role", "unknown role").With(apperr.FieldKeyed("audience.roles", "doc.unknown_role_named", "unknown role %s", string(r)))
		}
	}
	au, err := s.Store.Unit(ctx, aud.UnitID)
	if err != nil {
		return nil, err
	}
	aud.Path, aud.UnitName = au.Path, au.Name
	aud.Roles = dedupRoles(aud.Roles)
	if issuerID == 0 {
		// The deepest unit above the audience where the actor may publish.
		best := ""
		if actor.System {
			best = au.Path
		}
		for _, g := range actor.Grants {
			if containsRole(roles, g.Role) && strings.HasPrefix(au.Path, g.UnitPath) && len(g.UnitPath) > len(best) {
				best, issuerID = g.UnitPath, g.UnitID
			}
		}
		if best == "" || au.Dissolved {
			return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", aud.UnitID)
		}
		if issuerID == 0 {
			issuerID = au.ID
		}
	}
	iu, err := s.Store.Unit(ctx, issuerID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(iu.Path, roles) || iu.Dissolved {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", issuerID)
	}
	if au.Dissolved || !strings.HasPrefix(au.Path, iu.Path) && !actor.Can(au.Path, auth.SeeUnits) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", aud.UnitID)
	}
	if !strings.HasPrefix(au.Path, iu.Path) {
		return nil, apperr.Keyed(apperr.Invalid, "doc.audience_must_lie_under", "the audience must lie under the issuing unit").With(apperr.FieldKeyed("audience.unit_id", "doc.not_under_issuing_unit", "not under the issuing unit"))
	}
	return iu, nil
}

func containsRole(rs []auth.Role, r auth.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func dedupRoles(rs []auth.Role) []auth.Role {
	var out []auth.Role
	for _, r := range auth.AllRoles {
		if containsRole(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// Create publishes a document. Without a number, the next one of the
// issuing unit's sequence for the type and term is assigned.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput) (*Document, error) {
	d := &Document{Kind: KindDocument, Title: viet.Clean(in.Title), Summary: strings.TrimSpace(in.Summary), Body: in.Body,
		IssuedOn: in.IssuedOn, Audience: in.Audience, Version: 1, CreatedBy: actor.AccountID,
		Signer: Signer{Name: viet.Clean(in.Signer.Name), Deputy: in.Signer.Deputy}}
	// Reach first: out of reach is 404 whatever else is wrong.
	iu, err := s.publishingUnits(ctx, actor, PublishDocs, &d.Audience, in.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	d.IssuerUnitID = iu.ID
	errs := checkText(d.Title, d.Summary, d.Body)
	for _, f := range [][2]string{{"type", in.Type}, {"number", in.Number}, {"issuer_code", in.IssuerCode}, {"signer.name", d.Signer.Name}} {
		if err := viet.CheckLine(f[1]); err != nil {
			errs = append(errs, apperr.FieldFrom(f[0], err))
		}
	}
	if n := len([]rune(d.Signer.Name)); n > maxSignerName {
		errs = append(errs, apperr.FieldKeyed("signer.name", "doc.signer_name_long", "at most %d characters", maxSignerName))
	}
	if in.Type != "" {
		t, ok := LookupType(in.Type)
		if !ok {
			errs = append(errs, apperr.FieldKeyed("type", "doc.unknown_type_named", "unknown document type %s", in.Type))
		}
		d.Type = t.Code
	}
	if in.IssuerCode != "" {
		code, err := NormalizeIssuer(in.IssuerCode)
		if err != nil {
			errs = append(errs, apperr.FieldFrom("issuer_code", err))
		}
		d.IssuerCode = code
	}
	if strings.TrimSpace(in.Number) != "" {
		n, err := ParseNumber(in.Number)
		switch {
		case err != nil:
			errs = append(errs, apperr.FieldFrom("number", err))
		case d.Type != "" && n.Type != d.Type:
			errs = append(errs, apperr.FieldKeyed("number", "doc.number_type_differs", "the number's type %s is not the document's type %s", Label(n.Type), Label(d.Type)))
		case d.IssuerCode != "" && n.Issuer != d.IssuerCode:
			errs = append(errs, apperr.FieldKeyed("number", "doc.number_issuer_differs", "the number's issuer %s is not the issuer code %s", n.Issuer, d.IssuerCode))
		default:
			d.Type, d.IssuerCode = n.Type, n.Issuer
			d.SetNumber(n.Seq)
		}
	}
	if d.Type == "" && !apperr.HasField(errs, "type") && !apperr.HasField(errs, "number") {
		errs = append(errs, apperr.FieldKeyed("type", "common.required", "required"))
	}
	if d.IssuerCode == "" && !apperr.HasField(errs, "issuer_code") && !apperr.HasField(errs, "number") {
		errs = append(errs, apperr.FieldKeyed("issuer_code", "common.required", "required"))
	}
	if d.IssuedOn.IsZero() {
		d.IssuedOn = s.today()
	} else if e := checkIssuedOn(d.IssuedOn, s.today()); e != nil {
		errs = append(errs, *e)
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "doc.document_not_valid", "the document is not valid").With(errs...)
	}
	if t, err := s.Store.ConfiguredTerm(ctx, iu.Path, d.IssuedOn); err != nil {
		return nil, err
	} else if t != nil {
		d.TermStart = t.StartsOn
	} else {
		d.TermStart, _ = DefaultTerm(d.IssuedOn)
	}
	d.TypeLabel = Label(d.Type)
	err = s.Store.Create(ctx, d, auth.AuditEntry{Actor: actor, Action: "document.create", ObjectType: "document", UnitPath: d.Audience.Path})
	if err != nil {
		return nil, err
	}
	d.BodyHTML = Render(d.Body)
	return d, nil
}

// CreateNews publishes a piece of news.
func (s *Service) CreateNews(ctx context.Context, actor *auth.Actor, in NewsInput) (*Document, error) {
	d := &Document{Kind: KindNews, Title: viet.Clean(in.Title), Summary: strings.TrimSpace(in.Summary), Body: in.Body,
		Category: viet.Clean(in.Category), Featured: in.Featured, IssuedOn: s.today(), Audience: in.Audience, Version: 1, CreatedBy: actor.AccountID}
	iu, err := s.publishingUnits(ctx, actor, PublishNews, &d.Audience, in.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	d.IssuerUnitID = iu.ID
	errs := checkText(d.Title, d.Summary, d.Body)
	if err := viet.CheckLine(d.Category); err != nil {
		errs = append(errs, apperr.FieldFrom("category", err))
	}
	switch {
	case d.Category == "":
		errs = append(errs, apperr.FieldKeyed("category", "common.required", "required"))
	case runes(d.Category) > maxCategory:
		errs = append(errs, apperr.FieldKeyed("category", "doc.most_80_characters", "at most 80 characters"))
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "doc.news_not_valid", "the news is not valid").With(errs...)
	}
	err = s.Store.Create(ctx, d, auth.AuditEntry{Actor: actor, Action: "news.create", ObjectType: "news", UnitPath: d.Audience.Path})
	if err != nil {
		return nil, err
	}
	d.BodyHTML = Render(d.Body)
	return d, nil
}

// readable loads a document or news the actor may read; anything else,
// including the other kind, is not found.
func (s *Service) readable(ctx context.Context, actor *auth.Actor, id int64, kind Kind) (*Document, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Kind != kind || !ReachOf(actor).MayRead(d.Audience) {
		return nil, notFound(kind, id)
	}
	return d, nil
}

// DocumentReadable reports whether a document (not news) exists and the
// actor may read it. Callers that take a document id as a link (a task
// made from a document) answer "no" exactly as for an id that does not
// exist, so that the link cannot probe for documents out of reach.
func (s *Service) DocumentReadable(ctx context.Context, actor *auth.Actor, id int64) (bool, error) {
	_, err := s.readable(ctx, actor, id, KindDocument)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// Get returns a document the actor may read, with its rendered body and
// attachments. A member in the audience gets a read receipt for the
// current revision (recorded once).
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Document, error) {
	d, err := s.readable(ctx, actor, id, KindDocument)
	if err != nil {
		return nil, err
	}
	// The reader's state first: a member who already read this revision
	// costs no receipt write, nor a second look at the receipts.
	rv, bm, err := s.Store.ReaderState(ctx, d.ID, actor.MemberID, actor.AccountID)
	if err != nil {
		return nil, err
	}
	if r := ReachOf(actor); r.Expects(d.Audience) && rv != d.Version {
		if err := s.Store.RecordReceipt(ctx, d.ID, r.MemberID, d.Version); err != nil {
			return nil, err
		}
		rv = d.Version
	}
	return s.fill(ctx, actor, d, rv, bm)
}

// GetNews returns a piece of news the actor may read.
func (s *Service) GetNews(ctx context.Context, actor *auth.Actor, id int64) (*Document, error) {
	d, err := s.readable(ctx, actor, id, KindNews)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, actor, d)
}

func (s *Service) complete(ctx context.Context, actor *auth.Actor, d *Document) (*Document, error) {
	rv, bm, err := s.Store.ReaderState(ctx, d.ID, actor.MemberID, actor.AccountID)
	if err != nil {
		return nil, err
	}
	return s.fill(ctx, actor, d, rv, bm)
}

// fill completes a document for its reader: the revision they read (rv),
// their bookmark, the attachments and the rendered body.
func (s *Service) fill(ctx context.Context, actor *auth.Actor, d *Document, rv int, bm bool) (*Document, error) {
	var err error
	d.Bookmarked = bm
	if ReachOf(actor).Expects(d.Audience) {
		read := rv == d.Version
		d.Read, d.ReadVersion = &read, rv
	}
	if d.Kind == KindDocument {
		if d.Attachments, err = s.Store.Attachments(ctx, d.ID); err != nil {
			return nil, err
		}
	}
	d.BodyHTML = RenderCached(d.Body)
	return d, nil
}

// ListInput is a list request as the API receives it.
type ListInput struct {
	Q      string
	Type   string
	UnitID int64
	// Year keeps the documents issued in that year (0: any).
	Year       int
	Category   string
	Featured   bool
	Unread     bool
	Bookmarked bool
	Limit      int
	Cursor     string
	// NoTotal: the page does not show the total (ListFilter.NoTotal).
	NoTotal bool
}

// Bookmarks lists the documents and news the actor bookmarked and may
// still read, newest first.
func (s *Service) Bookmarks(ctx context.Context, actor *auth.Actor, limit int, cursor string) (*page.Of[Document], error) {
	return s.List(ctx, actor, "", ListInput{Bookmarked: true, Limit: limit, Cursor: cursor})
}

// LatestBookmarks is the first page of Bookmarks without its total (the
// handbook's home shows a few and no count).
func (s *Service) LatestBookmarks(ctx context.Context, actor *auth.Actor, limit int) (*page.Of[Document], error) {
	return s.List(ctx, actor, "", ListInput{Bookmarked: true, Limit: limit, NoTotal: true})
}

// List returns the documents (or news; both when kind is "") the actor may
// read, newest first.
func (s *Service) List(ctx context.Context, actor *auth.Actor, kind Kind, in ListInput) (*page.Of[Document], error) {
	f := ListFilter{Reach: ReachOf(actor), Kind: kind, IssuerUnitID: in.UnitID, Year: in.Year, Category: viet.Clean(in.Category), Featured: in.Featured,
		Unread: in.Unread, Bookmarked: in.Bookmarked, AccountID: actor.AccountID, Limit: clampLimit(in.Limit), Cursor: in.Cursor, NoTotal: in.NoTotal}
	if in.Type != "" {
		t, ok := LookupType(in.Type)
		if !ok {
			return nil, apperr.Keyed(apperr.Invalid, "doc.unknown_document_type", "unknown document type").With(apperr.FieldKeyed("type", "doc.unknown_type_named", "unknown document type %s", in.Type))
		}
		f.Type = t.Code
	}
	if strings.TrimSpace(in.Q) != "" {
		f.Query = ParseQuery(in.Q)
		if f.Query.Empty() {
			return &page.Of[Document]{Items: []Document{}}, nil
		}
	}
	page, err := s.Store.List(ctx, f)
	if err != nil {
		return nil, err
	}
	r := ReachOf(actor)
	for i := range page.Items {
		d := &page.Items[i]
		d.TypeLabel = Label(d.Type)
		if d.Kind == KindDocument && r.Expects(d.Audience) {
			read := d.ReadVersion == d.Version
			d.Read = &read
		}
	}
	return page, nil
}

func clampLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 500)
}

// ReviseInput edits a document's text; nil fields are kept.
type ReviseInput struct {
	Title   *string `json:"title"`
	Summary *string `json:"summary"`
	Body    *string `json:"body"`
	// Featured features a piece of news (shown first) or stops featuring
	// it; it makes no new revision and is refused for documents.
	Featured *bool `json:"featured"`
	Version  int   `json:"version"`
	// Kind, when set, is the kind the caller addressed: the other kind is
	// not found.
	Kind Kind `json:"-"`
}

// Revise changes the title, summary or body of a document or news and makes
// a new revision; readers are asked to read it again. The old revisions
// stay readable. Only those who may publish from the issuing unit revise.
func (s *Service) Revise(ctx context.Context, actor *auth.Actor, id int64, in ReviseInput) (*Document, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	roles := PublishDocs
	if d.IsNews() {
		roles = PublishNews
	}
	iu, err := s.Store.Unit(ctx, d.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	if !ReachOf(actor).MayRead(d.Audience) || !actor.Can(iu.Path, roles) || in.Kind != "" && in.Kind != d.Kind {
		return nil, notFound(d.Kind, id)
	}
	if in.Featured != nil && !d.IsNews() {
		return nil, apperr.Keyed(apperr.Invalid, "doc.only_news_featured", "only news is featured").With(apperr.FieldKeyed("featured", "doc.only_news_featured", "only news is featured"))
	}
	before := *d
	if in.Title != nil {
		d.Title = viet.Clean(*in.Title)
	}
	if in.Summary != nil {
		d.Summary = strings.TrimSpace(*in.Summary)
	}
	if in.Body != nil {
		d.Body = *in.Body
	}
	if errs := checkText(d.Title, d.Summary, d.Body); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "doc.document_not_valid", "the document is not valid").With(errs...)
	}
	version := in.Version
	if version == 0 {
		version = before.Version
	}
	if version != before.Version {
		return nil, apperr.Keyed(apperr.Conflict, "doc.document_was_changed_someone", "the document was changed by someone else (version %d is stale): reload and try again", version)
	}
	if in.Featured != nil {
		if err := s.setFeatured(ctx, actor, d, *in.Featured); err != nil {
			return nil, err
		}
	}
	if d.Title == before.Title && d.Summary == before.Summary && d.Body == before.Body {
		return s.complete(ctx, actor, d)
	}
	type rev struct {
		Version int    `json:"version"`
		Title   string `json:"title"`
		Summary string `json:"summary"`
		Body    string `json:"body"`
	}
	err = s.Store.Revise(ctx, d, version, auth.AuditEntry{Actor: actor, Action: string(d.Kind) + ".revise", ObjectType: string(d.Kind), ObjectID: d.ID,
		UnitPath: d.Audience.Path, Before: rev{before.Version, before.Title, before.Summary, before.Body}, After: rev{version + 1, d.Title, d.Summary, d.Body}})
	if err != nil {
		return nil, err
	}
	d.CreatedBy = actor.AccountID
	return s.complete(ctx, actor, d)
}

// Revisions lists the revisions of a document the actor may read, newest
// first, without their bodies.
func (s *Service) Revisions(ctx context.Context, actor *auth.Actor, id int64) ([]Revision, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ReachOf(actor).MayRead(d.Audience) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.document_not_found", "document %d not found", id)
	}
	return s.Store.Revisions(ctx, id)
}

// Revision returns one revision, rendered.
func (s *Service) Revision(ctx context.Context, actor *auth.Actor, id int64, version int) (*Revision, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ReachOf(actor).MayRead(d.Audience) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.document_not_found", "document %d not found", id)
	}
	r, err := s.Store.Revision(ctx, id, version)
	if err != nil {
		return nil, err
	}
	r.BodyHTML = Render(r.Body)
	return r, nil
}

// Receipts is the read-rate view of a document for a unit.
type Receipts struct {
	DocumentID int64              `json:"document_id"`
	Version    int                `json:"version"`
	Unit       UnitRate           `json:"unit"`
	Children   []UnitRate         `json:"children"`
	NotRead    page.Of[ReaderRef] `json:"not_read"`
	Audience   Audience           `json:"audience"`
	// Up is the unit above Unit when it lies inside the audience's reach
	// of the figures, that is when Unit is not the audience unit and the
	// actor may see the rates there too (MaySeeReceipts); 0 otherwise. The
	// page links to it; the API leaves it out.
	Up int64 `json:"-"`
}

// ReceiptsInput asks for the read rates of a document in a unit's subtree.
type ReceiptsInput struct {
	UnitID int64
	Limit  int
	Cursor string
}

// Receipts returns, for a unit (by default the audience unit) and each
// of its children, how many members the audience expects there and how
// many read the current revision; and a page of those who have not. Only
// officers whose role covers the unit see it.
func (s *Service) Receipts(ctx context.Context, actor *auth.Actor, id int64, in ReceiptsInput) (*Receipts, error) {
	d, err := s.readable(ctx, actor, id, KindDocument)
	if err != nil {
		return nil, err
	}
	unitID := in.UnitID
	if unitID == 0 {
		unitID = d.Audience.UnitID
	}
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !MaySeeReceipts(actor, u.Path) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	out := &Receipts{DocumentID: d.ID, Version: d.Version, Audience: d.Audience, Children: []UnitRate{}}
	if u.ID != d.Audience.UnitID && u.ParentID != 0 && MaySeeReceipts(actor, parentPath(u.Path, u.ID)) {
		out.Up = u.ParentID
	}
	out.Unit = UnitRate{UnitID: u.ID, Name: u.Name}
	kids, err := s.Store.ChildUnits(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	// Members are counted where the unit's subtree and the audience's meet.
	scope := ""
	switch {
	case strings.HasPrefix(u.Path, d.Audience.Path):
		scope = u.Path
	case strings.HasPrefix(d.Audience.Path, u.Path):
		scope = d.Audience.Path
	}
	byChild := map[int64]*UnitRate{}
	for _, k := range kids {
		out.Children = append(out.Children, UnitRate{UnitID: k.ID, Name: k.Name})
	}
	for i := range out.Children {
		byChild[out.Children[i].UnitID] = &out.Children[i]
	}
	out.NotRead = page.Of[ReaderRef]{Items: []ReaderRef{}}
	if scope != "" {
		r, err := s.Store.ReadRollup(ctx, d, scope)
		if err != nil {
			return nil, err
		}
		out.Unit.Expected, out.Unit.Read = r.Total.Expected, r.Total.Read
		if scope == u.Path {
			for _, c := range r.Children {
				if rr, ok := byChild[c.UnitID]; ok {
					rr.Expected += c.Expected
					rr.Read += c.Read
				}
			}
		} else if rr, ok := byChild[childOf(u.Path, scope)]; ok {
			// The audience lies below one child of the unit asked for.
			rr.Expected += r.Total.Expected
			rr.Read += r.Total.Read
		}
		page, err := s.Store.NotRead(ctx, d, scope, clampLimit(in.Limit), in.Cursor)
		if err != nil {
			return nil, err
		}
		page.Total = out.Unit.Expected - out.Unit.Read
		out.NotRead = *page
	}
	setRate(&out.Unit)
	for i := range out.Children {
		setRate(&out.Children[i])
	}
	return out, nil
}

// childOf returns the id of the child of the unit at parent whose subtree
// holds path, or 0.
func childOf(parent, path string) int64 {
	if !strings.HasPrefix(path, parent) || len(path) == len(parent) {
		return 0
	}
	ids := AncestorIDs(path[len(parent)-1:])
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

func setRate(r *UnitRate) {
	if r.Expected > 0 {
		v := float64(r.Read) / float64(r.Expected)
		v = float64(int(v*10000+0.5)) / 10000
		r.Rate = &v
	}
}

// Attach stores a file and attaches it to a document. The type is sniffed
// from the content (PDF or office files only); the size is limited.
func (s *Service) Attach(ctx context.Context, actor *auth.Actor, id int64, body io.Reader, filename string) (*Attachment, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	iu, err := s.Store.Unit(ctx, d.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	if d.Kind != KindDocument || !ReachOf(actor).MayRead(d.Audience) || !actor.Can(iu.Path, PublishDocs) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.document_not_found", "document %d not found", id)
	}
	if err := viet.CheckLine(filename); err != nil {
		return nil, apperr.Keyed(apperr.Invalid, "doc.file_name_not_valid", "the file name is not valid").With(apperr.FieldFrom("filename", err))
	}
	up, err := KeepUpload(s.Files, body, filename, Sniff)
	if err != nil {
		return nil, err
	}
	at := &Attachment{DocumentID: d.ID, Name: cleanFilename(viet.NFC(filename), up.MediaType), MediaType: up.MediaType, Size: up.Size, SHA256: up.SHA256, AccountID: actor.AccountID}
	err = s.Store.AddAttachment(ctx, at, auth.AuditEntry{Actor: actor, Action: "document.attach", ObjectType: "document", ObjectID: d.ID, UnitPath: d.Audience.Path, After: at})
	return at, err
}

// OpenAttachment returns an attachment of a document the actor may read,
// and its content.
func (s *Service) OpenAttachment(ctx context.Context, actor *auth.Actor, id, aid int64) (*Attachment, ReadSeekCloser, error) {
	if _, err := s.readable(ctx, actor, id, KindDocument); err != nil {
		return nil, nil, err
	}
	at, err := s.Store.Attachment(ctx, id, aid)
	return OpenFound(s.Files, at, err, func(at *Attachment) string { return at.SHA256 })
}

// anyReadable loads a document or news the actor may read.
func (s *Service) anyReadable(ctx context.Context, actor *auth.Actor, id int64) (*Document, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ReachOf(actor).MayRead(d.Audience) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.document_not_found", "document %d not found", id)
	}
	return d, nil
}

// Note returns the actor's own note on a document (empty if none).
func (s *Service) Note(ctx context.Context, actor *auth.Actor, id int64) (*Note, error) {
	if _, err := s.anyReadable(ctx, actor, id); err != nil {
		return nil, err
	}
	n, err := s.Store.Note(ctx, id, actor.AccountID)
	if apperr.Is(err, apperr.NotFound) {
		return &Note{DocumentID: id}, nil
	}
	return n, err
}

// PutNote saves the actor's own note; an empty body deletes it. The audit
// trail records that the note changed, not what it says: it is private.
func (s *Service) PutNote(ctx context.Context, actor *auth.Actor, id int64, body string) (*Note, error) {
	d, err := s.anyReadable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := viet.CheckText(body); err != nil {
		return nil, apperr.Keyed(apperr.Invalid, "common.note_not_valid", "the note is not valid").With(apperr.FieldFrom("body", err))
	}
	if runes(body) > maxNote {
		return nil, apperr.Keyed(apperr.Invalid, "common.note_too_long", "the note is too long").With(apperr.FieldKeyed("body", "doc.most_20000_characters", "at most 20000 characters"))
	}
	if actor.AccountID == 0 {
		return nil, apperr.Keyed(apperr.Conflict, "doc.only_accounts_keep_notes", "only accounts keep notes")
	}
	body = strings.TrimRight(body, " \t\r\n")
	// The same text again (or deleting no note) changes nothing: no audit entry.
	switch old, err := s.Store.Note(ctx, id, actor.AccountID); {
	case err == nil && old.Body == body:
		return old, nil
	case apperr.Is(err, apperr.NotFound) && body == "":
		return &Note{DocumentID: id}, nil
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	now := s.now().UTC()
	n := &Note{DocumentID: id, AccountID: actor.AccountID, Body: body, UpdatedAt: &now}
	err = s.Store.PutNote(ctx, n, auth.AuditEntry{Actor: actor, Action: "note.put", ObjectType: "document", ObjectID: id, UnitPath: d.Audience.Path,
		After: map[string]any{"length": runes(n.Body)}})
	return n, err
}

// SetBookmark adds (on) or removes a bookmark of the actor's; both are
// idempotent.
func (s *Service) SetBookmark(ctx context.Context, actor *auth.Actor, id int64, on bool) error {
	d, err := s.anyReadable(ctx, actor, id)
	if err != nil {
		return err
	}
	if actor.AccountID == 0 {
		return apperr.Keyed(apperr.Conflict, "doc.only_accounts_keep_bookmarks", "only accounts keep bookmarks")
	}
	action := "bookmark.add"
	if !on {
		action = "bookmark.remove"
	}
	return s.Store.SetBookmark(ctx, id, actor.AccountID, on, auth.AuditEntry{Actor: actor, Action: action, ObjectType: string(d.Kind), ObjectID: id, UnitPath: d.Audience.Path})
}

// Search finds documents, news and — for officers who may read personal
// records — members within reach, in one list ranked by Query.Score
// (members by ScoreName). Snippets mark the matched words with « and ».
func (s *Service) Search(ctx context.Context, actor *auth.Actor, text string, limit int) ([]Hit, error) {
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	q := ParseQuery(text)
	out := []Hit{}
	if q.Empty() {
		return out, nil
	}
	docs, err := s.Store.Search(ctx, SearchFilter{Reach: ReachOf(actor), Query: q, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		var num *Number
		if d.Seq > 0 {
			num = &Number{Seq: d.Seq, Type: d.Type, Issuer: d.IssuerCode}
		}
		plain := PlainText(d.Body)
		h := Hit{Kind: string(d.Kind), ID: d.ID, Title: d.Title, Number: d.Number, Score: q.Score(d.Title, num, d.Summary, plain),
			Snippet: q.Snippet(d.Summary, plain, d.Title), sortKey: d.IssuedOn.String()}
		out = append(out, h)
	}
	if len(q.Terms) > 0 && actor.HasAny(auth.ReadPersonal) {
		ms, err := s.Store.SearchMembersByName(ctx, actor.Paths(auth.ReadPersonal), q, 50)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out = append(out, Hit{Kind: "member", ID: m.ID, Title: m.FullName, Score: q.ScoreName(m.FullName),
				Snippet: q.Highlight(m.FullName) + " — " + m.UnitName})
		}
	}
	SortHits(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// AddComment posts a reader's comment on a piece of news.
func (s *Service) AddComment(ctx context.Context, actor *auth.Actor, newsID int64, body string) (*Comment, error) {
	d, err := s.readable(ctx, actor, newsID, KindNews)
	if err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	if err := viet.CheckText(body); err != nil {
		return nil, apperr.Keyed(apperr.Invalid, "doc.comment_not_valid", "the comment is not valid").With(apperr.FieldFrom("body", err))
	}
	switch {
	case body == "":
		return nil, apperr.Keyed(apperr.Invalid, "doc.comment_empty", "the comment is empty").With(apperr.FieldKeyed("body", "common.required", "required"))
	case runes(body) > maxComment:
		return nil, apperr.Keyed(apperr.Invalid, "doc.comment_too_long", "the comment is too long").With(apperr.FieldKeyed("body", "common.most_2000_characters", "at most 2000 characters"))
	case actor.AccountID == 0:
		return nil, apperr.Keyed(apperr.Conflict, "doc.only_accounts_comment", "only accounts comment")
	}
	c := &Comment{NewsID: d.ID, AccountID: actor.AccountID, MemberID: actor.MemberID, Author: actor.Username, Body: body, CreatedAt: s.now().UTC()}
	if err := s.Store.AddNewsComment(ctx, c, auth.AuditEntry{Actor: actor, Action: "comment.create", ObjectType: "comment", UnitPath: d.Audience.Path}); err != nil {
		return nil, err
	}
	if s.OnComment != nil {
		// The comment is saved: a failure to notify is logged, not returned.
		if err := s.OnComment.CommentPosted(ctx, actor, c.NewsID, d.Title, c.ID); err != nil && s.Log != nil {
			s.Log.Error("comment notification", "news", c.NewsID, "err", err)
		}
	}
	return c, nil
}

// Comments lists the visible comments of a piece of news, oldest first.
func (s *Service) Comments(ctx context.Context, actor *auth.Actor, newsID int64, limit int, cursor string) (*page.Of[Comment], error) {
	if _, err := s.readable(ctx, actor, newsID, KindNews); err != nil {
		return nil, err
	}
	return s.Store.NewsComments(ctx, newsID, clampLimit(limit), cursor)
}

// HideComment hides a comment from the lists; the audit trail keeps it
// with its text. Officers whose role covers the news' audience unit may.
func (s *Service) HideComment(ctx context.Context, actor *auth.Actor, id int64, reason string) (*Comment, error) {
	c, err := s.Store.NewsComment(ctx, id)
	if err != nil {
		return nil, err
	}
	d, err := s.Store.Document(ctx, c.NewsID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(d.Audience.Path, Officers) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.comment_not_found", "comment %d not found", id)
	}
	if err := viet.CheckLine(viet.Clean(reason)); err != nil {
		return nil, apperr.Keyed(apperr.Invalid, "doc.reason_not_valid", "the reason is not valid").With(apperr.FieldFrom("reason", err))
	}
	if c.HiddenAt != nil {
		return c, nil
	}
	now := s.now().UTC()
	before := *c
	c.HiddenAt, c.HiddenBy = &now, actor.AccountID
	err = s.Store.HideNewsComment(ctx, c, auth.AuditEntry{Actor: actor, Action: "comment.hide", ObjectType: "comment", ObjectID: c.ID, UnitPath: d.Audience.Path,
		Before: map[string]any{"id": before.ID, "news_id": before.NewsID, "author": before.Author, "body": before.Body, "created_at": before.CreatedAt},
		After:  map[string]any{"hidden": true, "reason": viet.Clean(reason)}})
	return c, err
}

// Terms lists the terms configured on a unit and the units above it.
func (s *Service) Terms(ctx context.Context, actor *auth.Actor, unitID int64) ([]Term, error) {
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.SeeUnits) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	return s.Store.Terms(ctx, u.Path)
}

// CreateTerm configures a committee term on a unit (those who may change
// the tree may): numbering restarts at 01 in it.
func (s *Service) CreateTerm(ctx context.Context, actor *auth.Actor, t Term) (*Term, error) {
	u, err := s.Store.Unit(ctx, t.UnitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.WriteUnits) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", t.UnitID)
	}
	t.Name = viet.Clean(t.Name)
	var errs []apperr.FieldError
	if err := viet.CheckLine(t.Name); err != nil {
		errs = append(errs, apperr.FieldFrom("name", err))
	}
	if t.StartsOn.IsZero() {
		errs = append(errs, apperr.FieldKeyed("starts_on", "common.required", "required"))
	}
	if t.EndsOn.IsZero() {
		errs = append(errs, apperr.FieldKeyed("ends_on", "common.required", "required"))
	} else if !t.StartsOn.IsZero() && !t.StartsOn.Before(t.EndsOn) {
		errs = append(errs, apperr.FieldKeyed("ends_on", "doc.must_after_starts", "must be after starts_on"))
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "doc.term_not_valid", "the term is not valid").With(errs...)
	}
	err = s.Store.CreateTerm(ctx, &t, auth.AuditEntry{Actor: actor, Action: "term.create", ObjectType: "term", UnitPath: u.Path, After: t})
	return &t, err
}
