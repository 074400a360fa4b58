package conference

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/fakestore"
	"github.com/sotay-vn/sotay/internal/page"
)

// fakeStore keeps one district (/1/), two communes (/1/2/, /1/3/) with a
// cell each (/1/2/4/, /1/3/5/), and the members given.
type fakeStore struct {
	units     map[int64]*UnitRef
	members   map[int64]*Attendee // member → cell
	confs     map[int64]*Conference
	points    map[int64][]BridgePoint
	attendees map[int64]map[int64]*Attendee
	checkins  map[int64]map[int64]Checkin
	writes    int
}

func newFake() *fakeStore {
	f := &fakeStore{units: map[int64]*UnitRef{}, members: map[int64]*Attendee{}, confs: map[int64]*Conference{},
		points: map[int64][]BridgePoint{}, attendees: map[int64]map[int64]*Attendee{}, checkins: map[int64]map[int64]Checkin{}}
	for id, p := range map[int64]string{1: "/1/", 2: "/1/2/", 3: "/1/3/", 4: "/1/2/4/", 5: "/1/3/5/"} {
		f.units[id] = &UnitRef{ID: id, Path: p, Name: "U" + p}
	}
	f.members[10] = &Attendee{MemberID: 10, Name: "An", UnitPath: "/1/2/4/"}
	f.members[11] = &Attendee{MemberID: 11, Name: "Bình", UnitPath: "/1/2/4/"}
	f.members[12] = &Attendee{MemberID: 12, Name: "Cúc", UnitPath: "/1/3/5/"}
	return f
}

func (f *fakeStore) Unit(_ context.Context, id int64) (*UnitRef, error) {
	return fakestore.Copy(f.units, id)
}
func (f *fakeStore) AccountExists(_ context.Context, id int64) (bool, error) { return id < 100, nil }
func (f *fakeStore) Create(_ context.Context, c *Conference, _ auth.AuditEntry) error {
	f.writes++
	c.ID = int64(len(f.confs) + 1)
	cc := *c
	f.confs[c.ID] = &cc
	f.attendees[c.ID] = map[int64]*Attendee{}
	f.checkins[c.ID] = map[int64]Checkin{}
	for id, m := range f.members {
		if strings.HasPrefix(m.UnitPath, c.AudiencePath) {
			a := *m
			f.attendees[c.ID][id] = &a
			c.Invited++
		}
	}
	return nil
}
func (f *fakeStore) Conference(_ context.Context, id int64) (*Conference, error) {
	return fakestore.Copy(f.confs, id)
}
func (f *fakeStore) List(context.Context, Filter) (*page.Of[Conference], error) { return nil, nil }
func (f *fakeStore) AddPoints(_ context.Context, confID int64, ps []BridgePoint, _ auth.AuditEntry) error {
	f.writes++
	for _, p := range ps {
		p.ID = int64(100 + len(f.points[confID]))
		f.points[confID] = append(f.points[confID], p)
	}
	for _, a := range f.attendees[confID] {
		if a.Manual {
			continue
		}
		best := ""
		for _, p := range f.points[confID] {
			if strings.HasPrefix(a.UnitPath, p.UnitPath) && len(p.UnitPath) > len(best) {
				id := p.ID
				a.BridgePointID, best = &id, p.UnitPath
			}
		}
	}
	return nil
}
func (f *fakeStore) Points(_ context.Context, confID int64, _ bool) ([]BridgePoint, error) {
	return append([]BridgePoint(nil), f.points[confID]...), nil
}
func (f *fakeStore) Attendee(_ context.Context, confID, memberID int64) (*Attendee, error) {
	if a, ok := f.attendees[confID][memberID]; ok {
		c := *a
		return &c, nil
	}
	return nil, apperr.NotFoundf("not invited")
}
func (f *fakeStore) Attendees(ctx context.Context, confID int64, memberIDs []int64) (map[int64]*Attendee, error) {
	out := map[int64]*Attendee{}
	for _, id := range memberIDs {
		if a, err := f.Attendee(ctx, confID, id); err == nil {
			out[id] = a
		}
	}
	return out, nil
}
func (f *fakeStore) SetExpected(_ context.Context, confID, memberID int64, pointID *int64, _ auth.AuditEntry) error {
	f.writes++
	a := f.attendees[confID][memberID]
	a.BridgePointID, a.Manual = pointID, true
	return nil
}
func (f *fakeStore) RecordCheckins(_ context.Context, confID int64, cs []Checkin, _ auth.AuditEntry) ([]Checkin, error) {
	out := make([]Checkin, len(cs))
	for i, c := range cs {
		if old, ok := f.checkins[confID][c.MemberID]; ok {
			old.Repeat = true
			out[i] = old
			continue
		}
		f.writes++
		f.checkins[confID][c.MemberID] = c
		out[i] = c
	}
	return out, nil
}
func (f *fakeStore) Heartbeat(context.Context, int64, int64, time.Time) error { return nil }
func (f *fakeStore) Attendance(context.Context, int64, time.Time) (*Attendance, error) {
	return &Attendance{}, nil
}
func (f *fakeStore) Roll(context.Context, RollFilter) (*page.Of[Attendee], error) { return nil, nil }
func (f *fakeStore) ServerKey(context.Context, string) ([]byte, error) {
	return []byte("0123456789abcdef0123456789abcdef"), nil
}

var (
	start   = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC) // 08:00 in Vietnam
	office  = &auth.Actor{AccountID: 1, Username: "vp", Grants: []auth.Grant{{UnitID: 1, UnitPath: "/1/", Role: auth.RoleOffice}}}
	host3   = &auth.Actor{AccountID: 3, Username: "host3"}
	member  = &auth.Actor{AccountID: 50, Username: "an", MemberID: 10}
	outside = &auth.Actor{AccountID: 60, Username: "x", Grants: []auth.Grant{{UnitID: 3, UnitPath: "/1/3/", Role: auth.RoleCommittee}}}
)

// setup makes a conference of the district with points at communes 2 and
// 3 (the latter hosted by host3); the clock is 10 minutes after the start.
func setup(t *testing.T) (*Service, *fakeStore, *Conference, []BridgePoint) {
	t.Helper()
	f := newFake()
	now := start.Add(10 * time.Minute)
	s := &Service{Store: f, Now: func() time.Time { return now }}
	ctx := context.Background()
	c, err := s.Create(ctx, office, CreateInput{Title: "Hội nghị", StartsAt: start, HostUnitID: 1, Audience: Audience{UnitID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	h := int64(3)
	ps, err := s.AddPoints(ctx, office, c.ID, []PointInput{{UnitID: 2, Name: "Xã 2"}, {UnitID: 3, Name: "Xã 3", HostAccountID: &h, StreamURL: "https://video.example.vn/x"}})
	if err != nil {
		t.Fatal(err)
	}
	return s, f, c, ps
}

func TestExpectedAtNearestPoint(t *testing.T) {
	_, f, c, ps := setup(t)
	got := map[int64]int64{}
	for id, a := range f.attendees[c.ID] {
		got[id] = *a.BridgePointID
	}
	want := map[int64]int64{10: ps[0].ID, 11: ps[0].ID, 12: ps[1].ID}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("expected points (-want +got):\n%s", d)
	}
}

func TestPass(t *testing.T) {
	key := []byte("k1")
	code := SignPass(key, 7, 42)
	if c, m, ok := VerifyPass(key, code); !ok || c != 7 || m != 42 {
		t.Fatalf("VerifyPass(%q) = %d, %d, %v; want 7, 42, true", code, c, m, ok)
	}
	if _, _, ok := VerifyPass(key, strings.ToLower(code)); !ok {
		t.Errorf("a lower-cased pass (as some camera apps give it) is refused")
	}
	mac := code[strings.LastIndex(code, ".")+1:]
	for _, bad := range []string{
		SignPass([]byte("k2"), 7, 42), // another server's key
		"SOTAY1.7.43." + mac,          // moved to another member
		"SOTAY1.8.42." + mac,          // moved to another conference
		"SOTAY1.07.42." + mac,         // another spelling of the number
		"SOTAY1.7.42",                 // no MAC
		"SOTAY2.7.42." + mac,          // another prefix
		"SOTAY1.7.42." + mac[:len(mac)-1] + "A",
	} {
		if bad == code {
			continue
		}
		if _, _, ok := VerifyPass(key, bad); ok {
			t.Errorf("VerifyPass(%q) accepted", bad)
		}
	}
	if len(code) > 40 {
		t.Errorf("pass %q is %d characters; want a short code", code, len(code))
	}
}

func TestCheckin(t *testing.T) {
	s, f, c, ps := setup(t)
	ctx := context.Background()
	key, _ := f.ServerKey(ctx, PassKeyName)
	p2, p3 := ps[0].ID, ps[1].ID
	early := start.Add(-5 * time.Minute)
	tests := []struct {
		name      string
		actor     *auth.Actor
		in        CheckinInput
		wantCode  apperr.Code
		wantKey   string
		repeat    bool
		elsewhere bool
		late      bool
	}{
		{"by code at the expected point, on time", office, CheckinInput{Code: SignPass(key, c.ID, 10), BridgePointID: p2, At: &early}, "", "", false, false, false},
		{"repeat", office, CheckinInput{Code: SignPass(key, c.ID, 10), BridgePointID: p2}, "", "", true, false, false},
		{"forged", office, CheckinInput{Code: SignPass([]byte("other"), c.ID, 11), BridgePointID: p2}, apperr.Invalid, "conference.pass_invalid", false, false, false},
		{"another conference's pass", office, CheckinInput{Code: SignPass(key, c.ID+1, 11), BridgePointID: p2}, apperr.Invalid, "conference.pass_other", false, false, false},
		{"elsewhere, late, by the point's host", host3, CheckinInput{MemberID: 11, BridgePointID: p3}, "", "", false, true, true},
		{"host at another point", host3, CheckinInput{MemberID: 12, BridgePointID: p2}, apperr.Invalid, "conference.no_point", false, false, false},
		{"not invited", office, CheckinInput{MemberID: 99, BridgePointID: p2}, apperr.Invalid, "conference.not_invited", false, false, false},
		{"dated two days before", office, CheckinInput{MemberID: 12, BridgePointID: p3, At: ptr(start.Add(-48 * time.Hour))}, apperr.Invalid, "conference.at_range", false, false, false},
		{"dated in the future", office, CheckinInput{MemberID: 12, BridgePointID: p3, At: ptr(start.Add(time.Hour))}, apperr.Invalid, "conference.at_range", false, false, false},
		{"out of reach", outside, CheckinInput{MemberID: 12, BridgePointID: p3}, apperr.NotFound, "conference.not_found", false, false, false},
		{"a member", member, CheckinInput{MemberID: 10, BridgePointID: p2}, apperr.NotFound, "conference.not_found", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.writes
			got, err := s.Checkin(ctx, tt.actor, c.ID, []CheckinInput{tt.in})
			if tt.wantCode != "" {
				e, _ := apperr.As(err)
				key := ""
				if e != nil {
					key = e.Key
					if len(e.Fields) > 0 {
						key = e.Fields[0].Key
					}
				}
				if apperr.CodeOf(err) != tt.wantCode || key != tt.wantKey {
					t.Fatalf("got %v (%s), want %s %s", err, key, tt.wantCode, tt.wantKey)
				}
				if f.writes != before {
					t.Errorf("a refused check-in wrote %d rows", f.writes-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := got[0]
			if g.Repeat != tt.repeat || g.Elsewhere != tt.elsewhere || g.Late != tt.late {
				t.Errorf("got repeat %v elsewhere %v late %v, want %v %v %v", g.Repeat, g.Elsewhere, g.Late, tt.repeat, tt.elsewhere, tt.late)
			}
		})
	}
	if got := f.checkins[c.ID][10].At; !got.Equal(early) {
		t.Errorf("the offline time was not kept: got %v, want %v", got, early)
	}
}

func TestBatchRefusedWhole(t *testing.T) {
	s, f, c, ps := setup(t)
	before := f.writes
	_, err := s.Checkin(context.Background(), office, c.ID, []CheckinInput{{MemberID: 10, BridgePointID: ps[0].ID}, {Code: "SOTAY1.1.11.AAAAAAAAAAAAAAAA", BridgePointID: ps[0].ID}})
	e, _ := apperr.As(err)
	if e == nil || len(e.Fields) != 1 || e.Fields[0].Row != 2 {
		t.Fatalf("got %v, want one error on row 2", err)
	}
	if f.writes != before {
		t.Errorf("a refused batch wrote %d rows", f.writes-before)
	}
}

func TestReach(t *testing.T) {
	s, _, c, _ := setup(t)
	ctx := context.Background()
	if _, err := s.MyPass(ctx, member, c.ID); err != nil {
		t.Errorf("an invited member's pass: %v", err)
	}
	if _, err := s.MyPass(ctx, outside, c.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("pass out of reach: got %v, want not found", err)
	}
	if _, err := s.Attendance(ctx, member, c.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("board for a member: got %v, want not found", err)
	}
	if _, err := s.Attendance(ctx, host3, c.ID); err != nil {
		t.Errorf("board for a host: %v", err)
	}
	if _, err := s.AddPoints(ctx, host3, c.ID, []PointInput{{UnitID: 5, Name: "x"}}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a host adds points: got %v, want not found", err)
	}
	if _, err := s.Create(ctx, outside, CreateInput{Title: "x", StartsAt: start, HostUnitID: 1, Audience: Audience{UnitID: 1}}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("create on a unit out of reach: got %v, want not found", err)
	}
}

func TestStreamURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"", true}, {"https://meet.example.vn/room?x=1", true}, {"http://10.0.0.1:8080/live", true},
		{"javascript:alert(1)", false}, {"ftp://x/y", false}, {"https://", false}, {"https://u:p@x.vn/", false},
		{"https://x.vn/" + strings.Repeat("a", MaxStreamURL), false}, {"/relative", false},
	} {
		if got := CheckStreamURL("stream_url", tt.url) == nil; got != tt.ok {
			t.Errorf("CheckStreamURL(%.40q) ok = %v, want %v", tt.url, got, tt.ok)
		}
	}
}

func TestBoardSharesOneReader(t *testing.T) {
	s, _, c, ps := setup(t)
	BoardCoalesce = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w1, err := s.Watch(ctx, office, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := s.Watch(ctx, host3, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	<-w1
	<-w2 // the current state first
	if _, err := s.Checkin(ctx, office, c.ID, []CheckinInput{{MemberID: 12, BridgePointID: ps[1].ID}}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []<-chan *Attendance{w1, w2} {
		if a := <-w; a.ConferenceID != c.ID {
			t.Errorf("board of %d, want %d", a.ConferenceID, c.ID)
		}
	}
	if _, err := s.Watch(ctx, member, c.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a member watches: got %v, want not found", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestShutdownEndsWatches(t *testing.T) {
	s, _, c, _ := setup(t)
	w, err := s.Watch(context.Background(), office, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	<-w // the current state
	s.Shutdown()
	for range w {
	}
	s.Shutdown() // twice is harmless
}

func (f *fakeStore) MemberPath(context.Context, int64) (string, error) {
	return "", apperr.Keyed(apperr.NotFound, "common.member_not_found", "member not found")
}
func (f *fakeStore) History(context.Context, int64, int, string) (*page.Of[HistoryItem], error) {
	return &page.Of[HistoryItem]{}, nil
}
func (f *fakeStore) Audit(context.Context, auth.AuditEntry) error { return nil }
func (f *fakeStore) Reschedule(context.Context, *Conference, int, Notice, auth.AuditEntry) error {
	return nil
}
func (f *fakeStore) Cancel(context.Context, *Conference, int, Notice, auth.AuditEntry) error {
	return nil
}
func (f *fakeStore) HostOptions(context.Context, string, []int64) ([]HostOption, error) {
	return nil, nil
}
