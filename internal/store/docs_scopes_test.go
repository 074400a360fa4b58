package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestDocListPlans checks the documents list by reach (issue 17) on both
// engines: readers of every kind (a member, a cell officer, an office, two
// grants, a member role, the system), each filter of the list, first and
// next page, the page and the count: no temp B-tree for ORDER BY, no scan
// of a table, no sort that a Limit does not stop.
func TestDocListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		g := func(path string, r auth.Role) auth.Grant { return auth.Grant{UnitPath: path, Role: r} }
		readers := []struct {
			name string
			r    doc.Reach
		}{
			{"member", doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7}},
			{"cell-officer", doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7, Grants: []auth.Grant{g("/1/2/5/9/", auth.RoleCellOfficer)}}},
			{"office", doc.Reach{Grants: []auth.Grant{g("/1/2/", auth.RoleOffice)}}},
			{"two-grants", doc.Reach{Grants: []auth.Grant{g("/1/2/5/", auth.RoleCommittee), g("/1/3/", auth.RoleStandingCommittee)}}},
			{"member-role", doc.Reach{Grants: []auth.Grant{g("/1/2/6/", auth.RoleMember)}}},
			{"system", doc.Reach{All: true}},
		}
		cursor := encodeDateCursor(date.MustParse("2026-03-01"), 77)
		// index: the index of doc_scopes whose ranges a filtered list
		// reads, holding the filter's value alone (a rare value must not
		// walk the reader's whole range: migration 0033).
		filters := []struct {
			name  string
			f     doc.ListFilter
			index string
		}{
			{"documents", doc.ListFilter{Kind: doc.KindDocument}, ""},
			{"documents-next", doc.ListFilter{Kind: doc.KindDocument, Cursor: cursor}, ""},
			{"both-kinds", doc.ListFilter{}, ""},
			{"year-next", doc.ListFilter{Kind: doc.KindDocument, Year: 2026, Cursor: cursor}, ""},
			{"type", doc.ListFilter{Kind: doc.KindDocument, Type: "NQ"}, "doc_scopes_type"},
			{"type-next", doc.ListFilter{Kind: doc.KindDocument, Type: "NQ", Cursor: cursor}, "doc_scopes_type"},
			{"issuer", doc.ListFilter{Kind: doc.KindDocument, IssuerUnitID: 2}, "doc_scopes_issuer"},
			{"issuer-year-next", doc.ListFilter{IssuerUnitID: 2, Year: 2026, Cursor: cursor}, "doc_scopes_issuer"},
			{"type-issuer", doc.ListFilter{Kind: doc.KindDocument, Type: "NQ", IssuerUnitID: 2}, "doc_scopes_issuer"},
			{"unread", doc.ListFilter{Kind: doc.KindDocument, Unread: true}, ""},
			{"unread-type", doc.ListFilter{Kind: doc.KindDocument, Unread: true, Type: "CT"}, "doc_scopes_type"},
			{"news-category", doc.ListFilter{Kind: doc.KindNews, Category: "Tin"}, "doc_scopes_category"},
			{"news-featured", doc.ListFilter{Kind: doc.KindNews, Featured: true}, "doc_scopes_featured"},
			{"news-featured-category", doc.ListFilter{Kind: doc.KindNews, Featured: true, Category: "Tin"}, "doc_scopes_category"},
		}
		for _, r := range readers {
			for _, fl := range filters {
				t.Run(r.name+"/"+fl.name, func(t *testing.T) {
					f := fl.f
					f.Reach, f.AccountID, f.Limit = r.r, 3, 50
					p, err := docListSQL(db, f, docCountBound)
					if err != nil || p.empty {
						t.Fatalf("docListSQL: %v (empty %v)", err, p != nil && p.empty)
					}
					c.check(t, "page", p.page, p.pageArgs)
					c.check(t, "count", p.count, p.countArgs)
					checkDocReads(t, c, "page", p.page, p.pageArgs, fl.index)
					checkDocReads(t, c, "count", p.count, p.countArgs, fl.index)
					// On PostgreSQL a reader whose ranges may share a
					// document drops the copies in the merge (a Unique
					// over it), so that the page joins Limit+1 documents,
					// not up to Limit+1 per range.
					// An unread page builds the set of stale receipts once
					// for all its ranges: built in each, PostgreSQL planned
					// it once per range (12–19 ms of CPU for a custom plan
					// of the city member's eight).
					if p.unread && db.dialect == postgresDialect {
						if n := staleReads(c.plan(t, "page", p.page, p.pageArgs)); n != 1 {
							t.Errorf("page reads the revised documents %d times, want once", n)
						}
					}
					// On SQLite an unread list builds no set of the member's
					// receipts (unreadProbeSQL): each row's receipt is a
					// probe of the primary key, its revision one of
					// documents_revised by id (checkDocPlan), so that the
					// page and the count cost the rows they check, not
					// the member's receipts.
					if p.unread && db.dialect == sqliteDialect {
						for _, q := range []struct {
							what, sql string
							args      []any
						}{{"page", p.page, p.pageArgs}, {"count", p.count, p.countArgs}} {
							if bad := receiptSetReads(c.plan(t, q.what, q.sql, q.args)); len(bad) > 0 {
								t.Errorf("%s reads the member's receipts, not a probe per row: %q", q.what, bad)
							}
						}
					}
					if _, disjoint := docReachKeys(f.Reach); db.dialect == postgresDialect && !disjoint {
						if lines := c.plan(t, "page", p.page, p.pageArgs); !strings.Contains(strings.Join(lines, ""), `"Node Type": "Unique"`) {
							t.Errorf("page of a reader with overlapping ranges keeps the copies to the join:\n%s", strings.Join(lines, "\n"))
						}
					}
				})
			}
		}
	})
}

// staleReads counts the reads of the revised documents (alias rv of
// unreadStale) in a plan of either engine (SQLite's lines, PostgreSQL's
// JSON).
func staleReads(lines []string) int {
	return len(staleRead.FindAllString(strings.Join(lines, "\n"), -1))
}

// receiptSetReads are the reads of doc_receipts in a SQLite plan that are
// not a probe of one document's receipts (by its id: the member's
// receipts read as a set).
func receiptSetReads(lines []string) []string {
	var bad []string
	for _, l := range lines {
		if receiptRead.MatchString(l) && !strings.Contains(l, "document_id=?") {
			bad = append(bad, strings.TrimSpace(l))
		}
	}
	return bad
}

var receiptRead = regexp.MustCompile(`^\s*(SEARCH|SCAN) (r|r0|rc)\b|doc_receipts`)

var staleRead = regexp.MustCompile(`(?m)^\s*(SEARCH|SCAN) rv\b|"Alias": "rv(_\d+)?"`)

// TestDocFilterIndexesPG checks on PostgreSQL that a filtered documents
// list (issuer, type, category, featured) reads each of its reader's
// ranges through the filter's index of doc_scopes (migration 0033), the
// custom and the generic plan, page and count: on a table whose rows and
// statistics spread as a city's do (on an empty one every index of
// doc_scopes costs the same and the planner's pick says nothing). SQLite
// names the index (TestDocListPlans checks it there).
func TestDocFilterIndexesPG(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			t.Skip("SQLite names the index: TestDocListPlans")
		}
		// Rows spread as a city's are, and their statistics: on an
		// empty table every index of doc_scopes costs the same, and
		// the planner's pick among them says nothing. Each key of the
		// reader below holds rows (a key without any ties again, and costs
		// nothing whichever index reads it).
		if _, err := db.write.Exec(`INSERT INTO doc_scopes (rel, scope, role, kind, issued_on, doc_id, type, issuer_unit_id, category, featured)
			SELECT CASE WHEN i % 2 = 0 THEN 's' ELSE 'u' END, i / 2 % 10, (ARRAY['', '*', 'member', 'office'])[1 + i / 20 % 4], CASE WHEN i / 60 % 4 = 0 THEN 'news' ELSE 'document' END,
				'2026-' || lpad((1 + i % 12)::text, 2, '0') || '-10', i, 'T' || (i / 7 % 12), i / 11 % 30, 'C' || (i / 13 % 6), i / 17 % 10 = 0
			FROM generate_series(1, 12000) i`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.Exec(`ANALYZE doc_scopes`); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		g := func(path string, r auth.Role) auth.Grant { return auth.Grant{UnitPath: path, Role: r} }
		reach := doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7, Grants: []auth.Grant{g("/1/2/", auth.RoleOffice)}}
		cursor := encodeDateCursor(date.MustParse("2026-03-01"), 77)
		for _, tc := range []struct {
			name  string
			f     doc.ListFilter
			index string
		}{
			// No filter: the primary key, in the list's order, for the
			// count too (which, without an order, read a city's ranges
			// through any index of the key, a bitmap of all its rows, or
			// the table: 11 ms for the city office). A page and a bound
			// smaller than these ranges (some 75 rows a key here, 19 of
			// news), as a city's 1,000 are smaller than its ranges: a
			// range read whole may take any index.
			{"none", doc.ListFilter{Kind: doc.KindDocument, Limit: 5}, "doc_scopes_pkey"},
			{"none-both-kinds", doc.ListFilter{Limit: 5}, "doc_scopes_pkey"},
			{"none-next", doc.ListFilter{Kind: doc.KindDocument, Cursor: cursor, Limit: 5}, "doc_scopes_pkey"},
			{"type", doc.ListFilter{Kind: doc.KindDocument, Type: "T3"}, "doc_scopes_type"},
			{"type-next", doc.ListFilter{Kind: doc.KindDocument, Type: "T3", Cursor: cursor}, "doc_scopes_type"},
			{"issuer", doc.ListFilter{Kind: doc.KindDocument, IssuerUnitID: 2}, "doc_scopes_issuer"},
			{"issuer-both-kinds-year", doc.ListFilter{IssuerUnitID: 2, Year: 2026, Cursor: cursor}, "doc_scopes_issuer"},
			{"category", doc.ListFilter{Kind: doc.KindNews, Category: "C2"}, "doc_scopes_category"},
			{"featured", doc.ListFilter{Kind: doc.KindNews, Featured: true}, "doc_scopes_featured"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f, bound := tc.f, docCountBound
				f.Reach, f.AccountID = reach, 3
				if f.Limit == 0 {
					f.Limit = 50
				} else {
					bound = 3 * f.Limit
				}
				p, err := docListSQL(db, f, bound)
				if err != nil || p.empty {
					t.Fatalf("docListSQL: %v", err)
				}
				for _, q := range []struct {
					what string
					sql  string
					args []any
				}{{"page", p.page, p.pageArgs}, {"count", p.count, p.countArgs}} {
					custom := (&planChecker{db: db, conn: conn}).plan(t, q.what, q.sql, q.args)
					generic, err := pgGenericPlan(ctx, conn, q.sql, q.args)
					if err != nil {
						t.Fatal(err)
					}
					for _, pl := range []struct {
						what  string
						lines []string
					}{{q.what, custom}, {q.what + " (generic plan)", generic}} {
						got := docScopeIndexes(t, pl.lines)
						if len(got) == 0 || slices.ContainsFunc(got, func(i string) bool { return i != tc.index }) {
							t.Errorf("%s reads doc_scopes through %q, want %s only\n%s", pl.what, got, tc.index, strings.Join(pl.lines, "\n"))
						}
					}
				}
			})
		}
	})
}

// docScopeIndexes lists the indexes of doc_scopes a PostgreSQL plan
// (JSON) reads, one per node.
func docScopeIndexes(t *testing.T, lines []string) []string {
	t.Helper()
	var nodes []pgPlanNode
	if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
		t.Fatalf("plan: %v", err)
	}
	var out []string
	var walk func(n *pgPlanNode)
	walk = func(n *pgPlanNode) {
		if strings.HasPrefix(n.Index, "doc_scopes") {
			out = append(out, n.Index)
		}
		for i := range n.Plans {
			walk(&n.Plans[i])
		}
	}
	walk(nodes[0].Plan)
	return out
}

// checkDocReads fails t unless the plan of q reads doc_scopes only by its
// whole key (rel, scope, role, kind: one reader's range, in the list's
// order) and documents only by id: a range of documents by kind or
// audience would read every document of the kind until the page fills,
// which the general checks (no SCAN, no temp B-tree) let through. With
// index set, every range of doc_scopes must be read through it (the
// filter's value within the key), not through the key alone (SQLite,
// which names the index; on PostgreSQL TestDocFilterIndexesPG, with
// statistics). On PostgreSQL the generic plan of q is held to the same.
func checkDocReads(t *testing.T, c *planChecker, what, q string, args []any, index string) {
	t.Helper()
	checkDocPlan(t, c, what, c.plan(t, what, q, args), index)
	if c.db.dialect == postgresDialect && len(args) > 0 {
		lines, err := c.genericPlan(q, args)
		if err != nil {
			t.Fatalf("%s: generic plan: %v", what, err)
		}
		checkDocPlan(t, c, what+" (generic plan)", lines, index)
	}
}

// checkDocPlan is checkDocReads on one plan.
func checkDocPlan(t *testing.T, c *planChecker, what string, lines []string, index string) {
	t.Helper()
	var bad []string
	scopes := 0
	if c.db.dialect == postgresDialect {
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("plan: %v", err)
		}
		var walk func(n *pgPlanNode)
		walk = func(n *pgPlanNode) {
			switch n.Relation {
			case "doc_scopes":
				scopes++
				for _, col := range []string{"rel", "scope", "role", "kind"} {
					if !strings.Contains(n.Cond, col+" =") {
						bad = append(bad, n.NodeType+" doc_scopes "+n.Cond)
						break
					}
				}
			case "documents":
				// By id, or the revised documents (unreadSQL).
				revised := n.Index == "documents_revised" || n.NodeType == "Bitmap Heap Scan" && len(n.Plans) == 1 && n.Plans[0].Index == "documents_revised"
				if n.Index != "documents_pkey" && !revised {
					bad = append(bad, n.NodeType+" documents "+n.Index+" "+n.Cond)
				}
			}
			for i := range n.Plans {
				walk(&n.Plans[i])
			}
		}
		walk(nodes[0].Plan)
	} else {
		for _, l := range lines {
			switch {
			case strings.Contains(l, "doc_scopes") || strings.HasPrefix(strings.TrimSpace(l), "SEARCH s "):
				scopes++
				if !strings.Contains(l, "(rel=? AND scope=? AND role=? AND kind=?") || index != "" && !strings.Contains(l, "INDEX "+index+" ") {
					bad = append(bad, l)
				}
			case strings.Contains(l, "SEARCH d ") || strings.Contains(l, "documents"):
				// By id: the row, or the revised documents' index of an
				// unread check (unreadProbeSQL).
				if !strings.Contains(l, "INTEGER PRIMARY KEY") && !strings.Contains(l, "INDEX documents_revised (id=?") {
					bad = append(bad, l)
				}
			}
		}
	}
	if scopes == 0 {
		bad = append(bad, "doc_scopes not read")
	}
	if len(bad) > 0 {
		t.Errorf("%s: reads more than the reader's ranges: %q\nplan:\n%s", what, bad, strings.Join(lines, "\n"))
	}
}

// docOrder sorts documents as the list does: newest issue date first,
// then newest id.
func docOrder(a, b *doc.Document) int {
	if c := strings.Compare(b.IssuedOn.String(), a.IssuedOn.String()); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// TestDocListPagesAndMoves pages (two at a time) through the documents
// list of readers of every kind: every document MayRead allows once, in
// the list's order, the same total on each page; the rows the writes keep
// are those the migration builds; a commune moved under another brings
// the documents addressed in it into that one's committee's list; the
// count stops at its bound and says so.
func TestDocListPagesAndMoves(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		units := []*org.Unit{tr.city, tr.district, tr.communeA, tr.communeB, tr.cellA1, tr.cellA2, tr.cellB1}
		roleSets := [][]auth.Role{nil, {auth.RoleMember}, {auth.RoleCommittee}, {auth.RoleCellOfficer, auth.RoleMember}}
		days := []string{"2026-03-02", "2026-01-15", "2026-03-02", "2025-12-31"}
		var all []*doc.Document
		for i, u := range units {
			for j, rs := range roleSets {
				kind := doc.KindDocument
				if (i+j)%5 == 4 {
					kind = doc.KindNews
				}
				// Types, issuers, categories and featured news spread so
				// that each filter keeps some documents of each reader.
				typ, issuer, category := []string{"TB", "NQ", "CT"}[(i+2*j)%3], []*org.Unit{tr.city, tr.district, tr.communeA}[(2*i+j)%3], ""
				if kind == doc.KindNews {
					typ, category = "", []string{"Tin", "Gương"}[i%2]
				}
				all = append(all, mustDoc(t, db, &doc.Document{Kind: kind, Type: typ, IssuerCode: "HU", IssuerUnitID: issuer.ID, Title: "Thông báo",
					Category: category, Featured: kind == doc.KindNews && j%2 == 0,
					IssuedOn: date.MustParse(days[(i+j)%len(days)]), Audience: doc.Audience{UnitID: u.ID, Roles: rs}}))
			}
		}
		readers := map[string]doc.Reach{
			"member of A1":             memberReach(tr.cellA1, tr.members["Nguyễn Văn An"].ID, grant(tr.cellA1, auth.RoleMember)),
			"cell officer of A1":       memberReach(tr.cellA1, tr.members["Trần Thị Bình"].ID, grant(tr.cellA1, auth.RoleCellOfficer)),
			"committee of A":           {Grants: []auth.Grant{grant(tr.communeA, auth.RoleCommittee)}},
			"office of the district":   {Grants: []auth.Grant{grant(tr.district, auth.RoleOffice)}},
			"member role on commune B": {Grants: []auth.Grant{grant(tr.communeB, auth.RoleMember)}},
			"two grants":               {Grants: []auth.Grant{grant(tr.cellB1, auth.RoleCellOfficer), grant(tr.cellA2, auth.RoleCommittee)}},
			"system":                   {All: true},
		}
		paths := func() map[int64]string { return unitPaths(t, ctx, db, units...) }
		check := func(step string, kind doc.Kind, filters ...docFilterCase) {
			t.Helper()
			fc := docFilterCase{"", func(*doc.ListFilter) {}, func(*doc.Document) bool { return true }}
			if len(filters) > 0 {
				fc = filters[0]
			}
			ps := paths()
			for name, r := range readers {
				// The reach's paths as they are now.
				r.Grants = slices.Clone(r.Grants)
				for i := range r.Grants {
					r.Grants[i].UnitPath = ps[r.Grants[i].UnitID]
				}
				if r.MemberPath != "" {
					r.MemberPath = ps[tr.cellA1.ID]
				}
				wantIDs := readableDocIDs(all, r, ps, func(d *doc.Document) bool { return (kind == "" || d.Kind == kind) && fc.keep(d) })
				f := doc.ListFilter{Reach: r, Kind: kind, Limit: 2}
				fc.set(&f)
				gotIDs, totals := listDocPages(t, ctx, db, f)
				if diff := gocmp.Diff(wantIDs, gotIDs); diff != "" {
					t.Errorf("%s, %s, kind %q%s: pages (-want +got):\n%s", step, name, kind, fc.name, diff)
				}
				if diff := gocmp.Diff(map[int]bool{len(wantIDs): true}, totals); diff != "" {
					t.Errorf("%s, %s, kind %q%s: totals (-want +got):\n%s", step, name, kind, fc.name, diff)
				}
			}
		}
		check("created", doc.KindDocument)
		check("created", "")
		// Each filter doc_scopes carries (migration 0033), alone and two
		// together.
		filters := []docFilterCase{
			{" type NQ", func(f *doc.ListFilter) { f.Type = "NQ" }, func(d *doc.Document) bool { return d.Type == "NQ" }},
			{" issuer district", func(f *doc.ListFilter) { f.IssuerUnitID = tr.district.ID }, func(d *doc.Document) bool { return d.IssuerUnitID == tr.district.ID }},
			{" type CT, issuer commune A", func(f *doc.ListFilter) { f.Type, f.IssuerUnitID = "CT", tr.communeA.ID },
				func(d *doc.Document) bool { return d.Type == "CT" && d.IssuerUnitID == tr.communeA.ID }},
			{" category Tin", func(f *doc.ListFilter) { f.Category = "Tin" }, func(d *doc.Document) bool { return d.Category == "Tin" }},
			{" featured", func(f *doc.ListFilter) { f.Featured = true }, func(d *doc.Document) bool { return d.Featured }},
			{" featured Gương", func(f *doc.ListFilter) { f.Featured, f.Category = true, "Gương" }, func(d *doc.Document) bool { return d.Featured && d.Category == "Gương" }},
		}
		for _, fc := range filters {
			check("created", "", fc)
		}
		// Featuring follows the document.
		for _, d := range all {
			if d.Kind == doc.KindNews && d.ID%2 == 0 {
				d.Featured = !d.Featured
				if err := (Docs{db}).SetFeatured(ctx, d.ID, d.Featured, auth.AuditEntry{Actor: system, Action: "news.feature", ObjectType: "document", ObjectID: d.ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		check("featured again", doc.KindNews, filters[4])
		// The rows written one document at a time are those of the
		// migration's set-based fill.
		kept := docScopeRows(t, db)
		refillDocScopes(t, db)
		if diff := gocmp.Diff(docScopeRows(t, db), kept); diff != "" {
			t.Errorf("scope rows kept by the writes (-migration +kept):\n%s", diff)
		}
		// Commune B moves under commune A: A's committee now supervises B's
		// documents; the district's office still reads them.
		if err := (Units{db}).Move(ctx, tr.communeB.ID, tr.communeA.ID, date.MustParse("2026-11-02"), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		check("moved", doc.KindDocument)
		for _, fc := range filters {
			check("moved", "", fc)
		}
		kept = docScopeRows(t, db)
		refillDocScopes(t, db)
		if diff := gocmp.Diff(docScopeRows(t, db), kept); diff != "" {
			t.Errorf("after the move, scope rows (-migration +kept):\n%s", diff)
		}
		// The count stops at its bound and says so; up to it, it is exact.
		r := doc.Reach{Grants: []auth.Grant{grant(tr.communeB, auth.RoleMember)}}
		ps := paths()
		r.Grants[0].UnitPath = ps[tr.communeB.ID]
		n := 0
		for _, d := range all {
			a := d.Audience
			a.Path = ps[a.UnitID]
			if d.Kind == doc.KindDocument && r.MayRead(a) {
				n++
			}
		}
		if n < 3 {
			t.Fatalf("the reader reads %d documents: too few for the test", n)
		}
		// The system reads both kinds in two ranges, disjoint: the count
		// stops at the bound over both (the news after the documents).
		for _, rd := range []struct {
			name string
			f    doc.ListFilter
			n    int
		}{{"member-role", doc.ListFilter{Reach: r, Kind: doc.KindDocument}, n}, {"system", doc.ListFilter{Reach: doc.Reach{All: true}}, len(all)}} {
			n := rd.n
			for _, c := range []struct {
				bound, total int
				atLeast      bool
			}{{n + 1, n, false}, {n, n, false}, {n - 1, n - 1, true}, {1, 1, true}} {
				f := rd.f
				f.Limit = 2
				p, err := Docs{db}.listByScopes(ctx, f, c.bound)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != c.total || p.TotalAtLeast != c.atLeast || len(p.Items) != 2 {
					t.Errorf("%s, bound %d: total %d at least %v, %d items; want %d, %v, 2", rd.name, c.bound, p.Total, p.TotalAtLeast, len(p.Items), c.total, c.atLeast)
				}
			}
		}
	})
}

// docIDsInOrder lists the ids of a page in its order.
// readableDocIDs is what a list for reach r should answer: the documents
// of all that r may read (each audience at its unit's path in paths) and
// keep keeps, in the list's order.
func readableDocIDs(all []*doc.Document, r doc.Reach, paths map[int64]string, keep func(*doc.Document) bool) []int64 {
	var want []*doc.Document
	for _, d := range all {
		a := d.Audience
		a.Path = paths[a.UnitID]
		if r.MayRead(a) && keep(d) {
			want = append(want, d)
		}
	}
	slices.SortFunc(want, docOrder)
	ids := []int64{}
	for _, d := range want {
		ids = append(ids, d.ID)
	}
	return ids
}

// listDocPages reads every page of f (at most 100): the ids in order, and
// each page's Total with whether it is exact (not a lower bound).
func listDocPages(t *testing.T, ctx context.Context, db *DB, f doc.ListFilter) ([]int64, map[int]bool) {
	t.Helper()
	ids, totals := []int64{}, map[int]bool{}
	for pages := 0; pages < 100; pages++ {
		p, err := Docs{db}.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		totals[p.Total] = !p.TotalAtLeast
		ids = append(ids, docIDsInOrder(p.Items)...)
		if p.NextCursor == nil {
			break
		}
		f.Cursor = *p.NextCursor
	}
	return ids, totals
}

func docIDsInOrder(ds []doc.Document) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// docFilterCase is a filter of the documents list (set) and the
// documents it keeps (keep).
type docFilterCase struct {
	name string
	set  func(*doc.ListFilter)
	keep func(*doc.Document) bool
}

// docScopeRows reads doc_scopes in a fixed order.
func docScopeRows(t *testing.T, db *DB) []string {
	t.Helper()
	var rel, role, kind, on, typ, category string
	var scope, id, issuer int64
	var featured bool
	out := readRows(t, db, `SELECT rel, scope, role, kind, issued_on, doc_id, type, issuer_unit_id, category, featured FROM doc_scopes ORDER BY doc_id, rel, scope, role`,
		[]any{&rel, &scope, &role, &kind, &on, &id, &typ, &issuer, &category, &featured}, func() string {
			return fmt.Sprint(id, " ", rel, " ", scope, " ", role, " ", kind, " ", on[:10], " ", typ, " ", issuer, " ", category, " ", featured)
		})
	if len(out) == 0 {
		t.Fatal("no doc_scopes rows")
	}
	return out
}

// refillDocScopes empties doc_scopes and fills it again with the
// migrations' statements (0021's rows, 0033's filter columns).
func refillDocScopes(t *testing.T, db *DB) {
	t.Helper()
	dir := "sqlite"
	if db.dialect == postgresDialect {
		dir = "postgres"
	}
	b, err := migrationFS.ReadFile("migrations/" + dir + "/0021_doc_scopes.sql")
	if err != nil {
		t.Fatal(err)
	}
	fill := string(b)[strings.Index(string(b), "INSERT INTO doc_scopes"):]
	fill = fill[:strings.Index(fill, ";")+1]
	b, err = migrationFS.ReadFile("migrations/" + dir + "/0033_doc_scope_filters.sql")
	if err != nil {
		t.Fatal(err)
	}
	columns := string(b)[strings.Index(string(b), "UPDATE doc_scopes"):]
	columns = columns[:strings.Index(columns, ";")+1]
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_scopes`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fill); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, columns)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestDocReachKeysDisjoint: the count leaves out its DISTINCT only when no
// document can be under two of the reader's keys.
func TestDocReachKeysDisjoint(t *testing.T) {
	g := func(path string, r auth.Role) auth.Grant { return auth.Grant{UnitPath: path, Role: r} }
	for _, c := range []struct {
		name string
		r    doc.Reach
		want bool
	}{
		{"system", doc.Reach{All: true}, true},
		{"member", doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7}, true},
		{"office", doc.Reach{Grants: []auth.Grant{g("/1/2/", auth.RoleOffice)}}, true},
		{"member in the office's subtree", doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7, Grants: []auth.Grant{g("/1/2/", auth.RoleOffice)}}, false},
		{"member with the member role on the cell", doc.Reach{MemberPath: "/1/2/5/9/", MemberID: 7, Grants: []auth.Grant{g("/1/2/5/9/", auth.RoleMember)}}, false},
		{"two officers side by side, one role", doc.Reach{Grants: []auth.Grant{g("/1/2/5/", auth.RoleCommittee), g("/1/2/6/", auth.RoleCommittee)}}, true},
		{"two subtrees, other roles", doc.Reach{Grants: []auth.Grant{g("/1/3/", auth.RoleOffice), g("/1/4/", auth.RoleCommittee)}}, false},
	} {
		if _, got := docReachKeys(c.r); got != c.want {
			t.Errorf("%s: disjoint %v, want %v (keys %v)", c.name, got, c.want, func() []docScopeKey { k, _ := docReachKeys(c.r); return k }())
		}
	}
}
