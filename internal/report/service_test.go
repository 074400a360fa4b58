package report

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// fakeStore keeps one request in memory.
type fakeStore struct {
	units   map[int64]*UnitRef
	req     *Request
	subs    map[int64]*Submission
	created int
}

func (f *fakeStore) Unit(_ context.Context, id int64) (*UnitRef, error) {
	if u, ok := f.units[id]; ok {
		return u, nil
	}
	return nil, apperr.NotFoundf("unit %d not found", id)
}
func (f *fakeStore) Create(_ context.Context, in *NewRequest, _ auth.AuditEntry) error {
	f.created++
	r := *in.Request
	r.ID = 7
	in.Request.ID = 7
	for _, it := range in.Tasks.Items {
		u := f.units[it.Task.UnitID]
		r.Units = append(r.Units, UnitStatus{UnitID: u.ID, Name: u.Name, UnitPath: u.Path, TaskID: 100 + u.ID})
	}
	slices.SortFunc(r.Units, func(a, b UnitStatus) int { return int(a.UnitID - b.UnitID) })
	f.req = &r
	return nil
}
func (f *fakeStore) Request(_ context.Context, id int64) (*Request, error) {
	if f.req == nil || f.req.ID != id {
		return nil, apperr.NotFoundf("no")
	}
	r := *f.req
	r.Units = append([]UnitStatus(nil), f.req.Units...)
	return &r, nil
}
func (f *fakeStore) List(context.Context, ListFilter) (*page.Of[Summary], error) {
	return &page.Of[Summary]{}, nil
}
func (f *fakeStore) Submission(_ context.Context, id int64) (*Submission, error) {
	if s, ok := f.subs[id]; ok {
		return s, nil
	}
	return nil, apperr.NotFoundf("no")
}
func (f *fakeStore) Send(_ context.Context, s *Submission, _ auth.AuditEntry) error {
	s.ID = int64(len(f.subs) + 1)
	f.subs[s.ID] = s
	for i := range f.req.Units {
		if f.req.Units[i].UnitID == s.UnitID {
			f.req.Units[i].SubmissionID, f.req.Units[i].SentOn, f.req.Units[i].SentAt = &s.ID, s.SentOn, &s.SentAt
		}
	}
	return nil
}
func (f *fakeStore) MemberStats(context.Context, string, date.Date, bool) (*org.Stats, error) {
	st := org.NewStats()
	st.Members.Total = 42
	st.Members.ByGender["female"] = 20
	return st, nil
}
func (f *fakeStore) DocumentsRead(context.Context, string, date.Date, date.Date) (int, int, error) {
	return 9, 4, nil
}

// fakeTasks plans a fan-out to the units below and records the steps.
type fakeTasks struct {
	f     *fakeStore
	steps []task.Action
}

func (t *fakeTasks) Plan(_ context.Context, _ *auth.Actor, in task.CreateInput) (*task.NewTasks, auth.AuditEntry, error) {
	due := in.DueOn
	if in.Workdays != nil {
		due = date.MustParse("2026-11-10")
	}
	nt := &task.NewTasks{Group: &task.NewTask{Task: &task.Task{DueOn: due}}}
	for _, u := range t.f.units {
		if u.ParentID != nil && *u.ParentID == in.UnitID {
			nt.Items = append(nt.Items, task.NewTask{Task: &task.Task{UnitID: u.ID, DueOn: due}})
		}
	}
	return nt, auth.AuditEntry{}, nil
}
func (t *fakeTasks) Announce(context.Context, *auth.Actor, *task.NewTasks) {}
func (t *fakeTasks) Get(_ context.Context, _ *auth.Actor, id int64) (*task.Detail, error) {
	return &task.Detail{Task: &task.Task{ID: id, State: task.StateAssigned}, Can: []task.Action{task.ActAccept}}, nil
}
func (t *fakeTasks) Step(_ context.Context, _ *auth.Actor, id int64, in task.StepInput) (*task.Detail, error) {
	t.steps = append(t.steps, in.Action)
	return &task.Detail{Task: &task.Task{ID: id, State: task.StateInProgress}, Can: []task.Action{task.ActComplete}}, nil
}
func (t *fakeTasks) Accountability(context.Context, *auth.Actor, task.ReportInput) (*task.Report, error) {
	return &task.Report{Totals: task.Metrics{Received: 3, DoneOnTime: 2, DoneLate: 1}}, nil
}

func on(id int64, path string, role auth.Role) *auth.Actor {
	return &auth.Actor{AccountID: id, Username: "u", Grants: []auth.Grant{{UnitID: id, UnitPath: path, Role: role}}}
}

func newFake() (*Service, *fakeStore, *fakeTasks, *time.Time) {
	one := int64(1)
	f := &fakeStore{subs: map[int64]*Submission{}, units: map[int64]*UnitRef{
		1: {ID: 1, Path: "/1/", Name: "Huyện ủy"},
		2: {ID: 2, ParentID: &one, Path: "/1/2/", Name: "Xã A"},
		3: {ID: 3, ParentID: &one, Path: "/1/3/", Name: "Xã B"},
		9: {ID: 9, Path: "/9/", Name: "Huyện khác"},
	}}
	tk := &fakeTasks{f: f}
	now := date.MustParse("2026-11-02").Time().Add(3 * time.Hour)
	return &Service{Store: f, Tasks: tk, Now: func() time.Time { return now }}, f, tk, &now
}

func good() CreateInput {
	return CreateInput{Title: "Báo cáo quý", UnitID: 1, Kind: "quarter", PeriodFrom: date.MustParse("2026-07-01"), PeriodTo: date.MustParse("2026-09-30"), DueOn: date.MustParse("2026-11-10")}
}

func TestCreateRefusesBadInput(t *testing.T) {
	office := on(1, "/1/", auth.RoleOffice)
	for _, c := range []struct {
		name  string
		edit  func(*CreateInput)
		actor *auth.Actor
		code  apperr.Code
		field string
	}{
		{"period_to before period_from", func(in *CreateInput) { in.PeriodTo = date.MustParse("2026-06-30") }, office, apperr.Invalid, "period_to"},
		{"absurd year", func(in *CreateInput) { in.PeriodFrom = date.MustParse("1066-10-14") }, office, apperr.Invalid, "period_from"},
		{"period too long", func(in *CreateInput) { in.PeriodFrom = date.MustParse("2016-01-01") }, office, apperr.Invalid, "period_to"},
		{"no deadline", func(in *CreateInput) { in.DueOn = date.Date{} }, office, apperr.Invalid, "due_on"},
		{"both deadlines", func(in *CreateInput) { n := 3; in.Workdays = &n }, office, apperr.Invalid, "workdays"},
		{"empty title", func(in *CreateInput) { in.Title = " " }, office, apperr.Invalid, "title"},
		{"control character", func(in *CreateInput) { in.Kind = "quý\u202e" }, office, apperr.Invalid, "kind"},
		{"out of reach", func(in *CreateInput) {}, on(2, "/1/2/", auth.RoleCommittee), apperr.NotFound, ""},
		{"other district", func(in *CreateInput) { in.UnitID = 9 }, office, apperr.NotFound, ""},
		{"a cell officer", func(in *CreateInput) {}, on(1, "/1/", auth.RoleCellOfficer), apperr.NotFound, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, f, _, _ := newFake()
			in := good()
			c.edit(&in)
			_, err := s.Create(context.Background(), c.actor, in)
			if got := apperr.CodeOf(err); got != c.code {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if e, _ := apperr.As(err); c.field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != c.field) {
				t.Errorf("fields: got %+v, want %s", e.Fields, c.field)
			}
			if f.created != 0 {
				t.Errorf("written: got %d, want 0", f.created)
			}
		})
	}
}

func TestReachStatusAndSend(t *testing.T) {
	ctx := context.Background()
	s, _, tk, now := newFake()
	office, comA, comB := on(1, "/1/", auth.RoleOffice), on(2, "/1/2/", auth.RoleCommittee), on(3, "/1/3/", auth.RoleCommittee)
	r, err := s.Create(ctx, office, good())
	if err != nil {
		t.Fatal(err)
	}
	// A unit below sees only its own row; another district nothing.
	own, err := s.Get(ctx, comA, r.ID)
	if err != nil || len(own.Units) != 1 || own.Units[0].UnitID != 2 {
		t.Fatalf("A reads: got %v %+v", err, own)
	}
	if _, err := s.Get(ctx, on(9, "/9/", auth.RoleOffice), r.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("other district: got %v, want not found", err)
	}
	// The requester's office does not send for a unit.
	if _, err := s.Send(ctx, office, r.ID, SendInput{UnitID: 2}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("office sends for A: got %v, want invalid", err)
	}
	// A sends the draft as is: generated from its data; its task accepted then completed.
	sub, err := s.Send(ctx, comA, r.ID, SendInput{UnitID: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Figures["members.total"] != 42 || sub.Figures["tasks.done_late"] != 1 || sub.Figures["documents.readers"] != 4 || sub.Status != StatusSent {
		t.Errorf("sent draft: got %+v", sub)
	}
	if d := cmp.Diff([]task.Action{task.ActAccept, task.ActComplete}, tk.steps); d != "" {
		t.Errorf("task steps (-want +got):\n%s", d)
	}
	body := "lần hai"
	if _, err := s.Send(ctx, comA, r.ID, SendInput{UnitID: 2, Body: &body}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second send: got %v, want conflict", err)
	}
	// B reads nothing of A's report.
	if _, _, err := s.GetSubmission(ctx, comB, r.ID, sub.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("B opens A's report: got %v, want not found", err)
	}
	// After the due date: B missing and overdue; B then sends late.
	*now = date.MustParse("2026-11-12").Time().Add(3 * time.Hour)
	got, _ := s.Get(ctx, office, r.ID)
	if got.Units[1].Status != StatusMissing || !got.Units[1].Overdue || got.Units[0].Status != StatusSent {
		t.Errorf("after the due date: got %+v", got.Units)
	}
	bad := "x\u202ey"
	if _, err := s.Send(ctx, comB, r.ID, SendInput{UnitID: 3, Body: &bad}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bidi override in the body: got %v, want invalid", err)
	}
	if _, err := s.Send(ctx, comB, r.ID, SendInput{UnitID: 3, Body: &body, Figures: Figures{"Bad Key": 1}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad figure name: got %v, want invalid", err)
	}
	if _, err := s.Send(ctx, comB, r.ID, SendInput{UnitID: 3, Body: &body}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, office, r.ID)
	if d := cmp.Diff([]Status{StatusSent, StatusLate}, []Status{got.Units[0].Status, got.Units[1].Status}); d != "" || got.Sent != 1 || got.Late != 1 {
		t.Errorf("statuses (-want +got):\n%s %d/%d", d, got.Sent, got.Late)
	}
}
