package member

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
)

// fakeStore holds one cell's members in memory; the methods the tests do
// not need are left to the embedded nil Store.
type fakeStore struct {
	Store
	units   map[int64]*UnitRef
	members []Member
	audits  []string
}

func (f *fakeStore) UnitRef(_ context.Context, id int64) (*UnitRef, error) {
	if u, ok := f.units[id]; ok {
		return u, nil
	}
	return nil, apperr.NotFoundf("unit %d not found", id)
}

func (f *fakeStore) Member(_ context.Context, id int64) (*Member, string, error) {
	for _, m := range f.members {
		if m.ID == id {
			return &m, f.units[m.UnitID].Path, nil
		}
	}
	return nil, "", apperr.NotFoundf("member %d not found", id)
}

func (f *fakeStore) List(_ context.Context, flt Filter) (*page.Of[Member], error) {
	p := &page.Of[Member]{Items: []Member{}}
	for _, m := range f.members {
		if len(f.units[m.UnitID].Path) >= len(flt.Path) && f.units[m.UnitID].Path[:len(flt.Path)] == flt.Path {
			p.Items = append(p.Items, m)
		}
	}
	p.Total = len(p.Items)
	return p, nil
}

func (f *fakeStore) Audit(_ context.Context, a auth.AuditEntry) error {
	f.audits = append(f.audits, a.Action)
	return nil
}

// A cell (7) under a commune (2), with two members; another cell (8).
func newFakeStore() *fakeStore {
	f := &fakeStore{units: map[int64]*UnitRef{
		2: {ID: 2, Path: "/1/2/", Name: "Đảng bộ xã"},
		7: {ID: 7, Path: "/1/2/7/", Name: "Chi bộ thôn Hạ"},
		8: {ID: 8, Path: "/1/2/8/", Name: "Chi bộ thôn Thượng"},
	}}
	temp := int64(8)
	f.members = []Member{
		{ID: 1, UnitID: 7, UnitName: "Chi bộ thôn Hạ", FullName: "Nguyễn Văn An", Gender: Male, BirthDate: date.New(1970, 3, 4),
			CardNo: "12345678", BiographyNo: "B1", CitizenID: "001070000001", Phone: "0912345678", Email: "an@example.vn",
			AdmittedOn: date.New(2000, 1, 1), FullOn: date.New(2001, 1, 1), Status: StatusFull, Position: "Bí thư", Version: 4, TempUnitID: &temp},
		{ID: 2, UnitID: 7, UnitName: "Chi bộ thôn Hạ", FullName: "Trần Thị Bình", Gender: Female, BirthDate: date.New(1990, 5, 6),
			CardNo: "87654321", Phone: "0987654321", AdmittedOn: date.New(2020, 1, 1), Status: StatusProbationary, Version: 1},
	}
	return f
}

var (
	cellOfficer = &auth.Actor{AccountID: 1, Username: "bithu", Grants: []auth.Grant{{UnitID: 7, UnitPath: "/1/2/7/", Role: auth.RoleCellOfficer}}}
	committee   = &auth.Actor{AccountID: 2, Username: "danguy", Grants: []auth.Grant{{UnitID: 2, UnitPath: "/1/2/", Role: auth.RoleCommittee}}}
	// mate is member 2, looking at member 1 of the same cell.
	mate     = &auth.Actor{AccountID: 3, Username: "dangvien", MemberID: 2, MemberUnitPath: "/1/2/7/", Grants: []auth.Grant{{UnitID: 7, UnitPath: "/1/2/7/", Role: auth.RoleMember}}}
	outsider = &auth.Actor{AccountID: 4, Username: "khac", MemberID: 9, MemberUnitPath: "/1/2/8/", Grants: []auth.Grant{{UnitID: 8, UnitPath: "/1/2/8/", Role: auth.RoleMember}}}
)

// publicKeys are the only keys of a record a cell-mate's answer carries.
var publicKeys = []string{"full_name", "gender", "id", "position", "status", "unit_id", "unit_name"}

func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// personalOnly is the part of a record only staff and the member see.
func personalOnly(m Member) Member {
	return Member{BirthDate: m.BirthDate, CardNo: m.CardNo, BiographyNo: m.BiographyNo, CitizenID: m.CitizenID, Phone: m.Phone,
		Email: m.Email, AdmittedOn: m.AdmittedOn, FullOn: m.FullOn, Version: m.Version, TempUnitID: m.TempUnitID}
}

// readCase is a read by actor of a member or a unit's list (id): whether
// the answer shows the personal fields, or is not found, and what is
// audited.
type readCase struct {
	name      string
	actor     *auth.Actor
	id        int64
	personal  bool
	notFound  bool
	wantAudit []string
}

// answeredNotFound checks err against the case: not found when the case
// wants it (true: nothing more to check), no error otherwise.
func (c readCase) answeredNotFound(t *testing.T, err error) bool {
	t.Helper()
	if c.notFound {
		if !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("got %v, want not found", err)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}

// wantView is what a reader is shown of rec: its personal fields and JSON
// keys when personal, none of them and the public keys otherwise.
func wantView(t *testing.T, rec Member, personal bool) (Member, []string) {
	t.Helper()
	if !personal {
		return Member{}, publicKeys
	}
	return personalOnly(rec), jsonKeys(t, rec)
}

func TestGetShowsPersonalFieldsOnlyToThoseWhoMayReadThem(t *testing.T) {
	cases := []readCase{
		{"cell officer", cellOfficer, 1, true, false, []string{"member.read"}},
		{"committee above", committee, 1, true, false, []string{"member.read"}},
		{"the member themself", mate, 2, true, false, []string{"member.read"}},
		{"a cell-mate", mate, 1, false, false, nil},
		{"a member of another cell", outsider, 1, false, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newFakeStore()
			svc := &Service{Store: st}
			v, err := svc.Get(context.Background(), c.actor, c.id)
			if c.answeredNotFound(t, err) {
				return
			}
			rec, _, _ := st.Member(context.Background(), c.id)
			if !reflect.DeepEqual(st.audits, c.wantAudit) {
				t.Errorf("audited %v, want %v", st.audits, c.wantAudit)
			}
			if v.Personal != c.personal {
				t.Errorf("got Personal %v, want %v", v.Personal, c.personal)
			}
			if v.FullName != rec.FullName || v.Gender != rec.Gender || v.Status != rec.Status || v.UnitID != rec.UnitID || v.Position != rec.Position {
				t.Errorf("public fields: got %+v, want those of %+v", v.Member, *rec)
			}
			wantPersonal, wantKeys := wantView(t, *rec, c.personal)
			if got := personalOnly(v.Member); !reflect.DeepEqual(got, wantPersonal) {
				t.Errorf("personal fields: got %+v, want %+v", got, wantPersonal)
			}
			if got := jsonKeys(t, v); !reflect.DeepEqual(got, wantKeys) {
				t.Errorf("JSON keys: got %v, want %v", got, wantKeys)
			}
		})
	}
}

func TestListShowsPersonalFieldsOnlyToThoseWhoMayReadThem(t *testing.T) {
	cases := []readCase{
		{"cell officer", cellOfficer, 7, true, false, []string{"member.list"}},
		{"committee above, the commune", committee, 2, true, false, []string{"member.list"}},
		{"a member, their cell", mate, 7, false, false, nil},
		{"a member, the commune", mate, 2, false, true, nil},
		{"a member, another cell", outsider, 7, false, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newFakeStore()
			svc := &Service{Store: st, Now: func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }}
			page, err := svc.List(context.Background(), c.actor, ListInput{UnitID: c.id})
			if c.answeredNotFound(t, err) {
				return
			}
			if page.Personal != c.personal || page.Total != 2 || len(page.Items) != 2 {
				t.Fatalf("got Personal %v and %d of %d items, want %v and 2 of 2", page.Personal, len(page.Items), page.Total, c.personal)
			}
			if !reflect.DeepEqual(st.audits, c.wantAudit) {
				t.Errorf("audited %v, want %v", st.audits, c.wantAudit)
			}
			for i, v := range page.Items {
				rec := st.members[i]
				wantPersonal, wantKeys := wantView(t, rec, c.personal)
				if v.Personal != c.personal || v.ID != rec.ID || v.FullName != rec.FullName {
					t.Errorf("item %d: got %d %q (Personal %v), want %d %q (%v)", i, v.ID, v.FullName, v.Personal, rec.ID, rec.FullName, c.personal)
				}
				if got := personalOnly(v.Member); !reflect.DeepEqual(got, wantPersonal) {
					t.Errorf("item %d personal fields: got %+v, want %+v", i, got, wantPersonal)
				}
				if got := jsonKeys(t, v); !reflect.DeepEqual(got, wantKeys) {
					t.Errorf("item %d JSON keys: got %v, want %v", i, got, wantKeys)
				}
			}
			if got := jsonKeys(t, page); !reflect.DeepEqual(got, []string{"items", "next_cursor", "total"}) {
				t.Errorf("page JSON keys: got %v", got)
			}
		})
	}
}
