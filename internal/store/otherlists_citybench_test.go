package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestGenerateOtherLists adds to a city-sized benchmark dataset (the city
// with 500,000 members) the rows of the lists TestGenerateLists leaves
// out, in bulk and set-based, each part skipped when present: meetings
// (SOTAY_BENCH_OTHER_MEETINGS, default 100,000) of the live cells, their
// starts spread over 2025–2026, with their meeting_scopes rows; outbreak
// foci (SOTAY_BENCH_OTHER_FOCI, default 20,000) in the cells of the
// communes, opened over the two years to 2026-11-20 (those opened in the
// last 30 days active, the others closed), with their outbreak_scopes
// rows; conferences (SOTAY_BENCH_OTHER_CONFERENCES, default 5,000) hosted
// by the city (2%), the districts (18%) and the communes (80%), with their
// conference_scopes rows and the benchmark members (cityActors) invited to
// those whose audience holds their cell; report requests
// (SOTAY_BENCH_OTHER_REPORTS, default 20,000) made by the same units to
// every live unit below them, half of the units' reports sent (all the
// requests and units point at one task: the lists do not read it);
// four-good frameworks (SOTAY_BENCH_OTHER_FRAMEWORKS, default 3,000)
// owned by the same units, over the years 2024–2026, with their
// fourgood_framework_scopes rows (no criteria: the list does not read
// them).
//
//	SOTAY_BENCH_OTHER=postgres://…/ol11 go test ./internal/store -run TestGenerateOtherLists -timeout 120m -v
func TestGenerateOtherLists(t *testing.T) {
	db := openBenchTarget(t, "SOTAY_BENCH_OTHER", "the other lists' rows")
	ctx := context.Background()
	g := listGen{db: db, t: t}
	step := g.stepper(ctx)
	step("meetings", "meetings", "SOTAY_BENCH_OTHER_MEETINGS", 100_000, func(n int) error { return g.meetings(ctx, n) })
	step("outbreak foci", "outbreaks", "SOTAY_BENCH_OTHER_FOCI", 20_000, func(n int) error { return g.foci(ctx, n) })
	step("conferences", "conferences", "SOTAY_BENCH_OTHER_CONFERENCES", 5_000, func(n int) error { return g.conferences(ctx, n) })
	step("report requests", "report_requests", "SOTAY_BENCH_OTHER_REPORTS", 20_000, func(n int) error { return g.reports(ctx, n) })
	step("frameworks", "fourgood_frameworks", "SOTAY_BENCH_OTHER_FRAMEWORKS", 3_000, func(n int) error { return g.frameworks(ctx, n) })
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
}

// hoursAfter is the timestamp hours (an SQL expression) after
// 2025-01-01 01:30 UTC, as each engine stores timestamps.
func (g listGen) hoursAfter(hours string) string {
	if g.db.dialect == postgresDialect {
		return `(TIMESTAMPTZ '2025-01-01 01:30:00+00' + (` + hours + `) * INTERVAL '1 hour')`
	}
	return `(strftime('%Y-%m-%d %H:%M:%S', '2025-01-01 01:30:00', '+' || (` + hours + `) || ' hours') || '+00:00')`
}

// vietMonth is the month (YYYY-MM) in Vietnam of a timestamp written by
// hoursAfter.
func (g listGen) vietMonth(ts string) string {
	if g.db.dialect == postgresDialect {
		return `to_char(` + ts + ` AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')`
	}
	return `strftime('%Y-%m', substr(` + ts + `, 1, 19), '+7 hours')`
}

// committeePool is listGenPool without the cells: for each number, the
// city (2%), a district (18%) or a commune (80%).
const committeePool = `pool AS (SELECT id, path, depth, row_number() OVER (PARTITION BY depth ORDER BY id) AS rn
		FROM units WHERE dissolved_on IS NULL AND depth <= 2 AND kind <> 'cell'),
	cnts AS (SELECT depth, COUNT(*) AS cnt FROM pool GROUP BY depth),
	pick0 AS (SELECT i, CASE WHEN i % 50 = 0 THEN 0 WHEN i % 50 < 10 THEN 1 ELSE 2 END AS dep FROM n),
	pick AS (SELECT k.i, k.dep, 1 + (k.i * 7919) % (SELECT c.cnt FROM cnts c WHERE c.depth = k.dep) AS rn FROM pick0 k)`

// meetings writes count open meetings of the live cells, one every
// 17,520 / count hours from 2025-01-01, and their meeting_scopes rows
// (the committees above the cell).
func (g listGen) meetings(ctx context.Context, count int) error {
	var before int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM meetings`).Scan(&before); err != nil {
		return err
	}
	ts := g.hoursAfter(`k.i * 17520 / ` + strconv.Itoa(count))
	if _, err := g.exec(ctx, "meetings", `WITH RECURSIVE `+g.numbers(count)+`,
		cells AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM units WHERE kind = 'cell' AND dissolved_on IS NULL),
		cnt AS (SELECT COUNT(*) AS c FROM cells),
		k AS (SELECT n.i, 1 + (n.i * 7919) % cnt.c AS rn FROM n, cnt)
		INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, version, created_at, updated_at)
		SELECT c.id, CASE WHEN k.i % 4 = 0 THEN 'thematic' ELSE 'regular' END, `+g.vietMonth(ts)+`, `+ts+`, 'Hội trường', 'Sinh hoạt ' || k.i, '[]', 'open', 1, `+ts+`, `+ts+`
		FROM k JOIN cells c ON c.rn = k.rn`); err != nil {
		return err
	}
	_, err := g.exec(ctx, "meeting_scopes", `WITH RECURSIVE `+listGenAnc+`
		INSERT INTO meeting_scopes (scope_id, starts_at, meeting_id)
		SELECT a.anc_id, m.starts_at, m.id FROM meetings m JOIN anc a ON a.unit_id = m.unit_id WHERE a.anc_id <> m.unit_id AND m.id > $1`, before)
	return err
}

// foci writes count dengue foci in the live cells of the communes, the
// oldest first, opened over the 730 days to 2026-11-20 (those of the last
// 30 days active), and their outbreak_scopes rows.
func (g listGen) foci(ctx context.Context, count int) error {
	var before int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM outbreaks`).Scan(&before); err != nil {
		return err
	}
	days := `((` + strconv.Itoa(count) + ` - k.i) * 730 / ` + strconv.Itoa(count) + `)`
	if _, err := g.exec(ctx, "outbreaks", `WITH RECURSIVE `+g.numbers(count)+`,
		cells AS (SELECT u.id, u.parent_id, row_number() OVER (ORDER BY u.id) AS rn FROM units u JOIN units p ON p.id = u.parent_id
			WHERE u.kind = 'cell' AND u.dissolved_on IS NULL AND p.kind = 'grassroots_committee'),
		cnt AS (SELECT COUNT(*) AS c FROM cells),
		k AS (SELECT n.i, 1 + (n.i * 7919) % cnt.c AS rn FROM n, cnt)
		INSERT INTO outbreaks (unit_id, commune_id, disease, place, opened_on, state, closed_on, version, created_at, updated_at)
		SELECT c.id, c.parent_id, 'sot_xuat_huyet', 'Khu dân cư ' || k.i, `+g.daysBefore(days)+`,
			CASE WHEN `+days+` > 30 THEN 'closed' ELSE 'active' END, CASE WHEN `+days+` > 30 THEN `+g.daysBefore(days+` - 21`)+` END, 1,
			`+g.minutesBefore(days+` * 1440`)+`, `+g.minutesBefore(days+` * 1440`)+`
		FROM k JOIN cells c ON c.rn = k.rn ORDER BY k.i`); err != nil {
		return err
	}
	return g.listScopes(ctx, "outbreak_scopes", "outbreaks", "state", "unit_id", before)
}

// conferences writes count conferences hosted by committees
// (committeePool), audience their host, starting over 2025–2026 in id
// order, their conference_scopes rows, and the benchmark members'
// invitations to those whose audience holds their cell.
func (g listGen) conferences(ctx context.Context, count int) error {
	var before int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM conferences`).Scan(&before); err != nil {
		return err
	}
	ts := g.hoursAfter(`k.i * 17520 / ` + strconv.Itoa(count))
	if _, err := g.exec(ctx, "conferences", `WITH RECURSIVE `+g.numbers(count)+`, `+committeePool+`
		INSERT INTO conferences (title, agenda, starts_at, host_unit_id, audience_unit_id, audience_roles, created_at, version, invitation)
		SELECT 'Hội nghị ' || k.i, '', `+ts+`, p.id, p.id, '', `+ts+`, 1, ''
		FROM pick k JOIN pool p ON p.depth = k.dep AND p.rn = k.rn ORDER BY k.i`); err != nil {
		return err
	}
	if err := g.listScopes(ctx, "conference_scopes", "conferences", "", "host_unit_id", before); err != nil {
		return err
	}
	for _, a := range cityActors(g.t, g.db) {
		if a.member == 0 {
			continue
		}
		if _, err := g.exec(ctx, "invitations of member "+strconv.FormatInt(a.member, 10), `WITH RECURSIVE `+listGenAnc+`
			INSERT INTO conference_attendees (conference_id, member_id)
			SELECT c.id, m.id FROM members m JOIN anc a ON a.unit_id = m.unit_id JOIN conferences c ON c.audience_unit_id = a.anc_id
			WHERE m.id = $1 AND c.id > $2`, a.member, before); err != nil {
			return err
		}
	}
	return nil
}

// reports writes count report requests made by committees
// (committeePool) to every live unit right below them, half of those
// units' reports sent, all pointing at one task.
func (g listGen) reports(ctx context.Context, count int) error {
	var before int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM report_requests`).Scan(&before); err != nil {
		return err
	}
	at := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	task, err := insertID(ctx, g.db.write, `INSERT INTO tasks (kind, title, issuer_unit_id, unit_id, holder_unit_id, holder_since, state, assigned_on, original_due_on, due_on, created_at, updated_at)
		SELECT 'task', 'Báo cáo (bench)', id, id, id, $1, 'done', '2026-11-01', '2026-11-20', '2026-11-20', $1, $1 FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`, at)
	if err != nil {
		return err
	}
	day := g.daysBefore(`(` + strconv.Itoa(count) + ` - k.i) * 730 / ` + strconv.Itoa(count))
	if _, err := g.exec(ctx, "report_requests", `WITH RECURSIVE `+g.numbers(count)+`, `+committeePool+`
		INSERT INTO report_requests (unit_id, title, kind, period_from, period_to, due_on, template, task_id, created_at)
		SELECT p.id, 'Báo cáo ' || k.i, 'month', `+day+`, `+day+`, `+day+`, '', $1,
			`+g.minutesBefore(`(`+strconv.Itoa(count)+` - k.i) * 1051200 / `+strconv.Itoa(count))+`
		FROM pick k JOIN pool p ON p.depth = k.dep AND p.rn = k.rn ORDER BY k.i`, task); err != nil {
		return err
	}
	if _, err := g.exec(ctx, "report_units", `INSERT INTO report_units (request_id, unit_id, task_id)
		SELECT r.id, u.id, r.task_id FROM report_requests r JOIN units u ON u.parent_id = r.unit_id AND u.dissolved_on IS NULL WHERE r.id > $1`, before); err != nil {
		return err
	}
	_, err = g.exec(ctx, "report_submissions", `INSERT INTO report_submissions (request_id, unit_id, body, figures, sent_at, sent_on, sent_by_name)
		SELECT ru.request_id, ru.unit_id, '', '{}', r.created_at, r.due_on, '' FROM report_units ru JOIN report_requests r ON r.id = ru.request_id
		WHERE ru.request_id > $1 AND (ru.request_id + ru.unit_id) % 2 = 0`, before)
	return err
}

// frameworks writes count four-good frameworks owned by committees
// (committeePool), a year of 2024–2026 each, and their scope rows.
func (g listGen) frameworks(ctx context.Context, count int) error {
	var before int64
	if err := g.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM fourgood_frameworks`).Scan(&before); err != nil {
		return err
	}
	if _, err := g.exec(ctx, "fourgood_frameworks", `WITH RECURSIVE `+g.numbers(count)+`, `+committeePool+`
		INSERT INTO fourgood_frameworks (name, year, owner_unit_id, status, registration_deadline, bands, max_total, created_at)
		SELECT 'Khung ' || k.i, 2024 + k.i % 3, p.id, 'open', '2026-03-01', '[]', 1000, `+g.minutesBefore(`k.i`)+`
		FROM pick k JOIN pool p ON p.depth = k.dep AND p.rn = k.rn ORDER BY k.i`); err != nil {
		return err
	}
	return g.listScopes(ctx, "fourgood_framework_scopes", "fourgood_frameworks", "year", "owner_unit_id", before)
}

// listScopes writes the scope rows (listScopeCols) of the objects of
// table with ids above before: 0 and every unit on the path of the unit
// in unitCol, with the column extra beside the scope ("": none).
func (g listGen) listScopes(ctx context.Context, scopes, table, extra, unitCol string, before int64) error {
	oExtra := ""
	if extra != "" {
		extra, oExtra = extra+", ", "o."+extra+", "
	}
	_, err := g.exec(ctx, scopes, `WITH RECURSIVE `+listGenAnc+`
		INSERT INTO `+scopes+` `+listScopeCols[scopes]+`
		SELECT 0, `+extra+`id FROM `+table+` WHERE id > $1
		UNION ALL SELECT a.anc_id, `+oExtra+`o.id FROM `+table+` o JOIN anc a ON a.unit_id = o.`+unitCol+` WHERE o.id > $1`, before)
	return err
}

// TestMeasureOtherLists measures, on each database of SOTAY_BENCH_DBS
// filled by TestGenerateOtherLists, the first and a next page of the
// meetings (all, and from 2026-11-20), outbreak foci (all, active),
// conferences, report requests and four-good frameworks lists, as the
// services ask the store for them, for the readers of cityActors: wall
// time and CPU per request (listMeter), over SOTAY_BENCH_LISTS_RUNS runs.
//
//	SOTAY_BENCH_DBS=… go test ./internal/store -run TestMeasureOtherLists -v
func TestMeasureOtherLists(t *testing.T) {
	ctx := context.Background()
	dbs, runs := listDatasets(t)
	from := time.Date(2026, 11, 19, 17, 0, 0, 0, time.UTC) // 2026-11-20 in Vietnam
	for name, db := range dbs {
		measure := listMeter(t, name, db, runs)
		// pages measures a list's first page and, when there is one, its
		// next: list reads the page after cursor ("" first).
		pages := func(what, reader string, list func(cursor string) (total int, atLeast bool, next *string, err error)) {
			total, atLeast, next, err := list("")
			if err != nil {
				t.Fatalf("%s %s: %v", what, reader, err)
			}
			tot := strconv.Itoa(total)
			if atLeast {
				tot += "+"
			}
			measure(what, reader, "first", tot, func() error { _, _, _, err := list(""); return err })
			if next != nil {
				measure(what, reader, "next", tot, func() error { _, _, _, err := list(*next); return err })
			}
		}
		// The units search (GET /api/v1/units?q=, the unit picker): a word
		// of many units' names, a rarer one, in each reader's subtrees
		// (r23-city).
		for _, a := range cityActors(t, db) {
			for _, q := range []string{"xa", "phu tuc"} {
				if len(a.paths) == 0 || !measuredList("units q="+q) {
					continue
				}
				got, err := Units{db}.Search(ctx, a.paths, q, 20)
				if err != nil {
					t.Fatal(err)
				}
				measure("units q="+q, a.name, "first", strconv.Itoa(len(got)), func() error { _, err := Units{db}.Search(ctx, a.paths, q, 20); return err })
			}
		}
		for _, a := range cityActors(t, db) {
			if len(a.units) > 0 {
				mf := meeting.ListFilter{ScopeID: a.units[0], Path: a.paths[0], Limit: 50}
				if a.name == "cell-officer" {
					mf = meeting.ListFilter{UnitID: a.units[0], Path: a.paths[0], Limit: 50}
				}
				for _, m := range []struct {
					name string
					from time.Time
				}{{"meetings", time.Time{}}, {"meetings from 2026-11-20", from}} {
					pages(m.name, a.name, func(cursor string) (int, bool, *string, error) {
						f := mf
						f.From = m.from
						if cursor != "" {
							c, err := meeting.ParseCursor(cursor)
							if err != nil {
								return 0, false, nil, err
							}
							f.After = c
						}
						return pageOf(Meetings{db}.List(ctx, f))
					})
				}
				for _, state := range []string{"", outbreak.Active} {
					pages(strings.TrimSpace("outbreaks "+state), a.name, func(cursor string) (int, bool, *string, error) {
						return pageOf(Outbreaks{db}.List(ctx, outbreak.Filter{Paths: a.paths, State: state, Limit: 50, Cursor: cursor}))
					})
				}
				pages("report requests", a.name, func(cursor string) (int, bool, *string, error) {
					return pageOf(Reports{db}.List(ctx, report.ListFilter{UnitID: a.units[0], Limit: 50, Cursor: cursor}))
				})
				var owners []string
				for i := 1; i < len(a.paths[0]); i++ {
					if a.paths[0][i] == '/' {
						owners = append(owners, a.paths[0][:i+1])
					}
				}
				pages("frameworks", a.name, func(cursor string) (int, bool, *string, error) {
					return pageOf(FourGood{DB: db}.Frameworks(ctx, scoring.FrameworkFilter{OwnerPaths: owners, Subtrees: a.paths, Limit: 50, Cursor: cursor}))
				})
			}
			pages("conferences", a.name, func(cursor string) (int, bool, *string, error) {
				return pageOf(Conferences{db}.List(ctx, conference.Filter{Paths: a.paths, MemberID: a.member, AccountID: a.account, Limit: 50, Cursor: cursor}))
			})
		}
	}
}

// pageOf is what TestMeasureOtherLists keeps of a page: its total and the
// next page's cursor.
func pageOf[T any](p *page.Of[T], err error) (int, bool, *string, error) {
	if err != nil {
		return 0, false, nil, err
	}
	return p.Total, p.TotalAtLeast, p.NextCursor, nil
}
