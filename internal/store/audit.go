package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// audit appends an entry to the audit log inside tx (see auditchain.go):
// on SQLite as the next link of the hash chain, on PostgreSQL pending,
// linked after tx commits, with no lock held in tx.
func (tx *Tx) audit(ctx context.Context, e auth.AuditEntry) error {
	// PostgreSQL keeps microseconds: hash exactly what both engines give back.
	r := auditRow{At: tx.Now.UTC().Truncate(time.Microsecond), Action: e.Action, ObjectType: e.ObjectType, UnitPath: e.UnitPath}
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
	if err := tx.appendAudit(ctx, &r); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit records an entry on its own (for audited reads).
func (db *DB) Audit(ctx context.Context, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.audit(ctx, e) })
}
