package store

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/task"
)

// cityActor is one reader of the task lists, as the task service turns
// an actor into a filter (task.Service.listFilter): the units of its
// grants and their paths, its member, its account.
type cityActor struct {
	name    string
	units   []int64
	paths   []string
	member  int64
	account int64
}

// cityActors are the readers of BenchmarkTaskListCity: the offices of the
// city, of the district Phú Xuyên and of the commune Phú Túc, the
// secretary of a cell of Phú Túc (cell officer of it) and an officer of
// another cell of Phú Túc who reads as a member (no role).
func cityActors(tb testing.TB, db *DB) []cityActor {
	tb.Helper()
	ctx := context.Background()
	var out []cityActor
	for _, c := range []struct{ name, code string }{{"city-office", "HN"}, {"district-office", "HN.PX"}, {"commune-office", "HN.PX.PHUTUC"}} {
		u, err := Units{db}.ByCode(ctx, c.code)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, cityActor{name: c.name, units: []int64{u.ID}, paths: []string{u.Path}, account: cityAccountBase + u.ID})
	}
	commune := out[2].paths[0]
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.path, m.id FROM units u JOIN members m ON m.unit_id = u.id
		WHERE u.path > $1 AND u.path < $2 AND u.kind = 'cell' AND m.position IN ('Bí thư chi bộ', 'Chi ủy viên')
		ORDER BY u.id, m.position, m.id`, commune, prefixEnd(commune))
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() && len(out) < 5 {
		var cell, member int64
		var path string
		if err := rows.Scan(&cell, &path, &member); err != nil {
			tb.Fatal(err)
		}
		switch {
		case len(out) == 3: // the first cell's secretary ('Bí thư…' sorts before 'Chi…')
			out = append(out, cityActor{name: "cell-officer", units: []int64{cell}, paths: []string{path}, member: member, account: 1})
		case cell != out[3].units[0]: // an officer of another cell, as a member
			out = append(out, cityActor{name: "member", member: member, account: 2})
		}
	}
	if len(out) < 5 {
		tb.Fatal("no cells with officers in Phú Túc")
	}
	return out
}

// cityFilters are the lists of GET /api/v1/tasks an actor may ask for,
// as listFilter makes them: its reach, each state filter, the board's
// open tasks by due date, and holder, accountable, issuer "me" (each the
// reach by itself).
func cityFilters(a cityActor) []struct {
	name string
	f    task.Filter
} {
	reach := task.Filter{Paths: a.paths, MemberID: a.member, Today: benchToday, Limit: 50}
	with := func(f task.Filter, edit func(*task.Filter)) task.Filter { edit(&f); return f }
	open := []task.State{task.StateAssigned, task.StateInProgress, task.StateSuspended}
	alone := task.Filter{Today: benchToday, Limit: 50}
	return []struct {
		name string
		f    task.Filter
	}{
		{"all", reach},
		{"state=open", with(reach, func(f *task.Filter) { f.States = open })},
		{"state=done", with(reach, func(f *task.Filter) { f.States = []task.State{task.StateDone} })},
		{"overdue", with(reach, func(f *task.Filter) {
			f.States, f.Overdue = []task.State{task.StateAssigned, task.StateInProgress}, true
		})},
		{"board-open-by-due", with(reach, func(f *task.Filter) { f.States, f.NotOverdue, f.OrderByDue = open, true, true })},
		{"holder=me", with(alone, func(f *task.Filter) { f.HeldBy = &task.HeldBy{UnitIDs: a.units, MemberID: a.member} })},
		{"accountable=me", with(alone, func(f *task.Filter) { f.Accountable = &task.Related{UnitIDs: a.units, MemberID: a.member} })},
		{"issuer=me", with(alone, func(f *task.Filter) { f.IssuedBy = &task.Related{UnitIDs: a.units, AccountID: a.account} })},
	}
}

// BenchmarkTaskListCity measures the first page of 50 and the next page
// of the store's Tasks.List (what GET /api/v1/tasks runs) for each actor
// of cityActors and each list of cityFilters: on the district demo with
// SOTAY_BENCH_LIST_TASKS tasks made by the city generator (default
// 10,000; SQLite), and on each database of SOTAY_BENCH_DBS (the city with
// 1,000,000 tasks: TestGenerateBenchDataset, then TestGenerateCityTasks).
// It reports the CPU per page: this process's (getrusage) and, on
// PostgreSQL, the server's for the one connection the benchmark reads on
// as well, its parallel workers' included (serverCPU), in cpu-ms/op, and
// the parallel workers seen per page (workers/op); ns/op is the wall
// time, which depends on the machine's load.
func BenchmarkTaskListCity(b *testing.B) {
	ctx := context.Background()
	n := benchCount(b, "SOTAY_BENCH_LIST_TASKS", 10_000, "tasks")
	for name, db := range benchDatasets(b) {
		if name == "district-sqlite" {
			generateCityTasks(b, db, n)
		}
		server := newServerCPU(b, db)
		for _, a := range cityActors(b, db) {
			for _, l := range cityFilters(a) {
				first, err := Tasks{db}.List(ctx, l.f)
				if err != nil {
					b.Fatal(err)
				}
				pages := []struct {
					name string
					f    task.Filter
				}{{"first", l.f}}
				if first.NextCursor != nil {
					next := l.f
					next.Cursor = *first.NextCursor
					pages = append(pages, struct {
						name string
						f    task.Filter
					}{"next", next})
				}
				for _, p := range pages {
					b.Run(name+"/"+a.name+"/"+l.name+"/"+p.name, func(b *testing.B) {
						cpu0, srv0, w0 := processCPUTime(), server.cpu(), server.workers()
						var got int
						for b.Loop() {
							page, err := Tasks{db}.List(ctx, p.f)
							if err != nil {
								b.Fatal(err)
							}
							got = len(page.Items)
						}
						cpu := processCPUTime() - cpu0 + server.cpu() - srv0
						b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
						b.ReportMetric(float64(server.workers()-w0)/float64(b.N), "workers/op")
						b.ReportMetric(float64(got), "tasks")
						b.ReportMetric(float64(first.Total), "total")
					})
				}
			}
		}
	}
}

// procCPUTime is the CPU time of process pid (on this machine): the
// scheduler's run time in nanoseconds from /proc/<pid>/schedstat, else
// user and system time from /proc/<pid>/stat (in ticks of 10 ms, coarse
// for pages of a few milliseconds); 0 when neither can be read.
func procCPUTime(pid int) time.Duration {
	if raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/schedstat"); err == nil {
		if f := strings.Fields(string(raw)); len(f) > 0 {
			if ns, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				return time.Duration(ns)
			}
		}
	}
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	// The fields after the command (which may hold spaces) in parentheses.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}
