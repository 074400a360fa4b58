// Package auth holds accounts, roles and the access policy. A role held on a
// unit covers that unit's whole subtree; every service call takes an Actor and
// every list is filtered by the actor's subtrees (as path prefixes) in SQL.
package auth

import (
	"slices"
	"sort"
	"strings"
)

// Role is what an account may do on a unit and its subtree.
type Role string

const (
	RoleAdmin             Role = "admin"
	RoleOffice            Role = "office"
	RoleStandingCommittee Role = "standing_committee"
	RoleCommittee         Role = "committee"
	RoleCellOfficer       Role = "cell_officer"
	RoleMember            Role = "member"
)

// AllRoles lists the roles from most to least powerful.
var AllRoles = []Role{RoleAdmin, RoleOffice, RoleStandingCommittee, RoleCommittee, RoleCellOfficer, RoleMember}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range AllRoles {
		if x == r {
			return true
		}
	}
	return false
}

// Capability groups roles by what they allow.
var (
	// ReadPersonal may read members' personal records in the subtree.
	ReadPersonal = []Role{RoleAdmin, RoleOffice, RoleStandingCommittee, RoleCommittee, RoleCellOfficer}
	// WriteMembers may create and edit member records in the subtree.
	WriteMembers = []Role{RoleAdmin, RoleOffice, RoleCommittee, RoleCellOfficer}
	// WriteUnits may create, rename and restructure units in the subtree.
	WriteUnits = []Role{RoleAdmin, RoleOffice}
	// ManageAccounts may create accounts and grant roles in the subtree.
	ManageAccounts = []Role{RoleAdmin, RoleOffice}
	// SeeUnits may browse the tree (every role may see its own subtree).
	SeeUnits = AllRoles
)

// Grant is one role on one unit; UnitPath is the unit's materialised path.
type Grant struct {
	UnitID   int64  `json:"unit_id"`
	UnitPath string `json:"-"`
	Role     Role   `json:"role"`
}

// Actor is the account acting in a request.
type Actor struct {
	AccountID int64
	Username  string
	MemberID  int64 // 0 when the account is not linked to a member
	// MemberName is the full name of the linked member, for greetings.
	MemberName string
	Grants     []Grant
	// MemberUnitPath is the path of the actor's own cell, when linked.
	MemberUnitPath string
	// Address is the client address of the request, for the audit trail.
	Address string
	// System marks internal callers (CLI, demo loader) that may reach everything.
	System bool
	// SessionID is the public id of the session the actor signed in with
	// (not its token), so that "end my other sessions" can spare it.
	SessionID string
	// Restricted marks a session of an account whose roles require a second
	// factor that it has not enrolled yet: it may only enrol (see
	// NeedsTOTPEnrolment), look at itself and sign out.
	Restricted bool
	// WroteAt, when heavy reads go to a read replica, is where this
	// session's last write left the primary's write-ahead log, while that
	// write is recent: its heavy reads go to the replica only once the
	// replica has replayed that far (internal/readroute). "" otherwise.
	WroteAt string
}

// DisplayName is how pages greet the actor: the member's full name when
// the account is linked to a member record, else the user name.
func (a *Actor) DisplayName() string {
	if a == nil {
		return ""
	}
	if a.MemberName != "" {
		return a.MemberName
	}
	return a.Username
}

// SystemActor is used by command-line tools run by the operator.
func SystemActor() *Actor { return &Actor{Username: "system", System: true} }

// Paths returns the minimal set of subtree prefixes where the actor holds one
// of roles. A nil result with System=false means "nothing".
func (a *Actor) Paths(roles []Role) []string {
	if a == nil {
		return nil
	}
	if a.System {
		return []string{"/"}
	}
	var ps []string
	for _, g := range a.Grants {
		if slices.Contains(roles, g.Role) {
			ps = append(ps, g.UnitPath)
		}
	}
	return MinimalPrefixes(ps)
}

// HighestUnit is the highest unit (the shortest path) on which the actor
// holds one of roles; 0 when none (or no actor). The pages link to it
// (the task board, the meetings).
func (a *Actor) HighestUnit(roles []Role) int64 {
	if a == nil {
		return 0
	}
	var best *Grant
	for i, g := range a.Grants {
		if slices.Contains(roles, g.Role) && (best == nil || len(g.UnitPath) < len(best.UnitPath)) {
			best = &a.Grants[i]
		}
	}
	if best == nil {
		return 0
	}
	return best.UnitID
}

// Can reports whether the actor holds one of roles on a unit covering path.
func (a *Actor) Can(path string, roles []Role) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if slices.Contains(roles, g.Role) && strings.HasPrefix(path, g.UnitPath) {
			return true
		}
	}
	return false
}

// HasAny reports whether the actor holds one of roles anywhere.
func (a *Actor) HasAny(roles []Role) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// MinimalPrefixes drops duplicates and paths covered by a shorter one.
func MinimalPrefixes(ps []string) []string {
	sort.Strings(ps)
	var out []string
	for _, p := range ps {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}
