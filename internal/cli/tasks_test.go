package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/xuri/excelize/v2"
)

// newTaskClock gives the running program's task service and calendar a
// clock that stands still until the test moves it: deadlines, steps and
// scans follow it. The job runner stays stopped: the test runs the jobs
// itself (runTaskJobs).
func newTaskClock(m *Main, day string) *testClock {
	c := &testClock{}
	c.On(day)
	m.restartWith(func() { m.App.Tasks.Now, m.App.Calendars.Now, m.App.Outbreaks.Now = c.Now, c.Now, c.Now }, true)
	return c
}

// threeCommunes are the demo district and three of its communes: Phú Túc,
// Châu Can and another.
func threeCommunes(t *testing.T, m *Main) (district *org.Unit, a, b, c *org.Unit) {
	t.Helper()
	district, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	a = childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc")
	b = childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	for _, k := range mustChildren(t, m, district.ID) {
		if k.Kind == org.KindGrassroots && k.ID != a.ID && k.ID != b.ID {
			c = &k
			break
		}
	}
	return district, a, b, c
}

// assignDirective has the district office assign the directive of the task
// journeys to unit, due in 5 working days.
func assignDirective(t *testing.T, office *client, unit int64) taskJSON {
	t.Helper()
	var tj taskJSON
	if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": "Triển khai Chỉ thị 24-CT/TU", "unit_id": unit, "workdays": 5}, &tj); st != 201 {
		t.Fatalf("assign to %d: %d %+v", unit, st, tj)
	}
	return tj
}

// runTaskJobs runs the periodic task jobs (the scan and the reminders) of
// the clock's current slot through the durable queue, as a node would.
func runTaskJobs(t *testing.T, m *Main, c *testClock) {
	t.Helper()
	r := &jobs.Runner{Store: store.Jobs{DB: m.App.DB}, Now: c.Now, Workers: 4}
	m.App.Tasks.RegisterJobs(r, time.Hour)
	n, err := r.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("ran %d task jobs, want the scan and the reminders", n)
	}
	for _, kind := range []string{task.JobScan, task.JobRemind} {
		info, err := store.Jobs{DB: m.App.DB}.ByKey(context.Background(), jobs.PeriodicKey(kind, c.Now().UTC().Truncate(time.Hour)))
		if err != nil {
			t.Fatalf("job %s: %v", kind, err)
		}
		if info.DoneAt == nil {
			t.Fatalf("job %s did not finish: %q", kind, info.LastError)
		}
	}
}

type taskJSON struct {
	ID             int64   `json:"id"`
	Kind           string  `json:"kind"`
	State          string  `json:"state"`
	Percent        int     `json:"percent"`
	UnitID         int64   `json:"unit_id"`
	HolderUnitID   int64   `json:"holder_unit_id"`
	HolderMemberID *int64  `json:"holder_member_id"`
	DueOn          string  `json:"due_on"`
	DoneOn         *string `json:"done_on"`
	DaysLate       *int    `json:"days_late"`
	Overdue        bool    `json:"overdue"`
	Version        int     `json:"version"`
	Capacity       string  `json:"capacity"`
	Can            []string
	Steps          []struct {
		Action     string `json:"action"`
		Capacity   string `json:"capacity"`
		Direction  string `json:"direction"`
		Username   string `json:"username"`
		FromUnitID *int64 `json:"from_unit_id"`
		ToUnitID   *int64 `json:"to_unit_id"`
	} `json:"steps"`
	Holdings []struct {
		UnitID   *int64 `json:"unit_id"`
		Workdays int    `json:"workdays"`
		Until    *string
	} `json:"holdings"`
	Flags []struct {
		Rule     string `json:"rule"`
		UnitID   *int64 `json:"unit_id"`
		RaisedBy string `json:"raised_by"`
	} `json:"flags"`
	SubTasks []taskJSON `json:"sub_tasks"`
}

func (tj taskJSON) flagRules() []string {
	var out []string
	for _, f := range tj.Flags {
		out = append(out, f.Rule+"/"+f.RaisedBy)
	}
	return out
}

type accountabilityJSON struct {
	Units []struct {
		UnitID         int64    `json:"unit_id"`
		UnitName       string   `json:"unit_name"`
		Rank           int      `json:"rank"`
		Received       int      `json:"received"`
		DoneOnTime     int      `json:"done_on_time"`
		DoneLate       int      `json:"done_late"`
		OpenOverdue    int      `json:"open_overdue"`
		Escalations    int      `json:"escalations"`
		PushedSideways int      `json:"pushed_sideways"`
		Returns        int      `json:"returns"`
		Unanswered     int      `json:"unanswered"`
		Flags          int      `json:"flags"`
		Score          int      `json:"score"`
		Heads          []string `json:"heads"`
	} `json:"units"`
	Heads []struct {
		MemberName string `json:"member_name"`
		UnitID     int64  `json:"unit_id"`
	} `json:"heads"`
	Months []struct {
		Month          string `json:"month"`
		Received       int    `json:"received"`
		PushedSideways int    `json:"pushed_sideways"`
	} `json:"months"`
}

// TestAPITaskScenario: the district assigns a directive to two communes;
// one accepts and completes on time; the other forwards it sideways and
// lets it run overdue. The accountability report shows exactly that, and
// the flags are raised once however often the scan runs.
func TestAPITaskScenario(t *testing.T) { bothEngines(t, testAPITaskScenario) }

func testAPITaskScenario(t *testing.T, m *Main) {
	clearDemoTasks(t, m)
	ctx := context.Background()
	admin, office, btv, phuTuc := m.signIn(t, "admin"), m.signIn(t, "vanphong"), m.signIn(t, "btv"), m.signIn(t, "danguy.phutuc")
	bithu, dangvien := m.signIn(t, "bithu.phutuc"), m.signIn(t, "dangvien")

	district, a, b, c := threeCommunes(t, m)
	// Châu Can's committee gets an account.
	chauCan := m.newAccount(t, admin, map[string]any{"username": "danguy.chaucan", "roles": []map[string]any{{"unit_id": b.ID, "role": "committee"}}})

	// The demo gives every committee a head.
	var head task.Head
	if st := phuTuc.do("GET", fmt.Sprintf("/api/v1/units/%d/head", a.ID), nil, &head); st != 200 || head.MemberID == nil || !head.Explicit ||
		!strings.HasPrefix(head.Position, "Bí thư") {
		t.Fatalf("head of Phú Túc: %d %+v", st, head)
	}
	if st := phuTuc.do("PUT", fmt.Sprintf("/api/v1/units/%d/head", a.ID), map[string]any{"member_id": *head.MemberID}, nil); st != 404 {
		t.Errorf("a commune committee set its own head: %d, want 404 (offices only)", st)
	}
	if st := office.do("PUT", fmt.Sprintf("/api/v1/units/%d/head", a.ID), map[string]any{"member_id": *head.MemberID}, nil); st != 200 {
		t.Errorf("the office sets a head: %d", st)
	}

	clock := newTaskClock(m, "2026-11-02") // a Monday
	for _, cl := range []*client{admin, office, btv, phuTuc, bithu, dangvien, chauCan} {
		cl.base = "http://" + m.Addr
	}

	// The district assigns the directive to the two communes: 5 working days.
	assign := func(unit int64) taskJSON { return assignDirective(t, office, unit) }
	ta, tb := assign(a.ID), assign(b.ID)
	if ta.DueOn != "2026-11-09" || ta.State != "assigned" || ta.HolderUnitID != a.ID || ta.HolderMemberID == nil || *ta.HolderMemberID != *head.MemberID {
		t.Fatalf("task for Phú Túc: %+v", ta)
	}
	step := func(cl *client, id int64, body map[string]any, want int) taskJSON {
		t.Helper()
		var tj taskJSON
		var p problemJSON
		var out any = &tj
		if want != 201 {
			out = &p
		}
		if st := cl.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", id), body, out); st != want {
			t.Fatalf("%v on task %d: status %d (%s), want %d", body, id, st, p.Detail, want)
		}
		if want != 201 {
			tj.Steps = nil
			t.Logf("%v on task %d: %d %s", body, id, want, p.Detail)
		}
		return tj
	}
	problem := func(cl *client, id int64, body map[string]any, want int, reason string) {
		t.Helper()
		var p problemJSON
		if st := cl.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", id), body, &p); st != want || !strings.Contains(p.Detail, reason) {
			t.Errorf("%v on task %d: %d %q, want %d with %q", body, id, st, p.Detail, want, reason)
		}
	}

	// Who may see and act.
	for _, x := range []struct {
		name string
		cl   *client
		id   int64
		want int
	}{{"dangvien", dangvien, ta.ID, 404}, {"bithu.phutuc", bithu, ta.ID, 404}, {"danguy.phutuc on Châu Can's task", phuTuc, tb.ID, 404},
		{"btv", btv, ta.ID, 200}, {"danguy.phutuc", phuTuc, ta.ID, 200}} {
		if st := x.cl.do("GET", fmt.Sprintf("/api/v1/tasks/%d", x.id), nil, nil); st != x.want {
			t.Errorf("%s reads task %d: %d, want %d", x.name, x.id, st, x.want)
		}
	}
	problem(dangvien, ta.ID, map[string]any{"action": "accept"}, 404, "not found")
	problem(btv, ta.ID, map[string]any{"action": "accept"}, 409, "only the holder of the task can accept")
	problem(phuTuc, ta.ID, map[string]any{"action": "suspend", "note": "thử"}, 409, "only an officer above the holder can suspend")
	problem(phuTuc, ta.ID, map[string]any{"action": "report", "percent": 10}, 409, "accept it first")
	problem(phuTuc, ta.ID, map[string]any{"action": "teleport"}, 422, "unknown action")

	// Phú Túc accepts and completes on time.
	got := step(phuTuc, ta.ID, map[string]any{"action": "accept", "note": "Đã tiếp nhận"}, 201)
	if got.State != "in_progress" || got.Capacity != "holder" {
		t.Errorf("after accept: %+v", got)
	}
	problem(phuTuc, ta.ID, map[string]any{"action": "accept"}, 409, "already accepted")
	clock.On("2026-11-04")
	step(phuTuc, ta.ID, map[string]any{"action": "report", "percent": 60, "note": "Đã quán triệt ở 15 chi bộ"}, 201)
	got = step(phuTuc, ta.ID, map[string]any{"action": "complete", "note": "Hoàn thành"}, 201)
	if got.State != "done" || got.DaysLate == nil || *got.DaysLate != 0 || got.Percent != 100 || len(got.Can) != 0 {
		t.Errorf("after complete: %+v", got)
	}
	problem(phuTuc, ta.ID, map[string]any{"action": "report", "note": "thêm"}, 409, "the task is done")

	// Châu Can passes it sideways to another commune on day 2.
	clock.On("2026-11-03")
	got = step(chauCan, tb.ID, map[string]any{"action": "forward", "to_unit_id": c.ID, "note": "Đề nghị xã bạn xử lý"}, 201)
	if got.HolderUnitID != c.ID || got.State != "assigned" || len(got.Steps) != 2 || got.Steps[1].Direction != "sideways" {
		t.Fatalf("after the sideways forward: %+v", got)
	}
	if rules := got.flagRules(); len(rules) != 1 || rules[0] != "pushed_sideways/live" {
		t.Errorf("flags after the forward: %v", rules)
	}
	problem(chauCan, tb.ID, map[string]any{"action": "escalate", "note": "xin ý kiến"}, 409, "neither hold this task")
	problem(chauCan, tb.ID, map[string]any{"action": "forward", "to_unit_id": district.ID}, 409, "neither hold")

	// A week later nobody has touched it: the scan runs (twice).
	clock.On("2026-11-16")
	runTaskJobs(t, m, clock)
	clock.Add(time.Hour)
	runTaskJobs(t, m, clock)
	var tbNow taskJSON
	if st := office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", tb.ID), nil, &tbNow); st != 200 {
		t.Fatal(st)
	}
	want := map[string]int{"pushed_sideways/live": 1, "overdue/scan": 1, "no_response/scan": 1}
	gotFlags := map[string]int{}
	for _, r := range tbNow.flagRules() {
		gotFlags[r]++
	}
	if fmt.Sprint(gotFlags) != fmt.Sprint(want) {
		t.Errorf("flags on Châu Can's task after two scans: %v, want %v", gotFlags, want)
	}
	if !tbNow.Overdue || len(tbNow.Holdings) != 2 || tbNow.Holdings[0].Workdays != 1 || tbNow.Holdings[1].Workdays != 9 || tbNow.Holdings[1].Until != nil {
		t.Errorf("the timeline: overdue %v, holdings %+v", tbNow.Overdue, tbNow.Holdings)
	}
	var overdue listJSON[taskJSON]
	if st := btv.do("GET", fmt.Sprintf("/api/v1/tasks?unit=%d&state=overdue", district.ID), nil, &overdue); st != 200 || overdue.Total != 1 || overdue.Items[0].ID != tb.ID {
		t.Errorf("the district's overdue list: %d %+v", st, overdue)
	}
	// The reminders went to the holder and, three working days late, to the
	// district's head; running the job again wrote nothing new.
	cHead, err := m.App.Tasks.Store.UnitHead(ctx, c.ID)
	if err != nil || cHead.MemberID == nil {
		t.Fatalf("head of %s: %+v %v", c.Name, cHead, err)
	}
	// (The notices of this task only: the demo also invites members to
	// its conferences, and the server's own reminder job, on the real
	// clock, may have read the demo's tasks before clearDemoTasks
	// deleted them and written its notices after.)
	inbox := func(member int64) []string {
		t.Helper()
		rows, err := m.App.DB.Reader().QueryContext(ctx, `SELECT kind FROM notifications WHERE member_id = $1 AND event_key LIKE $2 ORDER BY id`,
			member, fmt.Sprintf("reminder:%%:task:%d:%%", tb.ID))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var kinds []string
		for rows.Next() {
			var k string
			rows.Scan(&k)
			kinds = append(kinds, k)
		}
		return kinds
	}
	if got := inbox(*cHead.MemberID); fmt.Sprint(got) != "[task.overdue]" {
		t.Errorf("the holder's notifications: %v", got)
	}
	dHead, _ := m.App.Tasks.Store.UnitHead(ctx, district.ID)
	if got := inbox(*dHead.MemberID); fmt.Sprint(got) != "[task.overdue_superior]" {
		t.Errorf("the district head's notifications: %v", got)
	}

	// The accountability report shows exactly that.
	var rep accountabilityJSON
	path := fmt.Sprintf("/api/v1/accountability?unit=%d&from=2026-11-01&to=2026-11-30", district.ID)
	if st := btv.do("GET", path, nil, &rep); st != 200 {
		t.Fatalf("report: %d", st)
	}
	rows := map[int64]int{}
	for i, u := range rep.Units {
		rows[u.UnitID] = i
	}
	ra, rb := rep.Units[rows[a.ID]], rep.Units[rows[b.ID]]
	if ra.UnitID != a.ID || ra.Received != 1 || ra.DoneOnTime != 1 || ra.DoneLate != 0 || ra.OpenOverdue != 0 || ra.PushedSideways != 0 || ra.Score != 0 {
		t.Errorf("Phú Túc: %+v, want 1 received, 1 on time", ra)
	}
	if rb.UnitID != b.ID || rb.Received != 1 || rb.PushedSideways != 1 || rb.OpenOverdue != 1 || rb.DoneOnTime+rb.DoneLate != 0 || rb.Rank != 1 {
		t.Errorf("Châu Can: %+v, want 1 received, 1 pushed sideways, 1 overdue, ranked worst", rb)
	}
	if rc := rep.Units[rows[c.ID]]; rc.UnitID != c.ID || rc.Unanswered != 1 || rc.Received != 0 || rc.Flags != 2 {
		t.Errorf("%s: %+v, want 1 unanswered and 2 flags", c.Name, rc)
	}
	if len(rep.Months) != 1 || rep.Months[0].Month != "2026-11" || rep.Months[0].Received != 2 || rep.Months[0].PushedSideways != 1 {
		t.Errorf("trend: %+v", rep.Months)
	}
	if st := phuTuc.do("GET", path, nil, nil); st != 404 {
		t.Errorf("a commune reads the district's report: %d, want 404", st)
	}
	if st := phuTuc.do("GET", fmt.Sprintf("/api/v1/accountability?unit=%d", a.ID), nil, nil); st != 200 {
		t.Errorf("a commune reads its own report: %d", st)
	}
	var xlsx []byte
	if st := office.do("GET", path+"&format=xlsx", nil, &xlsx); st != 200 {
		t.Fatalf("xlsx: %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	sheetRows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(sheetRows) < 4 || sheetRows[2][0] != "Hạng" || sheetRows[3][1] != b.Name {
		t.Errorf("xlsx rows: %v %v", sheetRows, err)
	}

	// An officer above suspends the overdue task and resumes it two
	// working days later: the deadline moves by two working days.
	clock.On("2026-11-17")
	problem(office, tb.ID, map[string]any{"action": "suspend"}, 422, "a note is required")
	step(office, tb.ID, map[string]any{"action": "suspend", "note": "Chờ ý kiến Thường trực"}, 201)
	problem(office, tb.ID, map[string]any{"action": "forward", "to_unit_id": a.ID}, 409, "suspended")
	clock.On("2026-11-19")
	got = step(office, tb.ID, map[string]any{"action": "resume"}, 201)
	if got.DueOn != "2026-11-11" || got.State != "assigned" {
		t.Errorf("after resume: due %s, state %s; want 2026-11-11 (two working days later), assigned", got.DueOn, got.State)
	}

	// The detection rules are data.
	var rules listJSON[task.Rule]
	if st := dangvien.do("GET", "/api/v1/task-rules", nil, &rules); st != 200 || rules.Total != 7 {
		t.Errorf("rules: %d %d", st, rules.Total)
	}
	if st := phuTuc.do("PUT", "/api/v1/task-rules", []map[string]any{{"code": "no_response", "threshold": 3}}, nil); st != 404 {
		t.Errorf("a commune edits the rules: %d, want 404", st)
	}
	if st := office.do("PUT", "/api/v1/task-rules", []map[string]any{{"code": "no_response", "threshold": 3}}, &rules); st != 200 || rules.Items[2].Threshold != 3 {
		t.Errorf("the office edits a threshold: %d %+v", st, rules.Items)
	}
	if st := office.do("PUT", "/api/v1/task-rules", []map[string]any{{"code": "no_such", "threshold": 3}}, nil); st != 422 {
		t.Errorf("an unknown rule: %d, want 422", st)
	}

	// Fan-out: one action assigns the directive to every unit below the district.
	var group taskJSON
	if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": "Sơ kết 6 tháng", "unit_id": district.ID, "due_on": "2026-12-15", "fan_out": true}, &group); st != 201 {
		t.Fatalf("fan out: %d", st)
	}
	kids := mustChildren(t, m, district.ID)
	if group.Kind != "group" || len(group.SubTasks) != len(kids) || len(kids) < 27 {
		t.Fatalf("group: kind %s, %d sub-tasks for %d units", group.Kind, len(group.SubTasks), len(kids))
	}
	var mine int64
	for _, st := range group.SubTasks {
		if st.UnitID == a.ID {
			mine = st.ID
		}
	}
	problem(office, group.ID, map[string]any{"action": "accept"}, 409, "split into sub-tasks")
	step(phuTuc, mine, map[string]any{"action": "accept"}, 201)
	step(phuTuc, mine, map[string]any{"action": "complete"}, 201)
	if st := office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", group.ID), nil, &group); st != 200 || group.Percent != 100/len(kids) || group.State != "in_progress" {
		t.Errorf("group progress: %d%% %s", group.Percent, group.State)
	}

	// A member sees only what is theirs.
	var none listJSON[taskJSON]
	if st := dangvien.do("GET", "/api/v1/tasks?assignee=me", nil, &none); st != 200 || none.Total != 0 {
		t.Errorf("dangvien's tasks: %d %+v", st, none)
	}
}

// TestAPICalendar: the days off of a year, deadlines in working days, and
// official schedules that the office keeps.
func TestAPICalendar(t *testing.T) {
	m := parallelDemo(t)
	office, phuTuc := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc")
	var hol struct {
		Year  int `json:"year"`
		Items []struct {
			Date, Name, NameEN, Kind string
		} `json:"items"`
	}
	if st := phuTuc.do("GET", "/api/v1/calendar/holidays?year=2026", nil, &hol); st != 200 || hol.Year != 2026 {
		t.Fatalf("holidays: %d", st)
	}
	var tet []string
	for _, h := range hol.Items {
		if h.Name == "Tết Nguyên đán" {
			tet = append(tet, h.Date)
		}
	}
	if strings.Join(tet, " ") != "2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20" {
		t.Errorf("Tết 2026: %v", tet)
	}
	due := func(q string) (int, string) {
		var a struct {
			DueOn string `json:"due_on"`
		}
		st := phuTuc.do("GET", "/api/v1/calendar/due?"+q, nil, &a)
		return st, a.DueOn
	}
	if st, d := due("from=2026-02-13&workdays=1"); st != 200 || d != "2026-02-23" {
		t.Errorf("the working day after the Friday before Tết: %d %s", st, d)
	}
	for _, q := range []string{"from=2026-02-13", "from=13/02/2026&workdays=1", "from=2026-02-13&workdays=x"} {
		if st, _ := due(q); st != 422 {
			t.Errorf("due?%s: %d, want 422", q, st)
		}
	}
	// The government's schedule for 2027 adds a bridge day and a working Saturday.
	body := map[string]any{"extra_days_off": []map[string]any{{"date": "2027-05-04", "name": "Nghỉ nối lễ"}},
		"working_days": []map[string]any{{"date": "2027-05-08", "reason": "Làm bù ngày 4/5"}}}
	if st := phuTuc.do("PUT", "/api/v1/calendar/schedules/2027", body, nil); st != 404 {
		t.Errorf("a commune edits the schedule: %d, want 404", st)
	}
	if st := office.do("GET", "/api/v1/calendar/schedules/2027", nil, nil); st != 404 {
		t.Errorf("no schedule yet: %d, want 404", st)
	}
	var p problemJSON
	if st := office.do("PUT", "/api/v1/calendar/schedules/2027", map[string]any{"working_days": []map[string]any{{"date": "2027-05-05"}}}, &p); st != 422 ||
		len(p.Errors) == 0 || p.Errors[0].Field != "working_days[0]" {
		t.Errorf("a Wednesday as a working day: %d %+v", st, p)
	}
	if st := office.do("PUT", "/api/v1/calendar/schedules/2027", body, nil); st != 200 {
		t.Fatalf("put schedule: %d", st)
	}
	if st, d := due("from=2027-04-29&workdays=1"); d != "2027-05-05" {
		t.Errorf("with the schedule: %d %s, want 2027-05-05", st, d)
	}
	if st, d := due("from=2027-05-07&workdays=1"); d != "2027-05-08" {
		t.Errorf("the working Saturday: %d %s", st, d)
	}
	if st := phuTuc.do("GET", "/api/v1/calendar/schedules/2027", nil, nil); st != 200 {
		t.Errorf("read the schedule: %d", st)
	}
	if st := office.do("DELETE", "/api/v1/calendar/schedules/2027", nil, nil); st != 204 {
		t.Errorf("delete the schedule: %d", st)
	}
	if _, d := due("from=2027-04-29&workdays=1"); d != "2027-05-04" {
		t.Errorf("without the schedule: %s, want 2027-05-04", d)
	}
}

// The work-handling API in the permission matrix (permissions_test.go): the
// objects are a task assigned, as the system, to each fixture cell, so that
// "in reach" (the role's unit is at or above the cell) is "may see it".

// taskPermFixtures assigns one task to each fixture unit.
func taskPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	for _, u := range fx.objects["unit"] {
		d, err := m.App.Tasks.Create(ctx, sys, task.CreateInput{Title: "Nhiệm vụ cho " + u.name, UnitID: u.id, Workdays: ptrInt(10)})
		if err != nil {
			t.Fatal(err)
		}
		fx.objects["task"] = append(fx.objects["task"], permObject{"task of the " + u.name, d.ID, u.path})
	}
	// A member of the district in none of the fixture cells: an office may
	// name it, but it cannot head them (422 once the unit is reached; an
	// id that does not exist would answer 404, as a unit out of reach).
	cell := fx.objects["unit"][0]
	commune, err := m.App.Org.Get(ctx, sys, cell.id)
	if err != nil || commune.ParentID == nil {
		t.Fatalf("the Phú Túc cell: %v", err)
	}
	for _, k := range mustChildren(t, m, *commune.ParentID) {
		if k.Kind == org.KindCell && k.ID != cell.id {
			permHeadStranger = firstMember(t, m, k.ID, 0).ID
			break
		}
	}
	if permHeadStranger == 0 {
		t.Fatal("no other cell in Phú Túc")
	}
}

// permHeadStranger is the member taskPermFixtures finds for the head probe.
var permHeadStranger int64

func ptrInt(n int) *int { return &n }

// taskPermEntries are the permission-matrix entries of api_tasks.go and
// api_calendar.go. Each write probe is refused after the object is reached:
// a step that the task's state does not allow (409), an empty title or an
// unknown rule (422).
func taskPermEntries() map[string]permEntry {
	one := signedIn
	return map[string]permEntry{
		"GET /api/v1/tasks": one(permProbe{method: "GET", path: "/api/v1/tasks?state=open", allowed: everyone(200)},
			permProbe{method: "GET", path: "/api/v1/tasks?unit={id}", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"POST /api/v1/tasks": one(permProbe{method: "POST", path: "/api/v1/tasks", obj: "unit", ctype: jsonType,
			body: `{"title":"","unit_id":{id},"workdays":1}`, allowed: allow(permReadPersonal, 422)}),
		"GET /api/v1/tasks/{id}": one(permProbe{method: "GET", path: "/api/v1/tasks/{id}", obj: "task", allowed: allow(permReadPersonal, 200)}),
		// Reporting on a task nobody accepted yet: 409 for whoever can see it.
		"POST /api/v1/tasks/{id}/steps": one(permProbe{method: "POST", path: "/api/v1/tasks/{id}/steps", obj: "task", ctype: jsonType,
			body: `{"action":"report","note":"thử"}`, allowed: allow(permReadPersonal, 409)}),
		"GET /api/v1/task-rules": one(permProbe{method: "GET", path: "/api/v1/task-rules", allowed: everyone(200)}),
		"PUT /api/v1/task-rules": one(permProbe{method: "PUT", path: "/api/v1/task-rules", ctype: jsonType,
			body: `[{"code":"no_such_rule","threshold":1}]`, allowed: allow(permManage, 422)}),
		"GET /api/v1/accountability": one(permProbe{method: "GET", path: "/api/v1/accountability?unit={id}", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/units/{id}/head": one(permProbe{method: "GET", path: "/api/v1/units/{id}/head", obj: "unit", allowed: everyone(200)}),
		"PUT /api/v1/units/{id}/head": one(permProbe{method: "PUT", path: "/api/v1/units/{id}/head", obj: "unit", ctype: jsonType,
			body: fmt.Sprintf(`{"member_id":%d}`, permHeadStranger), allowed: allow(permWriteUnits, 422)}),
		// The inbox where the reminders land (api_notifications.go).
		"GET /api/v1/notifications": one(permProbe{method: "GET", path: "/api/v1/notifications", allowed: everyone(200)}),
		"POST /api/v1/notifications/read": one(permProbe{method: "POST", path: "/api/v1/notifications/read", ctype: jsonType,
			body: `{"ids":[999999999]}`, allowed: everyone(200)}),
		"GET /api/v1/calendar/holidays": one(permProbe{method: "GET", path: "/api/v1/calendar/holidays?year=2026", allowed: everyone(200)}),
		"GET /api/v1/calendar/due":      one(permProbe{method: "GET", path: "/api/v1/calendar/due?from=2026-02-13&workdays=1", allowed: everyone(200)}),
		// No schedule is stored for 2031: 404 for everyone, readers included.
		"GET /api/v1/calendar/schedules/{year}": one(permProbe{method: "GET", path: "/api/v1/calendar/schedules/2031", allowed: everyone(404)}),
		"PUT /api/v1/calendar/schedules/{year}": one(permProbe{method: "PUT", path: "/api/v1/calendar/schedules/2031", ctype: jsonType,
			body: `{"year":2030}`, allowed: allow(permManage, 422)}),
		"DELETE /api/v1/calendar/schedules/{year}": one(permProbe{method: "DELETE", path: "/api/v1/calendar/schedules/2031", allowed: everyone(404)}),
	}
}
