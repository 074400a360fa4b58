package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

// ListAudit returns audit entries newest first, at most f.Limit+1.
func (db *DB) ListAudit(ctx context.Context, f auth.AuditFilter) ([]auth.AuditRecord, error) {
	var args argList
	var where []string
	if f.OwnMemberID != 0 {
		where = append(where, `object_type = 'member' AND object_id = `+args.add(f.OwnMemberID))
	} else {
		var ors []string
		for _, p := range f.Paths {
			ors = append(ors, `(unit_path >= `+args.add(p)+` AND unit_path < `+args.add(prefixEnd(p))+`)`)
		}
		if len(ors) == 0 {
			return nil, nil
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if f.UnitPath != "" {
		where = append(where, `unit_path >= `+args.add(f.UnitPath)+` AND unit_path < `+args.add(prefixEnd(f.UnitPath)))
	}
	if f.ObjectType != "" {
		where = append(where, `object_type = `+args.add(f.ObjectType))
	}
	if f.ObjectID != 0 {
		where = append(where, `object_id = `+args.add(f.ObjectID))
	}
	if f.Username != "" {
		where = append(where, `username = `+args.add(f.Username))
	}
	if len(f.Actions) > 0 {
		in := make([]string, len(f.Actions))
		for i, a := range f.Actions {
			in[i] = args.add(a)
		}
		where = append(where, `action IN (`+strings.Join(in, ", ")+`)`)
	}
	if !f.Since.IsZero() {
		where = append(where, `at >= `+args.add(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		where = append(where, `at < `+args.add(f.Until.UTC()))
	}
	if !f.IncludePrivate {
		where = append(where, privateAuditSQL(&args))
	}
	if f.BeforeID != 0 {
		where = append(where, `id < `+args.add(f.BeforeID))
	}
	q := `SELECT id, at, account_id, username, address, action, object_type, object_id, before_json, after_json FROM audit_log WHERE ` +
		strings.Join(where, " AND ") + ` ORDER BY id DESC LIMIT ` + args.add(f.Limit+1)
	return queryAll(ctx, db.read, func(rows *sql.Rows) (auth.AuditRecord, error) {
		var r auth.AuditRecord
		var acc, obj sql.NullInt64
		var before, after string
		if err := rows.Scan(&r.ID, &r.At, &acc, &r.Username, &r.Address, &r.Action, &r.ObjectType, &obj, &before, &after); err != nil {
			return r, err
		}
		if acc.Valid {
			r.AccountID = &acc.Int64
		}
		if obj.Valid {
			r.ObjectID = &obj.Int64
		}
		if before != "" {
			r.Before = []byte(before)
		}
		if after != "" {
			r.After = []byte(after)
		}
		return r, nil
	}, q, args...)
}

// privateAuditSQL keeps out the entries of members' private actions (see
// auth.PrivateAuditPrefixes), and a member's reads of their own record.
func privateAuditSQL(args *argList) string {
	var conds []string
	for _, p := range auth.PrivateAuditPrefixes {
		conds = append(conds, `action NOT LIKE `+args.add(escapeLike(p)+"%")+` ESCAPE '\'`)
	}
	conds = append(conds, `NOT (action = 'member.read' AND object_type = 'member' AND EXISTS (
		SELECT 1 FROM accounts ac WHERE ac.id = audit_log.account_id AND ac.member_id = audit_log.object_id))`)
	return strings.Join(conds, " AND ")
}
