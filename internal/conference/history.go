package conference

import (
	"context"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
)

// Statuses of a conference in a member's history.
const (
	StatusPresent   = "present"   // checked in at the expected point
	StatusElsewhere = "elsewhere" // checked in at another point
	StatusAbsent    = "absent"    // started, not checked in
	StatusUpcoming  = "upcoming"  // not started yet
	StatusCancelled = "cancelled" // called off
)

// HistoryItem is one conference a member was expected at, as their
// record shows it.
type HistoryItem struct {
	ConferenceID    int64      `json:"conference_id"`
	Title           string     `json:"title"`
	StartsAt        time.Time  `json:"starts_at"`
	EndsAt          *time.Time `json:"ends_at"`
	HostUnitName    string     `json:"host_unit_name"`
	ExpectedPointID *int64     `json:"expected_bridge_point_id"`
	ExpectedPoint   string     `json:"expected_bridge_point"`
	CheckedPointID  *int64     `json:"checked_in_bridge_point_id"`
	CheckedPoint    string     `json:"checked_in_bridge_point"`
	CheckedAt       *time.Time `json:"checked_in_at"`
	Late            bool       `json:"late"`
	Cancelled       bool       `json:"-"`
	Status          string     `json:"status"`
}

// SetStatus fills Status from the check-in and the time.
func (h *HistoryItem) SetStatus(now time.Time) {
	switch {
	case h.Cancelled:
		h.Status = StatusCancelled
	case h.CheckedAt != nil && h.CheckedPointID != nil && h.ExpectedPointID != nil && *h.CheckedPointID == *h.ExpectedPointID:
		h.Status = StatusPresent
	case h.CheckedAt != nil:
		h.Status = StatusElsewhere
	case h.StartsAt.After(now):
		h.Status = StatusUpcoming
	default:
		h.Status = StatusAbsent
	}
}

// HistoryStore is what the member's history needs.
type HistoryStore interface {
	// MemberPath is the path of a member's cell (NotFound: no member).
	MemberPath(ctx context.Context, memberID int64) (string, error)
	// History lists the conferences the member is (or was) expected at,
	// the latest start first.
	History(ctx context.Context, memberID int64, limit int, cursor string) (*page.Of[HistoryItem], error)
	Audit(ctx context.Context, a auth.AuditEntry) error
}

// History is the conferences of a member's record, with present, absent
// or elsewhere: read by the member themself and by those who may read the
// member's personal record (the read audited, as the record's); anyone
// else gets "not found", as for a member that does not exist.
func (s *Service) History(ctx context.Context, actor *auth.Actor, memberID int64, limit int, cursor string) (*page.Of[HistoryItem], error) {
	path, err := actor.MemberRecordPath(memberID, func() (string, error) { return s.Store.MemberPath(ctx, memberID) })
	if err != nil {
		return nil, err
	}
	l, err := s.Store.History(ctx, memberID, page.Limit(limit), cursor)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Audit(ctx, auth.MemberRead(actor, memberID, path, nil)); err != nil {
		return nil, err
	}
	now := s.now()
	for i := range l.Items {
		l.Items[i].SetStatus(now)
	}
	return l, nil
}
