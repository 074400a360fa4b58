package task

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Roles, by what they allow on tasks. A role on a unit covers its subtree.
var (
	// ViewRoles see the tasks their subtree holds, is accountable for or
	// issued, and the accountability report of their subtree.
	ViewRoles = auth.ReadPersonal
	// CreateRoles assign tasks to units of their subtree.
	CreateRoles = auth.ReadPersonal
	// HolderRoles act for the holder when held on the holder unit itself.
	HolderRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee, auth.RoleCellOfficer}
	// SuperiorRoles act as officers above when held on a unit above the holder.
	SuperiorRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}
	// ManageRoles edit the detection rules and set unit heads.
	ManageRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice}
)

// Head is the person answering for a unit's tasks.
type Head struct {
	UnitID     int64  `json:"unit_id"`
	MemberID   *int64 `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	Position   string `json:"position,omitempty"`
	// Explicit: set with PUT /units/{id}/head; otherwise the default, the
	// member of the unit whose position starts with "Bí thư" (and who is
	// not set as the head of another unit).
	Explicit bool `json:"explicit"`
}

// NewTask is a task to insert with its creation step.
type NewTask struct {
	Task *Task
	Step *Step
}

// NewTasks is one creation: a single task, or a group and its sub-tasks.
type NewTasks struct {
	Group *NewTask
	Items []NewTask
	Now   time.Time
}

// FlagDraft is a flag to insert with a step. StepID 0 means the step
// being recorded.
type FlagDraft struct {
	Rule     string
	StepID   int64
	UnitID   *int64
	MemberID *int64
	Detail   string
}

// StepRecord is one step to record: the task as it is after the step, the
// version it was read at, the step and its consequences.
type StepRecord struct {
	Task    *Task
	Version int
	Step    *Step
	// HoldingStepID is the step that began the holding the step acts on.
	HoldingStepID int64
	// Handover: the step begins a new holding (the old one ends).
	Handover bool
	// EndsHolding: the holding ends without a new holder (completion).
	EndsHolding bool
	// Answer: the step is the holder's act on its holding (sets its
	// answered_on when not yet set).
	Answer bool
	Flags  []FlagDraft
	Now    time.Time
}

// Filter selects tasks for a list. Paths are subtrees (already within the
// actor's reach): a task is listed when its holder, accountable unit or
// issuer is in one of them, or (MemberID) when the member holds it, answers
// for it or was given it.
type Filter struct {
	Paths    []string
	MemberID int64
	// HeldBy keeps the tasks an actor holds (see HeldBy). With no Paths
	// and no MemberID it is the reach by itself: an actor sees what it
	// holds.
	HeldBy *HeldBy
	// Accountable keeps the tasks whose accountable unit is one of
	// UnitIDs or whose accountable member is MemberID; IssuedBy those
	// issued in the name of one of UnitIDs or created by AccountID (see
	// Relation). Like HeldBy, each is the reach by itself.
	Accountable, IssuedBy *Related
	States                []State
	// Overdue keeps the tasks that are overdue on Today (IsOverdue:
	// running, not a group, due before Today); NotOverdue the others.
	Overdue, NotOverdue bool
	HolderMemberID      int64
	Today               date.Date
	OrderByDue          bool
	Limit               int
	Cursor              string
}

// HeldBy is what CapacityOf counts as holding a task: the task's holder
// unit is one of UnitIDs (the units where the actor has a HolderRoles
// role), or its holder member is MemberID (the actor's own member record).
type HeldBy struct {
	UnitIDs  []int64
	MemberID int64
}

// Related is how tasks stand to an actor in a Relation: the units on which
// it holds a ViewRoles role (the units themselves), its member, its
// account.
type Related struct {
	UnitIDs   []int64
	MemberID  int64
	AccountID int64
}

// ScanRequest is one periodic scan: the cutoffs of the time-based rules
// (a zero cutoff: the rule is off).
type ScanRequest struct {
	Now               time.Time
	Today             date.Date
	OverdueBefore     date.Date // due_on before it
	StepOverdueBefore date.Date // holder_due_on before it (and before due_on)
	NoResponseBefore  date.Date // accept_due_on before it, still not accepted
}

// ScanResult counts the flags raised, by rule.
type ScanResult struct {
	Raised map[string]int `json:"raised"`
}

// Store is what the task module needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	ChildUnits(ctx context.Context, parentID int64) ([]UnitRef, error)
	Member(ctx context.Context, id int64) (*MemberRef, error)
	// UnitHeads returns the head of each unit that has one (explicit or default).
	UnitHeads(ctx context.Context, unitIDs []int64) (map[int64]int64, error)
	UnitHead(ctx context.Context, unitID int64) (*Head, error)
	SetUnitHead(ctx context.Context, unitID int64, memberID *int64, at time.Time, a auth.AuditEntry) error

	Create(ctx context.Context, in *NewTasks, a auth.AuditEntry) error
	Task(ctx context.Context, id int64) (*Task, error)
	Steps(ctx context.Context, id int64) ([]Step, error)
	Flags(ctx context.Context, id int64) ([]Flag, error)
	Children(ctx context.Context, id int64) ([]Task, error)
	RecordStep(ctx context.Context, r *StepRecord, a auth.AuditEntry) error
	List(ctx context.Context, f Filter) (*page.Of[Task], error)

	Rules(ctx context.Context) ([]Rule, error)
	UpdateRules(ctx context.Context, rs []Rule, at time.Time, a auth.AuditEntry) error
	ScanFlags(ctx context.Context, r ScanRequest) (map[string]int, error)

	Accountability(ctx context.Context, q ReportQuery) (*ReportData, error)

	// HandoverAccounts returns the enabled accounts to tell of hand-overs
	// (notices.go): by unit, those with one of the roles on the unit
	// itself; by member, those linked to the member.
	HandoverAccounts(ctx context.Context, a Audience) (byUnit, byMember map[int64][]int64, err error)

	Reminders(ctx context.Context, r ReminderRequest, send func(ctx context.Context, q jobs.Enqueuer, ns []Notification) error) (int, error)
}

// DocumentChecker tells whether a document exists and the actor may read
// it (tasks may come from a document of the handbook).
type DocumentChecker interface {
	DocumentReadable(ctx context.Context, actor *auth.Actor, id int64) (bool, error)
}

// Service is work handling's use cases.
type Service struct {
	Store     Store
	Calendars *Calendars
	// Documents, when set, checks document_id on creation: a document the
	// creator cannot read answers as one that does not exist.
	Documents DocumentChecker
	// Now is the clock (nil: time.Now); every time the module writes
	// comes from it.
	Now func() time.Time
	// RemindBefore is how many working days before a deadline the holder
	// is reminded (0: DefaultRemindBefore); SuperiorAfter how many working
	// days past it the head of the unit above is told (0: DefaultSuperiorAfter).
	RemindBefore  int
	SuperiorAfter int
	// Notifier, when set, tells the new holder of every hand-over and the
	// issuer of a returned or escalated task (notices.go); nil tells no one.
	Notifier Notifier
	// Log records what fails after a write has succeeded (a notice).
	Log *slog.Logger
}

// Reminder defaults.
const (
	DefaultRemindBefore  = 2
	DefaultSuperiorAfter = 3
)

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) today() date.Date { return date.Today(s.now()) }

func (s *Service) calendar(ctx context.Context) (*viet.Calendar, error) {
	if s.Calendars == nil {
		return viet.NewCalendar(), nil
	}
	return s.Calendars.Calendar(ctx)
}

// calendarAndRules reads the working-day calendar and the rules.
func (s *Service) calendarAndRules(ctx context.Context) (*viet.Calendar, Rules, error) {
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, nil, err
	}
	rules, err := s.rules(ctx)
	return cal, rules, err
}

func (s *Service) rules(ctx context.Context) (Rules, error) {
	rs, err := s.Store.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return NewRules(rs), nil
}

// ---- Creation --------------------------------------------------------------

// CreateInput is a new task as the API receives it.
type CreateInput struct {
	Title       string    `json:"title"`
	Description string    `json:"description"`
	DocumentID  *int64    `json:"document_id"`
	UnitID      int64     `json:"unit_id"`
	AssigneeID  *int64    `json:"assignee_id"`
	DueOn       date.Date `json:"due_on"`
	Workdays    *int      `json:"workdays"`
	// FanOut makes one sub-task for every live unit directly below UnitID.
	FanOut bool `json:"fan_out"`
}

// checkLine refuses control and bidirectional characters in a text field
// (viet.CheckLine).
func checkLine(field, v string) []apperr.FieldError {
	if err := viet.CheckLine(v); err != nil {
		return []apperr.FieldError{apperr.FieldFrom(field, err)}
	}
	return nil
}

// Create assigns a task to a unit (its head answers for it) or to a member
// of the unit's subtree, or with FanOut to every unit directly below the
// unit, each sub-task with its own holder. It returns the task (the group
// for a fan-out) as the actor sees it.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput) (*Detail, error) {
	nt, a, err := s.Plan(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Create(ctx, nt, a); err != nil {
		return nil, err
	}
	s.Announce(ctx, actor, nt)
	id := nt.Items[0].Task.ID
	if nt.Group != nil {
		id = nt.Group.Task.ID
	}
	return s.Get(ctx, actor, id)
}

// Plan checks and resolves a creation exactly as Create does and returns
// the rows to write with their audit entry, without writing them: a
// module that creates tasks together with its own records (a report
// request's fan-out, internal/report) writes both in one transaction
// (the store's CreateTasks part) and then calls Announce.
func (s *Service) Plan(ctx context.Context, actor *auth.Actor, in CreateInput) (*NewTasks, auth.AuditEntry, error) {
	if in.UnitID <= 0 {
		return nil, auth.AuditEntry{}, apperr.Keyed(apperr.Invalid, "task.task_not_valid", "the task is not valid").With(apperr.FieldKeyed("unit_id", "common.required", "required"))
	}
	// The unit first: out of reach is 404 whatever else is wrong.
	u, err := s.Store.Unit(ctx, in.UnitID)
	if err != nil || u.Dissolved || !actor.Can(u.Path, CreateRoles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, auth.AuditEntry{}, err
		}
		return nil, auth.AuditEntry{}, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", in.UnitID)
	}
	p := &createPlan{in: in, actor: actor, unit: u}
	if p.title, p.desc, err = checkCreateFields(in); err != nil {
		return nil, auth.AuditEntry{}, err
	}
	if err := s.resolveCreateTargets(ctx, p); err != nil {
		return nil, auth.AuditEntry{}, err
	}
	after := map[string]any{"title": p.title, "unit_id": u.ID, "due_on": p.due, "fan_out": in.FanOut, "sub_tasks": len(p.kids), "assignee_id": in.AssigneeID, "document_id": in.DocumentID}
	return p.newTasks(), auth.AuditEntry{Actor: actor, Action: "task.create", ObjectType: "task", UnitPath: u.Path, After: after}, nil
}

// Announce tells the holders of tasks just written (Plan) of their new work.
func (s *Service) Announce(ctx context.Context, actor *auth.Actor, nt *NewTasks) {
	s.notifyHandovers(ctx, actor, createHandovers(nt))
}

// createPlan is everything Create resolves before it writes: kept in one
// value so that validation, target resolution and building the rows can
// be separate functions without long parameter lists.
type createPlan struct {
	in          CreateInput
	actor       *auth.Actor
	unit        *UnitRef
	title, desc string // cleaned

	now        time.Time
	today, due date.Date
	acceptDue  date.Date
	assignee   *MemberRef // nil unless in.AssigneeID
	issuer     *UnitRef
	kids       []UnitRef       // the units below, for a fan-out
	heads      map[int64]int64 // unit → head member, for unit, issuer and kids
}

// checkCreateFields checks the fields that need nothing from the store
// and returns the cleaned title and description. All field messages come
// together, so a form can show every mistake at once.
func checkCreateFields(in CreateInput) (title, desc string, err error) {
	var errs []apperr.FieldError
	title = viet.Clean(in.Title)
	if n := len([]rune(title)); n == 0 || n > 500 {
		errs = append(errs, apperr.FieldKeyed("title", "task.1_500_characters", "1 to 500 characters"))
	}
	desc = viet.Clean(in.Description)
	errs = append(errs, checkLine("title", title)...)
	errs = append(errs, checkLine("description", desc)...)
	if len([]rune(desc)) > 20000 {
		errs = append(errs, apperr.FieldKeyed("description", "task.most_20_000_characters", "at most 20,000 characters"))
	}
	switch {
	case in.DueOn.IsZero() && in.Workdays == nil:
		errs = append(errs, apperr.FieldKeyed("due_on", "task.give_due_date_due", "give a due date (due_on) or a number of working days (workdays)"))
	case !in.DueOn.IsZero() && in.Workdays != nil:
		errs = append(errs, apperr.FieldKeyed("workdays", "task.give_due_workdays_not", "give due_on or workdays, not both"))
	case in.Workdays != nil:
		if e := checkWorkdays(*in.Workdays); e != nil {
			errs = append(errs, *e)
		}
	}
	if in.FanOut && in.AssigneeID != nil {
		errs = append(errs, apperr.FieldKeyed("assignee_id", "task.task_split_among_units", "a task split among the units below cannot also go to one member"))
	}
	if len(errs) > 0 {
		return "", "", apperr.Keyed(apperr.Invalid, "task.task_not_valid", "the task is not valid").With(errs...)
	}
	return title, desc, nil
}

// resolveCreateTargets fills p from the store, in the order whose first
// failure the caller sees: the deadline, the document, the assignee, the
// issuing unit, the units below for a fan-out, and the units' heads.
func (s *Service) resolveCreateTargets(ctx context.Context, p *createPlan) error {
	in, actor := p.in, p.actor
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	p.now = s.now().UTC()
	p.today = date.Today(p.now)
	p.due = in.DueOn
	if in.Workdays != nil {
		p.due = DueIn(cal, p.today, *in.Workdays)
	}
	if e := checkDue("due_on", p.due, p.today); e != nil {
		return apperr.Keyed(apperr.Invalid, "task.deadline_out_range", "the deadline is out of range").With(*e)
	}
	if in.DocumentID != nil && s.Documents != nil {
		ok, err := s.Documents.DocumentReadable(ctx, actor, *in.DocumentID)
		if err != nil {
			return err
		}
		if !ok {
			return auth.OutOfReach("document_id", "document")
		}
	}
	if in.AssigneeID != nil {
		if p.assignee, err = s.createAssignee(ctx, actor, p.unit, *in.AssigneeID); err != nil {
			return err
		}
	}
	if p.issuer, err = s.issuer(ctx, actor, p.unit); err != nil {
		return err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return err
	}
	p.acceptDue = AcceptDue(cal, p.today, rules[RuleNoResponse].Threshold)
	if in.FanOut {
		if p.kids, err = s.Store.ChildUnits(ctx, p.unit.ID); err != nil {
			return err
		}
		if len(p.kids) == 0 {
			return apperr.Keyed(apperr.Invalid, "task.nothing_split_task_among", "nothing to split the task among").With(apperr.FieldKeyed("fan_out", "task.unit_no_units_below", "the unit has no units below it"))
		}
	}
	ids := []int64{p.unit.ID, p.issuer.ID}
	for _, k := range p.kids {
		ids = append(ids, k.ID)
	}
	p.heads, err = s.Store.UnitHeads(ctx, ids)
	return err
}

// memberInReach is member id named in field by an actor who must hold one
// of roles over it: one out of reach answers as a missing one.
func (s *Service) memberInReach(ctx context.Context, actor *auth.Actor, id int64, roles []auth.Role, field string) (*MemberRef, error) {
	m, err := s.Store.Member(ctx, id)
	if err != nil || !actor.Can(m.UnitPath, roles) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return nil, auth.OutOfReach(field, "member")
	}
	return m, nil
}

// createAssignee resolves the member a task goes to: one out of the
// creator's reach answers as a missing one (no probing of other units),
// and one in reach must be active and at or below the task's unit.
func (s *Service) createAssignee(ctx context.Context, actor *auth.Actor, u *UnitRef, id int64) (*MemberRef, error) {
	m, err := s.memberInReach(ctx, actor, id, CreateRoles, "assignee_id")
	if err != nil {
		return nil, err
	}
	if !m.Active || !(m.UnitPath == u.Path || below(m.UnitPath, u.Path)) {
		return nil, apperr.Keyed(apperr.Invalid, "task.assignee_not_unit", "the assignee is not in the unit").With(apperr.FieldKeyed("assignee_id", "task.must_active_member_unit", "must be an active member of the unit or of a unit below it"))
	}
	return m, nil
}

// head is the head member of unit id, nil when the unit has none.
func (p *createPlan) head(id int64) *int64 {
	if m, ok := p.heads[id]; ok {
		return &m
	}
	return nil
}

// newTasks builds the rows to write: for a fan-out a group held by the
// unit and one sub-task per unit below; otherwise one task held by the
// assignee or else by the unit's head.
func (p *createPlan) newTasks() *NewTasks {
	nt := &NewTasks{Now: p.now}
	if p.in.FanOut {
		g := p.newTask(p.unit, p.head(p.unit.ID), KindGroup)
		nt.Group = &g
		for i := range p.kids {
			nt.Items = append(nt.Items, p.newTask(&p.kids[i], p.head(p.kids[i].ID), KindTask))
		}
		return nt
	}
	member := p.head(p.unit.ID)
	if p.assignee != nil {
		member = &p.assignee.ID
	}
	one := p.newTask(p.unit, member, KindTask)
	one.Task.AssigneeID = p.in.AssigneeID
	nt.Items = []NewTask{one}
	return nt
}

// newTask builds one task held by unit (and member) with its creating
// step. A group starts in progress and waits for no acceptance; a step
// within the issuing unit itself has no direction.
func (p *createPlan) newTask(unit *UnitRef, member *int64, kind Kind) NewTask {
	actor, now, today, due := p.actor, p.now, p.today, p.due
	from := p.head(p.issuer.ID)
	if actor.MemberID != 0 {
		from = &actor.MemberID
	}
	var accountID *int64
	if actor.AccountID != 0 {
		accountID = &actor.AccountID
	}
	var actorMember *int64
	if actor.MemberID != 0 {
		actorMember = &actor.MemberID
	}
	t := &Task{Kind: kind, DocumentID: p.in.DocumentID, Title: p.title, Description: p.desc,
		IssuerUnitID: p.issuer.ID, CreatedBy: accountID,
		UnitID: unit.ID, AccountableMemberID: member,
		HolderUnitID: unit.ID, HolderMemberID: member, HolderSince: now, HolderDueOn: due,
		State: StateAssigned, AssignedOn: today, OriginalDueOn: due, DueOn: due,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	st := &Step{Action: ActCreate, Capacity: "issuer", Direction: DirDown, AccountID: accountID, Username: actor.Username, ActorMemberID: actorMember,
		At: now, On: today, FromUnitID: &p.issuer.ID, FromMemberID: from, ToUnitID: ptr(unit.ID), ToMemberID: member,
		DueOn: due}
	if kind == KindGroup {
		t.State = StateInProgress
	} else {
		t.AcceptDueOn, st.AcceptDueOn = p.acceptDue, p.acceptDue
	}
	if unit.ID == p.issuer.ID {
		st.Direction = DirNone
	}
	return NewTask{Task: t, Step: st}
}

// createHandovers lists whom to tell about the new tasks: each holder; a
// task given to a named member goes to that member only, not the unit.
func createHandovers(nt *NewTasks) []handover {
	hs := make([]handover, len(nt.Items))
	for i, it := range nt.Items {
		hs[i] = handover{task: it.Task, stepID: it.Step.ID, action: ActCreate, unitID: it.Task.HolderUnitID, memberID: it.Task.HolderMemberID}
		if it.Task.AssigneeID != nil {
			hs[i].unitID = 0
		}
	}
	return hs
}

// issuer is the unit in whose name the actor assigns work to u: the
// nearest unit at or above u on which the actor holds a creating role.
func (s *Service) issuer(ctx context.Context, actor *auth.Actor, u *UnitRef) (*UnitRef, error) {
	if actor.System {
		if u.ParentID != nil {
			return s.Store.Unit(ctx, *u.ParentID)
		}
		return u, nil
	}
	var best *auth.Grant
	for i, g := range actor.Grants {
		if !hasRole(CreateRoles, g.Role) || !(g.UnitPath == u.Path || below(u.Path, g.UnitPath)) {
			continue
		}
		if best == nil || len(g.UnitPath) > len(best.UnitPath) {
			best = &actor.Grants[i]
		}
	}
	if best == nil {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", u.ID)
	}
	if best.UnitID == u.ID {
		return u, nil
	}
	return s.Store.Unit(ctx, best.UnitID)
}

func hasRole(roles []auth.Role, r auth.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// ---- Reading ---------------------------------------------------------------

// Detail is a task with its whole history.
type Detail struct {
	*Task
	Steps    []Step    `json:"steps"`
	Holdings []Holding `json:"holdings"`
	Flags    []Flag    `json:"flags"`
	SubTasks []Task    `json:"sub_tasks,omitempty"`
	// Capacity is how the reader stands to the holder ("holder",
	// "superior" or "none"); Can lists the steps the reader may take now.
	Capacity string   `json:"capacity"`
	Can      []Action `json:"can"`
}

// CapacityOf tells how the actor stands to the task's current holder.
func CapacityOf(actor *auth.Actor, t *Task) Capacity {
	if actor == nil {
		return 0
	}
	if actor.System {
		return AsHolder | AsSuperior
	}
	var c Capacity
	for _, g := range actor.Grants {
		if g.UnitPath == t.HolderPath && hasRole(HolderRoles, g.Role) {
			c |= AsHolder
		}
		if below(t.HolderPath, g.UnitPath) && hasRole(SuperiorRoles, g.Role) {
			c |= AsSuperior
		}
	}
	if actor.MemberID != 0 && t.HolderMemberID != nil && *t.HolderMemberID == actor.MemberID {
		c |= AsHolder
	}
	return c
}

// visible reports whether the actor may see the task: an officer over its
// holder, its accountable unit or its issuer, or over any unit that took
// part in it; or the member holding it, answering for it or given it; or
// the account that acted on it.
func visible(actor *auth.Actor, t *Task, steps []Step) bool {
	if actor == nil {
		return false
	}
	if actor.System {
		return true
	}
	for _, p := range []string{t.HolderPath, t.UnitPath, t.IssuerPath} {
		if p != "" && actor.Can(p, ViewRoles) {
			return true
		}
	}
	if m := actor.MemberID; m != 0 {
		for _, x := range []*int64{t.HolderMemberID, t.AccountableMemberID, t.AssigneeID} {
			if x != nil && *x == m {
				return true
			}
		}
	}
	for _, st := range steps {
		if st.AccountID != nil && *st.AccountID == actor.AccountID {
			return true
		}
		for _, p := range []string{st.FromUnitPath, st.ToUnitPath} {
			if p != "" && actor.Can(p, ViewRoles) {
				return true
			}
		}
		if m := actor.MemberID; m != 0 && ((st.FromMemberID != nil && *st.FromMemberID == m) || (st.ToMemberID != nil && *st.ToMemberID == m)) {
			return true
		}
	}
	return false
}

// load reads a task and its steps and checks that the actor may see it.
func (s *Service) load(ctx context.Context, actor *auth.Actor, id int64) (*Task, []Step, error) {
	t, err := s.Store.Task(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	steps, err := s.Store.Steps(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !visible(actor, t, steps) {
		if t.ParentID == nil || !s.parentVisible(ctx, actor, *t.ParentID) {
			return nil, nil, apperr.Keyed(apperr.NotFound, "task.task_not_found", "task %d not found", id)
		}
	}
	return t, steps, nil
}

// MayOpen says whether Get answers the actor for the task (the pages of
// other modules link a task only then).
func (s *Service) MayOpen(ctx context.Context, actor *auth.Actor, id int64) (bool, error) {
	_, _, err := s.load(ctx, actor, id)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

func (s *Service) parentVisible(ctx context.Context, actor *auth.Actor, id int64) bool {
	p, err := s.Store.Task(ctx, id)
	if err != nil {
		return false
	}
	steps, err := s.Store.Steps(ctx, id)
	return err == nil && visible(actor, p, steps)
}

// Get returns a task with every step, the holdings (who held it, from when
// to when, for how many working days), its flags and, for a group, its
// sub-tasks.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Detail, error) {
	t, steps, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	cal, rules, err := s.calendarAndRules(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	t.Overdue = IsOverdue(t, today)
	flags, err := s.Store.Flags(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range flags {
		flags[i].RuleName, flags[i].RuleNameEN = rules.Name(flags[i].Rule), rules.NameEN(flags[i].Rule)
		flags[i].fillDetail()
	}
	d := &Detail{Task: t, Steps: steps, Holdings: Holdings(cal, steps, today), Flags: flags}
	if d.Steps == nil {
		d.Steps = []Step{}
	}
	if d.Flags == nil {
		d.Flags = []Flag{}
	}
	c := CapacityOf(actor, t)
	d.Capacity = c.String()
	d.Can = []Action{}
	if t.Kind == KindGroup {
		kids, err := s.Store.Children(ctx, id)
		if err != nil {
			return nil, err
		}
		for i := range kids {
			kids[i].Overdue = IsOverdue(&kids[i], today)
		}
		d.SubTasks = kids
	} else if a := Allowed(t.State, c); a != nil {
		d.Can = a
	}
	return d, nil
}

// Holdings derives the holdings from the steps: each handover begins one.
func Holdings(cal *viet.Calendar, steps []Step, today date.Date) []Holding {
	out := []Holding{}
	for _, st := range steps {
		if !st.Action.Handover() {
			continue
		}
		h := Holding{StepID: st.ID, Action: st.Action, UnitID: st.ToUnitID, UnitName: st.ToUnitName, MemberID: st.ToMemberID, MemberName: st.ToMemberName,
			From: st.At, Until: st.EndedAt, DueOn: st.DueOn, AcceptDueOn: st.AcceptDueOn, AnsweredOn: st.AnsweredOn}
		end := today
		if st.EndedAt != nil {
			end = date.Today(*st.EndedAt)
		}
		h.Workdays = max(0, cal.WorkdaysBetween(date.Today(st.At), end))
		out = append(out, h)
	}
	return out
}

func sameMember(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// forwardScope tells which units a forward by the actor may name, by
// their paths. Every target stays inside the issuer's subtree, so the task
// never leaves the sight of the unit that gave it. Within it, an officer
// above the holder redirects the task within the subtree where it holds a
// superior's role; the holder passes it on within its own reach or to the
// units under the unit above it (the bodies beside it: passing sideways,
// which the rules flag). Units and members elsewhere answer as missing
// ones, so a forward never reveals a name out of reach.
func (s *Service) forwardScope(ctx context.Context, actor *auth.Actor, t *Task, c Capacity) (func(path string) bool, error) {
	var beside string
	if c&AsHolder != 0 && t.HolderParentID != nil {
		p, err := s.Store.Unit(ctx, *t.HolderParentID)
		if err != nil {
			return nil, err
		}
		beside = p.Path
	}
	within := func(path, of string) bool { return of != "" && (path == of || below(path, of)) }
	return func(path string) bool {
		switch {
		case !within(path, t.IssuerPath):
			return false
		case actor.System:
			return true
		case c&AsSuperior != 0 && actor.Can(path, SuperiorRoles):
			return true
		case c&AsHolder != 0 && (actor.Can(path, auth.SeeUnits) || within(path, beside)):
			return true
		}
		return false
	}, nil
}

// target resolves the holder a forward names: a unit (its head holds the
// task) or a member (of the named unit's subtree, or of any unit), both
// within the forward's scope (forwardScope).
func (s *Service) target(ctx context.Context, actor *auth.Actor, t *Task, c Capacity, in StepInput) (*UnitRef, *int64, error) {
	if in.ToUnitID == nil && in.ToMemberID == nil {
		return nil, nil, apperr.Keyed(apperr.Invalid, "task.whom_forward", "whom to forward to").With(apperr.FieldKeyed("to_unit_id", "task.name_unit_unit_id", "name a unit (to_unit_id) or a member (to_member_id)"))
	}
	inScope, err := s.forwardScope(ctx, actor, t, c)
	if err != nil {
		return nil, nil, err
	}
	holder := &UnitRef{ID: t.HolderUnitID, Path: t.HolderPath}
	var m *MemberRef
	if in.ToMemberID != nil {
		m, err = s.Store.Member(ctx, *in.ToMemberID)
		if err != nil || !inScope(m.UnitPath) {
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, nil, err
			}
			return nil, nil, auth.OutOfReach("to_member_id", "member")
		}
	}
	unitID := int64(0)
	switch {
	case in.ToUnitID != nil:
		unitID = *in.ToUnitID
	case m.UnitPath == holder.Path || below(m.UnitPath, holder.Path):
		// A member inside the holder's subtree holds it for the holder unit.
		unitID = holder.ID
	default:
		unitID = m.UnitID
	}
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil || u.Dissolved || !inScope(u.Path) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		return nil, nil, auth.OutOfReach("to_unit_id", "unit")
	}
	if m != nil {
		if !m.Active {
			return nil, nil, apperr.Keyed(apperr.Invalid, "task.member_not_active", "the member is not active").With(apperr.FieldKeyed("to_member_id", "task.not_active_member", "not an active member"))
		}
		if !(m.UnitPath == u.Path || below(m.UnitPath, u.Path)) {
			return nil, nil, apperr.Keyed(apperr.Invalid, "task.member_not_unit", "the member is not in that unit").With(apperr.FieldKeyed("to_member_id", "task.must_member_unit_unit", "must be a member of the unit or of a unit below it"))
		}
		return u, &m.ID, nil
	}
	return u, nil, nil
}

// ---- Heads -----------------------------------------------------------------

// Head returns the head of a unit the actor can see.
func (s *Service) Head(ctx context.Context, actor *auth.Actor, unitID int64) (*Head, error) {
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, auth.SeeUnits) && !(actor.MemberUnitPath != "" && strings.HasPrefix(actor.MemberUnitPath, u.Path)) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	return s.Store.UnitHead(ctx, unitID)
}

// HeadInput sets (member_id) or clears (null) a unit's head.
type HeadInput struct {
	MemberID *int64 `json:"member_id"`
}

// SetHead names the member who answers for a unit's tasks (an office or
// the admin). The member must be active and belong to the unit or to a unit
// below it (the secretary of a commune's party committee is a member of
// one of its cells). Clearing it brings back the default.
func (s *Service) SetHead(ctx context.Context, actor *auth.Actor, unitID int64, in HeadInput) (*Head, error) {
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !actor.Can(u.Path, ManageRoles) || u.Dissolved {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", unitID)
	}
	// The same head again (or clearing no explicit head) changes nothing.
	cur, err := s.Store.UnitHead(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !cur.Explicit && in.MemberID == nil || cur.Explicit && in.MemberID != nil && cur.MemberID != nil && *cur.MemberID == *in.MemberID {
		return cur, nil
	}
	if in.MemberID != nil {
		m, err := s.memberInReach(ctx, actor, *in.MemberID, ManageRoles, "member_id")
		if err != nil {
			return nil, err
		}
		if !m.Active || !(m.UnitPath == u.Path || below(m.UnitPath, u.Path)) {
			return nil, apperr.Keyed(apperr.Invalid, "task.member_cannot_head_unit", "the member cannot head the unit").With(apperr.FieldKeyed("member_id", "task.must_active_member_unit", "must be an active member of the unit or of a unit below it"))
		}
	}
	err = s.Store.SetUnitHead(ctx, unitID, in.MemberID, s.now().UTC(), auth.AuditEntry{Actor: actor, Action: "unit.head", ObjectType: "unit", ObjectID: unitID, UnitPath: u.Path,
		After: map[string]any{"member_id": in.MemberID}})
	if err != nil {
		return nil, err
	}
	return s.Store.UnitHead(ctx, unitID)
}

// ---- Rules -----------------------------------------------------------------

// Rules lists the detection rules (any signed-in account may read them).
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	rs, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Rule, 0, len(rs))
	for _, d := range DefaultRules() {
		out = append(out, rs[d.Code])
	}
	return out, nil
}

// UpdateRules changes names, switches and thresholds of rules (the admin
// and offices).
func (s *Service) UpdateRules(ctx context.Context, actor *auth.Actor, ps []RulePatch) ([]Rule, error) {
	if !actor.HasAny(ManageRoles) {
		return nil, apperr.Keyed(apperr.NotFound, "task.no_such_endpoint_your", "no such endpoint for your account")
	}
	cur, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	changed, err := ApplyPatches(cur, ps)
	if err != nil {
		return nil, err
	}
	if err := s.Store.UpdateRules(ctx, changed, s.now().UTC(), auth.AuditEntry{Actor: actor, Action: "task.rules", ObjectType: "task_rules", After: changed}); err != nil {
		return nil, err
	}
	return s.Rules(ctx)
}

// ---- Scan ------------------------------------------------------------------

// Scan raises the time-based flags (overdue, step_overdue, no_response)
// over all open tasks, in set-based statements on their precomputed due
// dates. A flag already raised (live or by an earlier scan) is not raised
// again. It is the handler of the periodic "task.scan" job.
func (s *Service) Scan(ctx context.Context) (*ScanResult, error) {
	cal, rules, err := s.calendarAndRules(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	today := date.Today(now)
	req := ScanRequest{Now: now, Today: today}
	if r, ok := rules.On(RuleOverdue); ok {
		req.OverdueBefore = OverdueCutoff(cal, today, r.Threshold)
	}
	if r, ok := rules.On(RuleStepOverdue); ok {
		req.StepOverdueBefore = OverdueCutoff(cal, today, r.Threshold)
	}
	if _, ok := rules.On(RuleNoResponse); ok {
		req.NoResponseBefore = today
	}
	raised, err := s.Store.ScanFlags(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ScanResult{Raised: raised}, nil
}

// Ref is the detail's id and version (its ETag in the API).
func (x *Detail) Ref() (id int64, version int) { return x.ID, x.Version }
