package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// document_words (migration 0051) is kept by triggers in the documents'
// writes; `sotay check counters` recomputes it from the documents'
// search text as the migration filled it and reports, per document, the
// rows it misses and the rows it holds in excess; --fix rewrites those
// documents' rows. A drift means a trigger was dropped or the table was
// written by hand: the documents search would miss or misplace matches.

// documentWordsSQL selects the rows document_words should hold for the
// documents matching cond (an expression on d, the documents' alias):
// key, issued_on, doc_id.
func documentWordsSQL(d dialect, cond string) string {
	if d == postgresDialect {
		return `SELECT k AS key, d.issued_on, d.id AS doc_id FROM documents d CROSS JOIN LATERAL document_word_keys(d.search_vector) k WHERE ` + cond
	}
	// The words as the SQLite triggers split them (doc.SearchText leaves
	// runs of [a-z0-9] separated by single spaces).
	words := `json_each('["' || replace(d.search_title || ' ' || d.search_number || ' ' || d.search_summary || ' ' || d.search_body, ' ', '","') || '"]') w`
	return `SELECT w.value AS key, d.issued_on, d.id AS doc_id FROM documents d, ` + words + ` WHERE w.value <> '' AND ` + cond + `
		UNION SELECT substr(w.value, 1, 2) || '*', d.issued_on, d.id FROM documents d, ` + words + ` WHERE length(w.value) >= 2 AND ` + cond + `
		UNION SELECT substr(w.value, 1, 3) || '*', d.issued_on, d.id FROM documents d, ` + words + ` WHERE length(w.value) >= 3 AND ` + cond
}

// documentWordsDriftSQL selects, per document whose rows differ from
// their recomputation, how many are missing and how many are in excess
// (a document deleted with its rows left behind counts its rows in
// excess).
func documentWordsDriftSQL(d dialect) string {
	kept := `SELECT key, issued_on, doc_id FROM document_words`
	recomputed := `SELECT * FROM (` + documentWordsSQL(d, "1 = 1") + `) r`
	return `SELECT doc_id, SUM(missing), SUM(extra) FROM (
		SELECT doc_id, 1 AS missing, 0 AS extra FROM (` + recomputed + ` EXCEPT ` + kept + `) a
		UNION ALL SELECT doc_id, 0, 1 FROM (` + kept + ` EXCEPT ` + recomputed + `) b) x GROUP BY doc_id`
}

// checkDocumentWords is document_words' drift, by document.
func checkDocumentWords(ctx context.Context, q Querier, d dialect) ([]CounterDrift, error) {
	var out []CounterDrift
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		var id, missing, extra int64
		if err := rows.Scan(&id, &missing, &extra); err != nil {
			return err
		}
		out = append(out, CounterDrift{Table: "document_words", Key: fmt.Sprintf("doc_id=%d, rows", id), Got: extra, Want: missing})
		return nil
	}, documentWordsDriftSQL(d)+` ORDER BY doc_id`)
	if err != nil {
		return nil, fmt.Errorf("compare document_words: %w", err)
	}
	return out, nil
}

// fixDocumentWords rewrites the rows of the documents whose rows drifted,
// 500 documents a statement.
func (tx *Tx) fixDocumentWords(ctx context.Context) error {
	ids, err := queryAll(ctx, tx, scanValue[int64], `SELECT doc_id FROM (`+documentWordsDriftSQL(tx.db.dialect)+`) x`)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		list := idList(ids[:min(len(ids), 500)])
		ids = ids[min(len(ids), 500):]
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_words WHERE doc_id IN `+list); err != nil {
			return err
		}
		q := `INSERT INTO document_words (key, issued_on, doc_id) ` + documentWordsSQL(tx.db.dialect, "d.id IN "+list)
		if _, err := tx.ExecContext(ctx, strings.TrimSpace(q)); err != nil {
			return err
		}
	}
	return nil
}
