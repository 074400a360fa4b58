// Package doc holds party documents and news: types and numbering (số và
// ký hiệu), audiences, revisions, read receipts, attachments, search,
// comments, notes and bookmarks.
package doc

import (
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// Kind separates documents from news; both share audiences and search.
type Kind string

const (
	KindDocument Kind = "document"
	KindNews     Kind = "news"
)

// Document is a party document or a piece of news. Body is Markdown
// source; BodyHTML is rendered and sanitised on read.
type Document struct {
	ID   int64 `json:"id"`
	Kind Kind  `json:"kind"`
	// Document fields.
	Type         string    `json:"type,omitempty"`
	TypeLabel    string    `json:"type_label,omitempty"`
	Number       string    `json:"number,omitempty"`
	Seq          int       `json:"seq,omitempty"`
	IssuerCode   string    `json:"issuer_code,omitempty"`
	IssuerUnitID int64     `json:"issuer_unit_id"`
	IssuedOn     date.Date `json:"issued_on"`
	// TermStart identifies the numbering term (its first day).
	TermStart date.Date `json:"term_starts_on,omitzero"`
	// News fields.
	Category string `json:"category,omitempty"`
	Featured bool   `json:"featured,omitempty"`

	Title    string   `json:"title"`
	Summary  string   `json:"summary,omitempty"`
	Body     string   `json:"body,omitempty"`
	BodyHTML string   `json:"body_html,omitempty"`
	Audience Audience `json:"audience"`
	// Signer is who signs the paper: the name under the signature of the
	// printed form, and whether a deputy signs for the secretary.
	Signer Signer `json:"signer,omitzero"`
	// Version is the revision number: editing the title, summary or body
	// makes a new revision, which readers are asked to read again.
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	CreatedBy   int64     `json:"-"`

	// Per reader (filled for the caller).
	Read        *bool        `json:"read,omitempty"`
	ReadVersion int          `json:"read_version,omitempty"`
	Bookmarked  bool         `json:"bookmarked,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Signer is who signs a document on paper. Empty, the printed form leaves
// the name for the hand to write.
type Signer struct {
	Name   string `json:"name,omitempty"`
	Deputy bool   `json:"deputy,omitempty"`
}

// IsNews reports whether d is news.
func (d *Document) IsNews() bool { return d.Kind == KindNews }

// Revision is one version of a document's text.
type Revision struct {
	DocumentID int64     `json:"document_id"`
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary"`
	Body       string    `json:"body,omitempty"`
	BodyHTML   string    `json:"body_html,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	AccountID  int64     `json:"-"`
}

// Attachment is a file attached to a document; its content is stored by
// hash outside the database.
type Attachment struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	Name       string    `json:"name"`
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	CreatedAt  time.Time `json:"created_at"`
	AccountID  int64     `json:"-"`
}

// Stored is the attachment as it is served.
func (a *Attachment) Stored() StoredFile {
	return StoredFile{ID: a.ID, Name: a.Name, MediaType: a.MediaType, SHA256: a.SHA256, CreatedAt: a.CreatedAt}
}

// StoredFile is an attached file as it is served: its id, name, media
// type, content hash (its ETag) and upload time. The documents'
// attachments and the four-good evidence answer it alike.
type StoredFile struct {
	ID                      int64
	Name, MediaType, SHA256 string
	CreatedAt               time.Time
}

// Note is an account's private note on a document.
type Note struct {
	DocumentID int64      `json:"document_id"`
	AccountID  int64      `json:"-"`
	Body       string     `json:"body"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

// Comment is a reader's comment on a piece of news.
type Comment struct {
	ID        int64      `json:"id"`
	NewsID    int64      `json:"news_id"`
	AccountID int64      `json:"-"`
	MemberID  int64      `json:"-"`
	Author    string     `json:"author"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	HiddenAt  *time.Time `json:"hidden_at,omitempty"`
	HiddenBy  int64      `json:"-"`
}

// Term is a committee term: documents are numbered from 01 in each term,
// per issuing unit, issuer code and type.
type Term struct {
	ID       int64     `json:"id"`
	UnitID   int64     `json:"unit_id"`
	Name     string    `json:"name"`
	StartsOn date.Date `json:"starts_on"`
	EndsOn   date.Date `json:"ends_on"`
}

// DefaultTermStart is the first day of the 2025–2030 party congress term,
// used when no term is configured for a unit or the units above it. Terms
// before and after it are taken as five-year terms from the same day
// (1 October 2020, 2030, …).
var DefaultTermStart = date.New(2025, time.October, 1)

// DefaultTerm returns the five-year term containing day d, counted from
// DefaultTermStart.
func DefaultTerm(d date.Date) (start, end date.Date) {
	start = DefaultTermStart
	for d.Before(start) {
		start = start.AddYears(-5)
	}
	for !d.Before(start.AddYears(5)) {
		start = start.AddYears(5)
	}
	return start, start.AddYears(5).AddDays(-1)
}

// UnitRef is what the doc module needs to know of a unit.
type UnitRef struct {
	ID        int64
	ParentID  int64
	Path      string
	Name      string
	Code      string
	Dissolved bool
}

// UnitRate is the read rate of one unit of the roll-up.
type UnitRate struct {
	UnitID   int64    `json:"unit_id"`
	Name     string   `json:"name"`
	Expected int      `json:"expected"`
	Read     int      `json:"read"`
	Rate     *float64 `json:"rate"`
}

// CellCount counts, for one unit (its own members, or its whole subtree in
// a ReadRollup), how many are expected to read and how many read the revision.
type CellCount struct {
	UnitID   int64
	Path     string
	Expected int
	Read     int
}

// ReadRollup is the store's answer for the roll-up of a subtree: the counts
// of the subtree as a whole (Total, for the unit at its top) and of each
// child unit's whole subtree.
type ReadRollup struct {
	Total    CellCount
	Children []CellCount
}

// ReaderRef is a member who has not read a document.
type ReaderRef struct {
	ID       int64  `json:"id"`
	FullName string `json:"full_name"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	SortKey  []byte `json:"-"`
}

// Ref is the document's id and version (its ETag in the API).
func (x *Document) Ref() (id int64, version int) { return x.ID, x.Version }
