package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// audit appends an entry to the audit log inside tx (see auditchain.go):
// on SQLite as the next link of the hash chain, on PostgreSQL pending,
// linked after tx commits, with no lock held in tx.
func (tx *Tx) audit(ctx context.Context, e auth.AuditEntry) error {
	r := newAuditRow(tx.Now, e)
	if err := tx.appendAudit(ctx, &r); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// newAuditRow is e as an audit row written at now, not linked yet.
func newAuditRow(now time.Time, e auth.AuditEntry) auditRow {
	// PostgreSQL keeps microseconds: hash exactly what both engines give back.
	r := auditRow{At: now.UTC().Truncate(time.Microsecond), Action: e.Action, ObjectType: e.ObjectType, UnitPath: e.UnitPath}
	if e.Before != nil {
		b, _ := json.Marshal(e.Before)
		r.Before = string(b)
	}
	if e.After != nil {
		b, _ := json.Marshal(e.After)
		r.After = string(b)
	}
	if e.Actor != nil {
		if e.Actor.AccountID != 0 {
			r.AccountID = sql.NullInt64{Int64: e.Actor.AccountID, Valid: true}
		}
		r.Username, r.Address = e.Actor.Username, e.Actor.Address
	}
	if e.ObjectID != 0 {
		r.ObjectID = sql.NullInt64{Int64: e.ObjectID, Valid: true}
	}
	return r
}

// Audit records an entry on its own (the audited reads of personal
// records: every page of a member list, every record read). On SQLite it
// is the next link of the chain, in a write. On PostgreSQL it is one
// statement with no transaction around it: the pending entry and its
// audit_scopes rows together (one statement is atomic), then the chainer
// is woken. As a write it cost five round trips (BEGIN, the entry, its
// scopes, the write's check of the past statistics' log, COMMIT) on every
// page of a member list (issue 17: the fixed cost of a request).
func (db *DB) Audit(ctx context.Context, e auth.AuditEntry) error {
	if db.chain == nil {
		return db.Write(ctx, func(tx *Tx) error { return tx.audit(ctx, e) })
	}
	r := newAuditRow(db.Now(), e)
	query, args := pendingAuditStatement(&r)
	if _, err := db.write.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	db.chain.kick()
	return nil
}

// pendingAuditInsert inserts a pending entry (seq = -id, linked by the
// chainer) from $1–$10 and gives back its id as a.id.
const pendingAuditInsert = `WITH n AS (SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id),
	a AS (INSERT INTO audit_log (id, seq, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json)
	VALUES ((SELECT id FROM n), -(SELECT id FROM n), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id)`

// pendingAuditStatement is the statement that writes r pending on PostgreSQL, and
// its arguments: the entry and, from $11 on, the units on its unit path,
// which its audit_scopes rows name (insertAuditScopes).
func pendingAuditStatement(r *auditRow) (string, []any) {
	args := []any{r.At, r.AccountID, r.Username, r.Address, r.Action, r.ObjectType, r.ObjectID, r.UnitPath, r.Before, r.After}
	scopes := doc.AncestorIDs(r.UnitPath)
	if len(scopes) == 0 {
		return pendingAuditInsert + ` SELECT id FROM a`, args
	}
	vals := make([]string, len(scopes))
	for i, id := range scopes {
		vals[i] = `(CAST($` + strconv.Itoa(len(args)+1) + ` AS BIGINT))`
		args = append(args, id)
	}
	return pendingAuditInsert + ` INSERT INTO audit_scopes (scope_id, audit_id)
	SELECT v.column1, a.id FROM a, (VALUES ` + strings.Join(vals, ", ") + `) AS v`, args
}
