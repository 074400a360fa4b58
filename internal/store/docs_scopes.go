package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
)

// The documents list (issue 17) reads doc_scopes, not documents: one row
// per document and per key (rel, scope, role) under which a reader finds
// it, carrying its kind and issue date, so that a reader's list is a few
// index ranges of the primary key newest first (issued_on, doc_id) that
// stop after the page. The keys:
//
//	'u', unit, role  the audience is the unit and takes the role ('*': the
//	                 audience names no roles, everyone in it)
//	's', unit, ''    the audience is the unit or below it, whatever its
//	                 roles (what an officer of the unit supervises); 's',
//	                 0, '': every document (the system)
//	's', unit, role  the audience is the unit or below it and takes the
//	                 role ('*' as above)
//
// A reader (doc.Reach) is a union of keys, the same rule as MayRead: the
// member's cell and each unit above it, taking members; for each grant,
// the subtree of its unit (any roles for an officer, else the role's) and
// each unit above it taking the role. Documents are never re-addressed or
// re-dated, so their rows are written once, with the document; a unit
// moved in the tree moves the 's' rows of the documents addressed in its
// subtree (moveDocScopes).

// docScopeKey is one key of doc_scopes.
type docScopeKey struct {
	rel   string
	scope int64
	role  string
}

// docCountBound is where the documents list stops counting: above it,
// Total is docCountBound and TotalAtLeast is set (docs/api.md).
const docCountBound = 1000

// docRowKeys are the keys of a document addressed to the unit at path
// with roles (none: everyone).
func docRowKeys(path string, roles []auth.Role) []docScopeKey {
	toks := []string{"*"}
	if len(roles) > 0 {
		toks = toks[:0]
		for _, r := range roles {
			toks = append(toks, string(r))
		}
	}
	ids := doc.AncestorIDs(path)
	keys := []docScopeKey{{"s", 0, ""}}
	for _, t := range toks {
		keys = append(keys, docScopeKey{"u", ids[len(ids)-1], t})
	}
	for _, a := range ids {
		keys = append(keys, docScopeKey{"s", a, ""})
		for _, t := range toks {
			keys = append(keys, docScopeKey{"s", a, t})
		}
	}
	return keys
}

// insertDocScopes writes the rows of a new document.
func (tx *Tx) insertDocScopes(ctx context.Context, d *doc.Document) error {
	var path string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, d.Audience.UnitID).Scan(&path); err != nil {
		return fmt.Errorf("doc scopes: %w", err)
	}
	seen := map[docScopeKey]bool{}
	var args argList
	var rows []string
	for _, k := range docRowKeys(path, d.Audience.Roles) {
		if seen[k] {
			continue
		}
		seen[k] = true
		rows = append(rows, `(`+args.add(k.rel)+`, `+args.add(k.scope)+`, `+args.add(k.role)+`, `+args.add(string(d.Kind))+`, `+args.add(d.IssuedOn)+`, `+args.add(d.ID)+
			`, `+args.add(d.Type)+`, `+args.add(d.IssuerUnitID)+`, `+args.add(d.Category)+`, `+args.add(d.Featured)+`)`)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO doc_scopes (rel, scope, role, kind, issued_on, doc_id, type, issuer_unit_id, category, featured) VALUES `+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("doc scopes: %w", err)
	}
	return nil
}

// moveDocScopes keeps the 's' rows in step when the unit at newPath
// (before: oldPath) moves with its subtree: the documents addressed in it
// (its own 's' rows, which the move leaves alone) leave the units above
// its old place and join those above the new one. Called by moveSubtree.
func (tx *Tx) moveDocScopes(ctx context.Context, oldPath, newPath string) error {
	oldUp, newUp := doc.AncestorIDs(oldPath), doc.AncestorIDs(newPath)
	moved := newUp[len(newUp)-1]
	oldUp, newUp = oldUp[:len(oldUp)-1], newUp[:len(newUp)-1]
	if len(oldUp) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_scopes WHERE rel = 's' AND scope IN `+idList(oldUp)+`
			AND doc_id IN (SELECT doc_id FROM doc_scopes WHERE rel = 's' AND scope = $1 AND role = '')`, moved); err != nil {
			return err
		}
	}
	if len(newUp) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO doc_scopes (rel, scope, role, kind, issued_on, doc_id, type, issuer_unit_id, category, featured)
		SELECT 's', a.id, s.role, s.kind, s.issued_on, s.doc_id, s.type, s.issuer_unit_id, s.category, s.featured FROM doc_scopes s JOIN units a ON a.id IN `+idList(newUp)+`
		WHERE s.rel = 's' AND s.scope = $1`, moved)
	return err
}

// docScopedUnit is a unit on a reader's path: its id and its path.
type docScopedUnit struct {
	id   int64
	path string
}

// pathUnits returns the units on a materialised path, root first, each
// with its own path ("/1/7/42/" → 1 "/1/", 7 "/1/7/", 42 "/1/7/42/").
func pathUnits(path string) []docScopedUnit {
	var out []docScopedUnit
	p := "/"
	for _, id := range doc.AncestorIDs(path) {
		p += strconv.FormatInt(id, 10) + "/"
		out = append(out, docScopedUnit{id, p})
	}
	return out
}

// docReachKeys are the keys whose union is what the reader may read
// (doc.Reach.MayRead): nil when nothing. disjoint says no document can be
// under two of them, so that a count need not remove duplicates.
//
// long: it is the one place that turns doc.Reach.MayRead into index keys,
// in the order of MayRead (all, the member's own path, each grant), then
// drops the keys an officer's subtree already covers and decides
// disjoint; the three steps share the keys and read best together.
func docReachKeys(r doc.Reach) (out []docScopeKey, disjoint bool) {
	if r.All {
		return []docScopeKey{{"s", 0, ""}}, true
	}
	type keyAt struct {
		k    docScopeKey
		path string
	}
	var keys []keyAt
	var supervised []string // subtrees an officer reads whole
	at := func(u docScopedUnit, role auth.Role) {
		keys = append(keys, keyAt{docScopeKey{"u", u.id, "*"}, u.path}, keyAt{docScopeKey{"u", u.id, string(role)}, u.path})
	}
	if r.MemberPath != "" {
		for _, u := range pathUnits(r.MemberPath) {
			at(u, auth.RoleMember)
		}
	}
	for _, g := range r.Grants {
		us := pathUnits(g.UnitPath)
		if len(us) == 0 {
			continue
		}
		own := us[len(us)-1]
		if containsRole(doc.Officers, g.Role) {
			keys = append(keys, keyAt{docScopeKey{"s", own.id, ""}, own.path})
			supervised = append(supervised, own.path)
		} else {
			keys = append(keys, keyAt{docScopeKey{"s", own.id, "*"}, own.path}, keyAt{docScopeKey{"s", own.id, string(g.Role)}, own.path})
		}
		for _, u := range us[:len(us)-1] {
			at(u, g.Role)
		}
	}
	// A key inside a subtree an officer reads whole adds nothing (unless
	// it is that subtree's own key).
	seen := map[docScopeKey]bool{}
	var kept []keyAt
	for _, k := range keys {
		if seen[k.k] {
			continue
		}
		inside := false
		for _, s := range supervised {
			if strings.HasPrefix(k.path, s) && !(k.k.rel == "s" && k.k.role == "" && k.path == s) {
				inside = true
			}
		}
		if !inside {
			seen[k.k] = true
			kept = append(kept, k)
			out = append(out, k.k)
		}
	}
	// Two keys may share a document when their roles may both be the
	// document's ('' is any; '*' is a document without roles, which no
	// named role shares) and their audiences may be one: the same unit
	// ('u'), a unit in a subtree ('u' in 's'), or nested subtrees.
	rolesMeet := func(a, b string) bool {
		return a == "" || b == "" || (a == "*") == (b == "*")
	}
	disjoint = true
	for i, a := range kept {
		for _, b := range kept[i+1:] {
			if !rolesMeet(a.k.role, b.k.role) {
				continue
			}
			switch {
			case a.k.rel == "u" && b.k.rel == "u":
				disjoint = disjoint && a.k.scope != b.k.scope
			case a.k.rel == "s" && b.k.rel == "s":
				disjoint = disjoint && !strings.HasPrefix(a.path, b.path) && !strings.HasPrefix(b.path, a.path)
			case a.k.rel == "s":
				disjoint = disjoint && !strings.HasPrefix(b.path, a.path)
			default:
				disjoint = disjoint && !strings.HasPrefix(a.path, b.path)
			}
		}
	}
	return out, disjoint
}

// docListPlan is the SQL of one documents list: the bounded count and the
// page, each a union of index ranges of doc_scopes.
type docListPlan struct {
	count, page         string
	countArgs, pageArgs argList
	empty               bool
	// unread: the count answers the documents read and the unread among
	// them (docUnreadScan).
	unread bool
	// generic: on PostgreSQL both statements run with a generic plan
	// (plan_cache_mode = force_generic_plan), for an unread list whose
	// ranges are the primary key's (no filter picks an index).
	generic bool
	// newest is the page's documents alone (doc_id, issued_on: its first
	// f.Limit+1 of the reach, newest first) with its arguments, for a
	// list that is not unread: the documents search walks it
	// (docs_search.go).
	newest     string
	newestArgs argList
}

// docListSQL writes the SQL of a list by reach (not a search, not the
// bookmarks: those start from their own, narrower, set).
//
// long: it writes one statement, the page and the bounded count from the
// same ranges, in the order the SQL reads (reach keys, filters, cursor,
// order, limits); split, the count and the page could drift apart, and
// the plans are checked as a whole in lists_plan_test.go.
func docListSQL(db *DB, f doc.ListFilter, bound int) (*docListPlan, error) {
	var cursorOn date.Date
	var cursorID int64
	if f.Cursor != "" {
		var err error
		if cursorOn, cursorID, err = decodeDateCursor(f.Cursor); err != nil {
			return nil, err
		}
	}
	keys, disjoint := docReachKeys(f.Reach)
	kinds := []string{string(f.Kind)}
	if f.Kind == "" {
		kinds = []string{string(doc.KindDocument), string(doc.KindNews)}
	}
	if len(keys) == 0 {
		return &docListPlan{empty: true}, nil
	}
	// The filters doc_scopes carries (migration 0033): the first of
	// issuer, type, category and featured picks the index whose range
	// holds only its value in the list's order; the others are checked on
	// the rows of that range.
	drive, filters := docFilterIndex(f)
	// unread is the reader's own: on the page, a receipt look-up on each
	// row of a range (unreadRow); the count checks the newest
	// docUnreadScan documents of the reach, on PostgreSQL against two
	// sets at once (unreadSQL), on SQLite by probes (unreadProbeSQL).
	unread := f.Unread && f.Reach.MemberID != 0
	// unreadRow is the unread check on each row of the page's ranges: on
	// PostgreSQL a look-up of the row's receipts against the statement's
	// set of stale ones (unreadArmSQL, the set in the page's WITH), on
	// SQLite two index probes (unreadProbeSQL).
	unreadRow := func(args *argList, col string) string {
		if db.dialect == sqliteDialect {
			return unreadProbeSQL(args, f.Reach.MemberID, col)
		}
		return unreadArmSQL(args, f.Reach.MemberID, "stale")
	}
	from := `doc_scopes s`
	if drive != "" && db.dialect == sqliteDialect {
		from += ` INDEXED BY ` + drive
	}
	// arms are the reader's ranges, each read in the list's order: the
	// page's from the cursor on, with unread checked on each row; a
	// count's (count) up to bound+1 rows; stopping at limit rows when
	// limit > 0.
	arms := func(args *argList, forPage, count bool, limit int) []string {
		var parts []string
		for _, k := range keys {
			for _, kind := range kinds {
				w := []string{`s.rel = ` + args.add(k.rel), `s.scope = ` + args.add(k.scope), `s.role = ` + args.add(k.role), `s.kind = ` + args.add(kind)}
				for _, fl := range filters {
					w = append(w, fl(args))
				}
				if f.Year != 0 {
					w = append(w, `s.issued_on >= `+args.add(date.New(f.Year, 1, 1)), `s.issued_on < `+args.add(date.New(f.Year+1, 1, 1)))
				}
				if forPage && f.Cursor != "" {
					w = append(w, `(s.issued_on, s.doc_id) < (`+args.add(cursorOn)+`, `+args.add(cursorID)+`)`)
				}
				if forPage && unread {
					w = append(w, unreadRow(args, "s.doc_id"))
				}
				arm := `SELECT s.doc_id, s.issued_on FROM ` + from + ` WHERE ` + strings.Join(w, " AND ")
				if count {
					// The count reads each range up to one row past the
					// bound: a range holds each document once, so one that
					// reaches it says "more than bound" by itself. In the
					// list's order, so that the range is read through the
					// index the page reads (the primary key, or the
					// filter's) and stops there: without it PostgreSQL
					// read a city's range through any index of the key,
					// or the table, and sorted nothing but kept reading
					// (11 ms for the city office's 2,002 rows).
					arm = `SELECT c.doc_id FROM (` + arm + ` ORDER BY s.issued_on DESC, s.doc_id DESC LIMIT ` + args.add(bound+1) + `) c`
				}
				if limit > 0 {
					// PostgreSQL sorts a UNION ALL of arms with WHERE
					// clauses of their own: each arm stops at limit.
					arm = `(` + arm + ` ORDER BY s.issued_on DESC, s.doc_id DESC LIMIT ` + args.add(limit) + `)`
				}
				parts = append(parts, arm)
			}
		}
		return parts
	}
	// first is the first rows documents of the merge of arms, newest
	// first. They are its first rows rows when each document is there once
	// (disjoint keys); else, on SQLite, UNION drops the copies in the merge
	// (SQLite merges a UNION as it merges a UNION ALL), and on PostgreSQL
	// the copies of a document under several keys are adjacent in the
	// merge and DISTINCT ON drops them there (a Unique over the Merge
	// Append; on the tests' empty tables a UNION made PostgreSQL read the
	// documents first), so that a page joins rows documents, not up to
	// rows per range.
	first := func(args *argList, parts []string, rows int) string {
		switch {
		case db.dialect == sqliteDialect && !disjoint:
			return strings.Join(parts, " UNION ") + ` ORDER BY issued_on DESC, doc_id DESC LIMIT ` + args.add(rows)
		case db.dialect == sqliteDialect:
			// A compound SELECT whose ORDER BY SQLite merges (MERGE).
			return strings.Join(parts, " UNION ALL ") + ` ORDER BY issued_on DESC, doc_id DESC LIMIT ` + args.add(rows)
		case !disjoint:
			return `SELECT DISTINCT ON (u.issued_on, u.doc_id) u.doc_id, u.issued_on FROM (` + strings.Join(parts, " UNION ALL ") + `) u ORDER BY u.issued_on DESC, u.doc_id DESC LIMIT ` + args.add(rows)
		default:
			return `SELECT u.doc_id, u.issued_on FROM (` + strings.Join(parts, " UNION ALL ") + `) u ORDER BY u.issued_on DESC, u.doc_id DESC LIMIT ` + args.add(rows)
		}
	}
	// limited is rows on PostgreSQL, whose arms must stop by themselves.
	limited := func(rows int) int {
		if db.dialect == sqliteDialect {
			return 0
		}
		return rows
	}
	// An unread list's custom plans cost more than their execution: the
	// page planned its eight to ten arms with their anti-joins in 1.4–1.8
	// ms of PostgreSQL's CPU per call and the count in 0.6 ms, against
	// 1.1–1.2 and 1.0 ms to execute the generic plans (city member and
	// cell officer, docs/benchmarks.md session 10); PostgreSQL used
	// custom plans for the first five calls on each connection, and kept
	// them when the generic one's estimate was no better. The generic
	// plans read the same ranges of doc_scopes_pkey (TestDocListPlans
	// checks the plans; TestDocUnreadGenericPlans that they are generic).
	p := &docListPlan{unread: unread, generic: unread && drive == "" && db.dialect == postgresDialect}
	switch {
	case unread && db.dialect == sqliteDialect:
		// SQLite: the reader's newest docUnreadScan×bound documents, each
		// checked by two probes (unreadProbeSQL), not against the two sets
		// of unreadSQL: SQLite built those on every call, an ephemeral
		// index of the member's receipts (3,648 in the city: 1.4 ms) and
		// the stale set from the same receipts, each read from the table
		// for its version (0.6 ms), where the probes of 1,000 rows cost
		// 0.7–1.0 ms (docs/benchmarks.md, r21-unread).
		newest := first(&p.countArgs, arms(&p.countArgs, false, false, 0), docUnreadScan*bound)
		p.count = `SELECT COUNT(*), COALESCE(SUM(CASE WHEN ` + unreadProbeSQL(&p.countArgs, f.Reach.MemberID, "c.doc_id") + ` THEN 1 ELSE 0 END), 0) FROM (` + newest + `) c`
	case unread:
		// The unread among the reader's newest docUnreadScan×bound documents,
		// and how many those are (docs/api.md): one pass over them, each
		// checked against the two sets of unreadSQL, built once. Before,
		// the count looked up each row's document and receipt until 1,001
		// unread were found: the whole reach of a member who has read
		// most of it (4,047 rows, 12 ms of PostgreSQL's CPU in the city).
		newest := first(&p.countArgs, arms(&p.countArgs, false, false, limited(docUnreadScan*bound)), docUnreadScan*bound)
		p.count = `SELECT COUNT(*), COALESCE(SUM(CASE WHEN ` + unreadSQL(&p.countArgs, f.Reach.MemberID, "c.doc_id") + ` THEN 1 ELSE 0 END), 0) FROM (` + newest + `) c`
	case disjoint:
		// Each document once in all the ranges: the count stops at one
		// row past the bound over all of them, so that the city's two
		// kinds read 1,001 rows, not 1,001 each.
		p.count = `SELECT COUNT(*) FROM (SELECT 1 FROM (` + strings.Join(arms(&p.countArgs, false, true, 0), " UNION ALL ") + `) c LIMIT ` + p.countArgs.add(bound+1) + `) c`
	default:
		p.count = `SELECT COUNT(DISTINCT c.doc_id) FROM (` + strings.Join(arms(&p.countArgs, false, true, 0), " UNION ALL ") + `) c` // a document may be under several keys
	}
	// with is the stale receipts of an unread page, one set for all its
	// arms (unreadArmSQL): written in each arm, PostgreSQL planned it once
	// per arm, and a custom plan of the city member's eight arms took
	// 12–19 ms of its CPU, against 1.5 ms for the statement's execution.
	with := ""
	if unread && db.dialect == postgresDialect {
		with = `WITH stale AS (` + unreadStale(p.pageArgs.add(f.Reach.MemberID)) + `) `
	}
	inner := first(&p.pageArgs, arms(&p.pageArgs, true, false, limited(f.Limit+1)), f.Limit+1)
	p.newest, p.newestArgs = inner, append(argList{}, p.pageArgs...)
	readExpr := "0"
	if f.Reach.MemberID != 0 {
		readExpr = "COALESCE((SELECT MAX(r.version) FROM doc_receipts r WHERE r.document_id = d.id AND r.member_id = " + p.pageArgs.add(f.Reach.MemberID) + "), 0)"
	}
	bookExpr := "CASE WHEN EXISTS (SELECT 1 FROM doc_bookmarks b WHERE b.document_id = d.id AND b.account_id = " + p.pageArgs.add(f.AccountID) + ") THEN 1 ELSE 0 END"
	p.page = with + `SELECT ` + docColumns("''") + `, ` + readExpr + `, ` + bookExpr + ` FROM (` + inner + `) p
	JOIN documents d ON d.id = p.doc_id JOIN units au ON au.id = d.audience_unit_id`
	return p, nil
}

// docUnreadScan is how many of the reader's newest documents the count of
// an unread list reads, per document of the count's bound (docs/api.md:
// 1,000 since session 10, was 5,000): the unread among them are counted,
// exactly when the reader may read fewer, else as a lower bound
// (TotalAtLeast). At 5,000 the city's member and cell officer (4,047
// documents) had an exact count that merged their whole reach: 2.1–2.7 ms
// of PostgreSQL's CPU, over half of the list's 6 ms (docs/benchmarks.md,
// session 10).
const docUnreadScan = 1

// unreadStale is the documents the member has a receipt of, all of an
// older revision than the document's: among the revised ones only
// (documents_revised, migration 0039), few.
func unreadStale(m string) string {
	return `SELECT r.document_id FROM doc_receipts r JOIN documents rv ON rv.id = r.document_id AND rv.version > 1 WHERE r.member_id = ` + m +
		` GROUP BY r.document_id HAVING MAX(r.version) < MAX(rv.version)`
}

// unreadArmSQL is the condition that the document of row s is unread by
// the member, checked on each row of a page's range: no receipt of its
// current revision, a look-up of its receipts (their primary key) that
// leaves out the stale ones (the statement's set stale, unreadStale),
// without reading the document (before, its row was read for its
// version).
func unreadArmSQL(args *argList, member int64, stale string) string {
	return `NOT EXISTS (SELECT 1 FROM doc_receipts r0 WHERE r0.document_id = s.doc_id AND r0.member_id = ` + args.add(member) +
		` AND r0.document_id NOT IN (SELECT document_id FROM ` + stale + `))`
}

// unreadProbeSQL is the condition that the document with id col is unread
// by the member, checked on its row by two index probes and no set: the
// document's current revision (documents_revised, whose rows are the
// revised documents: 1 for a document not there, as every document starts
// at revision 1) and the member's receipt of that revision (doc_receipts'
// primary key). SQLite's way (docListSQL): it builds the sets of
// unreadSQL and unreadStale on each call, from every receipt of the
// member, where the probes cost the rows checked; PostgreSQL keeps the
// sets (a hash of the receipts costs it less than 1,000 probes).
// INDEXED BY: the document's row by its rowid would read the table's
// pages, which hold the documents' texts.
func unreadProbeSQL(args *argList, member int64, col string) string {
	return `NOT EXISTS (SELECT 1 FROM doc_receipts r0 WHERE r0.document_id = ` + col + ` AND r0.member_id = ` + args.add(member) +
		` AND r0.version = COALESCE((SELECT rv.version FROM documents rv INDEXED BY documents_revised WHERE rv.id = ` + col + ` AND rv.version > 1), 1))`
}

// unreadSQL is the condition that the document with id col is unread by
// the member: no receipt of its current revision; PostgreSQL's count
// (SQLite's: unreadProbeSQL). It tests col against two sets that
// PostgreSQL builds once per statement (hashes) rather than looking up the
// document and its receipt for each row: the documents the member has a
// receipt of (doc_receipts_member), and the stale ones among them
// (unreadStale). SQLite built them too until r21-unread, as ephemeral
// indexes on every call: they cost it more than the probes.
func unreadSQL(args *argList, member int64, col string) string {
	m := args.add(member)
	return `(` + col + ` NOT IN (SELECT r.document_id FROM doc_receipts r WHERE r.member_id = ` + m + `) OR ` + col + ` IN (` + unreadStale(m) + `))`
}

// docFilterIndex returns the conditions on doc_scopes of the list's
// filters (issuer, type, category, featured: the columns of migration
// 0033) and the index of the first, whose range within a reader's key
// holds that value alone in the list's order ("": none, the primary key).
// The issuer comes first: one unit's documents are the fewest; featured
// last (a partial index of the featured rows).
func docFilterIndex(f doc.ListFilter) (index string, conds []func(*argList) string) {
	if f.IssuerUnitID != 0 {
		index = cmp.Or(index, "doc_scopes_issuer")
		conds = append(conds, func(a *argList) string { return "s.issuer_unit_id = " + a.add(f.IssuerUnitID) })
	}
	if f.Type != "" {
		index = cmp.Or(index, "doc_scopes_type")
		conds = append(conds, func(a *argList) string { return "s.type = " + a.add(f.Type) })
	}
	if f.Category != "" {
		index = cmp.Or(index, "doc_scopes_category")
		conds = append(conds, func(a *argList) string { return "s.category = " + a.add(f.Category) })
	}
	if f.Featured {
		index = cmp.Or(index, "doc_scopes_featured")
		conds = append(conds, func(*argList) string { return "s.featured" })
	}
	return index, conds
}

// listByScopes reads a documents list by reach from doc_scopes: the count
// up to bound (docCountBound) and the page, in one read snapshot.
func (db Docs) listByScopes(ctx context.Context, f doc.ListFilter, bound int) (*page.Of[doc.Document], error) {
	out := &page.Of[doc.Document]{Items: []doc.Document{}}
	f.Limit = page.Limit(f.Limit)
	p, err := docListSQL(db.DB, f, bound)
	if err != nil || p.empty {
		return out, err
	}
	err = db.readPrepared(ctx, func(q Querier) error {
		if p.generic {
			if _, err := q.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
				return fmt.Errorf("list documents: %w", err)
			}
		}
		if !f.NoTotal {
			if err := countDocs(ctx, q, p, bound, out); err != nil {
				return err
			}
		}
		seen := map[int64]bool{}
		err := queryEach(ctx, q, func(rows *sql.Rows) error {
			var readVersion, bookmarked int
			d, err := scanDoc(rows, &readVersion, &bookmarked)
			if err == nil && !seen[d.ID] { // under several keys
				seen[d.ID] = true
				d.ReadVersion, d.Bookmarked = readVersion, bookmarked == 1
				out.Items = append(out.Items, *d)
			}
			return err
		}, p.page, p.pageArgs...)
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b doc.Document) int {
		if c := strings.Compare(b.IssuedOn.String(), a.IssuedOn.String()); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	cutPage(out, f.Limit, func(last doc.Document) string { return encodeDateCursor(last.IssuedOn, last.ID) })
	return out, nil
}

// countDocs counts the list of p up to bound into out's total.
func countDocs(ctx context.Context, q Querier, p *docListPlan, bound int, out *page.Of[doc.Document]) error {
	var distinct, read int
	dest := []any{&distinct}
	if p.unread {
		dest = []any{&read, &distinct}
	}
	if err := q.QueryRowContext(ctx, p.count, p.countArgs...).Scan(dest...); err != nil {
		return fmt.Errorf("count documents: %w", err)
	}
	// Each range stopped one past the bound: more than bound in all when
	// one did, and every row read (an exact count) when none did. An
	// unread count read up to docUnreadScan×bound documents: a lower bound
	// when it read that many.
	out.Total = distinct
	if distinct > bound || read >= docUnreadScan*bound {
		out.Total, out.TotalAtLeast = min(distinct, bound), true
	}
	return nil
}
