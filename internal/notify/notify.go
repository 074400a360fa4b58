// Package notify is the in-app inbox and the daily e-mail digest.
//
// The inbox of an account holds two kinds of item, merged newest first:
//
//   - Stored notifications: one row per recipient in the notifications
//     table, written when something happens to a known, small set of
//     people — a task assigned to them, a reminder, a reply to their
//     comment, a meeting of their cell (Send, or SendIn inside a store
//     transaction).
//   - "New document for you", derived at read time, never stored per
//     reader. A document is published to a unit's subtree, which may hold
//     a whole city (500,000 members): writing a row per member when it is
//     published would make publishing cost O(members), against the rule of
//     DESIGN.md that publishing to a subtree costs O(1). The inbox instead
//     asks, when it is read, which documents are addressed to a unit on
//     the reader's path (their cell and the committees above it, at most a
//     handful of ids: an indexed IN on documents.audience_unit_id) or to a
//     unit they hold a role on, published or revised within the Horizon
//     and not by themselves. Such an item is read when the reader's member
//     has a read receipt for the document's current revision, when the
//     account marked it read (one small row, written only by that act), or
//     when it is older than the account's last "mark all read" (one
//     timestamp per account). Publishing stays one INSERT; reading the
//     inbox costs a few indexed queries whatever the audience's size.
//
// The digest is a daily job of the durable queue: for every account whose
// linked member has an e-mail address, it lists the unread new documents
// and unread notifications of the past day, leaving out the kinds the
// account opted out of, and queues one message with the unique key
// "digest:<account>:<day>", so that no account gets the same day's digest
// twice however often the job runs.
package notify

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Kinds of notification. Stored notifications may carry other kinds too
// (internal/task writes "task.due_soon", "task.overdue" and
// "task.overdue_superior"); Setting maps every kind to its setting.
const (
	// NewDocument is derived, never stored: a document addressed to the reader.
	NewDocument = "new_document"
	// MeetingScheduled is reserved for the meetings module.
	MeetingScheduled = "meeting_scheduled"
	// TaskAssigned is a task handed to the reader (assigned, forwarded,
	// returned or escalated to it).
	TaskAssigned = "task_assigned"
	// TaskHandedBack is a task the reader issued, returned or escalated
	// by its holder.
	TaskHandedBack = "task_handed_back"
	// TaskReminder groups the reminders of internal/task.
	TaskReminder = "task_reminder"
	// CommentReply is a comment on news the reader commented on.
	CommentReply = "comment_reply"
)

// Settings lists the kinds an account may leave out of its digest, in the
// order the settings page shows them.
var Settings = []string{NewDocument, MeetingScheduled, TaskAssigned, TaskHandedBack, TaskReminder, CommentReply}

// Setting returns the setting that governs a kind: the kind itself, or
// TaskReminder for the "task." kinds of the reminders. Unknown kinds have
// no setting ("") and are always in the digest.
func Setting(kind string) string {
	if strings.HasPrefix(kind, "task.") {
		return TaskReminder
	}
	for _, s := range Settings {
		if s == kind {
			return s
		}
	}
	return ""
}

// Horizon bounds the derived view: documents published or revised longer
// ago than this are no longer "new" (they stay in the library, and unread
// ones on the handbook's home page).
const Horizon = 60 * 24 * time.Hour

// Item is one entry of the inbox.
type Item struct {
	// ID is the decimal id of a stored notification, or "doc-<id>" for a
	// derived new document.
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
	// DocumentID is the document of a new_document item.
	DocumentID int64 `json:"document_id,omitempty"`
	// Number and Version describe that document.
	Number  string `json:"number,omitempty"`
	Version int    `json:"version,omitempty"`
}

// Position is where an item sits in the inbox order: newest first, then
// stored before derived at the same instant, then by id, descending.
type Position struct {
	At time.Time
	// Src is 1 for a stored notification, 0 for a derived document.
	Src int
	ID  int64
}

// Less reports whether p comes after q in the inbox (is older).
func (p Position) Less(q Position) bool {
	if !p.At.Equal(q.At) {
		return p.At.Before(q.At)
	}
	if p.Src != q.Src {
		return p.Src < q.Src
	}
	return p.ID < q.ID
}

func (p Position) cursor() string {
	s := strconv.FormatInt(p.At.UnixNano(), 10) + "|" + strconv.Itoa(p.Src) + "|" + strconv.FormatInt(p.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// ParseCursor reads a cursor of the inbox list.
func ParseCursor(s string) (*Position, error) {
	if s == "" {
		return nil, nil
	}
	bad := apperr.BadCursor()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return nil, bad
	}
	ns, err1 := strconv.ParseInt(parts[0], 10, 64)
	src, err2 := strconv.Atoi(parts[1])
	id, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || (src != 0 && src != 1) || id <= 0 {
		return nil, bad
	}
	p := &Position{At: time.Unix(0, ns).UTC(), Src: src, ID: id}
	if p.cursor() != s { // only the form cursor() writes
		return nil, bad
	}
	return p, nil
}

// Reader is whom an inbox belongs to: an account, its member and roles.
type Reader struct {
	AccountID int64
	MemberID  int64
	// MemberPath is the path of the member's cell ("" without a member).
	MemberPath string
	Grants     []auth.Grant
	// Since is the start of the derived view: the later of the Horizon and
	// the account's creation.
	Since time.Time
	// ReadAllAt is the account's last "mark all read" (zero: never).
	ReadAllAt time.Time
}

// ReaderOf is the reader of an actor.
func ReaderOf(a *auth.Actor) Reader {
	return Reader{AccountID: a.AccountID, MemberID: a.MemberID, MemberPath: a.MemberUnitPath, Grants: a.Grants}
}

// State is what the store keeps per account.
type State struct {
	CreatedAt time.Time
	ReadAllAt time.Time
	// DigestOff are the settings the account turned off.
	DigestOff []string
	// Email is the address of the account's member ("" for none).
	Email string
}

// Query selects a page of one source of the inbox.
type Query struct {
	Limit      int
	UnreadOnly bool
	// After is the position of the last item already shown (nil: newest).
	After *Position
	// Since and Until bound the items' time (zero: unbounded); the digest
	// uses them.
	Since, Until time.Time
}

// Counts are the sizes of the inbox, each counted up to CountBound per
// source: past it, the flag says the figure is a lower bound.
type Counts struct {
	Total, Unread               int
	TotalAtLeast, UnreadAtLeast bool
}

// CountBound is where the store stops counting a source of the inbox
// (its stored notifications, its new documents), so that a count costs at
// most the bound, never the whole inbox (issue 17; docs/api.md).
const CountBound = 1000

// add sums the counts of the two sources.
func (c Counts) add(o Counts) Counts {
	return Counts{c.Total + o.Total, c.Unread + o.Unread, c.TotalAtLeast || o.TotalAtLeast, c.UnreadAtLeast || o.UnreadAtLeast}
}

// New is a stored notification to write.
type New struct {
	AccountID int64 // one of AccountID and MemberID
	MemberID  int64
	Kind      string
	Title     string
	Body      string
	Link      string
	// EventKey, when set, names the event: a second notification with the
	// same key is not written.
	EventKey string
}

// Recipient is someone to notify: an account, or a member (every account
// linked to the member sees it).
type Recipient struct {
	AccountID int64
	MemberID  int64
}

// Writer writes stored notifications: *store.DB in its own transaction,
// *store.Tx inside a caller's transaction. It returns how many it wrote
// (notifications whose event key was already taken are skipped).
type Writer interface {
	InsertNotifications(ctx context.Context, ns []New, at time.Time) (int, error)
}

// DigestAccount is an account that gets the digest.
type DigestAccount struct {
	Reader
	Username string
	FullName string
	Email    string
	// DigestOff are the settings it turned off.
	DigestOff []string
}

// Store is what the inbox and the digest need from the database.
type Store interface {
	Writer
	// State returns an account's state (creation, watermark,
	// settings, e-mail).
	State(ctx context.Context, accountID int64) (*State, error)
	// Stored returns a page of the notifications to the
	// account or its member, in inbox order; DerivedDocuments the same for
	// the derived new documents (see the package documentation).
	Stored(ctx context.Context, r Reader, q Query) ([]Item, error)
	DerivedDocuments(ctx context.Context, r Reader, q Query) ([]Item, error)
	// CountStored and CountDerived count both sources (all, and unread),
	// each up to CountBound.
	CountStored(ctx context.Context, r Reader) (Counts, error)
	CountDerived(ctx context.Context, r Reader) (Counts, error)
	// MarkStoredRead marks the listed notifications of the reader read
	// (those already read keep their first read time). It returns how many
	// of the ids are the reader's.
	MarkStoredRead(ctx context.Context, r Reader, ids []int64, at time.Time) (int, error)
	// MarkDocumentRead records that the account marked a derived item read
	// (for the document's current revision); it answers NotFound when the
	// document is not one of the reader's derived items.
	MarkDocumentRead(ctx context.Context, r Reader, docID int64, at time.Time) error
	// MarkDocumentsRead does the same for many documents in one statement,
	// leaving out those that are not the reader's derived items; it returns
	// how many were marked.
	MarkDocumentsRead(ctx context.Context, r Reader, docIDs []int64, at time.Time) (int, error)
	// MarkAllRead marks every stored notification read and moves the
	// account's watermark to at, in one transaction.
	MarkAllRead(ctx context.Context, r Reader, at time.Time) (int, error)
	// PutDigestOff replaces the settings an account turned off.
	PutDigestOff(ctx context.Context, accountID int64, off []string, at time.Time) error
	// DigestAccounts returns up to limit accounts with an e-mail address
	// (through their member), id after after, by id.
	DigestAccounts(ctx context.Context, after int64, limit int) ([]DigestAccount, error)
	// NewsCommenters returns the accounts that commented on a piece of
	// news, other than except (at most limit).
	NewsCommenters(ctx context.Context, newsID, except int64, limit int) ([]int64, error)
	// EnqueueJobs writes jobs in one transaction; it returns how many were
	// new (unique keys already taken are skipped).
	EnqueueJobs(ctx context.Context, js []jobs.Job) (int, error)
}

// Service is the inbox, the settings and the digest.
type Service struct {
	Store Store
	Now   func() time.Time
	// BaseURL prefixes the links of e-mail ("https://sotay.example.vn");
	// empty: links are paths.
	BaseURL string
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

// Limits on the text of a notification.
const (
	maxTitle = 300
	maxBody  = 2000
	maxLink  = 500
)

// Build checks and builds the notifications of one event for recipients.
// eventKey, when set, is suffixed per recipient (":a:<account>" or
// ":m:<member>") so that the event reaches each recipient once.
func Build(recipients []Recipient, kind, title, body, link, eventKey string) ([]New, error) {
	title, body = viet.Clean(title), strings.TrimSpace(viet.NFC(body))
	var errs []apperr.FieldError
	switch {
	case kind == "" || len(kind) > 60 || strings.ContainsAny(kind, " \r\n"):
		errs = append(errs, apperr.FieldKeyed("kind", "notify.1_60_characters_without", "1 to 60 characters without spaces"))
	}
	switch {
	case title == "":
		errs = append(errs, apperr.FieldKeyed("title", "common.required", "required"))
	case utf8.RuneCountInString(title) > maxTitle:
		errs = append(errs, apperr.FieldKeyed("title", "notify.most_300_characters", "at most 300 characters"))
	}
	if utf8.RuneCountInString(body) > maxBody {
		errs = append(errs, apperr.FieldKeyed("body", "common.most_2000_characters", "at most 2000 characters"))
	}
	if len(link) > maxLink || (link != "" && (!strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//"))) {
		errs = append(errs, apperr.FieldKeyed("link", "notify.path_site", "a path on this site"))
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "notify.notification_not_valid", "the notification is not valid").With(errs...)
	}
	out := make([]New, 0, len(recipients))
	seen := map[Recipient]bool{}
	for _, r := range recipients {
		if (r.AccountID == 0) == (r.MemberID == 0) {
			return nil, apperr.Keyed(apperr.Invalid, "notify.recipient_account_member", "a recipient is an account or a member")
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		n := New{AccountID: r.AccountID, MemberID: r.MemberID, Kind: kind, Title: title, Body: body, Link: link}
		if eventKey != "" {
			if r.AccountID != 0 {
				n.EventKey = eventKey + ":a:" + strconv.FormatInt(r.AccountID, 10)
			} else {
				n.EventKey = eventKey + ":m:" + strconv.FormatInt(r.MemberID, 10)
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// Send writes one notification per recipient in its own transaction. For
// a notification that must exist if and only if a change commits, call
// SendIn with the store transaction of that change.
func (s *Service) Send(ctx context.Context, recipients []Recipient, kind, title, body, link string) error {
	ns, err := Build(recipients, kind, title, body, link, "")
	if err != nil || len(ns) == 0 {
		return err
	}
	_, err = s.Store.InsertNotifications(ctx, ns, s.now().UTC())
	return err
}

// SendIn writes one notification per recipient through w (a *store.Tx
// inside the caller's transaction). eventKey, when set, makes it
// idempotent per recipient (see Build).
func SendIn(ctx context.Context, w Writer, at time.Time, recipients []Recipient, kind, title, body, link, eventKey string) (int, error) {
	ns, err := Build(recipients, kind, title, body, link, eventKey)
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	return w.InsertNotifications(ctx, ns, at)
}

// Message is one notification to several recipients.
type Message struct {
	Recipients []Recipient
	Kind       string
	Title      string
	Body       string
	Link       string
	// EventKey, when set, makes the message reach each recipient once
	// (see Build).
	EventKey string
}

// SendAll writes the messages in one transaction, titles and bodies cut to
// their limits.
func (s *Service) SendAll(ctx context.Context, ms []Message) error {
	var all []New
	for _, m := range ms {
		ns, err := Build(m.Recipients, m.Kind, truncate(m.Title, maxTitle), truncate(m.Body, maxBody), m.Link, m.EventKey)
		if err != nil {
			return err
		}
		all = append(all, ns...)
	}
	if len(all) == 0 {
		return nil
	}
	_, err := s.Store.InsertNotifications(ctx, all, s.now().UTC())
	return err
}

// InboxPage is one page of the inbox, with the number of unread items;
// UnreadAtLeast (like Of.TotalAtLeast) says the count stopped at its
// bound and Unread is a lower bound.
type InboxPage struct {
	page.Of[Item]
	Unread        int  `json:"unread"`
	UnreadAtLeast bool `json:"unread_at_least,omitempty"`
}

// reader completes the reader of an actor with its stored state.
func (s *Service) reader(ctx context.Context, actor *auth.Actor) (Reader, *State, error) {
	if actor == nil || actor.AccountID == 0 {
		return Reader{}, nil, apperr.Keyed(apperr.Conflict, "notify.only_accounts_inbox", "only accounts have an inbox")
	}
	st, err := s.Store.State(ctx, actor.AccountID)
	if err != nil {
		return Reader{}, nil, err
	}
	r := ReaderOf(actor)
	r.Since = s.now().UTC().Add(-Horizon)
	if st.CreatedAt.After(r.Since) {
		r.Since = st.CreatedAt
	}
	r.ReadAllAt = st.ReadAllAt
	return r, st, nil
}

// InboxInput asks for one page of the inbox.
type InboxInput struct {
	Limit      int
	Cursor     string
	UnreadOnly bool
}

// Inbox returns one page of the actor's inbox, newest first, with its
// total size and how many items are unread.
func (s *Service) Inbox(ctx context.Context, actor *auth.Actor, in InboxInput) (*InboxPage, error) {
	after, err := ParseCursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	r, _, err := s.reader(ctx, actor)
	if err != nil {
		return nil, err
	}
	limit := in.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	q := Query{Limit: limit + 1, UnreadOnly: in.UnreadOnly, After: after}
	stored, err := s.Store.Stored(ctx, r, q)
	if err != nil {
		return nil, err
	}
	derived, err := s.Store.DerivedDocuments(ctx, r, q)
	if err != nil {
		return nil, err
	}
	items, next := Merge(stored, derived, limit)
	c, err := s.counts(ctx, r)
	if err != nil {
		return nil, err
	}
	p := &InboxPage{Of: page.Of[Item]{Items: items, Total: c.Total, TotalAtLeast: c.TotalAtLeast}, Unread: c.Unread, UnreadAtLeast: c.UnreadAtLeast}
	if in.UnreadOnly {
		p.Total, p.TotalAtLeast = p.Unread, p.UnreadAtLeast
	}
	if next != nil {
		c := next.cursor()
		p.NextCursor = &c
	}
	return p, nil
}

// counts sums the bounded counts of both sources.
func (s *Service) counts(ctx context.Context, r Reader) (Counts, error) {
	cs, err := s.Store.CountStored(ctx, r)
	if err != nil {
		return Counts{}, err
	}
	cd, err := s.Store.CountDerived(ctx, r)
	return cs.add(cd), err
}

// UnreadCount is how many items of the actor's inbox are unread, counted
// up to CountBound per source (see Unread).
func (s *Service) UnreadCount(ctx context.Context, actor *auth.Actor) (int, error) {
	n, _, err := s.Unread(ctx, actor)
	return n, err
}

// Unread is how many items of the actor's inbox are unread, and whether
// that is a lower bound (a source had more than CountBound).
func (s *Service) Unread(ctx context.Context, actor *auth.Actor) (int, bool, error) {
	r, _, err := s.reader(ctx, actor)
	if err != nil {
		return 0, false, err
	}
	c, err := s.counts(ctx, r)
	return c.Unread, c.UnreadAtLeast, err
}

// PositionOf is the position of an item in the inbox order.
func PositionOf(it Item) Position {
	if it.DocumentID != 0 && strings.HasPrefix(it.ID, docPrefix) {
		return Position{At: it.CreatedAt, Src: 0, ID: it.DocumentID}
	}
	id, _ := strconv.ParseInt(it.ID, 10, 64)
	return Position{At: it.CreatedAt, Src: 1, ID: id}
}

// Merge merges two lists in inbox order (each already in that order) and
// keeps the first limit items; next is the position of the last one kept
// when more remain.
func Merge(a, b []Item, limit int) ([]Item, *Position) {
	out := make([]Item, 0, min(limit, len(a)+len(b)))
	i, j := 0, 0
	for len(out) < limit && (i < len(a) || j < len(b)) {
		if j >= len(b) || (i < len(a) && PositionOf(b[j]).Less(PositionOf(a[i]))) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	if i < len(a) || j < len(b) {
		p := PositionOf(out[len(out)-1])
		return out, &p
	}
	return out, nil
}

const docPrefix = "doc-"

// DocItemID is the inbox id of the derived item of a document.
func DocItemID(docID int64) string { return docPrefix + strconv.FormatInt(docID, 10) }

// DocumentLink is where the web pages show a document.
func DocumentLink(docID int64) string { return "/van-ban/" + strconv.FormatInt(docID, 10) }

// MarkRead marks one item of the actor's inbox read. Anything not in the
// inbox is not found.
func (s *Service) MarkRead(ctx context.Context, actor *auth.Actor, id string) error {
	r, _, err := s.reader(ctx, actor)
	if err != nil {
		return err
	}
	if rest, ok := strings.CutPrefix(id, docPrefix); ok {
		docID, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || docID <= 0 {
			return apperr.Keyed(apperr.NotFound, "notify.notification_not_found", "notification %s not found", id)
		}
		return s.Store.MarkDocumentRead(ctx, r, docID, s.now().UTC())
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return apperr.Keyed(apperr.NotFound, "notify.notification_not_found", "notification %s not found", id)
	}
	matched, err := s.Store.MarkStoredRead(ctx, r, []int64{n}, s.now().UTC())
	if err != nil {
		return err
	}
	if matched == 0 {
		return apperr.Keyed(apperr.NotFound, "notify.notification_not_found", "notification %s not found", id)
	}
	return nil
}

// MaxMarkRead bounds the ids of one MarkSomeRead.
const MaxMarkRead = 500

// MarkSomeRead marks several items read (at most MaxMarkRead); ids not in
// the inbox are skipped. It returns how many of the ids are in the inbox.
func (s *Service) MarkSomeRead(ctx context.Context, actor *auth.Actor, ids []string) (int, error) {
	r, _, err := s.reader(ctx, actor)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	if len(ids) > MaxMarkRead {
		return 0, apperr.Keyed(apperr.Invalid, "notify.too_many_ids", "too many ids").With(apperr.FieldKeyed("ids", "common.most_items", "at most %d items", MaxMarkRead))
	}
	// Two statements whatever the number of ids: one for the stored
	// notifications, one for the derived document items.
	var stored, docs []int64
	changed := 0
	for _, id := range ids {
		if rest, ok := strings.CutPrefix(id, docPrefix); ok {
			if docID, err := strconv.ParseInt(rest, 10, 64); err == nil && docID > 0 {
				docs = append(docs, docID)
			}
			continue
		}
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			stored = append(stored, n)
		}
	}
	if len(docs) > 0 {
		n, err := s.Store.MarkDocumentsRead(ctx, r, docs, now)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	if len(stored) > 0 {
		n, err := s.Store.MarkStoredRead(ctx, r, stored, now)
		if err != nil {
			return changed, err
		}
		changed += n
	}
	return changed, nil
}

// MarkAllRead marks the whole inbox read: the stored notifications, and
// every derived item up to now (the account's watermark).
func (s *Service) MarkAllRead(ctx context.Context, actor *auth.Actor) error {
	r, _, err := s.reader(ctx, actor)
	if err != nil {
		return err
	}
	_, err = s.Store.MarkAllRead(ctx, r, s.now().UTC())
	return err
}

// AccountSettings are an account's notification settings.
type AccountSettings struct {
	// Digest says, per setting, whether the daily e-mail includes it.
	Digest map[string]bool `json:"digest"`
	// Email is where the digest goes: the e-mail address of the account's
	// member record (null when it has none: then no digest is sent).
	Email *string `json:"email"`
}

// GetSettings returns the actor's settings.
func (s *Service) GetSettings(ctx context.Context, actor *auth.Actor) (*AccountSettings, error) {
	if actor == nil || actor.AccountID == 0 {
		return nil, apperr.Keyed(apperr.Conflict, "notify.only_accounts_settings", "only accounts have settings")
	}
	st, err := s.Store.State(ctx, actor.AccountID)
	if err != nil {
		return nil, err
	}
	return settingsOf(st), nil
}

func settingsOf(st *State) *AccountSettings {
	out := &AccountSettings{Digest: map[string]bool{}}
	for _, k := range Settings {
		out.Digest[k] = !contains(st.DigestOff, k)
	}
	if st.Email != "" {
		e := st.Email
		out.Email = &e
	}
	return out
}

// PutSettings changes the settings named in in.Digest; the others keep
// their value. Unknown settings are refused.
func (s *Service) PutSettings(ctx context.Context, actor *auth.Actor, in AccountSettings) (*AccountSettings, error) {
	if actor == nil || actor.AccountID == 0 {
		return nil, apperr.Keyed(apperr.Conflict, "notify.only_accounts_settings", "only accounts have settings")
	}
	var errs []apperr.FieldError
	for k := range in.Digest {
		if Setting(k) != k {
			errs = append(errs, apperr.FieldKeyed("digest."+k, "notify.unknown_kind_notification", "unknown kind of notification"))
		}
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "notify.unknown_kind_notification", "unknown kind of notification").With(errs...)
	}
	st, err := s.Store.State(ctx, actor.AccountID)
	if err != nil {
		return nil, err
	}
	var off []string
	for _, k := range Settings {
		on, given := in.Digest[k]
		if !given {
			on = !contains(st.DigestOff, k)
		}
		if !on {
			off = append(off, k)
		}
	}
	if err := s.Store.PutDigestOff(ctx, actor.AccountID, off, s.now().UTC()); err != nil {
		return nil, err
	}
	st.DigestOff = off
	return settingsOf(st), nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// CommentPosted notifies those who commented earlier on the same piece of
// news (at most 50, the comment's author left out) that someone replied.
// Each reply reaches each of them once.
func (s *Service) CommentPosted(ctx context.Context, actor *auth.Actor, newsID int64, newsTitle string, commentID int64) error {
	ids, err := s.Store.NewsCommenters(ctx, newsID, actor.AccountID, 50)
	if err != nil || len(ids) == 0 {
		return err
	}
	rs := make([]Recipient, len(ids))
	for i, id := range ids {
		rs[i] = Recipient{AccountID: id}
	}
	title := fmt.Sprintf("%s đã bình luận: %s", actor.Username, newsTitle)
	link := fmt.Sprintf("/tin-tuc/%d#c%d", newsID, commentID)
	ns, err := Build(rs, CommentReply, truncate(title, maxTitle), "", link, fmt.Sprintf("comment_reply:%d", commentID))
	if err != nil {
		return err
	}
	_, err = s.Store.InsertNotifications(ctx, ns, s.now().UTC())
	return err
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
