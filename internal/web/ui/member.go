package ui

import (
	"context"
	"net/http"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// memberPage is one member's record, or its public part.
type memberPage struct {
	view
	Member *member.Member
	// Unit is the member's cell when the actor may see it, for the link.
	Unit *org.Unit
	// TempUnit hosts a temporary transfer, when there is one in reach.
	TempUnit *org.Unit
	Personal bool
	CanWrite bool
}

func (s *Handler) uiMember(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	actor := httpx.ActorFrom(r)
	m, personal, err := s.Members.Get(r.Context(), actor, id)
	if err != nil {
		return err
	}
	p := &memberPage{Member: m, Personal: personal}
	p.Unit, p.CanWrite = s.memberUnit(r.Context(), actor, m)
	p.Crumbs = s.trail(r.Context(), actor, p.Unit)
	if m.TempUnitID != nil && personal {
		p.TempUnit, _ = s.Org.Get(r.Context(), actor, *m.TempUnitID)
	}
	s.render(w, r, http.StatusOK, "member", p)
	return nil
}

// memberUnit returns the member's cell if the actor may see it, and
// whether the actor may edit the record there.
func (s *Handler) memberUnit(ctx context.Context, actor *auth.Actor, m *member.Member) (*org.Unit, bool) {
	u, err := s.Org.Get(ctx, actor, m.UnitID)
	if err != nil {
		return nil, false
	}
	return u, actor.Can(u.Path, auth.WriteMembers)
}
