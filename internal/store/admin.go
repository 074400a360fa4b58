package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// Administration of accounts (auth.AdminStore) and the audit chain's
// verification for the admin's page (auth.ChainVerifier).

// pathRanges is the condition that column lies under one of paths.
func pathRanges(args *argList, column string, paths []string) string {
	var ors []string
	for _, p := range paths {
		ors = append(ors, `(`+column+` >= `+args.add(p)+` AND `+column+` < `+args.add(prefixEnd(p))+`)`)
	}
	if len(ors) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

const accountRowColumns = `a.id, a.username, a.member_id, COALESCE(m.full_name, ''), a.totp_enabled, a.disabled`

// List returns the accounts whose every live role lies under one
// of f.Paths (and those without roles when f.Roleless), in user-name
// order, at most f.Limit+1.
func (db Accounts) List(ctx context.Context, f auth.AccountFilter) ([]auth.AccountRow, error) {
	var args argList
	live := `SELECT 1 FROM account_roles r JOIN units u ON u.id = r.unit_id WHERE r.account_id = a.id AND u.dissolved_on IS NULL`
	where := []string{`NOT EXISTS (` + live + ` AND NOT ` + pathRanges(&args, "u.path", f.Paths) + `)`}
	if !f.Roleless {
		where = append(where, `EXISTS (`+live+`)`)
	}
	if f.Q != "" {
		p := args.add("%" + escapeLike(f.Q) + "%")
		where = append(where, `(a.username LIKE `+likeParam(p)+` ESCAPE '\' OR m.name_folded LIKE `+likeParam(p)+` ESCAPE '\')`)
	}
	if f.Cursor != "" {
		b, ok := openCursor(f.Cursor)
		if !ok {
			return nil, apperr.BadCursor()
		}
		where = append(where, `a.username > `+args.add(string(b)))
	}
	out, err := queryAll(ctx, db.read, values(scanAccountRow), `SELECT `+accountRowColumns+` FROM accounts a LEFT JOIN members m ON m.id = a.member_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY a.username LIMIT `+args.add(f.Limit+1), args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Roles, err = db.grantViews(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Row returns one account as the administration pages show it.
func (db Accounts) Row(ctx context.Context, id int64) (*auth.AccountRow, error) {
	r, err := scanAccountRow(db.read.QueryRowContext(ctx, `SELECT `+accountRowColumns+` FROM accounts a LEFT JOIN members m ON m.id = a.member_id WHERE a.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "account %d not found", id)
	}
	r.Roles, err = db.grantViews(ctx, id)
	return r, err
}

func scanAccountRow(s interface{ Scan(...any) error }) (*auth.AccountRow, error) {
	var r auth.AccountRow
	var member sql.NullInt64
	if err := s.Scan(&r.ID, &r.Username, &member, &r.MemberName, &r.TOTPEnabled, &r.Disabled); err != nil {
		return nil, err
	}
	if member.Valid {
		r.MemberID = &member.Int64
	}
	r.Cursor = sealCursor([]byte(r.Username))
	return &r, nil
}

// grantViews returns an account's live roles with their units' names.
func (db *DB) grantViews(ctx context.Context, accountID int64) ([]auth.GrantView, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (auth.GrantView, error) {
		var g auth.GrantView
		return g, rows.Scan(&g.UnitID, &g.UnitName, &g.UnitPath, &g.Role)
	}, `SELECT r.unit_id, u.name, u.path, r.role FROM account_roles r JOIN units u ON u.id = r.unit_id
		WHERE r.account_id = $1 AND u.dissolved_on IS NULL ORDER BY u.path, r.role`, accountID)
}

// ResetSecondFactor removes an account's second factor and recovery
// codes and ends its sessions, with the audit entry.
func (db Accounts) ResetSecondFactor(ctx context.Context, id int64, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id),
			`UPDATE accounts SET totp_secret = '', totp_enabled = $1, totp_last_step = 0, version = version + 1 WHERE id = $2`, false, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		return tx.audit(ctx, e)
	})
}

// UnitChoices returns live units under one of paths whose folded name
// contains q, upper levels first, each with its parent's name.
func (db Accounts) UnitChoices(ctx context.Context, paths []string, q string, limit int) ([]auth.UnitChoice, error) {
	var args argList
	where := []string{`u.dissolved_on IS NULL`, pathRanges(&args, "u.path", paths)}
	if q != "" {
		where = append(where, `u.name_folded LIKE `+likeParam(args.add("%"+escapeLike(q)+"%"))+` ESCAPE '\'`)
	}
	return queryAll(ctx, db.read, func(rows *sql.Rows) (auth.UnitChoice, error) {
		var c auth.UnitChoice
		return c, rows.Scan(&c.ID, &c.Name, &c.ParentName, &c.Path, &c.Depth)
	}, `SELECT u.id, u.name, COALESCE(p.name, ''), u.path, u.depth FROM units u LEFT JOIN units p ON p.id = u.parent_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY u.depth, p.name_folded, u.name_folded, u.id LIMIT `+args.add(limit), args...)
}

// VerifyAuditChain runs VerifyAudit for the admin's page.
func (db *DB) VerifyAuditChain(ctx context.Context) (auth.ChainReport, error) {
	start := time.Now()
	res, err := db.VerifyAudit(ctx)
	if err != nil {
		return auth.ChainReport{}, err
	}
	r := auth.ChainReport{Entries: res.Entries, LastSeq: res.LastSeq, LastHash: res.LastHash, Took: time.Since(start), Pending: res.Pending}
	if res.Pending > 0 && !res.OldestPending.IsZero() {
		at := res.OldestPending.UTC()
		r.OldestPendingAt = &at
	}
	if res.Problem != nil {
		r.Problem, r.Kind = res.Problem.Detail, res.Problem.Kind
	}
	return r, nil
}
