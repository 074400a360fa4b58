package meeting

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// UnitRef is the little the module needs to know about a unit.
type UnitRef struct {
	ID        int64
	Path      string
	Name      string
	Kind      string // org.Kind
	Dissolved bool
}

// IsCell reports whether the unit is a cell.
func (u *UnitRef) IsCell() bool { return u.Kind == "cell" }

// Invitation is the notification every member of the cell gets when a
// meeting is scheduled; the store writes it with one INSERT … SELECT over
// the cell's members (and those it hosts), in the meeting's transaction.
type Invitation struct {
	Kind  string
	Title string
	Body  string
	Link  string
	// EventKey is suffixed ":m:<member>" per member.
	EventKey string
}

// ListFilter selects meetings.
type ListFilter struct {
	// UnitID lists one cell's meetings (by its index); else ScopeID, a
	// committee, lists its subtree's (Path is that committee's path).
	UnitID   int64
	ScopeID  int64
	Path     string
	From, To time.Time // To exclusive; zero: unbounded
	Limit    int
	After    *Cursor
}

// Cursor is a list position: the last meeting shown.
type Cursor struct {
	StartsAt time.Time
	ID       int64
}

// String encodes the cursor.
func (c Cursor) String() string {
	return strconv.FormatInt(c.StartsAt.UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseCursor reads a cursor written by String.
func ParseCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	a, b, ok := strings.Cut(s, ".")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return nil, apperr.BadCursor()
	}
	c := &Cursor{StartsAt: time.UnixMicro(us).UTC(), ID: id}
	if c.String() != s {
		return nil, apperr.BadCursor()
	}
	return c, nil
}

// Store is what the meetings need from the database.
type Store interface {
	UnitRef(ctx context.Context, id int64) (*UnitRef, error)
	// HostPath is the path of the cell hosting a member on a temporary
	// transfer, "" when none.
	HostPath(ctx context.Context, memberID int64) (string, error)
	// MissingDocuments returns those of ids that are not documents of the
	// handbook addressed to a unit on the path (the cell or above).
	MissingDocuments(ctx context.Context, ids []int64, path string) ([]int64, error)
	// DocumentTitles returns the titles of those of ids that are documents
	// of the handbook addressed to a unit on the path.
	DocumentTitles(ctx context.Context, ids []int64, path string) (map[int64]string, error)

	CreateGuidance(ctx context.Context, g *Guidance, a auth.AuditEntry) error
	Guidance(ctx context.Context, id int64) (*Guidance, error)
	// GuidanceFor lists the guidance of the units for a month, top first.
	GuidanceFor(ctx context.Context, unitIDs []int64, month string) ([]Guidance, error)

	Create(ctx context.Context, m *Meeting, inv Invitation, a auth.AuditEntry) error
	// Meeting returns a meeting with its attendance and amendments.
	Meeting(ctx context.Context, id int64) (*Meeting, error)
	// Update writes the editable fields when the version matches.
	Update(ctx context.Context, m *Meeting, version int, a auth.AuditEntry) error
	List(ctx context.Context, f ListFilter) (*page.Of[Meeting], error)
	// RollMembers lists the cell's active members, those it hosts and
	// those it has away on a temporary transfer.
	RollMembers(ctx context.Context, cellID int64) ([]Member, error)
	// PutAttendance upserts lines of the roll (and bumps the version).
	PutAttendance(ctx context.Context, m *Meeting, lines []Attendance, version int, a auth.AuditEntry) error
	// Close records the missing lines, the counts and the closed state.
	Close(ctx context.Context, m *Meeting, missing []Attendance, version int, a auth.AuditEntry) error
	Amend(ctx context.Context, m *Meeting, am *Amendment, version int, a auth.AuditEntry) error

	// Ordinal is the place of a closed meeting among its cell's closed
	// meetings that started in the same year (in Vietnam), by start then
	// id, from 1.
	Ordinal(ctx context.Context, m *Meeting) (int, error)

	// CellYears returns the rolled-up year (from's) of every cell of the
	// subtree that was live in the months from..to ("YYYY-MM"). With a
	// non-zero closedBefore only the meetings closed before it count.
	CellYears(ctx context.Context, path, from, to string, closedBefore time.Time) ([]CellYear, error)
	// SubtreeMonths returns the per-subtree counters of a year (from's)
	// of the unit and of each child live in the months from..to, the unit
	// first, each with the cells of its subtree live in the months.
	SubtreeMonths(ctx context.Context, unitID int64, from, to string) ([]SubtreeYear, error)
	// Absences lists the absences without reason in the range (meetings
	// closed before closedBefore, when not zero) of the members who have at
	// least minCount of them, by member.
	Absences(ctx context.Context, path, from, to string, closedBefore time.Time, minCount int) ([]Absence, error)
	// MemberRates counts each member's lines on a cell's closed meetings of
	// the months (closed before closedBefore, when not zero; exempt lines
	// left out), by name.
	MemberRates(ctx context.Context, cellID int64, from, to string, closedBefore time.Time) ([]MemberRate, error)

	// CreateFeed stores a calendar feed of an account by its token's hash.
	CreateFeed(ctx context.Context, accountID int64, f *Feed, hash string, a auth.AuditEntry) error
	// Feeds lists an account's live feeds, newest first.
	Feeds(ctx context.Context, accountID int64) ([]Feed, error)
	// RevokeFeed revokes a live feed of the account (else NotFound).
	RevokeFeed(ctx context.Context, accountID, id int64, now time.Time, a auth.AuditEntry) error
	// FeedByToken returns a live feed by its token's hash with its owner's
	// actor as it stands now; NotFound when revoked, unknown or when the
	// account is disabled.
	FeedByToken(ctx context.Context, hash string) (*FeedOwner, error)
}

// Service is the meetings' use cases.
type Service struct {
	Store Store
	Now   func() time.Time
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

// Writers schedule and edit meetings: officers of the cell and above.
var Writers = auth.ReadPersonal

// Publishers send guidance: committees and their offices.
var Publishers = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}

func unitNotFound(id int64) error {
	return apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
}

func meetingNotFound(id int64) error {
	return apperr.Keyed(apperr.NotFound, "meeting.not_found", "meeting %d not found", id)
}

// mayRead: officers over the cell, its members and the members it hosts.
func (s *Service) mayRead(ctx context.Context, actor *auth.Actor, path string) (bool, error) {
	if actor.Can(path, Writers) || (actor.MemberUnitPath != "" && actor.MemberUnitPath == path) {
		return true, nil
	}
	if actor.MemberID == 0 {
		return false, nil
	}
	hp, err := s.Store.HostPath(ctx, actor.MemberID)
	return hp != "" && hp == path, err
}

// MayWrite reports whether the actor may schedule and edit the meetings of
// a unit at path.
func MayWrite(actor *auth.Actor, path string) bool { return actor.Can(path, Writers) }

func (s *Service) unit(ctx context.Context, actor *auth.Actor, id int64, read bool) (*UnitRef, error) {
	return within(ctx, s, actor, read, unitNotFound(id), func() (*UnitRef, error) { return s.Store.UnitRef(ctx, id) },
		func(u *UnitRef) string { return u.Path })
}

// get returns a meeting the actor may read (write: edit).
func (s *Service) get(ctx context.Context, actor *auth.Actor, id int64, write bool) (*Meeting, error) {
	return within(ctx, s, actor, !write, meetingNotFound(id), func() (*Meeting, error) { return s.Store.Meeting(ctx, id) },
		func(m *Meeting) string { return m.UnitPath })
}

// within reads a record through get and answers it when the actor may
// write in its unit (path), or read there when read (mayRead); a record
// that does not exist or is out of reach answers missing, the same either
// way. Units and meetings are reached so.
func within[T any](ctx context.Context, s *Service, actor *auth.Actor, read bool, missing error, get func() (T, error), path func(T) string) (T, error) {
	var zero T
	v, err := get()
	if apperr.Is(err, apperr.NotFound) {
		return zero, missing
	}
	if err != nil {
		return zero, err
	}
	ok := MayWrite(actor, path(v))
	if !ok && read {
		if ok, err = s.mayRead(ctx, actor, path(v)); err != nil {
			return zero, err
		}
	}
	if !ok {
		return zero, missing
	}
	return v, nil
}

// DocumentTitles names the documents of a meeting's agenda and guidance
// that its cell may read (for the pages' links into the handbook).
func (s *Service) DocumentTitles(ctx context.Context, m *Meeting, more []int64) (map[int64]string, error) {
	var ids []int64
	for _, it := range m.Agenda {
		ids = append(ids, it.DocumentIDs...)
	}
	ids = append(ids, more...)
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return s.Store.DocumentTitles(ctx, ids, m.UnitPath)
}

// GuidanceInput is a guidance as the API receives it.
type GuidanceInput struct {
	Month       string   `json:"month"`
	Topics      []string `json:"topics"`
	DocumentIDs []int64  `json:"document_ids"`
	Note        string   `json:"note"`
}

// PublishGuidance sends a committee's guidance for a month to its subtree.
func (s *Service) PublishGuidance(ctx context.Context, actor *auth.Actor, unitID int64, in GuidanceInput) (*Guidance, error) {
	u, err := s.Store.UnitRef(ctx, unitID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !actor.Can(u.Path, Publishers)) {
		return nil, unitNotFound(unitID)
	}
	if err != nil {
		return nil, err
	}
	if u.IsCell() || u.Dissolved {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.guidance_committee", "guidance is published by a committee, not by a cell or a dissolved unit")
	}
	var c check
	if _, err := ParseMonth("month", in.Month); err != nil {
		c.errs = append(c.errs, err.(*apperr.Error).Fields...)
	}
	if len(in.Topics) == 0 {
		c.add("topics", "meeting.required", "required")
	} else if len(in.Topics) > MaxTopics {
		c.add("topics", "meeting.too_many", "at most %d", MaxTopics)
	} else {
		for i := range in.Topics {
			c.line(fmt.Sprintf("topics[%d]", i), &in.Topics[i], MaxLine, true)
		}
	}
	if in.DocumentIDs == nil {
		in.DocumentIDs = []int64{}
	}
	c.ids("document_ids", in.DocumentIDs, MaxGuidanceDocs)
	c.block("note", &in.Note, MaxNotes, false)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := s.checkDocuments(ctx, "document_ids", in.DocumentIDs, u.Path); err != nil {
		return nil, err
	}
	g := &Guidance{UnitID: u.ID, UnitName: u.Name, UnitPath: u.Path, Month: in.Month, Topics: in.Topics, DocumentIDs: in.DocumentIDs, Note: in.Note, CreatedAt: s.now().UTC()}
	err = s.Store.CreateGuidance(ctx, g, auth.AuditEntry{Actor: actor, Action: "meeting_guidance.create", ObjectType: "meeting_guidance", UnitPath: u.Path, After: g})
	return g, err
}

// GuidanceFor lists the guidance that reaches a cell for a month, from
// every level above it (and the unit itself when it is a committee).
func (s *Service) GuidanceFor(ctx context.Context, actor *auth.Actor, unitID int64, month string) ([]Guidance, error) {
	u, err := s.unit(ctx, actor, unitID, true)
	if err != nil {
		return nil, err
	}
	if _, err := ParseMonth("month", month); err != nil {
		return nil, err
	}
	gs, err := s.Store.GuidanceFor(ctx, AncestorIDs(u.Path), month)
	if gs == nil {
		gs = []Guidance{}
	}
	return gs, err
}

// AncestorIDs are the ids on a path, the unit's own last.
func AncestorIDs(path string) []int64 { return auth.PathIDs(path) }

func (s *Service) checkDocuments(ctx context.Context, field string, ids []int64, path string) error {
	if len(ids) == 0 {
		return nil
	}
	missing, err := s.Store.MissingDocuments(ctx, ids, path)
	if err != nil || len(missing) == 0 {
		return err
	}
	return apperr.InvalidField(field, "meeting.document_unknown", "document %d is not in this cell's handbook", missing[0])
}

func (s *Service) checkAgendaDocuments(ctx context.Context, items []AgendaItem, path string) error {
	var all []int64
	for _, it := range items {
		all = append(all, it.DocumentIDs...)
	}
	if len(all) == 0 {
		return nil
	}
	missing, err := s.Store.MissingDocuments(ctx, all, path)
	if err != nil || len(missing) == 0 {
		return err
	}
	for i, it := range items {
		for _, id := range it.DocumentIDs {
			if id == missing[0] {
				return apperr.InvalidField(fmt.Sprintf("agenda[%d].document_ids", i), "meeting.document_unknown", "document %d is not in this cell's handbook", id)
			}
		}
	}
	return nil
}

// CreateInput is a meeting as the API receives it.
type CreateInput struct {
	Kind       Kind          `json:"kind"`
	StartsAt   time.Time     `json:"starts_at"`
	EndsAt     *time.Time    `json:"ends_at"`
	Place      string        `json:"place"`
	Topic      string        `json:"topic"`
	GuidanceID *int64        `json:"guidance_id"`
	Agenda     *[]AgendaItem `json:"agenda"`
	Chair      string        `json:"chair"`
	ChairRole  string        `json:"chair_role"`
	Secretary  string        `json:"secretary"`
}

func checkChairRole(c *check, r *string) {
	if *r == "" {
		*r = ChairSecretary
	}
	if *r != ChairSecretary && *r != ChairDeputy {
		c.add("chair_role", "meeting.chair_role", "secretary or deputy")
	}
}

func checkKind(c *check, k Kind) {
	if k != Regular && k != Thematic {
		c.add("kind", "meeting.kind", "regular or thematic")
	}
}

// Schedule creates a meeting of a cell and invites its members.
func (s *Service) Schedule(ctx context.Context, actor *auth.Actor, unitID int64, in CreateInput) (*Meeting, error) {
	u, err := s.unit(ctx, actor, unitID, false)
	if err != nil {
		return nil, err
	}
	if !u.IsCell() || u.Dissolved {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.not_cell", "meetings are held by a live cell")
	}
	var c check
	checkKind(&c, in.Kind)
	c.times(in.StartsAt, in.EndsAt)
	c.line("place", &in.Place, MaxLine, true)
	c.line("topic", &in.Topic, MaxLine, true)
	c.line("chair", &in.Chair, MaxLine, false)
	checkChairRole(&c, &in.ChairRole)
	c.line("secretary", &in.Secretary, MaxLine, false)
	agenda := StandardAgenda()
	if in.Agenda != nil {
		agenda = *in.Agenda
		c.agenda(agenda)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := s.checkGuidance(ctx, in.GuidanceID, u.Path); err != nil {
		return nil, err
	}
	if err := s.checkAgendaDocuments(ctx, agenda, u.Path); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m := &Meeting{UnitID: u.ID, UnitName: u.Name, UnitPath: u.Path, Kind: in.Kind, StartsAt: in.StartsAt.UTC(), EndsAt: utcPtr(in.EndsAt),
		Place: in.Place, Topic: in.Topic, GuidanceID: in.GuidanceID, Agenda: agenda, Chair: in.Chair, ChairRole: in.ChairRole, Secretary: in.Secretary,
		State: Open, Version: 1, CreatedAt: now, UpdatedAt: now, Attendance: []Attendance{}, Amendments: []Amendment{}}
	kindVI := "thường kỳ"
	if m.Kind == Thematic {
		kindVI = "chuyên đề"
	}
	inv := Invitation{Kind: InvitationKind, Title: "Sinh hoạt chi bộ " + kindVI + ": " + m.Topic,
		Body: m.StartsAt.In(date.Vietnam).Format("15:04 02/01/2006") + ", " + m.Place, EventKey: "meeting"}
	err = s.Store.Create(ctx, m, inv, auth.AuditEntry{Actor: actor, Action: "meeting.create", ObjectType: "meeting", UnitPath: u.Path, After: m})
	return m, err
}

// InvitationKind is notify.MeetingScheduled.
const InvitationKind = "meeting_scheduled"

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (s *Service) checkGuidance(ctx context.Context, id *int64, path string) error {
	if id == nil {
		return nil
	}
	g, err := s.Store.Guidance(ctx, *id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !strings.HasPrefix(path, g.UnitPath)) {
		return apperr.InvalidField("guidance_id", "meeting.guidance_unknown", "guidance %d does not reach this cell", *id)
	}
	return err
}

// Get returns a meeting the actor may read.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Meeting, error) {
	return s.get(ctx, actor, id, false)
}

// UpdateInput is an edit of an open meeting; absent fields stay.
type UpdateInput struct {
	Kind        *Kind         `json:"kind"`
	StartsAt    *time.Time    `json:"starts_at"`
	EndsAt      *time.Time    `json:"ends_at"`
	Place       *string       `json:"place"`
	Topic       *string       `json:"topic"`
	GuidanceID  *int64        `json:"guidance_id"`
	Agenda      *[]AgendaItem `json:"agenda"`
	Chair       *string       `json:"chair"`
	ChairRole   *string       `json:"chair_role"`
	Secretary   *string       `json:"secretary"`
	Minutes     *string       `json:"minutes"`
	Conclusions *string       `json:"conclusions"`
	Resolution  *string       `json:"resolution"`
	Vote        *Vote         `json:"vote"`
	// Version is the version last read (If-Match), 0: unchecked.
	Version int `json:"version"`
}

// Update edits an open meeting: a no-op writes nothing.
func (s *Service) Update(ctx context.Context, actor *auth.Actor, id int64, in UpdateInput) (*Meeting, error) {
	m, err := s.openToWrite(ctx, actor, id, in.Version)
	if err != nil {
		return nil, err
	}
	before := *m
	if err := in.apply(m); err != nil {
		return nil, err
	}
	if in.GuidanceID != nil && !reflect.DeepEqual(before.GuidanceID, in.GuidanceID) {
		if err := s.checkGuidance(ctx, in.GuidanceID, m.UnitPath); err != nil {
			return nil, err
		}
	}
	if in.Agenda != nil {
		if err := s.checkAgendaDocuments(ctx, m.Agenda, m.UnitPath); err != nil {
			return nil, err
		}
	}
	if sameEditable(&before, m) {
		return m, nil
	}
	m.UpdatedAt = s.now().UTC()
	err = s.Store.Update(ctx, m, before.Version, auth.AuditEntry{Actor: actor, Action: "meeting.update", ObjectType: "meeting", ObjectID: m.ID, UnitPath: m.UnitPath,
		Before: editable(&before), After: editable(m)})
	if err != nil {
		return nil, err
	}
	m.Version = before.Version + 1
	return m, nil
}

// apply sets what the edit gives on m, and answers what is wrong with it
// (every field checked).
func (in UpdateInput) apply(m *Meeting) error {
	var c check
	if in.Kind != nil {
		checkKind(&c, *in.Kind)
		m.Kind = *in.Kind
	}
	if in.StartsAt != nil {
		m.StartsAt = in.StartsAt.UTC()
	}
	if in.EndsAt != nil {
		m.EndsAt = utcPtr(in.EndsAt)
	}
	if in.StartsAt != nil || in.EndsAt != nil {
		c.times(m.StartsAt, m.EndsAt)
	}
	str := func(field string, dst *string, v *string, maxLen int, required, multi bool) {
		if v == nil {
			return
		}
		if multi {
			c.block(field, v, maxLen, required)
		} else {
			c.line(field, v, maxLen, required)
		}
		*dst = *v
	}
	str("place", &m.Place, in.Place, MaxLine, true, false)
	str("topic", &m.Topic, in.Topic, MaxLine, true, false)
	str("chair", &m.Chair, in.Chair, MaxLine, false, false)
	if in.ChairRole != nil {
		r := *in.ChairRole
		checkChairRole(&c, &r)
		m.ChairRole = r
	}
	str("secretary", &m.Secretary, in.Secretary, MaxLine, false, false)
	str("minutes", &m.Minutes, in.Minutes, MaxMinutes, false, true)
	str("conclusions", &m.Conclusions, in.Conclusions, MaxMinutes, false, true)
	str("resolution", &m.Resolution, in.Resolution, MaxMinutes, false, true)
	if in.Agenda != nil {
		c.agenda(*in.Agenda)
		m.Agenda = *in.Agenda
	}
	if in.Vote != nil {
		c.vote(in.Vote)
		v := *in.Vote
		m.Vote = &v
	}
	if in.GuidanceID != nil {
		m.GuidanceID = in.GuidanceID
	}
	return c.err()
}

// editable is the part of a meeting an edit may change (for the audit).
func editable(m *Meeting) map[string]any {
	return map[string]any{"kind": m.Kind, "starts_at": m.StartsAt, "ends_at": m.EndsAt, "place": m.Place, "topic": m.Topic, "guidance_id": m.GuidanceID,
		"agenda": m.Agenda, "chair": m.Chair, "chair_role": m.ChairRole, "secretary": m.Secretary, "minutes": m.Minutes, "conclusions": m.Conclusions, "resolution": m.Resolution, "vote": m.Vote}
}

func sameEditable(a, b *Meeting) bool {
	x, y := editable(a), editable(b)
	// Times compare by instant.
	if !a.StartsAt.Equal(b.StartsAt) || (a.EndsAt == nil) != (b.EndsAt == nil) || (a.EndsAt != nil && !a.EndsAt.Equal(*b.EndsAt)) {
		return false
	}
	delete(x, "starts_at")
	delete(y, "starts_at")
	delete(x, "ends_at")
	delete(y, "ends_at")
	return reflect.DeepEqual(x, y)
}

// openToWrite reads meeting id for a write: it must be in the actor's
// reach to write, open, and at version (0: unchecked).
func (s *Service) openToWrite(ctx context.Context, actor *auth.Actor, id int64, version int) (*Meeting, error) {
	m, err := s.get(ctx, actor, id, true)
	if err != nil {
		return nil, err
	}
	if m.State == Closed {
		return nil, closedErr()
	}
	if version != 0 && version != m.Version {
		return nil, staleErr()
	}
	return m, nil
}

func closedErr() error {
	return apperr.Keyed(apperr.Conflict, "meeting.closed", "the meeting is closed: change it by an amendment with a reason")
}

func staleErr() error {
	return apperr.Keyed(apperr.Conflict, "meeting.stale", "the meeting was changed meanwhile: read it again")
}

// ListInput is a list request.
type ListInput struct {
	UnitID   int64
	From, To date.Date // To inclusive
	Limit    int
	Cursor   string
}

// List returns the meetings of a unit's subtree (officers) or of the
// actor's own cell (members), by start.
func (s *Service) List(ctx context.Context, actor *auth.Actor, in ListInput) (*page.Of[Meeting], error) {
	u, err := s.unit(ctx, actor, in.UnitID, true)
	if err != nil {
		return nil, err
	}
	f := ListFilter{Path: u.Path, Limit: page.Limit(in.Limit)}
	if u.IsCell() {
		f.UnitID = u.ID
	} else {
		f.ScopeID = u.ID
	}
	if !in.From.IsZero() {
		f.From = dayStart(in.From)
	}
	if !in.To.IsZero() {
		f.To = dayStart(in.To.AddDays(1))
	}
	if !in.From.IsZero() && !in.To.IsZero() && in.To.Before(in.From) {
		return nil, apperr.InvalidField("to", "meeting.range", "to must not be before from")
	}
	if f.After, err = ParseCursor(in.Cursor); err != nil {
		return nil, err
	}
	return s.Store.List(ctx, f)
}

// dayStart is midnight in Vietnam.
func dayStart(d date.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, date.Vietnam).UTC()
}

// Printed returns a closed meeting for its printed minutes and
// resolution, with its number in the cell's own sequence: its ordinal
// among the cell's closed meetings of the year, by start. Reach is as for
// reading the meeting (out of reach: 404); an open meeting has no minutes
// to print yet (409).
func (s *Service) Printed(ctx context.Context, actor *auth.Actor, id int64) (*Meeting, int, error) {
	m, err := s.get(ctx, actor, id, false)
	if err != nil {
		return nil, 0, err
	}
	if m.State != Closed {
		return nil, 0, apperr.Keyed(apperr.Conflict, "output.meeting_open", "meeting %[1]d is open: its minutes are printed once it is closed", id)
	}
	n, err := s.Store.Ordinal(ctx, m)
	if err != nil {
		return nil, 0, err
	}
	return m, n, nil
}

// Roll returns who is expected at a meeting and how the roll stands.
func (s *Service) Roll(ctx context.Context, actor *auth.Actor, id int64) (*Roll, error) {
	m, err := s.get(ctx, actor, id, false)
	if err != nil {
		return nil, err
	}
	return s.roll(ctx, m)
}

func (s *Service) roll(ctx context.Context, m *Meeting) (*Roll, error) {
	r := &Roll{MeetingID: m.ID, Expected: []RollLine{}, Exempt: []RollLine{}, Away: []RollLine{}, Closed: m.State == Closed}
	marked := map[int64]Attendance{}
	for _, a := range m.Attendance {
		marked[a.MemberID] = a
	}
	if m.State == Closed {
		// The roll as frozen at closing.
		for _, a := range m.Attendance {
			l := RollLine{MemberID: a.MemberID, FullName: a.FullName, Class: a.Class, Hosted: a.Hosted, Status: a.Status, Reason: a.Reason}
			if a.Class == ClassExempt {
				r.Exempt = append(r.Exempt, l)
			} else {
				r.Expected = append(r.Expected, l)
			}
		}
	} else {
		ms, err := s.Store.RollMembers(ctx, m.UnitID)
		if err != nil {
			return nil, err
		}
		for _, mb := range ms {
			l := RollLine{MemberID: mb.ID, FullName: mb.FullName, Class: mb.Status, Hosted: mb.Hosted}
			if a, ok := marked[mb.ID]; ok {
				l.Status, l.Reason = a.Status, a.Reason
			}
			switch {
			case mb.Away:
				r.Away = append(r.Away, l)
			case mb.Status == ClassExempt:
				r.Exempt = append(r.Exempt, l)
			default:
				r.Expected = append(r.Expected, l)
			}
		}
	}
	for _, l := range r.Expected {
		switch l.Status {
		case Present:
			r.Present++
		case Excused:
			r.Excused++
		case Absent:
			r.Absent++
		default:
			r.Unmarked++
		}
	}
	r.Quorum = QuorumOf(r.Expected)
	return r, nil
}

// AttendanceInput is a list of roll lines, with the version last read.
type AttendanceInput struct {
	Lines   []Attendance
	Version int
}

// PutAttendance records lines of the roll of an open meeting. Every member
// must be on the cell's roll (expected, exempt, or away and come anyway);
// an excuse needs a reason. Lines not sent stay as they were.
func (s *Service) PutAttendance(ctx context.Context, actor *auth.Actor, id int64, in AttendanceInput) (*Roll, error) {
	m, err := s.openToWrite(ctx, actor, id, in.Version)
	if err != nil {
		return nil, err
	}
	if len(in.Lines) > MaxRoll {
		return nil, apperr.InvalidField("attendance", "meeting.too_many", "at most %d", MaxRoll)
	}
	ms, err := s.Store.RollMembers(ctx, m.UnitID)
	if err != nil {
		return nil, err
	}
	onRoll := map[int64]Member{}
	for _, mb := range ms {
		onRoll[mb.ID] = mb
	}
	var errs []apperr.FieldError
	seen := map[int64]bool{}
	for i := range in.Lines {
		l := &in.Lines[i]
		mb, ok := onRoll[l.MemberID]
		switch {
		case !ok:
			errs = append(errs, apperr.RowKeyed(i+1, "member_id", "meeting.not_on_roll", "member %d is not on this cell's roll", l.MemberID))
			continue
		case seen[l.MemberID]:
			errs = append(errs, apperr.RowKeyed(i+1, "member_id", "meeting.duplicate_member", "member %d is listed twice", l.MemberID))
			continue
		}
		seen[l.MemberID] = true
		var c check
		c.line("reason", &l.Reason, MaxReason, l.Status == Excused)
		switch l.Status {
		case Present, Absent:
			if l.Status == Present {
				l.Reason = ""
			}
		case Excused:
		default:
			c.add("status", "meeting.status", "present, excused or absent")
		}
		for _, e := range c.errs {
			if e.Key == "meeting.required" {
				e = apperr.FieldKeyed("reason", "meeting.reason_required", "an excused absence needs a reason")
			}
			e.Row = i + 1
			errs = append(errs, e)
		}
		l.FullName, l.Hosted, l.Class = mb.FullName, mb.Hosted, mb.Status
	}
	if len(errs) > 0 {
		e := apperr.Keyed(apperr.Invalid, errs[0].Key, "%s", errs[0].Message).With(errs...)
		e.Args = errs[0].Args // the first field's message is the summary
		return nil, e
	}
	if len(in.Lines) > 0 {
		err = s.Store.PutAttendance(ctx, m, in.Lines, m.Version, auth.AuditEntry{Actor: actor, Action: "meeting.attendance", ObjectType: "meeting", ObjectID: m.ID, UnitPath: m.UnitPath,
			After: map[string]any{"attendance": in.Lines}})
		if err != nil {
			return nil, err
		}
		m.Version++
	}
	m2, err := s.Store.Meeting(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.roll(ctx, m2)
}

// CloseInput is the closing of a meeting.
type CloseInput struct {
	// EndedAt is the meeting's closing time for the minutes (default:
	// ends_at if set and past, else now).
	EndedAt *time.Time `json:"ended_at"`
	Version int        `json:"-"`
}

// Close locks the minutes, the resolution and the roll. Expected members
// not marked are recorded absent.
func (s *Service) Close(ctx context.Context, actor *auth.Actor, id int64, in CloseInput) (*Meeting, error) {
	m, err := s.openToWrite(ctx, actor, id, in.Version)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if m.StartsAt.After(now) {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.not_started", "a meeting is closed after it started")
	}
	ended := now
	if m.EndsAt != nil && !m.EndsAt.After(now) {
		ended = *m.EndsAt
	}
	if in.EndedAt != nil {
		ended = in.EndedAt.UTC()
		if !ended.After(m.StartsAt) || ended.After(now) {
			return nil, apperr.InvalidField("ended_at", "meeting.ended_at", "after the start and not in the future")
		}
	}
	r, err := s.roll(ctx, m)
	if err != nil {
		return nil, err
	}
	marked := map[int64]bool{}
	for _, a := range m.Attendance {
		marked[a.MemberID] = true
	}
	var missing []Attendance
	for _, l := range append(append([]RollLine{}, r.Expected...), r.Exempt...) {
		if !marked[l.MemberID] {
			st := Absent
			if l.Class == ClassExempt {
				st = Excused // exempt: not expected
			}
			missing = append(missing, Attendance{MemberID: l.MemberID, FullName: l.FullName, Status: st, Class: l.Class, Hosted: l.Hosted, Reason: map[bool]string{true: "miễn sinh hoạt"}[l.Class == ClassExempt]})
		}
	}
	m.Expected, m.Present = len(r.Expected), r.Present
	m.State, m.ClosedAt, m.EndedAt, m.UpdatedAt = Closed, &now, &ended, now
	err = s.Store.Close(ctx, m, missing, m.Version, auth.AuditEntry{Actor: actor, Action: "meeting.close", ObjectType: "meeting", ObjectID: m.ID, UnitPath: m.UnitPath,
		After: map[string]any{"ended_at": ended, "expected": m.Expected, "present": m.Present, "absent_unmarked": len(missing)}})
	if err != nil {
		return nil, err
	}
	return s.Store.Meeting(ctx, id)
}

// AmendableFields are the fields an amendment may correct: the minutes'
// texts, the names, the place, and the notes of an agenda item
// ("agenda[N].notes", N from 0).
var AmendableFields = []string{"minutes", "conclusions", "resolution", "chair", "chair_role", "secretary", "place", "topic"}

func amendable(field string, agenda int) bool {
	for _, f := range AmendableFields {
		if f == field {
			return true
		}
	}
	var n int
	if _, err := fmt.Sscanf(field, "agenda[%d].notes", &n); err == nil && n >= 0 && n < agenda && field == fmt.Sprintf("agenda[%d].notes", n) {
		return true
	}
	return false
}

// AmendInput is an amendment as the API receives it.
type AmendInput struct {
	Field   string `json:"field"`
	Text    string `json:"text"`
	Reason  string `json:"reason"`
	Version int    `json:"-"`
}

// Amend records a correction of closed minutes, with its reason; the
// original text stays.
func (s *Service) Amend(ctx context.Context, actor *auth.Actor, id int64, in AmendInput) (*Meeting, error) {
	m, err := s.get(ctx, actor, id, true)
	if err != nil {
		return nil, err
	}
	var c check
	if !amendable(in.Field, len(m.Agenda)) {
		c.add("field", "meeting.amend_field", "one of %s, or agenda[N].notes", strings.Join(AmendableFields, ", "))
	}
	c.block("text", &in.Text, MaxMinutes, true)
	c.line("reason", &in.Reason, MaxReason, true)
	if in.Field == "chair_role" && in.Text != ChairSecretary && in.Text != ChairDeputy {
		c.add("text", "meeting.chair_role", "secretary or deputy")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if m.State != Closed {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.open", "the meeting is open: edit it instead")
	}
	if in.Version != 0 && in.Version != m.Version {
		return nil, staleErr()
	}
	am := &Amendment{Field: in.Field, Text: in.Text, Reason: in.Reason, By: actor.DisplayName(), CreatedAt: s.now().UTC()}
	err = s.Store.Amend(ctx, m, am, m.Version, auth.AuditEntry{Actor: actor, Action: "meeting.amend", ObjectType: "meeting", ObjectID: m.ID, UnitPath: m.UnitPath,
		Before: map[string]any{"field": in.Field, "text": amendedText(m, in.Field)}, After: am})
	if err != nil {
		return nil, err
	}
	return s.Store.Meeting(ctx, id)
}

// amendedText is a field's current text: the latest amendment's, else the
// original.
func amendedText(m *Meeting, field string) string {
	for i := len(m.Amendments) - 1; i >= 0; i-- {
		if m.Amendments[i].Field == field {
			return m.Amendments[i].Text
		}
	}
	switch field {
	case "minutes":
		return m.Minutes
	case "conclusions":
		return m.Conclusions
	case "resolution":
		return m.Resolution
	case "chair":
		return m.Chair
	case "chair_role":
		if m.ChairRole == "" {
			return ChairSecretary
		}
		return m.ChairRole
	case "secretary":
		return m.Secretary
	case "place":
		return m.Place
	case "topic":
		return m.Topic
	}
	var n int
	if _, err := fmt.Sscanf(field, "agenda[%d].notes", &n); err == nil && n >= 0 && n < len(m.Agenda) {
		return m.Agenda[n].Notes
	}
	return ""
}

// Current is a field's text as amended (for the pages and printing).
func (m *Meeting) Current(field string) string { return amendedText(m, field) }

// ComplianceInput selects a compliance report.
type ComplianceInput struct {
	UnitID int64
	Year   int
	// AsOf is the last month counted, "YYYY-MM" ("" : the current month,
	// or December of a past year).
	AsOf string
}

// complianceRange checks the unit and the year of a compliance report and
// answers the months counted (first..last) and, for a past month "as of",
// the end of it (only meetings closed before it count; zero: everything
// known now). The unit's rows come with an empty report (last < first: a
// future year).
func (s *Service) complianceRange(ctx context.Context, actor *auth.Actor, in *ComplianceInput) (u *UnitRef, first, last string, closedBefore time.Time, err error) {
	u, err = s.Store.UnitRef(ctx, in.UnitID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !actor.Can(u.Path, Writers)) {
		return nil, "", "", closedBefore, unitNotFound(in.UnitID)
	}
	if err != nil {
		return nil, "", "", closedBefore, err
	}
	nowMonth := MonthOf(s.now())
	if in.Year == 0 {
		in.Year, _ = strconv.Atoi(nowMonth[:4])
	}
	if in.Year < viet.MinYear || in.Year > viet.MaxYear {
		return nil, "", "", closedBefore, apperr.InvalidField("year", "meeting.year_range", "a year from %d to %d", viet.MinYear, viet.MaxYear)
	}
	last = fmt.Sprintf("%04d-12", in.Year)
	if last > nowMonth {
		last = nowMonth
	}
	if in.AsOf != "" {
		if _, err := ParseMonth("as_of", in.AsOf); err != nil {
			return nil, "", "", closedBefore, err
		}
		if in.AsOf[:4] != strconv.Itoa(in.Year) {
			return nil, "", "", closedBefore, apperr.InvalidField("as_of", "meeting.as_of_year", "a month of %d", in.Year)
		}
		if in.AsOf < last {
			last = in.AsOf
		}
	}
	first = fmt.Sprintf("%04d-01", in.Year)
	// As of a past month: what was known at its end, the meetings whose
	// minutes were closed by then (a meeting of March closed in May is not
	// known as of April). Without as_of, everything known now.
	if in.AsOf != "" && last < nowMonth {
		y, _ := strconv.Atoi(last[:4])
		mo, _ := strconv.Atoi(last[5:])
		closedBefore = time.Date(y, time.Month(mo)+1, 1, 0, 0, 0, 0, date.Vietnam).UTC()
	}
	return u, first, last, closedBefore, nil
}

// Compliance reports, for a subtree and a year, which cells held each
// month's regular meeting and the quarter's thematic one, the attendance
// rates, and the members absent without reason three times or more.
func (s *Service) Compliance(ctx context.Context, actor *auth.Actor, in ComplianceInput) (*Compliance, error) {
	u, first, last, closedBefore, err := s.complianceRange(ctx, actor, &in)
	if err != nil {
		return nil, err
	}
	out := &Compliance{UnitID: u.ID, Year: in.Year, AsOf: last, Cells: []CellCompliance{}, Flags: []Flag{}}
	if last < first {
		return out, nil // a future year
	}
	rows, err := s.Store.CellYears(ctx, u.Path, first, last, closedBefore)
	if err != nil {
		return nil, err
	}
	out.Cells = Grid(rows, first, last)
	abs, err := s.Store.Absences(ctx, u.Path, first, last, closedBefore, FlagAbsences)
	if err != nil {
		return nil, err
	}
	out.Flags = Flags(abs)
	if u.IsCell() {
		if out.Members, err = s.Store.MemberRates(ctx, u.ID, first, last, closedBefore); err != nil {
			return nil, err
		}
		for i := range out.Members {
			if r := &out.Members[i]; r.Expected > 0 {
				r.Rate = float64(r.Present) / float64(r.Expected)
			}
		}
	}
	return out, nil
}

// ComplianceByChild is the compliance of a subtree per child unit and
// month: of each child's cells (the grid's rows below it), how many held
// the regular meeting, how many had the quarter's thematic one, and the
// attendance; the unit's own totals beside. Read from the per-subtree
// counters (twelve rows per child, whatever the subtree's size); "as of"
// a past month sums the cells' rows instead (the counters know only the
// present).
func (s *Service) ComplianceByChild(ctx context.Context, actor *auth.Actor, in ComplianceInput) (*ComplianceRollup, error) {
	u, first, last, closedBefore, err := s.complianceRange(ctx, actor, &in)
	if err != nil {
		return nil, err
	}
	out := &ComplianceRollup{UnitID: u.ID, Year: in.Year, AsOf: last, By: "child", Total: UnitCompliance{UnitID: u.ID, Months: []MonthRollup{}}, Children: []UnitCompliance{}}
	if last < first {
		return out, nil // a future year
	}
	units, err := s.Store.SubtreeMonths(ctx, u.ID, first, last)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return out, nil // the unit was not live in the months
	}
	if !closedBefore.IsZero() {
		for i := range units {
			cells, err := s.Store.CellYears(ctx, units[i].Path, first, last, closedBefore)
			if err != nil {
				return nil, err
			}
			units[i] = SumCells(SubtreeYear{UnitID: units[i].UnitID, Name: units[i].Name, Kind: units[i].Kind, Path: units[i].Path}, cells)
		}
	}
	out.Total = Rollup(units[0], first, last)
	for _, c := range units[1:] {
		out.Children = append(out.Children, Rollup(c, first, last))
	}
	return out, nil
}

// FlagAbsences is how many absences without reason in a year raise a flag.
const FlagAbsences = 3
