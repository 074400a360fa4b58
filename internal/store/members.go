package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
)

// Members is the store of member.Store and member.ImportStore: the member records.
type Members struct{ *DB }

// UnitRef returns the few facts the member module needs about a unit.
func (db Members) UnitRef(ctx context.Context, id int64) (*member.UnitRef, error) {
	var u member.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, db.read, id, `id, path, name, code, kind`, &u.ID, &u.Path, &u.Name, &u.Code, &u.Kind)
	return &u, err
}

const memberColumns = `m.id, m.unit_id, u.name, m.full_name, m.gender, m.birth_date, COALESCE(m.card_no, ''), m.biography_no,
	COALESCE(m.citizen_id, ''), m.phone, m.email, m.admitted_on, m.full_on, m.status, m.position, m.version, m.temp_unit_id, m.sort_key`

func scanMember(sc interface{ Scan(...any) error }, extra ...any) (*member.Member, error) {
	var m member.Member
	var temp sql.NullInt64
	dest := []any{&m.ID, &m.UnitID, &m.UnitName, &m.FullName, &m.Gender, &m.BirthDate, &m.CardNo, &m.BiographyNo,
		&m.CitizenID, &m.Phone, &m.Email, &m.AdmittedOn, &m.FullOn, &m.Status, &m.Position, &m.Version, &temp, &m.SortKey}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if temp.Valid {
		m.TempUnitID = &temp.Int64
	}
	return &m, nil
}

// Member returns a record and the path of its unit.
func (db Members) Member(ctx context.Context, id int64) (*member.Member, string, error) {
	var path string
	m, err := scanMember(db.read.QueryRowContext(ctx, `SELECT `+memberColumns+`, u.path FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id), &path)
	if err != nil {
		return nil, "", notFound(err, "member %d not found", id)
	}
	return m, path, nil
}

// argList accumulates query arguments and hands out their placeholders.
type argList []any

func (a *argList) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

func (a *argList) in(vs []member.Status) string {
	marks := make([]string, len(vs))
	for i, v := range vs {
		marks[i] = a.add(string(v))
	}
	return "(" + strings.Join(marks, ",") + ")"
}

// likeParam is the parameter mark of a LIKE pattern, as the store writes
// it after LIKE: CAST(mark AS TEXT). SQLite (built with STAT4, as
// modernc's is) looks at a pattern's bound value when it compiles a
// statement whose LIKE has a bare parameter on its right (the LIKE
// optimization, which needs a prefix and a NOCASE index or
// case_sensitive_like: none here), and marks the statement to be compiled
// again whenever that parameter gets another value: every run of a kept
// statement (sqlitestmts.go) was a new compilation, 37 % of the SQLite
// half of TestMemberSearchAfterRandomWrites' CPU (docs/benchmarks.md,
// r20-store). The cast hides the value from that look and changes nothing
// else: the pattern is text already, and PostgreSQL resolves the
// parameter's type to text, the same statement it planned before.
func likeParam(mark string) string { return "CAST(" + mark + " AS TEXT)" }

// likeFirst is likeParam of $1, the pattern of the member searches.
const likeFirst = "CAST($1 AS TEXT)"

// subtreeMembersSQL counts the members under the unit scopeID (a number
// written in the text) from its counters, by status when a condition on
// status follows: the lists' exact total and the size a page weighs its
// reads against.
func subtreeMembersSQL(scopeID string) string {
	return `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM subtree_member_counts WHERE unit_id = ` + scopeID
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// List returns one page of members of a subtree in Vietnamese name
// order. The subtree is a range scan on units.path; members come by unit.
func (db Members) List(ctx context.Context, f member.Filter) (*page.Of[member.Member], error) {
	if searchable(f) {
		return db.search(ctx, f)
	}
	if digitsSearchable(f) {
		return db.searchDigits(ctx, f)
	}
	l, bound, err := memberListQuery(f, db.memberBounds)
	if err != nil || l == nil {
		return &page.Of[member.Member]{Items: []member.Member{}}, err
	}
	p, err := readList(ctx, db.DB, *l)
	if err == nil && bound > 0 && p.Total > bound {
		p.Total, p.TotalAtLeast = bound, true
	}
	return p, err
}

// memberListQuery writes the SQL of a member list (nil: nothing to list);
// bound, when not 0, is where its count stops (it reads at most bound+1
// matches): above it the list answers Total bound and TotalAtLeast.
//
// long: it writes one statement in the order the SQL reads (the source:
// hosted members, member_scopes or the members as of a date; the filters;
// the cursor; the count, bounded for a search); the page and its count
// are written from the same pieces so that they cannot disagree, except
// the count of a whole subtree (with or without statuses), which sums the
// per-subtree counters: the triggers keep them in the writes' own
// transactions, so they agree with member_scopes in any snapshot
// (TestCountersAfterRandomWrites compares the two for every unit).
func memberListQuery(f member.Filter, bounds memberCountBounds) (*listQuery[member.Member], int, error) {
	var args argList
	var from, countFrom, statusExpr, scopeStatus, scope, scopeID, statusIn, admittedBy, asOfDay string
	key, id := "m.sort_key", "m.id"
	bound := 0
	switch {
	case f.Hosted:
		// Members hosted temporarily by a cell of the subtree; u is their home cell.
		// temp_unit_id IS NOT NULL, implied by the join, is written so that
		// PostgreSQL's estimate uses its null fraction (the partial index
		// members_temp_unit alone was estimated at 451,350 rows in a city
		// that hosts nobody: it hashed the city's 22,453 units, 8.7 ms).
		from = `members m JOIN units h ON h.id = m.temp_unit_id AND m.temp_unit_id IS NOT NULL AND h.path >= ` + args.add(f.Path) + ` AND h.path < ` + args.add(prefixEnd(f.Path)) +
			` JOIN units u ON u.id = m.unit_id`
		statusExpr = "m.status"
	case f.AsOf.IsZero():
		// The subtree's members in name order: a range of member_scopes
		// (members_scopes.go) that stops after the page.
		ids := doc.AncestorIDs(f.Path)
		if len(ids) == 0 {
			return nil, 0, nil
		}
		from = `member_scopes s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id`
		// The count reads member_scopes alone unless a search reads the
		// members' names or numbers.
		countFrom = `member_scopes s`
		if f.Query != "" || f.Digits != "" {
			countFrom = `member_scopes s JOIN members m ON m.id = s.member_id`
		}
		scopeID = args.add(ids[len(ids)-1])
		scope = `s.scope_id = ` + scopeID
		key, id = "s.sort_key", "s.member_id"
		statusExpr, scopeStatus = "m.status", "s.status"
	default:
		// The subtree's members of a past day in name order: a range of
		// member_asof_scopes (members_asof.go) that skips the rows not
		// open on the day and stops after the page.
		ids := doc.AncestorIDs(f.Path)
		if len(ids) == 0 {
			return nil, 0, nil
		}
		scopeID = args.add(ids[len(ids)-1])
		scope, asOfDay = asOfScope(&args, scopeID, f.Path, f.AsOf)
		from = `member_asof_scopes s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = s.unit_id`
		countFrom = `member_asof_scopes s`
		if f.Query != "" || f.Digits != "" || !f.AdmittedBy.IsZero() {
			countFrom += ` JOIN members m ON m.id = s.member_id`
		}
		key, id = "s.sort_key", "s.member_id"
		statusExpr = asOfStatus("s", asOfDay)
		scopeStatus = statusExpr
		// No counter knows a past day: count up to a bound (docs/api.md).
		bound = cmp.Or(bounds.asOf, listCountBound)
	}
	var where []string
	if scope != "" {
		where = append(where, scope)
	}
	if len(f.Statuses) > 0 {
		st := statusExpr
		if scope != "" {
			st = scopeStatus
		}
		statusIn = args.in(f.Statuses)
		if asOfDay != "" {
			where = append(where, asOfStatusIn("s", asOfDay, statusIn, f.Statuses))
		} else {
			where = append(where, st+" IN "+statusIn)
		}
	}
	if !f.AdmittedBy.IsZero() {
		// In a subtree, the day member_scopes keeps (migration 0046), not a
		// look-up of each row's member.
		col := "m.admitted_on"
		if scope != "" {
			col = "s.admitted_on"
		}
		admittedBy = args.add(f.AdmittedBy)
		where = append(where, col+` <= `+admittedBy)
	}
	// The reader's text and the cursor stay parameters on PostgreSQL;
	// the other values are written into the text (listQuery.Inline).
	keep := map[string]bool{}
	if f.Query != "" {
		q := args.add("%" + escapeLike(f.Query) + "%")
		keep[q] = true
		where = append(where, `m.name_folded LIKE `+likeParam(q)+` ESCAPE '\'`)
	}
	if f.Digits != "" {
		p := args.add(escapeLike(f.Digits) + "%")
		keep[p] = true
		lp := likeParam(p)
		where = append(where, `(m.card_no LIKE `+lp+` ESCAPE '\' OR m.citizen_id LIKE `+lp+` ESCAPE '\' OR m.phone LIKE `+lp+` ESCAPE '\')`)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	pageArgs := append(argList{}, args...)
	pageCond := cond
	if scope != "" && admittedBy != "" {
		// The page walks the subtree in name order (member_scopes_pkey,
		// the day in its rows) and stops after the page; the day's
		// condition is written so that no index can take it, or SQLite
		// read every match of member_scopes_status (scope, status,
		// admitted_on), looked up each one's member and sorted them all
		// (its plan from a cursor in an empty database). Few matches are
		// read that way on purpose, by the sparse page.
		pageCond = strings.Replace(pageCond, `s.admitted_on <= `+admittedBy, `s.admitted_on || '' <= `+admittedBy, 1)
	}
	if asOfDay != "" {
		// The page of a past day walks the scope in name order: the day's
		// condition is written so that no index can take it, or SQLite
		// read member_asof_scopes_from's range (scope, valid_from), every
		// row that began by the day, and sorted it. The thin days' page
		// reads that range on purpose (memberAsOfSparsePage).
		pageCond = strings.Replace(pageCond, `s.valid_from <= `+asOfDay, `s.valid_from || '' <= `+asOfDay, 1)
	}
	if f.Cursor != "" {
		// A name search's cursor is read here too (it may carry a total,
		// which this list does not need): a client that drops q keeps its
		// place, as before r24-names.
		ck, cid, _, err := decodeMemberCursor(f.Cursor)
		if err != nil {
			return nil, 0, err
		}
		// A row comparison, which both engines take as the index's lower
		// bound: written as key > k OR (key = k AND id > i) it was a
		// filter, so that each page walked from the subtree's first row
		// (due-full's second page in the city: 9,129 rows read for 51).
		k, i := pageArgs.add(ck), pageArgs.add(cid)
		keep[k], keep[i] = true, true
		c := `(` + key + `, ` + id + `) > (` + k + `, ` + i + `)`
		if pageCond == "" {
			pageCond = " WHERE " + c
		} else {
			pageCond += " AND " + c
		}
	}
	count, countArgs := `SELECT COUNT(*) FROM `+from+cond, []any(args)
	switch {
	case bound > 0:
		// Set above (a past day).
	case scope != "" && (f.Query != "" || f.Digits != ""):
		// A search reads each member's name or numbers: count up to
		// memberCountBound (docs/api.md).
		bound = memberCountBound
	case scope != "" && !f.AdmittedBy.IsZero():
		// Admitted by a day (the probation lists, "admitted by"): no
		// counter knows the day, so count up to listCountBound as the
		// task and document lists do, a few thousand rows of the
		// subtree where an exact count read all of them (143,682
		// matches in the city: 13–154 ms of PostgreSQL's CPU, up to
		// 2.5 s on SQLite; docs/benchmarks.md, session 11).
		bound = cmp.Or(bounds.admitted, listCountBound)
	}
	var sparse func(total, size int) bool
	var sized bool
	var sparsePage string
	var sparseArgs argList
	switch {
	case bound > 0:
		// When the statuses asked are most of the subtree (full members
		// among them), in the page's order (member_scopes_pkey), so that
		// the count walks the subtree's rows and looks each member up,
		// stopping after bound+1 matches; unordered, PostgreSQL hashed
		// the whole subtree's rows against a scan of members (HN.ST:
		// 21 ms). Fewer (the probationary members of due-full: 18,493
		// in the city) are better read unordered through
		// member_scopes_status, which the planner then chooses (EXPLAIN
		// ANALYZE in the city: 32 ms unordered, 131 ms in name order).
		// A past day's count reads member_asof_scopes alone, in any order.
		order := ""
		if f.AsOf.IsZero() && f.Query == "" && f.Digits == "" && (len(f.Statuses) == 0 || slices.Contains(f.Statuses, member.StatusFull)) {
			order = ` ORDER BY s.sort_key, s.member_id`
		}
		count = `SELECT COUNT(*) FROM (SELECT 1 FROM ` + countFrom + cond + order + ` LIMIT ` + strconv.Itoa(bound+1) + `) c`
		if f.AsOf.IsZero() && order == "" && admittedBy != "" && statusIn != "" && f.Query == "" && f.Digits == "" {
			// Few statuses admitted by a day (due-full): when the count
			// is exact (at most the bound), their rows are one range of
			// member_scopes_status (scope, status, admitted_on), read and
			// sorted (memberSparsePage), not a walk of the subtree in name
			// order that may pass all of it to find a few.
			sparse = func(total, _ int) bool { return total <= bound }
			sparsePage = memberSparsePage(scope, statusIn+` AND s.admitted_on <= `+admittedBy, pageCond, f.Limit+1)
			sparseArgs = append(argList{}, pageArgs...)
		}
		if !f.AsOf.IsZero() && f.Query == "" && f.Digits == "" && admittedBy == "" {
			// A past day whose rows are few (the count exact) against the
			// subtree's members (its counters, in the count's statement):
			// read and sorted from the rows that began by the day, not a
			// walk of the scope in name order that passes every later
			// member (memberAsOfSparseCost).
			count = `SELECT (` + count + `), (` + subtreeMembersSQL(scopeID) + `)`
			limit, cost := f.Limit+1, cmp.Or(bounds.asOfSparseCost, memberAsOfSparseCost)
			sparse = func(total, size int) bool { return total <= bound && cost*total*total < limit*size }
			sized = true
			sparsePage = memberAsOfSparsePage(scopeID, asOfDay, pageCond, statusExpr, f.Limit+1)
			sparseArgs = append(argList{}, pageArgs...)
		}
	case scope != "" && len(where) == 1+min(len(f.Statuses), 1):
		// The whole subtree, or its members of some statuses: the sum of
		// the unit's per-subtree counters (migration 0025, kept by
		// triggers in the writes' transactions), a few rows whatever the
		// subtree's size, where a range of member_scopes costs its members.
		count = subtreeMembersSQL(scopeID)
		if statusIn != "" {
			count += ` AND status IN ` + statusIn
			sparse = func(total, _ int) bool { return total <= cmp.Or(bounds.sparseStatuses, memberSparseStatuses) }
			sparsePage, sparseArgs = memberSparsePage(scope, statusIn, pageCond, f.Limit+1), append(argList{}, pageArgs...)
		}
	case scope != "":
		count = `SELECT COUNT(*) FROM ` + countFrom + cond
	}
	return &listQuery[member.Member]{What: "members",
		Count: count, CountArgs: countArgs, Inline: true, Keep: keep,
		Page: `SELECT ` + memberColumns + `, ` + statusExpr + ` FROM ` + from + pageCond + ` ORDER BY ` + key + `, ` + id, PageArgs: pageArgs, Limit: f.Limit,
		Sparse: sparse, Size: sized, SparsePage: sparsePage, SparseArgs: sparseArgs,
		Scan: scanSearchRow,
		Next: func(last member.Member) string { return encodeCursor(last.SortKey, last.ID) }}, bound, nil
}

// memberSparseStatuses is the most members of the statuses asked (the
// count, from the counters) that a subtree's list reads through
// member_scopes_status and sorts (memberSparsePage) rather than walking
// the subtree in name order: a walk reads the page divided by the
// statuses' share of the subtree (the city's 543 deceased among 497,849:
// 47,807 rows for the first page, 9–20 ms of PostgreSQL's CPU), the
// sorted read at most this many rows whatever the subtree's size.
const memberSparseStatuses = 2000

// memberSparsePage is the page of a subtree's members of some statuses
// that are few (memberSparseStatuses): their rows of member_scopes read
// by member_scopes_status (scope_id, status, admitted_on) and sorted by
// name; statusIn may end with a condition on s.admitted_on (due-full). cond is
// the page's WHERE (the subtree, the statuses, the cursor on s.sort_key
// and s.member_id), checked again outside, so that the page keeps its
// arguments. The rows are materialized first, so that neither engine
// reads them through the primary key in name order (a walk of the whole
// subtree). The page's limit rows are sorted before they are joined to
// their members (all of them were joined first: 543 look-ups of members
// and units for the city's deceased).
func memberSparsePage(scope, statusIn, cond string, limit int) string {
	return `WITH st AS MATERIALIZED (SELECT s.scope_id, s.status, s.member_id, s.sort_key, s.admitted_on FROM member_scopes s WHERE ` + scope + ` AND s.status IN ` + statusIn + `)
	SELECT ` + memberColumns + `, m.status FROM (SELECT s.member_id, s.sort_key FROM st s` + cond + ` ORDER BY s.sort_key, s.member_id LIMIT ` + strconv.Itoa(limit) + `) s
	JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id ORDER BY s.sort_key, s.member_id`
}

// memberCountBounds are where a subtree's list of members admitted by a
// day (admitted) and of a past day (asOf) stop counting, listCountBound
// when 0, as the task and document lists (docs/api.md), and the most
// members of the statuses asked that are read sorted (sparseStatuses,
// memberSparseStatuses when 0). A DB carries them so that a test can see
// both sides of a bound with a few members on its own database without
// changing what the tests beside it read (a -race run caught one test's
// bound changing under another's list).
//
// asOfSparseCost is memberAsOfSparseCost (when 0), so that a test can
// compare both pages of a past day with the old statement.
type memberCountBounds struct{ admitted, asOf, sparseStatuses, asOfSparseCost int }

// memberCountBound is where a member search that does not take the name
// search's path (members_search.go: digits, or a name search with
// AdmittedBy) stops counting: above it, Total is memberCountBound and
// TotalAtLeast is set (docs/api.md); a city's reads up to 10,001 matches
// (100–150 ms, docs/benchmarks.md "Lists, session 7").
const memberCountBound = 10000

// memberAsOfSparseCost is what the sorted read of a past day's rows
// (memberAsOfSparsePage) costs per row, in rows of the walk in name
// order: measured on the city (docs/benchmarks.md, r20-sqlite), about 6
// on PostgreSQL and 8–10 on SQLite (a row of the walk is an index entry
// checked and skipped; a sorted row is read, kept, sorted and cut).
//
// A past day's page reads its rows sorted rather than walking the scope
// in name order when cost × total < limit × size / total: the walk
// passes about limit × size / total rows (the day's total rows spread
// over the subtree's size, its members today by the counters), the
// sorted read total rows at this cost each. A thin day in a small
// subtree is cheaper walked: HN.PX on 1975-01-01, 885 rows of 9,700,
// walked in 0.5–0.9 ms where the sorted read took 2.9–3.9 ms (both
// engines). A subtree whose members have left it (a dissolved unit)
// has fewer members today than rows: its past days are walked.
const memberAsOfSparseCost = 8

// memberAsOfSparsePage is the page of a past day whose rows are few: the
// scope's rows that began by the day, one range of member_asof_scopes_from
// (scope_id, valid_from), filtered by cond (the day, the statuses, the
// cursor), sorted and cut, then joined to their members and cells. The
// walk of the scope in name order passes over every row of a member who
// joined after the day: the city on 1965-01-01 took 9.7–12.3 ms for its
// count and page (docs/benchmarks.md, session 12, r18-asof).
func memberAsOfSparsePage(scopeID, day, cond, status string, limit int) string {
	return `WITH st AS MATERIALIZED (SELECT * FROM member_asof_scopes s WHERE s.scope_id = ` + scopeID + ` AND s.valid_from <= ` + day + `)
	SELECT ` + memberColumns + `, ` + status + ` FROM (SELECT * FROM st s` + cond + ` ORDER BY s.sort_key, s.member_id LIMIT ` + strconv.Itoa(limit) + `) s
	JOIN members m ON m.id = s.member_id JOIN units u ON u.id = s.unit_id ORDER BY s.sort_key, s.member_id`
}

// asOfScope is the condition on member_asof_scopes s of the rows of the
// scope scopeID (a placeholder), at path today, open on day d: the rows
// of the units under it on d, when its own path on d was path (else none:
// the statement, asOfMembers, matches the paths of d under today's path,
// and a unit that moved since had another path on d); and d's placeholder.
func asOfScope(args *argList, scopeID, path string, d date.Date) (cond, day string) {
	day, p := args.add(d), args.add(path)
	return `s.scope_id = ` + scopeID + ` AND s.valid_from <= ` + day + ` AND (s.valid_to IS NULL OR s.valid_to > ` + day + `)
		AND EXISTS (SELECT 1 FROM unit_history sh WHERE sh.unit_id = ` + scopeID + ` AND sh.path = ` + p + ` AND sh.valid_from <= ` + day +
		` AND (sh.valid_to IS NULL OR sh.valid_to > ` + day + `))`, day
}

// asOfStatus is the SQL expression of the status on day (a placeholder)
// of the member whose status and dates are the columns of alias t
// (members m, or member_asof_scopes s, which copies them).
func asOfStatus(t, day string) string {
	return `(CASE WHEN ` + t + `.status NOT IN ('probationary', 'full') AND ` + t + `.status_since IS NOT NULL AND ` + t + `.status_since <= ` + day + ` THEN ` + t + `.status
		WHEN ` + t + `.full_on IS NOT NULL AND ` + t + `.full_on <= ` + day + ` THEN 'full'
		WHEN ` + t + `.admitted_on IS NOT NULL AND ` + t + `.admitted_on <= ` + day + ` THEN 'probationary'
		ELSE 'none' END)`
}

// asOfStatusIn is the condition that the status on day of the row of
// alias t (asOfStatus) is one of sts (in: their placeholders), written on
// the columns rather than as asOfStatus IN in: PostgreSQL has statistics
// of the columns and none of the CASE, whose IN it took for 1–1.5 % of a
// scope's rows whatever the day. The demo district on 2020-06-30, 8,110
// of 9,700 rows: 49 estimated, so that the page joined every row to its
// member and cell and sorted them (23 ms) rather than walk the scope in
// name order and stop after the page (TestMemberAsOfWalkPlanAnalyzed).
// Each term is one branch of the CASE, taken exactly when the branches
// before it are not (none of them is ever NULL).
func asOfStatusIn(t, day, in string, sts []member.Status) string {
	other := `(` + t + `.status NOT IN ('probationary', 'full') AND ` + t + `.status_since IS NOT NULL AND ` + t + `.status_since <= ` + day + `)`
	full := `(` + t + `.full_on IS NOT NULL AND ` + t + `.full_on <= ` + day + `)`
	terms := []string{`(` + other + ` AND ` + t + `.status IN ` + in + `)`}
	if slices.Contains(sts, member.StatusFull) {
		terms = append(terms, `(NOT `+other+` AND `+full+`)`)
	}
	if slices.Contains(sts, member.StatusProbationary) {
		terms = append(terms, `(NOT `+other+` AND NOT `+full+` AND `+t+`.admitted_on IS NOT NULL AND `+t+`.admitted_on <= `+day+`)`)
	}
	return `(` + strings.Join(terms, " OR ") + `)`
}

// asOfMembers returns a FROM clause of the members who belonged, on day d,
// to a unit that was in the subtree at path on that day, and the SQL
// expression of their status that day.
func asOfMembers(args *argList, path string, d date.Date) (from, status string) {
	p, end, day := args.add(path), args.add(prefixEnd(path)), args.add(d)
	sub := `SELECT h.unit_id FROM unit_history h WHERE h.path >= ` + p + ` AND h.path < ` + end +
		` AND h.valid_from <= ` + day + ` AND (h.valid_to IS NULL OR h.valid_to > ` + day + `)`
	from = `(SELECT m2.id AS member_id, m2.unit_id AS at_unit FROM members m2 WHERE m2.unit_id IN (` + sub + `) AND m2.unit_since <= ` + day + `
		UNION ALL
		SELECT pm.member_id, pm.unit_id FROM past_memberships pm WHERE pm.kind = 'official' AND pm.unit_id IN (` + sub + `) AND pm.valid_from <= ` + day + ` AND pm.valid_to > ` + day + `) am
		JOIN members m ON m.id = am.member_id JOIN units u ON u.id = am.at_unit`
	return from, asOfStatus("m", day)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// duplicateError explains which unique field collided.
func duplicateError(err error, m *member.Member) error {
	c, ok := uniqueViolation(err)
	if !ok {
		return err
	}
	switch {
	case strings.Contains(c, "card_no"):
		return apperr.Keyed(apperr.Conflict, "member.another_member_card_number", "another member has card number %s", m.CardNo)
	case strings.Contains(c, "citizen_id"):
		return apperr.Keyed(apperr.Conflict, "member.another_member_citizen_id", "another member has citizen ID %s", m.CitizenID)
	}
	return apperr.Keyed(apperr.Conflict, "member.duplicate_member_record", "duplicate member record")
}

// Create inserts a record; since is the day the membership starts.
func (db Members) Create(ctx context.Context, m *member.Member, since date.Date, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.insertMember(ctx, m, since); err != nil {
			return err
		}
		a.ObjectID, a.After = m.ID, m
		return tx.audit(ctx, a)
	})
}

func (tx *Tx) insertMember(ctx context.Context, m *member.Member, since date.Date) error {
	if err := tx.lockMemberWrites(ctx, memberLockShared); err != nil {
		return err
	}
	m.Version = 1
	st, err := tx.prepared(ctx, insertMemberSQL)
	if err != nil {
		return err
	}
	var id int64
	err = st.QueryRowContext(ctx,
		m.UnitID, since, m.FullName, m.NameFolded, m.SortKey, m.Gender, m.BirthDate, nullIfEmpty(m.CardNo), m.BiographyNo,
		nullIfEmpty(m.CitizenID), m.Phone, m.Email, m.AdmittedOn, m.FullOn, m.Status, m.Position, tx.Now).Scan(&id)
	if err != nil {
		return duplicateError(err, m)
	}
	m.ID = id
	tx.noteMemberID(ctx, id)
	if err := tx.refreshMemberScopesOf(ctx, m.UnitID, id); err != nil {
		return err
	}
	return tx.followMember(ctx, id)
}

const insertMemberSQL = `INSERT INTO members (unit_id, unit_since, full_name, name_folded, sort_key, gender, birth_date, card_no, biography_no,
		citizen_id, phone, email, admitted_on, full_on, status, position, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17) RETURNING id`

// Update saves the editable fields if version still matches.
func (db Members) Update(ctx context.Context, m *member.Member, version int, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.updateMember(ctx, m, version); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

func (tx *Tx) updateMember(ctx context.Context, m *member.Member, version int) error {
	if err := tx.lockMemberWrites(ctx, memberLockShared); err != nil {
		return err
	}
	st, err := tx.prepared(ctx, updateMemberSQL)
	if err != nil {
		return err
	}
	res, err := st.ExecContext(ctx,
		m.FullName, m.NameFolded, m.SortKey, m.Gender, m.BirthDate, nullIfEmpty(m.CardNo), m.BiographyNo, nullIfEmpty(m.CitizenID),
		m.Phone, m.Email, m.AdmittedOn, m.FullOn, m.Position, m.Status, m.UnitID, m.TempUnitID, tx.Now, m.ID, version)
	if err != nil {
		return duplicateError(err, m)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.Keyed(apperr.Conflict, "member.record_was_changed_someone", "the record was changed by someone else (version %d is stale): reload and try again", version)
	}
	m.Version = version + 1
	if err := tx.refreshMemberScopesOf(ctx, m.UnitID, m.ID); err != nil {
		return err
	}
	return tx.followMember(ctx, m.ID)
}

const updateMemberSQL = `UPDATE members SET full_name = $1, name_folded = $2, sort_key = $3, gender = $4, birth_date = $5,
		card_no = $6, biography_no = $7, citizen_id = $8, phone = $9, email = $10, admitted_on = $11, full_on = $12, position = $13,
		status = $14, unit_id = $15, temp_unit_id = $16, version = version + 1, updated_at = $17
		WHERE id = $18 AND version = $19`

func (tx *Tx) event(ctx context.Context, memberID int64, ev member.Event) error {
	var fromUnit, toUnit any
	if ev.FromUnitID != 0 {
		fromUnit = ev.FromUnitID
	}
	if ev.ToUnitID != 0 {
		toUnit = ev.ToUnitID
	}
	var account any
	if ev.AccountID != 0 {
		account = ev.AccountID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO member_events (member_id, kind, from_status, to_status, from_unit_id, to_unit_id, effective_on, reason, account_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, memberID, ev.Kind, ev.FromStatus, ev.ToStatus, fromUnit, toUnit, ev.EffectiveOn, ev.Reason, account, tx.Now)
	return err
}

// ChangeStatus saves a lifecycle change and records the event.
func (db Members) ChangeStatus(ctx context.Context, m *member.Member, version int, ev member.Event, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.updateMember(ctx, m, version); err != nil {
			return err
		}
		since := any(ev.EffectiveOn)
		if ev.ToStatus == member.StatusFull {
			since = nil // "full" is read from full_on
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET status_since = $1 WHERE id = $2`, since, m.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, m.ID, ev); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// Transfer saves a transfer: an official one closes the membership of the
// old cell (kept in past_memberships) and opens one in the new cell.
func (db Members) Transfer(ctx context.Context, m *member.Member, version int, ev member.Event, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if ev.Kind == "transfer_official" {
			var since date.Date
			if err := tx.QueryRowContext(ctx, `SELECT unit_since FROM members WHERE id = $1`, m.ID).Scan(&since); err != nil {
				return err
			}
			if !ev.EffectiveOn.After(since) {
				return apperr.Keyed(apperr.Invalid, "member.transfer_date_must_after", "the transfer date must be after the member joined the current cell").With(apperr.FieldKeyed("effective_on", "member.transfer_after", "must be after %s", since.String()))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO past_memberships (member_id, unit_id, kind, valid_from, valid_to) VALUES ($1, $2, 'official', $3, $4)`,
				m.ID, ev.FromUnitID, since, ev.EffectiveOn); err != nil {
				return err
			}
		}
		if err := tx.updateMember(ctx, m, version); err != nil {
			return err
		}
		if ev.Kind == "transfer_official" {
			if _, err := tx.ExecContext(ctx, `UPDATE members SET unit_since = $1 WHERE id = $2`, ev.EffectiveOn, m.ID); err != nil {
				return err
			}
		}
		if err := tx.event(ctx, m.ID, ev); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// Events lists a member's lifecycle events, newest first.
func (db Members) Events(ctx context.Context, id int64) ([]member.Event, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (member.Event, error) {
		var e member.Event
		return e, rows.Scan(&e.Kind, &e.FromStatus, &e.ToStatus, &e.FromUnitID, &e.ToUnitID, &e.EffectiveOn, &e.Reason)
	}, `SELECT kind, from_status, to_status, COALESCE(from_unit_id, 0), COALESCE(to_unit_id, 0), effective_on, reason
		FROM member_events WHERE member_id = $1 ORDER BY effective_on DESC, id DESC LIMIT 200`, id)
}

var errStop = errors.New("stop")
