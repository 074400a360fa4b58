package org

import (
	"context"
	"strconv"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// ChangeActions are the audit log's actions that change a unit: what its
// page lists as its history. The log also records reads about the unit
// (its member list viewed), which are not part of its history.
var ChangeActions = []string{"unit.create", "unit.update", "unit.move", "unit.merge", "unit.dissolve", "unit.split"}

// MaxChanges bounds the changes a page lists.
const MaxChanges = 50

// Change is one entry of a unit's history from the audit log.
type Change struct {
	At     time.Time
	Action string
	// Who is the user name of who made it.
	Who string
}

// Changes returns the newest changes of a unit within the actor's reach
// (at most limit), for those who may read the log there (officers); for
// anyone else, and without a log, none. A unit out of reach is not found.
func (s *Service) Changes(ctx context.Context, actor *auth.Actor, id int64, limit int) ([]Change, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if s.Log == nil || !actor.Can(u.Path, auth.ReadPersonal) {
		return nil, nil
	}
	limit = min(max(limit, 1), MaxChanges)
	recs, _, err := auth.ListAudit(ctx, s.Log, actor, auth.AuditQuery{Object: "unit:" + strconv.FormatInt(u.ID, 10),
		Actions: ChangeActions, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]Change, 0, len(recs))
	for _, r := range recs {
		out = append(out, Change{At: r.At, Action: r.Action, Who: r.Username})
	}
	return out, nil
}
