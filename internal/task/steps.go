package task

import (
	"context"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Steps: Service.Step checks the step against the state machine
// (machine.go), hands it to the action's function from the same table, then
// raises the flags the step shows and records it. Each action's function
// changes the task (r.t), the step (r.st) and the record (r.rec) and
// nothing else; the state after the step is the machine's.

// StepInput is a step as the API receives it.
type StepInput struct {
	Action     Action    `json:"action"`
	ToUnitID   *int64    `json:"to_unit_id"`
	ToMemberID *int64    `json:"to_member_id"`
	Note       string    `json:"note"`
	Percent    *int      `json:"percent"`
	NewDueOn   date.Date `json:"new_due_on"`
	// Version is the task's version last read (0: the current one).
	Version int `json:"version"`
}

// stepRun is one step being recorded: what every action reads (the task as
// it was, the steps so far and the holding the step acts on, the actor's
// capacity, the clock, the calendar and the rules) and what it changes
// (the task t, the step st and the record rec).
type stepRun struct {
	s       *Service
	ctx     context.Context
	actor   *auth.Actor
	in      StepInput
	c       Capacity
	next    State // the state after the step (the machine's answer)
	before  Task  // the task as loaded
	t       *Task // the task as it will be after the step
	steps   []Step
	holding *Step // the step that began the current holding
	cal     *viet.Calendar
	rules   Rules
	now     time.Time
	today   date.Date
	note    string
	st      *Step
	rec     *StepRecord
	// named: the forward names the member who will hold the task.
	named bool
	// ho is the hand-over the step makes, to announce (notices.go).
	ho *handover
}

// Step records a step on a task: only its holder or an officer above the
// holder may act (others who can see the task get 409 with the reason,
// those who cannot see it 404), and only along the state machine.
func (s *Service) Step(ctx context.Context, actor *auth.Actor, id int64, in StepInput) (*Detail, error) {
	r, err := s.beginStep(ctx, actor, id, in)
	if err != nil {
		return nil, err
	}
	if err := transitions[in.Action].apply(r); err != nil {
		return nil, err
	}
	r.t.State = r.next
	r.t.UpdatedAt = r.now
	acting := r.c&AsHolder != 0 && r.st.Capacity == "holder"
	r.rec.Answer = acting
	r.rec.Flags = r.flags(acting)
	err = s.Store.RecordStep(ctx, r.rec, auth.AuditEntry{Actor: actor, Action: "task." + string(in.Action), ObjectType: "task", ObjectID: id,
		UnitPath: r.before.HolderPath, After: r.st})
	if err != nil {
		return nil, err
	}
	if r.ho != nil {
		r.ho.stepID = r.st.ID
		s.notifyHandovers(ctx, actor, []handover{*r.ho})
	}
	return s.Get(ctx, actor, id)
}

// beginStep loads the task, checks the step against the state machine and
// the note, and drafts the step: by default it leaves the task where it is
// and is recorded in the actor's capacity.
func (s *Service) beginStep(ctx context.Context, actor *auth.Actor, id int64, in StepInput) (*stepRun, error) {
	t, steps, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if t.Kind == KindGroup {
		return nil, apperr.Keyed(apperr.Conflict, "task.task_split_into_sub", "this task is split into sub-tasks and follows them: act on the sub-tasks")
	}
	r := &stepRun{s: s, ctx: ctx, actor: actor, in: in, c: CapacityOf(actor, t), before: *t, t: t, steps: steps}
	if r.next, err = Next(t.State, in.Action, r.c, t.ResumeState); err != nil {
		return nil, err
	}
	if r.cal, err = s.calendar(ctx); err != nil {
		return nil, err
	}
	if r.rules, err = s.rules(ctx); err != nil {
		return nil, err
	}
	r.now = s.now().UTC()
	r.today = date.Today(r.now)
	for i := range steps {
		if steps[i].ID == t.HolderStepID {
			r.holding = &steps[i]
		}
	}
	if r.holding == nil {
		return nil, fmt.Errorf("task %d: the step %d that began its holding is missing", id, t.HolderStepID)
	}
	r.note = viet.Clean(in.Note)
	if errs := checkLine("note", r.note); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "common.note_not_valid", "the note is not valid").With(errs...)
	}
	if len([]rune(r.note)) > 5000 {
		return nil, apperr.Keyed(apperr.Invalid, "common.note_too_long", "the note is too long").With(apperr.FieldKeyed("note", "task.most_5_000_characters", "at most 5,000 characters"))
	}
	var accountID, actorMember *int64
	if actor.AccountID != 0 {
		accountID = &actor.AccountID
	}
	if actor.MemberID != 0 {
		actorMember = &actor.MemberID
	}
	r.st = &Step{TaskID: id, Action: in.Action, Capacity: r.c.String(), AccountID: accountID, Username: actor.Username, ActorMemberID: actorMember,
		At: r.now, On: r.today, FromUnitID: ptr(t.HolderUnitID), FromMemberID: t.HolderMemberID, ToUnitID: ptr(t.HolderUnitID), ToMemberID: t.HolderMemberID,
		Note: r.note}
	r.rec = &StepRecord{Task: t, Version: in.Version, Step: r.st, HoldingStepID: t.HolderStepID, Now: r.now}
	if r.rec.Version == 0 {
		r.rec.Version = t.Version
	}
	return r, nil
}

// needNote refuses a step without a note, saying why one is needed.
func (r *stepRun) needNote(why apperr.FieldError) error {
	if r.note == "" {
		return apperr.Keyed(apperr.Invalid, "task.note_required", "a note is required").With(why)
	}
	return nil
}

// asSuperior: the actor may act as an officer above the holder (a forward
// or an extension by such an actor is recorded as the superior's).
func (r *stepRun) asSuperior() bool { return r.c&AsSuperior != 0 }

// handover gives the task to a new holder: a new holding begins, with its
// own due date and acceptance deadline.
func (r *stepRun) handover(to *UnitRef, member *int64, dir Direction, due date.Date) {
	st, t := r.st, r.t
	st.ToUnitID, st.ToMemberID, st.Direction = ptr(to.ID), member, dir
	st.DueOn = due
	st.AcceptDueOn = AcceptDue(r.cal, r.today, r.rules[RuleNoResponse].Threshold)
	t.HolderUnitID, t.HolderMemberID, t.HolderSince, t.HolderDueOn, t.AcceptDueOn = to.ID, member, r.now, due, st.AcceptDueOn
	r.rec.Handover = true
	r.ho = &handover{task: t, action: r.in.Action, unitID: to.ID, memberID: member}
	if r.named {
		r.ho.unitID = 0 // the member named holds it: the unit's officers are not told
	}
}

// headOf is the head of a unit, nil when it has none.
func (r *stepRun) headOf(unitID int64) (*int64, error) {
	heads, err := r.s.Store.UnitHeads(r.ctx, []int64{unitID})
	if err != nil {
		return nil, err
	}
	if m, ok := heads[unitID]; ok {
		return &m, nil
	}
	return nil, nil
}

// accept: the holder takes the task on; its acceptance deadline is met.
func (r *stepRun) accept() error {
	r.st.DueOn = r.t.HolderDueOn
	r.t.AcceptDueOn = date.Date{}
	return nil
}

// report: the holder says what was done (a note, a percent, or both).
func (r *stepRun) report() error {
	p := r.in.Percent
	if p == nil && r.note == "" {
		return apperr.Keyed(apperr.Invalid, "task.report_needs_note_percent", "a report needs a note or a percent").With(apperr.FieldKeyed("note", "task.say_what_was_done", "say what was done"))
	}
	if p != nil {
		if *p < 0 || *p > 100 {
			return apperr.Keyed(apperr.Invalid, "task.percent_out_range", "the percent is out of range").With(apperr.FieldKeyed("percent", "task.must_0_100", "must be 0 to 100"))
		}
		r.st.Percent = p
		r.t.Percent = *p
	}
	return nil
}

// forward hands the task to a unit (its head holds it) or a member within
// reach (target), down or sideways, optionally with an earlier deadline
// for the new holder.
func (r *stepRun) forward() error {
	t, in := r.t, r.in
	holderUnit := &UnitRef{ID: t.HolderUnitID, Path: t.HolderPath, Name: t.HolderUnitName}
	to, member, err := r.s.target(r.ctx, r.actor, t, r.c, in)
	if err != nil {
		return err
	}
	dir, err := DirectionOf(holderUnit, to, member != nil && to.ID == t.HolderUnitID)
	if err != nil {
		return err
	}
	r.named = member != nil
	if member == nil {
		if member, err = r.headOf(to.ID); err != nil {
			return err
		}
	}
	if member != nil && t.HolderMemberID != nil && *member == *t.HolderMemberID && to.ID == t.HolderUnitID {
		return apperr.Keyed(apperr.Invalid, "task.task_already_holder", "the task is already with that holder").With(apperr.FieldKeyed("to_member_id", "task.name_another_holder", "name another holder"))
	}
	due := t.DueOn
	if !in.NewDueOn.IsZero() {
		if in.NewDueOn.Before(r.today) || in.NewDueOn.After(t.DueOn) {
			return apperr.Keyed(apperr.Invalid, "task.step_deadline_out_range", "the step's deadline is out of range").With(apperr.FieldKeyed("new_due_on", "task.must_today_task_due", "must be from today to the task's due date %s", t.DueOn))
		}
		due, r.st.NewDueOn = in.NewDueOn, in.NewDueOn
	}
	if r.asSuperior() {
		r.st.Capacity = "superior"
	}
	r.handover(to, member, dir, due)
	return nil
}

// giveBack (the action return) sends the task back to whoever handed it
// to the holder, with the task's own due date.
func (r *stepRun) giveBack() error {
	if err := r.needNote(apperr.FieldKeyed("note", "task.note_why_return", "say why the task is returned")); err != nil {
		return err
	}
	t, h := r.t, r.holding
	if h.FromUnitID == nil || (*h.FromUnitID == t.HolderUnitID && sameMember(h.FromMemberID, t.HolderMemberID)) {
		return apperr.Keyed(apperr.Conflict, "task.nobody_sent_task_holder", "nobody sent this task to its holder: there is no one to return it to")
	}
	to, err := r.s.Store.Unit(r.ctx, *h.FromUnitID)
	if err != nil {
		return err
	}
	if to.Dissolved {
		return apperr.Keyed(apperr.Conflict, "task.sender_no_longer_exists", "the sender %s no longer exists: ask an officer above to forward the task", to.Name)
	}
	r.handover(to, h.FromMemberID, DirBack, t.DueOn)
	return nil
}

// escalate sends the task up to the unit above the holder (its head holds
// it), with the task's own due date.
func (r *stepRun) escalate() error {
	if err := r.needNote(apperr.FieldKeyed("note", "task.note_why_escalate", "say what the unit above must decide")); err != nil {
		return err
	}
	if r.t.HolderParentID == nil {
		return apperr.Keyed(apperr.Conflict, "task.holder_unit_no_unit", "the holder's unit has no unit above it to escalate to")
	}
	to, err := r.s.Store.Unit(r.ctx, *r.t.HolderParentID)
	if err != nil {
		return err
	}
	member, err := r.headOf(to.ID)
	if err != nil {
		return err
	}
	r.handover(to, member, DirUp, r.t.DueOn)
	return nil
}

// complete closes the task at 100 %, in the name of its holder, counting
// the working days late; the holding ends.
func (r *stepRun) complete() error {
	t := r.t
	late := DaysLate(r.cal, t.DueOn, r.today)
	t.DoneOn, t.DaysLate, t.Percent = r.today, &late, 100
	t.DoneUnitID, t.DoneMemberID = ptr(t.HolderUnitID), t.HolderMemberID
	t.AcceptDueOn = date.Date{}
	r.st.Percent = ptr(100)
	r.rec.EndsHolding = true
	return nil
}

// extend moves the due date later: granted at once by an officer above
// (the holder's own deadline follows when it was the task's), asked for
// with a reason by the holder (the date does not move).
func (r *stepRun) extend() error {
	t, to := r.t, r.in.NewDueOn
	if to.IsZero() {
		return apperr.Keyed(apperr.Invalid, "task.new_due_date_required", "the new due date is required").With(apperr.FieldKeyed("new_due_on", "common.required", "required"))
	}
	if !to.After(t.DueOn) {
		return apperr.Keyed(apperr.Invalid, "task.extension_moves_due_date", "an extension moves the due date later").With(apperr.FieldKeyed("new_due_on", "task.must_after_current_due", "must be after the current due date %s", t.DueOn))
	}
	if e := checkDue("new_due_on", to, r.today); e != nil {
		return apperr.Keyed(apperr.Invalid, "task.new_due_date_out", "the new due date is out of range").With(*e)
	}
	r.st.NewDueOn, r.st.DueOn = to, to
	if !r.asSuperior() {
		return r.needNote(apperr.FieldKeyed("note", "task.note_why_extend", "say why more time is needed"))
	}
	r.st.Capacity = "superior"
	if t.HolderDueOn == t.DueOn {
		t.HolderDueOn = to
	}
	t.DueOn = to
	return nil
}

// suspend stops the clock, remembering the state to resume to.
func (r *stepRun) suspend() error {
	if err := r.needNote(apperr.FieldKeyed("note", "task.note_why_suspend", "say why the task is suspended")); err != nil {
		return err
	}
	r.st.Capacity = "superior"
	r.t.SuspendedOn, r.t.ResumeState = r.today, r.t.State
	return nil
}

// resume restarts the clock: every deadline moves on by the working days
// the task stood still.
func (r *stepRun) resume() error {
	t, cal := r.t, r.cal
	r.st.Capacity = "superior"
	n := SuspendedWorkdays(cal, t.SuspendedOn, r.today)
	t.DueOn = Shift(cal, t.DueOn, n)
	t.HolderDueOn = Shift(cal, t.HolderDueOn, n)
	if r.next == StateAssigned {
		t.AcceptDueOn = Shift(cal, t.AcceptDueOn, n)
	}
	r.st.NewDueOn, r.st.DueOn = t.DueOn, t.DueOn
	t.SuspendedOn, t.ResumeState = date.Date{}, ""
	return nil
}

// flags returns the flags the step raises under the rules (Detect), each
// naming the holder before the step. acting: the holder acts as itself.
func (r *stepRun) flags(acting bool) []FlagDraft {
	b := &r.before
	ev := Event{Action: r.in.Action, Direction: r.st.Direction, HolderKind: b.HolderKind, FromAbove: below(b.HolderPath, b.IssuerPath),
		Today: r.today, State: b.State, DueOn: b.DueOn, HolderDueOn: b.HolderDueOn,
		AcceptDueOn: r.holding.AcceptDueOn, FirstAnswer: acting && r.holding.AnsweredOn.IsZero(), Capacity: AsSuperior}
	if acting {
		ev.Capacity = AsHolder
	}
	for _, p := range r.steps {
		ev.countPrior(p)
	}
	var out []FlagDraft
	for _, d := range Detect(r.rules, r.cal, ev) {
		f := FlagDraft{Rule: d.Rule, UnitID: ptr(b.HolderUnitID), MemberID: b.HolderMemberID, Detail: d.Detail}
		if d.OnHolding {
			f.StepID = b.HolderStepID
		}
		out = append(out, f)
	}
	return out
}
