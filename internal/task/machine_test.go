package task

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// legal is the state machine written out by hand: "action by capacity from
// state" → the state after. Everything not listed is refused.
var legal = map[string]State{
	"accept holder assigned":        StateInProgress,
	"report holder in_progress":     StateInProgress,
	"complete holder in_progress":   StateDone,
	"complete superior assigned":    StateDone,
	"complete superior in_progress": StateDone,
	"forward holder assigned":       StateAssigned,
	"forward holder in_progress":    StateAssigned,
	"forward superior assigned":     StateAssigned,
	"forward superior in_progress":  StateAssigned,
	"return holder assigned":        StateAssigned,
	"return holder in_progress":     StateAssigned,
	"escalate holder assigned":      StateAssigned,
	"escalate holder in_progress":   StateAssigned,
	"extend holder assigned":        StateAssigned,
	"extend holder in_progress":     StateInProgress,
	"extend superior assigned":      StateAssigned,
	"extend superior in_progress":   StateInProgress,
	"suspend superior assigned":     StateSuspended,
	"suspend superior in_progress":  StateSuspended,
	"resume superior suspended":     StateInProgress, // back to the remembered state
}

// TestTransitions checks every action, in every state, for every capacity
// against the table above.
func TestTransitions(t *testing.T) {
	caps := map[string]Capacity{"none": 0, "holder": AsHolder, "superior": AsSuperior, "both": AsHolder | AsSuperior}
	for _, s := range States {
		for _, a := range Actions {
			for cname, c := range caps {
				want, ok := legal[fmt.Sprintf("%s %s %s", a, cname, s)]
				if cname == "both" {
					wh, okh := legal[fmt.Sprintf("%s holder %s", a, s)]
					ws, oks := legal[fmt.Sprintf("%s superior %s", a, s)]
					want, ok = wh, okh || oks
					if !okh {
						want = ws
					}
				}
				got, err := Next(s, a, c, StateInProgress)
				switch {
				case ok && err != nil:
					t.Errorf("%s by %s from %s: refused (%v), want %s", a, cname, s, err, want)
				case ok && got != want:
					t.Errorf("%s by %s from %s: got %s, want %s", a, cname, s, got, want)
				case !ok && err == nil:
					t.Errorf("%s by %s from %s: allowed (→ %s), want refused", a, cname, s, got)
				case !ok && !apperr.Is(err, apperr.Conflict):
					t.Errorf("%s by %s from %s: %v, want a 409 conflict", a, cname, s, err)
				}
			}
		}
	}
}

func TestRefusalReasons(t *testing.T) {
	tests := []struct {
		state  State
		action Action
		c      Capacity
		reason string
	}{
		{StateDone, ActReport, AsHolder, "the task is done"},
		{StateAssigned, ActAccept, 0, "neither hold this task nor are an officer above"},
		{StateAssigned, ActAccept, AsSuperior, "only the holder of the task can accept"},
		{StateInProgress, ActEscalate, AsSuperior, "only the holder of the task can escalate"},
		{StateInProgress, ActSuspend, AsHolder, "only an officer above the holder can suspend"},
		{StateSuspended, ActReport, AsHolder, "the task is suspended"},
		{StateSuspended, ActForward, AsSuperior, "the task is suspended"},
		{StateInProgress, ActResume, AsSuperior, "the task is not suspended"},
		{StateInProgress, ActAccept, AsHolder, "already accepted"},
		{StateAssigned, ActReport, AsHolder, "accept it first"},
		{StateAssigned, ActComplete, AsHolder, "accept it first"},
	}
	for _, tt := range tests {
		_, err := Next(tt.state, tt.action, tt.c, "")
		if err == nil || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s by %s from %s: %v, want a reason with %q", tt.action, tt.c, tt.state, err, tt.reason)
		}
	}
	if _, err := Next(StateAssigned, "delegate", AsHolder, ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown action: %v, want 422", err)
	}
	if _, err := Next(StateAssigned, ActCreate, AsHolder, ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("create as a step: %v, want 422", err)
	}
}

func TestResumeGoesBack(t *testing.T) {
	for _, tt := range []struct{ remembered, want State }{
		{StateAssigned, StateAssigned}, {StateInProgress, StateInProgress}, {"", StateInProgress}, {StateDone, StateInProgress},
	} {
		got, err := Next(StateSuspended, ActResume, AsSuperior, tt.remembered)
		if err != nil || got != tt.want {
			t.Errorf("resume to %q: %s, %v; want %s", tt.remembered, got, err, tt.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		s    State
		c    Capacity
		want string
	}{
		{StateAssigned, AsHolder, "accept forward return escalate extend"},
		{StateInProgress, AsHolder, "report complete forward return escalate extend"},
		{StateInProgress, AsSuperior, "complete forward extend suspend"},
		{StateSuspended, AsSuperior, "resume"},
		{StateSuspended, AsHolder, ""},
		{StateDone, AsHolder | AsSuperior, ""},
		{StateAssigned, 0, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range Allowed(tt.s, tt.c) {
			got = append(got, string(a))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s as %s: %q, want %q", tt.s, tt.c, g, tt.want)
		}
	}
}

// TestCapacity: who holds a task and who is above its holder.
func TestCapacity(t *testing.T) {
	commune := &Task{HolderPath: "/1/2/3/", HolderMemberID: ptr(int64(77))}
	grant := func(path string, role auth.Role) *auth.Actor {
		return &auth.Actor{AccountID: 9, Grants: []auth.Grant{{UnitPath: path, Role: role}}}
	}
	tests := []struct {
		name  string
		actor *auth.Actor
		want  Capacity
	}{
		{"committee of the holder unit", grant("/1/2/3/", auth.RoleCommittee), AsHolder},
		{"cell officer of the holder unit", grant("/1/2/3/", auth.RoleCellOfficer), AsHolder},
		{"office of the holder unit", grant("/1/2/3/", auth.RoleOffice), AsHolder},
		{"a member role on the holder unit", grant("/1/2/3/", auth.RoleMember), 0},
		{"the holder member's account", &auth.Actor{AccountID: 9, MemberID: 77}, AsHolder},
		{"another member", &auth.Actor{AccountID: 9, MemberID: 78}, 0},
		{"office of the district above", grant("/1/2/", auth.RoleOffice), AsSuperior},
		{"standing committee above", grant("/1/2/", auth.RoleStandingCommittee), AsSuperior},
		{"committee above", grant("/1/", auth.RoleCommittee), AsSuperior},
		{"cell officer above is not a superior", grant("/1/2/", auth.RoleCellOfficer), 0},
		{"a unit below the holder", grant("/1/2/3/4/", auth.RoleCommittee), 0},
		{"a sibling unit", grant("/1/2/5/", auth.RoleCommittee), 0},
		{"a path that merely shares a prefix", grant("/1/2/33/", auth.RoleCommittee), 0},
		{"the system", auth.SystemActor(), AsHolder | AsSuperior},
	}
	for _, tt := range tests {
		if got := CapacityOf(tt.actor, commune); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDirectionOf(t *testing.T) {
	holder := &UnitRef{ID: 3, Path: "/1/2/3/", Name: "xã A"}
	tests := []struct {
		target     *UnitRef
		sameMember bool
		want       Direction
		err        bool
	}{
		{&UnitRef{ID: 4, Path: "/1/2/3/4/"}, false, DirDown, false},
		{&UnitRef{ID: 9, Path: "/1/2/3/4/9/"}, false, DirDown, false},
		{&UnitRef{ID: 5, Path: "/1/2/5/"}, false, DirSideways, false},
		{&UnitRef{ID: 33, Path: "/1/2/33/"}, false, DirSideways, false},
		{&UnitRef{ID: 8, Path: "/8/"}, false, DirSideways, false},
		{&UnitRef{ID: 2, Path: "/1/2/", Name: "huyện"}, false, "", true},
		{holder, true, DirDown, false},
		{holder, false, "", true},
	}
	for _, tt := range tests {
		got, err := DirectionOf(holder, tt.target, tt.sameMember)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("to %s: %q, %v; want %q (error %v)", tt.target.Path, got, err, tt.want, tt.err)
		}
	}
}
