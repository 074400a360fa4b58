package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// planChecker asks an engine how it runs a query (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN with sequential scans off on PostgreSQL) and fails on
// what would cost more than the page: the checks of TestTaskListPlans
// (badPlanLines, badPGNodes) for the lists other than tasks (issue 17).
//
// It keeps each plan it was asked for (by statement and arguments: the
// same connection and settings, and the tests write nothing between their
// checks): a test checks the same statement in several ways (scans and
// sorts, the indexes read, the nodes of a merge), and each EXPLAIN of the
// generic plan is five round trips; TestDocListPlans asked PostgreSQL for
// each of its 336 plans two to four times.
type planChecker struct {
	db    *DB
	conn  *sql.Conn
	mu    sync.Mutex
	plans map[string][]string
}

// cached returns the plan kept under key, or computes and keeps it.
func (c *planChecker) cached(key string, compute func() ([]string, error)) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if lines, ok := c.plans[key]; ok {
		return lines, nil
	}
	lines, err := compute()
	if err != nil {
		return nil, err
	}
	if c.plans == nil {
		c.plans = map[string][]string{}
	}
	c.plans[key] = lines
	return lines, nil
}

// planKey names a plan: its kind, the statement and its arguments.
func planKey(kind, q string, args []any) string {
	return fmt.Sprintf("%s\x00%s\x00%#v", kind, q, args)
}

// genericPlan is pgGenericPlan of q on the checker's connection, kept.
func (c *planChecker) genericPlan(q string, args []any) ([]string, error) {
	return c.cached(planKey("generic", q, args), func() ([]string, error) {
		return pgGenericPlan(context.Background(), c.conn, q, args)
	})
}

func newPlanChecker(t *testing.T, db *DB) *planChecker {
	t.Helper()
	ctx := context.Background()
	conn, err := db.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if db.dialect == postgresDialect {
		// The test's tables are small: without this the planner reads
		// them whole, or reads a few rows by bitmap and sorts them, as it
		// should there. With sorts made dear, a Sort left in the plan is
		// one no index can spare.
		for _, set := range []string{`SET enable_seqscan = off`, `SET enable_sort = off`} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &planChecker{db: db, conn: conn}
}

// plan is the plan of q (planLines of EXPLAIN QUERY PLAN, or of EXPLAIN's
// JSON on PostgreSQL).
func (c *planChecker) plan(t *testing.T, what, q string, args []any) []string {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if c.db.dialect == postgresDialect {
		explain = "EXPLAIN (FORMAT JSON) "
	}
	lines, err := c.cached(planKey("plan", q, args), func() ([]string, error) {
		rows, err := c.conn.QueryContext(context.Background(), explain+q, args...)
		if err != nil {
			return nil, err
		}
		return planLines(rows)
	})
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, q)
	}
	return lines
}

// check fails t when the plan of q scans or sorts more than the page.
func (c *planChecker) check(t *testing.T, what, q string, args []any) {
	t.Helper()
	lines := c.plan(t, what, q, args)
	bad := badPlanLines(c.db.dialect, lines)
	if c.db.dialect == postgresDialect {
		var nodes []pgPlanNode
		if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("plan: %v", err)
		}
		bad = badPGNodes(nodes[0].Plan, false)
	}
	if len(bad) > 0 {
		t.Errorf("%s: the plan scans or sorts more than the page: %q\nplan:\n%s", what, bad, strings.Join(lines, "\n"))
	}
	if c.db.dialect == postgresDialect && len(args) > 0 {
		lines, err := c.genericPlan(q, args)
		if err != nil {
			t.Fatalf("%s: generic plan: %v\n%s", what, err, q)
		}
		checkPGGenericPlan(t, what, lines)
	}
}

// TestNotificationListPlans checks the inbox's page of stored
// notifications: the account's and the member's arms, with and without a
// member, unread only, from a cursor.
func TestNotificationListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		for _, s := range []struct {
			name string
			r    notify.Reader
			q    notify.Query
		}{
			{"account-and-member", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21}},
			{"account-only", notify.Reader{AccountID: 3}, notify.Query{Limit: 21}},
			{"unread", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, UnreadOnly: true}},
			{"next-after-stored", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, After: &notify.Position{At: at, Src: 1, ID: 77}}},
			{"next-after-derived", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 21, After: &notify.Position{At: at, Src: 0, ID: 77}}},
			{"digest-window", notify.Reader{AccountID: 3, MemberID: 9}, notify.Query{Limit: 50, Since: at.Add(-24 * time.Hour), Until: at}},
		} {
			t.Run(s.name, func(t *testing.T) {
				q, args := storedPageSQL(db.dialect, s.r, s.q)
				c.check(t, "page", q, args)
				// The new documents of a reader with a member and a role
				// (units on both paths, one shared): one range of
				// documents_audience_updated per unit, newest first,
				// stopping after the page; an IN over the units read
				// them all and sorted them.
				r := s.r
				r.MemberPath, r.Since = "/1/2/5/9/", at.Add(-60*24*time.Hour)
				r.Grants = []auth.Grant{{UnitPath: "/1/2/", Role: auth.RoleOffice}}
				q, args = derivedPageSQL(db.dialect, r, s.q)
				c.check(t, "new documents", q, args)
				want := 2 // the role's units 1, 2
				if r.MemberID != 0 {
					want = 4 // and the member's 5, 9
				}
				if n := strings.Count(q, "d.audience_unit_id = "); n != want {
					t.Errorf("new documents: %d ranges, want %d", n, want)
				}
			})
		}
	})
}

// TestAuditListPlans checks the audit list in a subtree: one unit's
// reach, several units (one under another), a unit asked for, with the
// filters of the audit browser and a cursor.
func TestAuditListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		for _, s := range []struct {
			name string
			f    auth.AuditFilter
		}{
			{"unit", auth.AuditFilter{Paths: []string{"/1/2/"}}},
			{"unit-next", auth.AuditFilter{Paths: []string{"/1/2/"}, BeforeID: 77}},
			{"two-units", auth.AuditFilter{Paths: []string{"/1/2/", "/1/5/", "/1/5/9/"}, BeforeID: 77}},
			{"unit-asked", auth.AuditFilter{Paths: []string{"/1/2/", "/1/5/"}, UnitPath: "/1/2/7/"}},
			{"filters", auth.AuditFilter{Paths: []string{"/1/2/"}, Username: "btv", Actions: []string{"member.update", "member.read"}, Since: at.Add(-time.Hour), Until: at}},
			{"object", auth.AuditFilter{Paths: []string{"/1/2/"}, ObjectType: "member", ObjectID: 12}},
			// A unit's history (org.Changes): one range of audit_log_object
			// per action (migration 0048), not the reach's entries.
			{"object-history", auth.AuditFilter{Paths: []string{"/1/2/"}, ObjectType: "unit", ObjectID: 2, Actions: []string{"unit.update", "unit.create", "unit.move"}}},
			{"object-history-next", auth.AuditFilter{Paths: []string{"/1/2/", "/1/5/"}, ObjectType: "unit", ObjectID: 2, Actions: []string{"unit.update", "unit.create"}, BeforeID: 77}},
			{"system", auth.AuditFilter{Paths: []string{"/1/2/"}, IncludePrivate: true}},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				q, args, ok := auditListSQL(db.dialect, s.f)
				if !ok {
					t.Fatal("no query")
				}
				c.check(t, "page", q, args)
				if strings.HasPrefix(s.name, "object-history") {
					plan := strings.Join(c.plan(t, "page", q, args), "\n")
					if !strings.Contains(plan, "audit_log_object") || strings.Contains(plan, "audit_scopes") {
						t.Errorf("the history does not read audit_log_object alone:\n%s", plan)
					}
				}
			})
		}
	})
}

// TestListAuditSubtreePages pages through the audit list of a subtree
// whose entries are spread over several units (and one above it, and one
// beside it): every entry of the subtree once, newest first, across
// pages, whichever units are asked for.
func TestListAuditSubtreePages(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1", "cell HN.1.2")
		city, district, other, cellA, cellB := u["HN"], u["HN.1"], u["HN.2"], u["HN.1.1"], u["HN.1.2"]
		units := []*org.Unit{district, cellA, cellB, other, city}
		var all []auth.AuditRecord
		for i := 0; i < 23; i++ {
			u := units[i%len(units)]
			if err := db.Audit(ctx, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "unit", ObjectID: int64(i + 1), UnitPath: u.Path}); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := db.ListAudit(ctx, auth.AuditFilter{Paths: []string{"/"}, Limit: 1000, IncludePrivate: true})
		if err != nil {
			t.Fatal(err)
		}
		all = recs
		pathOf := map[int64]string{}
		for _, u := range []*org.Unit{city, district, other, cellA, cellB} {
			pathOf[u.ID] = u.Path
		}
		for _, tc := range []struct {
			name     string
			paths    []string
			unitPath string
		}{
			{"district", []string{district.Path}, ""},
			{"two cells", []string{cellA.Path, cellB.Path}, ""},
			{"district and a cell in it", []string{cellB.Path, district.Path}, ""},
			{"district and the other", []string{district.Path, other.Path}, ""},
			{"cell asked in district", []string{district.Path, other.Path}, cellA.Path},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := func(p string) bool {
					if tc.unitPath != "" && !strings.HasPrefix(p, tc.unitPath) {
						return false
					}
					for _, q := range tc.paths {
						if strings.HasPrefix(p, q) {
							return true
						}
					}
					return false
				}
				var want []int64
				for _, r := range all {
					var path string
					db.read.QueryRowContext(ctx, `SELECT unit_path FROM audit_log WHERE id = $1`, r.ID).Scan(&path)
					if in(path) {
						want = append(want, r.ID)
					}
				}
				got := auditPages(t, db, auth.AuditFilter{Paths: tc.paths, UnitPath: tc.unitPath, Limit: 4, IncludePrivate: true})
				if len(want) == 0 {
					t.Fatal("no entries in the subtree")
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// TestMemberListPlans checks the member list of a subtree in name order:
// with every filter of the list, from a cursor; the count too where it
// reads member_scopes alone or stops at its bound.
func TestMemberListPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		cursor := encodeCursor([]byte{0x41, 0x42}, 77)
		active := []member.Status{member.StatusProbationary, member.StatusFull}
		for _, s := range []struct {
			name  string
			f     member.Filter
			count bool
		}{
			{"subtree", member.Filter{Path: "/1/2/"}, true},
			{"subtree-next", member.Filter{Path: "/1/2/", Cursor: cursor}, true},
			{"active", member.Filter{Path: "/1/2/", Statuses: active}, true},
			{"search", member.Filter{Path: "/1/2/", Query: "nguyen van", Cursor: cursor}, true},
			{"digits", member.Filter{Path: "/1/2/5/", Digits: "0123"}, true},
			{"admitted-by", member.Filter{Path: "/1/2/", AdmittedBy: benchToday, Statuses: active}, true},
			// A past day (member_asof_scopes, migration 0045): the scope's
			// rows in name order, those not open on the day skipped.
			{"as-of", member.Filter{Path: "/1/2/", AsOf: date.MustParse("2025-06-30"), Statuses: active}, true},
			{"as-of-next", member.Filter{Path: "/1/2/", AsOf: date.MustParse("2025-06-30"), Statuses: active, Cursor: cursor}, true},
			{"as-of-every-status", member.Filter{Path: "/1/", AsOf: date.MustParse("2020-01-01")}, true},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				l, _, err := memberListQuery(s.f, memberCountBounds{})
				if err != nil || l == nil {
					t.Fatalf("memberListQuery: %v", err)
				}
				c.check(t, "page", l.Page+` LIMIT `+l.PageArgs.add(51), l.PageArgs)
				if s.count {
					c.check(t, "count", l.Count, l.CountArgs)
				}
			})
		}
	})
}

// TestMemberScopesFollowWrites lists each unit's subtree after members
// are created, edited (renamed, a status changed), after a unit's members are
// merged into another and after a subtree moves: the list (member_scopes)
// holds what the units' paths say, in name order.
func TestMemberScopesFollowWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1", "cell HN.1.2", "cell HN.2.1")
		city, d1, d2, c1, c2, c3 := u["HN"], u["HN.1"], u["HN.2"], u["HN.1.1"], u["HN.1.2"], u["HN.2.1"]
		units := []*org.Unit{city, d1, d2, c1, c2, c3}
		ids := []int64{mustMember(t, db, c1, "Nguyễn Văn An", "01000001").ID}
		binh := mustMember(t, db, c1, "Trần Thị Bình", "01000002")
		mustMember(t, db, c2, "Lê Văn Cường", "01000003")
		mustMember(t, db, c3, "Phạm Thị Dung", "01000004")
		check := func(step string) {
			t.Helper()
			for _, u := range units {
				var path string
				if err := db.read.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, u.ID).Scan(&path); err != nil {
					t.Fatal(err)
				}
				want, err := queryAll(ctx, db.read, scanValue[int64], `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id
					WHERE u.path >= $1 AND u.path < $2 AND m.status <> 'deceased' ORDER BY m.sort_key, m.id`, path, prefixEnd(path))
				if err != nil {
					t.Fatal(err)
				}
				p, err := (Members{db}).List(ctx, member.Filter{Path: path, Limit: 100, Statuses: []member.Status{
					member.StatusProbationary, member.StatusFull, member.StatusExempt, member.StatusExpelled}})
				if err != nil {
					t.Fatal(err)
				}
				got := []int64{}
				for _, m := range p.Items {
					got = append(got, m.ID)
				}
				if diff := cmp.Diff(want, got); diff != "" || p.Total != len(want) {
					t.Errorf("%s: members of %s (-want +got):\n%s total %d", step, u.Code, diff, p.Total)
				}
				// Admitted by a day (the day in member_scopes, migration
				// 0046), of every status, of one in name order (full) and of one
				// read by the sparse page (deceased).
				for _, sts := range [][]member.Status{nil, {member.StatusFull}, {member.StatusDeceased}} {
					want, err := queryAll(ctx, db.read, scanValue[int64], `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id
						WHERE u.path >= $1 AND u.path < $2 AND m.admitted_on <= '2010-01-01' AND ($3 = '' OR m.status = $3) ORDER BY m.sort_key, m.id`,
						path, prefixEnd(path), strings.Join(statusStrings(sts), ""))
					if err != nil {
						t.Fatal(err)
					}
					p, err := (Members{db}).List(ctx, member.Filter{Path: path, Limit: 100, Statuses: sts, AdmittedBy: date.New(2010, time.January, 1)})
					if err != nil {
						t.Fatal(err)
					}
					got := []int64{}
					for _, m := range p.Items {
						got = append(got, m.ID)
					}
					if diff := cmp.Diff(want, got); diff != "" || p.Total != len(want) || p.TotalAtLeast {
						t.Errorf("%s: members of %s %v admitted by 2010 (-want +got):\n%s total %d (at least: %v)", step, u.Code, sts, diff, p.Total, p.TotalAtLeast)
					}
				}
			}
		}
		check("created")
		an, _, err := (Members{db}).Member(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		an.AdmittedOn = date.New(2012, time.June, 1)
		if err := (Members{db}).Update(ctx, an, an.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		check("admitted later")
		m, _, err := (Members{db}).Member(ctx, binh.ID)
		if err != nil {
			t.Fatal(err)
		}
		m.FullName, m.SortKey = "Trần Thị Ánh", viet.NameSortKey("Trần Thị Ánh")
		if err := (Members{db}).Update(ctx, m, m.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		check("renamed")
		m.Status = member.StatusDeceased
		if err := (Members{db}).Update(ctx, m, m.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		check("deceased")
		if err := (Units{db}).Move(ctx, c2.ID, d2.ID, benchToday, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		check("moved")
		if err := (Units{db}).Merge(ctx, []int64{c1.ID}, c3.ID, benchToday, auth.AuditEntry{Actor: system, Action: "unit.merge", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		check("merged")
	})
}

// TestMemberSparseStatusPlans checks the page of a subtree's members of
// statuses that are few (memberSparsePage), on both engines: member_scopes
// read through member_scopes_status (the statuses' rows, not the subtree
// in name order through the primary key), the members and their units by
// primary key, joined after the page's rows are sorted and cut (not each
// of the statuses' rows: 543 look-ups for the city's deceased).
func TestMemberSparseStatusPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		cursor := encodeCursor([]byte{0x41, 0x42}, 77)
		for _, s := range []struct {
			name string
			f    member.Filter
		}{
			{"deceased", member.Filter{Path: "/1/2/", Statuses: []member.Status{member.StatusDeceased}}},
			{"deceased-next", member.Filter{Path: "/1/2/", Statuses: []member.Status{member.StatusDeceased}, Cursor: cursor}},
			{"two-statuses", member.Filter{Path: "/1/", Statuses: []member.Status{member.StatusExpelled, member.StatusStruckOff}}},
		} {
			t.Run(s.name, func(t *testing.T) {
				lines := sparsePagePlan(t, c, s.f)
				plan := strings.Join(lines, "\n")
				if db.dialect == postgresDialect {
					var nodes []pgPlanNode
					if err := json.Unmarshal([]byte(strings.Join(lines, "")), &nodes); err != nil || len(nodes) == 0 {
						t.Fatalf("plan: %v", err)
					}
					if bad := badPGNodes(nodes[0].Plan, false); len(bad) > 0 {
						t.Errorf("sparse page: %q\n%s", bad, plan)
					}
				}
				// SQLite: the page's sort (its temp B-tree) before the
				// members' look-ups, not after them.
				if sorted, joined := strings.LastIndex(plan, "USE TEMP B-TREE FOR ORDER BY"), strings.Index(plan, "SEARCH m USING"); db.dialect == sqliteDialect && sorted > joined {
					t.Errorf("sparse page sorts after it joins the members:\n%s", plan)
				}
				for _, want := range memberSparseReads[db.dialect] {
					if !want.MatchString(plan) {
						t.Errorf("sparse page does not %s:\n%s", want, plan)
					}
				}
				for _, bad := range memberSparseBad[db.dialect] {
					if bad.MatchString(plan) {
						t.Errorf("sparse page %s:\n%s", bad, plan)
					}
				}
			})
		}
	})
}

// sparsePagePlan is the plan of the sparse page (memberListQuery's
// SparsePage) of a member list of 50 with filter f, which must have one.
func sparsePagePlan(t *testing.T, c *planChecker, f member.Filter) []string {
	t.Helper()
	f.Limit = 50
	l, _, err := memberListQuery(f, memberCountBounds{})
	if err != nil || l == nil || l.Sparse == nil {
		t.Fatalf("memberListQuery: %v (no sparse page)", err)
	}
	q, args := l.SparsePage+` LIMIT `+l.SparseArgs.add(51), l.SparseArgs
	if c.db.dialect == postgresDialect {
		q, args = inlineArgs(q, args, l.Keep)
	}
	return c.plan(t, "sparse page", q, args)
}

// memberSparseReads are what the plan of memberSparsePage must read, by
// engine: the statuses' index, the members and units by primary key.
var memberSparseReads = map[dialect][]*regexp.Regexp{
	sqliteDialect: {
		regexp.MustCompile(`SEARCH s USING COVERING INDEX member_scopes_status \(scope_id=\? AND status=\?\)`),
		regexp.MustCompile(`SEARCH m USING INTEGER PRIMARY KEY`),
		regexp.MustCompile(`SEARCH u USING INTEGER PRIMARY KEY`),
	},
	postgresDialect: {
		regexp.MustCompile(`"Index Name": "member_scopes_status"`),
		regexp.MustCompile(`"Index Name": "members_pkey"`),
	},
}

// memberSparseBad are what it must not: member_scopes through its primary
// key (a walk of the subtree in name order).
var memberSparseBad = map[dialect][]*regexp.Regexp{
	sqliteDialect: {
		regexp.MustCompile(`member_scopes.*PRIMARY KEY|SCAN s USING PRIMARY KEY`),
	},
	postgresDialect: {
		regexp.MustCompile(`"Index Name": "member_scopes_pkey"`),
	},
}

// pagingTree is the tree the member paging tests page through: a
// province, two districts and three cells, in that order (units[3:] are
// the cells, where the members of pagingNames go).
func pagingTree(t *testing.T, db *DB) []*org.Unit {
	t.Helper()
	u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1", "cell HN.1.2", "cell HN.2.1")
	return []*org.Unit{u["HN"], u["HN.1"], u["HN.2"], u["HN.1.1"], u["HN.1.2"], u["HN.2.1"]}
}

// pagingNames are the members' names of the paging tests.
var pagingNames = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang", "Đặng Văn Hùng", "Bùi Thị Lan"}

// TestMemberSparseStatusPages pages (two at a time) through each unit's
// members of some statuses, both ways a page may be read (the walk of the
// subtree in name order, and the statuses' rows sorted: memberSparsePage,
// chosen by memberSparseStatuses against the count), against the members
// the units' paths and the statuses say, in name order, totals included;
// after statuses change and a cell moves.
func TestMemberSparseStatusPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		units, names := pagingTree(t, db), pagingNames
		var ms []*member.Member
		for i, n := range names {
			ms = append(ms, mustMember(t, db, units[3+i%3], n, fmt.Sprintf("0200%04d", i)))
		}
		setStatus := func(m *member.Member, st member.Status) {
			t.Helper()
			got, _, err := (Members{db}).Member(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Status = st
			if err := (Members{db}).Update(ctx, got, got.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
		}
		statusSets := [][]member.Status{{member.StatusDeceased}, {member.StatusDeceased, member.StatusExpelled}, member.ActiveStatuses}
		check := func(step string) {
			t.Helper()
			for _, un := range units {
				var path string
				if err := db.read.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, un.ID).Scan(&path); err != nil {
					t.Fatal(err)
				}
				for _, sts := range statusSets {
					in := make([]string, len(sts))
					for i, s := range sts {
						in[i] = "'" + string(s) + "'"
					}
					want, err := queryAll(ctx, db.read, scanValue[int64], `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id
						WHERE u.path >= $1 AND u.path < $2 AND m.status IN (`+strings.Join(in, ",")+`) ORDER BY m.sort_key, m.id`, path, prefixEnd(path))
					if err != nil {
						t.Fatal(err)
					}
					// -1: never the sorted read; a million: always.
					for _, sparse := range []int{-1, 1_000_000} {
						db.memberBounds.sparseStatuses = sparse
						got, totals := []int64{}, map[int]bool{}
						f := member.Filter{Path: path, Limit: 2, Statuses: sts}
						for range 20 {
							p, err := (Members{db}).List(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							totals[p.Total] = true
							for _, m := range p.Items {
								got = append(got, m.ID)
							}
							if p.NextCursor == nil {
								break
							}
							f.Cursor = *p.NextCursor
						}
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("%s: %s %v, sparse bound %d (-want +got):\n%s", step, un.Code, sts, sparse, diff)
						}
						if diff := cmp.Diff(map[int]bool{len(want): true}, totals); diff != "" {
							t.Errorf("%s: %s %v, sparse bound %d: totals (-want +got):\n%s", step, un.Code, sts, sparse, diff)
						}
					}
				}
			}
		}
		for i, m := range ms {
			switch i % 4 {
			case 1:
				setStatus(m, member.StatusDeceased)
			case 2:
				setStatus(m, member.StatusExpelled)
			}
		}
		check("statuses")
		setStatus(ms[1], member.StatusFull)
		setStatus(ms[0], member.StatusDeceased)
		check("changed")
		if err := (Units{db}).Move(ctx, units[4].ID, units[2].ID, benchToday, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		check("moved")
	})
}

// TestMemberAdmittedByTotals pages (two at a time) through each unit's
// members admitted by a day, for days that keep none, some and all of
// them, with the count's bound (memberAdmittedCountBound) lowered to 3:
// total is exact up to the bound (no TotalAtLeast) and the bound with
// TotalAtLeast above it, and the pages still hold every match, in name
// order, against what members.admitted_on and the units' paths say.
func TestMemberAdmittedByTotals(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		units, names := pagingTree(t, db), pagingNames
		for i, n := range names {
			m := mustMember(t, db, units[3+i%3], n, fmt.Sprintf("0300%04d", i))
			got, _, err := (Members{db}).Member(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.AdmittedOn, got.FullOn = date.New(2000+i, time.March, 1), date.New(2001+i, time.March, 1)
			if i%3 != 2 {
				got.Status = member.StatusProbationary
			}
			if err := (Members{db}).Update(ctx, got, got.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
				t.Fatal(err)
			}
		}
		db.memberBounds.admitted = 3
		days := []date.Date{date.New(1999, time.January, 1), date.New(2001, time.June, 1), date.New(2004, time.June, 1), date.New(2030, time.January, 1)}
		type answer struct {
			IDs     []int64
			Total   int
			AtLeast bool
		}
		sawAtLeast, sawExact := false, false
		for _, un := range units {
			var path string
			if err := db.read.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, un.ID).Scan(&path); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				day      date.Date
				statuses []member.Status
			}{{days[0], nil}, {days[1], nil}, {days[2], nil}, {days[3], nil}, {days[2], []member.Status{member.StatusProbationary}}, {days[3], []member.Status{member.StatusProbationary}}} {
				day := c.day
				in := []string{"probationary", "full"}
				if c.statuses != nil {
					in = []string{"probationary"}
				}
				ids, err := queryAll(ctx, db.read, scanValue[int64], `SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id
					WHERE u.path >= $1 AND u.path < $2 AND m.admitted_on <= $3 AND m.status IN ('`+strings.Join(in, "','")+`') ORDER BY m.sort_key, m.id`, path, prefixEnd(path), day)
				if err != nil {
					t.Fatal(err)
				}
				want := answer{IDs: ids, Total: min(len(ids), 3), AtLeast: len(ids) > 3}
				sawAtLeast, sawExact = sawAtLeast || want.AtLeast, sawExact || (!want.AtLeast && len(ids) > 0)
				got := answer{IDs: []int64{}}
				f := member.Filter{Path: path, Limit: 2, AdmittedBy: day, Statuses: c.statuses}
				for page := 0; page < 20; page++ {
					p, err := (Members{db}).List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if page == 0 {
						got.Total, got.AtLeast = p.Total, p.TotalAtLeast
					} else if p.Total != got.Total || p.TotalAtLeast != got.AtLeast {
						t.Errorf("%s by %s: page %d total %d (at least %v), first page %d (%v)", un.Code, day, page, p.Total, p.TotalAtLeast, got.Total, got.AtLeast)
					}
					for _, m := range p.Items {
						got.IDs = append(got.IDs, m.ID)
					}
					if p.NextCursor == nil {
						break
					}
					f.Cursor = *p.NextCursor
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s admitted by %s %v (-want +got):\n%s", un.Code, day, c.statuses, diff)
				}
			}
		}
		if !sawAtLeast || !sawExact {
			t.Errorf("the cases saw a total above the bound: %v, an exact one: %v; want both", sawAtLeast, sawExact)
		}
	})
}

// TestMemberAdmittedPlans checks the lists of a subtree's members admitted
// by a day (due-full: the probationary ones; any statuses; every status)
// on both engines: the bounded count reads member_scopes alone (the day
// is in its rows, migration 0046), not the members; the page and the
// count scan and sort no more than the page (planChecker); and due-full's
// sparse page reads its statuses' rows admitted by the day as one range
// of member_scopes_status.
func TestMemberAdmittedPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		cursor := encodeCursor([]byte{0x41, 0x42}, 77)
		probation := []member.Status{member.StatusProbationary}
		readsMembers := regexp.MustCompile(`SEARCH m USING|SCAN m\b|"Relation Name": "members"`)
		for _, s := range []struct {
			name string
			f    member.Filter
		}{
			{"due-full", member.Filter{Path: "/1/2/", AdmittedBy: benchToday, Statuses: probation}},
			{"due-full-next", member.Filter{Path: "/1/2/", AdmittedBy: benchToday, Statuses: probation, Cursor: cursor}},
			{"active", member.Filter{Path: "/1/2/", AdmittedBy: benchToday, Statuses: []member.Status{member.StatusProbationary, member.StatusFull}}},
			{"every-status", member.Filter{Path: "/1/", AdmittedBy: benchToday}},
			{"every-status-next", member.Filter{Path: "/1/", AdmittedBy: benchToday, Cursor: cursor}},
		} {
			t.Run(s.name, func(t *testing.T) {
				s.f.Limit = 50
				l, bound, err := memberListQuery(s.f, memberCountBounds{})
				if err != nil || l == nil || bound == 0 {
					t.Fatalf("memberListQuery: %v, bound %d", err, bound)
				}
				pageQ := l.Page + ` LIMIT ` + l.PageArgs.add(51)
				c.check(t, "page", pageQ, l.PageArgs)
				c.check(t, "count", l.Count, l.CountArgs)
				if plan := strings.Join(c.plan(t, "count", l.Count, l.CountArgs), "\n"); readsMembers.MatchString(plan) {
					t.Errorf("the count reads the members:\n%s", plan)
				}
				if s.f.Cursor != "" {
					// The walk starts at the cursor, not at the subtree's
					// first row.
					if plan := strings.Join(c.plan(t, "page", pageQ, l.PageArgs), "\n"); !memberCursorBound[db.dialect].MatchString(plan) {
						t.Errorf("the page's walk is not bounded by the cursor (%s):\n%s", memberCursorBound[db.dialect], plan)
					}
				}
				if len(s.f.Statuses) != 1 {
					return
				}
				if l.Sparse == nil {
					t.Fatal("no sparse page")
				}
				q, args := l.SparsePage+` LIMIT `+l.SparseArgs.add(51), l.SparseArgs
				if db.dialect == postgresDialect {
					q, args = inlineArgs(q, args, l.Keep)
				}
				plan := strings.Join(c.plan(t, "sparse page", q, args), "\n")
				if !memberAdmittedRange[db.dialect].MatchString(plan) {
					t.Errorf("the sparse page does not read %s:\n%s", memberAdmittedRange[db.dialect], plan)
				}
				for _, bad := range memberSparseBad[db.dialect] {
					if bad.MatchString(plan) {
						t.Errorf("sparse page %s:\n%s", bad, plan)
					}
				}
			})
		}
	})
}

// memberCursorBound is how a member page's plan starts its walk at the
// cursor, by engine: the row comparison in the index's condition.
var memberCursorBound = map[dialect]*regexp.Regexp{
	sqliteDialect:   regexp.MustCompile(`SEARCH s USING PRIMARY KEY \(scope_id=\? AND \(sort_key,member_id\)>\(\?,\?\)\)`),
	postgresDialect: regexp.MustCompile(`"Index Cond": "\(\(scope_id = [^"]*ROW\(sort_key, member_id\) > ROW\(`),
}

// memberAdmittedRange is what due-full's sparse page must read, by
// engine: the statuses' rows admitted by the day, one range of
// member_scopes_status, from the index alone (PostgreSQL: its INCLUDE
// columns of migration 0049; without them it read the subtree's range of
// member_scopes_pkey in the city; SQLite's index holds the primary key).
var memberAdmittedRange = map[dialect]*regexp.Regexp{
	sqliteDialect:   regexp.MustCompile(`SEARCH s USING COVERING INDEX member_scopes_status \(scope_id=\? AND status=\? AND admitted_on<\?\)`),
	postgresDialect: regexp.MustCompile(`"Node Type": "Index Only Scan",[^{}]*"Index Name": "member_scopes_status",[^{}]*"Index Cond": "[^"]*admitted_on <= `),
}

// statusStrings are statuses as text.
func statusStrings(sts []member.Status) []string {
	out := []string{}
	for _, s := range sts {
		out = append(out, string(s))
	}
	return out
}

// TestMemberAsOfSparsePlans checks the page of a past day whose rows are
// few (memberAsOfSparsePage), on both engines: the rows that began by the
// day through member_asof_scopes_from, not the scope walked in name order
// through the primary key.
func TestMemberAsOfSparsePlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		c := newPlanChecker(t, db)
		cursor := encodeCursor([]byte{0x41, 0x42}, 77)
		reads := map[dialect]*regexp.Regexp{
			sqliteDialect:   regexp.MustCompile(`SEARCH s USING (COVERING )?INDEX member_asof_scopes_from \(scope_id=\? AND valid_from<\?\)`),
			postgresDialect: regexp.MustCompile(`"Index Name": "member_asof_scopes_from"`),
		}
		walks := map[dialect]*regexp.Regexp{
			sqliteDialect:   regexp.MustCompile(`(SCAN|SEARCH) s USING PRIMARY KEY`),
			postgresDialect: regexp.MustCompile(`"Index Name": "member_asof_scopes_pkey"`),
		}
		for _, s := range []struct {
			name string
			f    member.Filter
		}{
			{"first", member.Filter{Path: "/1/2/", AsOf: date.MustParse("1965-01-01")}},
			{"next", member.Filter{Path: "/1/2/", AsOf: date.MustParse("1965-01-01"), Statuses: []member.Status{member.StatusFull}, Cursor: cursor}},
		} {
			t.Run(s.name, func(t *testing.T) {
				plan := strings.Join(sparsePagePlan(t, c, s.f), "\n")
				if !reads[db.dialect].MatchString(plan) {
					t.Errorf("sparse page does not read %s:\n%s", reads[db.dialect], plan)
				}
				if walks[db.dialect].MatchString(plan) {
					t.Errorf("sparse page walks the scope (%s):\n%s", walks[db.dialect], plan)
				}
			})
		}
	})
}

// TestMemberAsOfSparseChoice checks which page a past day's list reads
// for the counts the city gave (docs/benchmarks.md, r20-sqlite): the day's
// rows sorted when they are few against the subtree's members, the walk
// in name order when it passes fewer rows than the sorted read costs,
// and always above the count's bound.
func TestMemberAsOfSparseChoice(t *testing.T) {
	l, bound, err := memberListQuery(member.Filter{Path: "/1/2/", AsOf: date.MustParse("1975-01-01"), Limit: 50}, memberCountBounds{})
	if err != nil || l == nil || l.Sparse == nil || !l.Size {
		t.Fatalf("memberListQuery: %v (no sparse page weighed against the subtree's size)", err)
	}
	for _, c := range []struct {
		name        string
		total, size int
		want        bool
	}{
		{"HN.PX 1975-01-01: 885 of 9,700, the walk passes about 560", 885, 9700, false},
		{"HN.PX 1965-01-01: 163 of 9,700, the walk passes about 3,000", 163, 9700, true},
		{"HN.ST 1965-01-01: 392 of 22,649, the walk passes about 2,900", 392, 22649, false},
		{"the city 1950: 40 of 500,000", 40, 500000, true},
		{"the bound in the city: 1,000 of 500,000", bound, 500000, true},
		{"above the bound", bound + 1, 500000, false},
		{"a dissolved unit: no member today", 3, 0, false},
		{"nothing on the day", 0, 9700, true},
	} {
		if got := l.Sparse(c.total, c.size); got != c.want {
			t.Errorf("%s: sorted read %v, want %v", c.name, got, c.want)
		}
	}
}
