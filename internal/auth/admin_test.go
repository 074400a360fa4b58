package auth

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// The tree of these tests: city /1/, district /1/2/, commune /1/2/3/,
// cell /1/2/3/4/, and another district /1/5/.
func grant(path string, r Role) Grant { return Grant{UnitPath: path, Role: r} }

func actorWith(id int64, gs ...Grant) *Actor { return &Actor{AccountID: id, Grants: gs} }

// TestOutranks: only a higher officer than the account's own roles may
// reset its second factor.
func TestOutranks(t *testing.T) {
	admin := actorWith(1, grant("/1/", RoleAdmin))
	office := actorWith(2, grant("/1/2/", RoleOffice))
	communeOffice := actorWith(3, grant("/1/2/3/", RoleOffice))
	committee := actorWith(4, grant("/1/2/", RoleCommittee))
	tests := []struct {
		name    string
		actor   *Actor
		account int64
		grants  []Grant
		want    bool
	}{
		{"admin over an office", admin, 9, []Grant{grant("/1/2/", RoleOffice)}, true},
		{"admin over an admin on the same unit", admin, 9, []Grant{grant("/1/", RoleAdmin)}, false},
		{"admin over an admin below", admin, 9, []Grant{grant("/1/2/", RoleAdmin)}, true},
		{"office over a member of its district", office, 9, []Grant{grant("/1/2/3/4/", RoleMember)}, true},
		{"office over a standing committee on its unit", office, 9, []Grant{grant("/1/2/", RoleStandingCommittee)}, true},
		{"office over an office on the same unit", office, 9, []Grant{grant("/1/2/", RoleOffice)}, false},
		{"office over an office below", office, 9, []Grant{grant("/1/2/3/", RoleOffice)}, true},
		{"office below over the district office", communeOffice, 9, []Grant{grant("/1/2/", RoleOffice)}, false},
		{"office over an account with one role outside", office, 9, []Grant{grant("/1/2/3/", RoleMember), grant("/1/5/", RoleMember)}, false},
		{"office over an admin", office, 9, []Grant{grant("/1/2/", RoleAdmin)}, false},
		{"committee does not manage accounts", committee, 9, []Grant{grant("/1/2/3/4/", RoleMember)}, false},
		{"office over an account without roles", office, 9, nil, false},
		{"admin over an account without roles", admin, 9, nil, true},
		{"admin over itself", admin, 1, []Grant{grant("/1/", RoleAdmin)}, false},
		{"office over itself, a higher role below", actorWith(2, grant("/1/2/", RoleOffice), grant("/1/2/3/4/", RoleMember)), 2,
			[]Grant{grant("/1/2/", RoleOffice), grant("/1/2/3/4/", RoleMember)}, false},
		{"the operator", SystemActor(), 9, []Grant{grant("/1/", RoleAdmin)}, true},
		{"nobody", nil, 9, nil, false},
	}
	for _, tt := range tests {
		if got := Outranks(tt.actor, tt.account, tt.grants); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAdministers is the reach of the account pages: that of SetRoles.
func TestAdministers(t *testing.T) {
	admin := actorWith(1, grant("/1/", RoleAdmin))
	office := actorWith(2, grant("/1/2/", RoleOffice))
	tests := []struct {
		name   string
		actor  *Actor
		grants []Grant
		want   bool
	}{
		{"office, account in its district", office, []Grant{grant("/1/2/3/", RoleCommittee)}, true},
		{"office, account in another district", office, []Grant{grant("/1/5/", RoleCommittee)}, false},
		{"office, account half outside", office, []Grant{grant("/1/2/3/", RoleCommittee), grant("/1/5/", RoleMember)}, false},
		{"office, an admin in its district", office, []Grant{grant("/1/2/", RoleAdmin)}, false},
		{"office, account without roles", office, nil, false},
		{"admin, account without roles", admin, nil, true},
		{"admin, another district", admin, []Grant{grant("/1/5/", RoleOffice)}, true},
		{"member", actorWith(3, grant("/1/2/3/4/", RoleMember)), []Grant{grant("/1/2/3/4/", RoleMember)}, false},
	}
	for _, tt := range tests {
		if got := Administers(tt.actor, tt.grants); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCommonPath(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"/1/2/3/"}, "/1/2/3/"},
		{[]string{"/1/2/3/", "/1/2/"}, "/1/2/"},
		{[]string{"/1/2/", "/1/23/"}, "/1/"},
		{[]string{"/1/2/3/", "", "/1/2/4/"}, "/1/2/"},
		{[]string{"/1/", "/7/"}, ""},
	}
	for _, tt := range tests {
		if got := CommonPath(tt.in...); got != tt.want {
			t.Errorf("CommonPath(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestResetSecondFactorRule: the service refuses an equal with a field
// error, answers "not found" out of reach, and resets for a higher officer.
func TestResetSecondFactorRule(t *testing.T) {
	st := &adminFake{row: AccountRow{ID: 9, Username: "vp2", TOTPEnabled: true,
		Roles: []GrantView{{UnitID: 2, UnitPath: "/1/2/", Role: RoleOffice}}}}
	s := &Service{Store: st}
	ctx := context.Background()
	tests := []struct {
		name   string
		actor  *Actor
		code   string
		resets int
	}{
		{"an equal", actorWith(2, grant("/1/2/", RoleOffice)), "invalid", 0},
		{"another district", actorWith(3, grant("/1/5/", RoleOffice)), "not_found", 0},
		{"a member", actorWith(4, grant("/1/2/3/4/", RoleMember)), "not_found", 0},
		{"the admin", actorWith(1, grant("/1/", RoleAdmin)), "", 1},
	}
	for _, tt := range tests {
		st.resets = 0
		err := s.ResetSecondFactor(ctx, tt.actor, 9)
		if got := codeOf(err); got != tt.code || st.resets != tt.resets {
			t.Errorf("%s: got %q with %d resets, want %q with %d", tt.name, got, st.resets, tt.code, tt.resets)
		}
	}
	st.row.TOTPEnabled, st.resets = false, 0
	if err := s.ResetSecondFactor(ctx, actorWith(1, grant("/1/", RoleAdmin)), 9); codeOf(err) != "conflict" || st.resets != 0 {
		t.Errorf("no second factor to reset: got %q with %d resets, want conflict and none", codeOf(err), st.resets)
	}
	if st.entry.Action != "account.second_factor_reset" || PrivateAudit(st.entry.Action) || st.entry.UnitPath != "/1/2/" {
		t.Errorf("audit entry %q at %q: want a public account.second_factor_reset at /1/2/", st.entry.Action, st.entry.UnitPath)
	}
}

func codeOf(err error) string { return string(apperr.CodeOf(err)) }

// adminFake is the store of TestResetSecondFactorRule: one account.
type adminFake struct {
	Store
	row    AccountRow
	resets int
	entry  AuditEntry
}

func (f *adminFake) Row(ctx context.Context, id int64) (*AccountRow, error) {
	r := f.row
	return &r, nil
}

func (f *adminFake) ResetSecondFactor(ctx context.Context, id int64, e AuditEntry) error {
	f.resets++
	f.entry = e
	return nil
}

func (f *adminFake) List(context.Context, AccountFilter) ([]AccountRow, error) {
	return nil, nil
}

func (f *adminFake) UnitChoices(context.Context, []string, string, int) ([]UnitChoice, error) {
	return nil, nil
}
