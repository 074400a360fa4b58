package outbreak

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// fakeStore keeps foci in memory: enough for the rules of the service.
type fakeStore struct {
	units    map[int64]*UnitRef
	members  map[int64]*MemberRef
	diseases map[string]*Disease
	foci     map[int64]*Focus
	reports  map[int64][]Report
	duties   map[int64]*Duty
	funding  []NewFunding
	audits   []auth.AuditEntry
	nextID   int64
}

func newFake() *fakeStore {
	unit := func(id int64, kind, path, name string) *UnitRef {
		return &UnitRef{ID: id, Kind: kind, Path: path, Name: name}
	}
	return &fakeStore{
		units: map[int64]*UnitRef{
			1: unit(1, "district_committee", "/1/", "Huyện ủy Phú Xuyên"),
			2: unit(2, "grassroots_committee", "/1/2/", "Đảng bộ xã Phú Túc"),
			3: unit(3, "cell", "/1/2/3/", "Chi bộ thôn Đồng Phú"),
			4: unit(4, "grassroots_committee", "/1/4/", "Đảng bộ xã Châu Can"),
			5: unit(5, "cell", "/1/5/", "Chi bộ cơ quan huyện"),
		},
		members: map[int64]*MemberRef{
			10: {ID: 10, Name: "Nguyễn Văn An", UnitPath: "/1/2/3/", Active: true},
			11: {ID: 11, Name: "Trần Thị Bình", UnitPath: "/1/4/", Active: true},
		},
		diseases: map[string]*Disease{"sot_xuat_huyet": {Code: "sot_xuat_huyet", NameVI: "Sốt xuất huyết", ClosingDays: 14, Version: 1}},
		foci:     map[int64]*Focus{}, reports: map[int64][]Report{}, duties: map[int64]*Duty{},
	}
}

func (s *fakeStore) id() int64 { s.nextID++; return s.nextID }

func (s *fakeStore) Unit(_ context.Context, id int64) (*UnitRef, error) {
	if u, ok := s.units[id]; ok {
		c := *u
		return &c, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", id)
}

func (s *fakeStore) Commune(_ context.Context, u *UnitRef) (*UnitRef, error) {
	var best *UnitRef
	for _, c := range s.units {
		if c.Kind == "grassroots_committee" && strings.HasPrefix(u.Path, c.Path) && (best == nil || len(c.Path) > len(best.Path)) {
			best = c
		}
	}
	return best, nil
}

func (s *fakeStore) Member(_ context.Context, id int64) (*MemberRef, error) {
	if m, ok := s.members[id]; ok {
		return m, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "member.not_found", "member %d not found", id)
}

func (s *fakeStore) Diseases(context.Context) ([]Disease, error) { return nil, nil }
func (s *fakeStore) Disease(_ context.Context, code string) (*Disease, error) {
	if d, ok := s.diseases[code]; ok {
		c := *d
		return &c, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "outbreak.disease_not_found", "no such disease")
}
func (s *fakeStore) PutDisease(_ context.Context, d *Disease, _ bool, a auth.AuditEntry) error {
	s.diseases[d.Code], s.audits = d, append(s.audits, a)
	return nil
}

func (s *fakeStore) Create(_ context.Context, f *Focus, a auth.AuditEntry) error {
	f.ID = s.id()
	c := *f
	s.foci[f.ID], s.audits = &c, append(s.audits, a)
	return nil
}

func (s *fakeStore) Focus(_ context.Context, id int64) (*Focus, error) {
	if f, ok := s.foci[id]; ok {
		c := *f
		return &c, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such outbreak focus")
}

func (s *fakeStore) List(context.Context, Filter) (*page.Of[Focus], error) {
	return &page.Of[Focus]{}, nil
}
func (s *fakeStore) Reports(_ context.Context, id int64, _ int) ([]Report, error) {
	return s.reports[id], nil
}

func (s *fakeStore) AddReport(_ context.Context, r *Report, a auth.AuditEntry) error {
	for _, x := range s.reports[r.OutbreakID] {
		if x.On == r.On {
			return apperr.Keyed(apperr.Conflict, "outbreak.report_exists", "the report of %s is already recorded", r.On.String())
		}
	}
	s.reports[r.OutbreakID] = append(s.reports[r.OutbreakID], *r)
	f := s.foci[r.OutbreakID]
	if r.NewCases > 0 && (f.LastCaseOn == nil || f.LastCaseOn.Before(r.On)) {
		d := r.On
		f.LastCaseOn = &d
	}
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) SetOnSite(_ context.Context, f *Focus, version int, a auth.AuditEntry) error {
	cur := s.foci[f.ID]
	if cur.Version != version {
		return apperr.Keyed(apperr.Conflict, "outbreak.stale", "changed meanwhile: read it again")
	}
	cur.OnSite, cur.Version = f.OnSite, cur.Version+1
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) Close(_ context.Context, f *Focus, a auth.AuditEntry) error {
	cur := s.foci[f.ID]
	cur.State, cur.ClosedOn, cur.CloseReason, cur.ClosedEarly = f.State, f.ClosedOn, f.CloseReason, f.ClosedEarly
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) AddDuties(_ context.Context, _ int64, in *NewDuties, a auth.AuditEntry) error {
	for i := range in.Duties {
		in.Duties[i].ID = s.id()
		d := in.Duties[i]
		s.duties[d.ID] = &d
	}
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) Duties(context.Context, int64, int) ([]Duty, error) { return nil, nil }
func (s *fakeStore) Duty(_ context.Context, id int64) (*Duty, error) {
	if d, ok := s.duties[id]; ok {
		c := *d
		return &c, nil
	}
	return nil, apperr.Keyed(apperr.NotFound, "outbreak.duty_not_found", "no such shift")
}
func (s *fakeStore) ConfirmDuty(_ context.Context, d *Duty, a auth.AuditEntry) error {
	s.duties[d.ID].ConfirmedAt, s.audits = d.ConfirmedAt, append(s.audits, a)
	return nil
}
func (s *fakeStore) MyDuties(_ context.Context, member int64, since time.Time, _ int, _ string) (*page.Of[Duty], error) {
	out := &page.Of[Duty]{Items: []Duty{}}
	for _, d := range s.duties {
		if d.MemberID == member && !d.To.Before(since) {
			out.Items = append(out.Items, *d)
		}
	}
	out.Total = len(out.Items)
	return out, nil
}
func (s *fakeStore) Audit(_ context.Context, a auth.AuditEntry) error {
	s.audits = append(s.audits, a)
	return nil
}
func (s *fakeStore) AddFunding(_ context.Context, in *NewFunding, a auth.AuditEntry) error {
	in.Funding.ID, in.Funding.TaskID = s.id(), s.id()
	s.funding, s.audits = append(s.funding, *in), append(s.audits, in.TaskAudit, a)
	return nil
}
func (s *fakeStore) Funding(context.Context, int64) ([]Funding, error) { return nil, nil }
func (s *fakeStore) BoardFoci(context.Context, string, date.Date, date.Date, int) ([]BoardFocus, error) {
	return nil, nil
}
func (s *fakeStore) BoardFunding(context.Context, string, date.Date, date.Date) ([]BoardFunding, error) {
	return nil, nil
}

func (s *fakeStore) Figures(context.Context, string, date.Date, date.Date) (*Figures, error) {
	return &Figures{}, nil
}

func (s *fakeStore) BoardZones(context.Context, string, date.Date) (map[int64]json.RawMessage, error) {
	return nil, nil
}

// fakeTasks records the actor Plan was called with and plans one task.
type fakeTasks struct {
	planner *auth.Actor
	in      task.CreateInput
}

func (f *fakeTasks) Plan(_ context.Context, actor *auth.Actor, in task.CreateInput) (*task.NewTasks, auth.AuditEntry, error) {
	f.planner, f.in = actor, in
	return &task.NewTasks{Items: []task.NewTask{{Task: &task.Task{DueOn: in.DueOn}}}}, auth.AuditEntry{Actor: actor, Action: "task.create", ObjectType: "task"}, nil
}
func (f *fakeTasks) Announce(context.Context, *auth.Actor, *task.NewTasks) {}

type fixture struct {
	s     *Service
	st    *fakeStore
	tasks *fakeTasks
	now   time.Time
}

func newFixture(t *testing.T, day string) *fixture {
	t.Helper()
	fx := &fixture{st: newFake(), tasks: &fakeTasks{}}
	fx.on(day)
	fx.s = &Service{Store: fx.st, Tasks: fx.tasks, Now: func() time.Time { return fx.now }}
	return fx
}

// on moves the clock to 10:00 in Vietnam on day.
func (fx *fixture) on(day string) {
	d := date.MustParse(day)
	fx.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, date.Vietnam)
}

func actorOn(member int64, role auth.Role, units ...*UnitRef) *auth.Actor {
	a := &auth.Actor{AccountID: 100 + member, MemberID: member}
	for _, u := range units {
		a.Grants = append(a.Grants, auth.Grant{UnitID: u.ID, UnitPath: u.Path, Role: role})
	}
	return a
}

func keyOf(err error) string {
	k, _ := apperr.KeyOf(err)
	return k
}

func TestOpenReachAndLevel(t *testing.T) {
	fx := newFixture(t, "2026-09-07")
	ctx := context.Background()
	commune := actorOn(1, auth.RoleCommittee, fx.st.units[2])
	district := actorOn(2, auth.RoleOffice, fx.st.units[1])
	member := actorOn(10, auth.RoleMember, fx.st.units[3])
	in := func(unit int64) OpenInput {
		return OpenInput{UnitID: unit, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú", OpenedOn: date.MustParse("2026-09-07")}
	}
	_, missing := fx.s.Open(ctx, commune, in(999))
	for _, c := range []struct {
		name        string
		actor       *auth.Actor
		in          OpenInput
		code        apperr.Code
		field       string
		wantCommune int64
	}{
		{"a village of the commune", commune, in(3), "", "", 2},
		{"the commune itself", commune, in(2), "", "", 2},
		{"a commune beside: as missing", commune, in(4), apperr.NotFound, "", 0},
		{"a member of the village", member, in(3), apperr.NotFound, "", 0},
		{"the district's unit: not a commune", district, in(1), apperr.Invalid, "unit_id", 0},
		{"a cell directly under the district", district, in(5), apperr.Invalid, "unit_id", 0},
		{"a future day", commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "x", OpenedOn: date.MustParse("2026-09-08")}, apperr.Invalid, "opened_on", 0},
		{"an unknown disease", commune, OpenInput{UnitID: 3, Disease: "dich_hach", Place: "x", OpenedOn: date.MustParse("2026-09-07")}, apperr.Invalid, "disease", 0},
		{"first case after opening", commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "x", OpenedOn: date.MustParse("2026-09-06"), FirstCaseOn: dp("2026-09-07")}, apperr.Invalid, "first_case_on", 0},
		{"a phone in the note", commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "x", OpenedOn: date.MustParse("2026-09-07"), Note: "gọi 0912345678"}, apperr.Invalid, "note", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := fx.s.Open(ctx, c.actor, c.in)
			if got := apperr.CodeOf(err); err != nil && got != c.code || err == nil && c.code != "" {
				t.Fatalf("got %v, want code %q", err, c.code)
			}
			if want := strings.Replace(missing.Error(), "999", strconv.FormatInt(c.in.UnitID, 10), 1); c.code == apperr.NotFound && err.Error() != want {
				t.Errorf("out of reach: %q, want the message of a missing unit %q", err, missing)
			}
			if c.field != "" && fieldOf(err) != c.field {
				t.Errorf("field %q, want %q (%v)", fieldOf(err), c.field, err)
			}
			if c.code == "" && f.CommuneID != c.wantCommune {
				t.Errorf("commune %d, want %d", f.CommuneID, c.wantCommune)
			}
		})
	}
}

func TestCloseRule(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, "2026-09-01")
	commune := actorOn(1, auth.RoleCommittee, fx.st.units[2])
	district := actorOn(2, auth.RoleStandingCommittee, fx.st.units[1])
	f, err := fx.s.Open(ctx, commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú", OpenedOn: date.MustParse("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	fx.on("2026-09-03")
	n := 2
	if _, err := fx.s.AddReport(ctx, commune, f.ID, ReportInput{On: date.MustParse("2026-09-03"), NewCases: &n}); err != nil {
		t.Fatal(err)
	}
	zero := 0
	if _, err := fx.s.AddReport(ctx, commune, f.ID, ReportInput{On: date.MustParse("2026-09-03"), NewCases: &zero}); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a second report for the day: %v, want conflict", err)
	}
	fx.on("2026-09-16") // 13 days after the last case
	_, err = fx.s.Close(ctx, commune, f.ID, CloseInput{})
	if keyOf(err) != "outbreak.not_closable" || !strings.Contains(err.Error(), "1 days remain") || !strings.Contains(err.Error(), "2026-09-17") {
		t.Errorf("close a day early: %v, want not_closable saying 2026-09-17 and 1 day", err)
	}
	if _, err := fx.s.Close(ctx, district, f.ID, CloseInput{}); keyOf(err) != "outbreak.reason_required" {
		t.Errorf("the district without a reason: %v", err)
	}
	fx.on("2026-09-17")
	got, err := fx.s.Close(ctx, commune, f.ID, CloseInput{})
	if err != nil || got.State != Closed || got.ClosedEarly || got.ClosedOn.String() != "2026-09-17" {
		t.Fatalf("close on the 14th day: %+v %v", got, err)
	}
	if _, err := fx.s.Close(ctx, district, f.ID, CloseInput{Reason: "x"}); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("close a closed focus: %v, want conflict", err)
	}
	if _, err := fx.s.AddReport(ctx, commune, f.ID, ReportInput{On: date.MustParse("2026-09-17"), NewCases: &n}); keyOf(err) != "outbreak.closed" {
		t.Errorf("report on a closed focus: %v", err)
	}
	last := fx.st.audits[len(fx.st.audits)-1]
	if last.Action != "outbreak.close" || last.ObjectID != f.ID || last.UnitPath != "/1/2/3/" {
		t.Errorf("close audit: %+v", last)
	}
}

func TestOnSiteMeansTime(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, "2026-09-01")
	commune := actorOn(1, auth.RoleCommittee, fx.st.units[2])
	f, _ := fx.s.Open(ctx, commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú", OpenedOn: date.MustParse("2026-09-01")})
	village := int64(3)
	in := OnSiteInput{Command: &CommandInput{MemberID: 10, Phone: "0912 000 111"}, Forces: []ForceInput{{UnitID: &village, Role: "Chi bộ", Count: ptr(5)}},
		Means: []Item{{Item: "Máy phun", Quantity: 2}}, Version: 1}
	got, err := fx.s.SetOnSite(ctx, commune, f.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	first := *got.OnSite.MeansUpdatedAt
	fx.now = fx.now.Add(48 * time.Hour)
	in.Forces[0].Count, in.Version = ptr(8), 0
	if got, err = fx.s.SetOnSite(ctx, commune, f.ID, in); err != nil || !got.OnSite.MeansUpdatedAt.Equal(first) {
		t.Errorf("forces changed only: means updated %v, want still %v (%v)", got.OnSite.MeansUpdatedAt, first, err)
	}
	in.Means[0].Quantity = 3
	if got, err = fx.s.SetOnSite(ctx, commune, f.ID, in); err != nil || !got.OnSite.MeansUpdatedAt.Equal(fx.now.UTC()) {
		t.Errorf("means changed: updated %v, want %v", got.OnSite.MeansUpdatedAt, fx.now)
	}
	in.Version = 1
	if _, err := fx.s.SetOnSite(ctx, commune, f.ID, in); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("at an old version: %v, want conflict", err)
	}
	in.Version = 0
	in.Forces = []ForceInput{{MemberID: ptr64(11), Role: "x"}}
	if _, err := fx.s.SetOnSite(ctx, commune, f.ID, in); apperr.CodeOf(err) != apperr.NotFound || fieldOf(err) != "forces[0].member_id" {
		t.Errorf("a member of another commune: %v (field %q), want 404 naming forces[0].member_id", err, fieldOf(err))
	}
}

func TestFundingPlansTheFundersTask(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, "2026-09-07")
	commune := actorOn(1, auth.RoleCommittee, fx.st.units[2])
	f, _ := fx.s.Open(ctx, commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú", OpenedOn: date.MustParse("2026-09-07")})
	in := FundingInput{Amount: 50_000_000, Purpose: "Hóa chất", NeededBy: date.MustParse("2026-09-11"), ToUnitID: 4}
	if _, err := fx.s.RequestFunding(ctx, commune, f.ID, in); apperr.CodeOf(err) != apperr.NotFound || fieldOf(err) != "to_unit_id" {
		t.Errorf("funding from a commune beside: %v, want 404 naming to_unit_id", err)
	}
	in.ToUnitID = 1
	fu, err := fx.s.RequestFunding(ctx, commune, f.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if fu.State != FundRequested || fu.Late || fu.TaskID == 0 {
		t.Errorf("funding: %+v", fu)
	}
	p := fx.tasks.planner
	if p == commune || !p.Can("/1/", task.CreateRoles) || p.AccountID != commune.AccountID || p.System {
		t.Errorf("the task was planned as %+v: want the requester with a role on the district", p)
	}
	if diff := cmp.Diff(task.CreateInput{UnitID: 1, DueOn: in.NeededBy}, task.CreateInput{UnitID: fx.tasks.in.UnitID, DueOn: fx.tasks.in.DueOn}); diff != "" {
		t.Errorf("task input (-want +got):\n%s", diff)
	}
	if commune.Can("/1/", task.CreateRoles) {
		t.Error("the requester's own actor gained the district's role")
	}
	n := len(fx.st.audits)
	if fx.st.audits[n-2].Actor != commune || fx.st.audits[n-1].Action != "outbreak.funding" {
		t.Errorf("audit entries: %+v", fx.st.audits[n-2:])
	}
	for _, bad := range []int64{0, -1, MaxAmount + 1} {
		in.Amount = bad
		if _, err := fx.s.RequestFunding(ctx, commune, f.ID, in); fieldOf(err) != "amount" {
			t.Errorf("amount %d: %v, want refused on amount", bad, err)
		}
	}
}

func TestConfirmOwnDutyOnly(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, "2026-09-07")
	commune := actorOn(1, auth.RoleCommittee, fx.st.units[2])
	f, _ := fx.s.Open(ctx, commune, OpenInput{UnitID: 3, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú", OpenedOn: date.MustParse("2026-09-07")})
	from := fx.now.Add(24 * time.Hour)
	ds, err := fx.s.AddDuties(ctx, commune, f.ID, []DutyInput{{MemberID: 10, Role: "Phun", From: from, To: from.Add(4 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.s.ConfirmDuty(ctx, actorOn(11, auth.RoleMember), ds[0].ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("another member confirms: %v, want 404", err)
	}
	d, err := fx.s.ConfirmDuty(ctx, actorOn(10, auth.RoleMember), ds[0].ID)
	if err != nil || d.ConfirmedAt == nil {
		t.Errorf("the member confirms: %+v %v", d, err)
	}
	if a := fx.st.audits[len(fx.st.audits)-1]; a.Action != "outbreak.duty_confirm" || a.UnitPath != "/1/2/3/" {
		t.Errorf("confirmation audit: %+v", a)
	}
	if _, err := fx.s.AddDuties(ctx, commune, f.ID, []DutyInput{{MemberID: 10, Role: "Phun", From: from, To: from.Add(25 * time.Hour)}}); fieldOf(err) != "[0].to" {
		t.Errorf("a 25-hour shift: %v, want refused on [0].to", err)
	}
}

func ptr(n int) *int       { return &n }
func ptr64(n int64) *int64 { return &n }
