package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/member"
)

// Expected attendees that follow the audience.
//
// A conference's expected attendees are rows of conference_attendees,
// written at creation in one INSERT … SELECT over the audience. A member
// who joins the audience afterwards (a new record, a transfer or a move
// into the subtree, a return to an active status) must be invited too, and
// one who leaves it before the start is no longer expected. Computing the
// attendees at read time would make every board, roll and check-in join
// the audience's subtree (10,000 members) instead of reading a few indexed
// rows, so the rows stay, and are refreshed where members change: every
// write of a member's record (insert, update, status change, transfer,
// import, the move of a unit's members), every change of an account's
// roles (Accounts.Create, SetRoles: an audience may be limited by roles)
// and every move of a subtree under another parent (Units.Move, and the
// moves of a merge or a split) calls followConferences in its own
// transaction with the members it touched. When a conference is to come,
// that runs five set-based statements over (the conferences not yet started) × (those members) — a
// handful of conferences, usually one member; no loop over the audience:
//
//  0. withdraw (delete) the conference's notices to those about to be
//     deleted in 1 (their link would answer 404);
//  1. delete the rows of those members no longer in the audience of a
//     conference not yet started, unless they are already checked in;
//  2. insert the rows of those now in it (ON CONFLICT DO NOTHING);
//  3. place those not placed by hand and not checked in at the point of
//     the nearest unit above their cell (as AddPoints does);
//  4. write each one's invitation, once per member and conference (its
//     event key), with the text the conference was created with.
//
// After the start the list is the record: nobody is added or removed.

// audienceSQL is the condition "member m (cell mu) is in the audience of
// conference c (audience unit au)": an active member of the subtree and,
// with roles, one whose enabled account holds one of them there.
func audienceSQL(args *argList) string {
	return `substr(mu.path, 1, length(au.path)) = au.path AND m.status IN ` + args.in(member.ActiveStatuses) + `
	AND (c.audience_roles = '' OR EXISTS (SELECT 1 FROM accounts ac JOIN account_roles r ON r.account_id = ac.id JOIN units ru ON ru.id = r.unit_id
		WHERE ac.member_id = m.id AND ac.disabled = ` + args.add(false) + ` AND substr(ru.path, 1, length(au.path)) = au.path
		  AND (',' || c.audience_roles || ',') LIKE ('%,' || r.role || ',%')))`
}

// inviteSQL writes the invitation of every attendee of the conferences
// and members that where selects (over a, the attendee, and c, its
// conference), each once.
func (tx *Tx) invite(ctx context.Context, where string, args argList) error {
	at := args.add(tx.Now)
	if tx.db.dialect == postgresDialect {
		at += "::timestamptz"
	}
	_, err := tx.exec(ctx, `INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
		SELECT a.member_id, '`+conference.InvitationKind+`', 'Giấy mời hội nghị: ' || c.title, c.invitation, '/hoi-nghi/' || CAST(c.id AS TEXT),
			'conference:' || CAST(c.id AS TEXT) || ':invite:m:' || CAST(a.member_id AS TEXT), `+at+`
		FROM conference_attendees a JOIN conferences c ON c.id = a.conference_id
		WHERE `+where+`
		ON CONFLICT DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("conference invitations: %w", err)
	}
	return nil
}

// followConferences brings the expected attendees of the conferences not
// yet started in step with the audience for the members that sel selects
// (a list of member ids or a SELECT of them, with args' placeholders). The
// statements' texts depend on sel's shape only: they are prepared once per
// transaction (an import writes thousands of members).
func (tx *Tx) followConferences(ctx context.Context, sel func(args *argList) string) error {
	// Most days no conference is coming: one look at conferences_starts
	// then, instead of the five statements (every member write, an
	// import's thousands among them, runs this).
	var any bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM conferences WHERE starts_at > $1 AND cancelled_at IS NULL)`, tx.Now).Scan(&any); err != nil {
		return fmt.Errorf("conferences to come: %w", err)
	}
	if !any {
		return nil
	}
	upcoming := func(args *argList) string {
		return `SELECT id FROM conferences WHERE starts_at > ` + args.add(tx.Now) + ` AND cancelled_at IS NULL`
	}
	// leaving is "attendee row x is of a conference not yet started, the
	// member is not checked in and is no longer in its audience".
	leaving := func(x string, args *argList) string {
		return x + `.conference_id IN (` + upcoming(args) + `)
		AND NOT EXISTS (SELECT 1 FROM conference_checkins ck WHERE ck.conference_id = ` + x + `.conference_id AND ck.member_id = ` + x + `.member_id)
		AND NOT EXISTS (SELECT 1 FROM conferences c JOIN units au ON au.id = c.audience_unit_id, members m JOIN units mu ON mu.id = m.unit_id
			WHERE c.id = ` + x + `.conference_id AND m.id = ` + x + `.member_id AND ` + audienceSQL(args) + `)`
	}
	// 0. Out of the audience: the conference's notices to them (the
	// invitation, the point, a new time) are withdrawn, as their link
	// would answer 404; back in the audience, step 4 invites them again.
	var args argList
	q := `DELETE FROM notifications WHERE kind = '` + conference.InvitationKind + `' AND member_id IN (` + sel(&args) + `)
		AND EXISTS (SELECT 1 FROM conference_attendees a WHERE a.member_id = notifications.member_id
			AND notifications.link = '/hoi-nghi/' || CAST(a.conference_id AS TEXT) AND ` + leaving("a", &args) + `)`
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("conference invitations withdrawn: %w", err)
	}
	// 1. Out of the audience, not checked in: no longer expected.
	args = argList{}
	q = `DELETE FROM conference_attendees WHERE member_id IN (` + sel(&args) + `) AND ` + leaving("conference_attendees", &args)
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("conference attendees out: %w", err)
	}
	// 2. In the audience: expected.
	args = argList{false}
	q = `INSERT INTO conference_attendees (conference_id, member_id, manual)
		SELECT c.id, m.id, $1 FROM conferences c JOIN units au ON au.id = c.audience_unit_id, members m JOIN units mu ON mu.id = m.unit_id
		WHERE c.starts_at > ` + args.add(tx.Now) + ` AND c.cancelled_at IS NULL AND m.id IN (` + sel(&args) + `) AND ` + audienceSQL(&args) + `
		ON CONFLICT DO NOTHING`
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("conference attendees in: %w", err)
	}
	// 3. Placed at the nearest point above their (new) cell, unless
	// placed by hand or already checked in (that is the record).
	args = argList{false}
	q = `UPDATE conference_attendees SET bridge_point_id = (` + nearestPointSQL + `)
		WHERE manual = $1 AND member_id IN (` + sel(&args) + `) AND conference_id IN (` + upcoming(&args) + `)
		AND NOT EXISTS (SELECT 1 FROM conference_checkins ck WHERE ck.conference_id = conference_attendees.conference_id AND ck.member_id = conference_attendees.member_id)`
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("conference attendees placed: %w", err)
	}
	// 4. Invited, once.
	args = argList{}
	return tx.invite(ctx, `a.member_id IN (`+sel(&args)+`) AND c.starts_at > `+args.add(tx.Now)+` AND c.cancelled_at IS NULL`, args)
}

// followMember is followConferences for one member.
func (tx *Tx) followMember(ctx context.Context, id int64) error {
	return tx.followConferences(ctx, func(args *argList) string {
		return args.add(id)
	})
}

// followUnitMembers is followConferences for the members of a cell.
func (tx *Tx) followUnitMembers(ctx context.Context, unitID int64) error {
	return tx.followConferences(ctx, func(args *argList) string {
		return `SELECT id FROM members WHERE unit_id = ` + args.add(unitID)
	})
}

// followAccount is followConferences for the member of an account whose
// roles (or whose existence) changed: an audience limited by roles takes
// in the member who was given one of them and lets go of one who lost it.
// An account without a member record changes nothing.
func (tx *Tx) followAccount(ctx context.Context, accountID int64) error {
	var member sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT member_id FROM accounts WHERE id = $1`, accountID).Scan(&member); err != nil {
		return fmt.Errorf("conference attendees of account %d: %w", accountID, err)
	}
	if !member.Valid {
		return nil
	}
	return tx.followMember(ctx, member.Int64)
}

// followSubtree is followConferences after the subtree at path (its new
// path) moved under another parent: the members whose cell is in it (they
// may have entered or left an audience, and the nearest point above their
// cell may be another one now) and the members whose account holds a role
// on a unit of it (an audience limited by roles counts the roles held
// within the audience's subtree).
func (tx *Tx) followSubtree(ctx context.Context, path string) error {
	return tx.followConferences(ctx, func(args *argList) string {
		from, to := args.add(path), args.add(prefixEnd(path))
		return `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id WHERE u.path >= ` + from + ` AND u.path < ` + to + `
			UNION SELECT ac.member_id FROM accounts ac JOIN account_roles r ON r.account_id = ac.id JOIN units ru ON ru.id = r.unit_id
			WHERE ac.member_id IS NOT NULL AND ru.path >= ` + from + ` AND ru.path < ` + to
	})
}

// exec runs a statement prepared once per transaction.
func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := tx.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// notifyPoints tells the attendees now expected at one of the new points
// where they are expected (one INSERT … SELECT, once per member and point),
// before the conference starts.
func (tx *Tx) notifyPoints(ctx context.Context, confID int64, ps []conference.BridgePoint) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	at := "$2"
	if tx.db.dialect == postgresDialect {
		at += "::timestamptz"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
		SELECT a.member_id, '`+conference.InvitationKind+`', 'Điểm cầu hội nghị: ' || c.title, 'Đồng chí dự hội nghị tại điểm cầu ' || p.name || '.',
			'/hoi-nghi/' || CAST(c.id AS TEXT),
			'conference:' || CAST(c.id AS TEXT) || ':point:' || CAST(p.id AS TEXT) || ':m:' || CAST(a.member_id AS TEXT), `+at+`
		FROM conference_attendees a JOIN conferences c ON c.id = a.conference_id JOIN conference_points p ON p.id = a.bridge_point_id
		WHERE a.conference_id = $1 AND c.starts_at > $2 AND a.bridge_point_id IN `+idList(ids)+`
		ON CONFLICT DO NOTHING`, confID, tx.Now)
	if err != nil {
		return fmt.Errorf("conference points notice: %w", err)
	}
	return nil
}

// MemberPath is the path of a member's cell.
func (s Conferences) MemberPath(ctx context.Context, memberID int64) (string, error) {
	var path string
	err := s.read.QueryRowContext(ctx, `SELECT u.path FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, memberID).Scan(&path)
	return path, notFound(err, "member %d not found", memberID)
}

// History lists the conferences a member is or was expected at, the
// latest start first (keyset on starts_at, id: the member's rows through
// conference_attendees_member, a few dozen a year).
func (s Conferences) History(ctx context.Context, memberID int64, limit int, cursor string) (*page.Of[conference.HistoryItem], error) {
	args := argList{memberID}
	from := ` FROM conference_attendees a JOIN conferences c ON c.id = a.conference_id JOIN units hu ON hu.id = c.host_unit_id
		LEFT JOIN conference_points ep ON ep.id = a.bridge_point_id
		LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id
		LEFT JOIN conference_points cp ON cp.id = ck.bridge_point_id
		WHERE a.member_id = $1`
	out := &page.Of[conference.HistoryItem]{Items: []conference.HistoryItem{}}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	where := ""
	if cursor != "" {
		key, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		ns, err := strconv.ParseInt(string(key), 10, 64)
		if err != nil {
			return nil, apperr.BadCursor()
		}
		at := time.Unix(0, ns).UTC()
		where = ` AND (c.starts_at < ` + args.add(at) + ` OR (c.starts_at = ` + args.add(at) + ` AND c.id < ` + args.add(id) + `))`
	}
	var err error
	out.Items, err = queryAll(ctx, s.read, scanHistoryItem, `SELECT c.id, c.title, c.starts_at, c.ends_at, hu.name, a.bridge_point_id, COALESCE(ep.name, ''),
		ck.bridge_point_id, COALESCE(cp.name, ''), ck.at, ck.late, c.cancelled_at`+from+where+` ORDER BY c.starts_at DESC, c.id DESC LIMIT `+args.add(limit+1), args...)
	if err != nil {
		return nil, err
	}
	cutPage(out, limit, func(last conference.HistoryItem) string {
		return encodeCursor([]byte(strconv.FormatInt(last.StartsAt.UnixNano(), 10)), last.ConferenceID)
	})
	return out, nil
}

func scanHistoryItem(rows *sql.Rows) (conference.HistoryItem, error) {
	var h conference.HistoryItem
	var ends, at, cancelled sql.NullTime
	var late sql.NullBool
	if err := rows.Scan(&h.ConferenceID, &h.Title, &h.StartsAt, &ends, &h.HostUnitName, &h.ExpectedPointID, &h.ExpectedPoint,
		&h.CheckedPointID, &h.CheckedPoint, &at, &late, &cancelled); err != nil {
		return h, err
	}
	h.StartsAt = h.StartsAt.UTC()
	if ends.Valid {
		e := ends.Time.UTC()
		h.EndsAt = &e
	}
	if at.Valid {
		t := at.Time.UTC()
		h.CheckedAt = &t
	}
	h.Late, h.Cancelled = late.Bool, cancelled.Valid
	return h, nil
}

// notice writes a conference's notice to every attendee, once each (the
// event key), in one INSERT … SELECT.
func (tx *Tx) notice(ctx context.Context, confID int64, n conference.Notice) error {
	at := "$5"
	if tx.db.dialect == postgresDialect {
		at += "::timestamptz"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
		SELECT a.member_id, '`+conference.InvitationKind+`', CAST($2 AS TEXT) || c.title, $3, '/hoi-nghi/' || CAST(c.id AS TEXT),
			CAST($4 AS TEXT) || ':m:' || CAST(a.member_id AS TEXT), `+at+`
		FROM conference_attendees a JOIN conferences c ON c.id = a.conference_id
		WHERE a.conference_id = $1
		ON CONFLICT DO NOTHING`, confID, n.Title, n.Body, n.EventKey, tx.Now)
	if err != nil {
		return fmt.Errorf("conference notice: %w", err)
	}
	return nil
}

func staleConference(version int) error {
	return apperr.Keyed(apperr.Conflict, "conference.stale", "the conference was changed by someone else (version %d is stale): reload and try again", version)
}

// Reschedule moves the conference and tells every attendee.
func (s Conferences) Reschedule(ctx context.Context, c *conference.Conference, version int, n conference.Notice, a auth.AuditEntry) error {
	return s.changeAndTell(ctx, c.ID, version, n, a, func(tx *Tx) (sql.Result, error) {
		return tx.ExecContext(ctx, `UPDATE conferences SET starts_at = $1, ends_at = $2, invitation = $3, version = version + 1
			WHERE id = $4 AND version = $5 AND cancelled_at IS NULL`, c.StartsAt, c.EndsAt, c.Invitation, c.ID, version)
	})
}

// Cancel calls the conference off and tells every attendee.
func (s Conferences) Cancel(ctx context.Context, c *conference.Conference, version int, n conference.Notice, a auth.AuditEntry) error {
	return s.changeAndTell(ctx, c.ID, version, n, a, func(tx *Tx) (sql.Result, error) {
		return tx.ExecContext(ctx, `UPDATE conferences SET cancelled_at = $1, cancel_reason = $2, version = version + 1
			WHERE id = $3 AND version = $4 AND cancelled_at IS NULL`, tx.Now, c.CancelReason, c.ID, version)
	})
}

// changeAndTell runs update on a conference at version (stale when it
// changes no row), then sends the notice to every attendee and writes the
// audit entry, in one transaction.
func (s Conferences) changeAndTell(ctx context.Context, id int64, version int, n conference.Notice, a auth.AuditEntry, update func(tx *Tx) (sql.Result, error)) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := update(tx)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return staleConference(version)
		}
		if err := tx.notice(ctx, id, n); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// HostOptions lists the enabled accounts with a role on one of the units
// (at or below hostPath), each account once per unit, by unit and username.
func (s Conferences) HostOptions(ctx context.Context, hostPath string, unitIDs []int64) ([]conference.HostOption, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (conference.HostOption, error) {
		var h conference.HostOption
		return h, rows.Scan(&h.UnitID, &h.AccountID, &h.Username, &h.Name)
	}, `SELECT DISTINCT r.unit_id, ac.id, ac.username, COALESCE(m.full_name, '')
		FROM account_roles r JOIN accounts ac ON ac.id = r.account_id JOIN units u ON u.id = r.unit_id LEFT JOIN members m ON m.id = ac.member_id
		WHERE r.unit_id IN `+idList(unitIDs)+` AND ac.disabled = $1 AND u.path >= $2 AND u.path < $3
		ORDER BY r.unit_id, ac.username`, false, hostPath, prefixEnd(hostPath))
}
