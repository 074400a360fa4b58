package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/doc"
)

// Reading returns, in one query, a document and what its page needs of
// its reader: the newest revision their member read (0: none), whether the
// account bookmarked it, the account's note and how many attachments the
// document has. Access is the caller's to check.
func (db Docs) Reading(ctx context.Context, id, memberID, accountID int64) (*doc.Document, *doc.ReaderView, error) {
	var v doc.ReaderView
	var bm int
	var body sql.NullString
	var at sql.NullTime
	d, err := scanDoc(db.read.QueryRowContext(ctx, `SELECT `+docColumns("d.body")+`,
		COALESCE((SELECT MAX(version) FROM doc_receipts WHERE document_id = d.id AND member_id = $2), 0),
		(SELECT COUNT(*) FROM doc_bookmarks WHERE document_id = d.id AND account_id = $3),
		(SELECT COUNT(*) FROM doc_attachments WHERE document_id = d.id),
		n.body, n.updated_at
		FROM documents d JOIN units au ON au.id = d.audience_unit_id
		LEFT JOIN doc_notes n ON n.document_id = d.id AND n.account_id = $3
		WHERE d.id = $1`, id, memberID, accountID), &v.ReadVersion, &bm, &v.Attachments, &body, &at)
	if err != nil {
		return nil, nil, notFound(err, "document %d not found", id)
	}
	v.Bookmarked = bm > 0
	if body.Valid {
		t := at.Time.UTC()
		v.Note = &doc.Note{DocumentID: id, AccountID: accountID, Body: body.String, UpdatedAt: &t}
	}
	return d, &v, nil
}

// SetDemoReceipts records, for the demo, that about percent of the members
// a document expects in the subtree at path read its revision version at
// at: a fixed choice by member id, leaving out the members with an account
// (the demo's accounts read what their story says). One set-based
// statement; it returns how many receipts it wrote.
func (db *DB) SetDemoReceipts(ctx context.Context, docID int64, version int, path string, percent int, at time.Time) (int, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO doc_receipts (document_id, member_id, version, read_at)
			SELECT CAST($1 AS BIGINT), m.id, CAST($2 AS INTEGER), `+db.castTime("$3")+`
			FROM members m JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $4 AND u.path < $5 AND m.status IN ('probationary', 'full', 'exempt')
			AND (m.id * 7919) % 100 < $6
			AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.member_id = m.id)
			ON CONFLICT DO NOTHING`, docID, version, at.UTC(), path, prefixEnd(path), percent)
		if err != nil {
			return fmt.Errorf("demo receipts: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}
