package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// Accounts is the store of auth.Store and auth.AdminStore: accounts, sessions, second factors.
type Accounts struct{ *DB }

// ByUsername returns an enabled account and its password hash.
func (db Accounts) ByUsername(ctx context.Context, username string) (*auth.Account, string, error) {
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
func (db Accounts) Account(ctx context.Context, id int64) (*auth.Account, error) {
	var acc auth.Account
	var member sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT id, username, member_id, version, totp_enabled, totp_exempt FROM accounts WHERE id = $1`, id).
		Scan(&acc.ID, &acc.Username, &member, &acc.Version, &acc.TOTPEnabled, &acc.TOTPExempt)
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
	return queryAll(ctx, q, func(rows *sql.Rows) (auth.Grant, error) {
		var g auth.Grant
		return g, rows.Scan(&g.UnitID, &g.UnitPath, &g.Role)
	}, `SELECT r.unit_id, u.path, r.role FROM account_roles r JOIN units u ON u.id = r.unit_id
		WHERE r.account_id = $1 AND u.dissolved_on IS NULL ORDER BY u.path, r.role`, accountID)
}

// Create inserts an account and its roles.
func (db Accounts) Create(ctx context.Context, a *auth.Account, hash string, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		taken := apperr.Keyed(apperr.Conflict, "auth.user_name_taken", "the user name %s is taken", a.Username)
		id, err := insertOrTaken(ctx, tx, taken, "insert account", `INSERT INTO accounts (username, password_hash, member_id, version, disabled, created_at, totp_exempt) VALUES ($1, $2, $3, 1, $4, $5, $6)`,
			a.Username, hash, a.MemberID, false, tx.Now, a.TOTPExempt)
		if err != nil {
			return err
		}
		a.ID = id
		if err := tx.insertGrants(ctx, id, a.Roles); err != nil {
			return err
		}
		if err := tx.followAccount(ctx, id); err != nil {
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
func (db Accounts) SetRoles(ctx context.Context, id int64, roles []auth.Grant, e auth.AuditEntry) error {
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
		// An audience limited by roles follows the account's roles.
		if err := tx.followAccount(ctx, id); err != nil {
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
func (db Accounts) MemberUnitPath(ctx context.Context, memberID int64) (string, error) {
	var p string
	err := db.read.QueryRowContext(ctx, `SELECT u.path FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, memberID).Scan(&p)
	return p, notFound(err, "member %d not found", memberID)
}

// CreateSession stores a new session with a random public id.
func (db Accounts) CreateSession(ctx context.Context, hash string, accountID int64, now time.Time, address, agent string) error {
	if len(agent) > 200 {
		agent = strings.ToValidUTF8(agent[:200], "")
	}
	b := make([]byte, 8)
	rand.Read(b)
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, last_seen, expires_at, user_agent, address, public_id) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`,
			hash, accountID, now, now.Add(auth.SessionAbsolute), agent, address, hex.EncodeToString(b))
		return err
	})
}

// SessionActor loads the actor of a live session. It refreshes last_seen at
// most once a minute so that reads do not all queue on the writer.
func (db Accounts) SessionActor(ctx context.Context, hash string, now time.Time) (*auth.Actor, error) {
	var a auth.Actor
	var member sql.NullInt64
	var lastSeen, expires time.Time
	var totpEnabled, totpExempt bool
	var memberPath, memberName, wroteLSN sql.NullString
	var wroteUntil time.Time // zero when NULL
	// One query for the session, its account, its member's name and the
	// path of their cell, and its roles (one row per role): it runs on
	// every request (its times as rawTime, see timetext.go).
	rows, err := db.read.QueryContext(ctx, `SELECT s.account_id, a.username, a.member_id, `+rawTime("s.last_seen")+`, `+rawTime("s.expires_at")+`, s.public_id, a.totp_enabled, a.totp_exempt, mu.path, m.full_name,
			s.wrote_lsn, `+rawTime("s.wrote_until")+`, r.unit_id, u.path, r.role, CASE WHEN u.dissolved_on IS NULL THEN 1 ELSE 0 END
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		LEFT JOIN members m ON m.id = a.member_id LEFT JOIN units mu ON mu.id = m.unit_id
		LEFT JOIN account_roles r ON r.account_id = a.id LEFT JOIN units u ON u.id = r.unit_id
		WHERE s.token_hash = $1 AND a.disabled = $2
		ORDER BY u.path, r.role`, hash, false)
	if err != nil {
		return nil, err
	}
	found := false
	a.Grants = []auth.Grant{}
	for rows.Next() {
		var unit sql.NullInt64
		var unitPath, role sql.NullString
		var live int
		if err := rows.Scan(&a.AccountID, &a.Username, &member, timeText{&lastSeen}, timeText{&expires}, &a.SessionID, &totpEnabled, &totpExempt, &memberPath, &memberName,
			&wroteLSN, timeText{&wroteUntil}, &unit, &unitPath, &role, &live); err != nil {
			rows.Close()
			return nil, err
		}
		found = true
		if unit.Valid && unitPath.Valid && live == 1 {
			a.Grants = append(a.Grants, auth.Grant{UnitID: unit.Int64, UnitPath: unitPath.String, Role: auth.Role(role.String)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, apperr.Keyed(apperr.NotFound, "auth.no_session", "no session")
	}
	if now.After(expires) || now.Sub(lastSeen) > auth.SessionIdle {
		db.DeleteSession(ctx, hash)
		return nil, apperr.Keyed(apperr.NotFound, "auth.session_expired", "session expired")
	}
	if now.Sub(lastSeen) > time.Minute {
		db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, now, hash)
			return err
		})
	}
	// Decided on every request, so that a session is freed the moment its
	// account confirms a second factor, and restricted the moment it is
	// given a role that requires one.
	a.Restricted = auth.NeedsTOTPEnrolment(a.Grants, totpEnabled, totpExempt)
	if member.Valid {
		a.MemberID, a.MemberUnitPath, a.MemberName = member.Int64, memberPath.String, memberName.String
	}
	if wroteLSN.Valid && !wroteUntil.IsZero() && now.Before(wroteUntil) {
		a.WroteAt = wroteLSN.String
	}
	return &a, nil
}

// DeleteSession ends a session.
func (db Accounts) DeleteSession(ctx context.Context, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
		return err
	})
}

// SetPassword replaces an account's password hash (operator tools).
func (db Accounts) SetPassword(ctx context.Context, username, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.NotFound, "auth.no_account", "no account %s", username),
			`UPDATE accounts SET password_hash = $1, version = version + 1 WHERE username = $2`, hash, username); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE username = $1)`, username)
		return err
	})
}

// ListSessions returns an account's sessions, newest first.
func (db Accounts) ListSessions(ctx context.Context, accountID int64) ([]auth.SessionInfo, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (auth.SessionInfo, error) {
		var si auth.SessionInfo
		err := rows.Scan(&si.ID, &si.CreatedAt, &si.LastSeen, &si.ExpiresAt, &si.Address, &si.UserAgent)
		si.CreatedAt, si.LastSeen, si.ExpiresAt = si.CreatedAt.UTC(), si.LastSeen.UTC(), si.ExpiresAt.UTC()
		return si, err
	}, `SELECT public_id, created_at, last_seen, expires_at, address, user_agent FROM sessions
		WHERE account_id = $1 ORDER BY last_seen DESC, created_at DESC`, accountID)
}

// DeleteAccountSession ends one of an account's sessions by its public id.
func (db Accounts) DeleteAccountSession(ctx context.Context, accountID int64, publicID string) error {
	return db.Write(ctx, func(tx *Tx) error {
		return tx.execAffecting(ctx, apperr.Keyed(apperr.NotFound, "auth.session_not_found", "session %s not found", publicID),
			`DELETE FROM sessions WHERE account_id = $1 AND public_id = $2`, accountID, publicID)
	})
}

// SetAccountPassword replaces an account's password hash and ends its
// sessions but keepSession (a public id; "" ends them all), with the audit
// entry in the same transaction.
func (db Accounts) SetAccountPassword(ctx context.Context, accountID int64, hash, keepSession string, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", accountID),
			`UPDATE accounts SET password_hash = $1, version = version + 1 WHERE id = $2`, hash, accountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND public_id <> $2`, accountID, keepSession); err != nil {
			return err
		}
		return tx.audit(ctx, e)
	})
}

// TOTP returns an account's second-factor state.
func (db Accounts) TOTP(ctx context.Context, accountID int64) (auth.TOTPState, error) {
	var st auth.TOTPState
	err := db.read.QueryRowContext(ctx, `SELECT totp_secret, totp_enabled, totp_last_step, totp_exempt FROM accounts WHERE id = $1`, accountID).
		Scan(&st.Secret, &st.Enabled, &st.LastStep, &st.Exempt)
	return st, notFound(err, "account %d not found", accountID)
}

// StartTOTP stores a pending secret and replaces the recovery codes, unless
// a second factor is already active.
func (db Accounts) StartTOTP(ctx context.Context, accountID int64, secret string, recoveryHashes []string) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.Conflict, "auth.second_factor_already_active", "the second factor is already active"),
			`UPDATE accounts SET totp_secret = $1, totp_last_step = 0 WHERE id = $2 AND totp_enabled = $3`, secret, accountID, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
			return err
		}
		for _, h := range recoveryHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)`, accountID, h); err != nil {
				return fmt.Errorf("recovery code: %w", err)
			}
		}
		return nil
	})
}

// EnableTOTP activates the pending secret, if it is still the one checked.
func (db Accounts) EnableTOTP(ctx context.Context, accountID int64, secret string, step int64, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.Conflict, "auth.enrolment_changed_meanwhile_start", "the enrolment changed meanwhile: start again"),
			`UPDATE accounts SET totp_enabled = $1, totp_last_step = $2, version = version + 1
			WHERE id = $3 AND totp_secret = $4 AND totp_enabled = $5`, true, step, accountID, secret, false); err != nil {
			return err
		}
		return tx.audit(ctx, e)
	})
}

// UseTOTPStep records a time step as used; a step at or before the last
// one used is refused, also when two sign-ins race with the same code.
func (db Accounts) UseTOTPStep(ctx context.Context, accountID int64, step int64) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND totp_enabled = $3 AND totp_last_step < $1`, step, accountID, true)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// UseRecoveryCode spends an unused recovery code, with its audit entry.
func (db Accounts) UseRecoveryCode(ctx context.Context, accountID int64, hash string, e auth.AuditEntry) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL`, tx.Now, accountID, hash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		ok = true
		return tx.audit(ctx, e)
	})
	return ok, err
}
