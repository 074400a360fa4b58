// Package report is report requests up the tree: a committee asks every
// unit directly below it for a report (a kind, a period, a deadline as a
// date or in working days). Creating a request creates one task per unit
// below under Directive 24-CT/TU exactly as a task's fan-out does
// (task.Service.Plan), in the same transaction, so that lateness counts in
// the accountability report. A unit answers with a submission: a draft
// generated from its own data (member figures as of the period's end,
// documents read and tasks handled in the period, and whatever other
// modules add through FigureSource), edited, then sent. Sending closes the
// unit's task and keeps the submission exactly as sent: it is never
// edited; a second send for the same unit is refused.
//
// The package is rules and use cases: it defines the Store it needs and
// imports no net/http and no database/sql.
package report

import (
	"context"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// Status is where a unit stands on a request.
type Status string

const (
	// StatusSent: sent on or before the due date.
	StatusSent Status = "sent"
	// StatusLate: sent after the due date.
	StatusLate Status = "late"
	// StatusMissing: not sent (yet). Before the due date the unit is
	// "missing" too; Overdue on the row tells the two apart.
	StatusMissing Status = "missing"
)

// Head is what a request is, in full (Request) or in a list (Summary):
// who asks, what, for which period, by when.
type Head struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	UnitID     int64     `json:"unit_id"`
	UnitName   string    `json:"unit_name"`
	PeriodFrom date.Date `json:"period_from"`
	PeriodTo   date.Date `json:"period_to"`
	DueOn      date.Date `json:"due_on"`
}

// Request is one report request with the units asked.
type Request struct {
	Head
	Template string `json:"template"`
	// TaskID is the group task of the fan-out.
	TaskID    int64     `json:"task_id"`
	CreatedBy *int64    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// Units are the units asked, in name order; a unit below sees only
	// its own row.
	Units []UnitStatus `json:"units"`
	// Counts over all the units asked (filled for the requester's officers).
	Sent    int `json:"sent"`
	Late    int `json:"late"`
	Missing int `json:"missing"`

	// UnitPath is the requesting unit's path, for the reach check.
	UnitPath string `json:"-"`
}

// UnitStatus is one unit asked and where it stands.
type UnitStatus struct {
	UnitID       int64      `json:"unit_id"`
	Name         string     `json:"name"`
	Status       Status     `json:"status"`
	SentAt       *time.Time `json:"sent_at"`
	SubmissionID *int64     `json:"submission_id"`
	// TaskID is the unit's task under Directive 24.
	TaskID int64 `json:"task_id"`
	// Overdue: not sent and the due date has passed.
	Overdue bool `json:"overdue"`

	UnitPath string    `json:"-"`
	SentOn   date.Date `json:"-"`
}

// Submission is a report as sent: never changed after.
type Submission struct {
	ID         int64     `json:"id"`
	RequestID  int64     `json:"request_id"`
	UnitID     int64     `json:"unit_id"`
	UnitName   string    `json:"unit_name"`
	DocumentID *int64    `json:"document_id"`
	Body       string    `json:"body"`
	Figures    Figures   `json:"figures"`
	Status     Status    `json:"status"`
	SentAt     time.Time `json:"sent_at"`
	SentOn     date.Date `json:"sent_on"`
	SentBy     *int64    `json:"sent_by"`
	SentByName string    `json:"sent_by_name"`

	UnitPath string `json:"-"`
}

// Draft is what a unit starts from: generated from its own data.
type Draft struct {
	RequestID int64     `json:"request_id"`
	UnitID    int64     `json:"unit_id"`
	UnitName  string    `json:"unit_name"`
	AsOf      date.Date `json:"as_of"`
	Body      string    `json:"body"`
	Figures   Figures   `json:"figures"`
}

// Figures are named counts ("members.total", "tasks.done_late", …).
type Figures map[string]int64

// Summary is one request in a list, as seen from the unit listed.
type Summary struct {
	Head
	CreatedAt time.Time `json:"created_at"`
	// Direction: "made" (the unit listed asked) or "received" (the unit
	// listed was asked).
	Direction string `json:"direction"`
	// For "made": how many units were asked and how many have sent.
	Units int `json:"units"`
	Sent  int `json:"sent"`
	// For "received": the listed unit's own status.
	Status       Status `json:"status,omitempty"`
	SubmissionID *int64 `json:"submission_id,omitempty"`

	SentOn date.Date `json:"-"`
}

// UnitRef is the little the module needs to know about a unit.
type UnitRef struct {
	ID        int64
	ParentID  *int64
	Path      string
	Name      string
	Dissolved bool
}

// NewRequest is a request to write with its fan-out (task.Service.Plan):
// the store writes the tasks, the request and one row per unit asked,
// each linked to its task, in one transaction.
type NewRequest struct {
	Request *Request
	Tasks   *task.NewTasks
	// TaskAudit is the fan-out's own audit entry.
	TaskAudit auth.AuditEntry
}

// ListFilter selects the requests made by or sent to one unit.
type ListFilter struct {
	UnitID int64
	Limit  int
	Cursor string
}

// Store is what the module needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	Create(ctx context.Context, in *NewRequest, a auth.AuditEntry) error
	// Request returns a request and every unit asked with its submission.
	Request(ctx context.Context, id int64) (*Request, error)
	List(ctx context.Context, f ListFilter) (*page.Of[Summary], error)
	Submission(ctx context.Context, id int64) (*Submission, error)
	// Send writes a submission; a unit that has already sent answers
	// apperr.Conflict.
	Send(ctx context.Context, s *Submission, a auth.AuditEntry) error
	// MemberStats counts a subtree as of a day (org.Stats, as the
	// statistics page does); current counts today's records.
	MemberStats(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error)
	// DocumentsRead counts, in the subtree's members, the documents read
	// between from and to (inclusive): readings and distinct readers.
	DocumentsRead(ctx context.Context, path string, from, to date.Date) (reads, readers int, err error)
}

// Tasks is what the module needs from work handling (task.Service).
type Tasks interface {
	Plan(ctx context.Context, actor *auth.Actor, in task.CreateInput) (*task.NewTasks, auth.AuditEntry, error)
	Announce(ctx context.Context, actor *auth.Actor, nt *task.NewTasks)
	Get(ctx context.Context, actor *auth.Actor, id int64) (*task.Detail, error)
	Step(ctx context.Context, actor *auth.Actor, id int64, in task.StepInput) (*task.Detail, error)
	Accountability(ctx context.Context, actor *auth.Actor, in task.ReportInput) (*task.Report, error)
}

// FigureSource is the hook for the modules that add figures and a section
// to a draft (meetings, four-good results): for the unit over the period
// of a request of the given kind, named counts (their keys prefixed by
// the module, "meetings.held") and a Markdown section (may be empty). A
// source that has nothing, or nothing for that kind of report (the
// four-good results are for KindFourGood only), answers nil.
type FigureSource interface {
	ReportFigures(ctx context.Context, actor *auth.Actor, unit *UnitRef, kind string, from, to date.Date) (Figures, string, error)
}
