package outbreak

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestMemberDuties: a member's shifts on their record are read by the
// member themself or by whoever reads personal data on their unit, each
// read audited; anyone else (another commune, a member of the same cell)
// answers 404 and nothing is audited.
func TestMemberDuties(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, "2026-09-10")
	start := time.Date(2026, 9, 5, 7, 0, 0, 0, time.UTC)
	fx.st.duties[1] = &Duty{ID: 1, MemberID: 10, Role: "phun thuốc", From: start, To: start.Add(4 * time.Hour)}
	fx.st.duties[2] = &Duty{ID: 2, MemberID: 11, Role: "diệt lăng quăng", From: start, To: start.Add(4 * time.Hour)}
	// a shift older than the record's window is left out
	old := start.Add(-400 * 24 * time.Hour)
	fx.st.duties[3] = &Duty{ID: 3, MemberID: 10, Role: "cũ", From: old, To: old.Add(time.Hour)}
	u := fx.st.units
	for _, tc := range []struct {
		name  string
		actor *auth.Actor
		want  int // shifts answered; -1: not found
	}{
		{"the member", actorOn(10, auth.RoleMember), 1},
		{"the commune", actorOn(0, auth.RoleCommittee, u[2]), 1},
		{"the cell's officer", actorOn(0, auth.RoleCellOfficer, u[3]), 1},
		{"another commune", actorOn(0, auth.RoleCommittee, u[4]), -1},
		{"another member", actorOn(11, auth.RoleMember), -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fx.st.audits)
			l, err := fx.s.MemberDuties(ctx, tc.actor, 10, 10, "")
			if tc.want < 0 {
				if !apperr.Is(err, apperr.NotFound) {
					t.Fatalf("got %v, want not found", err)
				}
				if len(fx.st.audits) != before {
					t.Errorf("a refused read was audited")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := len(l.Items); got != tc.want {
				t.Errorf("shifts: got %d, want %d", got, tc.want)
			}
			if len(fx.st.audits) != before+1 || fx.st.audits[before].Action != "member.read" || fx.st.audits[before].ObjectID != 10 || fx.st.audits[before].After == nil {
				t.Errorf("audit: got %+v, want one member.read of member 10", fx.st.audits[before:])
			}
		})
	}
	if _, err := fx.s.MemberDuties(ctx, actorOn(0, auth.RoleOffice, u[1]), 999, 10, ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("missing member: got %v, want not found", err)
	}
}
