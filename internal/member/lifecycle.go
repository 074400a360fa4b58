package member

import (
	"context"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// transitions lists the statuses each status may change to.
var transitions = map[Status][]Status{
	StatusProbationary: {StatusFull, StatusStruckOff, StatusExpelled, StatusDeceased, StatusTransferredOut},
	StatusFull:         {StatusExempt, StatusStruckOff, StatusExpelled, StatusDeceased, StatusTransferredOut},
	StatusExempt:       {StatusFull, StatusStruckOff, StatusExpelled, StatusDeceased, StatusTransferredOut},
}

// CanTransition reports whether a member may go from one status to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ProbationMonths is how long a probationary member waits to become full.
const ProbationMonths = 12

// ProbationEnds returns the day a probationary member's 12 months end.
func ProbationEnds(admitted date.Date) date.Date { return admitted.AddMonths(ProbationMonths) }

// StatusInput is a lifecycle change as the API receives it.
type StatusInput struct {
	Status      Status    `json:"status"`
	EffectiveOn date.Date `json:"effective_on"`
	Reason      string    `json:"reason"`
	Version     int       `json:"version"`
}

// ChangeStatus moves a member along the lifecycle.
func (s *Service) ChangeStatus(ctx context.Context, actor *auth.Actor, id int64, in StatusInput) (*Member, error) {
	m, path, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !in.Status.Valid() {
		return nil, apperr.Keyed(apperr.Invalid, "member.unknown_status", "unknown status").With(apperr.FieldKeyed("status", "member.must_one_probationary_full", "must be one of probationary, full, exempt, transferred_out, struck_off, expelled, deceased"))
	}
	// A status change records what has happened: it is dated today at the latest.
	if err := checkEffectiveOn(m, in.EffectiveOn, s.today()); err != nil {
		return nil, err
	}
	if !CanTransition(m.Status, in.Status) {
		return nil, apperr.Keyed(apperr.Conflict, "member.member_cannot_go", "a member cannot go from %s to %s", m.Status, in.Status)
	}
	if m.Status == StatusProbationary && in.Status == StatusFull {
		if ends := ProbationEnds(m.AdmittedOn); in.EffectiveOn.Before(ends) {
			return nil, apperr.Keyed(apperr.Invalid, "member.probation_not_ended", "probation has not ended").With(apperr.FieldKeyed("effective_on", "member.probation_ends", "the 12 months of probation end on %s", ends))
		}
		m.FullOn = in.EffectiveOn
	}
	before := *m
	ev := Event{Kind: "status", FromStatus: m.Status, ToStatus: in.Status, FromUnitID: m.UnitID, EffectiveOn: in.EffectiveOn, Reason: viet.Clean(in.Reason), AccountID: actor.AccountID}
	m.Status = in.Status
	version := in.Version
	if version == 0 {
		version = before.Version
	}
	err = s.Store.ChangeStatus(ctx, m, version, ev, auth.AuditEntry{Actor: actor, Action: "member.status", ObjectType: "member", ObjectID: id, UnitPath: path, Before: before, After: m})
	return m, err
}

// TransferInput moves a member to another cell.
type TransferInput struct {
	ToUnitID    int64     `json:"to_unit_id"`
	Kind        string    `json:"kind"` // temporary | official
	EffectiveOn date.Date `json:"effective_on"`
	Reason      string    `json:"reason"`
	Version     int       `json:"version"`
}

// Transfer moves a member officially (the record changes cell, the old
// cell keeps the period in its history) or temporarily (the member keeps
// the home cell and is hosted by another).
func (s *Service) Transfer(ctx context.Context, actor *auth.Actor, id int64, in TransferInput) (*Member, error) {
	m, path, err := s.writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !m.Status.Active() {
		return nil, apperr.Keyed(apperr.Conflict, "member.member_cannot_transferred", "a %s member cannot be transferred", m.Status)
	}
	if in.Kind != "temporary" && in.Kind != "official" {
		return nil, apperr.Keyed(apperr.Invalid, "member.unknown_kind_transfer", "unknown kind of transfer").With(apperr.FieldKeyed("kind", "member.must_temporary_official", "must be temporary or official"))
	}
	if err := checkEffectiveOn(m, in.EffectiveOn, s.today().AddYears(TransferAheadYears)); err != nil {
		return nil, err
	}
	// A destination out of reach answers as one that does not exist.
	to, err := s.Store.UnitRef(ctx, in.ToUnitID)
	if err != nil || to.Dissolved || !actor.Can(to.Path, auth.SeeUnits) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		e := apperr.Keyed(apperr.NotFound, "common.unit_missing", "unit not found")
		e.Fields = []apperr.FieldError{apperr.FieldKeyed("to_unit_id", "common.unit_out_of_reach", "no such unit within reach")}
		return nil, e
	}
	if to.Kind != "cell" {
		return nil, apperr.Keyed(apperr.Invalid, "member.members_belong_cells", "members belong to cells").With(apperr.FieldKeyed("to_unit_id", "member.destination_not_cell", "the destination is not a cell"))
	}
	before := *m
	if to.ID == m.UnitID {
		if in.Kind != "temporary" || m.TempUnitID == nil {
			return nil, apperr.Keyed(apperr.Conflict, "member.member_already_cell", "the member is already in that cell")
		}
		// A temporary transfer back to the home cell ends the stay elsewhere.
		ev := Event{Kind: "transfer_return", FromStatus: m.Status, ToStatus: m.Status, FromUnitID: *m.TempUnitID, ToUnitID: to.ID, EffectiveOn: in.EffectiveOn, Reason: viet.Clean(in.Reason), AccountID: actor.AccountID}
		m.TempUnitID = nil
		err = s.Store.Transfer(ctx, m, versionOr(in.Version, before.Version), ev, auth.AuditEntry{Actor: actor, Action: "member.transfer", ObjectType: "member", ObjectID: id, UnitPath: path, Before: before, After: m})
		return m, err
	}
	ev := Event{Kind: "transfer_" + in.Kind, FromStatus: m.Status, ToStatus: m.Status, FromUnitID: m.UnitID, ToUnitID: to.ID, EffectiveOn: in.EffectiveOn, Reason: viet.Clean(in.Reason), AccountID: actor.AccountID}
	if in.Kind == "official" {
		m.UnitID, m.UnitName, m.TempUnitID = to.ID, to.Name, nil
	} else {
		m.TempUnitID = &to.ID
	}
	version := in.Version
	if version == 0 {
		version = before.Version
	}
	err = s.Store.Transfer(ctx, m, version, ev, auth.AuditEntry{Actor: actor, Action: "member.transfer", ObjectType: "member", ObjectID: id, UnitPath: path, Before: before, After: m})
	return m, err
}

// versionOr returns v, or current when the caller gave no version.
func versionOr(v, current int) int {
	if v == 0 {
		return current
	}
	return v
}
