package conference

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// MaxReason bounds the reason of a cancellation.
const MaxReason = 1000

// RescheduleInput is PATCH /api/v1/conferences/{id}: the new times, with
// the version read (If-Match or "version").
type RescheduleInput struct {
	StartsAt time.Time  `json:"starts_at"`
	EndsAt   *time.Time `json:"ends_at"`
	Version  int        `json:"version"`
}

// CancelInput is POST /api/v1/conferences/{id}/cancel.
type CancelInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// changeable reads a conference the actor manages that has neither
// started nor been called off, at version (0: any).
func (s *Service) changeable(ctx context.Context, actor *auth.Actor, id int64, version int) (*Conference, error) {
	c, _, err := s.view(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !c.CanManage {
		return nil, notFound()
	}
	if c.CancelledAt != nil {
		return nil, apperr.Keyed(apperr.Conflict, "conference.cancelled", "the conference was called off")
	}
	if !c.StartsAt.After(s.now()) {
		return nil, apperr.Keyed(apperr.Conflict, "conference.started", "the conference has started: its time is the record")
	}
	if version != 0 && version != c.Version {
		return nil, stale(version)
	}
	return c, nil
}

func stale(v int) error {
	return apperr.Keyed(apperr.Conflict, "conference.stale", "the conference was changed by someone else (version %d is stale): reload and try again", v)
}

// Reschedule moves a conference that has not started to new times; every
// expected attendee gets the notice in the inbox.
func (s *Service) Reschedule(ctx context.Context, actor *auth.Actor, id int64, in RescheduleInput) (*Conference, error) {
	c, err := s.changeable(ctx, actor, id, in.Version)
	if err != nil {
		return nil, err
	}
	var errs []apperr.FieldError
	if in.StartsAt.IsZero() {
		errs = append(errs, apperr.FieldKeyed("starts_at", "conference.starts_required", "give the start time"))
	} else if y := in.StartsAt.Year(); y < viet.MinYear || y > viet.MaxYear {
		errs = append(errs, apperr.FieldKeyed("starts_at", "conference.time_range", "a year between %d and %d", viet.MinYear, viet.MaxYear))
	} else if !in.StartsAt.After(s.now()) {
		errs = append(errs, apperr.FieldKeyed("starts_at", "conference.starts_past", "the new start must be in the future"))
	}
	if in.EndsAt != nil && !in.StartsAt.IsZero() && !in.EndsAt.After(in.StartsAt) {
		errs = append(errs, apperr.FieldKeyed("ends_at", "conference.ends_before", "the end must come after the start"))
	} else if in.EndsAt != nil && in.EndsAt.Sub(in.StartsAt) > 7*24*time.Hour {
		errs = append(errs, apperr.FieldKeyed("ends_at", "conference.too_long", "a conference lasts at most a week"))
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.not_valid", "the conference is not valid").With(errs...)
	}
	oldStart, oldEnd := c.StartsAt, c.EndsAt
	before := map[string]any{"starts_at": oldStart, "ends_at": oldEnd}
	c.StartsAt = in.StartsAt.UTC()
	c.EndsAt = nil
	if in.EndsAt != nil {
		e := in.EndsAt.UTC()
		c.EndsAt = &e
	}
	if oldStart.Equal(c.StartsAt) && sameTime(oldEnd, c.EndsAt) {
		return c, nil // nothing moves, nobody is told
	}
	c.Invitation = InvitationText(c)
	notice := Notice{Title: "Hội nghị đổi lịch: ", Body: "Thời gian mới: " + c.StartsAt.In(date.Vietnam).Format("15:04 ngày 02/01/2006") + ".",
		EventKey: "conference:" + strconv.FormatInt(id, 10) + ":moved:" + strconv.Itoa(c.Version+1)}
	err = s.Store.Reschedule(ctx, c, c.Version, notice, auth.AuditEntry{Actor: actor, Action: "conference.reschedule", ObjectType: "conference", ObjectID: id, UnitPath: c.HostUnitPath,
		Before: before, After: map[string]any{"starts_at": c.StartsAt, "ends_at": c.EndsAt}})
	if err != nil {
		return nil, err
	}
	return s.changed(c), nil
}

// changed is a conference just written: its new version and state, and
// the watchers of its live pages told.
func (s *Service) changed(c *Conference) *Conference {
	c.Version++
	c.SetState(s.now())
	s.changes().Publish(c.ID)
	return c
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// Cancel calls off a conference that has not started; every expected
// attendee gets the notice (with the reason) in the inbox.
func (s *Service) Cancel(ctx context.Context, actor *auth.Actor, id int64, in CancelInput) (*Conference, error) {
	c, err := s.changeable(ctx, actor, id, in.Version)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(viet.NFC(in.Reason))
	if len([]rune(reason)) > MaxReason {
		return nil, apperr.InvalidField("reason", "conference.reason_length", "at most %d characters", MaxReason)
	} else if viet.CheckText(reason) != nil {
		return nil, apperr.InvalidField("reason", "conference.bad_text", "contains characters that are not allowed")
	}
	now := s.now().UTC()
	c.CancelledAt, c.CancelReason = &now, reason
	body := "Hội nghị dự kiến lúc " + c.StartsAt.In(date.Vietnam).Format("15:04 ngày 02/01/2006") + " không tổ chức nữa."
	if reason != "" {
		body += " Lý do: " + reason
	}
	notice := Notice{Title: "Hội nghị bị hủy: ", Body: body, EventKey: "conference:" + strconv.FormatInt(id, 10) + ":cancelled"}
	err = s.Store.Cancel(ctx, c, c.Version, notice, auth.AuditEntry{Actor: actor, Action: "conference.cancel", ObjectType: "conference", ObjectID: id, UnitPath: c.HostUnitPath,
		After: map[string]any{"cancelled_at": now, "reason": reason}})
	if err != nil {
		return nil, err
	}
	return s.changed(c), nil
}

// HostOption is an account that may host a bridge point of a unit: one
// holding a role on that unit.
type HostOption struct {
	UnitID    int64  `json:"unit_id"`
	AccountID int64  `json:"account_id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
}

// MaxHostUnits bounds the units whose host options one call reads.
const MaxHostUnits = MaxPoints

// HostOptions lists, for the officers of a conference, the enabled
// accounts holding a role on each of the units (at or below the host
// unit), for the bridge-point form's host picker.
func (s *Service) HostOptions(ctx context.Context, actor *auth.Actor, confID int64, unitIDs []int64) (map[int64][]HostOption, error) {
	c, _, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage {
		return nil, notFound()
	}
	out := map[int64][]HostOption{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	if len(unitIDs) > MaxHostUnits {
		unitIDs = unitIDs[:MaxHostUnits]
	}
	hs, err := s.Store.HostOptions(ctx, c.HostUnitPath, unitIDs)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		out[h.UnitID] = append(out[h.UnitID], h)
	}
	return out, nil
}
