// Package outbreak is outbreak response under "4 tại chỗ" (DOMAIN.md
// "Outbreak response"): a commune opens a focus (ổ dịch) of a disease in a
// village or residential group, reports its daily figures (counts only: no
// patient data ever enters the system), names the four on-site (command,
// forces, means and materials, logistics), mobilises members to shifts,
// asks for funds — a request that becomes a Directive-24 task of the
// funding unit, so that a late disbursement counts as any late task — and
// closes the focus when the disease's window has passed without a new
// case. A district's steering board reads every commune of its subtree.
//
// The package is rules and use cases: it defines the Store it needs and
// imports no net/http and no database/sql.
package outbreak

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// Roles, by what they allow. A role on a unit covers its subtree.
var (
	// OfficerRoles open, report on, staff and close the foci of their
	// subtree, and read them. Members read their own shifts only.
	OfficerRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee, auth.RoleCellOfficer}
	// AboveRoles, held strictly above a focus's commune, may close it
	// before the disease's window has passed (with a reason).
	AboveRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}
	// ConfigureRoles edit the diseases (held anywhere: the list is shared),
	// as task.ManageRoles edit the task rules.
	ConfigureRoles = task.ManageRoles
)

// Bounds.
const (
	MaxPlace      = 300
	MaxNote       = 5000
	MaxActions    = 2000
	MaxCount      = 100_000
	MaxZone       = 200_000 // bytes of GeoJSON
	MaxForces     = 100
	MaxItems      = 100
	MaxItem       = 200
	MaxQuantity   = 10_000_000
	MaxRole       = 100
	MaxPhone      = 20
	MaxDuties     = 200
	MaxShift      = 24 * time.Hour
	MaxAmount     = 100_000_000_000 // đồng: 100 billion
	MaxPurpose    = 1000
	MaxReason     = 2000
	MaxWindow     = 365
	MaxDiseaseNm  = 200
	MaxBoardFoci  = 20_000
	MaxDetailRows = 400
	// StaleMeansDays: means not updated for this many days is a gap.
	StaleMeansDays = 3
)

// States of a focus.
const (
	Active = "active"
	Closed = "closed"
)

// Disease is one disease with its closing window.
type Disease struct {
	Code        string     `json:"code"`
	NameVI      string     `json:"name_vi"`
	NameEN      string     `json:"name_en"`
	ClosingDays int        `json:"closing_days"`
	Version     int        `json:"version"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

// Focus is one outbreak focus (ổ dịch).
type Focus struct {
	ID          int64           `json:"id"`
	UnitID      int64           `json:"unit_id"`
	UnitName    string          `json:"unit_name"`
	CommuneID   int64           `json:"commune_id"`
	CommuneName string          `json:"commune_name"`
	Disease     string          `json:"disease"`
	DiseaseName string          `json:"disease_name"`
	Place       string          `json:"place"`
	OpenedOn    date.Date       `json:"opened_on"`
	FirstCaseOn *date.Date      `json:"first_case_on"`
	LastCaseOn  *date.Date      `json:"last_case_on"`
	CasesTotal  int             `json:"cases_total"`
	Zone        json.RawMessage `json:"zone"`
	Note        string          `json:"note"`
	State       string          `json:"state"`
	ClosedOn    *date.Date      `json:"closed_on"`
	CloseReason string          `json:"close_reason"`
	ClosedEarly bool            `json:"closed_early"`
	DaysOpen    int             `json:"days_open"`
	Version     int             `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`

	// OnSite is the four on-site as last set (Version is the focus's).
	OnSite OnSite `json:"on_site"`
	// Gaps are the board's gaps for the focus today.
	Gaps []string `json:"gaps"`
	// Closing says when the focus may close.
	Closing *Closing `json:"closing,omitempty"`

	UnitPath    string `json:"-"`
	CommunePath string `json:"-"`
	ClosingDays int    `json:"-"`
}

// Ref is the focus's id and version (its ETag in the API).
func (x *Focus) Ref() (id int64, version int) { return x.ID, x.Version }

// Closing is where a focus stands against its disease's window.
type Closing struct {
	WindowDays int       `json:"window_days"`
	Since      date.Date `json:"since"`
	// ClosableOn is the first day the focus may close without a reason.
	ClosableOn    date.Date `json:"closable_on"`
	RemainingDays int       `json:"remaining_days"`
}

// OnSite is the four on-site of a focus.
type OnSite struct {
	Command   *Command   `json:"command"`
	Forces    []Force    `json:"forces"`
	Means     []Item     `json:"means"`
	Logistics []Item     `json:"logistics"`
	UpdatedAt *time.Time `json:"updated_at"`
	// MeansUpdatedAt is when means or logistics last changed.
	MeansUpdatedAt *time.Time `json:"means_updated_at"`
}

// Command is the commander on site.
type Command struct {
	MemberID   int64  `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	Phone      string `json:"phone"`
}

// Force is a unit or a member on site with its role and headcount.
type Force struct {
	UnitID   *int64 `json:"unit_id,omitempty"`
	MemberID *int64 `json:"member_id,omitempty"`
	Name     string `json:"name,omitempty"`
	Role     string `json:"role"`
	Count    int    `json:"count"`
}

// Item is a quantity of something (means and materials, logistics).
type Item struct {
	Item     string `json:"item"`
	Quantity int64  `json:"quantity"`
}

// Report is one day's figures.
type Report struct {
	ID         int64     `json:"id"`
	OutbreakID int64     `json:"outbreak_id"`
	On         date.Date `json:"on"`
	NewCases   int       `json:"new_cases"`
	Recovered  int       `json:"recovered"`
	Actions    string    `json:"actions"`
	CreatedAt  time.Time `json:"created_at"`
}

// Duty is a member's shift on a focus.
type Duty struct {
	ID          int64      `json:"id"`
	OutbreakID  int64      `json:"outbreak_id"`
	Place       string     `json:"place,omitempty"`
	MemberID    int64      `json:"member_id"`
	MemberName  string     `json:"member_name"`
	Role        string     `json:"role"`
	From        time.Time  `json:"from"`
	To          time.Time  `json:"to"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Funding states, read from the task.
const (
	FundRequested = "requested"
	FundApproved  = "approved"
	FundDisbursed = "disbursed"
)

// Funding is a funding request and where its task stands.
type Funding struct {
	ID          int64      `json:"id"`
	OutbreakID  int64      `json:"outbreak_id"`
	TaskID      int64      `json:"task_id"`
	Amount      int64      `json:"amount"`
	Purpose     string     `json:"purpose"`
	NeededBy    date.Date  `json:"needed_by"`
	ToUnitID    int64      `json:"to_unit_id"`
	ToUnitName  string     `json:"to_unit_name"`
	State       string     `json:"state"`
	DueOn       date.Date  `json:"due_on"`
	DisbursedOn *date.Date `json:"disbursed_on"`
	Late        bool       `json:"late"`
	CreatedAt   time.Time  `json:"created_at"`

	// TaskState is the task's own state, for FundingState.
	TaskState task.State `json:"-"`
}

// Detail is a focus with everything recorded on it.
type Detail struct {
	*Focus
	Reports []Report  `json:"reports"`
	Duties  []Duty    `json:"duties"`
	Funding []Funding `json:"funding"`
}

// UnitRef is the little the module needs to know about a unit.
type UnitRef struct {
	ID        int64
	ParentID  *int64
	Kind      string
	Path      string
	Name      string
	Dissolved bool
}

// MemberRef is the little the module needs to know about a member.
type MemberRef struct {
	ID       int64
	Name     string
	UnitPath string
	Active   bool
}

// Filter selects foci for a list.
type Filter struct {
	Paths  []string
	State  string
	Limit  int
	Cursor string
}

// BoardFocus is one focus as the board reads it (set-based, one query).
type BoardFocus struct {
	ID              int64
	CommuneID       int64
	CommuneName     string
	UnitID          int64
	Place           string
	Disease         string
	OpenedOn        date.Date
	ClosedOn        *date.Date
	CommandMemberID *int64
	ForcesCount     int
	MeansUpdatedAt  *time.Time
	Cases7          int
	CasesPrev7      int
}

// BoardFunding is one funding request as the board reads it.
type BoardFunding struct {
	OutbreakID int64
	Amount     int64
	TaskState  task.State
	DueOn      date.Date
	DoneOn     *date.Date
	AssignedOn date.Date
}

// NewFunding is a funding request to write with its task (task.Service.Plan).
type NewFunding struct {
	Funding   *Funding
	Tasks     *task.NewTasks
	TaskAudit auth.AuditEntry
}

// NewDuties are shifts to write with the notices to their members.
type NewDuties struct {
	Duties []Duty
	Title  string
	Body   string
	Link   string
}

// Store is what the module needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	// Commune is the grassroots committee at or above the unit (nil when
	// none: the unit is a district or above).
	Commune(ctx context.Context, u *UnitRef) (*UnitRef, error)
	Member(ctx context.Context, id int64) (*MemberRef, error)

	Diseases(ctx context.Context) ([]Disease, error)
	Disease(ctx context.Context, code string) (*Disease, error)
	PutDisease(ctx context.Context, d *Disease, create bool, a auth.AuditEntry) error

	Create(ctx context.Context, f *Focus, a auth.AuditEntry) error
	Focus(ctx context.Context, id int64) (*Focus, error)
	List(ctx context.Context, f Filter) (*page.Of[Focus], error)
	Reports(ctx context.Context, id int64, limit int) ([]Report, error)
	// AddReport writes a report and moves the focus's last_case_on and
	// cases_total; a report for the same day answers apperr.Conflict.
	AddReport(ctx context.Context, r *Report, a auth.AuditEntry) error
	// SetOnSite writes the four on-site when the focus is still at
	// version (else apperr.Conflict) and bumps it.
	SetOnSite(ctx context.Context, f *Focus, version int, a auth.AuditEntry) error
	Close(ctx context.Context, f *Focus, a auth.AuditEntry) error

	AddDuties(ctx context.Context, id int64, in *NewDuties, a auth.AuditEntry) error
	Duties(ctx context.Context, id int64, limit int) ([]Duty, error)
	Duty(ctx context.Context, id int64) (*Duty, error)
	ConfirmDuty(ctx context.Context, d *Duty, a auth.AuditEntry) error
	MyDuties(ctx context.Context, memberID int64, since time.Time, limit int, cursor string) (*page.Of[Duty], error)
	// Audit writes an entry of a read of personal data (a member's shifts).
	Audit(ctx context.Context, e auth.AuditEntry) error

	AddFunding(ctx context.Context, in *NewFunding, a auth.AuditEntry) error
	Funding(ctx context.Context, id int64) ([]Funding, error)

	// BoardFoci reads the foci under path open at some time in [from, asOf]
	// with their cases in the last 7 days and the 7 before (set-based);
	// more than limit answers apperr.Invalid.
	BoardFoci(ctx context.Context, path string, from, asOf date.Date, limit int) ([]BoardFocus, error)
	// BoardFunding reads the funding requests of the same foci.
	BoardFunding(ctx context.Context, path string, from, asOf date.Date) ([]BoardFunding, error)
	// BoardZones reads the zones of the foci under path active on asOf.
	BoardZones(ctx context.Context, path string, asOf date.Date) (map[int64]json.RawMessage, error)
	// Figures counts the outbreak work under path from from to to
	// (inclusive): foci opened and closed, cases reported, and the shifts
	// of the members of the subtree's cells.
	Figures(ctx context.Context, path string, from, to date.Date) (*Figures, error)
}

// Tasks is what the module needs from work handling (task.Service).
type Tasks interface {
	Plan(ctx context.Context, actor *auth.Actor, in task.CreateInput) (*task.NewTasks, auth.AuditEntry, error)
	Announce(ctx context.Context, actor *auth.Actor, nt *task.NewTasks)
}

// DutyKind is the kind of the inbox notice of a shift.
const DutyKind = "outbreak_duty"
