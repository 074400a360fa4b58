package org

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Store is what the org service needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*Unit, error)
	ByCode(ctx context.Context, code string) (*Unit, error)
	// AsOf returns the unit with its name and path on day d.
	AsOf(ctx context.Context, id int64, d date.Date) (*Unit, error)
	Children(ctx context.Context, parentID int64) ([]Unit, error)
	// UnitsAt returns the live units whose path is one of paths.
	UnitsAt(ctx context.Context, paths []string) ([]Unit, error)
	Create(ctx context.Context, u *Unit, a auth.AuditEntry) error
	Update(ctx context.Context, u *Unit, version int, a auth.AuditEntry) error
	Move(ctx context.Context, id, parentID int64, on date.Date, a auth.AuditEntry) error
	Merge(ctx context.Context, from []int64, into int64, on date.Date, a auth.AuditEntry) error
	Dissolve(ctx context.Context, id int64, on date.Date, a auth.AuditEntry) error
	// Split creates parts (filling in their ids and paths), moves the
	// listed children and members into them, and dissolves id if it is left empty.
	Split(ctx context.Context, id int64, parts []Unit, in SplitInput, a auth.AuditEntry) error
	Stats(ctx context.Context, path string, asOf date.Date, current bool) (*Stats, error)
	// MemberCount counts the member records (any status) in the unit or hosted by it.
	MemberCount(ctx context.Context, id int64) (int, error)
	// Subtree lists the live units of a subtree, top first, at most limit.
	Subtree(ctx context.Context, path string, limit int) ([]Unit, error)
	// MemberNames lists the names of the members in the cells of a
	// subtree (probationary, full, exempt), in list order, at most limit.
	MemberNames(ctx context.Context, path string, limit int) ([]string, error)
	// History lists the dated periods of a unit, oldest first.
	History(ctx context.Context, id int64) ([]Period, error)
	// Search returns the live units of the subtrees at paths whose
	// folded name contains folded, shallowest first, at most limit.
	Search(ctx context.Context, paths []string, folded string, limit int) ([]Unit, error)
}

// Stats counts a subtree: units by kind, members by status, gender and age band.
type Stats struct {
	UnitID int64     `json:"unit_id"`
	AsOf   date.Date `json:"as_of"`
	Exists bool      `json:"exists"`
	Units  struct {
		Total      int            `json:"total"`
		ByKind     map[string]int `json:"by_kind"`
		ByCellType map[string]int `json:"by_cell_type"`
	} `json:"units"`
	Members struct {
		Total     int            `json:"total"` // members who belong to a cell (probationary, full, exempt)
		ByStatus  map[string]int `json:"by_status"`
		ByGender  map[string]int `json:"by_gender"`
		ByAgeBand map[string]int `json:"by_age_band"`
	} `json:"members"`
}

// AgeBands are the bands of the statistics, by age in whole years.
var AgeBands = []struct {
	Name     string
	From, To int // inclusive
}{{"under_30", 0, 29}, {"30_39", 30, 39}, {"40_49", 40, 49}, {"50_59", 50, 59}, {"60_69", 60, 69}, {"70_plus", 70, 200}}

// Service is the organisation tree's use cases.
type Service struct {
	Store Store
	Now   func() time.Time
	// Log is the audit log a unit's history is read from (Changes); nil:
	// no history from the log.
	Log auth.AuditStore
}

// Get returns a unit within the actor's reach.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Unit, error) {
	u, err := s.Store.Unit(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.visible(actor, u) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	return u, nil
}

// Resolve finds a unit by id or code (as the command line accepts either).
func (s *Service) Resolve(ctx context.Context, actor *auth.Actor, idOrCode string) (*Unit, error) {
	var u *Unit
	var err error
	if id, ok := parseID(idOrCode); ok {
		u, err = s.Store.Unit(ctx, id)
	} else {
		u, err = s.Store.ByCode(ctx, strings.TrimSpace(idOrCode))
	}
	if err != nil {
		return nil, err
	}
	if !s.visible(actor, u) {
		return nil, apperr.Keyed(apperr.NotFound, "org.unit_not_found_2", "unit %s not found", idOrCode)
	}
	return u, nil
}

func parseID(s string) (int64, bool) {
	var id int64
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		id = id*10 + int64(c-'0')
	}
	return id, true
}

// visible: the actor holds a role on the unit or above it, or (as a member)
// the unit is their own cell or above it, so they can walk up to it.
func (s *Service) visible(actor *auth.Actor, u *Unit) bool {
	if actor.Can(u.Path, auth.SeeUnits) {
		return true
	}
	return actor.MemberUnitPath != "" && strings.HasPrefix(actor.MemberUnitPath, u.Path)
}

// Children lists the live children of a unit in reach, or the actor's roots.
func (s *Service) Children(ctx context.Context, actor *auth.Actor, parentID int64) ([]Unit, error) {
	if parentID == 0 {
		roots, err := s.Store.UnitsAt(ctx, actor.Paths(auth.SeeUnits))
		sortUnits(roots)
		return roots, err
	}
	p, err := s.Get(ctx, actor, parentID)
	if err != nil {
		return nil, err
	}
	kids, err := s.Store.Children(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := kids[:0]
	for _, k := range kids {
		if s.visible(actor, &k) {
			out = append(out, k)
		}
	}
	sortUnits(out)
	return out, nil
}

// CreateInput is what a client sends to create a unit.
type CreateInput struct {
	ParentID    *int64    `json:"parent_id"`
	Kind        Kind      `json:"kind"`
	CellType    CellType  `json:"cell_type"`
	Name        string    `json:"name"`
	Code        string    `json:"code"`
	EffectiveOn date.Date `json:"effective_on"`
}

// Create adds a unit under a parent the actor may restructure. Only a
// system actor (the operator) may create a root.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput, today date.Date) (*Unit, error) {
	u := &Unit{Kind: in.Kind, CellType: in.CellType, Name: viet.Clean(in.Name), Code: strings.ToUpper(strings.TrimSpace(in.Code)), ValidFrom: in.EffectiveOn}
	if u.ValidFrom.IsZero() {
		u.ValidFrom = today
	}
	var parentFrom date.Date
	if in.ParentID == nil {
		if !actor.System && !actor.Can("/", auth.WriteUnits) {
			return nil, apperr.Keyed(apperr.Invalid, "org.unit_needs_parent", "a unit needs a parent").With(apperr.FieldKeyed("parent_id", "common.required", "required"))
		}
	} else {
		p, err := s.Get(ctx, actor, *in.ParentID)
		if err != nil {
			return nil, err
		}
		if !actor.Can(p.Path, auth.WriteUnits) {
			return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", p.ID)
		}
		if p.Kind == KindCell {
			return nil, apperr.Keyed(apperr.Invalid, "org.cell_holds_no_units", "a cell cannot have units below it").With(apperr.FieldKeyed("parent_id", "org.parent_cell", "the parent is a cell"))
		}
		u.ParentID = &p.ID
		parentFrom = p.ValidFrom
		if kindValid(u.Kind) && !MayHold(p.Kind, u.Kind) {
			return nil, apperr.Keyed(apperr.Invalid, "org.unit_cannot_there", "the unit cannot be there").With(holdError("kind", p.Kind, u.Kind))
		}
	}
	if errs := validateUnit(u); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "org.unit_not_valid", "the unit is not valid").With(errs...)
	}
	if err := checkOn("effective_on", u.ValidFrom, parentFrom, today); err != nil {
		return nil, err
	}
	err := s.Store.Create(ctx, u, auth.AuditEntry{Actor: actor, Action: "unit.create", ObjectType: "unit", After: u})
	return u, err
}

// UpdateInput is a partial edit: rename, change kind or cell type.
type UpdateInput struct {
	Name     *string   `json:"name"`
	Code     *string   `json:"code"`
	Kind     *Kind     `json:"kind"`
	CellType *CellType `json:"cell_type"`
	Version  int       `json:"version"`
}

// Update edits a unit; version must match the stored one (0 skips the check).
func (s *Service) Update(ctx context.Context, actor *auth.Actor, id int64, in UpdateInput) (*Unit, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.WriteUnits) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	before := *u
	if in.Name != nil {
		u.Name = viet.Clean(*in.Name)
	}
	if in.Code != nil {
		u.Code = strings.ToUpper(strings.TrimSpace(*in.Code))
	}
	if in.Kind != nil {
		u.Kind = *in.Kind
	}
	if in.CellType != nil {
		u.CellType = *in.CellType
	}
	if reflect.DeepEqual(*u, before) { // nothing to change: no new version, no audit entry
		if in.Version != 0 && in.Version != before.Version {
			return nil, apperr.Keyed(apperr.Conflict, "org.unit_was_changed_someone", "the unit was changed by someone else (version %d is stale): reload and try again", in.Version)
		}
		return u, nil
	}
	if errs := validateUnit(u); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "org.unit_not_valid", "the unit is not valid").With(errs...)
	}
	if u.Kind != before.Kind {
		if err := s.checkKindChange(ctx, u); err != nil {
			return nil, err
		}
	}
	version := in.Version
	if version == 0 {
		version = before.Version
	}
	err = s.Store.Update(ctx, u, version, auth.AuditEntry{Actor: actor, Action: "unit.update", ObjectType: "unit", ObjectID: id, UnitPath: u.Path, Before: before, After: u})
	return u, err
}

// checkKindChange keeps the tree's rules when u takes a new kind: its
// parent may hold that kind, it may hold the units below it, and only a
// cell holds members.
func (s *Service) checkKindChange(ctx context.Context, u *Unit) error {
	refuse := func(f apperr.FieldError) error {
		return apperr.Keyed(apperr.Invalid, "org.unit_cannot_take_kind", "the unit cannot take that kind").With(f)
	}
	if u.ParentID != nil {
		p, err := s.Store.Unit(ctx, *u.ParentID)
		if err != nil {
			return err
		}
		if !MayHold(p.Kind, u.Kind) {
			return refuse(holdError("kind", p.Kind, u.Kind))
		}
	}
	kids, err := s.Store.Children(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if !MayHold(u.Kind, k.Kind) {
			return refuse(apperr.FieldKeyed("kind", "org.kind_breaks_below", "a %s cannot be below a %s: the unit has units below it that would break the tree", kindTerm(k.Kind), kindTerm(u.Kind)))
		}
	}
	if u.Kind != KindCell {
		n, err := s.Store.MemberCount(ctx, u.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return refuse(apperr.FieldKeyed("kind", "org.kind_has_members", "only cells hold members, and the unit holds %d member records: move them first", n))
		}
	}
	return nil
}

func validateUnit(u *Unit) []apperr.FieldError {
	var errs []apperr.FieldError
	if err := viet.CheckLine(u.Name); err != nil {
		errs = append(errs, apperr.FieldFrom("name", err))
	}
	if err := viet.CheckLine(u.Code); err != nil {
		errs = append(errs, apperr.FieldFrom("code", err))
	}
	if u.Name == "" {
		errs = append(errs, apperr.FieldKeyed("name", "common.required", "required"))
	}
	if u.Code == "" || len(u.Code) > 64 || strings.ContainsAny(u.Code, " /") {
		errs = append(errs, apperr.FieldKeyed("code", "org.required_up_64_characters", "required: up to 64 characters, no spaces or slashes"))
	}
	if !kindValid(u.Kind) {
		errs = append(errs, apperr.FieldKeyed("kind", "org.must_one_province_committee", "must be one of province_committee, district_committee, grassroots_committee, sub_committee, cell"))
	}
	if u.Kind == KindCell {
		if u.CellType != "" && !slices.Contains(CellTypes, u.CellType) {
			errs = append(errs, apperr.FieldKeyed("cell_type", "org.unknown_cell_type", "unknown cell type"))
		}
	} else if u.CellType != "" {
		errs = append(errs, apperr.FieldKeyed("cell_type", "org.only_cells_cell_type", "only cells have a cell type"))
	}
	return errs
}

func kindValid(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Move puts a subtree under a new parent from day on.
func (s *Service) Move(ctx context.Context, actor *auth.Actor, id, parentID int64, on date.Date) error {
	u, p, err := s.planMove(ctx, actor, id, parentID, on)
	if err != nil {
		return err
	}
	return s.Store.Move(ctx, id, parentID, on, auth.AuditEntry{Actor: actor, Action: "unit.move", ObjectType: "unit", ObjectID: id, UnitPath: u.Path, Before: map[string]any{"parent_id": u.ParentID, "path": u.Path}, After: map[string]any{"parent_id": p.ID, "effective_on": on}})
}

// planMove checks a move without making it (Move and PreviewMove).
func (s *Service) planMove(ctx context.Context, actor *auth.Actor, id, parentID int64, on date.Date) (u, p *Unit, err error) {
	if u, err = s.writable(ctx, actor, id); err != nil {
		return nil, nil, err
	}
	if parentID == 0 {
		return nil, nil, apperr.Keyed(apperr.Invalid, "org.move_needs_new_parent", "a move needs a new parent").With(apperr.FieldKeyed("parent_id", "common.required", "required"))
	}
	if p, err = s.writable(ctx, actor, parentID); err != nil {
		return nil, nil, err
	}
	if err := checkOn("effective_on", on, later(u.ValidFrom, p.ValidFrom), s.today()); err != nil {
		return nil, nil, err
	}
	if strings.HasPrefix(p.Path, u.Path) {
		return nil, nil, apperr.Keyed(apperr.Conflict, "org.cannot_move_unit_below", "cannot move a unit below itself")
	}
	if p.Kind == KindCell {
		return nil, nil, apperr.Keyed(apperr.Conflict, "org.cannot_move_unit_below_2", "cannot move a unit below a cell")
	}
	if !MayHold(p.Kind, u.Kind) {
		return nil, nil, apperr.Keyed(apperr.Conflict, "org.cannot_move_unit_there", "cannot move the unit there: a %s cannot be below a %s", kindTerm(u.Kind), kindTerm(p.Kind))
	}
	return u, p, nil
}

// Merge folds units into another from day on: their children and members
// move to into, and they are dissolved.
func (s *Service) Merge(ctx context.Context, actor *auth.Actor, from []int64, into int64, on date.Date) error {
	target, err := s.planMerge(ctx, actor, from, into, on)
	if err != nil {
		return err
	}
	return s.Store.Merge(ctx, from, into, on, auth.AuditEntry{Actor: actor, Action: "unit.merge", ObjectType: "unit", ObjectID: into, UnitPath: target.Path, After: map[string]any{"from": from, "into": into, "effective_on": on}})
}

// planMerge checks a merge without making it (Merge and PreviewMerge).
func (s *Service) planMerge(ctx context.Context, actor *auth.Actor, from []int64, into int64, on date.Date) (*Unit, error) {
	if len(from) == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "org.nothing_merge", "nothing to merge").With(apperr.FieldKeyed("from", "common.required", "required"))
	}
	if into == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "org.merge_needs_unit_merge", "a merge needs a unit to merge into").With(apperr.FieldKeyed("into", "common.required", "required"))
	}
	target, err := s.writable(ctx, actor, into)
	if err != nil {
		return nil, err
	}
	notBefore := target.ValidFrom
	for _, id := range from {
		u, err := s.writable(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		if id == into || strings.HasPrefix(target.Path, u.Path) {
			return nil, apperr.Keyed(apperr.Conflict, "org.cannot_merge_unit_into", "cannot merge unit %d into itself or into a unit below it", id)
		}
		if err := s.checkMergeInto(ctx, u, target); err != nil {
			return nil, err
		}
		notBefore = later(notBefore, u.ValidFrom)
	}
	if err := checkOn("effective_on", on, notBefore, s.today()); err != nil {
		return nil, err
	}
	return target, nil
}

// checkMergeInto keeps the tree's rules when u's units and members move
// into target.
func (s *Service) checkMergeInto(ctx context.Context, u, target *Unit) error {
	kids, err := s.Store.Children(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if !MayHold(target.Kind, k.Kind) {
			return apperr.Keyed(apperr.Invalid, "org.units_cannot_merged", "the units cannot be merged").With(holdError("into", target.Kind, k.Kind))
		}
	}
	if target.Kind != KindCell {
		n, err := s.Store.MemberCount(ctx, u.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Keyed(apperr.Invalid, "org.units_cannot_merged", "the units cannot be merged").With(apperr.FieldKeyed("into", "org.only_cells_hold_members", "only cells hold members, and unit %d holds %d member records", u.ID, n))
		}
	}
	return nil
}

// later returns the later of two days (a zero day counts as the earliest).
func later(a, b date.Date) date.Date {
	if a.IsZero() || (!b.IsZero() && b.After(a)) {
		return b
	}
	return a
}

// Dissolve ends an empty unit from day on.
func (s *Service) Dissolve(ctx context.Context, actor *auth.Actor, id int64, on date.Date) error {
	u, err := s.planDissolve(ctx, actor, id, on)
	if err != nil {
		return err
	}
	return s.Store.Dissolve(ctx, id, on, auth.AuditEntry{Actor: actor, Action: "unit.dissolve", ObjectType: "unit", ObjectID: id, UnitPath: u.Path, After: map[string]any{"effective_on": on}})
}

// planDissolve checks a dissolution without making it (Dissolve and
// PreviewDissolve).
func (s *Service) planDissolve(ctx context.Context, actor *auth.Actor, id int64, on date.Date) (*Unit, error) {
	u, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := checkOn("effective_on", on, u.ValidFrom, s.today()); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) writable(ctx context.Context, actor *auth.Actor, id int64) (*Unit, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.WriteUnits) || u.DissolvedOn != (date.Date{}) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	return u, nil
}

// Stats counts the subtree of a unit today or as of a past day.
func (s *Service) Stats(ctx context.Context, actor *auth.Actor, id int64, asOf, today date.Date) (*Stats, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.ReadPersonal) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	if err := CheckAsOf(asOf, today); err != nil {
		return nil, err
	}
	current := asOf.IsZero() || !asOf.Before(today)
	if asOf.IsZero() {
		asOf = today
	}
	path := u.Path
	exists := true
	if !current {
		old, err := s.Store.AsOf(ctx, id, asOf)
		switch {
		case apperr.Is(err, apperr.NotFound):
			exists = false
		case err != nil:
			return nil, err
		default:
			path = old.Path
		}
	}
	if !exists {
		st := emptyStats()
		st.UnitID, st.AsOf = id, asOf
		return st, nil
	}
	st, err := s.Store.Stats(ctx, path, asOf, current)
	if err != nil {
		return nil, err
	}
	st.UnitID, st.AsOf, st.Exists = id, asOf, true
	return st, nil
}

func emptyStats() *Stats {
	st := &Stats{}
	st.Units.ByKind = map[string]int{}
	st.Units.ByCellType = map[string]int{}
	st.Members.ByStatus = map[string]int{}
	st.Members.ByGender = map[string]int{}
	st.Members.ByAgeBand = map[string]int{}
	return st
}

// NewStats returns Stats with every map allocated (for stores).
func NewStats() *Stats { return emptyStats() }

// SplitPart is one new unit made from part of an existing one.
type SplitPart struct {
	Name     string   `json:"name"`
	Code     string   `json:"code"`
	Kind     Kind     `json:"kind"`
	CellType CellType `json:"cell_type"`
	Children []int64  `json:"children"`
	Members  []int64  `json:"members"`
}

// SplitInput splits a unit into new sibling units from day EffectiveOn.
type SplitInput struct {
	Parts       []SplitPart `json:"parts"`
	EffectiveOn date.Date   `json:"effective_on"`
}

// Split makes new units beside a unit and moves the listed child units and
// members into them. A unit left with nothing is dissolved.
func (s *Service) Split(ctx context.Context, actor *auth.Actor, id int64, in SplitInput) ([]Unit, error) {
	u, parts, err := s.planSplit(ctx, actor, id, in)
	if err != nil {
		return nil, err
	}
	err = s.Store.Split(ctx, id, parts, in, auth.AuditEntry{Actor: actor, Action: "unit.split", ObjectType: "unit", ObjectID: id, UnitPath: u.Path, After: in})
	return parts, err
}

// planSplit checks a split and makes its new units, unsaved (Split and
// PreviewSplit).
func (s *Service) planSplit(ctx context.Context, actor *auth.Actor, id int64, in SplitInput) (*Unit, []Unit, error) {
	u, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if u.ParentID == nil {
		return nil, nil, apperr.Keyed(apperr.Conflict, "org.root_unit_cannot_split", "a root unit cannot be split")
	}
	// The parts are made beside u, under its parent: as for Create, the
	// actor must be allowed to restructure there, not only in u (an office
	// whose role is on the district must not split the district itself).
	parent, err := s.Store.Unit(ctx, *u.ParentID)
	if err != nil {
		return nil, nil, err
	}
	if !actor.Can(parent.Path, auth.WriteUnits) {
		return nil, nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
	}
	if err := checkOn("effective_on", in.EffectiveOn, u.ValidFrom, s.today()); err != nil {
		return nil, nil, err
	}
	if len(in.Parts) == 0 {
		return nil, nil, apperr.Keyed(apperr.Invalid, "org.nothing_split", "nothing to split").With(apperr.FieldKeyed("parts", "common.required", "required"))
	}
	parts := make([]Unit, len(in.Parts))
	var errs []apperr.FieldError
	for i, p := range in.Parts {
		kind := p.Kind
		if kind == "" {
			kind = u.Kind
		}
		cellType := p.CellType
		if cellType == "" && kind == KindCell {
			cellType = u.CellType
		}
		parts[i] = Unit{ParentID: u.ParentID, Kind: kind, CellType: cellType, Name: viet.Clean(p.Name), Code: strings.ToUpper(strings.TrimSpace(p.Code)), ValidFrom: in.EffectiveOn}
		for _, e := range validateUnit(&parts[i]) {
			e.Field = fmt.Sprintf("parts[%d].%s", i, e.Field)
			errs = append(errs, e)
		}
		if kindValid(kind) && !MayHold(parent.Kind, kind) {
			errs = append(errs, holdError(fmt.Sprintf("parts[%d].kind", i), parent.Kind, kind))
		}
		if len(p.Members) > 0 && kind != KindCell {
			errs = append(errs, apperr.FieldKeyed(fmt.Sprintf("parts[%d].members", i), "org.only_cells_hold_members_2", "only cells hold members"))
		}
		for _, c := range p.Children {
			if k, err := s.Store.Unit(ctx, c); err == nil && k.ParentID != nil && *k.ParentID == u.ID && !MayHold(kind, k.Kind) {
				errs = append(errs, holdError(fmt.Sprintf("parts[%d].children", i), kind, k.Kind))
				break
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, apperr.Keyed(apperr.Invalid, "org.new_units_not_valid", "the new units are not valid").With(errs...)
	}
	return u, parts, nil
}
