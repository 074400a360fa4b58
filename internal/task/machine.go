package task

import (
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Capacity is how an actor stands to a task's current holder. An actor may
// hold both capacities (an admin whose role is on the holder unit itself
// holds the task; on a unit above, it is a superior).
type Capacity uint8

const (
	// AsHolder: the actor holds the task — a committee, cell officer or
	// office role on the holder unit itself, or the holder member's own
	// account.
	AsHolder Capacity = 1 << iota
	// AsSuperior: an officer above the holder — admin, office, standing
	// committee or committee on a unit strictly above the holder unit.
	AsSuperior
)

// String names the capacity a step records: the holder's when the actor
// holds the task, else the superior's.
func (c Capacity) String() string {
	switch {
	case c&AsHolder != 0:
		return "holder"
	case c&AsSuperior != 0:
		return "superior"
	}
	return "none"
}

// transition is one legal move: who may make it from which states, and the
// state it leads to ("" keeps the state; resume goes back to the state the
// task had when suspended).
type transition struct {
	by   Capacity
	from []State
	to   State
}

// move is one action a step may request: the transitions that make it
// legal, and the function that applies its effects to the task and the
// step being recorded (steps.go). Service.Step dispatches through this
// table, so it is the one list of actions, of who may take them and of
// what they do.
type move struct {
	legal []transition
	apply func(*stepRun) error
}

var (
	running = []State{StateAssigned, StateInProgress}
	// transitions is the state machine of steps.
	transitions = map[Action]move{
		// The holder accepts what it was given.
		ActAccept: {[]transition{{AsHolder, []State{StateAssigned}, StateInProgress}}, (*stepRun).accept},
		// The holder reports progress on accepted work.
		ActReport: {[]transition{{AsHolder, []State{StateInProgress}, ""}}, (*stepRun).report},
		// The holder completes accepted work; an officer above may close
		// it on the holder's behalf at any time.
		ActComplete: {[]transition{{AsHolder, []State{StateInProgress}, StateDone}, {AsSuperior, running, StateDone}}, (*stepRun).complete},
		// Forwarding hands the task on: the new holder must accept it.
		ActForward: {[]transition{{AsHolder | AsSuperior, running, StateAssigned}}, (*stepRun).forward},
		// Returning and escalating are the holder's.
		ActReturn:   {[]transition{{AsHolder, running, StateAssigned}}, (*stepRun).giveBack},
		ActEscalate: {[]transition{{AsHolder, running, StateAssigned}}, (*stepRun).escalate},
		// An extension is a request by the holder, a grant by an officer above.
		ActExtend: {[]transition{{AsHolder | AsSuperior, running, ""}}, (*stepRun).extend},
		// Only an officer above stops and restarts the clock.
		ActSuspend: {[]transition{{AsSuperior, running, StateSuspended}}, (*stepRun).suspend},
		ActResume:  {[]transition{{AsSuperior, []State{StateSuspended}, ""}}, (*stepRun).resume},
	}
)

// Valid reports whether a step may request the action.
func (a Action) Valid() bool { _, ok := transitions[a]; return ok }

// Next checks that an actor in capacity c may take action a on a task in
// state s, and returns the state after it (resume answers StateSuspended's
// remembered state: the caller supplies it). Refusals are 409 Conflict
// with the reason; an unknown action is 422.
func Next(s State, a Action, c Capacity, resumeTo State) (State, error) {
	m, ok := transitions[a]
	if !ok {
		return "", apperr.Keyed(apperr.Invalid, "task.unknown_action", "unknown action").With(apperr.FieldKeyed("action", "task.action_unknown", "must be one of %s", actionList()))
	}
	for _, t := range m.legal {
		if t.by&c != 0 && slices.Contains(t.from, s) {
			switch {
			case a == ActResume:
				if resumeTo == "" || !resumeTo.Running() {
					resumeTo = StateInProgress
				}
				return resumeTo, nil
			case t.to == "":
				return s, nil
			}
			return t.to, nil
		}
	}
	return "", refusal(s, a, c)
}

// refusal explains why a transition is not legal.
func refusal(s State, a Action, c Capacity) error {
	act, state := apperr.Term{Key: "act." + string(a), Text: string(a)}, apperr.Term{Key: "tstate." + string(s), Text: string(s)}
	if s == StateDone {
		return apperr.Keyed(apperr.Conflict, "task.refused_done", "the task is done: it takes no further steps")
	}
	if c == 0 {
		return apperr.Keyed(apperr.Conflict, "task.refused_not_yours", "you neither hold this task nor are an officer above its holder: only they can act on it")
	}
	var allowed Capacity
	for _, t := range transitions[a].legal {
		allowed |= t.by
	}
	if allowed&c == 0 {
		if allowed == AsSuperior {
			return apperr.Keyed(apperr.Conflict, "task.refused_superior_only", "only an officer above the holder can %s a task", act)
		}
		return apperr.Keyed(apperr.Conflict, "task.refused_holder_only", "only the holder of the task can %s it (you are an officer above the holder)", act)
	}
	switch {
	case s == StateSuspended:
		return apperr.Keyed(apperr.Conflict, "task.refused_suspended", "the task is suspended: an officer above the holder must resume it first")
	case a == ActResume:
		return apperr.Keyed(apperr.Conflict, "task.refused_not_suspended", "the task is not suspended")
	case a == ActAccept && s == StateInProgress:
		return apperr.Keyed(apperr.Conflict, "task.refused_accepted", "the task is already accepted")
	case s == StateAssigned && (a == ActReport || a == ActComplete):
		return apperr.Keyed(apperr.Conflict, "task.refused_not_accepted", "the holder has not accepted the task yet: accept it first")
	}
	return apperr.Keyed(apperr.Conflict, "task.refused_state", "a task that is %s cannot take the step %s", state, act)
}

func actionList() string {
	s := make([]string, len(Actions))
	for i, a := range Actions {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// Allowed lists the actions an actor in capacity c may take on a task in
// state s (for the task page's buttons).
func Allowed(s State, c Capacity) []Action {
	var out []Action
	for _, a := range Actions {
		if _, err := Next(s, a, c, ""); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// DirectionOf tells where handing the task from the holder unit to the
// target unit sends it. An error means the target is not a forward: the
// holder's own unit without a member to delegate to, or a unit above.
func DirectionOf(holder, target *UnitRef, sameUnitMember bool) (Direction, error) {
	switch {
	case target.ID == holder.ID:
		if sameUnitMember {
			return DirDown, nil
		}
		return "", apperr.Keyed(apperr.Invalid, "task.task_already_unit", "the task is already with that unit").With(apperr.FieldKeyed("to_unit_id", "task.name_another_unit_member", "name another unit, or a member of the unit"))
	case target.Below(holder):
		return DirDown, nil
	case holder.Below(target):
		return "", apperr.Keyed(apperr.Invalid, "task.sending_work_up_escalation", "sending work up is an escalation").With(apperr.FieldKeyed("to_unit_id", "task.above_holder_use_action", "%s is above the holder: use the action escalate", target.Name))
	}
	return DirSideways, nil
}
