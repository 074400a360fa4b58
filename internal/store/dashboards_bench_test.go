package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// dashAsOf is the day the generated outbreak season and conference are
// measured on.
var dashAsOf = date.MustParse("2026-11-20")

// TestGenerateDashboards adds to a city-sized benchmark dataset the content
// every city dashboard reads, set-based, each part skipped when present:
// a four-good framework owned by the root over every live cell (a sheet
// each at mixed stages, four score rows each: ensureFourGood); a year
// (2025) of closed meetings of every cell with their roll-ups
// (genMeetingYear; left out with SOTAY_BENCH_DASH_NO_MEETINGS); an outbreak season (one focus in eight cells of the
// communes, opened over the 30 days to 2026-11-20, a third closed on
// 2026-11-10, daily reports, funding as tasks for one in five); and a
// city-wide conference (audience: the whole city, a bridge point at the
// root, every district and every commune, seven in ten invited members
// checked in).
//
//	SOTAY_BENCH_DASH=sqlite:/tmp/dash-city.db go test ./internal/store -run TestGenerateDashboards -timeout 60m -v
func TestGenerateDashboards(t *testing.T) {
	db := openBenchTarget(t, "SOTAY_BENCH_DASH", "the dashboards' content")
	ctx := context.Background()
	// SOTAY_BENCH_DASH_PARTS=fourgood,…: only the parts named.
	parts := os.Getenv("SOTAY_BENCH_DASH_PARTS")
	step := func(name string, f func() (string, error)) {
		if parts != "" && !slices.Contains(strings.Split(parts, ","), name) {
			t.Logf("%s: skipped (SOTAY_BENCH_DASH_PARTS)", name)
			return
		}
		start := time.Now()
		what, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %s in %s", name, what, time.Since(start).Round(time.Millisecond))
	}
	step("four-good", func() (string, error) {
		id := ensureFourGood(t, db, "HN")
		var n int
		err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM fourgood_sheets WHERE framework_id = $1`, id).Scan(&n)
		return fmt.Sprintf("framework %d, %d sheets", id, n), err
	})
	step("meetings", func() (string, error) {
		if os.Getenv("SOTAY_BENCH_DASH_NO_MEETINGS") != "" {
			return "skipped (SOTAY_BENCH_DASH_NO_MEETINGS)", nil
		}
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE month LIKE '2025-%'`).Scan(&n); err != nil || n > 0 {
			return fmt.Sprintf("%d meetings present", n), err
		}
		m, a, err := genMeetingYear(ctx, db)
		return fmt.Sprintf("%d meetings, %d absences", m, a), err
	})
	step("outbreaks", func() (string, error) { return genOutbreakSeason(ctx, db) })
	step("conference", func() (string, error) { return genCityConference(ctx, db) })
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
}

// genMeetingYear writes 2025's closed meetings of every cell, set-based:
// the regular meeting in nine months of ten, a thematic meeting in seven
// quarters of ten, and absences without reason for one member in 25 in a
// third of the meetings; then what closing writes, set-based too: the
// count of absences without reason on each meeting and the roll-ups.
func genMeetingYear(ctx context.Context, db *DB) (meetings, absences int64, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_scopes WHERE meeting_id IN (SELECT id FROM meetings WHERE month LIKE '2025-%')`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_attendance WHERE meeting_id IN (SELECT id FROM meetings WHERE month LIKE '2025-%')`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meetings WHERE month LIKE '2025-%'`); err != nil {
			return err
		}
		ts := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		// SOTAY_BENCH_DASH_MONTHS=n: the first n months only (SQLite under
		// load did not finish the year in an hour).
		months := 12
		if v, err := strconv.Atoi(os.Getenv("SOTAY_BENCH_DASH_MONTHS")); err == nil && v >= 1 && v < 12 {
			months = v
		}
		mo := make([]string, months)
		for i := range mo {
			mo[i] = fmt.Sprintf("('2025-%02d', %d)", i+1, i+1)
		}
		step := func(what string, start time.Time) {
			fmt.Fprintf(os.Stderr, "genMeetingYear: %s in %s\n", what, time.Since(start).Round(time.Millisecond))
		}
		start := time.Now()
		res, err := tx.ExecContext(ctx, `WITH mo(m, n) AS (VALUES `+strings.Join(mo, ", ")+`)
			INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at)
			SELECT u.id, CASE WHEN mo.n % 3 = 2 AND (u.id + mo.n) % 10 < 7 THEN 'thematic' ELSE 'regular' END, mo.m, $1, 'Hội trường', 'Sinh hoạt', '[]', 'closed', $1, $1,
				20, 15 + (u.id + mo.n) % 6, 2, $1, $1
			FROM units u CROSS JOIN mo WHERE u.kind = 'cell' AND ((u.id * 7 + mo.n) % 10 <> 0 OR (mo.n % 3 = 2 AND (u.id + mo.n) % 10 < 7))`, ts)
		if err != nil {
			return err
		}
		meetings, _ = res.RowsAffected()
		step("meetings", start)
		// The thematic months also get their regular meeting.
		res, err = tx.ExecContext(ctx, `INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at)
			SELECT unit_id, 'regular', month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at
			FROM meetings WHERE kind = 'thematic' AND month LIKE '2025-%'`)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		meetings += n
		res, err = tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, class, hosted, full_name)
			SELECT mt.id, mb.id, 'absent', '', 'full', 0, mb.full_name FROM meetings mt JOIN members mb ON mb.unit_id = mt.unit_id
			WHERE mt.month LIKE '2025-%' AND mt.id % 3 = 0 AND mb.id % 25 = 0`)
		if err != nil {
			return err
		}
		absences, _ = res.RowsAffected()
		step("absences", start)
		// What closing writes: the count on the meeting, the roll-up.
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET unexcused_count = (SELECT COUNT(*) FROM meeting_attendance a
			WHERE a.meeting_id = meetings.id AND a.status = 'absent' AND a.reason = '') WHERE month LIKE '2025-%'`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_cell_years WHERE year = 2025`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, rollUpSQL(`month >= $1 AND month <= $2`), "2025-01", "2025-12"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_member_years WHERE year = 2025`); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, memberRollUpSQL(db.dialect, `month >= $1 AND month <= $2`), "2025-01", "2025-12"); err != nil {
			return err
		}
		step("roll-ups", start)
		// The per-subtree counters the roll-ups feed (migration 0034),
		// recounted for the year.
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_subtree_months WHERE year = 2025`); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meeting_subtree_months (unit_id, year, month, regular, thematic, meetings, expected, present)
			SELECT * FROM (`+meetingMonthsRecount+`) x WHERE x.year = 2025`)
		step("subtree counters", start)
		return err
	})
	return meetings, absences, err
}

// dayList is a VALUES list of the n days up to last: (k, 'YYYY-MM-DD').
func dayList(last date.Date, n int) string {
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, '%s')", k, last.AddDays(-k))
	}
	return b.String()
}

// genOutbreakSeason writes a dengue season over the city, set-based: one
// focus in eight cells of the communes (grassroots committees), opened on
// one of the 30 days to dashAsOf, a third of them closed on dashAsOf-10;
// a daily report for each day a focus was open in the last 30 days; the
// four on-site set on two foci in three; a funding request with its task
// for one in five (a third of those disbursed). Also the foci's list
// scopes (outbreak_scopes).
func genOutbreakSeason(ctx context.Context, db *DB) (string, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbreaks`).Scan(&n); err != nil || n > 0 {
		return fmt.Sprintf("%d foci present", n), err
	}
	ts := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	closed := dashAsOf.AddDays(-10)
	days := `WITH d(k, day) AS (VALUES ` + dayList(dashAsOf, 30) + `) `
	var foci, reports, funding int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, days+`INSERT INTO outbreaks (unit_id, commune_id, disease, place, opened_on, state, closed_on, command_member_id, forces_count, onsite, means_updated_at, version, created_at, updated_at)
			SELECT u.id, p.id, 'sot_xuat_huyet', 'Khu dân cư ' || u.name, d.day,
				CASE WHEN u.id % 24 = 0 AND d.day < $2 THEN 'closed' ELSE 'active' END, CASE WHEN u.id % 24 = 0 AND d.day < $2 THEN $2 END,
				NULL, CASE WHEN u.id % 3 <> 0 THEN 2 ELSE 0 END,
				CASE WHEN u.id % 3 <> 0 THEN '{"command":null,"forces":[],"means":[],"logistics":[]}' ELSE '' END,
				NULL, 1, $1, $1
			FROM units u JOIN units p ON p.id = u.parent_id JOIN d ON d.k = (u.id / 8) % 30
			WHERE u.kind = 'cell' AND u.dissolved_on IS NULL AND p.kind = 'grassroots_committee' AND u.id % 8 = 0`, ts, closed)
		if err != nil {
			return err
		}
		foci, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE outbreaks SET means_updated_at = created_at WHERE forces_count = 2`); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, days+`INSERT INTO outbreak_reports (outbreak_id, day, new_cases, recovered, created_at)
			SELECT o.id, d.day, (o.id + d.k) % 4, 0, $1 FROM outbreaks o JOIN d ON d.day >= o.opened_on AND (o.closed_on IS NULL OR d.day <= o.closed_on)`, ts)
		if err != nil {
			return err
		}
		reports, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (kind, title, issuer_unit_id, unit_id, holder_unit_id, holder_since, state, assigned_on, original_due_on, due_on, done_on, created_at, updated_at)
			SELECT 'task', 'Cấp kinh phí ổ dịch ' || CAST(o.id AS TEXT), p.parent_id, p.parent_id, p.parent_id, $1,
				CASE WHEN o.id % 15 = 0 THEN 'done' ELSE 'assigned' END, o.opened_on, $2, $2, CASE WHEN o.id % 15 = 0 THEN $2 END, $1, $1
			FROM outbreaks o JOIN units p ON p.id = o.commune_id WHERE o.id % 5 = 0`, ts, dashAsOf.AddDays(-3)); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `INSERT INTO outbreak_funding (outbreak_id, task_id, amount, purpose, needed_by, to_unit_id, created_at)
			SELECT o.id, t.id, 10000000, 'Hóa chất', t.due_on, t.unit_id, $1 FROM outbreaks o JOIN tasks t ON t.title = 'Cấp kinh phí ổ dịch ' || CAST(o.id AS TEXT)
			WHERE o.id % 5 = 0`, ts)
		if err != nil {
			return err
		}
		funding, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `INSERT INTO outbreak_scopes (scope_id, state, outbreak_id)
			SELECT a.id, o.state, o.id FROM outbreaks o JOIN units u ON u.id = o.unit_id JOIN units c ON c.id = o.commune_id
				JOIN units a ON a.kind <> 'cell' AND substr(c.path, 1, length(a.path)) = a.path
			UNION ALL SELECT u.id, o.state, o.id FROM outbreaks o JOIN units u ON u.id = o.unit_id
			UNION ALL SELECT 0, state, id FROM outbreaks`)
		return err
	})
	return fmt.Sprintf("%d foci, %d daily reports, %d funding requests", foci, reports, funding), err
}

// genCityConference writes a conference of the whole city (audience the
// root, every active member invited, through the store), a bridge point at
// the root, every district and every commune (members expected at their
// cell's parent's, else the root's), seven in ten invited checked in (one
// in ten of them late, one in twenty at the root's hall instead of their
// point).
func genCityConference(ctx context.Context, db *DB) (string, error) {
	var id int64
	var points int
	err := db.read.QueryRowContext(ctx, `SELECT id, (SELECT COUNT(*) FROM conference_points p WHERE p.conference_id = c.id) FROM conferences c WHERE title = 'Bench city conference'`).Scan(&id, &points)
	if err == nil && points > 0 {
		return fmt.Sprintf("conference %d present", id), nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	var root struct {
		id   int64
		path string
	}
	if err := db.read.QueryRowContext(ctx, `SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&root.id, &root.path); err != nil {
		return "", err
	}
	starts := dashAsOf.Time().Add(2 * time.Hour)
	if id == 0 {
		c := &conference.Conference{Title: "Bench city conference", StartsAt: starts, HostUnitID: root.id,
			Audience: conference.Audience{UnitID: root.id}, AudiencePath: root.path, Invitation: "Giấy mời", DocumentIDs: []int64{}}
		entry := auth.AuditEntry{Actor: auth.SystemActor(), Action: "conference.create", ObjectType: "conference"}
		if err := (Conferences{DB: db}).Create(ctx, c, entry); err != nil {
			return "", err
		}
		id = c.ID
	}
	// The points and the places set-based: AddPoints places each member
	// by comparing their cell's path with every point's (an hour and more
	// for 500,000 members and 1,060 points on this machine). Here: the
	// point of the cell's parent, else the root's.
	var invited, checkins int64
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO conference_points (conference_id, unit_id, name, stream_url, created_at)
			SELECT $1, id, name, '', $2 FROM units WHERE kind IN ('province_committee', 'district_committee', 'grassroots_committee') AND dissolved_on IS NULL`, id, starts); err != nil {
			return err
		}
		var rootPoint int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM conference_points WHERE conference_id = $1 AND unit_id = $2`, id, root.id).Scan(&rootPoint); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE conference_attendees SET bridge_point_id = COALESCE((SELECT p.id FROM members m JOIN units c ON c.id = m.unit_id
				JOIN conference_points p ON p.conference_id = conference_attendees.conference_id AND p.unit_id = c.parent_id
			WHERE m.id = conference_attendees.member_id), $2) WHERE conference_id = $1`, id, rootPoint)
		if err != nil {
			return err
		}
		invited, _ = res.RowsAffected()
		res, err = tx.ExecContext(ctx, `INSERT INTO conference_checkins (conference_id, member_id, bridge_point_id, at, recorded_at, method, late)
			SELECT a.conference_id, a.member_id, CASE WHEN a.member_id % 20 = 0 THEN $2 ELSE a.bridge_point_id END, $3, $3, 'qr', a.member_id % 10 = 1
			FROM conference_attendees a WHERE a.conference_id = $1 AND a.member_id % 10 < 7`, id, rootPoint, starts)
		if err != nil {
			return err
		}
		checkins, _ = res.RowsAffected()
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conference_points WHERE conference_id = $1`, id).Scan(&points)
	})
	return fmt.Sprintf("conference %d: %d invited, %d bridge points, %d check-ins", id, invited, points, checkins), err
}

// dashScopes are the units a city office opens: the root, a district
// (Phú Xuyên) and a commune (Phú Túc).
func dashScopes(b *testing.B, db *DB) []struct {
	name string
	id   int64
} {
	ctx := context.Background()
	rootID := rootUnitID(b, db)
	out := []struct {
		name string
		id   int64
	}{{"root", rootID}}
	for _, sc := range []struct{ name, code string }{{"district", "HN.PX"}, {"commune", "HN.PX.PHUTUC"}} {
		u, err := Units{DB: db}.ByCode(ctx, sc.code)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, struct {
			name string
			id   int64
		}{sc.name, u.ID})
	}
	return out
}

// BenchmarkDashboards measures every city dashboard on the datasets of
// SOTAY_BENCH_DBS made by TestGenerateDashboards, for the root, a
// district and a commune: wall time and CPU per operation (this process
// and, on PostgreSQL, its server processes).
//
//	SOTAY_BENCH_DBS=sqlite:/tmp/dash-city.db go test ./internal/store -run '^$' -bench Dashboards -benchtime 5x
func BenchmarkDashboards(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDSNs(b, map[string]*DB{}) {
		cpu := benchCPU(b, db)
		actor := auth.SystemActor()
		var fw, conf int64
		if err := db.read.QueryRowContext(ctx, `SELECT id FROM fourgood_frameworks WHERE name = 'Bench'`).Scan(&fw); err != nil {
			b.Fatal(err)
		}
		if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM conferences WHERE title = 'Bench city conference'`).Scan(&conf); err != nil {
			b.Fatal(err)
		}
		fg := &scoring.Service{Store: FourGood{DB: db}, Now: time.Now}
		mt := &meeting.Service{Store: Meetings{DB: db}, Now: time.Now}
		ob := &outbreak.Service{Store: Outbreaks{DB: db}, Now: func() time.Time { return dashAsOf.Time().Add(3 * time.Hour) }}
		cf := &conference.Service{Store: Conferences{DB: db}, Now: func() time.Time { return dashAsOf.Time().Add(3 * time.Hour) }}
		run := func(sub string, f func() (int, error)) {
			b.Run(name+"/"+sub, func(b *testing.B) {
				start := cpu()
				n := loopCalls(b, f)
				reportCPU(b, cpu, start)
				b.ReportMetric(float64(n), "rows")
			})
		}
		for _, sc := range dashScopes(b, db) {
			run("fourgood-results/"+sc.name, func() (int, error) { return fourGoodWhole(ctx, fg, actor, fw, sc.id) })
			run("fourgood-results-page/"+sc.name, func() (int, error) { return fourGoodTwoPages(ctx, fg, actor, fw, sc.id) })
			run("compliance/"+sc.name, func() (int, error) {
				c, err := mt.Compliance(ctx, actor, meeting.ComplianceInput{UnitID: sc.id, Year: 2025})
				if err != nil {
					return 0, err
				}
				return len(c.Cells), nil
			})
			run("compliance-by-child/"+sc.name, func() (int, error) {
				c, err := mt.ComplianceByChild(ctx, actor, meeting.ComplianceInput{UnitID: sc.id, Year: 2025})
				if err != nil {
					return 0, err
				}
				return c.Total.Cells, nil
			})
			run("outbreak-board/"+sc.name, func() (int, error) {
				bd, err := ob.Board(ctx, actor, sc.id, dashAsOf)
				if err != nil {
					return 0, err
				}
				return len(bd.Foci), nil
			})
		}
		var paths = map[int64]string{}
		for _, sc := range dashScopes(b, db) {
			u, err := Units{DB: db}.Unit(ctx, sc.id)
			if err != nil {
				b.Fatal(err)
			}
			paths[sc.id] = u.Path
		}
		rep := Reports{DB: db}
		from, to := date.MustParse("2026-01-01"), dashAsOf
		for _, sc := range dashScopes(b, db) {
			// The figures a report request's draft prints (report.Service.draft
			// and its sources; the task figures are the accountability report).
			run("draft-members/"+sc.name, func() (int, error) {
				st, err := rep.MemberStats(ctx, paths[sc.id], to, true)
				if err != nil {
					return 0, err
				}
				return st.Members.Total, nil
			})
			run("draft-reads/"+sc.name, func() (int, error) {
				n, _, err := rep.DocumentsRead(ctx, paths[sc.id], from, to)
				return n, err
			})
			run("draft-outbreaks/"+sc.name, func() (int, error) {
				f, err := Outbreaks{DB: db}.Figures(ctx, paths[sc.id], from, to)
				if err != nil {
					return 0, err
				}
				return f.FociOpened, nil
			})
			run("draft-fourgood/"+sc.name, func() (int, error) {
				figs, _, err := fg.ReportFigures(ctx, actor, sc.id, from, to)
				return int(figs["fourgood.registered"]), err
			})
		}
		if conf == 0 {
			continue
		}
		run("conference-page/root", func() (int, error) {
			c, ps, err := cf.Get(ctx, actor, conf)
			if err != nil {
				return 0, err
			}
			return c.Invited + len(ps), nil
		})
		run("conference-attendance/root", func() (int, error) {
			a, err := cf.Attendance(ctx, actor, conf)
			if err != nil {
				return 0, err
			}
			return a.Total.Expected, nil
		})
	}
}
