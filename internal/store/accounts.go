package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// AccountByUsername returns an enabled account and its password hash.
func (db *DB) AccountByUsername(ctx context.Context, username string) (*auth.Account, string, error) {
	var id int64
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT id, password_hash FROM accounts WHERE username = $1 AND disabled = $2`, username, false).Scan(&id, &hash)
	if err != nil {
		return nil, "", notFound(err, "no account %s", username)
	}
	acc, err := db.Account(ctx, id)
	return acc, hash, err
}

// Account returns an account with its roles.
func (db *DB) Account(ctx context.Context, id int64) (*auth.Account, error) {
	var acc auth.Account
	var member sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT id, username, member_id, version FROM accounts WHERE id = $1`, id).Scan(&acc.ID, &acc.Username, &member, &acc.Version)
	if err != nil {
		return nil, notFound(err, "account %d not found", id)
	}
	if member.Valid {
		acc.MemberID = &member.Int64
	}
	acc.Roles, err = db.grants(ctx, db.read, id)
	return &acc, err
}

func (db *DB) grants(ctx context.Context, q Querier, accountID int64) ([]auth.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.unit_id, u.path, r.role FROM account_roles r JOIN units u ON u.id = r.unit_id
		WHERE r.account_id = $1 AND u.dissolved_on IS NULL ORDER BY u.path, r.role`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []auth.Grant{}
	for rows.Next() {
		var g auth.Grant
		if err := rows.Scan(&g.UnitID, &g.UnitPath, &g.Role); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CreateAccount inserts an account and its roles.
func (db *DB) CreateAccount(ctx context.Context, a *auth.Account, hash string, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO accounts (username, password_hash, member_id, version, disabled, created_at) VALUES ($1, $2, $3, 1, $4, $5)`,
			a.Username, hash, a.MemberID, false, tx.Now)
		if err != nil {
			if _, ok := uniqueViolation(err); ok {
				return apperr.New(apperr.Conflict, "the user name %s is taken", a.Username)
			}
			return fmt.Errorf("insert account: %w", err)
		}
		a.ID = id
		if err := tx.insertGrants(ctx, id, a.Roles); err != nil {
			return err
		}
		e.ObjectID = id
		return tx.audit(ctx, e)
	})
}

func (tx *Tx) insertGrants(ctx context.Context, id int64, roles []auth.Grant) error {
	for _, g := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, unit_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, id, g.UnitID, g.Role); err != nil {
			return fmt.Errorf("grant role: %w", err)
		}
	}
	return nil
}

// SetRoles replaces an account's roles.
func (db *DB) SetRoles(ctx context.Context, id int64, roles []auth.Grant, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_roles WHERE account_id = $1`, id); err != nil {
			return err
		}
		if err := tx.insertGrants(ctx, id, roles); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.audit(ctx, e)
	})
}

// UnitPath returns the path of a live unit.
func (db *DB) UnitPath(ctx context.Context, unitID int64) (string, error) {
	var p string
	err := db.read.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1 AND dissolved_on IS NULL`, unitID).Scan(&p)
	return p, notFound(err, "unit %d not found", unitID)
}

// MemberUnitPath returns the path of a member's cell.
func (db *DB) MemberUnitPath(ctx context.Context, memberID int64) (string, error) {
	var p string
	err := db.read.QueryRowContext(ctx, `SELECT u.path FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, memberID).Scan(&p)
	return p, notFound(err, "member %d not found", memberID)
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, hash string, accountID int64, now time.Time, address, agent string) error {
	if len(agent) > 200 {
		agent = agent[:200]
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, last_seen, expires_at, user_agent, address) VALUES ($1, $2, $3, $3, $4, $5, $6)`,
			hash, accountID, now, now.Add(auth.SessionAbsolute), agent, address)
		return err
	})
}

// SessionActor loads the actor of a live session. It refreshes last_seen at
// most once a minute so that reads do not all queue on the writer.
func (db *DB) SessionActor(ctx context.Context, hash string, now time.Time) (*auth.Actor, error) {
	var a auth.Actor
	var member sql.NullInt64
	var lastSeen, expires time.Time
	err := db.read.QueryRowContext(ctx, `SELECT s.account_id, a.username, a.member_id, s.last_seen, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND a.disabled = $2`, hash, false).Scan(&a.AccountID, &a.Username, &member, &lastSeen, &expires)
	if err != nil {
		return nil, notFound(err, "no session")
	}
	if now.After(expires) || now.Sub(lastSeen) > auth.SessionIdle {
		db.DeleteSession(ctx, hash)
		return nil, apperr.NotFoundf("session expired")
	}
	if now.Sub(lastSeen) > time.Minute {
		db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, now, hash)
			return err
		})
	}
	if a.Grants, err = db.grants(ctx, db.read, a.AccountID); err != nil {
		return nil, err
	}
	if member.Valid {
		a.MemberID = member.Int64
		if a.MemberUnitPath, err = db.MemberUnitPath(ctx, a.MemberID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	return &a, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
		return err
	})
}

// SetPassword replaces an account's password hash (operator tools).
func (db *DB) SetPassword(ctx context.Context, username, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, version = version + 1 WHERE username = $2`, hash, username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFoundf("no account %s", username)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE username = $1)`, username)
		return err
	})
}
