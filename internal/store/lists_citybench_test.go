package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/notify"
)

// TestGenerateLists adds to a city-sized benchmark dataset (the city with
// 1,000,000 tasks) what the other lists read, in bulk and set-based, each
// part skipped when present: documents (SOTAY_BENCH_LISTS_DOCS, default
// 200,000) addressed over the tree (2% to the city, 18% to the districts,
// 60% to the communes, 20% to the cells; one in five to the committees
// only; one in ten news, some featured; types from common to one in a
// thousand) with their doc_scopes rows and, for the benchmark's members
// (cityActors), receipts of nine in ten of their documents; accounts for
// the benchmark's readers and 995 others, and notifications
// (SOTAY_BENCH_LISTS_NOTES, default 2,000,000: a tenth to the readers'
// accounts and members, a quarter unread); audit entries
// (SOTAY_BENCH_LISTS_AUDIT, default 2,000,000) over the tree with their
// audit_scopes rows (outside the hash chain: `audit verify` fails on such
// a dataset).
//
//	SOTAY_BENCH_LISTS=postgres://…/million_city go test ./internal/store -run TestGenerateLists -timeout 120m -v
func TestGenerateLists(t *testing.T) {
	db := openBenchTarget(t, "SOTAY_BENCH_LISTS", "the lists' rows")
	ctx := context.Background()
	g := listGen{db: db, t: t}
	step := g.stepper(ctx)
	var docsBefore int64
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(doc_id), 0) FROM doc_scopes`).Scan(&docsBefore); err != nil {
		t.Fatal(err)
	}
	step("documents", "documents", "SOTAY_BENCH_LISTS_DOCS", 200_000, func(n int) error { return g.documents(ctx, n) })
	// The documents' scope rows (eight or so each) and receipts.
	step("doc scopes", "doc_scopes", "SOTAY_BENCH_LISTS_DOCS", 200_000, func(int) error { return g.docScopes(ctx, docsBefore) })
	step("notifications", "notifications", "SOTAY_BENCH_LISTS_NOTES", 2_000_000, func(n int) error { return g.notifications(ctx, n) })
	step("audit entries", "audit_log", "SOTAY_BENCH_LISTS_AUDIT", 2_000_000, func(n int) error { return g.audit(ctx, n) })
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
}

// listGen writes the lists' rows of TestGenerateLists.
type listGen struct {
	db *DB
	t  testing.TB
}

// stepper returns the generators' step: a part named name, writing about
// env's count (def by default) rows into table, is skipped when the table
// holds half of them already.
func (g listGen) stepper(ctx context.Context) func(name, table, env string, def int, f func(int) error) {
	t := g.t
	return func(name, table, env string, def int, f func(int) error) {
		count := benchCount(t, env, def, name)
		var n int
		if err := g.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+table+` LIMIT `+strconv.Itoa(count/2)+`) x`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= count/2 {
			t.Logf("%s: present", name)
			return
		}
		start := time.Now()
		if err := f(count); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s in %s", name, time.Since(start).Round(time.Millisecond))
	}
}

// numbers is a CTE n(i) of 1..count (without its WITH).
func (g listGen) numbers(count int) string {
	if g.db.dialect == postgresDialect {
		return `n(i) AS (SELECT generate_series(1::bigint, ` + strconv.Itoa(count) + `))`
	}
	return `n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ` + strconv.Itoa(count) + `)`
}

// minutesBefore is the timestamp minutes (an SQL expression) before
// 2026-11-20 12:00 UTC, as each engine stores timestamps.
func (g listGen) minutesBefore(minutes string) string {
	if g.db.dialect == postgresDialect {
		return `(TIMESTAMPTZ '2026-11-20 12:00:00+00' - (` + minutes + `) * INTERVAL '1 minute')`
	}
	return `(strftime('%Y-%m-%d %H:%M:%S', '2026-11-20 12:00:00', '-' || (` + minutes + `) || ' minutes') || '+00:00')`
}

// daysBefore is the date days before 2026-11-20, as text.
func (g listGen) daysBefore(days string) string {
	if g.db.dialect == postgresDialect {
		return `to_char(DATE '2026-11-20' - (` + days + `)::int, 'YYYY-MM-DD')`
	}
	return `date('2026-11-20', '-' || (` + days + `) || ' days')`
}

// pool picks for each number a live unit at a depth: 2% the city, 18% a
// district, 60% a commune, 20% a cell (of depth 3), spread by a
// multiplier.
// The join on (depth, rn) is an equality of both columns, so that each
// number finds its unit by hash or index, not by reading the pool. Each
// number's rn takes its depth's count from a scalar subquery, not a join
// of cnts: with the join SQLite put cnts after the pool, so that rn was
// not known when it searched the pool, and built its automatic index on
// depth alone; every number then read all the pool's units of its depth
// (20,461 cells), and the documents step took 59 min on the SQLite city
// where it now takes seconds. cnts is MATERIALIZED: PostgreSQL (12 on)
// inlines a CTE read once, and put it into that scalar subquery, so that
// each number counted the units again (2,000,000 audit entries: a sort of
// 22,280 units per number, no row in 45 minutes in session 16).
const listGenPool = `pool AS (SELECT id, path, depth, row_number() OVER (PARTITION BY depth ORDER BY id) AS rn
		FROM units WHERE dissolved_on IS NULL AND depth <= 3),
	cnts AS MATERIALIZED (SELECT depth, COUNT(*) AS cnt FROM units WHERE dissolved_on IS NULL AND depth <= 3 GROUP BY depth),
	pick0 AS (SELECT i, CASE WHEN i % 50 = 0 THEN 0 WHEN i % 50 < 10 THEN 1 WHEN i % 50 < 40 THEN 2 ELSE 3 END AS dep FROM n),
	pick AS (SELECT k.i, k.dep, 1 + (k.i * 7919) % (SELECT c.cnt FROM cnts c WHERE c.depth = k.dep) AS rn FROM pick0 k)`

const listGenAnc = `anc(unit_id, anc_id) AS (SELECT id, id FROM units UNION ALL SELECT a.unit_id, u.parent_id FROM anc a JOIN units u ON u.id = a.anc_id WHERE u.parent_id IS NOT NULL)`

func (g listGen) exec(ctx context.Context, what, q string, args ...any) (int64, error) {
	start := time.Now()
	res, err := g.db.write.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, _ := res.RowsAffected()
	g.t.Logf("  %s: %d rows in %s", what, n, time.Since(start).Round(time.Millisecond))
	return n, nil
}

// documents writes count documents (without their doc_scopes rows:
// docScopes), each with its folded title for the full-text index
// (search_title, as doc.SearchText folds it), so that the documents search
// finds them (before r23-city it found none: TestMeasureLists's "search"
// rows measured an empty answer).
func (g listGen) documents(ctx context.Context, count int) error {
	if _, err := g.exec(ctx, "documents", `WITH RECURSIVE `+g.numbers(count)+`, `+listGenPool+`
		INSERT INTO documents (kind, type, number, issuer_code, issuer_unit_id, issued_on, category, featured, title, search_title, summary, body,
			audience_unit_id, audience_roles, version, published_at, updated_at)
		SELECT CASE WHEN k.i % 10 = 7 THEN 'news' ELSE 'document' END,
			CASE WHEN k.i % 10 = 7 THEN '' WHEN k.i % 1000 = 999 THEN 'QC' WHEN k.i % 100 < 40 THEN 'TB' WHEN k.i % 100 < 65 THEN 'CV' WHEN k.i % 100 < 80 THEN 'KH'
				WHEN k.i % 100 < 90 THEN 'BC' WHEN k.i % 100 < 97 THEN 'NQ' ELSE 'CT' END,
			'', 'HU', p.id, `+g.daysBefore(`k.i * 730 / `+strconv.Itoa(count))+`,
			CASE WHEN k.i % 10 <> 7 THEN '' WHEN k.i % 200 = 7 THEN 'Gương' ELSE 'Tin' END, k.i % 70 = 7,
			'Văn bản ' || k.i, 'van ban ' || k.i, '', '', p.id, CASE WHEN k.i % 5 = 3 THEN ',committee,' ELSE '' END, 1,
			`+g.minutesBefore(`(k.i * 1051200) / `+strconv.Itoa(count))+`, `+g.minutesBefore(`(k.i * 1051200) / `+strconv.Itoa(count))+`
		FROM pick k JOIN pool p ON p.depth = k.dep AND p.rn = k.rn`); err != nil {
		return err
	}
	return nil
}

// docScopes writes the doc_scopes rows of the documents with ids above
// before, and the benchmark members' receipts of them.
func (g listGen) docScopes(ctx context.Context, before int64) error {
	cols := `nd.kind, nd.issued_on, nd.id, nd.type, nd.issuer_unit_id, nd.category, nd.featured`
	if _, err := g.exec(ctx, "doc_scopes", `WITH RECURSIVE `+listGenAnc+`,
		nd AS (SELECT id, kind, type, issuer_unit_id, category, featured, issued_on, audience_unit_id,
			CASE WHEN audience_roles = '' THEN '*' ELSE replace(audience_roles, ',', '') END AS tok FROM documents WHERE id > $1)
		INSERT INTO doc_scopes (rel, scope, role, kind, issued_on, doc_id, type, issuer_unit_id, category, featured)
		SELECT 's', 0, '', `+cols+` FROM nd
		UNION ALL SELECT 'u', nd.audience_unit_id, nd.tok, `+cols+` FROM nd
		UNION ALL SELECT 's', a.anc_id, '', `+cols+` FROM nd JOIN anc a ON a.unit_id = nd.audience_unit_id
		UNION ALL SELECT 's', a.anc_id, nd.tok, `+cols+` FROM nd JOIN anc a ON a.unit_id = nd.audience_unit_id`, before); err != nil {
		return err
	}
	// The benchmark's members read nine in ten of the documents to
	// everyone at their cell and above: those whose id / 50 is not a
	// multiple of ten. The documents to the city are the ids multiple of
	// 50 (pool), so that the id's last digit (d.id % 10 <> 0, before)
	// left every one of them unread: 47 receipts each on the SQLite city
	// for 4,000 documents to the city.
	for _, a := range cityActors(g.t, g.db) {
		if a.member == 0 {
			continue
		}
		if _, err := g.exec(ctx, "receipts of member "+strconv.FormatInt(a.member, 10), `WITH RECURSIVE `+listGenAnc+`
			INSERT INTO doc_receipts (document_id, member_id, version, read_at)
			SELECT d.id, m.id, 1, d.published_at FROM members m JOIN anc a ON a.unit_id = m.unit_id JOIN documents d ON d.audience_unit_id = a.anc_id
			WHERE m.id = $1 AND d.audience_roles = '' AND d.id > $2 AND (d.id / 50) % 10 <> 0`, a.member, before); err != nil {
			return err
		}
	}
	return nil
}

// listGenAccounts creates the benchmark readers' accounts (cityActors:
// their ids) and 995 others, and returns the readers'.
func (g listGen) accounts(ctx context.Context) ([]cityActor, error) {
	actors := cityActors(g.t, g.db)
	for _, a := range actors {
		var member any
		if a.member != 0 {
			member = a.member
		}
		if _, err := g.db.write.ExecContext(ctx, `INSERT INTO accounts (id, username, password_hash, member_id, created_at) VALUES ($1, $2, 'x', $3, $4)
			ON CONFLICT DO NOTHING`, a.account, "bench-"+a.name, member, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return nil, err
		}
	}
	_, err := g.exec(ctx, "accounts", `WITH RECURSIVE `+g.numbers(995)+`
		INSERT INTO accounts (id, username, password_hash, created_at) SELECT 2000000 + i, 'bench-' || i, 'x', `+g.minutesBefore("600000")+` FROM n WHERE true
		ON CONFLICT DO NOTHING`)
	return actors, err
}

func (g listGen) notifications(ctx context.Context, count int) error {
	actors, err := g.accounts(ctx)
	if err != nil {
		return err
	}
	// A tenth to the readers: their accounts, and one in three of those
	// to their member where they have one.
	var acc, mem []string
	for _, a := range actors {
		acc = append(acc, strconv.FormatInt(a.account, 10))
		m := "NULL"
		if a.member != 0 {
			m = strconv.FormatInt(a.member, 10)
		}
		mem = append(mem, m)
	}
	pickOf := func(list []string) string {
		var b strings.Builder
		b.WriteString("CASE (i / 10) % " + strconv.Itoa(len(list)))
		for j, v := range list {
			b.WriteString(" WHEN " + strconv.Itoa(j) + " THEN " + v)
		}
		return b.String() + " END"
	}
	reader := `i % 10 = 0`
	toMember := `(` + reader + ` AND i % 30 = 0 AND ` + pickOf(mem) + ` IS NOT NULL)`
	_, err = g.exec(ctx, "notifications", `WITH RECURSIVE `+g.numbers(count)+`
		INSERT INTO notifications (account_id, member_id, kind, title, body, link, created_at, read_at)
		SELECT CASE WHEN `+toMember+` THEN NULL WHEN `+reader+` THEN `+pickOf(acc)+` ELSE 2000000 + 1 + (i * 7919) % 995 END,
			CASE WHEN `+toMember+` THEN `+pickOf(mem)+` END,
			'task_assigned', 'Công việc ' || i, '', '', `+g.minutesBefore(`(`+strconv.Itoa(count)+` - i) / 4`)+`,
			CASE WHEN i % 4 <> 0 THEN `+g.minutesBefore(`(`+strconv.Itoa(count)+` - i) / 4 - 1`)+` END
		FROM n`)
	return err
}

func (g listGen) audit(ctx context.Context, count int) error {
	var before, seq int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0), COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&before, &seq); err != nil {
		return err
	}
	if _, err := g.exec(ctx, "audit_log", `WITH RECURSIVE `+g.numbers(count)+`, `+listGenPool+`
		INSERT INTO audit_log (at, username, action, object_type, object_id, unit_path, seq)
		SELECT `+g.minutesBefore(`(`+strconv.Itoa(count)+` - k.i) / 4`)+`, 'user' || (k.i % 2000),
			CASE WHEN k.i % 1000 = 999 THEN 'member.transfer' WHEN k.i % 3 = 0 THEN 'task.step' WHEN k.i % 3 = 1 THEN 'member.update' ELSE 'doc.create' END,
			'member', k.i, p.path, $1 + k.i
		FROM pick k JOIN pool p ON p.depth = k.dep AND p.rn = k.rn ORDER BY k.i`, seq); err != nil {
		return err
	}
	_, err := g.exec(ctx, "audit_scopes", `WITH RECURSIVE `+listGenAnc+`
		INSERT INTO audit_scopes (scope_id, audit_id)
		SELECT a.anc_id, l.id FROM audit_log l JOIN units u ON u.path = l.unit_path JOIN anc a ON a.unit_id = u.id WHERE l.id > $1`, before)
	return err
}

// listDatasets are the databases of SOTAY_BENCH_DBS that the lists are
// measured on (the test is skipped without them), and the runs of each
// measure (SOTAY_BENCH_LISTS_RUNS, 20 by default).
func listDatasets(t *testing.T) (map[string]*DB, int) {
	if os.Getenv("SOTAY_BENCH_DBS") == "" {
		t.Skip("set SOTAY_BENCH_DBS to measure the lists on benchmark datasets")
	}
	return benchDSNs(t, map[string]*DB{}), benchCount(t, "SOTAY_BENCH_LISTS_RUNS", 20, "runs")
}

// TestMeasureLists measures, on each database of SOTAY_BENCH_DBS filled by
// TestGenerateLists, the first page, a next page and the total of the
// documents list (each filter), the inbox and the audit list, for the
// city's, a district's, a commune's and a cell's readers: wall time and
// CPU per request, this process's and the PostgreSQL server's for the
// one connection, its parallel workers' included (serverCPU), over SOTAY_BENCH_LISTS_RUNS runs (default 20);
// SOTAY_BENCH_LISTS_ONLY keeps the lists whose name holds it.
//
//	SOTAY_BENCH_DBS=… go test ./internal/store -run TestMeasureLists -v
func TestMeasureLists(t *testing.T) {
	ctx := context.Background()
	dbs, runs := listDatasets(t)
	for name, db := range dbs {
		measure := listMeter(t, name, db, runs)
		measureMemberSearch(t, db, measure)
		if !slices.ContainsFunc(actorLists(t, db), measuredList) {
			continue
		}
		for _, a := range cityActors(t, db) {
			reach := doc.Reach{MemberID: a.member}
			if a.name == "member" || a.name == "cell-officer" {
				if err := db.read.QueryRowContext(ctx, `SELECT u.path FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, a.member).Scan(&reach.MemberPath); err != nil {
					t.Fatal(err)
				}
			}
			for i, p := range a.paths {
				role := auth.RoleOffice
				if a.name == "cell-officer" {
					role = auth.RoleCellOfficer
				}
				reach.Grants = append(reach.Grants, auth.Grant{UnitID: a.units[i], UnitPath: p, Role: role})
			}
			for _, fl := range measuredDocFilters(t, db) {
				if !measuredList("documents " + fl.name) {
					continue
				}
				f := fl.f
				f.Reach, f.AccountID, f.Limit = reach, a.account, 50
				first, err := Docs{db}.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				total := totalText(first.Total, first.TotalAtLeast)
				measure("documents "+fl.name, a.name, "first", total, func() error { _, err := Docs{db}.List(ctx, f); return err })
				if first.NextCursor != nil {
					next := f
					next.Cursor = *first.NextCursor
					measure("documents "+fl.name, a.name, "next", total, func() error { _, err := Docs{db}.List(ctx, next); return err })
				}
			}
			// The documents search (GET /api/v1/search), ranked, not paged:
			// words every generated title holds, and one title's number.
			for _, q := range measuredDocSearches {
				if !measuredList("search q=" + q) {
					continue
				}
				sf := doc.SearchFilter{Reach: reach, Query: doc.ParseQuery(q), Limit: 20}
				got, err := Docs{db}.Search(ctx, sf)
				if err != nil {
					t.Fatal(err)
				}
				measure("search q="+q, a.name, "first", strconv.Itoa(len(got)), func() error { _, err := Docs{db}.Search(ctx, sf); return err })
			}
			r := notify.Reader{AccountID: a.account, MemberID: a.member, MemberPath: reach.MemberPath, Grants: reach.Grants,
				Since: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
			for _, unread := range []bool{false, true} {
				q := notify.Query{Limit: 21, UnreadOnly: unread}
				name := "inbox"
				if unread {
					name = "inbox unread"
				}
				if !measuredList(name+" (stored)") && !measuredList(name+" (new documents)") && !measuredList(name+" (counts)") {
					continue
				}
				items, err := Notifications{db}.Stored(ctx, r, q)
				if err != nil {
					t.Fatal(err)
				}
				cs, err := Notifications{db}.CountStored(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				cd, err := Notifications{db}.CountDerived(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				total := fmt.Sprintf("%d/%d stored, %d/%d new documents", cs.Total, cs.Unread, cd.Total, cd.Unread)
				measure(name+" (stored)", a.name, "first", total, func() error { _, err := Notifications{db}.Stored(ctx, r, q); return err })
				measure(name+" (new documents)", a.name, "first", total, func() error { _, err := Notifications{db}.DerivedDocuments(ctx, r, q); return err })
				measure(name+" (counts)", a.name, "total", total, func() error {
					n := Notifications{db}
					if _, err := n.CountStored(ctx, r); err != nil {
						return err
					}
					_, err := n.CountDerived(ctx, r)
					return err
				})
				if len(items) > 20 {
					last := items[19]
					next := q
					id, _ := strconv.ParseInt(last.ID, 10, 64)
					next.After = &notify.Position{At: last.CreatedAt, Src: 1, ID: id}
					measure(name+" (stored)", a.name, "next", total, func() error { _, err := Notifications{db}.Stored(ctx, r, next); return err })
				}
			}
			if len(a.paths) == 0 || !measuredList("audit") {
				continue
			}
			af := auth.AuditFilter{Paths: a.paths, Limit: 50}
			recs, err := db.ListAudit(ctx, af)
			if err != nil {
				t.Fatal(err)
			}
			measure("audit", a.name, "first", "-", func() error { _, err := db.ListAudit(ctx, af); return err })
			if len(recs) > 50 {
				next := af
				next.BeforeID = recs[49].ID
				measure("audit", a.name, "next", "-", func() error { _, err := db.ListAudit(ctx, next); return err })
			}
		}
	}
}

// listMeter returns the measure of TestMeasureLists on db (named name):
// one warm-up call of f, then runs calls, logged as a table row with the
// wall time, the CPU per call (this process's and, on PostgreSQL, the
// one backend's and its parallel workers', serverCPU) and the number of
// parallel workers seen over the runs.
func listMeter(t *testing.T, name string, db *DB, runs int) func(list, reader, page, total string, f func() error) {
	server := newServerCPU(t, db)
	t.Logf("| dataset | list | reader | page | total | wall | CPU | workers |")
	return func(list, reader, page, total string, f func() error) {
		t.Helper()
		if !measuredList(list) {
			return
		}
		if err := f(); err != nil { // warm: the statement prepared, the pages cached
			t.Fatalf("%s %s %s: %v", list, reader, page, err)
		}
		cpu0, srv0, wall0, w0 := processCPUTime(), server.cpu(), time.Now(), server.workers()
		for range runs {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}
		per := func(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000/float64(runs)) }
		wall := time.Since(wall0)
		cpu := processCPUTime() - cpu0 + server.cpu() - srv0
		t.Logf("| %s | %s | %s | %s | %s | %s ms | %s ms | %d |", name, list, reader, page, total,
			per(wall), per(cpu), server.workers()-w0)
	}
}

// totalText is a list's total as the measures print it: "1000+" when it
// is a lower bound.
func totalText(total int, atLeast bool) string {
	if atLeast {
		return strconv.Itoa(total) + "+"
	}
	return strconv.Itoa(total)
}

// actorLists are the names of the lists TestMeasureLists reads for its
// readers (cityActors): the documents lists and search, the inbox's, the
// audit list.
func actorLists(t testing.TB, db *DB) []string {
	lists := []string{"audit"}
	for _, fl := range measuredDocFilters(t, db) {
		lists = append(lists, "documents "+fl.name)
	}
	for _, inbox := range []string{"inbox", "inbox unread"} {
		lists = append(lists, inbox+" (stored)", inbox+" (new documents)", inbox+" (counts)")
	}
	for _, q := range measuredDocSearches {
		lists = append(lists, "search q="+q)
	}
	return lists
}

// measuredList reports whether TestMeasureLists measures the list named
// list: SOTAY_BENCH_LISTS_ONLY is empty or a part of its name.
func measuredList(list string) bool {
	only := os.Getenv("SOTAY_BENCH_LISTS_ONLY")
	return only == "" || strings.Contains(list, only)
}

// measuredDocSearches are the documents searches TestMeasureLists reads
// for each reader (r23-city): words of every generated title ("Văn bản
// N"), and one title whole; r24-docwords added prefixes of the numbers
// of three letters ("123": 1,111 matches, a key of document_words of its
// own) and four ("1234": 111, whose key "123*" holds ten times its
// matches), and "19" with a rarer word ("van 19 123457": one match).
var measuredDocSearches = []string{"van ban", "văn bản 123457", "123457", "24-CT/TU", "van ban 19", "van ban 1", "van ban 123", "van ban 1234", "19 van 123457"}

// measuredSearches are the member searches TestMeasureLists reads, each
// in the city (HN), a big district (HN.ST) and the demo-sized district
// (HN.PX), active members: a common word, a rare one, two rare words,
// two common words that rarely meet, one letter; common digits, digits
// of middling frequency, a whole phone number ("d:" digits).
var measuredSearches = []string{"nguyen", "khuc", "khuc thi", "van nguyen", "z", "d:001", "d:0915", "d:09151", "d:0915197822"}

// measuredMemberLists are the member lists without a search that
// TestMeasureLists reads, as GET /members asks for them: the active
// members (the default), every status, a rare status, the subtree on a
// past day (as_of), the members its cells host, those admitted by a day
// (of every status, and the probationary ones as due-full asks).
var measuredMemberLists = []struct {
	name string
	edit func(*member.Filter)
}{
	{"members", func(*member.Filter) {}},
	{"members status=all", func(f *member.Filter) { f.Statuses = member.Statuses }},
	{"members status=deceased", func(f *member.Filter) { f.Statuses = []member.Status{member.StatusDeceased} }},
	{"members as_of=2025-06-30", func(f *member.Filter) { f.AsOf = date.New(2025, time.June, 30) }},
	// A day when few of the city's members had joined (about one in
	// ten; one in twenty-five on the second): the walk of the day's rows
	// in name order skips the others (r18-asof).
	{"members as_of=1975-01-01", func(f *member.Filter) { f.AsOf = date.New(1975, time.January, 1) }},
	{"members as_of=1965-01-01", func(f *member.Filter) { f.AsOf = date.New(1965, time.January, 1) }},
	{"members hosted", func(f *member.Filter) { f.Hosted = true }},
	{"members admitted_by=1990-01-01", func(f *member.Filter) { f.AdmittedBy = date.New(1990, time.January, 1) }},
	// GET /members/due-full on the dataset's day (2026-11-20): the
	// probationary members admitted 12 months before or earlier.
	{"members due-full admitted_by=2025-11-20", func(f *member.Filter) {
		f.Statuses, f.AdmittedBy = []member.Status{member.StatusProbationary}, date.New(2025, time.November, 20)
	}},
}

// measureMemberSearch measures the member lists (measuredMemberLists) and
// searches (measuredSearches, as the lists "members q=…"), first page
// with its total and the next page.
func measureMemberSearch(t *testing.T, db *DB, measure func(list, reader, page, total string, f func() error)) {
	ctx := context.Background()
	type memberList struct {
		name string
		edit func(*member.Filter)
	}
	lists := []memberList{}
	for _, l := range measuredMemberLists {
		lists = append(lists, memberList(l))
	}
	for _, q := range measuredSearches {
		lists = append(lists, memberList{"members q=" + q, func(f *member.Filter) {
			f.Query = q
			if d, ok := strings.CutPrefix(q, "d:"); ok {
				f.Query, f.Digits = "", d
			}
		}})
	}
	for _, code := range []string{"HN", "HN.ST", "HN.PX"} {
		for _, l := range lists {
			list := l.name
			if !measuredList(list) {
				continue
			}
			u, err := Units{db}.ByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			f := member.Filter{Path: u.Path, Limit: 50, Statuses: member.ActiveStatuses}
			l.edit(&f)
			first, err := Members{db}.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			total := totalText(first.Total, first.TotalAtLeast)
			measure(list, code, "first", total, func() error { _, err := Members{db}.List(ctx, f); return err })
			if first.NextCursor != nil {
				next := f
				next.Cursor = *first.NextCursor
				measure(list, code, "next", total, func() error { _, err := Members{db}.List(ctx, next); return err })
			}
		}
	}
}

// measuredDocFilters are the documents lists TestMeasureLists reads: all,
// a common type, a rare one (one in a thousand), an issuer (a commune of
// the district), news of a rare category, the featured news, unread.
func measuredDocFilters(t testing.TB, db *DB) []struct {
	name string
	f    doc.ListFilter
} {
	commune, err := Units{db}.ByCode(context.Background(), "HN.PX.PHUTUC")
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name string
		f    doc.ListFilter
	}{
		{"all", doc.ListFilter{Kind: doc.KindDocument}},
		{"type=TB", doc.ListFilter{Kind: doc.KindDocument, Type: "TB"}},
		{"type=QC (rare)", doc.ListFilter{Kind: doc.KindDocument, Type: "QC"}},
		{"unit=commune", doc.ListFilter{Kind: doc.KindDocument, IssuerUnitID: commune.ID}},
		{"news category=Gương", doc.ListFilter{Kind: doc.KindNews, Category: "Gương"}},
		{"news featured", doc.ListFilter{Kind: doc.KindNews, Featured: true}},
		{"unread", doc.ListFilter{Kind: doc.KindDocument, Unread: true}},
	}
}
