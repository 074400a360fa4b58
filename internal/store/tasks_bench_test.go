package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// benchToday is the day the task benchmarks run "on".
var benchToday = date.MustParse("2026-11-20")

// generateTaskHistory adds n tasks with 5 steps each to the database in
// set-based statements (INSERT … SELECT over a recursive CTE on SQLite,
// generate_series on PostgreSQL), spread over the grassroots committees of
// the tree and over the 23 months before benchToday: 70% done (some late),
// 10% waiting for acceptance, 20% in progress; 5% were pushed sideways.
// Open tasks from before November are overdue, as they would be in a
// neglected history.
func generateTaskHistory(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	var units int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE kind = 'grassroots_committee' AND parent_id IS NOT NULL AND dissolved_on IS NULL`).Scan(&units); err != nil {
		tb.Fatal(err)
	}
	if units == 0 {
		tb.Fatal("no grassroots committees to assign tasks to")
	}
	seq := `WITH RECURSIVE g(i) AS (SELECT $3 UNION ALL SELECT i + 1 FROM g WHERE i < $4)`
	day := func(offset string) string { return `date('2025-01-01', '+' || (` + offset + `) || ' days')` }
	if db.dialect == postgresDialect {
		seq = `WITH g(i) AS (SELECT generate_series(CAST($3 AS BIGINT), CAST($4 AS BIGINT)))`
		day = func(offset string) string {
			return `to_char(DATE '2025-01-01' + CAST(` + offset + ` AS INTEGER), 'YYYY-MM-DD')`
		}
	}
	var before int64
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM tasks`).Scan(&before); err != nil {
		tb.Fatal(err)
	}
	err := db.Write(ctx, func(tx *Tx) error {
		// task_counts is recounted once at the end rather than kept row by
		// row by its triggers (put back before the commit).
		restore, err := suspendTaskCountTriggers(ctx, tx, db.dialect)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE bench_units (n INTEGER PRIMARY KEY, unit_id BIGINT NOT NULL, parent_id BIGINT NOT NULL)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_units (n, unit_id, parent_id)
			SELECT ROW_NUMBER() OVER (ORDER BY id), id, parent_id FROM units
			WHERE kind = 'grassroots_committee' AND parent_id IS NOT NULL AND dissolved_on IS NULL`); err != nil {
			return err
		}
		a0 := `((g.i * 7) % 690)`
		const chunk = 250_000
		for lo := 1; lo <= n; lo += chunk {
			hi := min(n, lo+chunk-1)
			_, err := tx.ExecContext(ctx, seq+`
				INSERT INTO tasks (kind, title, issuer_unit_id, unit_id, holder_unit_id, holder_since, holder_due_on, accept_due_on,
					state, percent, assigned_on, original_due_on, due_on, done_on, days_late, done_unit_id, version, created_at, updated_at)
				SELECT 'task', 'Nhiệm vụ thử ' || CAST(g.i AS TEXT), bu.parent_id, bu.unit_id,
					CASE WHEN g.i % 20 = 0 THEN bu2.unit_id ELSE bu.unit_id END, `+db.castTime("$1")+`, `+day(a0+` + 14`)+`,
					CASE WHEN g.i % 10 = 7 THEN `+day(a0+` + 2`)+` END,
					CASE g.i % 10 WHEN 7 THEN 'assigned' WHEN 8 THEN 'in_progress' WHEN 9 THEN 'in_progress' ELSE 'done' END,
					CASE WHEN g.i % 10 < 7 THEN 100 ELSE 50 END,
					`+day(a0)+`, `+day(a0+` + 14`)+`, `+day(a0+` + 14`)+`,
					CASE WHEN g.i % 10 < 7 THEN `+day(a0+` + g.i % 20`)+` END,
					CASE WHEN g.i % 10 < 7 THEN CASE WHEN g.i % 20 > 14 THEN g.i % 20 - 14 ELSE 0 END END,
					CASE WHEN g.i % 10 < 7 THEN bu.unit_id END, 1, `+db.castTime("$1")+`, `+db.castTime("$1")+`
				FROM g JOIN bench_units bu ON bu.n = 1 + g.i % $2 JOIN bench_units bu2 ON bu2.n = 1 + (g.i + 1) % $2`,
				time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC), units, lo, hi)
			if err != nil {
				return fmt.Errorf("tasks %d–%d: %w", lo, hi, err)
			}
		}
		// Five steps per task: created, accepted, reported, forwarded (down,
		// or sideways for the pushed ones), and completed or reported again.
		_, err = tx.ExecContext(ctx, `INSERT INTO task_steps (task_id, seq, action, capacity, direction, username, at, on_date,
				from_unit_id, to_unit_id, note, due_on, accept_due_on, answered_on, ended_on, ended_at)
			SELECT t.id, k.k,
				CASE k.k WHEN 1 THEN 'create' WHEN 2 THEN 'accept' WHEN 3 THEN 'report' WHEN 4 THEN 'forward'
					ELSE CASE WHEN t.state = 'done' THEN 'complete' ELSE 'report' END END,
				CASE WHEN k.k = 1 THEN 'issuer' ELSE 'holder' END,
				CASE WHEN k.k = 1 THEN 'down' WHEN k.k = 4 THEN CASE WHEN t.holder_unit_id <> t.unit_id THEN 'sideways' ELSE 'down' END ELSE '' END,
				'bench', t.created_at, t.assigned_on,
				CASE WHEN k.k = 1 THEN t.issuer_unit_id ELSE t.unit_id END,
				CASE WHEN k.k = 4 THEN t.holder_unit_id ELSE t.unit_id END, '',
				CASE WHEN k.k IN (1, 4) THEN t.due_on END,
				CASE WHEN k.k IN (1, 4) THEN COALESCE(t.accept_due_on, t.assigned_on) END,
				CASE WHEN k.k = 1 OR (k.k = 4 AND t.state <> 'assigned') THEN t.assigned_on END,
				CASE WHEN k.k = 1 THEN t.assigned_on WHEN k.k = 4 THEN t.done_on END,
				CASE WHEN k.k = 1 OR (k.k = 4 AND t.done_on IS NOT NULL) THEN t.created_at END
			FROM tasks t CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) k
			WHERE t.id > $1`, before)
		if err != nil {
			return fmt.Errorf("steps: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET holder_step_id = (SELECT s.id FROM task_steps s WHERE s.task_id = tasks.id AND s.seq = 4)
			WHERE id > $1`, before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE bench_units`); err != nil {
			return err
		}
		if err := restore(); err != nil {
			return err
		}
		if db.dialect == postgresDialect {
			return tx.refreshTaskScopes(ctx, `SELECT id FROM tasks WHERE id > $1`, before)
		}
		// SQLite runs the set-based statement's join of the ancestors with
		// the tasks as a scan of every selected task for each ancestor row
		// (about 6,000 × 100,000 on the city: it had not finished after 45
		// minutes); task by task it is three short statements each.
		var ids []int64
		rows, err := tx.QueryContext(ctx, `SELECT id FROM tasks WHERE id > $1 ORDER BY id`, before)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM task_scopes WHERE task_id > $1`, before); err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.refreshTaskScopesOf(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if db.dialect == postgresDialect {
		// VACUUM sets the visibility map the counters' index-only scans
		// need (autovacuum's work on a live database).
		if _, err := db.write.ExecContext(ctx, `ANALYZE tasks; ANALYZE task_steps; ANALYZE units`); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `VACUUM ANALYZE task_counts`); err != nil {
			tb.Fatal(err)
		}
	} else if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated %d tasks and %d steps in %s", n, 5*n, time.Since(start).Round(time.Millisecond))
}

// suspendTaskCountTriggers turns off the triggers that keep task_counts
// and task_due_counts (PostgreSQL: DISABLE TRIGGER; SQLite: dropped, their
// text kept) for a set-based load in tx; restore recounts both from
// scratch (their check's recount) and turns them on again.
func suspendTaskCountTriggers(ctx context.Context, tx *Tx, dialect dialect) (restore func() error, err error) {
	// The triggers of task_counts (0026) and task_due_counts (0029).
	triggers := [][2]string{{"tasks", "tasks_counters"}, {"task_steps", "task_steps_counters"}, {"task_flags", "task_flags_counters"},
		{"tasks", "tasks_due_counters"}, {"tasks", "tasks_due_counters_update"},
		{"task_steps", "task_steps_open_counters"}, {"task_steps", "task_steps_open_counters_update"}}
	var recreate []string
	if dialect == postgresDialect {
		for _, t := range triggers {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+t[0]+` DISABLE TRIGGER `+t[1]); err != nil {
				return nil, err
			}
		}
	} else {
		recreate, err = dropSQLiteObjects(ctx, tx, "TRIGGER", `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\_counters\_%' ESCAPE '\' AND tbl_name IN ('tasks', 'task_steps', 'task_flags')`)
		if err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, c := range counterTables {
			if c.table != "task_counts" && c.table != "task_due_counts" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+c.table); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+c.table+` (`+strings.Join(c.keys, ", ")+`, `+strings.Join(c.columns(), ", ")+`) `+c.recompute); err != nil {
				return fmt.Errorf("recount %s: %w", c.table, err)
			}
		}
		if dialect == postgresDialect {
			for _, t := range triggers {
				if _, err := tx.ExecContext(ctx, `ALTER TABLE `+t[0]+` ENABLE TRIGGER `+t[1]); err != nil {
					return err
				}
			}
		}
		for _, text := range recreate {
			if _, err := tx.ExecContext(ctx, text); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// ensureTaskHistory generates n tasks unless the database has some.
func ensureTaskHistory(tb testing.TB, db *DB, n int) {
	tb.Helper()
	var have int
	if err := db.read.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM tasks`).Scan(&have); err != nil {
		tb.Fatal(err)
	}
	if have == 0 {
		generateTaskHistory(tb, db, n)
	}
}

func benchScanRequest() task.ScanRequest {
	cal := viet.NewCalendar()
	return task.ScanRequest{Now: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC), Today: benchToday,
		OverdueBefore: benchToday, StepOverdueBefore: benchToday, NoResponseBefore: task.OverdueCutoff(cal, benchToday, 0)}
}

// BenchmarkTaskHistory measures the overdue scan and the accountability
// report over a task history: 20,000 tasks (100,000 steps) on the district
// demo, and SOTAY_BENCH_TASKS tasks (default 1,000,000, with 5,000,000
// steps) on each database of SOTAY_BENCH_DBS (e.g. the city dataset made
// with TestGenerateBenchDataset), generated there when it has none. The
// first scan (which raises every flag) is timed once and logged; the
// benchmark loops time the scans after it, which find nothing new.
func BenchmarkTaskHistory(b *testing.B) {
	ctx := context.Background()
	big := 1_000_000
	if v := os.Getenv("SOTAY_BENCH_TASKS"); v != "" {
		var err error
		if big, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	for name, db := range benchDatasets(b) {
		n := big
		if name == "district-sqlite" {
			n = 20_000
		}
		ensureTaskHistory(b, db, n)
		var tasks, steps int
		db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks`).Scan(&tasks)
		db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_steps`).Scan(&steps)
		start := time.Now()
		raised, err := Tasks{db}.ScanFlags(ctx, benchScanRequest())
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d tasks, %d steps; first scan raised %v in %s", name, tasks, steps, raised, time.Since(start).Round(time.Millisecond))
		b.Run(name+"/scan", func(b *testing.B) {
			for b.Loop() {
				if _, err := (Tasks{db}).ScanFlags(ctx, benchScanRequest()); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, scope := range []struct{ name, code string }{{"commune", "HN.PX.PHUTUC"}, {"district", "HN.PX"}, {"city", "HN"}} {
			u, err := Units{db}.ByCode(ctx, scope.code)
			if err != nil {
				b.Fatal(err)
			}
			q := task.ReportQuery{Path: u.Path, From: date.MustParse("2026-01-01"), To: benchToday, Today: benchToday}
			// The report from the counters, then the old statements over
			// the rows (the oracle) in the same run.
			for _, way := range []struct {
				name   string
				report func(context.Context, task.ReportQuery) (*task.ReportData, error)
			}{{"", Tasks{db}.Accountability}, {"-rows", Tasks{db}.accountabilityScan}} {
				b.Run(name+"/report-"+scope.name+way.name, func(b *testing.B) {
					var rows int
					cpu0 := dbCPUTime(db)
					for b.Loop() {
						d, err := way.report(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						rows = len(d.Rows)
					}
					b.ReportMetric(float64(rows), "rows")
					b.ReportMetric(float64((dbCPUTime(db)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
		}
	}
}

// dbCPUTime is the user and system CPU time of this process and, on
// PostgreSQL, of the server's backends serving this database (read from
// /proc: the server runs on this machine in the benchmarks; 10 ms ticks).
func dbCPUTime(db *DB) time.Duration {
	cpu := processCPUTime()
	if db.dialect != postgresDialect {
		return cpu
	}
	var name string
	if err := db.read.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		return cpu
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		cmd, err := os.ReadFile(p)
		if err != nil || !strings.HasPrefix(string(cmd), "postgres: ") || !strings.Contains(string(cmd), " "+name+" ") {
			continue
		}
		stat, err := os.ReadFile(strings.TrimSuffix(p, "cmdline") + "stat")
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: state is the
		// 3rd field of the line, utime the 14th, stime the 15th.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		cpu += time.Duration(ut+st) * 10 * time.Millisecond
	}
	return cpu
}

// TestGenerateTaskHistory adds a task history to a benchmark dataset when
// SOTAY_BENCH_TASK_HISTORY is "n=dsn" (e.g. "1000000=sqlite:/tmp/city.db",
// after TestGenerateBenchDataset), and times the first scan and the
// reports once. It is skipped otherwise.
func TestGenerateTaskHistory(t *testing.T) {
	n, dsn := generatorCount(t, "SOTAY_BENCH_TASK_HISTORY", "n=dsn to add a task history to a benchmark dataset")
	ctx := context.Background()
	db, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mstart := time.Now()
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d migrations applied in %s", applied, time.Since(mstart).Round(time.Millisecond))
	ensureTaskHistory(t, db, n)
	start := time.Now()
	raised, err := Tasks{db}.ScanFlags(ctx, benchScanRequest())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scan raised %v in %s", raised, time.Since(start).Round(time.Millisecond))
	for _, code := range []string{"HN.PX.PHUTUC", "HN.PX", "HN"} {
		u, err := Units{db}.ByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		d, err := Tasks{db}.Accountability(ctx, task.ReportQuery{Path: u.Path, From: date.MustParse("2026-01-01"), To: benchToday, Today: benchToday})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("report %s: %d rows in %s", code, len(d.Rows), time.Since(start).Round(time.Millisecond))
	}
}
