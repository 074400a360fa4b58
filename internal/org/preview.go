package org

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Period is one stretch of a unit's dated history: where it stood in the
// tree, under which name and kind, from From until To (zero: still so).
type Period struct {
	ParentID   *int64    `json:"parent_id"`
	ParentName string    `json:"parent_name"`
	Path       string    `json:"path"`
	Name       string    `json:"name"`
	Kind       Kind      `json:"kind"`
	From       date.Date `json:"valid_from"`
	To         date.Date `json:"valid_to"`
}

// History returns the dated periods of a unit within reach, oldest first;
// a parent out of the actor's reach is not named.
func (s *Service) History(ctx context.Context, actor *auth.Actor, id int64) ([]Period, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	periods, err := s.Store.History(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	// The parent is named only if the actor may see it.
	own := strconv.FormatInt(u.ID, 10) + "/"
	for i := range periods {
		parent := &Unit{Path: strings.TrimSuffix(periods[i].Path, own)}
		if periods[i].ParentID == nil || !s.visible(actor, parent) {
			periods[i].ParentName = ""
		}
	}
	return periods, nil
}

// PreviewList is how many units and members a preview lists by name; past
// it, a preview only counts them.
const PreviewList = 20

// Preview is what a restructuring would do, shown before it is confirmed.
// Counting and listing only: nothing is written.
type Preview struct {
	Unit *Unit
	// Target is the new parent (move) or the unit merged into (merge).
	Target *Unit
	On     date.Date
	// Units and Members count what moves: for a move the unit and every
	// unit below it, for a merge or a dissolution the units below it;
	// members of the cells among them (probationary, full, exempt).
	Units, Members int
	// UnitList and MemberList name them when there are at most
	// PreviewList of each; nil when there are more.
	UnitList   []Unit
	MemberList []string
	// NewPath names the units from the top of the actor's reach to where
	// the unit (move) or its contents (merge) will be.
	NewPath []string
	// Dissolved: the unit ends (merge, dissolution, a split that leaves it empty).
	Dissolved bool
}

// PreviewMove checks a move as Move does and says what would move.
func (s *Service) PreviewMove(ctx context.Context, actor *auth.Actor, id, parentID int64, on date.Date) (*Preview, error) {
	u, p, err := s.planMove(ctx, actor, id, parentID, on)
	if err != nil {
		return nil, err
	}
	pv := &Preview{Unit: u, Target: p, On: on}
	if err := s.fill(ctx, pv, u, true); err != nil {
		return nil, err
	}
	pv.NewPath = append(s.pathNames(ctx, actor, p.Path), u.Name)
	return pv, nil
}

// PreviewMerge checks a merge of one unit into another as Merge does and
// says what would move.
func (s *Service) PreviewMerge(ctx context.Context, actor *auth.Actor, id, into int64, on date.Date) (*Preview, error) {
	target, err := s.planMerge(ctx, actor, []int64{id}, into, on)
	if err != nil {
		return nil, err
	}
	u, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	pv := &Preview{Unit: u, Target: target, On: on, Dissolved: true}
	if err := s.fill(ctx, pv, u, false); err != nil {
		return nil, err
	}
	pv.NewPath = s.pathNames(ctx, actor, target.Path)
	return pv, nil
}

// PreviewDissolve checks a dissolution: only a unit with no units and no
// members in it can be dissolved (merge or move them first).
func (s *Service) PreviewDissolve(ctx context.Context, actor *auth.Actor, id int64, on date.Date) (*Preview, error) {
	u, err := s.planDissolve(ctx, actor, id, on)
	if err != nil {
		return nil, err
	}
	pv := &Preview{Unit: u, On: on, Dissolved: true}
	if err := s.fill(ctx, pv, u, false); err != nil {
		return nil, err
	}
	if pv.Units > 0 || pv.Members > 0 {
		return nil, apperr.Keyed(apperr.Conflict, "org.unit_still_units_members", "the unit still has %d units and %d members: move or merge them first", pv.Units, pv.Members)
	}
	return pv, nil
}

// SplitPreview is what a split would make: the new units and what each takes.
type SplitPreview struct {
	Unit  *Unit
	On    date.Date
	Parts []PartPreview
	// Dissolved: nothing is left in the unit, so it ends.
	Dissolved bool
}

// PartPreview is one new unit of a split.
type PartPreview struct {
	Unit Unit
	// Units are the units moved into it (with everything below them);
	// Members counts the members it takes, in those units and moved alone.
	Units   []Unit
	Members int
}

// PreviewSplit checks a split as Split does and says what each new unit takes.
func (s *Service) PreviewSplit(ctx context.Context, actor *auth.Actor, id int64, in SplitInput) (*SplitPreview, error) {
	u, parts, err := s.planSplit(ctx, actor, id, in)
	if err != nil {
		return nil, err
	}
	kids, err := s.Store.Children(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Unit{}
	for _, k := range kids {
		byID[k.ID] = k
	}
	pv := &SplitPreview{Unit: u, On: in.EffectiveOn}
	movedUnits, movedMembers := 0, 0
	for i, p := range in.Parts {
		pp := PartPreview{Unit: parts[i], Members: len(p.Members)}
		for _, c := range p.Children {
			k, ok := byID[c]
			if !ok {
				return nil, apperr.Keyed(apperr.Invalid, "org.not_unit_split_unit", "not a unit of the split unit").With(apperr.FieldKeyed("parts["+strconv.Itoa(i)+"].children", "org.split_child_not_below", "unit %d is not directly under the unit being split", c))
			}
			st, err := s.Store.Stats(ctx, k.Path, s.today(), true)
			if err != nil {
				return nil, err
			}
			pp.Units = append(pp.Units, k)
			pp.Members += st.Members.Total
			movedUnits++
		}
		movedMembers += len(p.Members)
		pv.Parts = append(pv.Parts, pp)
	}
	st, err := s.Store.Stats(ctx, u.Path, s.today(), true)
	if err != nil {
		return nil, err
	}
	direct := st.Members.Total
	for _, k := range kids {
		kst, err := s.Store.Stats(ctx, k.Path, s.today(), true)
		if err != nil {
			return nil, err
		}
		direct -= kst.Members.Total
	}
	pv.Dissolved = movedUnits == len(kids) && movedMembers >= direct
	return pv, nil
}

// fill counts and lists what is in u: with u itself (a move) or only
// what is below it (a merge, a dissolution).
func (s *Service) fill(ctx context.Context, pv *Preview, u *Unit, withSelf bool) error {
	st, err := s.Store.Stats(ctx, u.Path, s.today(), true)
	if err != nil {
		return err
	}
	pv.Units, pv.Members = st.Units.Total, st.Members.Total
	if !withSelf {
		pv.Units--
	}
	if pv.Units <= PreviewList {
		units, err := s.Store.Subtree(ctx, u.Path, PreviewList+1)
		if err != nil {
			return err
		}
		for _, x := range units {
			if withSelf || x.ID != u.ID {
				pv.UnitList = append(pv.UnitList, x)
			}
		}
	}
	if pv.Members > 0 && pv.Members <= PreviewList {
		if pv.MemberList, err = s.Store.MemberNames(ctx, u.Path, PreviewList); err != nil {
			return err
		}
	}
	return nil
}

// pathNames names the units on a path that the actor may see, top first.
func (s *Service) pathNames(ctx context.Context, actor *auth.Actor, path string) []string {
	var out []string
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		id, ok := parseID(seg)
		if !ok {
			continue
		}
		if u, err := s.Store.Unit(ctx, id); err == nil && s.visible(actor, u) {
			out = append(out, u.Name)
		}
	}
	return out
}

// Target is a unit offered as the place of a restructuring, with its
// place in the tree to tell apart units of the same name.
type Target struct {
	Unit
	// Label is the names from the top of the actor's reach down to the
	// unit, joined by " › ".
	Label string
}

// MaxTargets bounds the units read to offer as targets.
const MaxTargets = 5000

// MoveTargets are the units in the actor's reach that unit id may be moved
// under: units that may hold its kind, not below it, not its parent now.
func (s *Service) MoveTargets(ctx context.Context, actor *auth.Actor, id int64) ([]Target, error) {
	u, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.targets(ctx, actor, func(t *Unit) bool {
		return !strings.HasPrefix(t.Path, u.Path) && MayHold(t.Kind, u.Kind) && (u.ParentID == nil || *u.ParentID != t.ID)
	})
}

// MergeTargets are the units in the actor's reach that unit id may be
// merged into: not it nor below it, able to hold its units (and, if it
// holds members, a cell).
func (s *Service) MergeTargets(ctx context.Context, actor *auth.Actor, id int64) ([]Target, error) {
	u, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	kids, err := s.Store.Children(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	n, err := s.Store.MemberCount(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return s.targets(ctx, actor, func(t *Unit) bool {
		if strings.HasPrefix(t.Path, u.Path) || (n > 0 && t.Kind != KindCell) {
			return false
		}
		for _, k := range kids {
			if !MayHold(t.Kind, k.Kind) {
				return false
			}
		}
		return true
	})
}

// targets lists the live units the actor may restructure that keep says
// yes to, in Vietnamese order of their labels.
func (s *Service) targets(ctx context.Context, actor *auth.Actor, keep func(*Unit) bool) ([]Target, error) {
	var all []Unit
	for _, p := range actor.Paths(auth.WriteUnits) {
		units, err := s.Store.Subtree(ctx, p, MaxTargets)
		if err != nil {
			return nil, err
		}
		all = append(all, units...)
	}
	names := make(map[string]string, len(all))
	for _, u := range all {
		names[strconv.FormatInt(u.ID, 10)] = u.Name
	}
	// Sorted by a key per label (viet.TextKey: Compare's order, ties by
	// the labels' bytes as Compare breaks them) rather than a collation of
	// two labels per comparison: the forms list every unit of the actor's
	// subtree, and comparing cost most of a form's CPU (the permission
	// matrix's profile, docs/benchmarks.md r18-clitests).
	type keyed struct {
		key []byte
		t   Target
	}
	var sorted []keyed
	for i := range all {
		u := &all[i]
		if !keep(u) {
			continue
		}
		var label []string
		for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			if n, ok := names[seg]; ok {
				label = append(label, n)
			}
		}
		t := Target{Unit: *u, Label: strings.Join(label, " › ")}
		sorted = append(sorted, keyed{viet.TextKey(t.Label), t})
	}
	slices.SortStableFunc(sorted, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	var out []Target
	for _, k := range sorted {
		out = append(out, k.t)
	}
	return out, nil
}

// ChildKinds are the kinds of unit that a unit of kind k may hold, top first.
func ChildKinds(k Kind) []Kind {
	var out []Kind
	for _, c := range Kinds {
		if MayHold(k, c) {
			out = append(out, c)
		}
	}
	return out
}

// sortUnits orders units as lists show them: by depth and kind, then by
// name in Vietnamese alphabetical order (Đ after D), as member lists are.
func sortUnits(units []Unit) {
	slices.SortStableFunc(units, func(a, b Unit) int {
		if a.Depth != b.Depth {
			return a.Depth - b.Depth
		}
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return viet.Compare(a.Name, b.Name)
	})
}

// Writable returns a live unit that the actor may restructure; any other
// is "not found", as for units out of reach.
func (s *Service) Writable(ctx context.Context, actor *auth.Actor, id int64) (*Unit, error) {
	return s.writable(ctx, actor, id)
}

// MayRestructure reports whether the actor may create units below u,
// edit, move, merge and dissolve it (u live, a role that writes units).
func MayRestructure(actor *auth.Actor, u *Unit) bool {
	return u.DissolvedOn.IsZero() && actor.Can(u.Path, auth.WriteUnits)
}

// MaySplit reports whether the actor may split u: the new units are made
// beside it, so the actor must also write units on its parent.
func MaySplit(actor *auth.Actor, u *Unit) bool {
	if u.ParentID == nil || !MayRestructure(actor, u) {
		return false
	}
	parent := strings.TrimSuffix(u.Path, strconv.FormatInt(u.ID, 10)+"/")
	return actor.Can(parent, auth.WriteUnits)
}
