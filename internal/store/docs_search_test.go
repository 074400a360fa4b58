package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
)

// searchReference is the documents search before issue 17's bound: every
// match of the reach ranked by the engine (kept here as the reference the
// bounded search is compared with). only, when not nil, keeps those
// documents.
func searchReference(ctx context.Context, db *DB, f doc.SearchFilter, only []int64) ([]int64, error) {
	var args argList
	var query string
	keep := ""
	if only != nil {
		keep = " AND d.id IN " + idList(only)
	}
	if db.dialect == postgresDialect {
		tq := args.add(tsQuery(f.Query))
		query = `SELECT d.id FROM documents d JOIN units au ON au.id = d.audience_unit_id
			WHERE d.search_vector @@ to_tsquery('simple', ` + tq + `) AND ` + readableSQL(&args, f.Reach) + keep + `
			ORDER BY ts_rank(d.search_vector, to_tsquery('simple', ` + tq + `)) DESC, d.id DESC LIMIT ` + args.add(f.Limit)
	} else {
		m := args.add(fts5Query(f.Query))
		query = `SELECT d.id FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid JOIN units au ON au.id = d.audience_unit_id
			WHERE documents_fts MATCH ` + m + ` AND ` + readableSQL(&args, f.Reach) + keep + `
			ORDER BY bm25(documents_fts, 10.0, 10.0, 4.0, 1.0), d.id DESC LIMIT ` + args.add(f.Limit)
	}
	return queryAll(ctx, db.read, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	}, query, args...)
}

// searchWords are the words of TestDocSearchSameAnswers' documents, each
// in every n-th document (n = its index + 1): from every document to one
// in seven.
var searchWords = []string{"nghị quyết", "kỷ cương", "chi bộ", "phòng chống", "thi đua", "quán triệt", "đảng phí"}

// fillSearchDocs adds documents of the tree's units and roles, some news,
// on dates that do not follow their ids, with words of searchWords in
// their titles or bodies and a number of their own, and returns them.
func fillSearchDocs(t *testing.T, db *DB, tr *docTree) []*doc.Document {
	units := []*org.Unit{tr.city, tr.district, tr.communeA, tr.communeB, tr.cellA1, tr.cellA2, tr.cellB1}
	roleSets := [][]auth.Role{nil, {auth.RoleMember}, {auth.RoleCommittee}, {auth.RoleOffice}}
	var all []*doc.Document
	for i := 0; i < 84; i++ {
		var title, body []string
		for w, word := range searchWords {
			if i%(w+1) == 0 {
				if (i+w)%2 == 0 {
					title = append(title, word)
				} else {
					body = append(body, word)
				}
			}
		}
		d := &doc.Document{Title: "Văn bản " + strings.Join(title, " "), Body: "Nội dung " + strings.Join(body, ", "),
			IssuedOn: date.New(2026, time.Month(1+i%5), 1+(i*7)%27), Audience: doc.Audience{UnitID: units[i%len(units)].ID, Roles: roleSets[(i/len(units))%len(roleSets)]}}
		if i%6 == 5 {
			d.Kind, d.Category, d.IssuerUnitID = doc.KindNews, "Tin tức", tr.city.ID
		} else {
			d.Type, d.IssuerCode, d.IssuerUnitID, d.Seq, d.Number = "CT", "TU", tr.city.ID, 10+i, fmt.Sprintf("%d-CT/TU", 10+i)
		}
		all = append(all, mustDoc(t, db, d))
	}
	return all
}

// TestDocSearchSameAnswers: the bounded documents search gives the
// answer the reference statement gave (every match ranked) whenever the
// reach holds at most Bound matches, and beyond it the reference's
// ranking of the newest Bound matches (issue date, then id), for many
// queries and readers and for bounds small enough that the probe, the
// walk, the walk's count and the index each decide some of them, on
// both engines.
func TestDocSearchSameAnswers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		all := fillSearchDocs(t, db, tr)
		issued := map[int64]date.Date{}
		for _, d := range all {
			issued[d.ID] = d.IssuedOn
		}
		readers := map[string]doc.Reach{
			"member of A1":           memberReach(tr.cellA1, tr.members["Nguyễn Văn An"].ID, grant(tr.cellA1, auth.RoleMember)),
			"cell officer of B1":     memberReach(tr.cellB1, tr.members["Vũ Văn Giang"].ID, grant(tr.cellB1, auth.RoleCellOfficer)),
			"committee of A":         {Grants: []auth.Grant{grant(tr.communeA, auth.RoleCommittee)}},
			"office of the district": {Grants: []auth.Grant{grant(tr.district, auth.RoleOffice)}},
			"office of the city":     {Grants: []auth.Grant{grant(tr.city, auth.RoleOffice)}},
			"two grants":             {Grants: []auth.Grant{grant(tr.cellB1, auth.RoleCellOfficer), grant(tr.cellA2, auth.RoleCommittee)}},
			"system":                 {All: true},
		}
		queries := []string{"nghi quyet", "văn bản", "ky cuong", "chi bo", "phong chong", "dang phi", "nghị quyết đảng phí", "chi bo thi dua",
			"quan triet ky", "van ban 23", "23-CT/TU", "noi dung", "tin", "khong co",
			// the key walk's (document_words): prefixes of two, three and
			// more letters, a common word with a rarer one, đ and
			// diacritics, numbers and their phrases
			"van ban th", "nghi quy", "phong chon", "noi dung ky cuong", "đảng", "Đảng phí thi đua", "van ban 1", "17-CT/TU", "CT TU", "ct"}
		limits := []docSearchLimits{docSearchBounds, {Bound: 5, Walk: 12, Probe: 4}, {Bound: 3, Walk: 20, Probe: 6}, {Bound: 8, Walk: 9, Probe: 3}, {Bound: 30, Walk: 40, Probe: 10}}
		cases := 0
		arms := map[searchArm]int{}
		for name, r := range readers {
			for _, text := range queries {
				f := doc.SearchFilter{Reach: r, Query: doc.ParseQuery(text), Limit: 1000}
				every, err := searchReference(ctx, db, f, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, lim := range limits {
					for _, limit := range []int{1, 4, 200} {
						f.Limit = limit
						want, err := searchReference(ctx, db, f, newestIDs(every, issued, lim.Bound))
						if err != nil {
							t.Fatal(err)
						}
						got, arm, err := Docs{db}.searchBy(ctx, f, lim)
						if err != nil {
							t.Fatalf("%s, %q, %+v: %v", name, text, lim, err)
						}
						arms[arm]++
						if diff := gocmp.Diff(want, docIDsInOrder(got)); diff != "" {
							t.Errorf("%s, %q (%d matches), %+v, limit %d: (-want +got):\n%s", name, text, len(every), lim, limit, diff)
						}
						if len(every) > lim.Bound {
							cases++
						}
					}
				}
			}
		}
		if cases == 0 {
			t.Error("no query had more matches than its bound")
		}
		want := []searchArm{armProbe, armWalk, armKeyWalk, armIndex}
		if db.dialect == postgresDialect {
			want = append(want, armReachMerge)
		}
		for _, arm := range want {
			if arms[arm] == 0 {
				t.Errorf("no search answered by the %s (answers by read: %v)", arm, arms)
			}
		}
		t.Logf("answers by read: %v", arms)
	})
}

// newestIDs returns the newest bound of ids (issue date, then id), all
// of them when they are at most bound.
func newestIDs(ids []int64, issued map[int64]date.Date, bound int) []int64 {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b int64) int {
		return cmp.Or(cmp.Compare(issued[b].String(), issued[a].String()), cmp.Compare(b, a))
	})
	return out[:min(bound, len(out))]
}

// TestDocSearchPlans: the probe and the walk read the reach's ranges of
// doc_scopes and stop at their bound (no sort of more than they read, no
// scan), and look each document up by its id; the index read starts from
// the full-text index (GIN documents_search, FTS5 documents_fts) and
// looks up each match's unit, on both engines.
func TestDocSearchPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		tr := newDocTree(t, db)
		fillSearchDocs(t, db, tr)
		c := newPlanChecker(t, db)
		readers := map[string]doc.Reach{
			"member of A1":           memberReach(tr.cellA1, tr.members["Nguyễn Văn An"].ID, grant(tr.cellA1, auth.RoleMember)),
			"office of the district": {Grants: []auth.Grant{grant(tr.district, auth.RoleOffice)}},
			"two grants":             {Grants: []auth.Grant{grant(tr.cellB1, auth.RoleCellOfficer), grant(tr.cellA2, auth.RoleCommittee)}},
			"system":                 {All: true},
		}
		lim := docSearchBounds
		for name, r := range readers {
			f := doc.SearchFilter{Reach: r, Query: doc.ParseQuery("nghị quyết 23-CT/TU"), Limit: 20}
			first, err := docListSQL(db, doc.ListFilter{Reach: r, Limit: lim.Probe - 1}, lim.Walk)
			if err != nil {
				t.Fatal(err)
			}
			args := append(argList{}, first.newestArgs...)
			probe := `SELECT c.doc_id, c.issued_on, ` + Docs{db}.docMatchRank(&args, f.Query) + ` FROM (` + first.newest + `) c ORDER BY c.issued_on DESC, c.doc_id DESC`
			checkSearchWalkPlan(t, c, name+": probe", probe, args)
			next, err := docListSQL(db, doc.ListFilter{Reach: r, Limit: lim.Walk - lim.Probe - 1, Cursor: encodeDateCursor(date.New(2026, 3, 1), 1<<40)}, lim.Walk)
			if err != nil {
				t.Fatal(err)
			}
			q, args := Docs{db}.searchWalkQuery(next, f, lim.Bound)
			checkSearchWalkPlan(t, c, name+": walk", q, args)
			q, args = Docs{db}.searchIndexQuery(f, lim, true)
			checkSearchIndexPlan(t, c, name+": index", q, args)
			q, args = Docs{db}.searchKeyWalkQuery(f, "23", lim)
			checkKeyWalkPlan(t, c, name+": key walk", q, args)
			if db.dialect == postgresDialect {
				q, args, err := Docs{db}.reachMergeQuery(f, "23", lim)
				if err != nil {
					t.Fatal(err)
				}
				checkReachMergePlan(t, c, name+": reach merge", q, args)
			}
		}
		// SQLite checks a query its keys decide ("nghi quy": nghi, quy*)
		// by look-ups of document_words in the probe, the walk and the
		// key walk, never by the FTS5 query's set of rowids.
		if db.dialect == sqliteDialect {
			checkKeysDecidePlans(t, db, c, readers, doc.ParseQuery("nghi quy"))
		}
		// SQLite ranks the candidates in one read of the MATCH, not by an
		// FTS5 look-up of each candidate's rowid ("INDEX 0:=M…": the query
		// evaluated again for each).
		if db.dialect == sqliteDialect {
			q, args := Docs{db}.searchRankQuery(doc.SearchFilter{Query: doc.ParseQuery("nghị quyết"), Limit: 20}, []int64{1, 2, 3, 5, 8})
			checkSearchIndexPlan(t, c, "rank", q, args)
			// ... given the candidates' range of rowids with the MATCH
			// (FTS5's index string: M, a column mask, then > and <), so
			// that it reads the matches of that range only.
			if text := strings.Join(c.plan(t, "rank", q, args), "\n"); !regexp.MustCompile(`SCAN documents_fts VIRTUAL TABLE INDEX 0:M\d*><`).MatchString(text) {
				t.Errorf("rank: the candidates' range of rowids is not given to FTS5:\n%s", text)
			}
		}
	})
}

// checkKeysDecidePlans: on SQLite, for a query whose keys decide
// (keysDecide), the probe, the walk and the key walk check each document
// by one look-up of document_words' primary key per key and never read
// documents_fts.
func checkKeysDecidePlans(t *testing.T, db *DB, c *planChecker, readers map[string]doc.Reach, q doc.Query) {
	t.Helper()
	if !keysDecide(q) {
		t.Fatalf("the keys of %+v do not decide", q)
	}
	lim := docSearchBounds
	for name, r := range readers {
		f := doc.SearchFilter{Reach: r, Query: q, Limit: 20}
		first, err := docListSQL(db, doc.ListFilter{Reach: r, Limit: lim.Probe - 1}, lim.Walk)
		if err != nil {
			t.Fatal(err)
		}
		args := append(argList{}, first.newestArgs...)
		probe := `SELECT c.doc_id, c.issued_on, ` + Docs{db}.docMatchRank(&args, f.Query) + ` FROM (` + first.newest + `) c ORDER BY c.issued_on DESC, c.doc_id DESC`
		walk, wargs := Docs{db}.searchWalkQuery(first, f, lim.Bound)
		kw, kargs := Docs{db}.searchKeyWalkQuery(f, "nghi", lim)
		for _, s := range []struct {
			what, q string
			args    []any
		}{{"probe", probe, args}, {"walk", walk, wargs}, {"key walk", kw, kargs}} {
			text := strings.Join(c.plan(t, name+": "+s.what, s.q, s.args), "\n")
			if strings.Contains(text, "documents_fts") || strings.Count(text, "SEARCH k USING PRIMARY KEY (key=? AND issued_on=? AND doc_id=?)") != 2 {
				t.Errorf("%s: %s: want two look-ups of document_words and no FTS5 read:\n%s", name, s.what, text)
			}
		}
	}
}

// checkKeyWalkPlan: the key's rows are one range of document_words'
// primary key, newest first, that stops at the walk's limit (a Limit
// right above it on PostgreSQL, no sort of it on SQLite), each document
// looked up once by its id.
func checkKeyWalkPlan(t *testing.T, c *planChecker, what, q string, args []any) {
	t.Helper()
	lines := c.plan(t, what, q, args)
	text := strings.Join(lines, "\n")
	if c.db.dialect == postgresDialect {
		c.check(t, what, q, args)
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(text), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("%s: plan: %v", what, err)
		}
		if !pgLimitOver(nodes[0].Plan, "document_words_pkey") {
			t.Errorf("%s: the key's range does not stop at a limit\n%s", what, text)
		}
		if reads := pgRelationReads(nodes[0].Plan, "documents"); !slices.Equal(reads, []string{"Index Scan documents_pkey (id = w.doc_id)"}) {
			t.Errorf("%s: documents read as %q, want one look-up by id\n%s", what, reads, text)
		}
		return
	}
	if !strings.Contains(text, "SEARCH w USING PRIMARY KEY (key=?)") || !strings.Contains(text, "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)") {
		t.Errorf("%s: the key is not a range of the primary key, or a document not a look-up by id:\n%s", what, text)
	}
	for _, l := range lines {
		// The reach's check of each row is a correlated look-up; the
		// FTS5 query's set is read once.
		l = strings.TrimSpace(l)
		if (strings.HasPrefix(l, "SCAN ") && !strings.HasPrefix(l, "SCAN m") && !strings.HasPrefix(l, "SCAN documents_fts")) ||
			strings.HasPrefix(l, "CORRELATED LIST") || strings.Contains(l, "TEMP B-TREE") {
			t.Errorf("%s: %q\n%s", what, l, text)
		}
	}
}

// checkReachMergePlan (PostgreSQL, with reachMerge's settings): a merge
// join of the key's range and the reach's ranges, each read from its
// index alone newest first, under the bound's Limit: no hash, nested
// loop, sort or scan, so that it stops at the bound.
func checkReachMergePlan(t *testing.T, c *planChecker, what, q string, args []any) {
	t.Helper()
	ctx := context.Background()
	for _, set := range []string{`SET enable_hashjoin = off`, `SET enable_nestloop = off`} {
		if _, err := c.conn.ExecContext(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	defer c.conn.ExecContext(ctx, `RESET enable_hashjoin; RESET enable_nestloop`)
	lines := c.plan(t, what, q, args)
	text := strings.Join(lines, "\n")
	var nodes []pgPlanNode
	if err := json.Unmarshal([]byte(text), &nodes); err != nil || len(nodes) == 0 {
		t.Fatalf("%s: plan: %v", what, err)
	}
	if nodes[0].Plan.NodeType != "Limit" || !strings.Contains(text, `"Merge Join"`) {
		t.Errorf("%s: not a merge join under the bound\n%s", what, text)
	}
	for _, bad := range []string{`"Hash`, `"Nested Loop"`, `"Sort"`, `"Seq Scan"`, `"Materialize"`} {
		if strings.Contains(text, bad) {
			t.Errorf("%s: %s in the plan\n%s", what, bad, text)
		}
	}
	for _, r := range pgRelationReads(nodes[0].Plan, "document_words") {
		if r != "Index Only Scan document_words_pkey (key = $2)" && !strings.HasPrefix(r, "Index Only Scan document_words_pkey") {
			t.Errorf("%s: document_words read as %q\n%s", what, r, text)
		}
	}
}

// pgLimitOver reports whether a Limit has a read of index right under it.
func pgLimitOver(n *pgPlanNode, index string) bool {
	if n.NodeType == "Limit" && len(n.Plans) == 1 && n.Plans[0].Index == index {
		return true
	}
	for i := range n.Plans {
		if pgLimitOver(&n.Plans[i], index) {
			return true
		}
	}
	return false
}

// checkSearchWalkPlan: on PostgreSQL planChecker.check (no scan, no sort
// above an unbounded read) and one look-up of documents_pkey per row, the
// documents read nowhere else; on SQLite no scan but the bounded
// subqueries' and the FTS5 query's, read once (not correlated), no sort.
func checkSearchWalkPlan(t *testing.T, c *planChecker, what, q string, args []any) {
	t.Helper()
	lines := c.plan(t, what, q, args)
	if c.db.dialect == postgresDialect {
		c.check(t, what, q, args)
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("%s: plan: %v", what, err)
		}
		if reads := pgRelationReads(nodes[0].Plan, "documents"); !slices.Equal(reads, []string{"Index Scan documents_pkey (id = c.doc_id)"}) {
			t.Errorf("%s: documents read as %q, want one look-up by id\n%s", what, reads, strings.Join(lines, "\n"))
		}
		return
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.Contains(l, "TEMP B-TREE") && !strings.Contains(l, "UNION") && !strings.Contains(l, "ORDER BY"):
			t.Errorf("%s: %q\n%s", what, l, strings.Join(lines, "\n"))
		case strings.HasPrefix(l, "SCAN documents_fts VIRTUAL TABLE") && !strings.Contains(l, "INDEX 0:M"):
			t.Errorf("%s: the FTS5 read is not its MATCH: %q\n%s", what, l, strings.Join(lines, "\n"))
		case strings.HasPrefix(l, "CORRELATED"):
			t.Errorf("%s: the match set is read for each row: %q\n%s", what, l, strings.Join(lines, "\n"))
		case strings.HasPrefix(l, "SCAN ") && !strings.HasPrefix(l, "SCAN c") && !strings.HasPrefix(l, "SCAN documents_fts") && !strings.HasPrefix(l, "SCAN m"):
			t.Errorf("%s: %q\n%s", what, l, strings.Join(lines, "\n"))
		}
	}
}

// checkSearchIndexPlan: the documents come from the full-text index and
// each match's unit is one look-up.
func checkSearchIndexPlan(t *testing.T, c *planChecker, what, q string, args []any) {
	t.Helper()
	lines := c.plan(t, what, q, args)
	text := strings.Join(lines, "\n")
	if c.db.dialect == postgresDialect {
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(text), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("%s: plan: %v", what, err)
		}
		reads := pgRelationReads(nodes[0].Plan, "")
		for _, r := range reads {
			if strings.HasPrefix(r, "Seq Scan") || strings.HasPrefix(r, "Hash") {
				t.Errorf("%s: %s\n%s", what, r, text)
			}
		}
		if !slices.ContainsFunc(reads, func(r string) bool { return strings.HasPrefix(r, "Bitmap Index Scan documents_search") }) {
			t.Errorf("%s: not read from documents_search: %q\n%s", what, reads, text)
		}
		return
	}
	if !strings.Contains(text, "SCAN documents_fts VIRTUAL TABLE INDEX 0:M") {
		t.Errorf("%s: not read from documents_fts:\n%s", what, text)
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "SCAN ") && !strings.HasPrefix(l, "SCAN documents_fts") {
			t.Errorf("%s: %q\n%s", what, l, text)
		}
	}
}

// pgRelationReads lists the plan's reads (node type, index, condition)
// of relation rel (every relation when rel is empty), and its hashes.
func pgRelationReads(n *pgPlanNode, rel string) []string {
	var out []string
	if n.NodeType == "Hash" || n.NodeType == "Hash Join" {
		out = append(out, n.NodeType)
	}
	if n.Relation != "" && (rel == "" || n.Relation == rel) {
		out = append(out, strings.TrimSpace(n.NodeType+" "+n.Index+" "+n.Cond))
	}
	if n.NodeType == "Bitmap Index Scan" && rel == "" {
		out = append(out, "Bitmap Index Scan "+n.Index+" "+n.Cond)
	}
	for i := range n.Plans {
		out = append(out, pgRelationReads(&n.Plans[i], rel)...)
	}
	return out
}
