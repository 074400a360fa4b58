package auth

import "testing"

func TestHighestUnit(t *testing.T) {
	grants := []Grant{
		{UnitID: 5, UnitPath: "/1/2/5/", Role: RoleCellOfficer},
		{UnitID: 2, UnitPath: "/1/2/", Role: RoleCommittee},
		{UnitID: 3, UnitPath: "/1/3/", Role: RoleCellOfficer},
	}
	tests := []struct {
		name  string
		actor *Actor
		roles []Role
		want  int64
	}{
		{"no actor", nil, []Role{RoleCommittee}, 0},
		{"no grant of the roles", &Actor{Grants: grants}, []Role{RoleOffice}, 0},
		{"the one grant", &Actor{Grants: grants}, []Role{RoleCommittee}, 2},
		{"the shorter path of two", &Actor{Grants: grants}, []Role{RoleCellOfficer}, 3},
		{"the highest of all", &Actor{Grants: grants}, []Role{RoleCellOfficer, RoleCommittee}, 2},
	}
	for _, tt := range tests {
		if got := tt.actor.HighestUnit(tt.roles); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}
