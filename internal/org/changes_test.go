package org

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// auditLog is an audit log in memory that filters as the store does, so
// that the test sees what Changes asks of it.
type auditLog struct {
	recs  []auth.AuditRecord
	asked []auth.AuditFilter
}

func (l *auditLog) ListAudit(_ context.Context, f auth.AuditFilter) ([]auth.AuditRecord, error) {
	l.asked = append(l.asked, f)
	var out []auth.AuditRecord
	for _, r := range l.recs {
		if (f.ObjectType == "" || r.ObjectType == f.ObjectType) && (f.ObjectID == 0 || r.ObjectID != nil && *r.ObjectID == f.ObjectID) &&
			(f.Actions == nil || slices.Contains(f.Actions, r.Action)) && len(out) <= f.Limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l *auditLog) UnitPath(context.Context, int64) (string, error) { return "", nil }

// TestChanges: a unit's history lists its changes, newest first, not the
// reads about it nor another unit's entries, at most the limit; only for
// those who may read the log there; a unit out of reach is not found.
func TestChanges(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	rec := func(action string, unit int64, h int) auth.AuditRecord {
		return auth.AuditRecord{At: at.Add(time.Duration(h) * time.Hour), Action: action, Username: "vanphong", ObjectType: "unit", ObjectID: &unit}
	}
	log := &auditLog{recs: []auth.AuditRecord{ // newest first, as the store answers
		rec("unit.read", 4, 5), rec("unit.update", 4, 4), rec("unit.members.list", 4, 3), rec("unit.move", 5, 2), rec("unit.create", 4, 1),
	}}
	s := &Service{Store: newTreeStore(), Log: log}
	officer := &auth.Actor{Username: "danguy", Grants: []auth.Grant{{UnitID: 3, UnitPath: "/1/2/3/", Role: auth.RoleCommittee}}}
	member := &auth.Actor{Username: "dangvien", MemberID: 9, MemberUnitPath: "/1/2/3/4/", Grants: []auth.Grant{{UnitID: 4, UnitPath: "/1/2/3/4/", Role: auth.RoleMember}}}
	other := &auth.Actor{Username: "khac", Grants: []auth.Grant{{UnitID: 5, UnitPath: "/1/2/3/5/", Role: auth.RoleCommittee}}}
	for _, tt := range []struct {
		name    string
		actor   *auth.Actor
		unit    int64
		limit   int
		want    []string
		wantErr apperr.Code
	}{
		{"the changes, newest first", officer, 4, 20, []string{"unit.update", "unit.create"}, ""},
		{"at most the limit", officer, 4, 1, []string{"unit.update"}, ""},
		{"a member sees no log", member, 4, 20, nil, ""},
		{"out of reach: not found", other, 4, 20, nil, apperr.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Changes(context.Background(), tt.actor, tt.unit, tt.limit)
			if apperr.CodeOf(err) != tt.wantErr {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			var actions []string
			for _, c := range got {
				actions = append(actions, c.Action)
				if c.Who != "vanphong" || c.At.IsZero() {
					t.Errorf("change %+v: who or when missing", c)
				}
			}
			if diff := cmp.Diff(tt.want, actions); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
	// The filter goes to the log (in SQL), not after a page of reads.
	for _, f := range log.asked {
		if !cmp.Equal(f.Actions, ChangeActions) {
			t.Errorf("asked the log %+v, want the change actions", f)
		}
	}
	if len(log.asked) == 0 {
		t.Error("the log was never asked")
	}
}
