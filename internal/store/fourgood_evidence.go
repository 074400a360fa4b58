package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// FourGoodMeetings gives the four-good scoresheets the evidence of the
// meetings module (scoring.MeetingSource): a cell's held meetings and
// their attendance.
type FourGoodMeetings struct{ *DB }

// MeetingEvidence counts the cell's closed meetings of the months from..to
// (the months of the meetings' Vietnamese start), read by the cell's
// meetings index.
func (db FourGoodMeetings) MeetingEvidence(ctx context.Context, unitID int64, from, to date.Date) (*scoring.MeetingSummary, error) {
	m := &scoring.MeetingSummary{}
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN kind = 'regular' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'thematic' THEN 1 ELSE 0 END), 0),
		COUNT(DISTINCT CASE WHEN kind = 'regular' THEN month END),
		COALESCE(SUM(expected_count), 0), COALESCE(SUM(present_count), 0)
		FROM meetings WHERE unit_id = $1 AND state = 'closed' AND month >= $2 AND month <= $3`,
		unitID, from.String()[:7], to.String()[:7]).Scan(&m.Held, &m.Regular, &m.Thematic, &m.RegularMonths, &m.Expected, &m.Present)
	if err != nil {
		return nil, fmt.Errorf("evidence meetings: %w", err)
	}
	return m, nil
}

// MeetingLink finds a held meeting: its topic and date, and its unit.
func (db FourGoodMeetings) MeetingLink(ctx context.Context, id int64) (string, string, error) {
	var topic, path string
	var month string
	err := db.read.QueryRowContext(ctx, `SELECT m.topic, m.month, u.path FROM meetings m JOIN units u ON u.id = m.unit_id
		WHERE m.id = $1 AND m.state = 'closed'`, id).Scan(&topic, &month, &path)
	if err != nil {
		return "", "", notFound(err, "meeting %d not found", id)
	}
	return topic + " (" + month + ")", path, nil
}

// FourGoodConferences gives the four-good scoresheets the evidence of the
// conferences (scoring.ConferenceSource): the cell's members invited to
// the conferences of the period, present and absent.
type FourGoodConferences struct{ *DB }

// ConferenceEvidence counts the invitations of the cell's members to the
// conferences that started from..to (and before now), and their check-ins.
func (db FourGoodConferences) ConferenceEvidence(ctx context.Context, unitID int64, from, to date.Date) (*scoring.ConferenceSummary, error) {
	c := &scoring.ConferenceSummary{}
	end := to.AddDays(1).Time()
	if now := db.Now(); now.Before(end) {
		end = now
	}
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT a.conference_id), COUNT(*), COUNT(ci.member_id)
		FROM members m JOIN conference_attendees a ON a.member_id = m.id
		JOIN conferences c ON c.id = a.conference_id
		LEFT JOIN conference_checkins ci ON ci.conference_id = a.conference_id AND ci.member_id = a.member_id
		WHERE m.unit_id = $1 AND c.starts_at >= $2 AND c.starts_at < $3`, unitID, from.Time(), end).Scan(&c.Conferences, &c.Expected, &c.Present)
	if err != nil {
		return nil, fmt.Errorf("evidence conferences: %w", err)
	}
	c.Absent = c.Expected - c.Present
	return c, nil
}

// ConferenceLink finds a conference that has started: its title and its
// audience's path.
func (db FourGoodConferences) ConferenceLink(ctx context.Context, id int64) (string, string, error) {
	var title, audience string
	err := db.read.QueryRowContext(ctx, `SELECT c.title, au.path FROM conferences c
		JOIN units au ON au.id = c.audience_unit_id WHERE c.id = $1 AND c.starts_at <= $2`, id, db.Now()).Scan(&title, &audience)
	if err != nil {
		return "", "", notFound(err, "conference %d not found", id)
	}
	return title, audience, nil
}

// FourGoodRequests gives the four-good results the report requests that
// carry them up (scoring.RequestSource).
type FourGoodRequests struct{ *DB }

// FourGoodRequest finds the newest request of kind four-good made by the
// unit whose period ends from..to, with the submissions to it.
func (db FourGoodRequests) FourGoodRequest(ctx context.Context, unitID int64, from, to date.Date) (*scoring.ReportRequest, error) {
	var r scoring.ReportRequest
	var due string
	err := db.read.QueryRowContext(ctx, `SELECT id, title, due_on FROM report_requests
		WHERE unit_id = $1 AND kind = $2 AND period_to >= $3 AND period_to <= $4 ORDER BY id DESC LIMIT 1`,
		unitID, scoring.RequestKind, from.String(), to.String()).Scan(&r.ID, &r.Title, &due)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("four-good request: %w", err)
	}
	if r.DueOn, err = date.Parse(due); err != nil {
		return nil, err
	}
	r.Sent = map[int64]scoring.RequestSent{}
	err = queryEach(ctx, db.read, func(rows *sql.Rows) error {
		var s scoring.RequestSent
		var unit int64
		var on string
		err := rows.Scan(&s.SubmissionID, &unit, &s.SentAt, &on)
		if err == nil {
			s.SentOn, err = date.Parse(on)
		}
		s.SentAt = s.SentAt.UTC()
		r.Sent[unit] = s
		return err
	}, `SELECT id, unit_id, sent_at, sent_on FROM report_submissions WHERE request_id = $1`, r.ID)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// FourGoodOutbreaks gives the four-good scoresheets the outbreak shifts
// of the cell's members (scoring.OutbreakSource).
type FourGoodOutbreaks struct{ *DB }

// OutbreakEvidence counts the shifts of the cell's members (members.unit_id,
// as the members' evidence counts them) starting from..to (Vietnamese
// days), those confirmed, and the distinct members.
func (db FourGoodOutbreaks) OutbreakEvidence(ctx context.Context, unitID int64, from, to date.Date) (*scoring.OutbreakSummary, error) {
	o := &scoring.OutbreakSummary{}
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(d.confirmed_at), COUNT(DISTINCT d.member_id)
		FROM members m JOIN outbreak_duties d ON d.member_id = m.id
		WHERE m.unit_id = $1 AND d.starts_at >= $2 AND d.starts_at < $3`,
		unitID, jobs.DBTime(vnDay(from)), jobs.DBTime(vnDay(to.AddDays(1)))).Scan(&o.Shifts, &o.Confirmed, &o.Members)
	if err != nil {
		return nil, fmt.Errorf("evidence outbreak shifts: %w", err)
	}
	return o, nil
}

// vnDay is the start of a day in Vietnam.
func vnDay(d date.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, date.Vietnam)
}
