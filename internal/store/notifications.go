package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/notify"
)

// Notifications is the store of notify.Store: the inbox and the digest.
type Notifications struct{ *DB }

// The inbox and the digest (see internal/notify for the model: stored
// notifications plus "new document for you" derived from the audiences).

var (
	_ notify.Store  = Notifications{}
	_ notify.Writer = (*Tx)(nil)
)

// InsertNotifications writes notifications in one transaction.
func (db Notifications) InsertNotifications(ctx context.Context, ns []notify.New, at time.Time) (int, error) {
	var n int
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.InsertNotifications(ctx, ns, at)
		return err
	})
	return n, err
}

// InsertNotifications writes notifications inside tx, so that they exist
// if and only if the change that causes them commits (use
// notify.SendIn). A notification whose event key is already taken is
// skipped; it returns how many it wrote.
func (tx *Tx) InsertNotifications(ctx context.Context, ns []notify.New, at time.Time) (int, error) {
	if len(ns) == 0 {
		return 0, nil
	}
	st, err := tx.prepared(ctx, `INSERT INTO notifications (account_id, member_id, kind, title, body, link, event_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`)
	if err != nil {
		return 0, err
	}
	at = jobs.DBTime(at)
	written := 0
	for _, n := range ns {
		var id int64
		err := st.QueryRowContext(ctx, nullID(n.AccountID), nullID(n.MemberID), n.Kind, n.Title, n.Body, n.Link, nullIfEmpty(n.EventKey), at).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return written, fmt.Errorf("insert notification: %w", err)
		default:
			written++
		}
	}
	return written, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// memberOrNone is the member id for "n.member_id = $x": -1 matches nothing.
func memberOrNone(id int64) int64 {
	if id == 0 {
		return -1
	}
	return id
}

func splitKinds(s string) []string {
	var out []string
	for _, k := range strings.Split(strings.Trim(s, ","), ",") {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// State returns an account's creation, its "mark all read"
// watermark, its digest settings and its member's e-mail address.
func (db Notifications) State(ctx context.Context, accountID int64) (*notify.State, error) {
	var st notify.State
	var readAll sql.NullTime
	var off string
	err := db.read.QueryRowContext(ctx, `SELECT a.created_at, s.read_all_at, COALESCE(s.digest_off, ''), COALESCE(m.email, '')
		FROM accounts a LEFT JOIN notification_settings s ON s.account_id = a.id LEFT JOIN members m ON m.id = a.member_id
		WHERE a.id = $1`, accountID).Scan(&st.CreatedAt, &readAll, &off, &st.Email)
	if err != nil {
		return nil, notFound(err, "account %d not found", accountID)
	}
	st.CreatedAt = st.CreatedAt.UTC()
	if readAll.Valid {
		st.ReadAllAt = readAll.Time.UTC()
	}
	st.DigestOff = splitKinds(off)
	return &st, nil
}

// keyset is the condition that a row of source src (1 stored, 0 derived)
// with time column at and id column id comes after p in inbox order
// (newest first; at one instant stored before derived; then id, all
// descending).
func keyset(args *argList, src int, at, id string, p *notify.Position) string {
	if p == nil {
		return ""
	}
	t := args.add(p.At)
	switch {
	case src == p.Src:
		return " AND (" + at + " < " + t + " OR (" + at + " = " + t + " AND " + id + " < " + args.add(p.ID) + "))"
	case src < p.Src: // a derived row after a stored position: same instant included
		return " AND " + at + " <= " + t
	default: // a stored row after a derived position: strictly older
		return " AND " + at + " < " + t
	}
}

// storedOwner is the condition that notification n is the reader's.
func storedOwner(args *argList, r notify.Reader) string {
	return "(n.account_id = " + args.add(r.AccountID) + " OR n.member_id = " + args.add(memberOrNone(r.MemberID)) + ")"
}

// Stored returns a page of the notifications to the reader's
// account or member, newest first.
func (db Notifications) Stored(ctx context.Context, r notify.Reader, q notify.Query) ([]notify.Item, error) {
	query, args := storedPageSQL(db.dialect, r, q)
	out, err := queryAll(ctx, db.read, func(rows *sql.Rows) (notify.Item, error) {
		var it notify.Item
		var id int64
		var read int
		err := rows.Scan(&id, &it.Kind, &it.Title, &it.Body, &it.Link, &it.CreatedAt, &read)
		it.ID, it.CreatedAt, it.Read = strconv.FormatInt(id, 10), it.CreatedAt.UTC(), read == 1
		return it, err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	return out, nil
}

// storedPageSQL is the SQL of a page of the reader's stored notifications
// (issue 17): one index range in inbox order for the account's
// (notifications_account_page) and one for the member's that are not
// also the account's (notifications_member_page), each stopping after the
// page, merged. An OR of the two would make SQLite read the whole inbox
// and sort it.
func storedPageSQL(d dialect, r notify.Reader, q notify.Query) (string, argList) {
	var args argList
	arm := func(owner string) string {
		where := owner
		if q.UnreadOnly {
			where += " AND n.read_at IS NULL"
		}
		if !q.Since.IsZero() {
			where += " AND n.created_at >= " + args.add(q.Since)
		}
		if !q.Until.IsZero() {
			where += " AND n.created_at < " + args.add(q.Until)
		}
		where += keyset(&args, 1, "n.created_at", "n.id", q.After)
		sel := `SELECT n.id, n.kind, n.title, n.body, n.link, n.created_at, CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END AS rd
		FROM notifications n WHERE ` + where
		if d != sqliteDialect {
			// PostgreSQL sorts a UNION ALL of arms with WHERE clauses of
			// their own: each arm stops at the page, and only those rows
			// are sorted.
			sel = `(` + sel + ` ORDER BY n.created_at DESC, n.id DESC LIMIT ` + args.add(q.Limit) + `)`
		}
		return sel
	}
	parts := []string{arm("n.account_id = " + args.add(r.AccountID))}
	if r.MemberID != 0 {
		parts = append(parts, arm("n.member_id = "+args.add(r.MemberID)+" AND (n.account_id IS NULL OR n.account_id <> "+args.add(r.AccountID)+")"))
	}
	u := strings.Join(parts, " UNION ALL ")
	if d == sqliteDialect {
		// A compound SELECT whose ORDER BY SQLite merges (MERGE).
		return u + ` ORDER BY 6 DESC, 1 DESC LIMIT ` + args.add(q.Limit), args
	}
	return `SELECT x.* FROM (` + u + `) x ORDER BY x.created_at DESC, x.id DESC LIMIT ` + args.add(q.Limit), args
}

// forYouSQL is the condition that document d is addressed to the reader:
// to a unit on the path of their member's cell taking members, or to a
// unit on the path of one of their roles' units taking that role. Each is
// an IN over the few ids of one path, read through the index on
// (audience_unit_id, kind, updated_at). It is a subset of what the reader
// may read (doc.Reach.MayRead).
func forYouSQL(args *argList, r notify.Reader) string {
	rolesOK := func(role auth.Role) string {
		return "(d.audience_roles = '' OR d.audience_roles LIKE " + args.add("%,"+string(role)+",%") + ")"
	}
	var ors []string
	if r.MemberPath != "" && r.MemberID != 0 {
		ors = append(ors, "(d.audience_unit_id IN "+idList(doc.AncestorIDs(r.MemberPath))+" AND "+rolesOK(auth.RoleMember)+")")
	}
	for _, g := range r.Grants {
		ors = append(ors, "(d.audience_unit_id IN "+idList(doc.AncestorIDs(g.UnitPath))+" AND "+rolesOK(g.Role)+")")
	}
	if len(ors) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// derivedWhere is the condition of the reader's derived items.
func derivedWhere(args *argList, r notify.Reader) string {
	return "d.kind = 'document' AND " + forYouSQL(args, r) + " AND d.updated_at > " + args.add(r.Since) +
		" AND (d.created_by IS NULL OR d.created_by <> " + args.add(r.AccountID) + ")"
}

// derivedRead is the condition that a derived item is read: older than
// the account's watermark, read by its member (a receipt of the current
// revision), or marked read by the account for that revision.
func derivedRead(args *argList, r notify.Reader) string {
	var reads []string
	if !r.ReadAllAt.IsZero() {
		reads = append(reads, "d.updated_at <= "+args.add(r.ReadAllAt))
	}
	if r.MemberID != 0 {
		reads = append(reads, "EXISTS (SELECT 1 FROM doc_receipts rc WHERE rc.document_id = d.id AND rc.member_id = "+args.add(r.MemberID)+" AND rc.version = d.version)")
	}
	reads = append(reads, "EXISTS (SELECT 1 FROM notification_doc_reads x WHERE x.account_id = "+args.add(r.AccountID)+" AND x.document_id = d.id AND x.version >= d.version)")
	return "(" + strings.Join(reads, " OR ") + ")"
}

// DerivedDocuments returns a page of the reader's "new document" items,
// newest first (by the last publication or revision).
func (db Notifications) DerivedDocuments(ctx context.Context, r notify.Reader, q notify.Query) ([]notify.Item, error) {
	query, args := derivedPageSQL(db.dialect, r, q)
	out, err := queryAll(ctx, db.read, func(rows *sql.Rows) (notify.Item, error) {
		it := notify.Item{Kind: notify.NewDocument}
		var read int
		err := rows.Scan(&it.DocumentID, &it.Title, &it.Number, &it.Body, &it.Version, &it.CreatedAt, &read)
		it.ID, it.Link, it.CreatedAt, it.Read = notify.DocItemID(it.DocumentID), notify.DocumentLink(it.DocumentID), it.CreatedAt.UTC(), read == 1
		return it, err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("new documents: %w", err)
	}
	// The page's few rows in inbox order (the join keeps no order).
	slices.SortFunc(out, func(a, b notify.Item) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.DocumentID, a.DocumentID)
	})
	return out, nil
}

// derivedPageSQL is the SQL of a page of the reader's derived items
// (issue 17): one range of documents_audience_updated per unit of the
// reader's paths (derivedArms), each read newest first and stopping after
// the page, merged. Before, an IN over the units read every document of
// them since the start of the view and sorted them (a district's office:
// 3,772 documents for a page of 21, 10–18 ms).
func derivedPageSQL(d dialect, r notify.Reader, q notify.Query) (string, argList) {
	var args argList
	read := derivedRead(&args, r)
	limit := 0
	if d != sqliteDialect {
		limit = q.Limit
	}
	arms := derivedArms(&args, r, limit, func(args *argList) string {
		where := ""
		if q.UnreadOnly {
			where += " AND NOT " + derivedRead(args, r)
		}
		if !q.Since.IsZero() {
			where += " AND d.updated_at >= " + args.add(q.Since)
		}
		if !q.Until.IsZero() {
			where += " AND d.updated_at < " + args.add(q.Until)
		}
		return where + keyset(args, 0, "d.updated_at", "d.id", q.After)
	})
	if len(arms) == 0 {
		return `SELECT d.id, d.title, d.number, d.summary, d.version, d.updated_at, 0 FROM documents d WHERE 1 = 0`, args
	}
	u := strings.Join(arms, " UNION ALL ")
	if d == sqliteDialect {
		// A compound SELECT whose ORDER BY SQLite merges (MERGE).
		u += ` ORDER BY updated_at DESC, id DESC LIMIT ` + args.add(q.Limit)
	} else {
		u = `SELECT x.id FROM (` + u + `) x ORDER BY x.updated_at DESC, x.id DESC LIMIT ` + args.add(q.Limit)
	}
	return `SELECT d.id, d.title, d.number, d.summary, d.version, d.updated_at, CASE WHEN ` + read + ` THEN 1 ELSE 0 END
		FROM (SELECT p.id FROM (` + u + `) p) p JOIN documents d ON d.id = p.id`, args
}

// derivedArms are the ranges of the reader's derived items: for each unit
// on the reader's paths (their member's cell and each unit above it,
// taking members; each role's unit and each unit above it, taking the
// role), the documents addressed to it since the start of the view,
// newest first (documents_audience_updated), whose roles are one the
// reader holds there, not published by the reader, and meeting more
// (its conditions on d, written by more); each stopping at limit rows
// when limit > 0. The units are distinct, so each document is in one
// range.
func derivedArms(args *argList, r notify.Reader, limit int, more func(*argList) string) []string {
	roles := map[int64][]auth.Role{}
	var units []int64
	at := func(path string, role auth.Role) {
		for _, id := range doc.AncestorIDs(path) {
			if _, ok := roles[id]; !ok {
				units = append(units, id)
			}
			if !slices.Contains(roles[id], role) {
				roles[id] = append(roles[id], role)
			}
		}
	}
	if r.MemberPath != "" && r.MemberID != 0 {
		at(r.MemberPath, auth.RoleMember)
	}
	for _, g := range r.Grants {
		at(g.UnitPath, g.Role)
	}
	var arms []string
	for _, u := range units {
		ok := []string{"d.audience_roles = ''"}
		for _, role := range roles[u] {
			ok = append(ok, "d.audience_roles LIKE "+args.add("%,"+string(role)+",%"))
		}
		arm := `SELECT d.id, d.updated_at FROM documents d WHERE d.audience_unit_id = ` + args.add(u) + ` AND d.kind = 'document' AND d.updated_at > ` + args.add(r.Since) +
			` AND (` + strings.Join(ok, " OR ") + `) AND (d.created_by IS NULL OR d.created_by <> ` + args.add(r.AccountID) + `)` + more(args)
		if limit > 0 {
			// PostgreSQL sorts a UNION ALL of arms with WHERE clauses of
			// their own: each arm stops at the page.
			arm = `(` + arm + ` ORDER BY d.updated_at DESC, d.id DESC LIMIT ` + args.add(limit) + `)`
		}
		arms = append(arms, arm)
	}
	return arms
}

// CountStored counts the reader's stored notifications and the unread,
// each up to notify.CountBound (issue 17): the account's and the
// member's (not also the account's) each an index range that stops at the
// bound (notifications_*_page for all, the partial
// notifications_*_unread for the unread), never the whole inbox.
func (db Notifications) CountStored(ctx context.Context, r notify.Reader) (notify.Counts, error) {
	q, args := storedCountSQL(r)
	var c notify.Counts
	var all, unread [2]int
	if err := db.read.QueryRowContext(ctx, q, args...).Scan(&all[0], &unread[0], &all[1], &unread[1]); err != nil {
		return c, fmt.Errorf("count notifications: %w", err)
	}
	for i := range 2 {
		c.Total, c.Unread = c.Total+min(all[i], notify.CountBound), c.Unread+min(unread[i], notify.CountBound)
		c.TotalAtLeast = c.TotalAtLeast || all[i] > notify.CountBound
		c.UnreadAtLeast = c.UnreadAtLeast || unread[i] > notify.CountBound
	}
	return c, nil
}

// storedCountSQL counts each range of the reader's stored notifications
// (all and unread, the account's and the member's) up to one row past
// notify.CountBound.
func storedCountSQL(r notify.Reader) (string, argList) {
	var args argList
	bound := args.add(notify.CountBound + 1)
	acc, mem := args.add(r.AccountID), args.add(memberOrNone(r.MemberID))
	count := func(where string) string {
		return `(SELECT COUNT(*) FROM (SELECT 1 FROM notifications n WHERE ` + where + ` LIMIT ` + bound + `) c)`
	}
	member := `n.member_id = ` + mem + ` AND (n.account_id IS NULL OR n.account_id <> ` + acc + `)`
	return `SELECT ` + count(`n.account_id = `+acc) + `, ` + count(`n.account_id = `+acc+` AND n.read_at IS NULL`) + `, ` +
		count(member) + `, ` + count(member+` AND n.read_at IS NULL`), args
}

// derivedCountSQL counts the reader's derived items, and the unread among
// them, up to one row past notify.CountBound: the newest of each range of
// derivedArms, each stopping at the bound, then the bound over all of
// them. Read or not is checked against the member's receipts and the
// account's marks as two sets built once (derivedReadSets), not looked up
// for each row.
func derivedCountSQL(d dialect, r notify.Reader) (string, argList) {
	var args argList
	bound := notify.CountBound + 1
	arms := derivedArms(&args, r, 0, func(*argList) string { return "" })
	if len(arms) == 0 {
		return `SELECT 0, 0`, args
	}
	for i, arm := range arms {
		// Each range read in its order, so that it is read through
		// documents_audience_updated and stops at the bound.
		arms[i] = `SELECT c.id, c.version, c.updated_at FROM (` + strings.Replace(arm, "SELECT d.id, d.updated_at FROM", "SELECT d.id, d.version, d.updated_at FROM", 1) +
			` ORDER BY d.updated_at DESC, d.id DESC LIMIT ` + args.add(bound) + `) c`
	}
	return `SELECT COUNT(*), COALESCE(SUM(CASE WHEN ` + derivedReadSets(d, &args, r, "c") + ` THEN 0 ELSE 1 END), 0) FROM (SELECT c.id, c.version, c.updated_at FROM (` +
		strings.Join(arms, " UNION ALL ") + `) c LIMIT ` + args.add(bound) + `) c`, args
}

// derivedReadSets is derivedRead on the rows c (id, version, updated_at)
// of a count. On PostgreSQL the receipts of the member and the marks of
// the account are each a set built once per statement (a hash), probed
// for each row. On SQLite each row probes the primary keys instead: the
// sets were ephemeral indexes built on every call from all the member's
// receipts (3,648 in the city: about 1.4 ms, more than the probes of the
// count's 1,001 rows; docs/benchmarks.md, r21-unread). A mark or receipt
// is never of a revision newer than the document's, so "x.version >=
// d.version" is "the same revision".
func derivedReadSets(d dialect, args *argList, r notify.Reader, c string) string {
	var reads []string
	if !r.ReadAllAt.IsZero() {
		reads = append(reads, c+".updated_at <= "+args.add(r.ReadAllAt))
	}
	if d == sqliteDialect {
		if r.MemberID != 0 {
			reads = append(reads, "EXISTS (SELECT 1 FROM doc_receipts rc WHERE rc.document_id = "+c+".id AND rc.member_id = "+args.add(r.MemberID)+" AND rc.version >= "+c+".version)")
		}
		reads = append(reads, "EXISTS (SELECT 1 FROM notification_doc_reads x WHERE x.account_id = "+args.add(r.AccountID)+" AND x.document_id = "+c+".id AND x.version >= "+c+".version)")
		return "(" + strings.Join(reads, " OR ") + ")"
	}
	if r.MemberID != 0 {
		reads = append(reads, "("+c+".id, "+c+".version) IN (SELECT rc.document_id, rc.version FROM doc_receipts rc WHERE rc.member_id = "+args.add(r.MemberID)+")")
	}
	reads = append(reads, "("+c+".id, "+c+".version) IN (SELECT x.document_id, x.version FROM notification_doc_reads x WHERE x.account_id = "+args.add(r.AccountID)+")")
	return "(" + strings.Join(reads, " OR ") + ")"
}

// CountDerived counts the reader's derived items and the unread among
// the first notify.CountBound+1 of them: past the bound, both are lower
// bounds.
func (db Notifications) CountDerived(ctx context.Context, r notify.Reader) (notify.Counts, error) {
	var c notify.Counts
	q, args := derivedCountSQL(db.dialect, r)
	if err := db.read.QueryRowContext(ctx, q, args...).Scan(&c.Total, &c.Unread); err != nil {
		return c, fmt.Errorf("count new documents: %w", err)
	}
	if c.Total > notify.CountBound {
		c.Total, c.TotalAtLeast, c.UnreadAtLeast = notify.CountBound, true, true
		c.Unread = min(c.Unread, notify.CountBound)
	}
	return c, nil
}

// MarkStoredRead marks the listed notifications of the reader read; those
// already read keep their first read time. It returns how many of the ids
// are the reader's.
func (db Notifications) MarkStoredRead(ctx context.Context, r notify.Reader, ids []int64, at time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, $1)
			WHERE id IN `+idList(ids)+` AND (account_id = $2 OR member_id = $3)`, jobs.DBTime(at), r.AccountID, memberOrNone(r.MemberID))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// MarkDocumentRead records that the account marked the derived item of a
// document read, for its current revision.
func (db Notifications) MarkDocumentRead(ctx context.Context, r notify.Reader, docID int64, at time.Time) error {
	var args argList
	where := derivedWhere(&args, r)
	var version int
	err := db.read.QueryRowContext(ctx, `SELECT d.version FROM documents d WHERE d.id = `+args.add(docID)+` AND `+where, args...).Scan(&version)
	if err != nil {
		return notFound(err, "notification %s not found", notify.DocItemID(docID))
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_doc_reads (account_id, document_id, version, read_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id, document_id) DO UPDATE SET version = excluded.version, read_at = excluded.read_at`,
			r.AccountID, docID, version, jobs.DBTime(at))
		return err
	})
}

// MarkDocumentsRead is MarkDocumentRead for many documents in one
// statement; documents that are not the reader's derived items are left
// out. It returns how many were marked.
func (db Notifications) MarkDocumentsRead(ctx context.Context, r notify.Reader, docIDs []int64, at time.Time) (int, error) {
	if len(docIDs) == 0 {
		return 0, nil
	}
	var args argList
	acc, when := args.add(r.AccountID), args.add(jobs.DBTime(at))
	where := derivedWhere(&args, r)
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notification_doc_reads (account_id, document_id, version, read_at)
			SELECT `+acc+`, d.id, d.version, `+when+` FROM documents d WHERE d.id IN `+idList(docIDs)+` AND `+where+`
			ON CONFLICT (account_id, document_id) DO UPDATE SET version = excluded.version, read_at = excluded.read_at`, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// MarkAllRead marks the reader's stored notifications read and moves the
// account's watermark, in one transaction.
func (db Notifications) MarkAllRead(ctx context.Context, r notify.Reader, at time.Time) (int, error) {
	at = jobs.DBTime(at)
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE read_at IS NULL AND (account_id = $2 OR member_id = $3)`,
			at, r.AccountID, memberOrNone(r.MemberID))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notification_settings (account_id, read_all_at, updated_at) VALUES ($1, $2, $2)
			ON CONFLICT (account_id) DO UPDATE SET read_all_at = excluded.read_all_at, updated_at = excluded.updated_at`, r.AccountID, at)
		return err
	})
	return int(n), err
}

// PutDigestOff replaces the kinds an account left out of its digest.
func (db Notifications) PutDigestOff(ctx context.Context, accountID int64, off []string, at time.Time) error {
	key := ""
	if len(off) > 0 {
		key = "," + strings.Join(off, ",") + ","
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_settings (account_id, digest_off, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (account_id) DO UPDATE SET digest_off = excluded.digest_off, updated_at = excluded.updated_at`, accountID, key, jobs.DBTime(at))
		return err
	})
}

// DigestAccounts returns up to limit enabled accounts after the id after
// whose member is active and has an e-mail address, with their roles.
func (db Notifications) DigestAccounts(ctx context.Context, after int64, limit int) ([]notify.DigestAccount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.id, a.username, m.id, m.full_name, m.email, u.path, a.created_at, s.read_all_at, COALESCE(s.digest_off, '')
		FROM accounts a JOIN members m ON m.id = a.member_id JOIN units u ON u.id = m.unit_id
		LEFT JOIN notification_settings s ON s.account_id = a.id
		WHERE a.id > $1 AND a.disabled = $2 AND m.email <> '' AND m.status IN ('probationary', 'full', 'exempt')
		ORDER BY a.id LIMIT $3`, after, false, limit)
	if err != nil {
		return nil, fmt.Errorf("digest accounts: %w", err)
	}
	var out []notify.DigestAccount
	byID := map[int64]int{}
	for rows.Next() {
		var a notify.DigestAccount
		var created time.Time
		var readAll sql.NullTime
		var off string
		if err := rows.Scan(&a.AccountID, &a.Username, &a.MemberID, &a.FullName, &a.Email, &a.MemberPath, &created, &readAll, &off); err != nil {
			rows.Close()
			return nil, err
		}
		if readAll.Valid {
			a.ReadAllAt = readAll.Time.UTC()
		}
		a.DigestOff = splitKinds(off)
		byID[a.AccountID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, a := range out {
		ids[i] = a.AccountID
	}
	err = queryEach(ctx, db.read, func(rows *sql.Rows) error {
		var id int64
		var g auth.Grant
		if err := rows.Scan(&id, &g.UnitID, &g.Role, &g.UnitPath); err != nil {
			return err
		}
		a := &out[byID[id]]
		a.Grants = append(a.Grants, g)
		return nil
	}, `SELECT ar.account_id, ar.unit_id, ar.role, u.path FROM account_roles ar JOIN units u ON u.id = ar.unit_id
		WHERE ar.account_id IN `+idList(ids)+` AND u.dissolved_on IS NULL ORDER BY ar.account_id, u.path`)
	if err != nil {
		return nil, fmt.Errorf("digest roles: %w", err)
	}
	return out, nil
}

// NewsCommenters returns the accounts with a visible comment on a piece of
// news, other than except, latest commenter first.
func (db Notifications) NewsCommenters(ctx context.Context, newsID, except int64, limit int) ([]int64, error) {
	return queryAll(ctx, db.read, scanValue[int64], `SELECT account_id FROM news_comments
		WHERE news_id = $1 AND account_id IS NOT NULL AND account_id <> $2 AND hidden_at IS NULL
		GROUP BY account_id ORDER BY MAX(id) DESC LIMIT $3`, newsID, except, limit)
}

// EnqueueJobs writes jobs in one transaction and returns how many were
// new.
func (db Notifications) EnqueueJobs(ctx context.Context, js []jobs.Job) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		for _, j := range js {
			ok, err := tx.Enqueue(ctx, j)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	return n, err
}
