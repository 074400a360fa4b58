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
// statement; it returns how many receipts it wrote. On SQLite the
// receipts' roll-up trigger (subtree_read_counts: an upsert per receipt
// and ancestor, 85% of the statement's time) is dropped for the statement
// and created again, and the revision's counts are recounted once
// (demoReadCounts), in the same transaction: thousands of receipts a call.
func (db *DB) SetDemoReceipts(ctx context.Context, docID int64, version int, path string, percent int, at time.Time) (int, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		var defs []string
		if db.dialect == sqliteDialect {
			var err error
			if defs, err = dropSQLiteObjects(ctx, tx, "TRIGGER", `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'doc_receipts_subtree_insert'`); err != nil {
				return fmt.Errorf("demo receipts: %w", err)
			}
		}
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
		if len(defs) == 0 {
			return nil
		}
		for _, def := range defs {
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("demo receipts: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, demoReadCounts, docID, version); err != nil {
			return fmt.Errorf("demo receipts' counts: %w", err)
		}
		return nil
	})
	return int(n), err
}

// demoReadCounts sets the counts of a document's revision in
// subtree_read_counts to their recount (counters.go's, for one revision):
// what the trigger would have added to counts that were exact. A unit
// without a receipt keeps its row, if it has one, as the trigger leaves it.
const demoReadCounts = `INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
	SELECT c.document_id, c.version, a.id, SUM(c.n)
	FROM units a CROSS JOIN units u CROSS JOIN (SELECT r.document_id, r.version, m.unit_id, COUNT(*) AS n FROM doc_receipts r JOIN members m ON m.id = r.member_id
		WHERE r.document_id = $1 AND r.version = $2 AND m.status IN ('probationary', 'full', 'exempt') GROUP BY r.document_id, r.version, m.unit_id) c
	WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
	GROUP BY c.document_id, c.version, a.id
	ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = excluded.n`
