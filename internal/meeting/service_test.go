package meeting

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/fakestore"
	"github.com/sotay-vn/sotay/internal/page"
)

// fakeStore keeps meetings in memory.
type fakeStore struct {
	units     map[int64]*UnitRef
	members   map[int64][]Member // by cell
	hosts     map[int64]string   // member → host cell path
	docs      map[int64]string   // document → audience path
	guidance  []Guidance
	meetings  map[int64]*Meeting
	invited   []Invitation
	audits    []string
	nextID    int64
	absences  []Absence
	cellYears []CellYear
	subtree   []SubtreeYear
	feeds     map[string]*fakeFeed // by token hash
}

type fakeFeed struct {
	feed    Feed
	owner   *auth.Actor // as the store would load it now
	revoked bool
}

func newFake() *fakeStore {
	f := &fakeStore{
		units: map[int64]*UnitRef{
			1:  {ID: 1, Path: "/1/", Name: "Huyện ủy", Kind: "district_committee"},
			2:  {ID: 2, Path: "/1/2/", Name: "Đảng bộ xã Phú Túc", Kind: "grassroots_committee"},
			3:  {ID: 3, Path: "/1/2/3/", Name: "Chi bộ thôn 1", Kind: "cell"},
			4:  {ID: 4, Path: "/1/2/4/", Name: "Chi bộ thôn 2", Kind: "cell"},
			5:  {ID: 5, Path: "/1/5/", Name: "Đảng bộ xã khác", Kind: "grassroots_committee"},
			6:  {ID: 6, Path: "/1/5/6/", Name: "Chi bộ khác", Kind: "cell"},
			7:  {ID: 7, Path: "/1/2/7/", Name: "Chi bộ đã giải thể", Kind: "cell", Dissolved: true},
			99: {ID: 99, Path: "/1/2/99/", Name: "x", Kind: "cell"},
		},
		members: map[int64][]Member{3: {
			{ID: 31, FullName: "Nguyễn Văn An", Status: ClassFull},
			{ID: 32, FullName: "Trần Thị Bình", Status: ClassFull},
			{ID: 33, FullName: "Lê Văn Cường", Status: ClassFull},
			{ID: 34, FullName: "Phạm Thị Dung", Status: ClassProbationary},
			{ID: 35, FullName: "Hoàng Văn Em", Status: ClassExempt},
			{ID: 36, FullName: "Vũ Thị Gấm", Status: ClassFull, Hosted: true},
			{ID: 37, FullName: "Đỗ Văn Hùng", Status: ClassFull, Away: true},
		}},
		hosts:    map[int64]string{36: "/1/2/3/"},
		docs:     map[int64]string{100: "/1/", 101: "/1/2/", 102: "/1/5/"},
		meetings: map[int64]*Meeting{},
	}
	return f
}

func (f *fakeStore) UnitRef(_ context.Context, id int64) (*UnitRef, error) {
	return fakestore.Copy(f.units, id)
}
func (f *fakeStore) HostPath(_ context.Context, id int64) (string, error) { return f.hosts[id], nil }
func (f *fakeStore) MissingDocuments(_ context.Context, ids []int64, path string) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		if p, ok := f.docs[id]; !ok || !strings.HasPrefix(path, p) {
			out = append(out, id)
		}
	}
	return out, nil
}
func (f *fakeStore) DocumentTitles(_ context.Context, ids []int64, path string) (map[int64]string, error) {
	return map[int64]string{}, nil
}
func (f *fakeStore) CreateGuidance(_ context.Context, g *Guidance, a auth.AuditEntry) error {
	f.nextID++
	g.ID = f.nextID
	f.guidance = append(f.guidance, *g)
	f.audits = append(f.audits, a.Action)
	return nil
}
func (f *fakeStore) Guidance(_ context.Context, id int64) (*Guidance, error) {
	for _, g := range f.guidance {
		if g.ID == id {
			return &g, nil
		}
	}
	return nil, apperr.NotFoundf("no")
}
func (f *fakeStore) GuidanceFor(_ context.Context, ids []int64, month string) ([]Guidance, error) {
	var out []Guidance
	for _, id := range ids {
		for _, g := range f.guidance {
			if g.UnitID == id && g.Month == month {
				out = append(out, g)
			}
		}
	}
	return out, nil
}
func (f *fakeStore) Create(_ context.Context, m *Meeting, inv Invitation, a auth.AuditEntry) error {
	f.nextID++
	m.ID = f.nextID
	c := *m
	f.meetings[m.ID] = &c
	f.invited = append(f.invited, inv)
	f.audits = append(f.audits, a.Action)
	return nil
}
func (f *fakeStore) Meeting(_ context.Context, id int64) (*Meeting, error) {
	m, ok := f.meetings[id]
	if !ok {
		return nil, apperr.NotFoundf("no")
	}
	c := *m
	c.Attendance = append([]Attendance{}, m.Attendance...)
	c.Amendments = append([]Amendment{}, m.Amendments...)
	c.Agenda = append([]AgendaItem{}, m.Agenda...)
	return &c, nil
}
func (f *fakeStore) Ordinal(_ context.Context, m *Meeting) (int, error) {
	n := 0
	for _, o := range f.meetings {
		if o.UnitID == m.UnitID && o.State == Closed && o.StartsAt.In(date.Vietnam).Year() == m.StartsAt.In(date.Vietnam).Year() &&
			(o.StartsAt.Before(m.StartsAt) || o.StartsAt.Equal(m.StartsAt) && o.ID <= m.ID) {
			n++
		}
	}
	return n, nil
}
func (f *fakeStore) bump(m *Meeting, version int, a auth.AuditEntry) (*Meeting, error) {
	old := f.meetings[m.ID]
	if old.Version != version {
		return nil, apperr.New(apperr.Conflict, "stale")
	}
	f.audits = append(f.audits, a.Action)
	return old, nil
}
func (f *fakeStore) Update(_ context.Context, m *Meeting, version int, a auth.AuditEntry) error {
	if _, err := f.bump(m, version, a); err != nil {
		return err
	}
	c := *m
	c.Version = version + 1
	f.meetings[m.ID] = &c
	return nil
}
func (f *fakeStore) List(_ context.Context, fl ListFilter) (*page.Of[Meeting], error) {
	out := &page.Of[Meeting]{Items: []Meeting{}}
	for _, m := range f.meetings {
		if strings.HasPrefix(m.UnitPath, fl.Path) {
			out.Items = append(out.Items, *m)
		}
	}
	out.Total = len(out.Items)
	return out, nil
}
func (f *fakeStore) RollMembers(_ context.Context, cell int64) ([]Member, error) {
	return f.members[cell], nil
}
func (f *fakeStore) PutAttendance(_ context.Context, m *Meeting, lines []Attendance, version int, a auth.AuditEntry) error {
	old, err := f.bump(m, version, a)
	if err != nil {
		return err
	}
	for _, l := range lines {
		found := false
		for i := range old.Attendance {
			if old.Attendance[i].MemberID == l.MemberID {
				old.Attendance[i], found = l, true
			}
		}
		if !found {
			old.Attendance = append(old.Attendance, l)
		}
	}
	old.Version++
	return nil
}
func (f *fakeStore) Close(_ context.Context, m *Meeting, missing []Attendance, version int, a auth.AuditEntry) error {
	old, err := f.bump(m, version, a)
	if err != nil {
		return err
	}
	att := append(old.Attendance, missing...)
	c := *m
	c.Attendance, c.Version = att, version+1
	f.meetings[m.ID] = &c
	return nil
}
func (f *fakeStore) Amend(_ context.Context, m *Meeting, am *Amendment, version int, a auth.AuditEntry) error {
	old, err := f.bump(m, version, a)
	if err != nil {
		return err
	}
	f.nextID++
	am.ID = f.nextID
	old.Amendments = append(old.Amendments, *am)
	old.Version++
	return nil
}
func (f *fakeStore) MemberRates(_ context.Context, cell int64, from, to string, _ time.Time) ([]MemberRate, error) {
	return []MemberRate{{MemberID: 31, Expected: 4, Present: 3}}, nil
}
func (f *fakeStore) CreateFeed(_ context.Context, account int64, fd *Feed, hash string, a auth.AuditEntry) error {
	if f.feeds == nil {
		f.feeds = map[string]*fakeFeed{}
	}
	f.nextID++
	fd.ID = f.nextID
	f.feeds[hash] = &fakeFeed{feed: *fd, owner: a.Actor}
	f.audits = append(f.audits, a.Action)
	return nil
}
func (f *fakeStore) Feeds(_ context.Context, account int64) ([]Feed, error) {
	var out []Feed
	for _, ff := range f.feeds {
		if ff.owner.AccountID == account && !ff.revoked {
			out = append(out, ff.feed)
		}
	}
	return out, nil
}
func (f *fakeStore) RevokeFeed(_ context.Context, account, id int64, _ time.Time, a auth.AuditEntry) error {
	for _, ff := range f.feeds {
		if ff.feed.ID == id && ff.owner.AccountID == account && !ff.revoked {
			ff.revoked = true
			f.audits = append(f.audits, a.Action)
			return nil
		}
	}
	return apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
}
func (f *fakeStore) FeedByToken(_ context.Context, hash string) (*FeedOwner, error) {
	ff, ok := f.feeds[hash]
	if !ok || ff.revoked {
		return nil, apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
	}
	return &FeedOwner{Feed: ff.feed, Actor: ff.owner}, nil
}
func (f *fakeStore) CellYears(_ context.Context, path, from, to string, _ time.Time) ([]CellYear, error) {
	return f.cellYears, nil
}
func (f *fakeStore) SubtreeMonths(_ context.Context, unitID int64, from, to string) ([]SubtreeYear, error) {
	return f.subtree, nil
}
func (f *fakeStore) Absences(_ context.Context, path, from, to string, _ time.Time, n int) ([]Absence, error) {
	return f.absences, nil
}

var (
	now       = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC) // 15:00 in Vietnam
	district  = &auth.Actor{AccountID: 1, Username: "vanphong", Grants: []auth.Grant{{UnitID: 1, UnitPath: "/1/", Role: auth.RoleOffice}}}
	commune   = &auth.Actor{AccountID: 2, Username: "danguy", Grants: []auth.Grant{{UnitID: 2, UnitPath: "/1/2/", Role: auth.RoleCommittee}}}
	other     = &auth.Actor{AccountID: 3, Username: "other", Grants: []auth.Grant{{UnitID: 5, UnitPath: "/1/5/", Role: auth.RoleCommittee}}}
	secretary = &auth.Actor{AccountID: 4, Username: "bithu", MemberID: 31, MemberUnitPath: "/1/2/3/", Grants: []auth.Grant{{UnitID: 3, UnitPath: "/1/2/3/", Role: auth.RoleCellOfficer}}}
	member    = &auth.Actor{AccountID: 5, Username: "dangvien", MemberID: 32, MemberUnitPath: "/1/2/3/", Grants: []auth.Grant{{UnitID: 3, UnitPath: "/1/2/3/", Role: auth.RoleMember}}}
	neighbour = &auth.Actor{AccountID: 6, Username: "ben", MemberID: 41, MemberUnitPath: "/1/2/4/", Grants: []auth.Grant{{UnitID: 4, UnitPath: "/1/2/4/", Role: auth.RoleMember}}}
	hosted    = &auth.Actor{AccountID: 7, Username: "khach", MemberID: 36, MemberUnitPath: "/1/5/6/"}
)

func newService() (*Service, *fakeStore) {
	f := newFake()
	return &Service{Store: f, Now: func() time.Time { return now }}, f
}

func code(err error) apperr.Code { return apperr.CodeOf(err) }

func schedule(t *testing.T, s *Service) *Meeting {
	t.Helper()
	m, err := s.Schedule(context.Background(), secretary, 3, CreateInput{Kind: Regular, StartsAt: now.Add(-time.Hour), Place: "Nhà văn hóa thôn 1", Topic: "Sinh hoạt tháng 3"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScheduleStandardAgendaAndInvitation(t *testing.T) {
	s, f := newService()
	m := schedule(t, s)
	if diff := cmp.Diff(StandardAgenda(), m.Agenda); diff != "" {
		t.Errorf("agenda (-want +got):\n%s", diff)
	}
	if len(f.invited) != 1 || f.invited[0].Kind != InvitationKind || !strings.Contains(f.invited[0].Title, "Sinh hoạt tháng 3") {
		t.Errorf("invitations %+v, want one for the meeting", f.invited)
	}
	if got := StandardAgenda()[0].Title; !strings.Contains(got, "đảng phí") || !strings.Contains(got, "thư ký") {
		t.Errorf("opening item %q: want dues and the minute-taker", got)
	}
}

func TestScheduleRefuses(t *testing.T) {
	ctx := context.Background()
	end := now.Add(-2 * time.Hour)
	long := make([]AgendaItem, MaxAgenda+1)
	for i := range long {
		long[i].Title = "Mục"
	}
	ok := CreateInput{Kind: Regular, StartsAt: now, Place: "Hội trường", Topic: "Chủ đề"}
	with := func(fn func(*CreateInput)) CreateInput { in := ok; fn(&in); return in }
	bad := int64(102)
	for _, tc := range []struct {
		name  string
		actor *auth.Actor
		unit  int64
		in    CreateInput
		code  apperr.Code
		field string
	}{
		{"end before start", secretary, 3, with(func(in *CreateInput) { in.EndsAt = &end }), apperr.Invalid, "ends_at"},
		{"kind", secretary, 3, with(func(in *CreateInput) { in.Kind = "party" }), apperr.Invalid, "kind"},
		{"no place", secretary, 3, with(func(in *CreateInput) { in.Place = " " }), apperr.Invalid, "place"},
		{"control char", secretary, 3, with(func(in *CreateInput) { in.Topic = "a\u202eb" }), apperr.Invalid, "topic"},
		{"agenda too long", secretary, 3, with(func(in *CreateInput) { in.Agenda = &long }), apperr.Invalid, "agenda"},
		{"year", secretary, 3, with(func(in *CreateInput) { in.StartsAt = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC) }), apperr.Invalid, "starts_at"},
		{"document of another commune", secretary, 3, with(func(in *CreateInput) { in.Agenda = &[]AgendaItem{{Title: "x", DocumentIDs: []int64{bad}}} }), apperr.Invalid, "agenda[0].document_ids"},
		{"member may not schedule", member, 3, ok, apperr.NotFound, ""},
		{"another commune", other, 3, ok, apperr.NotFound, ""},
		{"missing unit", district, 12345, ok, apperr.NotFound, ""},
		{"not a cell", district, 2, ok, apperr.Conflict, ""},
		{"dissolved", district, 7, ok, apperr.Conflict, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, f := newService()
			_, err := s.Schedule(ctx, tc.actor, tc.unit, tc.in)
			if got := code(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if tc.field != "" {
				e, _ := apperr.As(err)
				if len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
					t.Errorf("fields %+v, want %s", e.Fields, tc.field)
				}
			}
			if len(f.meetings) != 0 {
				t.Errorf("a meeting was written")
			}
		})
	}
}

func TestReadReach(t *testing.T) {
	s, _ := newService()
	m := schedule(t, s)
	for _, tc := range []struct {
		actor *auth.Actor
		want  apperr.Code
	}{
		{secretary, ""}, {member, ""}, {hosted, ""}, {commune, ""}, {district, ""},
		{neighbour, apperr.NotFound}, {other, apperr.NotFound},
	} {
		_, err := s.Get(context.Background(), tc.actor, m.ID)
		if got := code(err); got != tc.want {
			t.Errorf("%s: code %q, want %q", tc.actor.Username, got, tc.want)
		}
		_, err = s.Update(context.Background(), tc.actor, m.ID, UpdateInput{Minutes: ptr("x " + tc.actor.Username)})
		want := tc.want
		if tc.actor == member || tc.actor == hosted {
			want = apperr.NotFound
		}
		if got := code(err); got != want {
			t.Errorf("%s edits: code %q, want %q", tc.actor.Username, got, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestRollQuorumAndAttendance(t *testing.T) {
	ctx := context.Background()
	s, f := newService()
	m := schedule(t, s)
	r, err := s.PutAttendance(ctx, secretary, m.ID, AttendanceInput{Lines: []Attendance{
		{MemberID: 31, Status: Present}, {MemberID: 32, Status: Present}, {MemberID: 34, Status: Present},
		{MemberID: 36, Status: Excused, Reason: "Ốm"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	names := func(ls []RollLine) []int64 {
		var out []int64
		for _, l := range ls {
			out = append(out, l.MemberID)
		}
		return out
	}
	if diff := cmp.Diff([]int64{31, 32, 33, 34, 36}, names(r.Expected)); diff != "" {
		t.Errorf("expected (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{35}, names(r.Exempt)); diff != "" {
		t.Errorf("exempt (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{37}, names(r.Away)); diff != "" {
		t.Errorf("away (-want +got):\n%s", diff)
	}
	wantQ := Quorum{Full: Count{Expected: 4, Present: 2}, Probationary: Count{Expected: 1, Present: 1}, Needed: 3, Valid: false}
	if diff := cmp.Diff(wantQ, r.Quorum); diff != "" {
		t.Errorf("quorum (-want +got):\n%s", diff)
	}
	if r.Present != 3 || r.Excused != 1 || r.Unmarked != 1 {
		t.Errorf("counts present %d excused %d unmarked %d, want 3 1 1", r.Present, r.Excused, r.Unmarked)
	}
	// One more full member makes the vote valid.
	r, err = s.PutAttendance(ctx, secretary, m.ID, AttendanceInput{Lines: []Attendance{{MemberID: 33, Status: Present}}})
	if err != nil || !r.Quorum.Valid {
		t.Fatalf("quorum %+v, %v: want valid", r.Quorum, err)
	}

	for _, tc := range []struct {
		name  string
		lines []Attendance
		key   string
	}{
		{"excused without reason", []Attendance{{MemberID: 31, Status: Excused}}, "meeting.reason_required"},
		{"not of this cell", []Attendance{{MemberID: 41, Status: Present}}, "meeting.not_on_roll"},
		{"twice", []Attendance{{MemberID: 31, Status: Present}, {MemberID: 31, Status: Absent}}, "meeting.duplicate_member"},
		{"status", []Attendance{{MemberID: 31, Status: "late"}}, "meeting.status"},
	} {
		before := len(f.meetings[m.ID].Attendance)
		_, err := s.PutAttendance(ctx, secretary, m.ID, AttendanceInput{Lines: tc.lines})
		e, _ := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid || e.Key != tc.key {
			t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.key)
		}
		if after := len(f.meetings[m.ID].Attendance); after != before {
			t.Errorf("%s: attendance changed", tc.name)
		}
	}
}

func TestCloseLocksAndAmendments(t *testing.T) {
	ctx := context.Background()
	s, f := newService()
	m := schedule(t, s)
	if _, err := s.Amend(ctx, secretary, m.ID, AmendInput{Field: "minutes", Text: "x", Reason: "y"}); code(err) != apperr.Conflict {
		t.Errorf("amend an open meeting: %v, want conflict", err)
	}
	if _, err := s.Update(ctx, secretary, m.ID, UpdateInput{Minutes: ptr("Đồng chí Bí thư khai mạc."), Resolution: ptr("Nghị quyết")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, secretary, m.ID, UpdateInput{Minutes: ptr("x"), Version: 1}); code(err) != apperr.Conflict {
		t.Errorf("stale edit: %v, want conflict", err)
	}
	if _, err := s.PutAttendance(ctx, secretary, m.ID, AttendanceInput{Lines: []Attendance{{MemberID: 31, Status: Present}, {MemberID: 32, Status: Excused, Reason: "Đi công tác"}}}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Close(ctx, secretary, m.ID, CloseInput{})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != Closed || c.Expected != 5 || c.Present != 1 {
		t.Errorf("closed %s expected %d present %d, want closed 5 1", c.State, c.Expected, c.Present)
	}
	st := map[int64]string{}
	for _, a := range c.Attendance {
		st[a.MemberID] = a.Status
	}
	want := map[int64]string{31: Present, 32: Excused, 33: Absent, 34: Absent, 35: Excused, 36: Absent}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("frozen roll (-want +got):\n%s", diff)
	}
	if _, err := s.Update(ctx, secretary, m.ID, UpdateInput{Minutes: ptr("sửa")}); code(err) != apperr.Conflict {
		t.Errorf("edit after closing: %v, want conflict", err)
	}
	if _, err := s.PutAttendance(ctx, secretary, m.ID, AttendanceInput{Lines: []Attendance{{MemberID: 33, Status: Present}}}); code(err) != apperr.Conflict {
		t.Errorf("roll after closing: %v, want conflict", err)
	}
	if _, err := s.Close(ctx, secretary, m.ID, CloseInput{}); code(err) != apperr.Conflict {
		t.Errorf("close twice: %v, want conflict", err)
	}
	for _, in := range []AmendInput{{Field: "minutes", Text: "x"}, {Field: "state", Text: "open", Reason: "r"}, {Field: "agenda[9].notes", Text: "x", Reason: "r"}} {
		if _, err := s.Amend(ctx, secretary, m.ID, in); code(err) != apperr.Invalid {
			t.Errorf("amend %+v: %v, want invalid", in, err)
		}
	}
	if _, err := s.Amend(ctx, member, m.ID, AmendInput{Field: "minutes", Text: "x", Reason: "r"}); code(err) != apperr.NotFound {
		t.Errorf("a member amends: %v, want not found", err)
	}
	a, err := s.Amend(ctx, secretary, m.ID, AmendInput{Field: "agenda[1].notes", Text: "Bổ sung ý kiến của đồng chí Bình", Reason: "Ghi thiếu"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Amendments) != 1 || a.Minutes != "Đồng chí Bí thư khai mạc." || a.Current("agenda[1].notes") != "Bổ sung ý kiến của đồng chí Bình" {
		t.Errorf("after amending: %d amendments, minutes %q, notes %q", len(a.Amendments), a.Minutes, a.Current("agenda[1].notes"))
	}
	if diff := cmp.Diff([]string{"meeting.create", "meeting.update", "meeting.attendance", "meeting.close", "meeting.amend"}, f.audits); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// TestPrinted: the minutes print once closed, numbered in the cell's
// sequence of the year, for whoever reads the meeting.
func TestPrinted(t *testing.T) {
	ctx := context.Background()
	s, _ := newService()
	first := schedule(t, s)
	if _, _, err := s.Printed(ctx, secretary, first.ID); code(err) != apperr.Conflict {
		t.Errorf("an open meeting: %v, want conflict", err)
	}
	second, err := s.Schedule(ctx, secretary, 3, CreateInput{Kind: Thematic, StartsAt: now.Add(-30 * time.Minute), Place: "p", Topic: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{second.ID, first.ID} {
		if _, err := s.Close(ctx, secretary, id, CloseInput{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		actor *auth.Actor
		id    int64
		want  int
		code  apperr.Code
	}{
		{secretary, first.ID, 1, ""}, {member, second.ID, 2, ""}, {commune, second.ID, 2, ""},
		{neighbour, first.ID, 0, apperr.NotFound}, {other, first.ID, 0, apperr.NotFound}, {secretary, 999, 0, apperr.NotFound},
	} {
		m, n, err := s.Printed(ctx, tc.actor, tc.id)
		if got := code(err); got != tc.code {
			t.Errorf("%s reads %d: code %q, want %q", tc.actor.Username, tc.id, got, tc.code)
			continue
		}
		if err == nil && (n != tc.want || m.ID != tc.id) {
			t.Errorf("%s reads %d: got meeting %d number %d, want number %d", tc.actor.Username, tc.id, m.ID, n, tc.want)
		}
	}
}

func TestCloseBeforeStart(t *testing.T) {
	s, _ := newService()
	m, err := s.Schedule(context.Background(), secretary, 3, CreateInput{Kind: Thematic, StartsAt: now.Add(48 * time.Hour), Place: "p", Topic: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Close(context.Background(), secretary, m.ID, CloseInput{}); code(err) != apperr.Conflict {
		t.Errorf("close a future meeting: %v, want conflict", err)
	}
}

func TestGuidance(t *testing.T) {
	ctx := context.Background()
	s, _ := newService()
	if _, err := s.PublishGuidance(ctx, district, 1, GuidanceInput{Month: "2026-04", Topics: []string{"Học tập Nghị quyết"}, DocumentIDs: []int64{100}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishGuidance(ctx, commune, 2, GuidanceInput{Month: "2026-04", Topics: []string{"Phòng chống lụt bão"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishGuidance(ctx, other, 5, GuidanceInput{Month: "2026-04", Topics: []string{"Khác"}}); err != nil {
		t.Fatal(err)
	}
	gs, err := s.GuidanceFor(ctx, member, 3, "2026-04")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range gs {
		got = append(got, g.Topics[0])
	}
	if diff := cmp.Diff([]string{"Học tập Nghị quyết", "Phòng chống lụt bão"}, got); diff != "" {
		t.Errorf("guidance reaching the cell (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		actor *auth.Actor
		unit  int64
		in    GuidanceInput
		want  apperr.Code
	}{
		{secretary, 3, GuidanceInput{Month: "2026-04", Topics: []string{"x"}}, apperr.NotFound},
		{commune, 3, GuidanceInput{Month: "2026-04", Topics: []string{"x"}}, apperr.Conflict},
		{other, 2, GuidanceInput{Month: "2026-04", Topics: []string{"x"}}, apperr.NotFound},
		{commune, 2, GuidanceInput{Month: "2026-13", Topics: []string{"x"}}, apperr.Invalid},
		{commune, 2, GuidanceInput{Month: "2026-04"}, apperr.Invalid},
		{commune, 2, GuidanceInput{Month: "2026-04", Topics: []string{"x"}, DocumentIDs: []int64{102}}, apperr.Invalid},
	} {
		if _, err := s.PublishGuidance(ctx, tc.actor, tc.unit, tc.in); code(err) != tc.want {
			t.Errorf("%s on %d %+v: %v, want %s", tc.actor.Username, tc.unit, tc.in, err, tc.want)
		}
	}
	if _, err := s.GuidanceFor(ctx, neighbour, 3, "2026-04"); code(err) != apperr.NotFound {
		t.Errorf("another cell's guidance: %v, want not found", err)
	}
	// Guidance of another commune does not reach the cell.
	if _, err := s.Schedule(ctx, secretary, 3, CreateInput{Kind: Regular, StartsAt: now, Place: "p", Topic: "t", GuidanceID: ptr(int64(3))}); code(err) != apperr.Invalid {
		t.Errorf("guidance of another commune: %v, want invalid", err)
	}
}

func TestGridAndFlags(t *testing.T) {
	rows := []CellYear{
		// January to March regular, a thematic meeting in February; June's
		// regular meeting is after the last month counted.
		{UnitID: 3, Name: "Chi bộ thôn 1", Regular: 0b100111, Thematic: 0b10, Meetings: [12]int{1, 2, 1, 0, 0, 1},
			Expected: [12]int{10, 20, 10, 0, 0, 10}, Present: [12]int{9, 17, 8, 0, 0, 10}},
		{UnitID: 4, Name: "Chi bộ thôn 2", Regular: 0b1, Meetings: [12]int{1}, Expected: [12]int{4}, Present: [12]int{2}},
		{UnitID: 8, Name: "Chi bộ An"},
	}
	g := Grid(rows, "2026-01", "2026-04")
	var order []int64
	for _, c := range g {
		order = append(order, c.UnitID)
	}
	if diff := cmp.Diff([]int64{8, 4, 3}, order); diff != "" {
		t.Errorf("order, missing first (-want +got):\n%s", diff)
	}
	c3 := g[2]
	type m struct {
		Reg, Th bool
		Rate    float64
	}
	var got []m
	for _, mo := range c3.Months {
		r := -1.0
		if mo.AttendanceRate != nil {
			r = *mo.AttendanceRate
		}
		got = append(got, m{mo.Regular, mo.ThematicInQuarter, r})
	}
	want := []m{{true, true, 0.9}, {true, true, 0.85}, {true, true, 0.8}, {false, false, -1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cell 3 months (-want +got):\n%s", diff)
	}
	if c3.Missing != 2 { // April's regular and the second quarter's thematic
		t.Errorf("missing %d, want 2", c3.Missing)
	}
	fl := Flags([]Absence{{MemberID: 5, MeetingID: 1}, {MemberID: 5, MeetingID: 2}, {MemberID: 5, MeetingID: 4}, {MemberID: 9, MeetingID: 3}, {MemberID: 9, MeetingID: 5}, {MemberID: 9, MeetingID: 6}})
	if diff := cmp.Diff([]Flag{{MemberID: 5, Absences: 3, MeetingIDs: []int64{1, 2, 4}}, {MemberID: 9, Absences: 3, MeetingIDs: []int64{3, 5, 6}}}, fl); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
}

func TestComplianceReachAndRange(t *testing.T) {
	ctx := context.Background()
	s, _ := newService()
	for _, tc := range []struct {
		actor *auth.Actor
		in    ComplianceInput
		want  apperr.Code
		asOf  string
	}{
		{commune, ComplianceInput{UnitID: 2, Year: 2026}, "", "2026-03"},
		{commune, ComplianceInput{UnitID: 2, Year: 2025}, "", "2025-12"},
		{commune, ComplianceInput{UnitID: 2, Year: 2025, AsOf: "2025-06"}, "", "2025-06"},
		{secretary, ComplianceInput{UnitID: 3, Year: 2025}, "", "2025-12"},
		{commune, ComplianceInput{UnitID: 2, Year: 2025, AsOf: "2024-06"}, apperr.Invalid, ""},
		{commune, ComplianceInput{UnitID: 2, Year: 3000}, apperr.Invalid, ""},
		{other, ComplianceInput{UnitID: 2, Year: 2026}, apperr.NotFound, ""},
		{member, ComplianceInput{UnitID: 3, Year: 2026}, apperr.NotFound, ""},
	} {
		c, err := s.Compliance(ctx, tc.actor, tc.in)
		if code(err) != tc.want {
			t.Errorf("%s %+v: %v, want %q", tc.actor.Username, tc.in, err, tc.want)
		}
		if err == nil && c.AsOf != tc.asOf {
			t.Errorf("%+v: as of %s, want %s", tc.in, c.AsOf, tc.asOf)
		}
		if err == nil && (len(c.Members) > 0) != (tc.in.UnitID == 3) {
			t.Errorf("%+v: member rates %+v: want them for a cell only", tc.in, c.Members)
		}
	}
}

func TestICS(t *testing.T) {
	end := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	m := Meeting{ID: 7, UnitName: "Chi bộ thôn 1, xã Phú Túc", Kind: Regular, StartsAt: time.Date(2026, 3, 10, 7, 30, 0, 0, time.UTC), EndsAt: &end,
		Place: "Nhà văn hóa; thôn 1, xã Phú Túc", Topic: strings.Repeat("Học tập, quán triệt Nghị quyết; ", 4) + `a\b`, Version: 3, UpdatedAt: now,
		Agenda: []AgendaItem{{Title: "Khai mạc"}, {Title: "Thời sự"}}}
	b := string(ICS([]Meeting{m}, ICSOptions{Now: now}))
	for _, line := range strings.Split(strings.TrimSuffix(b, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("bare LF in %q", line)
		}
	}
	unfolded := strings.ReplaceAll(b, "\r\n ", "")
	for _, want := range []string{
		"UID:meeting-7@sotay\r\n", "SEQUENCE:2\r\n",
		"DTSTART;TZID=Asia/Ho_Chi_Minh:20260310T143000\r\n", "DTEND;TZID=Asia/Ho_Chi_Minh:20260310T160000\r\n",
		`LOCATION:Nhà văn hóa\; thôn 1\, xã Phú Túc` + "\r\n",
		`DESCRIPTION:1. Khai mạc\n2. Thời sự` + "\r\n",
		`Nghị quyết\; a\\b (Chi bộ thôn 1\, xã Phú Túc)` + "\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("calendar lacks %q:\n%s", want, unfolded)
		}
	}
}

// TestFeedReach: a feed answers with its owner's reach at read time, and a
// revoked, foreign or made-up token answers 404.
func TestFeedReach(t *testing.T) {
	ctx := context.Background()
	s, _ := newService()
	m := schedule(t, s)
	from := date.Of(now).AddMonths(-3)
	owner := *commune // a copy whose grants the test changes
	cell := int64(3)
	f, err := s.CreateFeed(ctx, &owner, FeedInput{UnitID: &cell})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.CreateFeed(ctx, member, FeedInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateFeed(ctx, district, FeedInput{}); code(err) != apperr.Conflict {
		t.Errorf("my meetings of an account without a member: %v, want Conflict", err)
	}
	other6 := int64(6)
	if _, err := s.CreateFeed(ctx, commune, FeedInput{UnitID: &other6}); code(err) != apperr.NotFound {
		t.Errorf("a feed of a unit out of reach: %v, want NotFound", err)
	}
	for _, tok := range []string{f.Token, mine.Token} {
		_, ms, err := s.FeedCalendar(ctx, tok, from, 10)
		if err != nil || len(ms) != 1 || ms[0].ID != m.ID {
			t.Errorf("feed: %v %v, want meeting %d", ms, err, m.ID)
		}
	}
	// The owner loses reach: the feed answers 404.
	owner.Grants = []auth.Grant{{UnitID: 5, UnitPath: "/1/5/", Role: auth.RoleCommittee}}
	if _, _, err := s.FeedCalendar(ctx, f.Token, from, 10); code(err) != apperr.NotFound {
		t.Errorf("owner out of reach: %v, want NotFound", err)
	}
	owner.Grants = commune.Grants
	if err := s.RevokeFeed(ctx, member, f.ID); code(err) != apperr.NotFound {
		t.Errorf("revoking another account's feed: %v, want NotFound", err)
	}
	if err := s.RevokeFeed(ctx, &owner, f.ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{f.Token, "x" + mine.Token[1:], "short"} {
		if _, _, err := s.FeedCalendar(ctx, tok, from, 10); code(err) != apperr.NotFound {
			t.Errorf("token %q: %v, want NotFound", tok, err)
		}
	}
	if fs, _ := s.Feeds(ctx, member); len(fs) != 1 || fs[0].Token != "" {
		t.Errorf("member's feeds %+v, want one without its token", fs)
	}
}

// TestChairRole: the chair's office is secretary by default, deputy when
// set, anything else refused (create, edit, amendment); after closing an
// amendment changes it.
func TestChairRole(t *testing.T) {
	ctx := context.Background()
	s, _ := newService()
	if _, err := s.Schedule(ctx, secretary, 3, CreateInput{Kind: Regular, StartsAt: now.Add(-time.Hour), Place: "P", Topic: "T", ChairRole: "boss"}); code(err) != apperr.Invalid {
		t.Errorf("schedule with chair_role boss: %v, want Invalid", err)
	}
	m := schedule(t, s)
	if m.ChairRole != ChairSecretary {
		t.Errorf("default chair_role %q, want %q", m.ChairRole, ChairSecretary)
	}
	bad, deputy := "chủ tịch", ChairDeputy
	if _, err := s.Update(ctx, secretary, m.ID, UpdateInput{ChairRole: &bad}); code(err) != apperr.Invalid {
		t.Errorf("edit chair_role %q: %v, want Invalid", bad, err)
	}
	m, err := s.Update(ctx, secretary, m.ID, UpdateInput{ChairRole: &deputy})
	if err != nil || m.ChairRole != ChairDeputy {
		t.Fatalf("edit chair_role deputy: %+v, %v", m, err)
	}
	if _, err := s.Close(ctx, secretary, m.ID, CloseInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Amend(ctx, secretary, m.ID, AmendInput{Field: "chair_role", Text: bad, Reason: "sai"}); code(err) != apperr.Invalid {
		t.Errorf("amend chair_role to %q: %v, want Invalid", bad, err)
	}
	m, err = s.Amend(ctx, secretary, m.ID, AmendInput{Field: "chair_role", Text: ChairSecretary, Reason: "Ghi nhầm"})
	if err != nil || m.Current("chair_role") != ChairSecretary {
		t.Errorf("amended chair_role: %q, %v", m.Current("chair_role"), err)
	}
}
