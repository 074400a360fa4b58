package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
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
	forEachDB(t, func(t *testing.T, db *DB) {
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
		filters := []struct {
			name string
			f    doc.ListFilter
		}{
			{"documents", doc.ListFilter{Kind: doc.KindDocument}},
			{"documents-next", doc.ListFilter{Kind: doc.KindDocument, Cursor: cursor}},
			{"both-kinds", doc.ListFilter{}},
			{"year-next", doc.ListFilter{Kind: doc.KindDocument, Year: 2026, Cursor: cursor}},
			{"type-issuer", doc.ListFilter{Kind: doc.KindDocument, Type: "NQ", IssuerUnitID: 2}},
			{"unread", doc.ListFilter{Kind: doc.KindDocument, Unread: true}},
			{"news-featured", doc.ListFilter{Kind: doc.KindNews, Featured: true, Category: "Tin"}},
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
					checkDocReads(t, c, "page", p.page, p.pageArgs)
					checkDocReads(t, c, "count", p.count, p.countArgs)
				})
			}
		}
	})
}

// checkDocReads fails t unless the plan of q reads doc_scopes only by its
// whole key (rel, scope, role, kind: one reader's range, in the list's
// order) and documents only by id: a range of documents by kind or
// audience would read every document of the kind until the page fills,
// which the general checks (no SCAN, no temp B-tree) let through.
func checkDocReads(t *testing.T, c *planChecker, what, q string, args []any) {
	t.Helper()
	lines := c.plan(t, what, q, args)
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
				if n.Index != "documents_pkey" {
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
				if !strings.Contains(l, "(rel=? AND scope=? AND role=? AND kind=?") {
					bad = append(bad, l)
				}
			case strings.Contains(l, "SEARCH d ") || strings.Contains(l, "documents"):
				if !strings.Contains(l, "INTEGER PRIMARY KEY") {
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
				all = append(all, mustDoc(t, db, &doc.Document{Kind: kind, Type: "TB", IssuerCode: "HU", IssuerUnitID: tr.city.ID, Title: "Thông báo",
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
		paths := func() map[int64]string {
			out := map[int64]string{}
			for _, u := range units {
				var p string
				if err := db.read.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, u.ID).Scan(&p); err != nil {
					t.Fatal(err)
				}
				out[u.ID] = p
			}
			return out
		}
		check := func(step string, kind doc.Kind) {
			t.Helper()
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
				var want []*doc.Document
				for _, d := range all {
					a := d.Audience
					a.Path = ps[a.UnitID]
					if (kind == "" || d.Kind == kind) && r.MayRead(a) {
						want = append(want, d)
					}
				}
				slices.SortFunc(want, docOrder)
				wantIDs := []int64{}
				for _, d := range want {
					wantIDs = append(wantIDs, d.ID)
				}
				gotIDs := []int64{}
				totals := map[int]bool{}
				f := doc.ListFilter{Reach: r, Kind: kind, Limit: 2}
				for pages := 0; pages < 100; pages++ {
					p, err := Docs{db}.List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					totals[p.Total] = true
					gotIDs = append(gotIDs, docIDsInOrder(p.Items)...)
					if p.NextCursor == nil {
						break
					}
					f.Cursor = *p.NextCursor
				}
				if diff := gocmp.Diff(wantIDs, gotIDs); diff != "" {
					t.Errorf("%s, %s, kind %q: pages (-want +got):\n%s", step, name, kind, diff)
				}
				if diff := gocmp.Diff(map[int]bool{len(want): true}, totals); diff != "" {
					t.Errorf("%s, %s, kind %q: totals (-want +got):\n%s", step, name, kind, diff)
				}
			}
		}
		check("created", doc.KindDocument)
		check("created", "")
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
		for _, c := range []struct {
			bound, total int
			atLeast      bool
		}{{n + 1, n, false}, {n, n, false}, {n - 1, n - 1, true}, {1, 1, true}} {
			p, err := Docs{db}.listByScopes(ctx, doc.ListFilter{Reach: r, Kind: doc.KindDocument, Limit: 2}, c.bound)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != c.total || p.TotalAtLeast != c.atLeast || len(p.Items) != 2 {
				t.Errorf("bound %d: total %d at least %v, %d items; want %d, %v, 2", c.bound, p.Total, p.TotalAtLeast, len(p.Items), c.total, c.atLeast)
			}
		}
	})
}

// docIDsInOrder lists the ids of a page in its order.
func docIDsInOrder(ds []doc.Document) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// docScopeRows reads doc_scopes in a fixed order.
func docScopeRows(t *testing.T, db *DB) []string {
	t.Helper()
	var rel, role, kind, on string
	var scope, id int64
	out := readRows(t, db, `SELECT rel, scope, role, kind, issued_on, doc_id FROM doc_scopes ORDER BY doc_id, rel, scope, role`,
		[]any{&rel, &scope, &role, &kind, &on, &id}, func() string { return fmt.Sprint(id, " ", rel, " ", scope, " ", role, " ", kind, " ", on[:10]) })
	if len(out) == 0 {
		t.Fatal("no doc_scopes rows")
	}
	return out
}

// refillDocScopes empties doc_scopes and fills it again with the
// migration's statement.
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
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_scopes`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fill)
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
