package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sotay-vn/sotay/internal/auth"
)

// audit appends an entry to the audit log inside tx.
func (tx *Tx) audit(ctx context.Context, e auth.AuditEntry) error {
	var before, after string
	if e.Before != nil {
		b, _ := json.Marshal(e.Before)
		before = string(b)
	}
	if e.After != nil {
		b, _ := json.Marshal(e.After)
		after = string(b)
	}
	var accountID *int64
	username, address := "", ""
	if e.Actor != nil {
		if e.Actor.AccountID != 0 {
			accountID = &e.Actor.AccountID
		}
		username, address = e.Actor.Username, e.Actor.Address
	}
	var objectID *int64
	if e.ObjectID != 0 {
		objectID = &e.ObjectID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		tx.Now, accountID, username, address, e.Action, e.ObjectType, objectID, e.UnitPath, before, after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit records an entry on its own (for audited reads).
func (db *DB) Audit(ctx context.Context, e auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.audit(ctx, e) })
}
