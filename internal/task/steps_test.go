package task

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// stepEffect is what a recorded step did: the task after it, the step and
// the record's consequences. Dates are strings ("" for none) so that a
// diff reads well.
type stepEffect struct {
	State                          State
	Holder                         string // unit/member ("-" for no member)
	Percent                        int
	DueOn, HolderDueOn, AcceptDue  string
	DoneOn                         string
	DaysLate                       string
	SuspendedOn, ResumeState       string
	Capacity                       string
	Direction                      Direction
	StepDueOn, StepNewDue, StepPct string
	Handover, EndsHolding, Answer  bool
	Flags                          string // rule@step, in order ("@0": the step being recorded)
}

func effectOf(r *StepRecord) stepEffect {
	t, st := r.Task, r.Step
	opt := func(p *int) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	ds := func(d date.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	member := "-"
	if t.HolderMemberID != nil {
		member = fmt.Sprint(*t.HolderMemberID)
	}
	var flags []string
	for _, f := range r.Flags {
		flags = append(flags, fmt.Sprintf("%s@%d", f.Rule, f.StepID))
	}
	return stepEffect{State: t.State, Holder: fmt.Sprintf("%d/%s", t.HolderUnitID, member), Percent: t.Percent,
		DueOn: ds(t.DueOn), HolderDueOn: ds(t.HolderDueOn), AcceptDue: ds(t.AcceptDueOn), DoneOn: ds(t.DoneOn), DaysLate: opt(t.DaysLate),
		SuspendedOn: ds(t.SuspendedOn), ResumeState: string(t.ResumeState),
		Capacity: st.Capacity, Direction: st.Direction, StepDueOn: ds(st.DueOn), StepNewDue: ds(st.NewDueOn), StepPct: opt(st.Percent),
		Handover: r.Handover, EndsHolding: r.EndsHolding, Answer: r.Answer, Flags: strings.Join(flags, ",")}
}

// TestStepEffects: for each action, a task in a state held by a unit, the
// step by an actor → the task, the step and the flags recorded. The clock
// is Monday 2 November 2026; the task (id 1, its holding begun by step 10)
// is due on Monday 30 November, and so is its holder.
func TestStepEffects(t *testing.T) {
	const due = "2026-11-30"
	base := stepEffect{State: StateInProgress, Holder: "4/10", DueOn: due, HolderDueOn: due, Capacity: "holder", Answer: true}
	with := func(change func(e *stepEffect)) stepEffect { e := base; change(&e); return e }
	// A commune's committee on A (2) and the district's (1) are above cell A1 (4).
	tests := []struct {
		name           string
		issuer, holder int64
		state          State
		actor          func(f *reachStore) *auth.Actor
		in             StepInput
		prep           func(f *reachStore, tk *Task) // adjusts the task or its steps
		want           stepEffect
	}{
		{name: "accept", issuer: 2, holder: 4, state: StateAssigned, actor: cellOfficerA1, in: StepInput{Action: ActAccept},
			prep: func(f *reachStore, tk *Task) { tk.AcceptDueOn = d("2026-11-04") },
			want: with(func(e *stepEffect) { e.StepDueOn = due })},
		{name: "accept after the acceptance deadline", issuer: 2, holder: 4, state: StateAssigned, actor: cellOfficerA1, in: StepInput{Action: ActAccept},
			prep: func(f *reachStore, tk *Task) {
				tk.AcceptDueOn = d("2026-10-28")
				f.steps[1][0].AcceptDueOn = d("2026-10-28")
			},
			want: with(func(e *stepEffect) { e.StepDueOn = due; e.Flags = "no_response@10" })},
		{name: "report a percent", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActReport, Percent: ptr(40)},
			want: with(func(e *stepEffect) { e.Percent = 40; e.StepPct = "40" })},
		{name: "report a note", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActReport, Note: "đã họp"},
			want: base},
		{name: "complete on time", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActComplete},
			want: with(func(e *stepEffect) {
				e.State, e.Percent, e.DoneOn, e.DaysLate, e.StepPct, e.EndsHolding = StateDone, 100, "2026-11-02", "0", "100", true
			})},
		{name: "complete late", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActComplete},
			prep: func(f *reachStore, tk *Task) { tk.DueOn, tk.HolderDueOn = d("2026-10-28"), d("2026-10-28") },
			want: with(func(e *stepEffect) {
				e.State, e.Percent, e.DoneOn, e.DaysLate, e.StepPct, e.EndsHolding = StateDone, 100, "2026-11-02", "3", "100", true
				e.DueOn, e.HolderDueOn, e.Flags = "2026-10-28", "2026-10-28", "overdue@10"
			})},
		{name: "complete by an officer above, not yet accepted", issuer: 2, holder: 4, state: StateAssigned, actor: committeeA, in: StepInput{Action: ActComplete},
			want: with(func(e *stepEffect) {
				e.State, e.Percent, e.DoneOn, e.DaysLate, e.StepPct, e.EndsHolding = StateDone, 100, "2026-11-02", "0", "100", true
				e.Capacity, e.Answer = "superior", false
			})},
		{name: "forward sideways", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActForward, ToUnitID: ptr[int64](5), Note: "chuyển"},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "5/-", "2026-11-04", DirSideways, due, true
				e.Flags = "pushed_sideways@0"
			})},
		{name: "forward to a member of the unit, with an earlier deadline", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1,
			in: StepInput{Action: ActForward, ToMemberID: ptr[int64](21), NewDueOn: d("2026-11-20")},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.Handover = StateAssigned, "4/21", "2026-11-04", DirDown, true
				e.HolderDueOn, e.StepDueOn, e.StepNewDue = "2026-11-20", "2026-11-20", "2026-11-20"
			})},
		{name: "forward by an officer above", issuer: 2, holder: 4, state: StateAssigned, actor: districtCommittee, in: StepInput{Action: ActForward, ToUnitID: ptr[int64](5)},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "5/-", "2026-11-04", DirSideways, due, true
				e.Capacity, e.Answer = "superior", false
			})},
		{name: "return to the sender", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActReturn, Note: "không thuộc thẩm quyền"},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "2/-", "2026-11-04", DirBack, due, true
			})},
		{name: "return again", issuer: 2, holder: 4, state: StateAssigned, actor: cellOfficerA1, in: StepInput{Action: ActReturn, Note: "vẫn không"},
			prep: func(f *reachStore, tk *Task) {
				f.steps[1] = append([]Step{{ID: 5, TaskID: 1, Action: ActReturn, Capacity: "holder"}}, f.steps[1]...)
			},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "2/-", "2026-11-04", DirBack, due, true
				e.Flags = "returned_repeatedly@0"
			})},
		{name: "escalate from a cell", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1, in: StepInput{Action: ActEscalate, Note: "xin ý kiến"},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "2/21", "2026-11-04", DirUp, due, true
			})},
		{name: "escalate work from above by a committee", issuer: 1, holder: 2, state: StateInProgress, actor: committeeA, in: StepInput{Action: ActEscalate, Note: "xin ý kiến"},
			want: with(func(e *stepEffect) {
				e.State, e.Holder, e.AcceptDue, e.Direction, e.StepDueOn, e.Handover = StateAssigned, "1/20", "2026-11-04", DirUp, due, true
				e.Flags = "escalated_within_authority@0"
			})},
		{name: "extension asked for by the holder", issuer: 2, holder: 4, state: StateInProgress, actor: cellOfficerA1,
			in:   StepInput{Action: ActExtend, NewDueOn: d("2026-12-15"), Note: "chờ số liệu"},
			want: with(func(e *stepEffect) { e.StepDueOn, e.StepNewDue = "2026-12-15", "2026-12-15" })},
		{name: "extension granted by an officer above", issuer: 2, holder: 4, state: StateAssigned, actor: committeeA, in: StepInput{Action: ActExtend, NewDueOn: d("2026-12-15")},
			want: with(func(e *stepEffect) {
				e.State, e.DueOn, e.HolderDueOn, e.StepDueOn, e.StepNewDue = StateAssigned, "2026-12-15", "2026-12-15", "2026-12-15", "2026-12-15"
				e.Capacity, e.Answer = "superior", false
			})},
		{name: "suspend", issuer: 2, holder: 4, state: StateInProgress, actor: committeeA, in: StepInput{Action: ActSuspend, Note: "chờ chỉ đạo"},
			want: with(func(e *stepEffect) {
				e.State, e.SuspendedOn, e.ResumeState, e.Capacity, e.Answer = StateSuspended, "2026-11-02", "in_progress", "superior", false
			})},
		{name: "resume moves the deadlines", issuer: 2, holder: 4, state: StateSuspended, actor: committeeA, in: StepInput{Action: ActResume},
			prep: func(f *reachStore, tk *Task) {
				tk.SuspendedOn, tk.ResumeState, tk.AcceptDueOn = d("2026-10-28"), StateAssigned, d("2026-10-29")
			},
			want: with(func(e *stepEffect) {
				// Suspended Wednesday 28 October, resumed Monday 2 November:
				// three working days stood still.
				e.State, e.DueOn, e.HolderDueOn, e.AcceptDue = StateAssigned, "2026-12-03", "2026-12-03", "2026-11-03"
				e.StepDueOn, e.StepNewDue, e.Capacity, e.Answer = "2026-12-03", "2026-12-03", "superior", false
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReachStore()
			s := reachService(f)
			tk := f.held(&Task{ID: 1, State: tt.state}, tt.issuer, tt.holder)
			tk.DueOn, tk.HolderDueOn, tk.OriginalDueOn = d(due), d(due), d(due)
			if tt.prep != nil {
				tt.prep(f, tk)
			}
			if _, err := s.Step(context.Background(), tt.actor(f), 1, tt.in); err != nil {
				t.Fatalf("got %v, want the step recorded", err)
			}
			if len(f.recorded) != 1 {
				t.Fatalf("got %d steps recorded, want 1", len(f.recorded))
			}
			r := f.recorded[0]
			if r.Step.Action != tt.in.Action || r.HoldingStepID != 10 || r.Version != 1 {
				t.Errorf("got step %s on holding %d at version %d, want %s on 10 at 1", r.Step.Action, r.HoldingStepID, r.Version, tt.in.Action)
			}
			if diff := cmp.Diff(tt.want, effectOf(r)); diff != "" {
				t.Errorf("effects (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStepRefusals: a step the action's own checks refuse records nothing.
func TestStepRefusals(t *testing.T) {
	tests := []struct {
		name  string
		state State
		actor func(f *reachStore) *auth.Actor
		in    StepInput
		want  apperr.Code
		field string
	}{
		{"report with nothing to say", StateInProgress, cellOfficerA1, StepInput{Action: ActReport}, apperr.Invalid, "note"},
		{"report over 100 %", StateInProgress, cellOfficerA1, StepInput{Action: ActReport, Percent: ptr(101)}, apperr.Invalid, "percent"},
		{"return without a reason", StateInProgress, cellOfficerA1, StepInput{Action: ActReturn}, apperr.Invalid, "note"},
		{"escalate without a reason", StateInProgress, cellOfficerA1, StepInput{Action: ActEscalate}, apperr.Invalid, "note"},
		{"suspend without a reason", StateInProgress, committeeA, StepInput{Action: ActSuspend}, apperr.Invalid, "note"},
		{"extension without a date", StateInProgress, cellOfficerA1, StepInput{Action: ActExtend, Note: "x"}, apperr.Invalid, "new_due_on"},
		{"extension to an earlier date", StateInProgress, committeeA, StepInput{Action: ActExtend, NewDueOn: d("2026-11-20")}, apperr.Invalid, "new_due_on"},
		{"extension asked for without a reason", StateInProgress, cellOfficerA1, StepInput{Action: ActExtend, NewDueOn: d("2027-01-15")}, apperr.Invalid, "note"},
		{"forward to nobody", StateInProgress, cellOfficerA1, StepInput{Action: ActForward}, apperr.Invalid, "to_unit_id"},
		{"forward to the holder itself", StateInProgress, cellOfficerA1, StepInput{Action: ActForward, ToMemberID: ptr[int64](10)}, apperr.Invalid, "to_member_id"},
		{"forward up", StateInProgress, cellOfficerA1, StepInput{Action: ActForward, ToUnitID: ptr[int64](2)}, apperr.Invalid, "to_unit_id"},
		{"forward with a deadline after the task's", StateInProgress, cellOfficerA1, StepInput{Action: ActForward, ToUnitID: ptr[int64](5), NewDueOn: d("2027-01-05")}, apperr.Invalid, "new_due_on"},
		{"report before accepting", StateAssigned, cellOfficerA1, StepInput{Action: ActReport, Note: "x"}, apperr.Conflict, ""},
		{"suspend by the holder", StateInProgress, cellOfficerA1, StepInput{Action: ActSuspend, Note: "x"}, apperr.Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReachStore()
			s := reachService(f)
			f.held(&Task{ID: 1, State: tt.state}, 2, 4)
			_, err := s.Step(context.Background(), tt.actor(f), 1, tt.in)
			if got := apperr.CodeOf(err); got != tt.want {
				t.Fatalf("got %v (%v), want %v", got, err, tt.want)
			}
			if e, _ := apperr.As(err); tt.field != "" && (e == nil || len(e.Fields) == 0 || e.Fields[0].Field != tt.field) {
				t.Errorf("got %v, want a message on %s", err, tt.field)
			}
			if len(f.recorded) != 0 {
				t.Errorf("got %d steps recorded, want none", len(f.recorded))
			}
		})
	}
}
