package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Meetings is the meeting module's Store (internal/meeting).
type Meetings struct{ *DB }

var _ meeting.Store = Meetings{}

// meetingActiveStatuses are the member statuses of those who belong to a cell.
const meetingActiveStatuses = `('probationary', 'full', 'exempt')`

// UnitRef returns what the meetings need of a unit.
func (s Meetings) UnitRef(ctx context.Context, id int64) (*meeting.UnitRef, error) {
	var u meeting.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, s.read, id, `id, path, name, kind`, &u.ID, &u.Path, &u.Name, &u.Kind)
	return &u, err
}

// HostPath is the path of the cell hosting a member on a temporary transfer.
func (s Meetings) HostPath(ctx context.Context, memberID int64) (string, error) {
	var p string
	err := s.read.QueryRowContext(ctx, `SELECT u.path FROM members m JOIN units u ON u.id = m.temp_unit_id
		WHERE m.id = $1 AND m.status IN `+meetingActiveStatuses, memberID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, err
}

// MissingDocuments returns those of ids that are not documents addressed
// to members of a unit on path (the unit itself or above).
func (s Meetings) MissingDocuments(ctx context.Context, ids []int64, path string) ([]int64, error) {
	found, err := s.DocumentTitles(ctx, ids, path)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			out = append(out, id)
		}
	}
	return out, nil
}

// DocumentTitles returns the titles of those of ids that a unit on path
// may read in its handbook.
func (s Meetings) DocumentTitles(ctx context.Context, ids []int64, path string) (map[int64]string, error) {
	return queryMap(ctx, s.read, func(rows *sql.Rows) (id int64, title string, err error) {
		return id, title, rows.Scan(&id, &title)
	}, `SELECT id, title FROM documents WHERE id IN `+idList(ids)+` AND kind = 'document'
		AND audience_unit_id IN `+idList(meeting.AncestorIDs(path))+` AND (audience_roles = '' OR audience_roles LIKE '%,member,%')`)
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// CreateGuidance writes a guidance and its audit entry.
func (s Meetings) CreateGuidance(ctx context.Context, g *meeting.Guidance, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO meeting_guidance (unit_id, month, topics, document_ids, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, g.UnitID, g.Month, jsonText(g.Topics), jsonText(g.DocumentIDs), g.Note, accountOf(a), jobs.DBTime(g.CreatedAt))
		if err != nil {
			return err
		}
		g.ID, a.ObjectID = id, id
		return tx.audit(ctx, a)
	})
}

func accountOf(a auth.AuditEntry) any {
	if a.Actor == nil || a.Actor.AccountID == 0 {
		return nil
	}
	return a.Actor.AccountID
}

const guidanceColumns = `g.id, g.unit_id, u.name, u.path, g.month, g.topics, g.document_ids, g.note, g.created_at`

func scanGuidance(sc interface{ Scan(...any) error }) (*meeting.Guidance, error) {
	var g meeting.Guidance
	var topics, docs string
	if err := sc.Scan(&g.ID, &g.UnitID, &g.UnitName, &g.UnitPath, &g.Month, &topics, &docs, &g.Note, &g.CreatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(topics), &g.Topics); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(docs), &g.DocumentIDs); err != nil {
		return nil, err
	}
	g.CreatedAt = g.CreatedAt.UTC()
	return &g, nil
}

// Guidance returns one guidance with its unit's path.
func (s Meetings) Guidance(ctx context.Context, id int64) (*meeting.Guidance, error) {
	g, err := scanGuidance(s.read.QueryRowContext(ctx, `SELECT `+guidanceColumns+` FROM meeting_guidance g JOIN units u ON u.id = g.unit_id WHERE g.id = $1`, id))
	return g, notFound(err, "guidance %d not found", id)
}

// GuidanceFor lists the guidance of the units for a month, top level first.
func (s Meetings) GuidanceFor(ctx context.Context, unitIDs []int64, month string) ([]meeting.Guidance, error) {
	return queryAll(ctx, s.read, values(scanGuidance), `SELECT `+guidanceColumns+` FROM meeting_guidance g JOIN units u ON u.id = g.unit_id
		WHERE g.unit_id IN `+idList(unitIDs)+` AND g.month = $1 ORDER BY u.depth, g.id`, month)
}

func voteText(v *meeting.Vote) string {
	if v == nil {
		return ""
	}
	return jsonText(v)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return jobs.DBTime(*t)
}

// Create writes a meeting, its invitations (one INSERT … SELECT over the
// members of the cell and those it hosts) and its audit entry.
func (s Meetings) Create(ctx context.Context, m *meeting.Meeting, inv meeting.Invitation, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO meetings (unit_id, kind, month, starts_at, ends_at, place, topic, guidance_id, agenda,
			chair, secretary, vote, state, version, created_by, created_at, updated_at, chair_role)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $15, $16)`,
			m.UnitID, string(m.Kind), m.Month(), jobs.DBTime(m.StartsAt), nullTime(m.EndsAt), m.Place, m.Topic, m.GuidanceID, jsonText(m.Agenda),
			m.Chair, m.Secretary, voteText(m.Vote), string(m.State), accountOf(a), jobs.DBTime(m.CreatedAt), chairRole(m.ChairRole))
		if err != nil {
			return err
		}
		m.ID, a.ObjectID = id, id
		if ups := meeting.AncestorIDs(m.UnitPath); len(ups) > 1 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_scopes (scope_id, starts_at, meeting_id) SELECT id, $1, $2 FROM units WHERE id IN `+idList(ups[:len(ups)-1]),
				jobs.DBTime(m.StartsAt), id); err != nil {
				return fmt.Errorf("scopes: %w", err)
			}
		}
		link := "/sinh-hoat/" + strconv.FormatInt(id, 10)
		key := inv.EventKey + ":" + strconv.FormatInt(id, 10) + ":m:"
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
			SELECT mb.id, $1, $2, $3, $4, CAST($5 AS TEXT) || CAST(mb.id AS TEXT), $6 FROM members mb
			WHERE ((mb.unit_id = $7 AND mb.temp_unit_id IS NULL) OR mb.temp_unit_id = $7) AND mb.status IN `+meetingActiveStatuses+`
			ON CONFLICT DO NOTHING`, inv.Kind, inv.Title, inv.Body, link, key, jobs.DBTime(m.CreatedAt), m.UnitID); err != nil {
			return fmt.Errorf("invite: %w", err)
		}
		return tx.audit(ctx, a)
	})
}

const meetingColumns = `m.id, m.unit_id, u.name, u.path, m.kind, m.starts_at, m.ends_at, m.place, m.topic, m.guidance_id, m.agenda,
	m.chair, m.secretary, m.minutes, m.conclusions, m.resolution, m.vote, m.state, m.closed_at, m.ended_at,
	m.expected_count, m.present_count, m.version, m.created_at, m.updated_at, m.chair_role`

func scanMeeting(sc interface{ Scan(...any) error }) (*meeting.Meeting, error) {
	var m meeting.Meeting
	var ends, closed, ended sql.NullTime
	var guidance sql.NullInt64
	var agenda, vote, kind, state string
	if err := sc.Scan(&m.ID, &m.UnitID, &m.UnitName, &m.UnitPath, &kind, &m.StartsAt, &ends, &m.Place, &m.Topic, &guidance, &agenda,
		&m.Chair, &m.Secretary, &m.Minutes, &m.Conclusions, &m.Resolution, &vote, &state, &closed, &ended,
		&m.Expected, &m.Present, &m.Version, &m.CreatedAt, &m.UpdatedAt, &m.ChairRole); err != nil {
		return nil, err
	}
	m.Kind, m.State = meeting.Kind(kind), meeting.State(state)
	m.StartsAt, m.CreatedAt, m.UpdatedAt = m.StartsAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	opt := func(t sql.NullTime) *time.Time {
		if !t.Valid {
			return nil
		}
		u := t.Time.UTC()
		return &u
	}
	m.EndsAt, m.ClosedAt, m.EndedAt = opt(ends), opt(closed), opt(ended)
	if guidance.Valid {
		m.GuidanceID = &guidance.Int64
	}
	if err := json.Unmarshal([]byte(agenda), &m.Agenda); err != nil {
		return nil, err
	}
	if vote != "" {
		m.Vote = &meeting.Vote{}
		if err := json.Unmarshal([]byte(vote), m.Vote); err != nil {
			return nil, err
		}
	}
	m.Attendance, m.Amendments = []meeting.Attendance{}, []meeting.Amendment{}
	return &m, nil
}

// Meeting returns a meeting with its attendance and amendments.
func (s Meetings) Meeting(ctx context.Context, id int64) (*meeting.Meeting, error) {
	var m *meeting.Meeting
	err := s.Read(ctx, func(q Querier) error {
		var err error
		m, err = scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id))
		if err != nil {
			return notFound(err, "meeting %d not found", id)
		}
		m.Attendance, err = queryAll(ctx, q, func(rows *sql.Rows) (meeting.Attendance, error) {
			var l meeting.Attendance
			var hosted int
			err := rows.Scan(&l.MemberID, &l.FullName, &l.Status, &l.Reason, &l.Class, &hosted)
			l.Hosted = hosted == 1
			return l, err
		}, `SELECT a.member_id, a.full_name, a.status, a.reason, a.class, a.hosted FROM meeting_attendance a
			JOIN members mb ON mb.id = a.member_id WHERE a.meeting_id = $1 ORDER BY mb.sort_key, a.member_id`, id)
		if err != nil {
			return err
		}
		m.Amendments, err = queryAll(ctx, q, func(rows *sql.Rows) (meeting.Amendment, error) {
			var am meeting.Amendment
			err := rows.Scan(&am.ID, &am.Field, &am.Text, &am.Reason, &am.By, &am.CreatedAt)
			am.CreatedAt = am.CreatedAt.UTC()
			return am, err
		}, `SELECT id, field, text, reason, by_name, created_at FROM meeting_amendments WHERE meeting_id = $1 ORDER BY id`, id)
		return err
	})
	return m, err
}

// bump moves an open meeting's version on, or answers Conflict.
func (tx *Tx) bumpMeeting(ctx context.Context, id int64, version int, open bool) error {
	cond := ""
	if open {
		cond = ` AND state = 'open'`
	}
	return tx.execAffecting(ctx, apperr.Keyed(apperr.Conflict, "meeting.stale", "the meeting was changed meanwhile: read it again"),
		`UPDATE meetings SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`+cond, jobs.DBTime(tx.Now), id, version)
}

// Update writes the editable fields of an open meeting at version.
func (s Meetings) Update(ctx context.Context, m *meeting.Meeting, version int, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.bumpMeeting(ctx, m.ID, version, true); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET kind = $1, month = $2, starts_at = $3, ends_at = $4, place = $5, topic = $6, guidance_id = $7,
			agenda = $8, chair = $9, secretary = $10, minutes = $11, conclusions = $12, resolution = $13, vote = $14, updated_at = $15,
			chair_role = $17 WHERE id = $16`,
			string(m.Kind), m.Month(), jobs.DBTime(m.StartsAt), nullTime(m.EndsAt), m.Place, m.Topic, m.GuidanceID, jsonText(m.Agenda),
			m.Chair, m.Secretary, m.Minutes, m.Conclusions, m.Resolution, voteText(m.Vote), jobs.DBTime(m.UpdatedAt), m.ID, chairRole(m.ChairRole))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meeting_scopes SET starts_at = $1 WHERE meeting_id = $2`, jobs.DBTime(m.StartsAt), m.ID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// meetingListSQL is the SQL of a page of meetings by (starts_at, id) and of its
// total: a cell's through meetings_unit_start, a committee's through its
// rows of meeting_scopes (the primary key's range for the unit, in the
// page's order); each stops after the page, the count after
// listCountBound+1 rows (a city holds hundreds of thousands of meetings).
func meetingListSQL(f meeting.ListFilter) (page, count string, args argList) {
	var where []string
	var from, counted, at, id string
	if f.UnitID != 0 {
		from, at, id = ` FROM meetings m JOIN units u ON u.id = m.unit_id`, `m.starts_at`, `m.id`
		counted = ` FROM meetings m`
		where = append(where, `m.unit_id = `+args.add(f.UnitID))
	} else {
		// The count reads the scope's index alone.
		from, at, id = ` FROM meeting_scopes s JOIN meetings m ON m.id = s.meeting_id JOIN units u ON u.id = m.unit_id`, `s.starts_at`, `s.meeting_id`
		counted = ` FROM meeting_scopes s`
		where = append(where, `s.scope_id = `+args.add(f.ScopeID))
	}
	if !f.From.IsZero() {
		where = append(where, at+` >= `+args.add(jobs.DBTime(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, at+` < `+args.add(jobs.DBTime(f.To)))
	}
	// The count stops one past listCountBound (docs/api.md "at least").
	count = `SELECT COUNT(*) FROM (SELECT 1` + counted + ` WHERE ` + strings.Join(where, " AND ") + ` LIMIT ` + strconv.Itoa(listCountBound+1) + `) c`
	if f.After != nil {
		where = append(where, `(`+at+`, `+id+`) > (`+args.add(jobs.DBTime(f.After.StartsAt))+`, `+args.add(f.After.ID)+`)`)
	}
	page = `SELECT ` + meetingColumns + from + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + at + `, ` + id + ` LIMIT ` + args.add(f.Limit+1)
	return page, count, args
}

// List returns a page of meetings by start: one cell's, or a committee's
// subtree's (see meetingListSQL), counted up to listCountBound.
func (s Meetings) List(ctx context.Context, f meeting.ListFilter) (*page.Of[meeting.Meeting], error) {
	query, count, args := meetingListSQL(f)
	out := &page.Of[meeting.Meeting]{Items: []meeting.Meeting{}}
	err := s.Read(ctx, func(q Querier) error {
		// The count's placeholders are a prefix of the page's.
		n := strings.Count(count, "$")
		if err := q.QueryRowContext(ctx, count, args[:n]...).Scan(&out.Total); err != nil {
			return err
		}
		if out.Total > listCountBound {
			out.Total, out.TotalAtLeast = listCountBound, true
		}
		var err error
		out.Items, err = queryAll(ctx, q, values(scanMeeting), query, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	cutPage(out, f.Limit, func(last meeting.Meeting) string {
		return meeting.Cursor{StartsAt: last.StartsAt, ID: last.ID}.String()
	})
	return out, nil
}

// moveMeetingScopes keeps meeting_scopes in step when the unit at newPath
// (before: oldPath) moves with its subtree: its meetings leave the
// committees above its old place and join those above the new one (the
// committees inside the subtree stay). Called by moveSubtree after the
// paths are rewritten.
func (tx *Tx) moveMeetingScopes(ctx context.Context, oldPath, newPath string) error {
	return tx.moveAboveScopes(ctx, oldPath, newPath, "meeting_scopes", "meeting_id", "meetings", "starts_at, meeting_id", "m.starts_at, m.id")
}

// RollMembers lists a cell's active members, those it hosts on a temporary
// transfer and its own members away on one, by name.
func (s Meetings) RollMembers(ctx context.Context, cellID int64) ([]meeting.Member, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (meeting.Member, error) {
		var mb meeting.Member
		var hosted, away int
		err := rows.Scan(&mb.ID, &mb.FullName, &mb.Status, &hosted, &away)
		mb.Hosted, mb.Away = hosted == 1, away == 1
		return mb, err
	}, `SELECT id, full_name, status,
		CASE WHEN temp_unit_id = $1 THEN 1 ELSE 0 END, CASE WHEN temp_unit_id IS NOT NULL AND temp_unit_id <> $1 THEN 1 ELSE 0 END
		FROM members WHERE (unit_id = $1 OR temp_unit_id = $1) AND status IN `+meetingActiveStatuses+` ORDER BY sort_key, id`, cellID)
}

func (tx *Tx) putLines(ctx context.Context, meetingID int64, lines []meeting.Attendance) error {
	st, err := tx.prepared(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, class, hosted, full_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (meeting_id, member_id) DO UPDATE SET
		status = excluded.status, reason = excluded.reason, class = excluded.class, hosted = excluded.hosted, full_name = excluded.full_name`)
	if err != nil {
		return err
	}
	for _, l := range lines {
		hosted := 0
		if l.Hosted {
			hosted = 1
		}
		if _, err := st.ExecContext(ctx, meetingID, l.MemberID, l.Status, l.Reason, l.Class, hosted, l.FullName); err != nil {
			return err
		}
	}
	return nil
}

// putRoll upserts lines of an open meeting's roll at version.
func (tx *Tx) putRoll(ctx context.Context, id int64, version int, lines []meeting.Attendance) error {
	if err := tx.bumpMeeting(ctx, id, version, true); err != nil {
		return err
	}
	return tx.putLines(ctx, id, lines)
}

// PutAttendance upserts lines of an open meeting's roll at version.
func (s Meetings) PutAttendance(ctx context.Context, m *meeting.Meeting, lines []meeting.Attendance, version int, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.putRoll(ctx, m.ID, version, lines); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// Ordinal is the place of a closed meeting among its cell's closed
// meetings that started in the same year in Vietnam, by start then id
// (meetings_unit_start: the cell's meetings of the year up to this one).
func (s Meetings) Ordinal(ctx context.Context, m *meeting.Meeting) (int, error) {
	y := m.StartsAt.In(date.Vietnam).Year()
	from := time.Date(y, time.January, 1, 0, 0, 0, 0, date.Vietnam)
	at := jobs.DBTime(m.StartsAt)
	var n int
	err := s.Read(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE unit_id = $1 AND starts_at >= $2 AND (starts_at < $3 OR (starts_at = $3 AND id <= $4)) AND state = 'closed'`,
			m.UnitID, jobs.DBTime(from), at, m.ID).Scan(&n)
	})
	return n, err
}

// Close freezes the roll (the missing lines), keeps its counts and closes
// the meeting, at version.
func (s Meetings) Close(ctx context.Context, m *meeting.Meeting, missing []meeting.Attendance, version int, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.putRoll(ctx, m.ID, version, missing); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET state = 'closed', closed_at = $1, ended_at = $2, expected_count = $3, present_count = $4,
			unexcused_count = (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = $5 AND a.status = 'absent' AND a.reason = '')
			WHERE id = $5`, nullTime(m.ClosedAt), nullTime(m.EndedAt), m.Expected, m.Present, m.ID); err != nil {
			return err
		}
		year, _ := strconv.Atoi(m.Month()[:4])
		if err := tx.rollUpCell(ctx, m.UnitID, year); err != nil {
			return fmt.Errorf("roll up: %w", err)
		}
		return tx.audit(ctx, a)
	})
}

// Amend records an amendment of a closed meeting at version.
func (s Meetings) Amend(ctx context.Context, m *meeting.Meeting, am *meeting.Amendment, version int, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3 AND state = 'closed'`,
			jobs.DBTime(tx.Now), m.ID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "meeting.stale", "the meeting was changed meanwhile: read it again")
		}
		id, err := insertID(ctx, tx, `INSERT INTO meeting_amendments (meeting_id, field, text, reason, by_name, account_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, m.ID, am.Field, am.Text, am.Reason, am.By, accountOf(a), jobs.DBTime(am.CreatedAt))
		if err != nil {
			return err
		}
		am.ID = id
		return tx.audit(ctx, a)
	})
}

// rollUpSQL rewrites the compliance roll-up (meeting_cell_years) from the
// closed meetings that cond selects (an extra condition on meetings, with
// its placeholders from $1): one INSERT … SELECT, for one cell's year at
// closing or for every cell at once. Delete the rows it replaces first.
func rollUpSQL(cond string) string {
	var n, e, p strings.Builder
	for m := 1; m <= 12; m++ {
		mm := fmt.Sprintf("'%02d'", m)
		fmt.Fprintf(&n, ", SUM(CASE WHEN substr(month, 6, 2) = %s THEN 1 ELSE 0 END)", mm)
		fmt.Fprintf(&e, ", SUM(CASE WHEN substr(month, 6, 2) = %s THEN expected_count ELSE 0 END)", mm)
		fmt.Fprintf(&p, ", SUM(CASE WHEN substr(month, 6, 2) = %s THEN present_count ELSE 0 END)", mm)
	}
	bit := `1 << (CAST(substr(month, 6, 2) AS INTEGER) - 1)`
	return `INSERT INTO meeting_cell_years (unit_id, year, regular_mask, thematic_mask, ` + rollUpColumns + `)
		SELECT unit_id, CAST(substr(month, 1, 4) AS INTEGER),
			COALESCE(SUM(DISTINCT CASE WHEN kind = 'regular' THEN ` + bit + ` END), 0),
			COALESCE(SUM(DISTINCT CASE WHEN kind = 'thematic' THEN ` + bit + ` END), 0)` + n.String() + e.String() + p.String() + `
		FROM meetings WHERE state = 'closed' AND ` + cond + ` GROUP BY unit_id, CAST(substr(month, 1, 4) AS INTEGER)`
}

const rollUpColumns = "n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12"

// rollUpCell rewrites one cell's roll-up for a year inside tx.
// The per-subtree counters (meeting_subtree_months) lose the old row and
// gain the new one.
func (tx *Tx) rollUpCell(ctx context.Context, unitID int64, year int) error {
	if err := tx.countCellYear(ctx, unitID, year, -1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_cell_years WHERE unit_id = $1 AND year = $2`, unitID, year); err != nil {
		return err
	}
	y := strconv.Itoa(year)
	if _, err := tx.ExecContext(ctx, rollUpSQL(`unit_id = $1 AND month >= $2 AND month <= $3`), unitID, y+"-01", y+"-12"); err != nil {
		return err
	}
	if err := tx.countCellYear(ctx, unitID, year, 1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_member_years WHERE unit_id = $1 AND year = $2`, unitID, year); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, memberRollUpSQL(tx.db.dialect, `unit_id = $1 AND month >= $2 AND month <= $3`), unitID, y+"-01", y+"-12")
	return err
}

// memberRollUpSQL rewrites the flags' roll-up (meeting_member_years) from
// the closed meetings with absences without reason that cond selects (an
// extra condition on meetings, placeholders from $1): per cell, year and
// member, the count and the meetings' ids. Delete the rows it replaces
// first.
func memberRollUpSQL(d dialect, cond string) string {
	ids := `group_concat(a.meeting_id)`
	if d == postgresDialect {
		ids = `string_agg(CAST(a.meeting_id AS TEXT), ',')`
	}
	return `INSERT INTO meeting_member_years (unit_id, year, member_id, full_name, absences, meeting_ids)
		SELECT m.unit_id, CAST(substr(m.month, 1, 4) AS INTEGER), a.member_id, MAX(a.full_name), COUNT(*), ` + ids + `
		FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id AND a.status = 'absent' AND a.reason = ''
		WHERE m.state = 'closed' AND m.unexcused_count > 0 AND ` + cond + `
		GROUP BY m.unit_id, CAST(substr(m.month, 1, 4) AS INTEGER), a.member_id`
}

// CellYears returns the roll-up of a year for every cell of the subtree
// live in the months from..to: a range scan of the subtree's units by
// path, then one row per cell by its primary key (none: zeros).
func (s Meetings) CellYears(ctx context.Context, path, from, to string, closedBefore time.Time) ([]meeting.CellYear, error) {
	year, err := strconv.Atoi(from[:4])
	if err != nil {
		return nil, err
	}
	// The 36 counters come as one text ("n01,…,p12"): one column through
	// the driver instead of 36 (reading them one by one cost more than the
	// query itself on the city's 21,333 cells).
	cols := strings.Split(rollUpColumns, ", ")
	for i, c := range cols {
		cols[i] = "y." + c
	}
	packed := strings.Join(cols, " || ',' || ")
	out, err := queryAll(ctx, s.read, func(rows *sql.Rows) (meeting.CellYear, error) {
		var c meeting.CellYear
		var reg, th int64
		var text []byte
		if err := rows.Scan(&c.UnitID, &c.Name, &reg, &th, &text); err != nil {
			return c, err
		}
		c.Regular, c.Thematic = uint32(reg), uint32(th)
		if len(text) > 0 {
			if err := unpackCounters(text, &c); err != nil {
				return c, fmt.Errorf("roll-up of unit %d: %w", c.UnitID, err)
			}
		}
		return c, nil
	}, `SELECT u.id, u.name, COALESCE(y.regular_mask, 0), COALESCE(y.thematic_mask, 0), COALESCE(`+packed+`, '')
		FROM units u LEFT JOIN meeting_cell_years y ON y.unit_id = u.id AND y.year = $5
		WHERE u.path >= $1 AND u.path < $2 AND u.kind = 'cell' AND u.valid_from <= $3 AND (u.dissolved_on IS NULL OR u.dissolved_on >= $4)
		ORDER BY u.path`, path, prefixEnd(path), to+"-31", from+"-01", year)
	if err != nil {
		return nil, err
	}
	if closedBefore.IsZero() {
		return out, nil
	}
	return out, s.knownBefore(ctx, out, path, from, to, closedBefore)
}

// unpackCounters reads the 36 counters of a roll-up row, "n01,…,p12".
func unpackCounters(text []byte, c *meeting.CellYear) error {
	i := 0
	for k := range 36 {
		v, neg := 0, false
		if i < len(text) && text[i] == '-' {
			neg, i = true, i+1
		}
		start := i
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			v = v*10 + int(text[i]-'0')
			i++
		}
		if i == start || (k < 35 && (i >= len(text) || text[i] != ',')) || (k == 35 && i != len(text)) {
			return fmt.Errorf("counters %q", text)
		}
		i++
		if neg {
			v = -v
		}
		switch k / 12 {
		case 0:
			c.Meetings[k%12] = v
		case 1:
			c.Expected[k%12] = v
		default:
			c.Present[k%12] = v
		}
	}
	return nil
}

// knownBefore corrects the roll-up for "as of": the cells of the subtree
// with a meeting of the months closed on or after closedBefore (found by
// meetings_unit_closed, one index range per cell of the subtree) get their
// months counted again from their meetings closed before it, in one
// grouped query; the other cells keep their roll-up row.
func (s Meetings) knownBefore(ctx context.Context, cells []meeting.CellYear, path, from, to string, closedBefore time.Time) error {
	rows, err := s.read.QueryContext(ctx, `SELECT l.unit_id, COALESCE(m.kind, ''), COALESCE(m.month, ''), COUNT(m.id),
			COALESCE(SUM(m.expected_count), 0), COALESCE(SUM(m.present_count), 0)
		FROM (SELECT DISTINCT lm.unit_id FROM units u JOIN meetings lm ON lm.unit_id = u.id AND lm.state = 'closed'
				AND lm.month >= $3 AND lm.month <= $4 AND lm.closed_at >= $5
			WHERE u.path >= $1 AND u.path < $2 AND u.kind = 'cell') l
		LEFT JOIN meetings m ON m.unit_id = l.unit_id AND m.state = 'closed' AND m.month >= $3 AND m.month <= $4 AND m.closed_at < $5
		GROUP BY l.unit_id, m.kind, m.month`, path, prefixEnd(path), from, to, jobs.DBTime(closedBefore))
	if err != nil {
		return err
	}
	defer rows.Close()
	at := make(map[int64]*meeting.CellYear, len(cells))
	for i := range cells {
		at[cells[i].UnitID] = &cells[i]
	}
	reset := map[int64]bool{}
	for rows.Next() {
		var id int64
		var kind, month string
		var n, e, p int
		if err := rows.Scan(&id, &kind, &month, &n, &e, &p); err != nil {
			return err
		}
		c := at[id]
		if c == nil {
			continue // a cell not live in the months
		}
		if !reset[id] {
			reset[id] = true
			c.Regular, c.Thematic, c.Meetings, c.Expected, c.Present = 0, 0, [12]int{}, [12]int{}, [12]int{}
		}
		if month == "" {
			continue // no meeting of the months known then
		}
		mo, err := strconv.Atoi(month[5:])
		if err != nil || mo < 1 || mo > 12 {
			return fmt.Errorf("meeting month %q", month)
		}
		switch meeting.Kind(kind) {
		case meeting.Regular:
			c.Regular |= 1 << (mo - 1)
		case meeting.Thematic:
			c.Thematic |= 1 << (mo - 1)
		}
		c.Meetings[mo-1] += n
		c.Expected[mo-1] += e
		c.Present[mo-1] += p
	}
	return rows.Err()
}

// Absences lists the absences without reason, in the subtree's closed
// meetings of the months, of the members who have at least minCount.
// A whole year known now reads the flags' roll-up: the subtree's cells by
// path, their rows of meeting_member_years (one per member with any such
// absence), grouped by member. "As of" a past month reads the lines: the
// subtree's closed meetings with such absences (meetings_unexcused) closed
// by then, their lines (meeting_attendance_unexcused).
func (s Meetings) Absences(ctx context.Context, path, from, to string, closedBefore time.Time, minCount int) ([]meeting.Absence, error) {
	ids, lists := `group_concat(a.meeting_id)`, `group_concat(y.meeting_ids)`
	if s.dialect == postgresDialect {
		ids, lists = `string_agg(CAST(a.meeting_id AS TEXT), ',')`, `string_agg(y.meeting_ids, ',')`
	}
	var query string
	var args []any
	if closedBefore.IsZero() && strings.HasSuffix(from, "-01") {
		// One row per flagged member, the meetings as a list.
		query, args = `SELECT y.member_id, MAX(y.full_name), MAX(y.unit_id), `+lists+` FROM units u
			JOIN meeting_member_years y ON y.unit_id = u.id AND y.year = $3
			WHERE u.path >= $1 AND u.path < $2 AND u.kind = 'cell'
			GROUP BY y.member_id HAVING SUM(y.absences) >= $4 ORDER BY y.member_id`, []any{path, prefixEnd(path), from[:4], minCount}
	} else {
		query, args = `SELECT a.member_id, MAX(a.full_name), MAX(m.unit_id), `+ids+` FROM units u
			JOIN meetings m ON m.unit_id = u.id AND m.state = 'closed' AND m.unexcused_count > 0 AND m.month >= $3 AND m.month <= $4
				AND m.closed_at < $6
			JOIN meeting_attendance a ON a.meeting_id = m.id AND a.status = 'absent' AND a.reason = ''
			WHERE u.path >= $1 AND u.path < $2 AND u.kind = 'cell'
			GROUP BY a.member_id HAVING COUNT(*) >= $5 ORDER BY a.member_id`, []any{path, prefixEnd(path), from, to, minCount, jobs.DBTime(bound(closedBefore))}
	}
	var out []meeting.Absence
	var list []int64
	err := queryEach(ctx, s.read, func(rows *sql.Rows) error {
		var a meeting.Absence
		var text string
		if err := rows.Scan(&a.MemberID, &a.FullName, &a.UnitID, &text); err != nil {
			return err
		}
		list = list[:0]
		for _, f := range strings.Split(text, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return fmt.Errorf("absences of member %d: %w", a.MemberID, err)
			}
			list = append(list, id)
		}
		slices.Sort(list)
		for _, id := range list {
			a.MeetingID = id
			out = append(out, a)
		}
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MemberRates counts each member's lines on a cell's closed meetings of the
// months (exempt lines left out): the cell's meetings by month
// (meetings_unit_start), then their lines.
func (s Meetings) MemberRates(ctx context.Context, cellID int64, from, to string, closedBefore time.Time) ([]meeting.MemberRate, error) {
	out, err := queryAll(ctx, s.read, func(rows *sql.Rows) (meeting.MemberRate, error) {
		var r meeting.MemberRate
		return r, rows.Scan(&r.MemberID, &r.FullName, &r.Expected, &r.Present, &r.Excused, &r.Absent)
	}, `SELECT a.member_id, MAX(a.full_name), COUNT(*),
			SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), SUM(CASE WHEN a.status = 'excused' THEN 1 ELSE 0 END),
			SUM(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END)
		FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id AND a.class <> 'exempt'
		WHERE m.unit_id = $1 AND m.state = 'closed' AND m.month >= $2 AND m.month <= $3 AND m.closed_at < $4
		GROUP BY a.member_id`, cellID, from, to, jobs.DBTime(bound(closedBefore)))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b meeting.MemberRate) int {
		if c := viet.CompareNames(a.FullName, b.FullName); c != 0 {
			return c
		}
		return int(a.MemberID - b.MemberID)
	})
	return out, nil
}

// chairRole is the stored chair's office ("" : the secretary).
func chairRole(r string) string {
	if r == "" {
		return meeting.ChairSecretary
	}
	return r
}

// bound is closedBefore, or a time after every closing when zero.
func bound(closedBefore time.Time) time.Time {
	if closedBefore.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return closedBefore
}

// ClearDemoInvitations deletes the meeting invitations the demo content
// wrote for its year of past meetings, so that the demo's inboxes start
// with what is new (the demo loader only).
func (db *DB) ClearDemoInvitations(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE kind = 'meeting_scheduled'`)
		return err
	})
}
