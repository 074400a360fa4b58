package doc

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// fakeStore keeps units, terms and numbering counters in memory; the
// methods the tests do not need are left to the embedded nil Store.
type fakeStore struct {
	Store
	units    map[int64]*UnitRef
	terms    []Term
	counters map[string]int
	created  []*Document
}

func newFakeStore() *fakeStore {
	f := &fakeStore{units: map[int64]*UnitRef{}, counters: map[string]int{}}
	for id, path := range map[int64]string{1: "/1/", 2: "/1/2/", 3: "/1/2/3/", 4: "/1/2/3/4/", 6: "/1/2/6/"} {
		f.units[id] = &UnitRef{ID: id, Path: path, Name: fmt.Sprintf("Đơn vị %d", id)}
	}
	return f
}

func (f *fakeStore) Unit(ctx context.Context, id int64) (*UnitRef, error) {
	if u, ok := f.units[id]; ok {
		return u, nil
	}
	return nil, apperr.NotFoundf("unit %d not found", id)
}

func (f *fakeStore) ConfiguredTerm(ctx context.Context, path string, on date.Date) (*Term, error) {
	var best *Term
	bestDepth := -1
	for i, t := range f.terms {
		p := f.units[t.UnitID].Path
		if strings.HasPrefix(path, p) && !on.Before(t.StartsOn) && !t.EndsOn.Before(on) && len(p) > bestDepth {
			best, bestDepth = &f.terms[i], len(p)
		}
	}
	return best, nil
}

// Create numbers as the store does: per issuer unit, issuer code,
// type and term, a hand-given number moving the sequence past it.
func (f *fakeStore) Create(ctx context.Context, d *Document, a auth.AuditEntry) error {
	if d.Kind == KindDocument {
		key := fmt.Sprint(d.IssuerUnitID, d.IssuerCode, d.Type, d.TermStart)
		if d.Seq == 0 {
			f.counters[key]++
			d.SetNumber(f.counters[key])
		} else if d.Seq > f.counters[key] {
			f.counters[key] = d.Seq
		}
	}
	d.ID = int64(len(f.created) + 1)
	f.created = append(f.created, d)
	return nil
}

func actorWith(grants ...auth.Grant) *auth.Actor {
	return &auth.Actor{AccountID: 7, Username: "x", Grants: grants}
}

func TestServiceCreateNumbersPerTypeAndTerm(t *testing.T) {
	st := newFakeStore()
	svc := &Service{Store: st, Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }}
	office := actorWith(auth.Grant{UnitID: 2, UnitPath: "/1/2/", Role: auth.RoleOffice})
	ctx := context.Background()
	create := func(in CreateInput) (*Document, error) {
		if in.Audience.UnitID == 0 {
			in.Audience.UnitID = 3
		}
		if in.Title == "" {
			in.Title = "Văn bản"
		}
		return svc.Create(ctx, office, in)
	}
	// A configured term on the commune does not concern the district's
	// numbering; one on the city does.
	st.terms = append(st.terms, Term{ID: 1, UnitID: 3, StartsOn: date.MustParse("2026-01-01"), EndsOn: date.MustParse("2030-12-31")})
	cases := []struct {
		in   CreateInput
		want string
		term string
	}{
		{CreateInput{Type: "CT", IssuerCode: "hu"}, "01-CT/HU", "2025-10-01"},
		{CreateInput{Type: "ct", IssuerCode: "HU"}, "02-CT/HU", "2025-10-01"},
		{CreateInput{Type: "QĐ", IssuerCode: "HU"}, "01-QĐ/HU", "2025-10-01"},
		{CreateInput{Type: "CT", IssuerCode: "BTCHU"}, "01-CT/BTCHU", "2025-10-01"},
		{CreateInput{Type: "CT", IssuerCode: "HU", IssuedOn: date.MustParse("2024-05-01")}, "01-CT/HU", "2020-10-01"},
		{CreateInput{Number: "Số 15/ct-hu"}, "15-CT/HU", "2025-10-01"},
		{CreateInput{Type: "CT", IssuerCode: "HU"}, "16-CT/HU", "2025-10-01"},
		{CreateInput{Type: "CT", Number: "3-CT/HU", IssuerCode: "HU"}, "03-CT/HU", "2025-10-01"},
	}
	for _, c := range cases {
		d, err := create(c.in)
		if err != nil {
			t.Fatalf("%+v: %v", c.in, err)
		}
		if d.Number != c.want || d.TermStart.String() != c.term || d.IssuerUnitID != 2 {
			t.Errorf("%+v: %s in the term from %s by unit %d, want %s from %s by unit 2", c.in, d.Number, d.TermStart, d.IssuerUnitID, c.want, c.term)
		}
	}
	st.terms = append(st.terms, Term{ID: 2, UnitID: 1, StartsOn: date.MustParse("2026-06-01"), EndsOn: date.MustParse("2031-05-31")})
	d, err := create(CreateInput{Type: "CT", IssuerCode: "HU"})
	if err != nil || d.Number != "01-CT/HU" || d.TermStart.String() != "2026-06-01" {
		t.Errorf("first of a term configured above: %v %v", d, err)
	}

	invalid := []struct {
		name   string
		in     CreateInput
		fields []string
	}{
		{"nothing", CreateInput{Title: " "}, []string{"type", "issuer_code"}},
		{"unknown type", CreateInput{Type: "XX", IssuerCode: "HU"}, []string{"type"}},
		{"issued in year 1", CreateInput{Type: "CT", IssuerCode: "HU", IssuedOn: date.MustParse("0001-01-01")}, []string{"issued_on"}},
		{"issued in 1929", CreateInput{Type: "CT", IssuerCode: "HU", IssuedOn: date.MustParse("1929-12-31")}, []string{"issued_on"}},
		{"issued tomorrow", CreateInput{Type: "CT", IssuerCode: "HU", IssuedOn: date.MustParse("2026-11-21")}, []string{"issued_on"}},
		{"issued in 9999", CreateInput{Type: "CT", IssuerCode: "HU", IssuedOn: date.MustParse("9999-12-31")}, []string{"issued_on"}},
		{"bad issuer", CreateInput{Type: "CT", IssuerCode: "H1"}, []string{"issuer_code"}},
		{"bad number", CreateInput{Number: "0-CT/HU"}, []string{"number"}},
		{"type differs", CreateInput{Type: "NQ", Number: "24-CT/HU"}, []string{"number"}},
		{"issuer differs", CreateInput{IssuerCode: "TU", Number: "24-CT/HU"}, []string{"number"}},
		{"long title", CreateInput{Type: "CT", IssuerCode: "HU", Title: strings.Repeat("a", 501)}, []string{"title"}},
		{"bad role", CreateInput{Type: "CT", IssuerCode: "HU", Audience: Audience{UnitID: 3, Roles: []auth.Role{"king"}}}, []string{"audience.roles"}},
	}
	for _, c := range invalid {
		_, err := create(c.in)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid {
			t.Errorf("%s: got %v, want 422", c.name, err)
			continue
		}
		for _, f := range c.fields {
			found := false
			for _, fe := range e.Fields {
				found = found || fe.Field == f
			}
			if !found {
				t.Errorf("%s: no error on %s in %+v", c.name, f, e.Fields)
			}
		}
	}
	// Out of reach, or not allowed to publish: not found.
	for name, c := range map[string]struct {
		actor *auth.Actor
		in    CreateInput
	}{
		"office to the city above":      {office, CreateInput{Type: "CT", IssuerCode: "HU", Title: "x", Audience: Audience{UnitID: 1}}},
		"office to an unknown unit":     {office, CreateInput{Type: "CT", IssuerCode: "HU", Title: "x", Audience: Audience{UnitID: 99}}},
		"issuing from a unit above":     {office, CreateInput{Type: "CT", IssuerCode: "HU", Title: "x", IssuerUnitID: 1, Audience: Audience{UnitID: 3}}},
		"a cell officer":                {actorWith(auth.Grant{UnitID: 4, UnitPath: "/1/2/3/4/", Role: auth.RoleCellOfficer}), CreateInput{Type: "CT", IssuerCode: "CB", Title: "x", Audience: Audience{UnitID: 4}}},
		"a member":                      {actorWith(auth.Grant{UnitID: 4, UnitPath: "/1/2/3/4/", Role: auth.RoleMember}), CreateInput{Type: "CT", IssuerCode: "CB", Title: "x", Audience: Audience{UnitID: 4}}},
		"a committee to a sibling unit": {actorWith(auth.Grant{UnitID: 3, UnitPath: "/1/2/3/", Role: auth.RoleCommittee}), CreateInput{Type: "CT", IssuerCode: "ĐU", Title: "x", Audience: Audience{UnitID: 6}}},
	} {
		if _, err := svc.Create(ctx, c.actor, c.in); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s: got %v, want 404", name, err)
		}
	}
	// The audience must lie under the issuing unit.
	committee := actorWith(auth.Grant{UnitID: 3, UnitPath: "/1/2/3/", Role: auth.RoleCommittee}, auth.Grant{UnitID: 6, UnitPath: "/1/2/6/", Role: auth.RoleCommittee})
	if _, err := svc.Create(ctx, committee, CreateInput{Type: "CT", IssuerCode: "ĐU", Title: "x", IssuerUnitID: 3, Audience: Audience{UnitID: 6}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("audience beside the issuer: %v, want 422", err)
	}
	// A committee publishes from its own unit, the deepest it holds.
	d, err = svc.Create(ctx, committee, CreateInput{Type: "NQ", IssuerCode: "đu", Title: "Nghị quyết", Audience: Audience{UnitID: 4, Roles: []auth.Role{auth.RoleMember, auth.RoleMember}}})
	if err != nil || d.IssuerUnitID != 3 || d.Number != "01-NQ/ĐU" || len(d.Audience.Roles) != 1 || d.Audience.Path != "/1/2/3/4/" {
		t.Errorf("committee's resolution: %+v %v", d, err)
	}
}
