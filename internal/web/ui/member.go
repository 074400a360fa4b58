package ui

import (
	"context"
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// memberPage is one member's record, or its public part (Member.Personal).
type memberPage struct {
	view
	Member *member.View
	// Unit is the member's cell when the actor may see it, for the link.
	Unit *org.Unit
	// TempUnit hosts a temporary transfer, when there is one in reach.
	TempUnit *org.Unit
	CanWrite bool
	// Conferences are the latest conferences the member was invited to,
	// with present, elsewhere or absent (on the personal record only);
	// MoreConferences how many earlier ones the page leaves out.
	Conferences     []conference.HistoryItem
	MoreConferences int
	// Shifts are the member's outbreak shifts of the last year and later
	// (on the personal record only); MoreShifts how many the page leaves out.
	Shifts     []outbreak.Duty
	MoreShifts int
	// OpenFoci are the foci of those shifts the viewer may open: a member
	// sees their own shifts but not always the focus page (a commune's).
	OpenFoci map[int64]bool
}

// memberShifts is how many outbreak shifts the member page shows.
const memberShifts = 20

// memberConferences is how many conferences the member page shows.
const memberConferences = 20

func (s *Handler) uiMember(w http.ResponseWriter, r *http.Request) error {
	actor := httpx.ActorFrom(r)
	v, err := httpx.ByPathID(r, s.Members.Get)
	if err != nil {
		return err
	}
	id := v.ID
	p := &memberPage{Member: v}
	p.Unit, p.CanWrite = s.memberUnit(r.Context(), actor, v.UnitID)
	p.Crumbs = s.trail(r.Context(), actor, p.Unit)
	if v.TempUnitID != nil { // a public view has none
		p.TempUnit, _ = s.Org.Get(r.Context(), actor, *v.TempUnitID)
	}
	if v.Personal && s.Conferences != nil {
		h, err := s.Conferences.History(r.Context(), actor, id, memberConferences, "")
		if err != nil {
			return err
		}
		p.Conferences, p.MoreConferences = h.Items, h.Total-len(h.Items)
	}
	if v.Personal && s.Outbreaks != nil {
		// The same rule as the personal view; should they ever differ (a
		// reach the outbreak module does not know), the page goes without.
		l, err := s.Outbreaks.MemberDuties(r.Context(), actor, id, memberShifts, "")
		switch {
		case err == nil:
			p.Shifts, p.MoreShifts = l.Items, l.Total-len(l.Items)
			p.OpenFoci = s.openFoci(r.Context(), actor, l.Items)
		case !apperr.Is(err, apperr.NotFound):
			return err
		}
	}
	return s.show(w, r, "member", p, nil)
}

// memberUnit returns the member's cell if the actor may see it, and
// whether the actor may edit the record there.
func (s *Handler) memberUnit(ctx context.Context, actor *auth.Actor, unitID int64) (*org.Unit, bool) {
	u, err := s.Org.Get(ctx, actor, unitID)
	if err != nil {
		return nil, false
	}
	return u, actor.Can(u.Path, auth.WriteMembers)
}

// openFoci returns which of the shifts' foci the actor may open, so that
// the page links only to those (at most memberShifts lookups).
func (s *Handler) openFoci(ctx context.Context, actor *auth.Actor, shifts []outbreak.Duty) map[int64]bool {
	open := map[int64]bool{}
	for _, d := range shifts {
		if _, seen := open[d.OutbreakID]; seen {
			continue
		}
		_, err := s.Outbreaks.Get(ctx, actor, d.OutbreakID)
		open[d.OutbreakID] = err == nil
	}
	return open
}
