package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
)

// The city's task history (issue 17, session 6): a fast bulk generator of
// tasks, their steps and their task_scopes rows over a generated tree
// (the city dataset of TestGenerateBenchDataset, or the district demo),
// written without the services or the write path: the rows are worked out
// in Go from a per-task random stream (so that each table's pass makes the
// same tasks again without keeping them), written in one transaction with
// the secondary indexes of the three tables dropped and created again
// from their own definitions afterwards (SQLite: one prepared single-row
// INSERT per table with foreign keys off for the connection and a 512 MiB
// page cache; PostgreSQL: COPY, with the foreign-key triggers skipped when
// the role may), then ANALYZE. The scope rows come from taskScopeKeys,
// the keys the write path computes (TestCityTasksScopes checks them
// against the set-based taskScopesSQL).
//
// What it makes, per task (weights of reality: most work at the communes,
// their cells and the district offices):
//
//	 4%  the city to a district (a quarter forwarded to one of its communes)
//	10%  a district office's own work (issuer and holder the district)
//	26%  a district to one of its grassroots committees (15% forwarded to a
//	     cell of it, held by the cell's secretary)
//	60%  a grassroots committee (or sub-committee) to one of its cells: the
//	     cell's secretary answers for 60% of them, a cell officer holds 40%
//
// assigned over the 365 days before benchToday, due 7–60 days later; the
// older a task the likelier it is done (93% once well past its due date),
// the others assigned (not yet accepted), in progress or suspended, so
// that the running ones due before benchToday are overdue. Steps: create,
// forward (when forwarded), accept, report, suspend, complete as the state
// needs (2–5 per task). created_by is a stand-in account per issuing unit
// (cityAccountBase + unit id): the dataset has no accounts.
type cityTasks struct {
	n                    int
	seed                 uint64
	firstTask, firstStep int64
	root                 int64
	path                 map[int64]string
	parent               map[int64]int64
	districts, communes  []int64
	cells                []int64
	communesOf           map[int64][]int64 // district → its grassroots committees
	cellsOf              map[int64][]int64 // grassroots committee → the cells below it
	officers             map[int64][]int64 // cell → officer members, the secretary first
	days                 []string          // day offset from dayBase → "YYYY-MM-DD"
}

const cityAccountBase = 1_000_000

// dayBase is day 0 of the generator's day offsets; today is day 400.
var dayBase = benchToday.AddDays(-400)

const cityToday = 400

// genTask is one generated task.
type genTask struct {
	id                                 int64
	issuer, unit, holder               int64
	accMember, holderMember, createdBy int64
	forwarded                          bool
	state                              string
	percent                            int
	assigned, due, done, suspended     int // day offsets; done, suspended: -1 when none
	minute                             int // the creation's minute of the day
}

// srng is splitmix64: a small random stream per task.
type srng uint64

func (r *srng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
func (r *srng) intn(n int) int       { return int(r.next() % uint64(n)) }
func (r *srng) float() float64       { return float64(r.next()>>11) / (1 << 53) }
func (r *srng) pick(s []int64) int64 { return s[r.intn(len(s))] }

// loadCityTasks reads the tree and the cell officers.
func loadCityTasks(ctx context.Context, db *DB, n int, seed uint64) (*cityTasks, error) {
	g := &cityTasks{n: n, seed: seed, path: map[int64]string{}, parent: map[int64]int64{},
		communesOf: map[int64][]int64{}, cellsOf: map[int64][]int64{}, officers: map[int64][]int64{}}
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM tasks`).Scan(&g.firstTask); err != nil {
		return nil, err
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM task_steps`).Scan(&g.firstStep); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), kind, path FROM units WHERE dissolved_on IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	kinds := map[int64]string{}
	for rows.Next() {
		var id, parent int64
		var kind, path string
		if err := rows.Scan(&id, &parent, &kind, &path); err != nil {
			rows.Close()
			return nil, err
		}
		g.path[id], g.parent[id], kinds[id] = path, parent, kind
		switch {
		case parent == 0 && g.root == 0:
			g.root = id
		case kind == "district_committee":
			g.districts = append(g.districts, id)
		case kind == "grassroots_committee":
			g.communes = append(g.communes, id)
		case kind == "cell":
			g.cells = append(g.cells, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if g.root == 0 || len(g.districts) == 0 || len(g.communes) == 0 || len(g.cells) == 0 {
		return nil, fmt.Errorf("the tree has %d districts, %d grassroots committees, %d cells: generate a dataset first", len(g.districts), len(g.communes), len(g.cells))
	}
	// The district and the grassroots committee above each unit.
	for _, c := range g.communes {
		for _, a := range auth.PathIDs(g.path[c]) {
			if kinds[a] == "district_committee" {
				g.communesOf[a] = append(g.communesOf[a], c)
			}
		}
	}
	for _, c := range g.cells {
		for _, a := range auth.PathIDs(g.path[c]) {
			if kinds[a] == "grassroots_committee" {
				g.cellsOf[a] = append(g.cellsOf[a], c)
			}
		}
	}
	orows, err := db.read.QueryContext(ctx, `SELECT m.unit_id, m.id FROM members m JOIN units u ON u.id = m.unit_id
		WHERE u.kind = 'cell' AND m.position IN ('Bí thư chi bộ', 'Phó Bí thư chi bộ', 'Chi ủy viên') AND m.status IN ('probationary', 'full', 'exempt')
		ORDER BY m.unit_id, CASE m.position WHEN 'Bí thư chi bộ' THEN 0 WHEN 'Phó Bí thư chi bộ' THEN 1 ELSE 2 END, m.id`)
	if err != nil {
		return nil, err
	}
	defer orows.Close()
	for orows.Next() {
		var unit, id int64
		if err := orows.Scan(&unit, &id); err != nil {
			return nil, err
		}
		g.officers[unit] = append(g.officers[unit], id)
	}
	for i := 0; i <= cityToday+120; i++ {
		g.days = append(g.days, dayBase.AddDays(i).String())
	}
	return g, orows.Err()
}

// task makes the i-th task (0-based).
func (g *cityTasks) task(i int) genTask {
	r := srng(g.seed*0x100000001b3 + uint64(i))
	t := genTask{id: g.firstTask + int64(i), done: -1, suspended: -1}
	switch x := r.float(); {
	case x < 0.04:
		t.unit = r.pick(g.districts)
		t.issuer, t.holder = g.root, t.unit
		if cs := g.communesOf[t.unit]; len(cs) > 0 && r.float() < 0.25 {
			t.holder, t.forwarded = r.pick(cs), true
		}
	case x < 0.14:
		t.unit = r.pick(g.districts)
		t.issuer, t.holder = t.unit, t.unit
	case x < 0.40:
		t.unit = r.pick(g.communes)
		t.issuer, t.holder = g.parent[t.unit], t.unit
		if cs := g.cellsOf[t.unit]; len(cs) > 0 && r.float() < 0.15 {
			t.holder, t.forwarded = r.pick(cs), true
			if o := g.officers[t.holder]; len(o) > 0 {
				t.holderMember = o[0]
			}
		}
	default:
		t.unit = r.pick(g.cells)
		t.issuer, t.holder = g.parent[t.unit], t.unit
		if o := g.officers[t.unit]; len(o) > 0 {
			if r.float() < 0.6 {
				t.accMember = o[0]
			}
			if r.float() < 0.4 {
				t.holderMember = r.pick(o)
			}
		}
	}
	t.createdBy = cityAccountBase + t.issuer
	age := r.intn(365)
	span := 7 + r.intn(54)
	t.assigned = cityToday - age
	t.due = t.assigned + span
	t.minute = 60 + r.intn(600)
	pDone := 0.93
	if age <= span+10 {
		pDone = 0.8 * float64(age) / float64(span+10)
	}
	rest := 1 - pDone
	switch y := r.float(); {
	case y < pDone:
		t.state, t.percent = "done", 100
		t.done = min(cityToday, t.assigned+1+r.intn(span+15))
	case y < pDone+rest*0.05 && age >= 2:
		t.state, t.percent = "suspended", 30
		t.suspended = t.assigned + 1 + r.intn(age)
	case y < pDone+rest*map[bool]float64{true: 0.4, false: 0.12}[age < 10]:
		t.state = "assigned"
	default:
		t.state, t.percent = "in_progress", 10*(1+r.intn(9))
	}
	return t
}

func (g *cityTasks) day(d int) string { return g.days[min(max(d, 0), len(g.days)-1)] }

func (g *cityTasks) at(d, minute int) time.Time {
	return dayBase.Time().AddDate(0, 0, d).Add(time.Duration(minute) * time.Minute)
}

func nullDay(g *cityTasks, d int) any {
	if d < 0 {
		return nil
	}
	return g.day(d)
}

var cityTaskTitles = []string{"Triển khai nghị quyết số %d về công tác xây dựng Đảng", "Báo cáo kết quả kiểm tra, giám sát quý %d",
	"Rà soát danh sách đảng viên miễn sinh hoạt, đợt %d", "Tổ chức học tập chuyên đề năm, lớp %d", "Đôn đốc thu nộp đảng phí, kỳ %d",
	"Chuẩn bị nội dung sinh hoạt chi bộ thường kỳ số %d", "Giải quyết đơn thư của công dân, hồ sơ %d", "Tổng hợp ý kiến góp ý dự thảo văn kiện số %d"}

// steps returns the task's steps and the id of the one that began the
// current holding.
func (g *cityTasks) steps(t genTask, firstStep int64) (rows [][]any, holderStep int64) {
	seq := 0
	// answered, ended: day offsets of the holding's first act and end
	// (-1: none).
	add := func(action, capacity, direction string, day int, from, fromMember, to, toMember int64, percent, due, acceptDue any, answered, ended int) int64 {
		seq++
		day = min(day, cityToday)
		var endedAt any
		if ended >= 0 {
			endedAt = g.at(min(ended, cityToday), t.minute+seq)
		}
		id := firstStep + int64(seq-1)
		rows = append(rows, []any{id, t.id, seq, action, capacity, direction, "bench", nullID(fromMember), g.at(day, t.minute+seq), g.day(day),
			nullID(from), nullID(fromMember), nullID(to), nullID(toMember), percent, due, acceptDue, nullDay(g, answered), nullDay(g, ended), endedAt})
		return id
	}
	accepted := t.state != "assigned"
	first := t.assigned
	if t.forwarded {
		first = t.assigned + 1
	}
	acceptOn := min(first+1, cityToday)
	ended, answered := -1, -1
	if t.forwarded {
		ended, answered = first, first
	} else {
		if accepted {
			answered = acceptOn
		}
		ended = t.done
	}
	toMember := t.holderMember
	if t.forwarded {
		toMember = 0
	}
	holderStep = add("create", "issuer", "down", t.assigned, t.issuer, 0, t.unit, toMember, nil, g.day(t.due), g.day(t.assigned+3), answered, ended)
	if t.forwarded {
		ended, answered = t.done, -1
		if accepted {
			answered = acceptOn
		}
		holderStep = add("forward", "holder", "down", first, t.unit, 0, t.holder, t.holderMember, nil, g.day(t.due), g.day(first+3), answered, ended)
	}
	if accepted {
		add("accept", "holder", "", acceptOn, t.holder, t.holderMember, t.holder, t.holderMember, nil, nil, nil, -1, -1)
		progress := 50
		if t.percent < progress {
			progress = t.percent
		}
		add("report", "holder", "", min(acceptOn+3, cityToday), t.holder, t.holderMember, t.holder, t.holderMember, progress, nil, nil, -1, -1)
	}
	switch t.state {
	case "suspended":
		add("suspend", "superior", "", t.suspended, t.issuer, 0, t.holder, t.holderMember, nil, nil, nil, -1, -1)
	case "done":
		add("complete", "holder", "", t.done, t.holder, t.holderMember, t.holder, t.holderMember, 100, nil, nil, -1, -1)
	}
	return rows, holderStep
}

var cityStepCols = []string{"id", "task_id", "seq", "action", "capacity", "direction", "username", "actor_member_id", "at", "on_date",
	"from_unit_id", "from_member_id", "to_unit_id", "to_member_id", "percent", "due_on", "accept_due_on", "answered_on", "ended_on", "ended_at"}

var cityTaskCols = []string{"id", "kind", "title", "issuer_unit_id", "created_by", "unit_id", "accountable_member_id", "assignee_id",
	"holder_unit_id", "holder_member_id", "holder_since", "holder_step_id", "holder_due_on", "accept_due_on", "state", "resume_state",
	"suspended_on", "percent", "assigned_on", "original_due_on", "due_on", "done_on", "days_late", "done_unit_id", "done_member_id",
	"version", "created_at", "updated_at"}

var cityScopeCols = []string{"rel", "scope", "task_id", "state", "kind", "due_on"}

// rows returns an iterator over the rows of one table (nil at the end).
func (g *cityTasks) rows(table string) func() ([]any, error) {
	i := 0
	step := g.firstStep
	var pending [][]any
	return func() ([]any, error) {
		for len(pending) == 0 {
			if i == g.n {
				return nil, nil
			}
			t := g.task(i)
			i++
			steps, holderStep := g.steps(t, step)
			step += int64(len(steps))
			switch table {
			case "task_steps":
				pending = steps
			case "task_scopes":
				for _, k := range taskScopeKeys(t.holder, t.unit, t.issuer, g.path[t.holder], g.path[t.unit], g.path[t.issuer],
					t.holderMember, t.accMember, t.holderMember, t.createdBy) {
					pending = append(pending, []any{k.rel, k.scope, t.id, t.state, "task", g.day(t.due)})
				}
			case "tasks":
				var doneUnit, doneMember, daysLate any
				if t.done >= 0 {
					doneUnit, doneMember, daysLate = t.holder, nullID(t.holderMember), max(0, t.done-t.due)
				}
				resume := ""
				if t.state == "suspended" {
					resume = "in_progress"
				}
				since := t.assigned
				if t.forwarded {
					since++
				}
				last := steps[len(steps)-1]
				pending = [][]any{{t.id, "task", fmt.Sprintf(cityTaskTitles[t.id%int64(len(cityTaskTitles))], 1+t.id%97), t.issuer, t.createdBy, t.unit,
					nullID(t.accMember), nullID(t.holderMember), t.holder, nullID(t.holderMember), g.at(since, t.minute), holderStep,
					g.day(t.due), g.day(since + 3), t.state, resume, nullDay(g, t.suspended), t.percent, g.day(t.assigned), g.day(t.due), g.day(t.due),
					nullDay(g, t.done), daysLate, doneUnit, doneMember, len(steps), g.at(t.assigned, t.minute), last[8]}}
			}
		}
		r := pending[0]
		pending = pending[1:]
		return r, nil
	}
}

var cityTables = []struct {
	name string
	cols []string
}{{"tasks", cityTaskCols}, {"task_steps", cityStepCols}, {"task_scopes", cityScopeCols}}

// write writes the tasks, their steps and scope rows in one transaction.
func (g *cityTasks) write(ctx context.Context, db *DB) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect == postgresDialect {
		err = conn.Raw(func(dc any) error { return g.copyPG(ctx, dc.(*stdlib.Conn).Conn()) })
		if err == nil {
			for _, t := range []string{"tasks", "task_steps"} {
				if _, err = conn.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
					return err
				}
			}
			_, err = conn.ExecContext(ctx, `ANALYZE tasks; ANALYZE task_steps; ANALYZE task_scopes`)
		}
		return err
	}
	for _, p := range []string{`PRAGMA cache_size = -524288`, `PRAGMA foreign_keys = OFF`} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	defer conn.ExecContext(ctx, `PRAGMA cache_size = -32000`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var defs []string
	for _, t := range cityTables {
		d, err := dropSQLiteIndexes(ctx, tx, t.name)
		if err != nil {
			return err
		}
		defs = append(defs, d...)
	}
	for _, t := range cityTables {
		st, err := tx.PrepareContext(ctx, `INSERT INTO `+t.name+` (`+strings.Join(t.cols, ", ")+`) VALUES (`+strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ")+`)`)
		if err != nil {
			return err
		}
		next := g.rows(t.name)
		for {
			r, _ := next()
			if r == nil {
				break
			}
			if _, err := st.ExecContext(ctx, r...); err != nil {
				st.Close()
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		st.Close()
	}
	for _, d := range defs {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `ANALYZE`)
	return err
}

// copyPG writes the three tables with COPY in one transaction.
func (g *cityTasks) copyPG(ctx context.Context, c *pgx.Conn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var super bool
	if err := tx.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		return err
	}
	if super {
		// The rows are made consistent: skip the foreign keys' triggers.
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
		return err
	}
	var defs []string
	for _, t := range cityTables {
		rows, err := tx.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = $1
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, t.name)
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		for _, n := range names {
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{n}.Sanitize()); err != nil {
				return err
			}
		}
	}
	for _, t := range cityTables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromFunc(g.rows(t.name))); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
	}
	for _, d := range defs {
		if _, err := tx.Exec(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	return tx.Commit(ctx)
}

// generateCityTasks adds n tasks to db (see cityTasks) and logs what it
// made and how long it took.
func generateCityTasks(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	cpu0 := processCPUTime()
	g, err := loadCityTasks(ctx, db, n, 1)
	if err != nil {
		tb.Fatal(err)
	}
	if err := g.write(ctx, db); err != nil {
		tb.Fatal(err)
	}
	var steps, scopes int
	db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_steps`).Scan(&steps)
	db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_scopes`).Scan(&scopes)
	tb.Logf("generated %d tasks (%d steps, %d scope rows in all) in %s, %s of CPU in this process",
		n, steps, scopes, time.Since(start).Round(time.Second), (processCPUTime() - cpu0).Round(time.Second))
}

// TestGenerateCityTasks adds a task history to a benchmark dataset when
// SOTAY_BENCH_CITY_TASKS is "n=dsn" (e.g.
// "1000000=sqlite:/tmp/city.db", after TestGenerateBenchDataset made the
// city there). It refuses a database that has tasks already.
func TestGenerateCityTasks(t *testing.T) {
	n, dsn := generatorCount(t, "SOTAY_BENCH_CITY_TASKS", "n=dsn to add generated tasks to a benchmark dataset")
	ctx := context.Background()
	db := openDataset(t, dsn)
	var have int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks`).Scan(&have); err != nil || have > 0 {
		t.Fatalf("the database has %d tasks already (%v)", have, err)
	}
	generateCityTasks(t, db, n)
	for _, q := range []string{`SELECT state, COUNT(*) FROM tasks GROUP BY state ORDER BY state`,
		`SELECT 'overdue', COUNT(*) FROM tasks WHERE state IN ('assigned', 'in_progress') AND due_on < '` + benchToday.String() + `'`,
		`SELECT u.kind, COUNT(*) FROM tasks t JOIN units u ON u.id = t.holder_unit_id GROUP BY u.kind ORDER BY u.kind`,
		`SELECT 'held by a member', COUNT(*) FROM tasks WHERE holder_member_id IS NOT NULL`} {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var c int
			rows.Scan(&k, &c)
			t.Logf("%s: %d", k, c)
		}
		rows.Close()
	}
}

// TestCityTasksScopes generates tasks over the district demo's tree with
// the bulk generator and checks that its scope rows are those the store's
// own set-based refresh (taskScopesSQL) writes for the same tasks, and that
// the store reads the generated tasks back. The generator takes its
// holders and accountable members from the cells' officers only, so the
// members without a position are left out of the demo (the same tasks).
func TestCityTasksScopes(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		loadDistrictOfficers(t, db)
		generateCityTasks(t, db, 3000)
		scopes := func() []string {
			var rel, state, kind, due string
			var scope, id int64
			return readRows(t, db, `SELECT rel, scope, task_id, state, kind, due_on FROM task_scopes ORDER BY rel, scope, task_id`,
				[]any{&rel, &scope, &id, &state, &kind, &due}, func() string { return fmt.Sprint(rel, scope, id, state, kind, due) })
		}
		got := scopes()
		if err := db.Write(ctx, func(tx *Tx) error { return tx.refreshTaskScopes(ctx, `SELECT id FROM tasks`) }); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(scopes(), got); diff != "" {
			t.Errorf("generated scope rows (+) against the store's refresh (-):\n%s", diff)
		}
		u, err := Units{db}.ByCode(ctx, "HN.PX")
		if err != nil {
			t.Fatal(err)
		}
		p, err := Tasks{db}.List(ctx, task.Filter{Paths: []string{u.Path}, Today: benchToday, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 50 || !p.TotalAtLeast {
			t.Errorf("the district's first page: %d tasks, total %d (at least: %v), want 50 and more than 1,000", len(p.Items), p.Total, p.TotalAtLeast)
		}
		var steps, badHolder int
		db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_steps`).Scan(&steps)
		db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM task_steps s WHERE s.id = t.holder_step_id AND s.task_id = t.id AND s.to_unit_id = t.holder_unit_id)`).Scan(&badHolder)
		if steps < 2*3000 || badHolder != 0 {
			t.Errorf("%d steps, %d tasks whose holder_step_id is not the step that handed them to their holder; want at least 6,000 and 0", steps, badHolder)
		}
	})
}

// TestInlineArgs: the values of a PostgreSQL list query are written into
// its text (numbers, quoted words with their quotes doubled, dates), the
// cursor's stay parameters, renumbered in the order of the text.
func TestInlineArgs(t *testing.T) {
	q := `SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 AND d < $4 AND e > $5 LIMIT $6`
	args := argList{int64(7), "o'k", benchToday, int64(99), true, 51}
	got, gotArgs := inlineArgs(q, args, map[string]bool{"$4": true})
	want := `SELECT 1 WHERE a = 7 AND b = 'o''k' AND c = '2026-11-20' AND d < $1 AND e > $2 LIMIT 51`
	if got != want || !cmp.Equal(gotArgs, argList{int64(99), true}) {
		t.Errorf("inlineArgs:\ngot  %s %v\nwant %s [99 true]", got, gotArgs, want)
	}
}
