// Package task is work handling under Directive 24-CT/TU: tasks assigned to
// a unit (its head answers for them) or to a member, handled step by step
// with a named holder at every moment, deadlines in Vietnamese working
// days, detection of delay and buck-passing as editable rules, the
// accountability report, and reminders through the durable job queue.
//
// The vocabulary (GLOSSARY.md, "Documents and work"):
//
//   - A task is held by one holder at a time: a unit and, when known, the
//     person answering for it there (the unit's head, or the member the
//     task was given to). The holder changes by forwarding (down to a unit
//     below, or sideways to a unit that is not below: buck-passing),
//     returning (back to whoever sent it), and escalating (up to the unit
//     above the holder).
//   - A holding is the period a holder had the task: it starts with the
//     step that handed the task over (create, forward, return, escalate),
//     which carries the holding's own deadlines: acceptance due (no
//     response after N working days is flagged) and the holder's due date.
//   - The accountable unit (unit_id) is the unit the task was assigned to
//     when it was created, and the accountable person its head then (or
//     the assignee). Handing the task on does not move that
//     accountability: who was given the work answers for its outcome; who
//     passed it on answers for the passing (see accountability.go).
//
// The package is pure rules and use cases: it defines the Store it needs
// and imports no net/http and no database/sql.
package task

import (
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// State is where a task is in its life.
type State string

const (
	// StateAssigned: handed to a holder who has not accepted it yet.
	StateAssigned State = "assigned"
	// StateInProgress: accepted by its holder.
	StateInProgress State = "in_progress"
	// StateSuspended: stopped by an officer above the holder; the clock
	// stops and the deadline moves on resume.
	StateSuspended State = "suspended"
	// StateDone: completed.
	StateDone State = "done"
)

// States lists every state.
var States = []State{StateAssigned, StateInProgress, StateSuspended, StateDone}

// Open reports whether the task still waits for work (suspended included).
func (s State) Open() bool { return s != StateDone }

// Running reports whether the task's clock runs: open and not suspended.
func (s State) Running() bool { return s == StateAssigned || s == StateInProgress }

// Action is what a step does.
type Action string

const (
	// ActCreate is recorded when a task is created; it cannot be requested.
	ActCreate   Action = "create"
	ActAccept   Action = "accept"
	ActForward  Action = "forward"
	ActReturn   Action = "return"
	ActEscalate Action = "escalate"
	ActReport   Action = "report"
	ActComplete Action = "complete"
	ActExtend   Action = "extend"
	ActSuspend  Action = "suspend"
	ActResume   Action = "resume"
)

// Actions lists the actions a step may request, in the order a UI offers them.
var Actions = []Action{ActAccept, ActReport, ActComplete, ActForward, ActReturn, ActEscalate, ActExtend, ActSuspend, ActResume}

// Handover reports whether the action gives the task to a new holder.
func (a Action) Handover() bool {
	return a == ActCreate || a == ActForward || a == ActReturn || a == ActEscalate
}

// Kind tells an ordinary task from a task split into sub-tasks.
type Kind string

const (
	KindTask Kind = "task"
	// KindGroup is a task split into one sub-task per unit below
	// (fan_out): its progress is rolled up from them and it takes no
	// steps of its own.
	KindGroup Kind = "group"
)

// Direction is where a handover sends the task, seen from the holder.
type Direction string

const (
	DirNone     Direction = ""
	DirDown     Direction = "down"     // to a unit below the holder, or a member within the holder's unit
	DirSideways Direction = "sideways" // to a unit that is not below the holder (nor above it)
	DirUp       Direction = "up"       // escalation to the unit above
	DirBack     Direction = "back"     // returned to the sender
)

// Task is one piece of work.
type Task struct {
	ID         int64  `json:"id"`
	ParentID   *int64 `json:"parent_id"`
	Kind       Kind   `json:"kind"`
	DocumentID *int64 `json:"document_id"`
	Title      string `json:"title"`
	// Description is free text: the points of the directive, the expected result.
	Description string `json:"description"`

	// The unit that gave the task (the creator's unit).
	IssuerUnitID   int64  `json:"issuer_unit_id"`
	IssuerUnitName string `json:"issuer_unit_name"`
	CreatedBy      *int64 `json:"created_by"` // account

	// The accountable unit and person (see the package documentation).
	UnitID                int64  `json:"unit_id"`
	UnitName              string `json:"unit_name"`
	AccountableMemberID   *int64 `json:"accountable_member_id"`
	AccountableMemberName string `json:"accountable_member_name,omitempty"`
	AssigneeID            *int64 `json:"assignee_id"`

	// The current holder and its holding.
	HolderUnitID     int64     `json:"holder_unit_id"`
	HolderUnitName   string    `json:"holder_unit_name"`
	HolderMemberID   *int64    `json:"holder_member_id"`
	HolderMemberName string    `json:"holder_member_name,omitempty"`
	HolderSince      time.Time `json:"holder_since"`
	HolderStepID     int64     `json:"holder_step_id"`
	// HolderDueOn is the holder's own deadline: the task's, or an earlier
	// one set when the task was forwarded to it.
	HolderDueOn date.Date `json:"holder_due_on"`
	// AcceptDueOn is when the holder must have accepted (while assigned).
	AcceptDueOn date.Date `json:"accept_due_on"`

	State         State     `json:"state"`
	Percent       int       `json:"percent"`
	AssignedOn    date.Date `json:"assigned_on"`
	OriginalDueOn date.Date `json:"original_due_on"`
	DueOn         date.Date `json:"due_on"`
	SuspendedOn   date.Date `json:"suspended_on"`
	DoneOn        date.Date `json:"done_on"`
	// DaysLate is the working days between the due date and completion
	// (0: on time); nil while open.
	DaysLate *int `json:"days_late"`
	// Overdue is computed for the reader: running and past its due date.
	Overdue bool `json:"overdue"`
	// Children and ChildrenDone count the sub-tasks of a group.
	Children     int       `json:"children,omitempty"`
	ChildrenDone int       `json:"children_done,omitempty"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// Filled by the store for the rules, not shown.
	ResumeState    State  `json:"-"`
	DoneUnitID     *int64 `json:"-"`
	DoneMemberID   *int64 `json:"-"`
	IssuerPath     string `json:"-"`
	UnitPath       string `json:"-"`
	HolderPath     string `json:"-"`
	HolderKind     string `json:"-"`
	HolderParentID *int64 `json:"-"`
}

// Step is one recorded step: who did what, when, and who held the task
// before and after.
type Step struct {
	ID     int64  `json:"id"`
	TaskID int64  `json:"task_id"`
	Seq    int    `json:"seq"`
	Action Action `json:"action"`
	// Capacity is how the actor acted: "holder", "superior" (an officer
	// above the holder), "issuer" (creation) or "system".
	Capacity  string    `json:"capacity"`
	Direction Direction `json:"direction,omitempty"`

	AccountID       *int64 `json:"account_id"`
	Username        string `json:"username"`
	ActorMemberID   *int64 `json:"actor_member_id"`
	ActorMemberName string `json:"actor_member_name,omitempty"`

	At time.Time `json:"at"`
	On date.Date `json:"on"`

	FromUnitID     *int64 `json:"from_unit_id"`
	FromUnitName   string `json:"from_unit_name,omitempty"`
	FromMemberID   *int64 `json:"from_member_id"`
	FromMemberName string `json:"from_member_name,omitempty"`
	ToUnitID       *int64 `json:"to_unit_id"`
	ToUnitName     string `json:"to_unit_name,omitempty"`
	ToMemberID     *int64 `json:"to_member_id"`
	ToMemberName   string `json:"to_member_name,omitempty"`

	Note     string    `json:"note"`
	Percent  *int      `json:"percent"`
	NewDueOn date.Date `json:"new_due_on"`
	// DueOn is the step's own deadline: for a handover, the new holder's
	// due date; for an extension, the date asked for or granted.
	DueOn date.Date `json:"due_on"`
	// For a handover: acceptance due, the day the new holder first acted,
	// and when the holding ended.
	AcceptDueOn date.Date  `json:"accept_due_on"`
	AnsweredOn  date.Date  `json:"answered_on"`
	EndedAt     *time.Time `json:"ended_at"`

	// The paths of the units before and after, for the access check.
	FromUnitPath string `json:"-"`
	ToUnitPath   string `json:"-"`
}

// Holding is one period during which a holder had the task.
type Holding struct {
	StepID     int64      `json:"step_id"`
	Action     Action     `json:"action"` // how it arrived: create, forward, return, escalate
	UnitID     *int64     `json:"unit_id"`
	UnitName   string     `json:"unit_name"`
	MemberID   *int64     `json:"member_id"`
	MemberName string     `json:"member_name,omitempty"`
	From       time.Time  `json:"from"`
	Until      *time.Time `json:"until"` // nil: still held
	// Workdays is the number of working days held (to today when still held).
	Workdays    int       `json:"workdays"`
	DueOn       date.Date `json:"due_on"`
	AcceptDueOn date.Date `json:"accept_due_on"`
	AnsweredOn  date.Date `json:"answered_on"`
}

// Flag is a detection rule raised on a step, naming the unit and person.
type Flag struct {
	ID        int64  `json:"id"`
	TaskID    int64  `json:"task_id"`
	TaskTitle string `json:"task_title,omitempty"`
	StepID    int64  `json:"step_id"`
	Rule      string `json:"rule"`
	RuleName  string `json:"rule_name"`
	// RuleNameEN is the rule's English name, for the pages in English.
	RuleNameEN string `json:"-"`
	UnitID     *int64 `json:"unit_id"`
	UnitName   string `json:"unit_name,omitempty"`
	MemberID   *int64 `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	Detail     string `json:"detail"`
	// DetailKey and DetailArgs translate Detail on the pages (flagdetail.go).
	DetailKey  string    `json:"-"`
	DetailArgs []any     `json:"-"`
	RaisedBy   string    `json:"raised_by"` // live | scan
	RaisedAt   time.Time `json:"raised_at"`
	RaisedOn   date.Date `json:"raised_on"`
}

// UnitRef is the little the task module needs to know about a unit.
type UnitRef struct {
	ID        int64
	ParentID  *int64
	Path      string
	Name      string
	Kind      string
	Dissolved bool
}

// Below reports whether u is strictly inside the subtree of v.
func (u *UnitRef) Below(v *UnitRef) bool { return below(u.Path, v.Path) }

func below(path, of string) bool { return len(path) > len(of) && path[:len(of)] == of }

// MemberRef is the little the task module needs to know about a member.
type MemberRef struct {
	ID       int64
	UnitID   int64
	UnitPath string
	Name     string
	Active   bool
}

func ptr[T any](v T) *T { return &v }
