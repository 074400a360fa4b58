package outbreak

import (
	"context"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
)

// MemberWindow is how far back a member's record shows their shifts.
const MemberWindow = 366 * 24 * time.Hour

// MemberDuties lists a member's shifts for their record (the member
// page): those ending within the last year and later, in time order. The
// member themself, or whoever reads personal data on the member's unit;
// anyone else answers 404 as for a missing member. The read is audited as
// the member page's other personal data is ("member.read", naming what
// was read: {"read": "outbreak.duties"}).
func (s *Service) MemberDuties(ctx context.Context, actor *auth.Actor, memberID int64, limit int, cursor string) (*page.Of[Duty], error) {
	missing := apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", memberID)
	m, err := s.Store.Member(ctx, memberID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, missing
	}
	if err != nil {
		return nil, err
	}
	self := actor.MemberID != 0 && actor.MemberID == memberID
	if !self && !actor.Can(m.UnitPath, auth.ReadPersonal) {
		return nil, missing
	}
	l, err := s.Store.MyDuties(ctx, memberID, s.now().UTC().Add(-MemberWindow), page.Limit(limit), cursor)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.read", ObjectType: "member", ObjectID: memberID, UnitPath: m.UnitPath,
		After: map[string]string{"read": "outbreak.duties"}}); err != nil {
		return nil, err
	}
	return l, nil
}
