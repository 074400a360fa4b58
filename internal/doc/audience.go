package doc

import (
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

// Audience is who a document or a piece of news is published to: the
// subtree of one unit, optionally only some roles. It is stored as one row
// (unit and roles), never as one row per reader.
//
// Roles are the roles of readers' accounts; the role "member" also means
// every party member whose cell lies in the subtree (through the member
// linked to their account). No roles means everyone in the subtree.
type Audience struct {
	UnitID   int64       `json:"unit_id"`
	Roles    []auth.Role `json:"roles"`
	UnitName string      `json:"unit_name,omitempty"`
	// Path is the unit's materialised path, loaded with the document.
	Path string `json:"-"`
}

// allows reports whether the audience's roles let role in.
func (a Audience) allows(role auth.Role) bool {
	if len(a.Roles) == 0 {
		return true
	}
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// RolesKey is the stored form of the roles: "" for everyone, otherwise the
// sorted roles between commas (",committee,member,") so that one LIKE
// '%,role,%' tests a role in SQL.
func (a Audience) RolesKey() string {
	if len(a.Roles) == 0 {
		return ""
	}
	return "," + strings.Join(roleStrings(a.Roles), ",") + ","
}

// ParseRolesKey reads the stored form back.
func ParseRolesKey(s string) []auth.Role {
	var out []auth.Role
	for _, p := range strings.Split(strings.Trim(s, ","), ",") {
		if p != "" {
			out = append(out, auth.Role(p))
		}
	}
	return out
}

func roleStrings(rs []auth.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// Officers are the roles that supervise a subtree: a grant of one of them
// on a unit covering the audience unit reads the document whatever its
// roles, to follow up on it.
var Officers = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee, auth.RoleCellOfficer}

// PublishDocs may publish documents from a unit to its subtree.
var PublishDocs = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}

// PublishNews may publish news to a subtree.
var PublishNews = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee, auth.RoleCellOfficer}

func isOfficer(r auth.Role) bool {
	for _, o := range Officers {
		if o == r {
			return true
		}
	}
	return false
}

// Reach is what the store needs to filter documents by reader in SQL: it is
// derived from the actor.
type Reach struct {
	// All: the system actor reads everything.
	All bool
	// MemberPath is the path of the cell of the member linked to the
	// account, if any: audiences on it or on any unit above it reach them.
	MemberPath string
	// MemberID is that member.
	MemberID int64
	// Grants are the account's roles with their units' paths.
	Grants []auth.Grant
}

// ReachOf derives the reach of an actor.
func ReachOf(a *auth.Actor) Reach {
	if a == nil {
		return Reach{}
	}
	return Reach{All: a.System, MemberPath: a.MemberUnitPath, MemberID: a.MemberID, Grants: a.Grants}
}

// MayRead reports whether a reader reaches an audience:
//   - a member whose cell lies in the audience subtree, when the audience
//     takes members (no roles, or the role "member");
//   - an officer whose grant covers the audience unit (supervision);
//   - any account whose grant overlaps the audience subtree (its unit is in
//     the subtree or above it) with a role the audience takes.
//
// The store's SQL filter is the same rule (a test checks they agree).
func (r Reach) MayRead(a Audience) bool {
	if r.All {
		return true
	}
	if r.MemberPath != "" && strings.HasPrefix(r.MemberPath, a.Path) && a.allows(auth.RoleMember) {
		return true
	}
	for _, g := range r.Grants {
		covers := strings.HasPrefix(a.Path, g.UnitPath)
		within := strings.HasPrefix(g.UnitPath, a.Path)
		if covers && isOfficer(g.Role) {
			return true
		}
		if (covers || within) && a.allows(g.Role) {
			return true
		}
	}
	return false
}

// Expects reports whether a reader is one whose read is counted: a member
// in the audience, either as a member or through a role it takes.
func (r Reach) Expects(a Audience) bool {
	if r.MemberID == 0 || r.MemberPath == "" || !strings.HasPrefix(r.MemberPath, a.Path) {
		return false
	}
	if a.allows(auth.RoleMember) {
		return true
	}
	for _, g := range r.Grants {
		if a.allows(g.Role) {
			return true
		}
	}
	return false
}

// AncestorIDs returns the ids of the units on a materialised path, from the
// root down: "/1/7/42/" → 1, 7, 42. These are the units whose subtree
// contains the unit at path, so "audiences that reach this cell" is the
// indexed query audience_unit_id IN (these ids) — at most a handful.
func AncestorIDs(path string) []int64 { return auth.PathIDs(path) }
