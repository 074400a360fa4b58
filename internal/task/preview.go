package task

import (
	"context"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/viet"
)

// What the task page tells before a step is taken: where each hand-over
// leads, by name, and which detection rules (Directive 24-CT/TU) the step
// will raise a flag under. Service.Step remains the judge; these answers
// follow the same rules so that the page never surprises.

// StepPreview is what the steps the reader may take now would do.
type StepPreview struct {
	// ReturnTo and ReturnMember name who a return hands the task back to
	// (empty: nobody sent it to its holder).
	ReturnTo, ReturnMember string
	// EscalateTo and EscalateMember name the unit above the holder, and its
	// head, that an escalation hands the task to.
	EscalateTo, EscalateMember string
	// Flags lists, by action, the rules the step would raise a flag under
	// (for a forward: the flags of a forward down; ForwardSideways those
	// of a forward to a unit that is not below the holder).
	Flags           map[Action][]Rule
	ForwardSideways []Rule
}

// Target is a unit a forward may name, as the task page offers it.
type Target struct {
	UnitID    int64
	Name      string
	Kind      string
	Direction Direction
	// Flags are the rules forwarding there would raise a flag under.
	Flags []Rule
}

// UnitFinder finds units by name; the store implements it. Without it, a
// search for forward targets looks among the units below the holder only.
type UnitFinder interface {
	// UnitsNamed returns the live units of the subtree at under whose
	// folded name contains folded, at most limit.
	UnitsNamed(ctx context.Context, under, folded string, limit int) ([]UnitRef, error)
}

// MaxTargets bounds the forward targets offered at once.
const MaxTargets = 30

// liveRules are the rules a step raises by what it does (the time-based
// rules overdue and step_overdue are raised whatever the step).
func liveRule(code string) bool { return code != RuleOverdue && code != RuleStepOverdue }

// previewer computes the flags of a step not yet taken, as Step would.
type previewer struct {
	rules   Rules
	ev      Event
	c       Capacity
	acting0 bool // the actor holds the task (before the per-action rules)
	first   bool // the holding has not been answered yet
}

func (p *previewer) flags(a Action, dir Direction, cal *viet.Calendar) []Rule {
	ev := p.ev
	ev.Action, ev.Direction = a, dir
	// Step records a forward or an extension by an officer above, and
	// every suspension and resumption, as the superior's.
	acting := p.acting0
	if (a == ActForward || a == ActExtend) && p.c&AsSuperior != 0 || a == ActSuspend || a == ActResume {
		acting = false
	}
	ev.Capacity, ev.FirstAnswer = AsSuperior, false
	if acting {
		ev.Capacity, ev.FirstAnswer = AsHolder, p.first
	}
	var out []Rule
	for _, d := range Detect(p.rules, cal, ev) {
		if liveRule(d.Rule) {
			out = append(out, p.rules[d.Rule])
		}
	}
	return out
}

// previewOf prepares the flag computations for the task's current holding.
func (s *Service) previewOf(ctx context.Context, actor *auth.Actor, t *Task, steps []Step) (*previewer, *viet.Calendar, error) {
	cal, rules, err := s.calendarAndRules(ctx)
	if err != nil {
		return nil, nil, err
	}
	p := &previewer{rules: rules, c: CapacityOf(actor, t)}
	p.acting0 = p.c&AsHolder != 0
	ev := Event{HolderKind: t.HolderKind, FromAbove: below(t.HolderPath, t.IssuerPath), Today: s.today(), State: t.State,
		DueOn: t.DueOn, HolderDueOn: t.HolderDueOn}
	for _, st := range steps {
		if st.ID == t.HolderStepID {
			ev.AcceptDueOn = st.AcceptDueOn
			p.first = st.AnsweredOn.IsZero()
		}
		ev.countPrior(st)
	}
	p.ev = ev
	return p, cal, nil
}

// Preview tells, for the steps the actor may take now on a task, whom the
// hand-overs lead to and which flags they raise.
func (s *Service) Preview(ctx context.Context, actor *auth.Actor, id int64) (*StepPreview, error) {
	t, steps, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out := &StepPreview{Flags: map[Action][]Rule{}}
	if t.Kind == KindGroup {
		return out, nil
	}
	p, cal, err := s.previewOf(ctx, actor, t, steps)
	if err != nil {
		return nil, err
	}
	can := Allowed(t.State, p.c)
	for _, a := range can {
		dir := Direction("")
		switch a {
		case ActForward:
			dir = DirDown
			out.ForwardSideways = p.flags(a, DirSideways, cal)
		case ActReturn:
			dir = DirBack
		case ActEscalate:
			dir = DirUp
		}
		out.Flags[a] = p.flags(a, dir, cal)
	}
	if slices.Contains(can, ActReturn) {
		for _, st := range steps {
			if st.ID == t.HolderStepID && st.FromUnitID != nil {
				out.ReturnTo, out.ReturnMember = st.FromUnitName, st.FromMemberName
			}
		}
	}
	if slices.Contains(can, ActEscalate) && t.HolderParentID != nil {
		up, err := s.Store.Unit(ctx, *t.HolderParentID)
		if err != nil {
			return nil, err
		}
		out.EscalateTo = up.Name
		if h, err := s.Store.UnitHead(ctx, up.ID); err == nil && h != nil {
			out.EscalateMember = h.MemberName
		}
	}
	return out, nil
}

// ForwardTargets lists the units a forward of the task by the actor may
// name: with an empty q, the units directly below the holder; otherwise
// the units within the forward's scope whose name contains q (compared
// folded, without diacritics). Each comes with the direction the forward
// would take and the flags it would raise. Out of scope units are never
// listed, as Step would refuse them.
func (s *Service) ForwardTargets(ctx context.Context, actor *auth.Actor, id int64, q string) ([]Target, error) {
	t, steps, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	c := CapacityOf(actor, t)
	if t.Kind == KindGroup || !slices.Contains(Allowed(t.State, c), ActForward) {
		return []Target{}, nil
	}
	folded := viet.Fold(q)
	var cands []UnitRef
	finder, ok := s.Store.(UnitFinder)
	switch {
	case folded != "" && ok:
		cands, err = finder.UnitsNamed(ctx, t.IssuerPath, folded, 4*MaxTargets)
	default:
		cands, err = s.Store.ChildUnits(ctx, t.HolderUnitID)
		if folded != "" {
			cands = slices.DeleteFunc(cands, func(u UnitRef) bool { return !strings.Contains(viet.Fold(u.Name), folded) })
		}
	}
	if err != nil {
		return nil, err
	}
	inScope, err := s.forwardScope(ctx, actor, t, c)
	if err != nil {
		return nil, err
	}
	p, cal, err := s.previewOf(ctx, actor, t, steps)
	if err != nil {
		return nil, err
	}
	holder := &UnitRef{ID: t.HolderUnitID, Path: t.HolderPath}
	flags := map[Direction][]Rule{}
	out := []Target{}
	for i := range cands {
		u := &cands[i]
		if u.Dissolved || !inScope(u.Path) {
			continue
		}
		dir, err := DirectionOf(holder, u, false)
		if err != nil {
			continue // the holder itself, or a unit above it (an escalation)
		}
		if _, ok := flags[dir]; !ok {
			flags[dir] = p.flags(ActForward, dir, cal)
		}
		out = append(out, Target{UnitID: u.ID, Name: u.Name, Kind: u.Kind, Direction: dir, Flags: flags[dir]})
		if len(out) == MaxTargets {
			break
		}
	}
	return out, nil
}
