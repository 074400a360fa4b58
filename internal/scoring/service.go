package scoring

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
)

// Roles, by what they allow. A role on a unit covers its subtree.
var (
	// OwnerRoles define frameworks on the owner unit and finalise its
	// scoresheets.
	OwnerRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee}
	// CellRoles register a cell and score it (held on the cell or above).
	CellRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee, auth.RoleCellOfficer}
	// ReviewRoles review a cell when held on a unit strictly above it, and
	// register a cell after the deadline (with a reason).
	ReviewRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}
	// ReadRoles read scoresheets and results of their subtree.
	ReadRoles = auth.ReadPersonal
)

// UnitRef is what the module needs of a unit.
type UnitRef struct {
	ID        int64
	ParentID  *int64
	Path      string
	Name      string
	Code      string
	Kind      org.Kind
	CellType  org.CellType
	Dissolved bool
}

// FrameworkFilter selects frameworks for a list: those whose owner path is
// one of OwnerPaths (the ancestors of a unit) or lies under one of
// Subtrees.
type FrameworkFilter struct {
	OwnerPaths []string
	Subtrees   []string
	Year       int
	Limit      int
	Cursor     string
}

// ScoreWrite is one criterion's row as it is to be stored.
type ScoreWrite struct {
	Score
	Top string
}

// SheetWrite is a change of a scoresheet: its rows, totals and stage.
type SheetWrite struct {
	SheetID  int64
	Version  int // the version read; the store refuses another (Conflict)
	Stage    Stage
	NewStage Stage
	Scores   []ScoreWrite
	Totals   Totals
	// Tiebreak is the sheet's tie-break key at NewStage (TiebreakOf).
	Tiebreak    []Points
	SubmittedAt time.Time
	Audit       []auth.AuditEntry
}

// NewSheet is a registration (or another period's sheet of a registered
// cell) to insert.
type NewSheet struct {
	Sheet Sheet
	Year  int
	// Register: the cell was not yet registered to the framework.
	Register   bool
	LateReason string
	Audit      auth.AuditEntry
}

// Store is what the module needs of the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	ChildUnits(ctx context.Context, id int64) ([]UnitRef, error)
	Create(ctx context.Context, f *Framework, flat []Flat, a auth.AuditEntry) (int64, error)
	// Update replaces a framework's fields and criteria; Conflict when its
	// version is not f.Version or when a score exists against it.
	Update(ctx context.Context, f *Framework, flat []Flat, a auth.AuditEntry) error
	Framework(ctx context.Context, id int64) (*Framework, error)
	// FrameworkRow is Framework without the criteria (Criteria nil).
	FrameworkRow(ctx context.Context, id int64) (*Framework, error)
	Frameworks(ctx context.Context, f FrameworkFilter) (*page.Of[Framework], error)
	// Registered says whether the cell is registered to the framework and
	// which framework of the year it is registered to (0: none).
	Registered(ctx context.Context, unitID int64, year int) (int64, error)
	// Sheets lists the periods a cell has a sheet for in a framework.
	SheetID(ctx context.Context, frameworkID, unitID int64, p Period) (int64, error)
	Register(ctx context.Context, n *NewSheet) (int64, error)
	Sheet(ctx context.Context, id int64) (*Sheet, error)
	WriteSheet(ctx context.Context, w *SheetWrite) error
	// RankedResults reads the sheets of a framework and period within the
	// subtree at path in rank order, each with its rank over all the
	// framework's sheets of the period, the number of those sheets, and
	// how many count at least *above (RankedFrom is the definition).
	RankedResults(ctx context.Context, frameworkID int64, p Period, path string, above *Points) (*Ranked, error)
	// CountedIn reads the counted total of each cell of the subtree at path
	// with a sheet of the framework and period.
	CountedIn(ctx context.Context, frameworkID int64, p Period, path string) (map[int64]Points, error)
	// RankedPage reads one page of the subtree's results in rank order
	// and the subtree's counts by_level is made of.
	RankedPage(ctx context.Context, frameworkID int64, p Period, path string, q PageQuery) (*RankedPage, error)
	// Reports: when each unit sent its results for the period.
	Reports(ctx context.Context, frameworkID int64, p Period) (map[int64]time.Time, error)
	SendReport(ctx context.Context, frameworkID, unitID int64, p Period, a auth.AuditEntry) error
	// LinkTarget finds a piece of evidence: its title and the paths it
	// belongs to (a task's unit, holder and issuer; a document's issuer
	// and audience). NotFound when missing.
	LinkTarget(ctx context.Context, kind string, id int64) (title string, paths []string, err error)
	Evidence(ctx context.Context, unitID int64, from, to date.Date) (*Evidence, error)
}

// Service is the four-good cell use cases.
type Service struct {
	Store Store
	Now   func() time.Time
	// Meetings and Conferences give the evidence of those modules (nil:
	// absent, not offered).
	Meetings    MeetingSource
	Conferences ConferenceSource
	// Outbreaks gives the members' outbreak shifts (nil: absent).
	Outbreaks OutbreakSource
	// Requests are the report requests the committees answer with their
	// results (nil: the framework's deadlines only).
	Requests RequestSource
	// Files keeps the attachments' contents: the documents' doc.Files
	// (nil: no attachments).
	Files doc.Files
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) today() date.Date { return date.Today(s.now()) }

func notFound() error {
	return apperr.Keyed(apperr.NotFound, "fourgood.not_found", "not found: no such framework or scoresheet within reach")
}

func unitNotFound() error {
	return apperr.Keyed(apperr.NotFound, "fourgood.unit_not_found", "unit not found: no such unit within reach")
}

// above reports whether the actor holds one of roles on a unit strictly
// above path.
func above(a *auth.Actor, path string, roles []auth.Role) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.UnitPath != path && strings.HasPrefix(path, g.UnitPath) && slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// canSee reports whether the actor may read a framework: it reaches the
// owner, or the owner is above one of its units.
func canSee(a *auth.Actor, f *Framework) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if strings.HasPrefix(f.OwnerPath, g.UnitPath) || strings.HasPrefix(g.UnitPath, f.OwnerPath) {
			return true
		}
	}
	return false
}

func (s *Service) unit(ctx context.Context, id int64) (*UnitRef, error) {
	u, err := s.Store.Unit(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, unitNotFound()
	}
	return u, err
}

// Framework reads one framework within reach.
func (s *Service) Framework(ctx context.Context, a *auth.Actor, id int64) (*Framework, error) {
	return seen(a)(s.Store.Framework(ctx, id))
}

// frameworkRow reads one framework within reach without its criteria
// (what the results need).
func (s *Service) frameworkRow(ctx context.Context, a *auth.Actor, id int64) (*Framework, error) {
	return seen(a)(s.Store.FrameworkRow(ctx, id))
}

// seen turns a framework read into the answer the actor may have: not
// found when missing or out of reach.
func seen(a *auth.Actor) func(f *Framework, err error) (*Framework, error) {
	return func(f *Framework, err error) (*Framework, error) {
		if apperr.Is(err, apperr.NotFound) || (err == nil && !canSee(a, f)) {
			return nil, notFound()
		}
		return f, err
	}
}

// Create defines a framework on an owner unit.
func (s *Service) Create(ctx context.Context, a *auth.Actor, in FrameworkInput) (*Framework, error) {
	// The owner's reach first: out of reach answers 404 whatever the body.
	var owner *UnitRef
	if in.OwnerUnitID > 0 {
		var err error
		if owner, err = s.unit(ctx, in.OwnerUnitID); err != nil {
			return nil, err
		}
		if !a.Can(owner.Path, OwnerRoles) {
			return nil, unitNotFound()
		}
	}
	v, err := validateFramework(in)
	if err != nil {
		return nil, err
	}
	if owner.Kind == org.KindCell {
		return nil, apperr.InvalidField("owner_unit_id", "fourgood.owner_cell", "a framework is owned by a committee, not a cell")
	}
	f := &v.Framework
	f.OwnerPath, f.OwnerName = owner.Path, owner.Name
	id, err := s.Store.Create(ctx, f, v.Flat, auth.AuditEntry{Actor: a, Action: "framework.create", ObjectType: "framework", UnitPath: owner.Path, After: f})
	if err != nil {
		return nil, err
	}
	return s.Store.Framework(ctx, id)
}

// Editable reads a framework its owner may change (404 for anyone else).
func (s *Service) Editable(ctx context.Context, a *auth.Actor, id int64) (*Framework, error) {
	f, err := s.Framework(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !a.Can(f.OwnerPath, OwnerRoles) {
		return nil, notFound()
	}
	return f, nil
}

// Update replaces a framework that no score has been entered against.
func (s *Service) Update(ctx context.Context, a *auth.Actor, id int64, in FrameworkInput) (*Framework, error) {
	old, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.OwnerUnitID == 0 {
		in.OwnerUnitID = old.OwnerUnitID
	}
	if in.OwnerUnitID != old.OwnerUnitID {
		return nil, apperr.InvalidField("owner_unit_id", "fourgood.owner_fixed", "the owner of a framework cannot change; copy it instead")
	}
	v, err := validateFramework(in)
	if err != nil {
		return nil, err
	}
	if old.Scored {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.scored", "scores have been entered against this framework: it cannot change; copy it for next year")
	}
	f := &v.Framework
	f.ID, f.OwnerPath, f.Version = id, old.OwnerPath, old.Version
	if in.Version != 0 {
		f.Version = in.Version
	}
	if err := s.Store.Update(ctx, f, v.Flat, auth.AuditEntry{Actor: a, Action: "framework.update", ObjectType: "framework", ObjectID: id, UnitPath: old.OwnerPath, Before: old, After: f}); err != nil {
		return nil, err
	}
	return s.Store.Framework(ctx, id)
}

// CopyInput is POST /frameworks/{id}/copy.
type CopyInput struct {
	Year int `json:"year"`
}

// Copy makes a draft for another year from a framework: the same
// criteria, bands and quota, deadlines moved by the years between.
func (s *Service) Copy(ctx context.Context, a *auth.Actor, id int64, in CopyInput) (*Framework, error) {
	old, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.Year < viet0 || in.Year > viet1 {
		return nil, apperr.InvalidField("year", "fourgood.bad_year", "the year is from %d to %d", viet0, viet1)
	}
	if in.Year == old.Year {
		return nil, apperr.InvalidField("year", "fourgood.copy_same_year", "the copy is for another year than %d", old.Year)
	}
	n := in.Year - old.Year
	f := *old
	f.ID, f.Year, f.Status, f.Scored, f.Registrations, f.CopiedFrom = 0, in.Year, StatusDraft, false, 0, &old.ID
	f.Name = strings.ReplaceAll(old.Name, fmt.Sprint(old.Year), fmt.Sprint(in.Year))
	f.RegistrationDeadline = old.RegistrationDeadline.AddYears(n)
	if !old.ReportDeadline.IsZero() {
		f.ReportDeadline = old.ReportDeadline.AddYears(n)
	}
	if !old.InterimReportDeadline.IsZero() {
		f.InterimReportDeadline = old.InterimReportDeadline.AddYears(n)
	}
	nid, err := s.Store.Create(ctx, &f, Flatten(old.Criteria), auth.AuditEntry{Actor: a, Action: "framework.copy", ObjectType: "framework", UnitPath: old.OwnerPath, Before: map[string]int64{"from": old.ID}, After: &f})
	if err != nil {
		return nil, err
	}
	return s.Store.Framework(ctx, nid)
}

// ListInput is GET /frameworks.
type ListInput struct {
	UnitID int64
	Year   int
	Limit  int
	Cursor string
}

// List answers the frameworks that reach a unit (owned by it or a unit
// above it), or without a unit those that reach any of the actor's units
// or are owned within its subtrees.
func (s *Service) List(ctx context.Context, a *auth.Actor, in ListInput) (*page.Of[Framework], error) {
	f := FrameworkFilter{Year: in.Year, Limit: page.Limit(in.Limit), Cursor: in.Cursor}
	if in.UnitID != 0 {
		u, err := s.unit(ctx, in.UnitID)
		if err != nil {
			return nil, err
		}
		if !a.Can(u.Path, auth.SeeUnits) {
			return nil, unitNotFound()
		}
		f.OwnerPaths = ancestors(u.Path)
	} else {
		if a.System {
			f.Subtrees = []string{"/"}
		}
		for _, g := range a.Grants {
			f.OwnerPaths = append(f.OwnerPaths, ancestors(g.UnitPath)...)
			f.Subtrees = append(f.Subtrees, g.UnitPath)
		}
		f.Subtrees = auth.MinimalPrefixes(f.Subtrees)
		slices.Sort(f.OwnerPaths)
		f.OwnerPaths = slices.Compact(f.OwnerPaths)
	}
	return s.Store.Frameworks(ctx, f)
}

// ancestors lists the path and the paths above it: "/1/5/" gives "/1/"
// and "/1/5/".
func ancestors(path string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}

const (
	viet0 = 1900
	viet1 = 2100
)
