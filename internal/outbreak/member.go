package outbreak

import (
	"context"
	"time"

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
	path, err := actor.MemberRecordPath(memberID, func() (string, error) {
		m, err := s.Store.Member(ctx, memberID)
		if err != nil {
			return "", err
		}
		return m.UnitPath, nil
	})
	if err != nil {
		return nil, err
	}
	l, err := s.Store.MyDuties(ctx, memberID, s.now().UTC().Add(-MemberWindow), page.Limit(limit), cursor)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Audit(ctx, auth.MemberRead(actor, memberID, path, map[string]string{"read": "outbreak.duties"})); err != nil {
		return nil, err
	}
	return l, nil
}
