package scoring

import (
	"context"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
)

// Evidence kinds that come from other modules when they are wired in
// (Service.Meetings, Service.Conferences); absent, they are not offered.
const (
	LinkMeeting    = "meeting"
	LinkConference = "conference"
)

// MeetingSummary is what the meetings module knows of a cell for a
// period: its closed (held) meetings, the months with a regular one and
// the attendance on the frozen rolls.
type MeetingSummary struct {
	Held     int `json:"held"`
	Regular  int `json:"regular"`
	Thematic int `json:"thematic"`
	// RegularMonths are the months of the period with a regular meeting
	// held; MonthsDue the months of the period up to today.
	RegularMonths int `json:"regular_months"`
	MonthsDue     int `json:"months_due"`
	Expected      int `json:"expected"`
	Present       int `json:"present"`
	// AttendancePct is Present over Expected, rounded down (0 without a
	// roll: Expected 0).
	AttendancePct int `json:"attendance_pct"`
}

// ConferenceSummary is the cell's members at the conferences they were
// invited to in the period (those that have started).
type ConferenceSummary struct {
	Conferences int `json:"conferences"`
	Expected    int `json:"expected"`
	Present     int `json:"present"`
	Absent      int `json:"absent"`
}

// OutbreakSummary is the cell's members mobilised to outbreak shifts
// (internal/outbreak, "4 tại chỗ") that start in the period.
type OutbreakSummary struct {
	Shifts    int `json:"shifts"`
	Confirmed int `json:"confirmed"`
	Members   int `json:"members"`
}

// OutbreakSource is what the module needs of the outbreak module.
type OutbreakSource interface {
	// OutbreakEvidence counts the shifts of the cell's members starting
	// from..to (Vietnamese days), those confirmed, and the members.
	OutbreakEvidence(ctx context.Context, unitID int64, from, to date.Date) (*OutbreakSummary, error)
}

// MeetingSource is what the module needs of the meetings module.
type MeetingSource interface {
	// MeetingEvidence counts the cell's held meetings from..to (the
	// summary's MonthsDue is left to the module).
	MeetingEvidence(ctx context.Context, unitID int64, from, to date.Date) (*MeetingSummary, error)
	// MeetingLink finds a held meeting: its title and its unit's path
	// (NotFound when missing or not held).
	MeetingLink(ctx context.Context, id int64) (title string, unitPath string, err error)
}

// ConferenceSource is what the module needs of the conferences module.
type ConferenceSource interface {
	ConferenceEvidence(ctx context.Context, unitID int64, from, to date.Date) (*ConferenceSummary, error)
	// ConferenceLink finds a conference that has started: its title and
	// its audience's path (NotFound otherwise).
	ConferenceLink(ctx context.Context, id int64) (title string, audiencePath string, err error)
}

// linkKinds are the evidence kinds on offer.
func (s *Service) linkKinds() []string {
	kinds := slices.Clone(LinkKinds)
	if s.Meetings != nil {
		kinds = append(kinds, LinkMeeting)
	}
	if s.Conferences != nil {
		kinds = append(kinds, LinkConference)
	}
	return kinds
}

// linkTarget finds a piece of evidence and says whether it belongs to the
// cell at path: a meeting of the cell itself (or of its subtree), a
// conference addressed to it, a document or task as LinkTarget says.
func (s *Service) linkTarget(ctx context.Context, kind string, id int64, cell string) (string, bool, error) {
	switch kind {
	case LinkMeeting:
		title, path, err := s.Meetings.MeetingLink(ctx, id)
		return title, err == nil && strings.HasPrefix(path, cell), err
	case LinkConference:
		// addressed to the cell or a unit above it (its members were
		// invited), or to a unit within it
		title, path, err := s.Conferences.ConferenceLink(ctx, id)
		return title, err == nil && linkedTo(cell, []string{path}), err
	}
	title, paths, err := s.Store.LinkTarget(ctx, kind, id)
	return title, err == nil && linkedTo(cell, paths), err
}

// addSources adds the meetings, conferences and outbreak shifts to a
// cell's evidence.
func (s *Service) addSources(ctx context.Context, ev *Evidence, unitID int64, from, to date.Date) error {
	if s.Meetings != nil {
		m, err := s.Meetings.MeetingEvidence(ctx, unitID, from, to)
		if err != nil {
			return err
		}
		last := to
		if today := s.today(); today.Before(last) {
			last = today
		}
		if !last.Before(from) {
			m.MonthsDue = (last.Year-from.Year)*12 + int(last.Month) - int(from.Month) + 1
		}
		if m.Expected > 0 {
			m.AttendancePct = m.Present * 100 / m.Expected
		}
		ev.Meetings = m
	}
	if s.Conferences != nil {
		c, err := s.Conferences.ConferenceEvidence(ctx, unitID, from, to)
		if err != nil {
			return err
		}
		ev.Conferences = c
	}
	if s.Outbreaks != nil {
		o, err := s.Outbreaks.OutbreakEvidence(ctx, unitID, from, to)
		if err != nil {
			return err
		}
		ev.Outbreak = o
	}
	return nil
}
