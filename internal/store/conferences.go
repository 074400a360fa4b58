package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// Conferences is the conference module's store (conference.Store).
type Conferences struct{ *DB }

var _ conference.Store = Conferences{}

// ConferenceChannel is the PostgreSQL channel a check-in notifies, with
// the conference id as payload (see Listen).
const ConferenceChannel = "sotay_conference"

// Unit reads a unit.
func (s Conferences) Unit(ctx context.Context, id int64) (*conference.UnitRef, error) {
	var u conference.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, s.read, id, `id, path, name`, &u.ID, &u.Path, &u.Name)
	return &u, err
}

// AccountExists tells whether an enabled account exists.
func (s Conferences) AccountExists(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = $1 AND disabled = $2`, id, false).Scan(&n)
	return n > 0, err
}

func activeStatuses(args *argList) string { return args.in(member.ActiveStatuses) }

// Create inserts the conference, its documents and its invitations: the
// active members of the audience's subtree (with roles, those whose
// account holds one of them in the subtree), in one INSERT … SELECT.
func (s Conferences) Create(ctx context.Context, c *conference.Conference, a auth.AuditEntry) error {
	roles := make([]string, len(c.Audience.Roles))
	for i, r := range c.Audience.Roles {
		roles[i] = string(r)
	}
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO conferences (title, agenda, starts_at, ends_at, host_unit_id, audience_unit_id, audience_roles, created_by, created_at, version, invitation)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)`, c.Title, c.Agenda, c.StartsAt, c.EndsAt, c.HostUnitID, c.Audience.UnitID, strings.Join(roles, ","), nullID(c.CreatedBy), tx.Now, c.Invitation)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, tx.Now
		for i, d := range c.DocumentIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO conference_documents (conference_id, position, document_id) VALUES ($1, $2, $3)`, id, i, d); err != nil {
				return err
			}
		}
		args := argList{id, false, c.AudiencePath, prefixEnd(c.AudiencePath)}
		q := `INSERT INTO conference_attendees (conference_id, member_id, manual)
			SELECT $1, m.id, $2 FROM members m JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $3 AND u.path < $4 AND m.status IN ` + activeStatuses(&args)
		if len(roles) > 0 {
			marks := make([]string, len(roles))
			for i, r := range roles {
				marks[i] = args.add(r)
			}
			q += ` AND EXISTS (SELECT 1 FROM accounts ac JOIN account_roles r ON r.account_id = ac.id JOIN units ru ON ru.id = r.unit_id
				WHERE ac.member_id = m.id AND ac.disabled = ` + args.add(false) + ` AND r.role IN (` + strings.Join(marks, ",") + `) AND ru.path >= $3 AND ru.path < $4)`
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		c.Invited = int(n)
		if err := tx.invite(ctx, `a.conference_id = $1`, argList{id}); err != nil {
			return err
		}
		if err := tx.insertListScopes(ctx, "conference_scopes", id, c.HostUnitID, nil); err != nil {
			return err
		}
		a.ObjectID = id
		return tx.audit(ctx, a)
	})
}

const conferenceCols = `c.id, c.title, c.agenda, c.starts_at, c.ends_at, c.host_unit_id, hu.name, hu.path, c.audience_unit_id, au.name, au.path, c.audience_roles,
	COALESCE(c.created_by, 0), c.created_at, c.version, (SELECT CAST(COALESCE(SUM(x.n), 0) AS BIGINT) FROM conference_counts x WHERE x.conference_id = c.id AND x.expected_point_id >= 0),
	c.invitation, c.cancelled_at, c.cancel_reason`

const conferenceFrom = ` FROM conferences c JOIN units hu ON hu.id = c.host_unit_id JOIN units au ON au.id = c.audience_unit_id`

func scanConference(sc interface{ Scan(...any) error }) (*conference.Conference, error) {
	var c conference.Conference
	var ends, cancelled sql.NullTime
	var roles string
	if err := sc.Scan(&c.ID, &c.Title, &c.Agenda, &c.StartsAt, &ends, &c.HostUnitID, &c.HostUnitName, &c.HostUnitPath, &c.Audience.UnitID, &c.AudienceUnitName, &c.AudiencePath, &roles,
		&c.CreatedBy, &c.CreatedAt, &c.Version, &c.Invited, &c.Invitation, &cancelled, &c.CancelReason); err != nil {
		return nil, err
	}
	if cancelled.Valid {
		t := cancelled.Time.UTC()
		c.CancelledAt = &t
	}
	c.StartsAt, c.CreatedAt = c.StartsAt.UTC(), c.CreatedAt.UTC()
	if ends.Valid {
		e := ends.Time.UTC()
		c.EndsAt = &e
	}
	for _, r := range strings.Split(roles, ",") {
		if r != "" {
			c.Audience.Roles = append(c.Audience.Roles, auth.Role(r))
		}
	}
	c.DocumentIDs = []int64{}
	return &c, nil
}

// Conference reads one conference with its documents.
func (s Conferences) Conference(ctx context.Context, id int64) (*conference.Conference, error) {
	c, err := scanConference(s.read.QueryRowContext(ctx, `SELECT `+conferenceCols+conferenceFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "conference %d not found", id)
	}
	c.DocumentIDs, err = queryAll(ctx, s.read, scanValue[int64], `SELECT document_id FROM conference_documents WHERE conference_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// List lists conferences, the newest first: those hosted under one of
// f.Paths, those f.MemberID is invited to, those f.AccountID hosts a
// point of — one index range each (a range of conference_scopes per top
// unit of the reach, list_scopes.go), merged and stopped after the page;
// the count stops at listCountBound.
func (s Conferences) List(ctx context.Context, f conference.Filter) (*page.Of[conference.Conference], error) {
	f.Limit = page.Limit(f.Limit)
	q, ok, err := conferenceListSQL(s.dialect, f)
	if err != nil || !ok {
		return &page.Of[conference.Conference]{Items: []conference.Conference{}}, err
	}
	return readNewestFirst(ctx, s.DB, q, f.Limit, "conferences", scanConference,
		func(c *conference.Conference) int64 { return c.ID }, func(id int64) string { return strconv.FormatInt(id, 10) })
}

// conferenceListSQL writes the SQL of a conference list; ok is false
// when the filter reaches nothing.
func conferenceListSQL(d dialect, f conference.Filter) (q scopeListQuery, ok bool, err error) {
	var before int64
	if f.Cursor != "" {
		id, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != f.Cursor {
			return q, false, apperr.BadCursor()
		}
		before = id
	}
	tops := reachTops(f.Paths)
	var arms []scopeArm
	for _, u := range tops {
		u := u
		arms = append(arms, scopeArm{from: `conference_scopes s`, id: `s.conference_id`, where: func(args *argList) string { return `s.scope_id = ` + args.add(u) }})
	}
	if m := f.MemberID; m != 0 {
		arms = append(arms, scopeArm{from: `conference_attendees a`, id: `a.conference_id`, where: func(args *argList) string { return `a.member_id = ` + args.add(m) }})
	}
	if acc := f.AccountID; acc != 0 {
		// One row per conference although the account may host several of
		// its points: the first of them.
		arms = append(arms, scopeArm{from: `conference_points p`, id: `p.conference_id`, where: func(args *argList) string {
			return `p.host_account_id = ` + args.add(acc) + ` AND NOT EXISTS (SELECT 1 FROM conference_points o
				WHERE o.host_account_id = p.host_account_id AND o.conference_id = p.conference_id AND o.id < p.id)`
		}})
	}
	if len(arms) == 0 {
		return q, false, nil
	}
	q.count, q.countArgs, q.countRaw, q.page, q.pageArgs = scopeListSQL(d, arms, f.Limit, before)
	q.page = `SELECT ` + conferenceCols + ` FROM (` + q.page + `) p JOIN conferences c ON c.id = p.id` + strings.TrimPrefix(conferenceFrom, ` FROM conferences c`)
	return q, true, nil
}

// expectSQL places every invited member not placed by hand at the bridge
// point of the nearest unit above (or at) their cell (none: NULL), in one
// statement, and writes only the rows whose point changes. It finds each
// unit's nearest point from the points down (near: every unit in a point's
// subtree, a range of units.path, with the deepest point first), so that
// its cost follows the units under the points and the attendees, not
// attendees times points (nearestPointSQL's, for each attendee, reads
// every point of the conference): docs/benchmarks.md, "SQLite parameters
// and the write path".
const expectSQL = `WITH near AS (
		SELECT u.id AS unit_id, p.id AS point_id, ROW_NUMBER() OVER (PARTITION BY u.id ORDER BY pu.depth DESC) AS r
		FROM conference_points p JOIN units pu ON pu.id = p.unit_id
		JOIN units u ON u.path >= pu.path AND u.path < substr(pu.path, 1, length(pu.path) - 1) || '0'
		WHERE p.conference_id = $1)
	UPDATE conference_attendees SET bridge_point_id = x.point_id
	FROM (SELECT a.member_id, n.point_id FROM conference_attendees a JOIN members m ON m.id = a.member_id
		LEFT JOIN near n ON n.unit_id = m.unit_id AND n.r = 1
		WHERE a.conference_id = $1 AND a.manual = $2) x
	WHERE conference_attendees.conference_id = $1 AND conference_attendees.member_id = x.member_id
	  AND conference_attendees.bridge_point_id IS DISTINCT FROM x.point_id`

// nearestPointSQL is the point of the nearest unit above (or at) the cell
// of the attendee being updated.
const nearestPointSQL = `SELECT p.id FROM conference_points p JOIN units pu ON pu.id = p.unit_id, members m JOIN units mu ON mu.id = m.unit_id
	WHERE p.conference_id = conference_attendees.conference_id AND m.id = conference_attendees.member_id
	  AND substr(mu.path, 1, length(pu.path)) = pu.path
	ORDER BY pu.depth DESC LIMIT 1`

// AddPoints inserts bridge points and places the invited members.
func (s Conferences) AddPoints(ctx context.Context, confID int64, ps []conference.BridgePoint, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		for i := range ps {
			p := &ps[i]
			id, err := insertID(ctx, tx, `INSERT INTO conference_points (conference_id, unit_id, name, host_account_id, stream_url, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				confID, p.UnitID, p.Name, p.HostAccountID, p.StreamURL, tx.Now)
			if err != nil {
				if _, ok := uniqueViolation(err); ok {
					return apperr.Keyed(apperr.Conflict, "conference.point_twice", "the unit already has a bridge point")
				}
				return err
			}
			p.ID = id
		}
		if _, err := tx.ExecContext(ctx, expectSQL, confID, false); err != nil {
			return err
		}
		if err := tx.notifyPoints(ctx, confID, ps); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// Points lists a conference's bridge points with their expected counts.
func (s Conferences) Points(ctx context.Context, confID int64, counts bool) ([]conference.BridgePoint, error) {
	count := `0`
	if counts {
		count = `(SELECT CAST(COALESCE(SUM(x.n), 0) AS BIGINT) FROM conference_counts x WHERE x.conference_id = p.conference_id AND x.expected_point_id = p.id)`
	}
	return queryAll(ctx, s.read, func(rows *sql.Rows) (conference.BridgePoint, error) {
		var p conference.BridgePoint
		var hb sql.NullTime
		if err := rows.Scan(&p.ID, &p.ConferenceID, &p.UnitID, &p.UnitName, &p.UnitPath, &p.Name, &p.HostAccountID, &p.HostUsername, &p.StreamURL, &hb, &p.Expected); err != nil {
			return p, err
		}
		if hb.Valid {
			t := hb.Time.UTC()
			p.LastHeartbeat = &t
		}
		return p, nil
	}, `SELECT p.id, p.conference_id, p.unit_id, u.name, u.path, p.name, p.host_account_id, COALESCE(ac.username, ''), p.stream_url, p.last_heartbeat,
		`+count+`
		FROM conference_points p JOIN units u ON u.id = p.unit_id LEFT JOIN accounts ac ON ac.id = p.host_account_id
		WHERE p.conference_id = $1 ORDER BY u.path, p.id`, confID)
}

const attendeeCols = `a.member_id, m.full_name, cu.name, cu.path, a.bridge_point_id, a.manual, ck.at, ck.bridge_point_id`
const attendeeFrom = ` FROM conference_attendees a JOIN members m ON m.id = a.member_id JOIN units cu ON cu.id = m.unit_id
	LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id`

func scanAttendee(sc interface{ Scan(...any) error }, extra ...any) (*conference.Attendee, error) {
	var x conference.Attendee
	var at sql.NullTime
	if err := sc.Scan(append([]any{&x.MemberID, &x.Name, &x.UnitName, &x.UnitPath, &x.BridgePointID, &x.Manual, &at, &x.CheckedPoint}, extra...)...); err != nil {
		return nil, err
	}
	if at.Valid {
		t := at.Time.UTC()
		x.CheckedIn, x.CheckedAt = true, &t
	}
	return &x, nil
}

// Attendee reads an invited member (NotFound when not invited).
func (s Conferences) Attendee(ctx context.Context, confID, memberID int64) (*conference.Attendee, error) {
	x, err := scanAttendee(s.read.QueryRowContext(ctx, `SELECT `+attendeeCols+attendeeFrom+` WHERE a.conference_id = $1 AND a.member_id = $2`, confID, memberID))
	if err != nil {
		return nil, notFound(err, "member %d is not invited", memberID)
	}
	return x, nil
}

// Attendees returns the invited among memberIDs, by member: 500 a query.
func (s Conferences) Attendees(ctx context.Context, confID int64, memberIDs []int64) (map[int64]*conference.Attendee, error) {
	out := make(map[int64]*conference.Attendee, len(memberIDs))
	err := inChunks(memberIDs, func(in string, args []any) error {
		return queryEach(ctx, s.read, func(rows *sql.Rows) error {
			x, err := scanAttendee(rows)
			if err != nil {
				return err
			}
			out[x.MemberID] = x
			return nil
		}, `SELECT `+attendeeCols+attendeeFrom+` WHERE a.conference_id = $`+strconv.Itoa(len(args)+1)+` AND a.member_id IN `+in, append(args, confID)...)
	})
	return out, err
}

// SetExpected places an invited member by hand.
func (s Conferences) SetExpected(ctx context.Context, confID, memberID int64, pointID *int64, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE conference_attendees SET bridge_point_id = $1, manual = $2 WHERE conference_id = $3 AND member_id = $4`, pointID, true, confID, memberID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// RecordCheckins writes the new check-ins, returns the old ones of
// repeats, audits what it wrote and, on PostgreSQL, notifies every
// process's board (at commit).
func (s Conferences) RecordCheckins(ctx context.Context, confID int64, cs []conference.Checkin, a auth.AuditEntry) ([]conference.Checkin, error) {
	out := make([]conference.Checkin, len(cs))
	err := s.Write(ctx, func(tx *Tx) error {
		var added []conference.Checkin
		for i, c := range cs {
			var client any
			if c.ClientID != "" {
				client = c.ClientID
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO conference_checkins (conference_id, member_id, bridge_point_id, at, recorded_at, by_account_id, method, client_id, late)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`, confID, c.MemberID, c.BridgePointID, c.At, tx.Now, nullID(c.ByAccountID), c.Method, client, c.Late)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				c.RecordedAt = tx.Now
				out[i] = c
				added = append(added, c)
				continue
			}
			old, err := readCheckin(ctx, tx, confID, c.MemberID)
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.Keyed(apperr.Conflict, "conference.client_id_used", "the client id %s was used for another member", c.ClientID)
			}
			if err != nil {
				return err
			}
			old.MemberName, old.Repeat = c.MemberName, true
			old.ExpectedAt = c.ExpectedAt
			old.Elsewhere = c.ExpectedAt == nil || *c.ExpectedAt != old.BridgePointID
			out[i] = *old
		}
		if len(added) == 0 {
			return nil
		}
		if s.dialect == postgresDialect {
			if err := tx.Notify(ctx, ConferenceChannel, strconv.FormatInt(confID, 10)); err != nil {
				return err
			}
		}
		a.After = added
		return tx.audit(ctx, a)
	})
	return out, err
}

func readCheckin(ctx context.Context, q Querier, confID, memberID int64) (*conference.Checkin, error) {
	c := conference.Checkin{ConferenceID: confID, MemberID: memberID}
	var client sql.NullString
	var by sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT bridge_point_id, at, recorded_at, by_account_id, method, client_id, late FROM conference_checkins WHERE conference_id = $1 AND member_id = $2`, confID, memberID).
		Scan(&c.BridgePointID, &c.At, &c.RecordedAt, &by, &c.Method, &client, &c.Late)
	c.At, c.RecordedAt, c.ClientID, c.ByAccountID = c.At.UTC(), c.RecordedAt.UTC(), client.String, by.Int64
	return &c, err
}

// Heartbeat records that a bridge point's page is open. It is not
// audited: it changes nothing but "connected".
func (s Conferences) Heartbeat(ctx context.Context, confID, pointID int64, at time.Time) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conference_points SET last_heartbeat = $1 WHERE id = $2 AND conference_id = $3`, at, pointID, confID)
		return err
	})
}

// Attendance sums the conference's counters (conference_counts, kept by
// triggers: one row per pair of expected point and check-in point): per
// expected point (0: none) the expected and the absent, per point checked
// in at the present, the late and those expected elsewhere (or not
// invited). It reads at most (points + 2)² rows, whatever the audience.
func (s Conferences) Attendance(ctx context.Context, confID int64, connectedSince time.Time) (*conference.Attendance, error) {
	ps, err := s.Points(ctx, confID, false)
	if err != nil {
		return nil, err
	}
	by := map[int64]conference.Counts{}
	add := func(p int64, f func(c *conference.Counts)) {
		c := by[p]
		f(&c)
		by[p] = c
	}
	err = queryEach(ctx, s.read, func(rows *sql.Rows) error {
		var e, q int64
		var n, late int
		if err := rows.Scan(&e, &q, &n, &late); err != nil {
			return err
		}
		if e >= 0 {
			add(e, func(c *conference.Counts) {
				c.Expected += n
				if q == 0 {
					c.Absent += n
				}
			})
		}
		if q > 0 {
			add(q, func(c *conference.Counts) {
				c.Present += n
				c.Late += late
				if e != q {
					c.Elsewhere += n
				}
			})
		}
		return nil
	}, `SELECT expected_point_id, checkin_point_id, n, late FROM conference_counts WHERE conference_id = $1`, confID)
	if err != nil {
		return nil, err
	}
	out := &conference.Attendance{BridgePoints: []conference.PointCounts{}}
	for _, c := range by {
		out.Total.Expected += c.Expected
		out.Total.Present += c.Present
		out.Total.Late += c.Late
		out.Total.Absent += c.Absent
		out.Total.Elsewhere += c.Elsewhere
	}
	for _, p := range ps {
		out.BridgePoints = append(out.BridgePoints, conference.PointCounts{ID: p.ID, UnitID: p.UnitID, Name: p.Name, Counts: by[p.ID],
			Connected: p.LastHeartbeat != nil && !p.LastHeartbeat.Before(connectedSince)})
	}
	return out, nil
}

// attendanceScan counts, in one grouped query over every invited member
// and check-in, per expected point (NULL: no point) and per point checked
// in at: the board before the counters (migration 0031), kept as the
// tests' oracle.
func (s Conferences) attendanceScan(ctx context.Context, confID int64, connectedSince time.Time) (*conference.Attendance, error) {
	ps, err := s.Points(ctx, confID, false)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT p, SUM(e), SUM(pr), SUM(l), SUM(ab), SUM(el) FROM (
		SELECT a.bridge_point_id AS p, 1 AS e, 0 AS pr, 0 AS l, CASE WHEN ck.member_id IS NULL THEN 1 ELSE 0 END AS ab, 0 AS el
		FROM conference_attendees a LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id
		WHERE a.conference_id = $1
		UNION ALL
		SELECT ck.bridge_point_id, 0, 1, CASE WHEN ck.late THEN 1 ELSE 0 END, 0,
			CASE WHEN a.bridge_point_id IS NULL OR a.bridge_point_id <> ck.bridge_point_id THEN 1 ELSE 0 END
		FROM conference_checkins ck LEFT JOIN conference_attendees a ON a.conference_id = ck.conference_id AND a.member_id = ck.member_id
		WHERE ck.conference_id = $1) x GROUP BY p`, confID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[int64]conference.Counts{}
	out := &conference.Attendance{BridgePoints: []conference.PointCounts{}}
	for rows.Next() {
		var p sql.NullInt64
		var c conference.Counts
		if err := rows.Scan(&p, &c.Expected, &c.Present, &c.Late, &c.Absent, &c.Elsewhere); err != nil {
			return nil, err
		}
		by[p.Int64] = c
		out.Total.Expected += c.Expected
		out.Total.Present += c.Present
		out.Total.Late += c.Late
		out.Total.Absent += c.Absent
		out.Total.Elsewhere += c.Elsewhere
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range ps {
		out.BridgePoints = append(out.BridgePoints, conference.PointCounts{ID: p.ID, UnitID: p.UnitID, Name: p.Name, Counts: by[p.ID],
			Connected: p.LastHeartbeat != nil && !p.LastHeartbeat.Before(connectedSince)})
	}
	return out, nil
}

// Roll lists the members expected at a point or checked in there (every
// invited member when the point is 0), sorted by given name, searchable
// on the folded name.
func (s Conferences) Roll(ctx context.Context, f conference.RollFilter) (*page.Of[conference.Attendee], error) {
	args := argList{f.ConferenceID}
	where := ` WHERE a.conference_id = $1`
	if f.BridgePointID != 0 {
		p := args.add(f.BridgePointID)
		where += ` AND (a.bridge_point_id = ` + p + ` OR ck.bridge_point_id = ` + p + `)`
	}
	if f.Query != "" {
		where += ` AND m.name_folded LIKE ` + likeParam(args.add("%"+escapeLike(f.Query)+"%")) + ` ESCAPE '\'`
	}
	out := &page.Of[conference.Attendee]{Items: []conference.Attendee{}}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*)`+rollCountFrom(f.Query)+where, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	if f.Cursor != "" {
		key, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		where += ` AND (m.sort_key > ` + args.add(key) + ` OR (m.sort_key = ` + args.add(key) + ` AND m.id > ` + args.add(id) + `))`
	}
	var keys [][]byte // the items' sort keys, for the cursor
	var err error
	out.Items, err = queryAll(ctx, s.read, func(rows *sql.Rows) (conference.Attendee, error) {
		var key []byte
		x, err := scanAttendee(rows, &key)
		if err != nil {
			return conference.Attendee{}, err
		}
		keys = append(keys, key)
		return *x, nil
	}, `SELECT `+attendeeCols+`, m.sort_key`+attendeeFrom+where+` ORDER BY m.sort_key, m.id LIMIT `+args.add(f.Limit+1), args...)
	if err != nil {
		return nil, err
	}
	cutPage(out, f.Limit, func(last conference.Attendee) string { return encodeCursor(keys[f.Limit-1], last.MemberID) })
	return out, nil
}

// rollCountFrom is what Roll counts in: without a name to match, the
// attendees and their check-ins alone (every attendee has its member and
// the member its unit, so the joins of attendeeFrom change no count). The
// count is asked on every page: for the district's hall (8,343 expected)
// the two joins were a third of it.
func rollCountFrom(query string) string {
	if query != "" {
		return attendeeFrom
	}
	return ` FROM conference_attendees a LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id`
}

// ServerKey returns the named key, making a random one at first use (the
// first writer wins; every process then reads the same key).
func (s Conferences) ServerKey(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	err := s.read.QueryRowContext(ctx, `SELECT key FROM server_keys WHERE name = $1`, name).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	err = s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_keys (name, key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, name, fresh, tx.Now); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT key FROM server_keys WHERE name = $1`, name).Scan(&key)
	})
	return key, err
}
