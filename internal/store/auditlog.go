package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// ListAudit returns audit entries newest first, at most f.Limit+1.
func (db *DB) ListAudit(ctx context.Context, f auth.AuditFilter) ([]auth.AuditRecord, error) {
	q, args, ok := auditListSQL(db.dialect, f)
	if !ok {
		return nil, nil
	}
	out, err := queryAll(ctx, db.read, scanAuditRecord, q, args...)
	if err != nil {
		return nil, err
	}
	// The subtree's page comes in no order of its own once joined.
	slices.SortFunc(out, func(a, b auth.AuditRecord) int { return cmp.Compare(b.ID, a.ID) })
	return out, nil
}

func scanAuditRecord(rows *sql.Rows) (auth.AuditRecord, error) {
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
}

// auditListSQL writes the SQL of a page of the audit list (issue 17). In
// a subtree, the page is read from audit_scopes (one row per entry and per
// unit on its unit path when written) by index ranges newest first, one
// per unit of the reach (or the one unit asked for), that stop after the
// page; the entries' other filters are checked on the way. The root's
// reach (and a member's own record) walks audit_log newest first.
//
// long: it writes one statement, the page and its count from the same
// ranges and filters, in the order the SQL reads; split, the two could
// drift apart.
func auditListSQL(d dialect, f auth.AuditFilter) (string, argList, bool) {
	var args argList
	var where []string
	var drive []int64
	if f.OwnMemberID != 0 {
		where = append(where, `object_type = 'member' AND object_id = `+args.add(f.OwnMemberID))
	} else {
		if len(f.Paths) == 0 {
			return "", nil, false
		}
		root := false
		var ors []string
		for _, p := range f.Paths {
			root = root || p == "/"
			ors = append(ors, `(unit_path >= `+args.add(p)+` AND unit_path < `+args.add(prefixEnd(p))+`)`)
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
		if !root {
			// The reach's top units: a path under another one adds nothing.
			for _, p := range f.Paths {
				inner := false
				for _, o := range f.Paths {
					inner = inner || (o != p && strings.HasPrefix(p, o))
				}
				if ids := doc.AncestorIDs(p); !inner && len(ids) > 0 && !slices.Contains(drive, ids[len(ids)-1]) {
					drive = append(drive, ids[len(ids)-1])
				}
			}
		}
	}
	if f.UnitPath != "" {
		where = append(where, `unit_path >= `+args.add(f.UnitPath)+` AND unit_path < `+args.add(prefixEnd(f.UnitPath)))
		if ids := doc.AncestorIDs(f.UnitPath); len(ids) > 0 {
			drive = ids[len(ids)-1:]
		}
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
	const cols = `id, at, account_id, username, address, action, object_type, object_id, before_json, after_json`
	// One object's entries of a few actions (a unit's history:
	// org.Changes): one arm per action, a range of audit_log_object
	// (migration 0048) newest first, the reach checked on each entry.
	// Driven by the reach's audit_scopes, the page passed every other
	// entry of the subtree (the reads of the unit's member list among
	// them: 12 ms for the demo district, growing with the log).
	actions := slices.Compact(slices.Sorted(slices.Values(f.Actions)))
	history := f.ObjectType != "" && f.ObjectID != 0 && len(actions) > 0 && len(actions) <= maxHistoryActions
	if len(drive) == 0 && !history {
		if f.BeforeID != 0 {
			where = append(where, `id < `+args.add(f.BeforeID))
		}
		return `SELECT ` + cols + ` FROM audit_log WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id DESC LIMIT ` + args.add(f.Limit+1), args, true
	}
	// One arm per unit: on SQLite a compound SELECT whose ORDER BY SQLite
	// merges; on PostgreSQL each arm stops at the page and only those rows
	// are sorted (as the task lists do).
	cond := strings.Join(where, " AND ")
	var arms []string
	arm := func(from, w string) {
		a := `SELECT ` + from + ` WHERE ` + w + ` AND ` + cond
		if d != sqliteDialect {
			a = `(` + a + ` ORDER BY audit_id DESC LIMIT ` + args.add(f.Limit+1) + `)`
		}
		arms = append(arms, a)
	}
	if history {
		for _, a := range actions {
			w := `action = ` + args.add(a)
			if f.BeforeID != 0 {
				w += ` AND id < ` + args.add(f.BeforeID)
			}
			arm(`id AS audit_id FROM audit_log`, w)
		}
	} else {
		for _, u := range drive {
			w := `scope_id = ` + args.add(u)
			if f.BeforeID != 0 {
				w += ` AND audit_id < ` + args.add(f.BeforeID)
			}
			arm(`audit_id FROM audit_scopes JOIN audit_log ON audit_log.id = audit_id`, w)
		}
	}
	limit := args.add(f.Limit + 1)
	inner := strings.Join(arms, " UNION ALL ") + ` ORDER BY audit_id DESC LIMIT ` + limit
	if d != sqliteDialect {
		inner = `SELECT x.audit_id FROM (` + strings.Join(arms, " UNION ALL ") + `) x ORDER BY x.audit_id DESC LIMIT ` + limit
	}
	return `SELECT ` + strings.Replace(cols, "id, ", "l.id, ", 1) + ` FROM (` + inner + `) p JOIN audit_log l ON l.id = p.audit_id`, args, true
}

// maxHistoryActions is the most actions an object's history reads one
// arm each (auditListSQL); more go the reach's way.
const maxHistoryActions = 8

// privateAuditSQL keeps out the entries of members' private actions (see
// auth.PrivateAuditPrefixes), and a member's reads of their own record.
func privateAuditSQL(args *argList) string {
	var conds []string
	for _, p := range auth.PrivateAuditPrefixes {
		conds = append(conds, `action NOT LIKE `+likeParam(args.add(escapeLike(p)+"%"))+` ESCAPE '\'`)
	}
	conds = append(conds, `NOT (action = 'member.read' AND object_type = 'member' AND EXISTS (
		SELECT 1 FROM accounts ac WHERE ac.id = audit_log.account_id AND ac.member_id = audit_log.object_id))`)
	return strings.Join(conds, " AND ")
}
