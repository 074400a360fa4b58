package member

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// UnitRef is the little the member module needs to know about a unit.
type UnitRef struct {
	ID        int64
	Path      string
	Name      string
	Code      string
	Kind      string
	Dissolved bool
}

// Filter selects members for a list. Paths are the subtrees to search
// (already intersected with the actor's reach).
type Filter struct {
	Path     string
	Query    string // folded
	Digits   string // a card, citizen ID or phone prefix when the query is numeric
	Statuses []Status
	AsOf     date.Date // zero: today
	// Hosted lists the members hosted temporarily by the subtree's cells
	// instead of the members whose home cell is in it.
	Hosted bool
	// AdmittedBy keeps members admitted on or before this day.
	AdmittedBy date.Date
	Limit      int
	Cursor     string
}

// Store is what the member service needs from the database.
type Store interface {
	UnitRef(ctx context.Context, id int64) (*UnitRef, error)
	Member(ctx context.Context, id int64) (*Member, string, error) // the record and its unit's path
	List(ctx context.Context, f Filter) (*page.Of[Member], error)
	Create(ctx context.Context, m *Member, since date.Date, a auth.AuditEntry) error
	Update(ctx context.Context, m *Member, version int, a auth.AuditEntry) error
	ChangeStatus(ctx context.Context, m *Member, version int, ev Event, a auth.AuditEntry) error
	Transfer(ctx context.Context, m *Member, version int, ev Event, a auth.AuditEntry) error
	Audit(ctx context.Context, a auth.AuditEntry) error
	Events(ctx context.Context, id int64) ([]Event, error)
	// CellsUnder lists the live cells of a subtree (the export names them).
	CellsUnder(ctx context.Context, path string) ([]UnitRef, error)
}

// Event is one lifecycle change: a status change or a transfer.
type Event struct {
	Kind        string    `json:"kind"` // "status", "transfer_official", "transfer_temporary", "transfer_return"
	FromStatus  Status    `json:"from_status,omitempty"`
	ToStatus    Status    `json:"to_status,omitempty"`
	FromUnitID  int64     `json:"from_unit_id,omitempty"`
	ToUnitID    int64     `json:"to_unit_id,omitempty"`
	EffectiveOn date.Date `json:"effective_on"`
	Reason      string    `json:"reason,omitempty"`
	AccountID   int64     `json:"-"`
}

// Events returns a member's lifecycle history (status changes and
// transfers, newest first) to those who may read the record.
func (s *Service) Events(ctx context.Context, actor *auth.Actor, id int64) ([]Event, error) {
	if v, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	} else if !v.Personal {
		return nil, apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", id)
	}
	evs, err := s.Store.Events(ctx, id)
	if evs == nil {
		evs = []Event{}
	}
	return evs, err
}

// Service is the member records' use cases.
type Service struct {
	Store Store
	Now   func() time.Time
}

func (s *Service) today() date.Date { return date.TodayFrom(s.Now) }

// Get returns the record the actor may read, as they may see it: whole
// (and the read audited) for staff whose role covers its unit and for the
// member themself, its public fields only for a cell-mate, and "not found"
// for anyone else.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*View, error) {
	m, path, err := s.Store.Member(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case actor.Can(path, auth.ReadPersonal) || (actor.MemberID != 0 && actor.MemberID == id):
		err := s.Store.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.read", ObjectType: "member", ObjectID: id, UnitPath: path})
		if err != nil {
			return nil, err
		}
		v := viewOf(m, true)
		return &v, nil
	case actor.MemberUnitPath != "" && actor.MemberUnitPath == path:
		v := viewOf(m, false)
		return &v, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", id)
}

// ListInput is a list request as the API receives it.
type ListInput struct {
	UnitID int64
	Q      string
	Status string // "", "all", or a comma list
	AsOf   date.Date
	Limit  int
	Cursor string
	// Hosted: the members on a temporary transfer into the subtree.
	Hosted bool
}

// List returns members of a unit's subtree that the actor may see (MayList),
// as they may see them: whole records for staff (an audited read), public
// fields of the active members of their own cell for a member.
func (s *Service) List(ctx context.Context, actor *auth.Actor, in ListInput) (*ViewPage, error) {
	u, err := s.Store.UnitRef(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	if !MayList(actor, u.Path) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", in.UnitID)
	}
	personal := actor.Can(u.Path, auth.ReadPersonal)
	if err := CheckAsOf(in.AsOf, s.today()); err != nil {
		return nil, err
	}
	f := Filter{Path: u.Path, AsOf: in.AsOf, Limit: in.Limit, Cursor: in.Cursor, Hosted: in.Hosted}
	if !f.AsOf.IsZero() && !f.AsOf.Before(s.today()) {
		f.AsOf = date.Date{}
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	q := viet.Fold(in.Q)
	// A numeric query matches card numbers, citizen IDs and phone numbers:
	// only for those who may read them, or digits could be probed one by
	// one. Anyone else searches names only, where digits match nothing.
	if d := digitsOnly(q); personal && allDigits(d) && len(d) >= 3 {
		f.Digits = d
	} else {
		f.Query = q
	}
	f.Statuses, err = parseStatuses(in.Status)
	if err != nil {
		return nil, err
	}
	if !personal {
		f.Statuses = ActiveStatuses
	}
	got, err := s.Store.List(ctx, f)
	if err != nil {
		return nil, err
	}
	// A search on personal fields is a read of them even when it finds
	// nobody (a miss answers a probe too), so it is audited like a list.
	if personal && (len(got.Items) > 0 || f.Digits != "") {
		ids := make([]int64, len(got.Items)) // not nil: an empty search records "members": []
		for i := range got.Items {
			ids[i] = got.Items[i].ID
		}
		// A list shows personal fields, so it is an audited read of each record on it.
		err = s.Store.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.list", ObjectType: "unit", ObjectID: u.ID, UnitPath: u.Path,
			After: map[string]any{"q": in.Q, "status": in.Status, "as_of": in.AsOf, "members": ids}})
	}
	if err != nil {
		return nil, err
	}
	out := &ViewPage{Of: page.Of[View]{Items: make([]View, len(got.Items)), NextCursor: got.NextCursor, Total: got.Total, TotalAtLeast: got.TotalAtLeast}, Personal: personal}
	for i := range got.Items {
		out.Items[i] = viewOf(&got.Items[i], personal)
	}
	return out, nil
}

func parseStatuses(s string) ([]Status, error) {
	switch s {
	case "":
		return ActiveStatuses, nil
	case "all":
		return Statuses, nil
	}
	var out []Status
	for _, p := range strings.Split(s, ",") {
		st := Status(strings.TrimSpace(p))
		if !st.Valid() {
			return nil, apperr.Keyed(apperr.Invalid, "member.unknown_status", "unknown status").With(apperr.FieldKeyed("status", "member.status_unknown", "unknown status %s", string(st)))
		}
		out = append(out, st)
	}
	return out, nil
}

// writableUnit returns the unit if the actor may write members there.
func (s *Service) writableUnit(ctx context.Context, actor *auth.Actor, unitID int64) (*UnitRef, error) {
	u, err := s.Store.UnitRef(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.WriteMembers) || u.Dissolved {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	return u, nil
}

// Create adds a member record to a cell.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, m *Member) (*Member, error) {
	if m.UnitID == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "member.member_needs_unit", "the member needs a unit").With(apperr.FieldKeyed("unit_id", "common.required", "required"))
	}
	u, err := s.writableUnit(ctx, actor, m.UnitID)
	if err != nil {
		return nil, err
	}
	Normalize(m)
	m.Status = StatusProbationary
	if !m.FullOn.IsZero() {
		m.Status = StatusFull
	}
	if errs := Validate(m, s.today()); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "member.member_record_not_valid", "the member record is not valid").With(errs...)
	}
	m.UnitName = u.Name
	since := m.AdmittedOn
	if since.IsZero() {
		since = s.today()
	}
	err = s.Store.Create(ctx, m, since, auth.AuditEntry{Actor: actor, Action: "member.create", ObjectType: "member", UnitPath: u.Path, After: m})
	return m, err
}

// Patch is a partial edit; nil fields are left as they are.
type Patch struct {
	FullName    *string    `json:"full_name"`
	Gender      *Gender    `json:"gender"`
	BirthDate   *date.Date `json:"birth_date"`
	CardNo      *string    `json:"card_no"`
	BiographyNo *string    `json:"biography_no"`
	CitizenID   *string    `json:"citizen_id"`
	Phone       *string    `json:"phone"`
	Email       *string    `json:"email"`
	AdmittedOn  *date.Date `json:"admitted_on"`
	FullOn      *date.Date `json:"full_on"`
	Position    *string    `json:"position"`
	Version     int        `json:"version"`
}

// writable reads a record the actor may change, with its cell's path;
// out of reach answers as missing.
func (s *Service) writable(ctx context.Context, actor *auth.Actor, id int64) (*Member, string, error) {
	m, path, err := s.Store.Member(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if !actor.Can(path, auth.WriteMembers) {
		return nil, "", apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", id)
	}
	return m, path, nil
}

// Update edits a record. version must be the one last read (0 means the
// caller did not say, and the edit applies to the current version).
func (s *Service) Update(ctx context.Context, actor *auth.Actor, id int64, p Patch) (*Member, error) {
	m, path, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	before := *m
	apply(m, p)
	Normalize(m)
	if unchangedByPatch(*m, before) { // nothing to change: no new version, no audit entry
		if p.Version != 0 && p.Version != before.Version {
			return nil, apperr.Keyed(apperr.Conflict, "member.record_was_changed_someone", "the record was changed by someone else (version %d is stale): reload and try again", p.Version)
		}
		return m, nil
	}
	if errs := Validate(m, s.today()); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "member.member_record_not_valid", "the member record is not valid").With(errs...)
	}
	version := p.Version
	if version == 0 {
		version = before.Version
	}
	err = s.Store.Update(ctx, m, version, auth.AuditEntry{Actor: actor, Action: "member.update", ObjectType: "member", ObjectID: id, UnitPath: path, Before: before, After: m})
	return m, err
}

// unchangedByPatch reports whether two records hold the same data (the derived
// search and sort keys left aside).
func unchangedByPatch(a, b Member) bool {
	a.NameFolded, a.SortKey, b.NameFolded, b.SortKey = "", nil, "", nil
	return reflect.DeepEqual(a, b)
}

func apply(m *Member, p Patch) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setDate := func(dst *date.Date, v *date.Date) {
		if v != nil {
			*dst = *v
		}
	}
	set(&m.FullName, p.FullName)
	if p.Gender != nil {
		m.Gender = *p.Gender
	}
	setDate(&m.BirthDate, p.BirthDate)
	set(&m.CardNo, p.CardNo)
	set(&m.BiographyNo, p.BiographyNo)
	set(&m.CitizenID, p.CitizenID)
	set(&m.Phone, p.Phone)
	set(&m.Email, p.Email)
	setDate(&m.AdmittedOn, p.AdmittedOn)
	setDate(&m.FullOn, p.FullOn)
	set(&m.Position, p.Position)
}

// DueForFull lists probationary members of a subtree whose 12 months of
// probation have ended, so the cell can consider them for full membership.
func (s *Service) DueForFull(ctx context.Context, actor *auth.Actor, unitID int64, limit int, cursor string) (*page.Of[Member], error) {
	u, err := s.Store.UnitRef(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.ReadPersonal) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	return s.Store.List(ctx, Filter{Path: u.Path, Statuses: []Status{StatusProbationary},
		AdmittedBy: s.today().AddMonths(-ProbationMonths), Limit: limit, Cursor: cursor})
}
