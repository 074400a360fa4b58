package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// CreateFeed stores a calendar feed by its token's hash, with its audit
// entry.
func (s Meetings) CreateFeed(ctx context.Context, accountID int64, f *meeting.Feed, hash string, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO meeting_feeds (account_id, unit_id, token_hash, created_at) VALUES ($1, $2, $3, $4)`,
			accountID, f.UnitID, hash, jobs.DBTime(f.CreatedAt))
		if err != nil {
			return err
		}
		f.ID, a.ObjectID = id, id
		return tx.audit(ctx, a)
	})
}

// Feeds lists an account's live feeds, newest first (meeting_feeds_account).
func (s Meetings) Feeds(ctx context.Context, accountID int64) ([]meeting.Feed, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (meeting.Feed, error) {
		var f meeting.Feed
		var unit sql.NullInt64
		err := rows.Scan(&f.ID, &unit, &f.UnitName, &f.CreatedAt)
		if unit.Valid {
			f.UnitID = &unit.Int64
		}
		f.CreatedAt = f.CreatedAt.UTC()
		return f, err
	}, `SELECT f.id, f.unit_id, COALESCE(u.name, ''), f.created_at FROM meeting_feeds f
		LEFT JOIN units u ON u.id = f.unit_id WHERE f.account_id = $1 AND f.revoked_at IS NULL ORDER BY f.id DESC`, accountID)
}

// RevokeFeed marks a live feed of the account revoked.
func (s Meetings) RevokeFeed(ctx context.Context, accountID, id int64, now time.Time, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meeting_feeds SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL`,
			jobs.DBTime(now), id, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
		}
		return tx.audit(ctx, a)
	})
}

// FeedByToken returns a live feed by its token's hash with its owner's
// actor as it stands now: one query for the feed, its account (not
// disabled), the account's member and their cell while the member is
// active, and its roles on live units (one row per role).
func (s Meetings) FeedByToken(ctx context.Context, hash string) (*meeting.FeedOwner, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT f.id, f.unit_id, COALESCE(fu.name, ''), f.created_at,
			a.id, a.username, a.totp_enabled, a.totp_exempt, m.id, mu.path, m.full_name,
			r.unit_id, u.path, r.role, CASE WHEN u.dissolved_on IS NULL THEN 1 ELSE 0 END
		FROM meeting_feeds f JOIN accounts a ON a.id = f.account_id
		LEFT JOIN units fu ON fu.id = f.unit_id
		LEFT JOIN members m ON m.id = a.member_id AND m.status IN `+meetingActiveStatuses+` LEFT JOIN units mu ON mu.id = m.unit_id
		LEFT JOIN account_roles r ON r.account_id = a.id LEFT JOIN units u ON u.id = r.unit_id
		WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND a.disabled = $2`, hash, false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var o *meeting.FeedOwner
	var totpEnabled, totpExempt bool
	for rows.Next() {
		var f meeting.Feed
		var a auth.Actor
		var unit, member, roleUnit sql.NullInt64
		var memberPath, memberName, rolePath, role sql.NullString
		var live int
		if err := rows.Scan(&f.ID, &unit, &f.UnitName, &f.CreatedAt, &a.AccountID, &a.Username, &totpEnabled, &totpExempt,
			&member, &memberPath, &memberName, &roleUnit, &rolePath, &role, &live); err != nil {
			return nil, err
		}
		if o == nil {
			if unit.Valid {
				f.UnitID = &unit.Int64
			}
			f.CreatedAt = f.CreatedAt.UTC()
			a.Grants = []auth.Grant{}
			if member.Valid && memberPath.Valid {
				a.MemberID, a.MemberUnitPath, a.MemberName = member.Int64, memberPath.String, memberName.String
			}
			o = &meeting.FeedOwner{Feed: f, Actor: &a}
		}
		if roleUnit.Valid && rolePath.Valid && live == 1 {
			o.Actor.Grants = append(o.Actor.Grants, auth.Grant{UnitID: roleUnit.Int64, UnitPath: rolePath.String, Role: auth.Role(role.String)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if o == nil {
		return nil, apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
	}
	o.Actor.Restricted = auth.NeedsTOTPEnrolment(o.Actor.Grants, totpEnabled, totpExempt)
	return o, nil
}
