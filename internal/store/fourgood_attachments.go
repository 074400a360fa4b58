package store

import (
	"context"
	"fmt"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/scoring"
)

var _ scoring.AttachmentStore = FourGood{}

// sheetAt moves a sheet's version on if it is still at stage (so that a
// page's If-Match sees the change), or answers Conflict.
func sheetAt(ctx context.Context, tx *Tx, sheetID int64, stage scoring.Stage) error {
	res, err := tx.ExecContext(ctx, `UPDATE fourgood_sheets SET version = version + 1, updated_at = $1 WHERE id = $2 AND stage = $3`,
		tx.Now, sheetID, string(stage))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.Keyed(apperr.Conflict, "fourgood.stale", "the scoresheet was changed by someone else: reload it")
	}
	return nil
}

// AddAttachment writes an attachment on a criterion of a sheet still at
// the attachment's stage, with its audit entry.
func (db FourGood) AddAttachment(ctx context.Context, at *scoring.Attachment, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := sheetAt(ctx, tx, at.SheetID, at.Stage); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM fourgood_attachments WHERE sheet_id = $1 AND criterion = $2`, at.SheetID, at.Criterion).Scan(&n); err != nil {
			return err
		}
		if n >= scoring.MaxAttachments {
			return apperr.Keyed(apperr.Conflict, "fourgood.too_many_attachments", "a criterion takes at most %d files", scoring.MaxAttachments)
		}
		at.CreatedAt = tx.Now
		var account any
		if at.AccountID != 0 {
			account = at.AccountID
		}
		id, err := insertID(ctx, tx, `INSERT INTO fourgood_attachments (sheet_id, criterion, stage, name, media_type, size, sha256, account_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			at.SheetID, at.Criterion, string(at.Stage), at.Name, at.MediaType, at.Size, at.SHA256, account, tx.Now)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		at.ID = id
		return tx.audit(ctx, a)
	})
}

const fourGoodAttachmentColumns = `id, sheet_id, criterion, stage, name, media_type, size, sha256, created_at`

func scanFourGoodAttachment(sc interface{ Scan(...any) error }) (*scoring.Attachment, error) {
	var at scoring.Attachment
	err := sc.Scan(&at.ID, &at.SheetID, &at.Criterion, &at.Stage, &at.Name, &at.MediaType, &at.Size, &at.SHA256, &at.CreatedAt)
	at.CreatedAt = at.CreatedAt.UTC()
	return &at, err
}

// Attachments lists a sheet's attachments by criterion, in upload order.
func (db FourGood) Attachments(ctx context.Context, sheetID int64) ([]scoring.Attachment, error) {
	return queryAll(ctx, db.read, values(scanFourGoodAttachment), `SELECT `+fourGoodAttachmentColumns+` FROM fourgood_attachments WHERE sheet_id = $1 ORDER BY criterion, id`, sheetID)
}

// Attachment reads one attachment of a sheet.
func (db FourGood) Attachment(ctx context.Context, sheetID, id int64) (*scoring.Attachment, error) {
	at, err := scanFourGoodAttachment(db.read.QueryRowContext(ctx, `SELECT `+fourGoodAttachmentColumns+` FROM fourgood_attachments WHERE sheet_id = $1 AND id = $2`, sheetID, id))
	if err != nil {
		return nil, notFound(err, "attachment %d not found", id)
	}
	return at, nil
}

// RemoveAttachment deletes an attachment if its sheet is still at the
// attachment's stage. The content stays with doc.Files (kept by hash,
// possibly shared).
func (db FourGood) RemoveAttachment(ctx context.Context, at *scoring.Attachment, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := sheetAt(ctx, tx, at.SheetID, at.Stage); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM fourgood_attachments WHERE sheet_id = $1 AND id = $2`, at.SheetID, at.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.NotFound, "fourgood.attachment_not_found", "attachment not found")
		}
		return tx.audit(ctx, a)
	})
}
