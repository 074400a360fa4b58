package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
)

// Docs is the store of doc.Store: documents, news, receipts, attachments, notes and comments.
type Docs struct{ *DB }

var _ doc.Store = Docs{}

// Unit returns the few facts the doc module needs about a unit.
func (db Docs) Unit(ctx context.Context, id int64) (*doc.UnitRef, error) {
	var u doc.UnitRef
	var parent sql.NullInt64
	var err error
	u.Dissolved, err = readUnitRef(ctx, db.read, id, `id, parent_id, path, name, code`, &u.ID, &parent, &u.Path, &u.Name, &u.Code)
	u.ParentID = parent.Int64
	return &u, err
}

// ChildUnits lists the live children of a unit by name.
func (db Docs) ChildUnits(ctx context.Context, parentID int64) ([]doc.UnitRef, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (doc.UnitRef, error) {
		u := doc.UnitRef{ParentID: parentID}
		return u, rows.Scan(&u.ID, &u.Path, &u.Name, &u.Code)
	}, `SELECT id, path, name, code FROM units WHERE parent_id = $1 AND dissolved_on IS NULL ORDER BY kind, name_folded, id`, parentID)
}

// idList renders unit ids as an SQL list; they are integers, so they are
// written inline (at most a handful: the units on one path).
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "(NULL)"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return "(" + strings.Join(s, ",") + ")"
}

const termColumns = `t.id, t.unit_id, t.name, t.starts_on, t.ends_on`

func scanTerm(sc interface{ Scan(...any) error }) (*doc.Term, error) {
	var t doc.Term
	err := sc.Scan(&t.ID, &t.UnitID, &t.Name, &t.StartsOn, &t.EndsOn)
	return &t, err
}

// ConfiguredTerm returns the term configured on the unit at path, or on
// the nearest unit above it, that contains day on; nil when none is.
func (db Docs) ConfiguredTerm(ctx context.Context, path string, on date.Date) (*doc.Term, error) {
	t, err := scanTerm(db.read.QueryRowContext(ctx, `SELECT `+termColumns+` FROM terms t JOIN units u ON u.id = t.unit_id
		WHERE t.unit_id IN `+idList(doc.AncestorIDs(path))+` AND t.starts_on <= $1 AND t.ends_on >= $1
		ORDER BY u.depth DESC, t.starts_on DESC LIMIT 1`, on))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return t, err
}

// Terms lists the terms configured on the unit at path and above it.
func (db Docs) Terms(ctx context.Context, path string) ([]doc.Term, error) {
	return queryAll(ctx, db.read, values(scanTerm), `SELECT `+termColumns+` FROM terms t JOIN units u ON u.id = t.unit_id
		WHERE t.unit_id IN `+idList(doc.AncestorIDs(path))+` ORDER BY u.depth, t.starts_on`)
}

// CreateTerm adds a term to a unit; terms of one unit may not overlap.
func (db Docs) CreateTerm(ctx context.Context, t *doc.Term, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms WHERE unit_id = $1 AND starts_on <= $2 AND ends_on >= $3`,
			t.UnitID, t.EndsOn, t.StartsOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Keyed(apperr.Conflict, "doc.term_overlaps_another_term", "the term overlaps another term of the unit")
		}
		taken := apperr.Keyed(apperr.Conflict, "doc.unit_already_term_starting", "the unit already has a term starting on %s", t.StartsOn)
		id, err := insertOrTaken(ctx, tx, taken, "", `INSERT INTO terms (unit_id, name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5)`,
			t.UnitID, t.Name, t.StartsOn, t.EndsOn, tx.Now)
		if err != nil {
			return err
		}
		t.ID = id
		a.ObjectID, a.After = id, t
		return tx.audit(ctx, a)
	})
}

// nextDocNumber returns the next number of a sequence: the counter row is
// created at 0 the first time, then incremented under its row lock, so two
// transactions never get the same number.
func (tx *Tx) nextDocNumber(ctx context.Context, d *doc.Document) (int, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO doc_counters (issuer_unit_id, issuer_code, type, term_start, last) VALUES ($1, $2, $3, $4, 0)
		ON CONFLICT DO NOTHING`, d.IssuerUnitID, d.IssuerCode, d.Type, d.TermStart); err != nil {
		return 0, fmt.Errorf("counter: %w", err)
	}
	var seq int
	err := tx.QueryRowContext(ctx, `UPDATE doc_counters SET last = last + 1
		WHERE issuer_unit_id = $1 AND issuer_code = $2 AND type = $3 AND term_start = $4 RETURNING last`,
		d.IssuerUnitID, d.IssuerCode, d.Type, d.TermStart).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("next number: %w", err)
	}
	return seq, nil
}

// Create inserts a document or news, its first revision and its
// audience, numbering a document without a number.
func (db Docs) Create(ctx context.Context, d *doc.Document, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var seq, termStart any
		if d.Kind == doc.KindDocument {
			termStart = d.TermStart
			if d.Seq == 0 {
				n, err := tx.nextDocNumber(ctx, d)
				if err != nil {
					return err
				}
				d.SetNumber(n)
			} else {
				// A number given by hand moves the sequence past it.
				if _, err := tx.ExecContext(ctx, `INSERT INTO doc_counters (issuer_unit_id, issuer_code, type, term_start, last) VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (issuer_unit_id, issuer_code, type, term_start) DO UPDATE
					SET last = CASE WHEN doc_counters.last < excluded.last THEN excluded.last ELSE doc_counters.last END`,
					d.IssuerUnitID, d.IssuerCode, d.Type, d.TermStart, d.Seq); err != nil {
					return fmt.Errorf("counter: %w", err)
				}
			}
			seq = d.Seq
		}
		sf := d.SearchFields()
		d.PublishedAt, d.UpdatedAt, d.Version = tx.Now, tx.Now, 1
		var createdBy any
		if d.CreatedBy != 0 {
			createdBy = d.CreatedBy
		}
		taken := apperr.Keyed(apperr.Conflict, "doc.already_number_another_document", "%s is already the number of another document of this issuer in this term", d.Number)
		id, err := insertOrTaken(ctx, tx, taken, "insert document", `INSERT INTO documents (kind, type, seq, number, issuer_code, issuer_unit_id, term_start, issued_on, category, featured,
			title, summary, body, audience_unit_id, audience_roles, version, search_title, search_number, search_summary, search_body, created_by, published_at, updated_at,
			signer_name, signer_deputy)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17, $18, $19, $20, $21, $21, $22, $23)`,
			string(d.Kind), d.Type, seq, d.Number, d.IssuerCode, d.IssuerUnitID, termStart, d.IssuedOn, d.Category, d.Featured,
			d.Title, d.Summary, d.Body, d.Audience.UnitID, d.Audience.RolesKey(), sf.Title, sf.Number, sf.Summary, sf.Body, createdBy, tx.Now,
			d.Signer.Name, d.Signer.Deputy)
		if err != nil {
			return err
		}
		d.ID = id
		if err := tx.insertRevision(ctx, d, a.Actor); err != nil {
			return err
		}
		if err := tx.insertDocScopes(ctx, d); err != nil {
			return err
		}
		a.ObjectID, a.After = id, d
		return tx.audit(ctx, a)
	})
}

func (tx *Tx) insertRevision(ctx context.Context, d *doc.Document, actor *auth.Actor) error {
	var account any
	username := ""
	if actor != nil {
		if actor.AccountID != 0 {
			account = actor.AccountID
		}
		username = actor.Username
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO doc_revisions (document_id, version, title, summary, body, account_id, username, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, d.Version, d.Title, d.Summary, d.Body, account, username, tx.Now)
	if err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

// Revise saves a new revision of the text if version still matches.
func (db Docs) Revise(ctx context.Context, d *doc.Document, version int, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		sf := d.SearchFields()
		res, err := tx.ExecContext(ctx, `UPDATE documents SET title = $1, summary = $2, body = $3, search_title = $4, search_summary = $5, search_body = $6,
			version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			d.Title, d.Summary, d.Body, sf.Title, sf.Summary, sf.Body, tx.Now, d.ID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "doc.document_was_changed_someone", "the document was changed by someone else (version %d is stale): reload and try again", version)
		}
		d.Version, d.UpdatedAt = version+1, tx.Now
		if err := tx.insertRevision(ctx, d, a.Actor); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// SetFeatured features a piece of news or stops featuring it; the
// text and its version are unchanged.
func (db Docs) SetFeatured(ctx context.Context, id int64, on bool, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET featured = $1, updated_at = $2 WHERE id = $3`, on, tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.NotFound, "doc.news_not_found", "news %d not found", id)
		}
		// The featured news' index ranges (migration 0033) follow.
		if _, err := tx.ExecContext(ctx, `UPDATE doc_scopes SET featured = $1 WHERE doc_id = $2`, on, id); err != nil {
			return fmt.Errorf("doc scopes: %w", err)
		}
		return tx.audit(ctx, a)
	})
}

// docColumns are the columns of a document; body is a parameter so that
// lists can leave it out.
func docColumns(body string) string {
	return `d.id, d.kind, d.type, d.seq, d.number, d.issuer_code, d.issuer_unit_id, d.term_start, d.issued_on, d.category, d.featured,
	d.title, d.summary, ` + body + `, d.audience_unit_id, d.audience_roles, au.path, au.name, d.version, d.published_at, d.updated_at, d.created_by,
	d.signer_name, d.signer_deputy`
}

func scanDoc(sc interface{ Scan(...any) error }, extra ...any) (*doc.Document, error) {
	var d doc.Document
	var seq, createdBy sql.NullInt64
	var roles string
	dest := []any{&d.ID, &d.Kind, &d.Type, &seq, &d.Number, &d.IssuerCode, &d.IssuerUnitID, &d.TermStart, &d.IssuedOn, &d.Category, &d.Featured,
		&d.Title, &d.Summary, &d.Body, &d.Audience.UnitID, &roles, &d.Audience.Path, &d.Audience.UnitName, &d.Version, &d.PublishedAt, &d.UpdatedAt, &createdBy,
		&d.Signer.Name, &d.Signer.Deputy}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	d.Seq, d.CreatedBy = int(seq.Int64), createdBy.Int64
	d.Audience.Roles = doc.ParseRolesKey(roles)
	d.TypeLabel = doc.Label(d.Type)
	d.PublishedAt, d.UpdatedAt = d.PublishedAt.UTC(), d.UpdatedAt.UTC()
	return &d, nil
}

// Document returns a document or news with its audience's path.
func (db Docs) Document(ctx context.Context, id int64) (*doc.Document, error) {
	d, err := scanDoc(db.read.QueryRowContext(ctx, `SELECT `+docColumns("d.body")+` FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE d.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "document %d not found", id)
	}
	return d, nil
}

// Revisions lists the revisions of a document, newest first, without bodies.
func (db Docs) Revisions(ctx context.Context, id int64) ([]doc.Revision, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (doc.Revision, error) {
		var r doc.Revision
		err := rows.Scan(&r.DocumentID, &r.Version, &r.Title, &r.Summary, &r.CreatedAt, &r.CreatedBy)
		r.CreatedAt = r.CreatedAt.UTC()
		return r, err
	}, `SELECT document_id, version, title, summary, created_at, username FROM doc_revisions WHERE document_id = $1 ORDER BY version DESC`, id)
}

// Revision returns one revision with its body.
func (db Docs) Revision(ctx context.Context, id int64, version int) (*doc.Revision, error) {
	var r doc.Revision
	err := db.read.QueryRowContext(ctx, `SELECT document_id, version, title, summary, body, created_at, username FROM doc_revisions WHERE document_id = $1 AND version = $2`, id, version).
		Scan(&r.DocumentID, &r.Version, &r.Title, &r.Summary, &r.Body, &r.CreatedAt, &r.CreatedBy)
	if err != nil {
		return nil, notFound(err, "revision %d of document %d not found", version, id)
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return &r, nil
}

// readableSQL is the SQL form of doc.Reach.MayRead for the row d (joined to
// its audience unit): audiences on the units of the reader's path are found
// by id (d.audience_unit_id IN (ids on the path), a handful), audiences
// inside a grant's subtree by a range scan of units.path.
func readableSQL(args *argList, r doc.Reach) string {
	if r.All {
		return "1 = 1"
	}
	rolesOK := func(role auth.Role) string {
		return "(d.audience_roles = '' OR d.audience_roles LIKE " + args.add("%,"+string(role)+",%") + ")"
	}
	var ors []string
	if r.MemberPath != "" {
		ors = append(ors, "(d.audience_unit_id IN "+idList(doc.AncestorIDs(r.MemberPath))+" AND "+rolesOK(auth.RoleMember)+")")
	}
	for _, g := range r.Grants {
		above := "d.audience_unit_id IN " + idList(doc.AncestorIDs(g.UnitPath))
		within := "(au.path >= " + args.add(g.UnitPath) + " AND au.path < " + args.add(prefixEnd(g.UnitPath)) + ")"
		if containsRole(doc.Officers, g.Role) {
			ors = append(ors, "("+within+" OR ("+above+" AND "+rolesOK(g.Role)+"))")
		} else {
			ors = append(ors, "(("+within+" OR "+above+") AND "+rolesOK(g.Role)+")")
		}
	}
	if len(ors) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

func containsRole(rs []auth.Role, r auth.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// ftsMatch returns the condition that d matches the query, per dialect.
func (db *DB) ftsMatch(args *argList, q doc.Query) string {
	if db.dialect == postgresDialect {
		return "d.search_vector @@ to_tsquery('simple', " + args.add(tsQuery(q)) + ")"
	}
	return "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH " + args.add(fts5Query(q)) + ")"
}

// fts5Query writes a query for SQLite FTS5: every word must occur (the
// last may be a prefix); a number and symbol is a phrase. Words are
// [a-z0-9]+ (doc.SearchText), so quoting them is enough.
func fts5Query(q doc.Query) string {
	return ftsQuery(q, func(w string, prefix bool) string {
		if prefix {
			return `"` + w + `"*`
		}
		return `"` + w + `"`
	}, func(words []string) string { return `"` + strings.Join(words, " ") + `"` }, " OR ", " AND ")
}

// tsQuery writes the same query for PostgreSQL's to_tsquery('simple', …).
func tsQuery(q doc.Query) string {
	word := func(w string, prefix bool) string {
		if prefix {
			return "'" + w + "':*"
		}
		return "'" + w + "'"
	}
	return ftsQuery(q, word, func(words []string) string {
		for i, w := range words {
			words[i] = word(w, false)
		}
		return strings.Join(words, " <-> ")
	}, " | ", " & ")
}

// ftsQuery writes q in one engine's syntax (fts5Query, tsQuery): each
// word (the last one marked when it is a prefix) and, for each number,
// its alternatives as phrases (of its space-separated words) joined by
// or, all of them joined by and.
func ftsQuery(q doc.Query, word func(w string, prefix bool) string, phrase func(words []string) string, or, and string) string {
	var parts []string
	for i, t := range q.Terms {
		parts = append(parts, word(t, q.Prefix && i == len(q.Terms)-1))
	}
	for _, alts := range q.Numbers {
		ps := make([]string, len(alts))
		for i, a := range alts {
			ps[i] = phrase(strings.Split(a, " "))
		}
		parts = append(parts, "("+strings.Join(ps, or)+")")
	}
	return strings.Join(parts, and)
}

// List returns one page of the documents or news a reader may
// read, newest first, with the reader's state of each. A list by reach
// reads doc_scopes (listByScopes: a page is a few index ranges, the count
// stops at docCountBound); a search starts from the documents that match
// and the bookmarks from the account's bookmarks (listMatching), their
// count stopping at docCountBound as well.
func (db Docs) List(ctx context.Context, f doc.ListFilter) (*page.Of[doc.Document], error) {
	if f.Query.Empty() && !f.Bookmarked {
		return db.listByScopes(ctx, f, docCountBound)
	}
	return db.listMatching(ctx, f, docCountBound)
}

// listMatching is the list of a search or of the bookmarks: the matching
// (bookmarked) documents in reach, newest first; the count reads up to
// bound+1 of them and then says "at least bound" (docs/api.md).
//
// long: it writes the conditions of every filter once, for the count and
// the page together, as the list before it did; the count's bound is the
// one change (issue 17, session 7).
func (db Docs) listMatching(ctx context.Context, f doc.ListFilter, bound int) (*page.Of[doc.Document], error) {
	var args argList
	where := []string{readableSQL(&args, f.Reach)}
	if f.Kind != "" {
		where = append(where, "d.kind = "+args.add(string(f.Kind)))
	}
	if f.Type != "" {
		where = append(where, "d.type = "+args.add(f.Type))
	}
	if f.IssuerUnitID != 0 {
		where = append(where, "d.issuer_unit_id = "+args.add(f.IssuerUnitID))
	}
	if f.Year != 0 {
		where = append(where, "d.issued_on >= "+args.add(date.New(f.Year, 1, 1))+" AND d.issued_on < "+args.add(date.New(f.Year+1, 1, 1)))
	}
	if f.Category != "" {
		where = append(where, "d.category = "+args.add(f.Category))
	}
	if f.Featured {
		where = append(where, "d.featured = "+args.add(true))
	}
	if !f.Query.Empty() {
		where = append(where, db.ftsMatch(&args, f.Query))
	}
	if f.Unread && f.Reach.MemberID != 0 {
		where = append(where, "NOT EXISTS (SELECT 1 FROM doc_receipts r WHERE r.document_id = d.id AND r.member_id = "+args.add(f.Reach.MemberID)+" AND r.version = d.version)")
	}
	if f.Bookmarked {
		where = append(where, "d.id IN (SELECT b.document_id FROM doc_bookmarks b WHERE b.account_id = "+args.add(f.AccountID)+")")
	}
	from := ` FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE ` + strings.Join(where, " AND ")
	pa := append(argList{}, args...)
	cond := ""
	if f.Cursor != "" {
		on, id, err := decodeDateCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		cond = " AND (d.issued_on < " + pa.add(on) + " OR (d.issued_on = " + pa.add(on) + " AND d.id < " + pa.add(id) + "))"
	}
	readExpr := "0"
	if f.Reach.MemberID != 0 {
		readExpr = "COALESCE((SELECT MAX(r.version) FROM doc_receipts r WHERE r.document_id = d.id AND r.member_id = " + pa.add(f.Reach.MemberID) + "), 0)"
	}
	bookExpr := "CASE WHEN EXISTS (SELECT 1 FROM doc_bookmarks b WHERE b.document_id = d.id AND b.account_id = " + pa.add(f.AccountID) + ") THEN 1 ELSE 0 END"
	count := `SELECT COUNT(*) FROM (SELECT d.id` + from + ` LIMIT ` + strconv.Itoa(bound+1) + `) c`
	if f.NoTotal {
		count = ""
	}
	p, err := readList(ctx, db.DB, listQuery[doc.Document]{What: "documents",
		Count: count, CountArgs: args,
		Page: `SELECT ` + docColumns("''") + `, ` + readExpr + `, ` + bookExpr + from + cond + ` ORDER BY d.issued_on DESC, d.id DESC`, PageArgs: pa, Limit: f.Limit,
		Scan: func(rows *sql.Rows) (doc.Document, error) {
			var readVersion, bookmarked int
			d, err := scanDoc(rows, &readVersion, &bookmarked)
			if err != nil {
				return doc.Document{}, err
			}
			d.ReadVersion, d.Bookmarked = readVersion, bookmarked == 1
			return *d, nil
		},
		Next: func(last doc.Document) string { return encodeDateCursor(last.IssuedOn, last.ID) }})
	if err == nil && p.Total > bound {
		p.Total, p.TotalAtLeast = bound, true
	}
	return p, err
}

// RecordReceipt records a member's first read of a revision. A read of
// a revision already recorded costs one indexed read and no write.
func (db Docs) RecordReceipt(ctx context.Context, docID, memberID int64, version int) error {
	var one int
	err := db.read.QueryRowContext(ctx, `SELECT 1 FROM doc_receipts WHERE document_id = $1 AND member_id = $2 AND version = $3`, docID, memberID, version).Scan(&one)
	if err == nil {
		return nil
	}
	if err != sql.ErrNoRows {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO doc_receipts (document_id, member_id, version, read_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			docID, memberID, version, tx.Now)
		return err
	})
}

// ReaderState returns the newest revision the member read and whether
// the account bookmarked the document.
func (db Docs) ReaderState(ctx context.Context, docID, memberID, accountID int64) (int, bool, error) {
	var rv, bm int
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(version) FROM doc_receipts WHERE document_id = $1 AND member_id = $2), 0),
		(SELECT COUNT(*) FROM doc_bookmarks WHERE document_id = $1 AND account_id = $3)`, docID, memberID, accountID).Scan(&rv, &bm)
	return rv, bm > 0, err
}

// expectedSQL restricts members m to those the audience expects: all of
// them when it takes members, else those whose account holds one of its roles.
func expectedSQL(args *argList, a doc.Audience) string {
	if takesMembers(a) {
		return ""
	}
	marks := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		marks[i] = args.add(string(r))
	}
	return ` AND EXISTS (SELECT 1 FROM accounts ac JOIN account_roles ar ON ar.account_id = ac.id
		WHERE ac.member_id = m.id AND ar.role IN (` + strings.Join(marks, ",") + `))`
}

// ReadRollup counts the members the document expects and those who read
// its current revision, for the subtree at path and for the subtree of each
// child of its top unit. An audience of members (the usual case) is read
// from the per-subtree counters (migration 0025: subtree_member_counts and
// subtree_read_counts, kept by triggers in each write's transaction): one
// statement reading a few rows per child, whatever the subtree's size. An
// audience limited to roles is counted from the members themselves
// (readCountsScan): the counters do not know accounts' roles.
func (db Docs) ReadRollup(ctx context.Context, d *doc.Document, path string) (*doc.ReadRollup, error) {
	top := pathUnitID(path)
	if !takesMembers(d.Audience) {
		cells, err := db.readCountsScan(ctx, d, path)
		if err != nil {
			return nil, err
		}
		return rollupCells(path, cells), nil
	}
	out := &doc.ReadRollup{Total: doc.CellCount{UnitID: top, Path: path}}
	err := queryEach(ctx, db.read, func(rows *sql.Rows) error {
		c, err := scanCellCount(rows)
		if c.UnitID == top {
			out.Total = c
		} else {
			out.Children = append(out.Children, c)
		}
		return err
	}, `SELECT u.id, u.path,
			COALESCE((SELECT SUM(c.n) FROM subtree_member_counts c WHERE c.unit_id = u.id AND c.status IN ('probationary', 'full', 'exempt')), 0),
			COALESCE((SELECT r.n FROM subtree_read_counts r WHERE r.document_id = $1 AND r.version = $2 AND r.unit_id = u.id), 0)
		FROM units u WHERE u.id = $3 OR u.parent_id = $3`, d.ID, d.Version, top)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	return out, nil
}

func scanCellCount(rows *sql.Rows) (doc.CellCount, error) {
	var c doc.CellCount
	return c, rows.Scan(&c.UnitID, &c.Path, &c.Expected, &c.Read)
}

// rollupCells sums per-unit counts of the subtree at path into the
// subtree's total and its top unit's children.
func rollupCells(path string, cells []doc.CellCount) *doc.ReadRollup {
	out := &doc.ReadRollup{Total: doc.CellCount{UnitID: pathUnitID(path), Path: path}}
	byChild := map[int64]int{}
	for _, c := range cells {
		out.Total.Expected += c.Expected
		out.Total.Read += c.Read
		if !strings.HasPrefix(c.Path, path) || len(c.Path) == len(path) {
			continue
		}
		seg, _, _ := strings.Cut(c.Path[len(path):], "/")
		id, _ := strconv.ParseInt(seg, 10, 64)
		i, ok := byChild[id]
		if !ok {
			i = len(out.Children)
			byChild[id] = i
			out.Children = append(out.Children, doc.CellCount{UnitID: id, Path: path + seg + "/"})
		}
		out.Children[i].Expected += c.Expected
		out.Children[i].Read += c.Read
	}
	return out
}

// pathUnitID is the id of the unit at the end of a path ("/1/5/23/" → 23).
func pathUnitID(path string) int64 {
	p := strings.TrimSuffix(path, "/")
	id, _ := strconv.ParseInt(p[strings.LastIndexByte(p, '/')+1:], 10, 64)
	return id
}

// takesMembers tells whether an audience expects every active member of
// its subtree (no role restriction).
func takesMembers(a doc.Audience) bool {
	return len(a.Roles) == 0 || containsRole(a.Roles, auth.RoleMember)
}

// readCountsScan counts, in one GROUP BY over the members of the subtree
// at path (a range scan of units.path) with a LEFT JOIN to the receipts of
// the current revision, the members expected and those who read, per unit.
// It is the roll-up of audiences limited to roles (summed by
// rollupCells), and the oracle the counters are tested against.
func (db Docs) readCountsScan(ctx context.Context, d *doc.Document, path string) ([]doc.CellCount, error) {
	var args argList
	q := `SELECT mu.id, mu.path, COUNT(*), COUNT(r.member_id)
		FROM members m JOIN units mu ON mu.id = m.unit_id
		LEFT JOIN doc_receipts r ON r.document_id = ` + args.add(d.ID) + ` AND r.member_id = m.id AND r.version = ` + args.add(d.Version) + `
		WHERE mu.path >= ` + args.add(path) + ` AND mu.path < ` + args.add(prefixEnd(path)) + ` AND m.status IN ('probationary', 'full', 'exempt')` +
		expectedSQL(&args, d.Audience) + ` GROUP BY mu.id, mu.path`
	out, err := queryAll(ctx, queryFunc(db.queryHeavy), scanCellCount, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	return out, nil
}

// NotRead pages through the expected members of the subtree at path who
// have not read the current revision, cell by cell (in tree order) and in
// Vietnamese name order within a cell: that order follows the indexes
// (units.path, then members by unit and sort key), so a page costs what it
// shows, not the size of the subtree. Total is left to the caller, who has
// it from the counts.
func (db Docs) NotRead(ctx context.Context, d *doc.Document, path string, limit int, cursor string) (*page.Of[doc.ReaderRef], error) {
	var args argList
	lo := path
	var cond string
	if cursor != "" {
		cp, key, id, err := decodeNotReadCursor(cursor)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(cp, path) {
			lo = cp
		}
		p, k := args.add(cp), args.add(key)
		cond = ` AND (mu.path > ` + p + ` OR (mu.path = ` + p + ` AND (m.sort_key > ` + k + ` OR (m.sort_key = ` + k + ` AND m.id > ` + args.add(id) + `))))`
	}
	q := `SELECT m.id, m.full_name, mu.id, mu.name, mu.path, m.sort_key FROM members m JOIN units mu ON mu.id = m.unit_id
		WHERE mu.path >= ` + args.add(lo) + ` AND mu.path < ` + args.add(prefixEnd(path)) + ` AND m.status IN ('probationary', 'full', 'exempt')
		AND NOT EXISTS (SELECT 1 FROM doc_receipts r WHERE r.document_id = ` + args.add(d.ID) + ` AND r.member_id = m.id AND r.version = ` + args.add(d.Version) + `)` +
		expectedSQL(&args, d.Audience) + cond + ` ORDER BY mu.path, m.sort_key, m.id`
	paths := map[int64]string{} // the cell of each member read, for the cursor
	return readList(ctx, db.DB, listQuery[doc.ReaderRef]{What: "not read", Page: q, PageArgs: args, Limit: limit,
		Scan: func(rows *sql.Rows) (doc.ReaderRef, error) {
			var r doc.ReaderRef
			var p string
			err := rows.Scan(&r.ID, &r.FullName, &r.UnitID, &r.UnitName, &p, &r.SortKey)
			paths[r.ID] = p
			return r, err
		},
		Next: func(last doc.ReaderRef) string { return encodeNotReadCursor(paths[last.ID], last.SortKey, last.ID) }})
}

func encodeNotReadCursor(path string, key []byte, id int64) string {
	b := binary.AppendUvarint(nil, uint64(len(path)))
	b = append(b, path...)
	b = binary.AppendVarint(b, id)
	return sealCursor(append(b, key...))
}

func decodeNotReadCursor(s string) (string, []byte, int64, error) {
	bad := apperr.BadCursor()
	b, ok := openCursor(s)
	if !ok {
		return "", nil, 0, bad
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, 0, bad
	}
	path := string(b[k : k+int(n)])
	b = b[k+int(n):]
	id, k := binary.Varint(b)
	if k <= 0 || id <= 0 || !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		return "", nil, 0, bad
	}
	return path, b[k:], id, nil
}

// AddAttachment records an attachment's metadata.
func (db Docs) AddAttachment(ctx context.Context, at *doc.Attachment, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		at.CreatedAt = tx.Now
		var account any
		if at.AccountID != 0 {
			account = at.AccountID
		}
		id, err := insertID(ctx, tx, `INSERT INTO doc_attachments (document_id, name, media_type, size, sha256, account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			at.DocumentID, at.Name, at.MediaType, at.Size, at.SHA256, account, tx.Now)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		at.ID = id
		return tx.audit(ctx, a)
	})
}

const attachmentColumns = `id, document_id, name, media_type, size, sha256, created_at`

func scanAttachment(sc interface{ Scan(...any) error }) (*doc.Attachment, error) {
	var at doc.Attachment
	err := sc.Scan(&at.ID, &at.DocumentID, &at.Name, &at.MediaType, &at.Size, &at.SHA256, &at.CreatedAt)
	at.CreatedAt = at.CreatedAt.UTC()
	return &at, err
}

// Attachments lists a document's attachments in upload order.
func (db Docs) Attachments(ctx context.Context, docID int64) ([]doc.Attachment, error) {
	return queryAll(ctx, db.read, values(scanAttachment), `SELECT `+attachmentColumns+` FROM doc_attachments WHERE document_id = $1 ORDER BY id`, docID)
}

// Attachment returns one attachment of a document.
func (db Docs) Attachment(ctx context.Context, docID, id int64) (*doc.Attachment, error) {
	at, err := scanAttachment(db.read.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM doc_attachments WHERE document_id = $1 AND id = $2`, docID, id))
	if err != nil {
		return nil, notFound(err, "attachment %d not found", id)
	}
	return at, nil
}

// Note returns an account's note on a document.
func (db Docs) Note(ctx context.Context, docID, accountID int64) (*doc.Note, error) {
	n := doc.Note{DocumentID: docID, AccountID: accountID}
	var at time.Time
	err := db.read.QueryRowContext(ctx, `SELECT body, updated_at FROM doc_notes WHERE document_id = $1 AND account_id = $2`, docID, accountID).Scan(&n.Body, &at)
	if err != nil {
		return nil, notFound(err, "no note")
	}
	at = at.UTC()
	n.UpdatedAt = &at
	return &n, nil
}

// PutNote saves (or, when empty, deletes) an account's note.
func (db Docs) PutNote(ctx context.Context, n *doc.Note, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var err error
		if n.Body == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM doc_notes WHERE document_id = $1 AND account_id = $2`, n.DocumentID, n.AccountID)
			n.UpdatedAt = nil
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO doc_notes (document_id, account_id, body, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (document_id, account_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, n.DocumentID, n.AccountID, n.Body, tx.Now)
			now := tx.Now
			n.UpdatedAt = &now
		}
		if err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// SetBookmark adds or removes a bookmark.
func (db Docs) SetBookmark(ctx context.Context, docID, accountID int64, on bool, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var err error
		if on {
			_, err = tx.ExecContext(ctx, `INSERT INTO doc_bookmarks (account_id, document_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, accountID, docID, tx.Now)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM doc_bookmarks WHERE account_id = $1 AND document_id = $2`, accountID, docID)
		}
		if err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// AddNewsComment inserts a comment; the audit entry keeps its text.
func (db Docs) AddNewsComment(ctx context.Context, c *doc.Comment, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var member any
		if c.MemberID != 0 {
			member = c.MemberID
			var name string
			if err := tx.QueryRowContext(ctx, `SELECT full_name FROM members WHERE id = $1`, c.MemberID).Scan(&name); err == nil {
				c.Author = name
			}
		}
		c.CreatedAt = tx.Now
		id, err := insertID(ctx, tx, `INSERT INTO news_comments (news_id, account_id, member_id, username, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.NewsID, c.AccountID, member, a.Actor.Username, c.Body, tx.Now)
		if err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		c.ID = id
		a.ObjectID, a.After = id, c
		return tx.audit(ctx, a)
	})
}

const commentColumns = `c.id, c.news_id, COALESCE(c.account_id, 0), COALESCE(c.member_id, 0), COALESCE(m.full_name, c.username), c.body, c.created_at, c.hidden_at`

func scanComment(sc interface{ Scan(...any) error }) (*doc.Comment, error) {
	var c doc.Comment
	var hidden sql.NullTime
	if err := sc.Scan(&c.ID, &c.NewsID, &c.AccountID, &c.MemberID, &c.Author, &c.Body, &c.CreatedAt, &hidden); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	if hidden.Valid {
		t := hidden.Time.UTC()
		c.HiddenAt = &t
	}
	return &c, nil
}

// NewsComments pages through the visible comments of a piece of news,
// oldest first.
func (db Docs) NewsComments(ctx context.Context, newsID int64, limit int, cursor string) (*page.Of[doc.Comment], error) {
	after := int64(0)
	if cursor != "" {
		key, id, err := decodeCursor(cursor)
		if err == nil && len(key) > 0 {
			err = apperr.BadCursor()
		}
		if err != nil {
			return nil, err
		}
		after = id
	}
	return readList(ctx, db.DB, listQuery[doc.Comment]{What: "comments",
		Count: `SELECT COUNT(*) FROM news_comments WHERE news_id = $1 AND hidden_at IS NULL`, CountArgs: []any{newsID},
		Page: `SELECT ` + commentColumns + ` FROM news_comments c LEFT JOIN members m ON m.id = c.member_id
			WHERE c.news_id = $1 AND c.hidden_at IS NULL AND c.id > $2 ORDER BY c.id`, PageArgs: argList{newsID, after}, Limit: limit,
		Scan: func(rows *sql.Rows) (doc.Comment, error) {
			c, err := scanComment(rows)
			if err != nil {
				return doc.Comment{}, err
			}
			return *c, nil
		},
		Next: func(last doc.Comment) string { return encodeCursor(nil, last.ID) }})
}

// NewsComment returns a comment, hidden or not.
func (db Docs) NewsComment(ctx context.Context, id int64) (*doc.Comment, error) {
	c, err := scanComment(db.read.QueryRowContext(ctx, `SELECT `+commentColumns+` FROM news_comments c LEFT JOIN members m ON m.id = c.member_id WHERE c.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "comment %d not found", id)
	}
	return c, nil
}

// HideNewsComment hides a comment; the row and the audit trail keep it.
func (db Docs) HideNewsComment(ctx context.Context, c *doc.Comment, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE news_comments SET hidden_at = $1, hidden_by = $2 WHERE id = $3 AND hidden_at IS NULL`,
			tx.Now, c.HiddenBy, c.ID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}
