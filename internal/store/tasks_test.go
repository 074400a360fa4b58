package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// taskFixture is a district with three communes (A, B, C), a cell in each,
// the heads of A, C and the district, and the accounts acting for them.
type taskFixture struct {
	db                     *DB
	svc                    *task.Service
	now                    time.Time
	district, a, b, c      *org.Unit
	cellA, cellC           *org.Unit
	headA, headC, headDist *member.Member
	office, comA, comB     *auth.Actor
	comC                   *auth.Actor
}

func (f *taskFixture) clock() time.Time { return f.now }

// at moves the clock to 10:00 in Vietnam on day d.
func (f *taskFixture) at(d string) { f.now = date.MustParse(d).Time().Add(3 * time.Hour) }

func actorOn(id int64, name string, u *org.Unit, role auth.Role) *auth.Actor {
	return &auth.Actor{AccountID: id, Username: name, Grants: []auth.Grant{{UnitID: u.ID, UnitPath: u.Path, Role: role}}}
}

func newTaskFixture(t *testing.T, db *DB) *taskFixture {
	t.Helper()
	ctx := context.Background()
	f := &taskFixture{db: db}
	f.at("2026-11-02")
	f.svc = &task.Service{Store: Tasks{db}, Calendars: &task.Calendars{Store: Calendars{db}, Now: f.clock}, Now: f.clock, Documents: &doc.Service{Store: Docs{db}}}
	city := mustUnit(t, db, nil, org.KindProvince, "HN")
	f.district = mustUnit(t, db, city, org.KindDistrict, "HN.PX")
	f.a = mustUnit(t, db, f.district, org.KindGrassroots, "HN.PX.A")
	f.b = mustUnit(t, db, f.district, org.KindGrassroots, "HN.PX.B")
	f.c = mustUnit(t, db, f.district, org.KindGrassroots, "HN.PX.C")
	f.cellA = mustUnit(t, db, f.a, org.KindCell, "HN.PX.A.1")
	mustUnit(t, db, f.b, org.KindCell, "HN.PX.B.1")
	f.cellC = mustUnit(t, db, f.c, org.KindCell, "HN.PX.C.1")
	f.headA = mustMember(t, db, f.cellA, "Nguyễn Văn An", "00000001")
	f.headC = mustMember(t, db, f.cellC, "Phạm Thị Cúc", "00000002")
	f.headDist = mustMember(t, db, f.cellA, "Trần Văn Huyện", "00000003")
	f.headC.Email = "cuc@example.vn"
	if err := (Members{db}).Update(ctx, f.headC, f.headC.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []struct {
		u *org.Unit
		m *member.Member
	}{{f.a, f.headA}, {f.c, f.headC}, {f.district, f.headDist}} {
		if _, err := f.svc.SetHead(ctx, system, h.u.ID, task.HeadInput{MemberID: &h.m.ID}); err != nil {
			t.Fatal(err)
		}
	}
	f.office = actorOn(1, "vp", f.district, auth.RoleOffice)
	f.comA = actorOn(2, "a", f.a, auth.RoleCommittee)
	f.comB = actorOn(3, "b", f.b, auth.RoleCommittee)
	f.comC = actorOn(4, "c", f.c, auth.RoleCommittee)
	return f
}

func (f *taskFixture) create(t *testing.T, unit *org.Unit, title, due string) int64 {
	t.Helper()
	d, err := f.svc.Create(context.Background(), f.office, task.CreateInput{Title: title, UnitID: unit.ID, DueOn: date.MustParse(due)})
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	return d.ID
}

func (f *taskFixture) step(t *testing.T, actor *auth.Actor, id int64, in task.StepInput) *task.Detail {
	t.Helper()
	d, err := f.svc.Step(context.Background(), actor, id, in)
	if err != nil {
		t.Fatalf("%s %s on task %d: %v", actor.Username, in.Action, id, err)
	}
	return d
}

// TestTaskAccountability builds a small history and checks every number of
// the report, the flags raised live and by the scan (once), on both engines.
func TestTaskAccountability(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		// Monday 2 November 2026: the district hands out five tasks.
		t1 := f.create(t, f.a, "Nhiệm vụ 1", "2026-11-13")
		t2 := f.create(t, f.b, "Nhiệm vụ 2", "2026-11-13")
		t3 := f.create(t, f.a, "Nhiệm vụ 3", "2026-11-06")
		t4 := f.create(t, f.b, "Nhiệm vụ 4", "2026-11-30")
		t5 := f.create(t, f.a, "Nhiệm vụ 5", "2026-11-30")
		f.step(t, f.comA, t1, task.StepInput{Action: task.ActAccept})
		f.step(t, f.comA, t3, task.StepInput{Action: task.ActAccept})
		f.step(t, f.comA, t5, task.StepInput{Action: task.ActReturn, Note: "không thuộc thẩm quyền"})
		f.step(t, f.office, t5, task.StepInput{Action: task.ActForward, ToUnitID: &f.a.ID, Note: "đề nghị xử lý"})
		f.at("2026-11-03")
		f.step(t, f.comA, t5, task.StepInput{Action: task.ActAccept})
		d2 := f.step(t, f.comB, t2, task.StepInput{Action: task.ActForward, ToUnitID: &f.c.ID, Note: "chuyển xã C"})
		if d2.HolderUnitID != f.c.ID || d2.HolderMemberID == nil || *d2.HolderMemberID != f.headC.ID {
			t.Fatalf("after the forward the holder is %d/%v, want C and its head", d2.HolderUnitID, d2.HolderMemberID)
		}
		// B can still read the task it passed on, but no longer act on it.
		if _, err := f.svc.Get(ctx, f.comB, t2); err != nil {
			t.Errorf("B reads the task it forwarded: %v", err)
		}
		f.at("2026-11-04")
		f.step(t, f.comB, t4, task.StepInput{Action: task.ActEscalate, Note: "xin ý kiến"})
		f.at("2026-11-10")
		f.step(t, f.comA, t1, task.StepInput{Action: task.ActComplete})
		f.at("2026-11-11")
		d3 := f.step(t, f.comA, t3, task.StepInput{Action: task.ActComplete})
		if d3.DaysLate == nil || *d3.DaysLate != 3 {
			t.Errorf("task 3 done on Wed 11 Nov, due Fri 6 Nov: days late %v, want 3", d3.DaysLate)
		}
		f.at("2026-11-19")
		f.step(t, f.comA, t5, task.StepInput{Action: task.ActReturn, Note: "vẫn không thuộc thẩm quyền"})
		f.at("2026-11-20")

		// The scan raises overdue and no_response once.
		first, err := f.svc.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]int{"overdue": 1, "step_overdue": 0, "no_response": 2}, first.Raised); diff != "" {
			t.Errorf("first scan (-want +got):\n%s", diff)
		}
		second, err := f.svc.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]int{"overdue": 0, "step_overdue": 0, "no_response": 0}, second.Raised); diff != "" {
			t.Errorf("second scan raised flags again (-want +got):\n%s", diff)
		}
		rules := map[int64][]string{}
		for _, id := range []int64{t1, t2, t3, t4, t5} {
			d, err := f.svc.Get(ctx, system, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, fl := range d.Flags {
				rules[id] = append(rules[id], fl.Rule)
			}
		}
		wantRules := map[int64][]string{
			t2: {"pushed_sideways", "overdue", "no_response"},
			t3: {"overdue"},
			t4: {"escalated_within_authority", "no_response"},
			t5: {"returned_repeatedly"},
		}
		if diff := cmp.Diff(wantRules, rules); diff != "" {
			t.Errorf("flags by task (-want +got):\n%s", diff)
		}

		r, err := f.svc.Accountability(ctx, f.office, task.ReportInput{UnitID: f.district.ID, From: date.MustParse("2026-11-01"), To: date.MustParse("2026-11-30")})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Received, OnTime, Late, DaysLate, Overdue, Esc, Side, Ret, Ext, Unanswered, Flags, Score int
		}
		got := map[string]row{}
		for _, u := range r.Units {
			got[u.UnitName] = row{u.Received, u.DoneOnTime, u.DoneLate, u.DaysLateTotal, u.OpenOverdue, u.Escalations, u.PushedSideways, u.Returns,
				u.ExtensionRequests, u.Unanswered, u.Flags, u.Score}
		}
		want := map[string]row{
			f.a.Name:        {Received: 3, OnTime: 1, Late: 1, DaysLate: 3, Ret: 2, Flags: 2, Score: 2*1 + 2},
			f.b.Name:        {Received: 2, Overdue: 1, Esc: 1, Side: 1, Flags: 2, Score: 3 + 2 + 2},
			f.c.Name:        {Unanswered: 1, Flags: 2, Score: 2},
			f.district.Name: {Unanswered: 1, Flags: 1, Score: 2},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("accountability by unit (-want +got):\n%s", diff)
		}
		if r.Units[0].UnitName != f.b.Name {
			t.Errorf("the worst unit is %s, want %s", r.Units[0].UnitName, f.b.Name)
		}
		if r.Totals.Received != 5 || r.Totals.Flags != 7 {
			t.Errorf("totals: %+v", r.Totals)
		}
		var heads []string
		for _, h := range r.Heads {
			heads = append(heads, h.MemberName+"@"+h.UnitName)
		}
		if !cmp.Equal(heads[:1], []string{f.headC.FullName + "@" + f.c.Name}) && !cmp.Equal(heads[:1], []string{f.headA.FullName + "@" + f.a.Name}) {
			t.Logf("heads ranked: %v", heads)
		}
		var nov *task.MonthRow
		for i := range r.Months {
			if r.Months[i].Month == "2026-11" {
				nov = &r.Months[i]
			}
		}
		if nov == nil || nov.Received != 5 || nov.DoneOnTime != 1 || nov.DoneLate != 1 || nov.PushedSideways != 1 || nov.Escalations != 1 || nov.Returns != 2 || nov.Flags != 7 {
			t.Errorf("trend of November: %+v", nov)
		}
		// A commune sees only its own subtree.
		ra, err := f.svc.Accountability(ctx, f.comA, task.ReportInput{UnitID: f.a.ID, From: date.MustParse("2026-11-01"), To: date.MustParse("2026-11-30")})
		if err != nil {
			t.Fatal(err)
		}
		if len(ra.Units) != 1 || ra.Units[0].UnitID != f.a.ID {
			t.Errorf("A's report lists %+v", ra.Units)
		}
		if _, err := f.svc.Accountability(ctx, f.comA, task.ReportInput{UnitID: f.b.ID}); err == nil {
			t.Error("A read B's report")
		}

		// Lists: the district sees all, B what it handed on or answers for.
		lst, err := f.svc.List(ctx, f.office, task.ListInput{State: "overdue"})
		if err != nil {
			t.Fatal(err)
		}
		if lst.Total != 1 || lst.Items[0].ID != t2 || !lst.Items[0].Overdue {
			t.Errorf("overdue list: %+v", lst)
		}
		lst, err = f.svc.List(ctx, f.comB, task.ListInput{})
		if err != nil {
			t.Fatal(err)
		}
		if lst.Total != 2 {
			t.Errorf("B lists %d tasks, want 2", lst.Total)
		}
		ids, _ := pagedIDs(t, func(cursor string) (*page.Of[task.Task], error) {
			return f.svc.List(ctx, f.office, task.ListInput{Limit: 2, Cursor: cursor, Order: "due"})
		}, taskID)
		if diff := cmp.Diff([]int64{t3, t1, t2, t4, t5}, ids); diff != "" {
			t.Errorf("paging by due date (-want +got):\n%s", diff)
		}
	})
}

// TestTaskReminders: a reminder is written once per event, with its
// e-mail job, however often the job runs.
func TestTaskReminders(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		t2 := f.create(t, f.b, "Báo cáo sơ kết", "2026-11-13")
		f.at("2026-11-03")
		f.step(t, f.comB, t2, task.StepInput{Action: task.ActForward, ToUnitID: &f.c.ID})
		f.at("2026-11-11")
		n, err := f.svc.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("two working days before: %d reminders, want 1 (due soon, to C's head)", n)
		}
		f.at("2026-11-20")
		for i, want := range []int{2, 0} {
			n, err := f.svc.Remind(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("run %d after the deadline: %d reminders, want %d (overdue to C's head, and to the district's head)", i+1, n, want)
			}
		}
		var kinds []string
		rows, err := db.read.QueryContext(ctx, `SELECT kind FROM notifications WHERE member_id = $1 ORDER BY id DESC`, f.headC.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			kinds = append(kinds, k)
		}
		rows.Close()
		if diff := cmp.Diff([]string{"task.overdue", "task.due_soon"}, kinds); diff != "" {
			t.Errorf("C's head's notifications (-want +got):\n%s", diff)
		}
		var mails int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send'`).Scan(&mails); err != nil {
			t.Fatal(err)
		}
		if mails != 2 {
			t.Errorf("%d e-mail jobs, want 2 (C's head has an address, the district's head none)", mails)
		}
	})
}

// TestCalendarSchedules stores a schedule and sees the calendar change.
func TestCalendarSchedules(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cals := &task.Calendars{Store: Calendars{db}}
		office := &auth.Actor{AccountID: 1, Grants: []auth.Grant{{UnitID: 1, UnitPath: "/1/", Role: auth.RoleOffice}}}
		due := func(from string) date.Date {
			t.Helper()
			a, err := cals.Due(ctx, date.MustParse(from), 1)
			if err != nil {
				t.Fatal(err)
			}
			return a.DueOn
		}
		// 30/4 (Friday) and 1/5 (Saturday) are holidays; 1/5 gives Monday 3/5 off.
		if d := due("2027-04-29"); d != date.MustParse("2027-05-04") {
			t.Errorf("default: the working day after 29/4/2027 is %s, want 2027-05-04", d)
		}
		s := viet.Schedule{ExtraDaysOff: []viet.Holiday{{Date: date.MustParse("2027-05-04"), Name: "Nghỉ nối"}},
			WorkingDays: []viet.WorkingDay{{Date: date.MustParse("2027-05-08"), Reason: "Làm bù"}}}
		if _, err := cals.PutSchedule(ctx, office, 2027, s); err != nil {
			t.Fatal(err)
		}
		if d := due("2027-04-29"); d != date.MustParse("2027-05-05") {
			t.Errorf("with the schedule: the working day after 29/4/2027 is %s, want 2027-05-05", d)
		}
		if d := due("2027-05-07"); d != date.MustParse("2027-05-08") {
			t.Errorf("with the schedule: the working day after Friday 7/5/2027 is %s, want the working Saturday", d)
		}
		got, err := cals.Schedule(ctx, 2027)
		if err != nil || len(got.ExtraDaysOff) != 1 || got.ExtraDaysOff[0].Kind != "" && got.ExtraDaysOff[0].Kind != viet.KindExtraDayOff {
			t.Errorf("stored schedule: %+v, %v", got, err)
		}
		if _, err := cals.PutSchedule(ctx, office, 2027, viet.Schedule{WorkingDays: []viet.WorkingDay{{Date: date.MustParse("2027-05-05")}}}); err == nil {
			t.Error("a Wednesday made a working day was accepted")
		}
		if _, err := cals.PutSchedule(ctx, &auth.Actor{AccountID: 2}, 2027, s); err == nil {
			t.Error("an account without office role edited the schedule")
		}
	})
}

// TestSetDemoHeads: every committee gets an ordinary member of its first
// cell as head, once; cells keep their secretary by default.
func TestSetDemoHeads(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.PX", "grassroots HN.PX.A", "cell HN.PX.A.1", "cell HN.PX.C1")
		city, district, commune, cell, districtCell := u["HN"], u["HN.PX"], u["HN.PX.A"], u["HN.PX.A.1"], u["HN.PX.C1"]
		sec := mustMember(t, db, cell, "Nguyễn Văn Bí", "00000001")
		sec.Position = "Bí thư chi bộ"
		if err := (Members{db}).Update(ctx, sec, sec.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
		ordinary := mustMember(t, db, cell, "Trần Văn Thường", "00000002")
		other := mustMember(t, db, districtCell, "Lê Văn Huyện", "00000003")
		for i := 0; i < 2; i++ {
			n, err := db.SetDemoHeads(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{2, 0}[i]; n != want {
				t.Errorf("run %d: %d heads set, want %d", i+1, n, want)
			}
		}
		heads, err := Tasks{db}.UnitHeads(ctx, []int64{commune.ID, district.ID, cell.ID, city.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]int64{commune.ID: ordinary.ID, district.ID: other.ID, cell.ID: sec.ID}
		if diff := cmp.Diff(want, heads); diff != "" {
			t.Errorf("heads (-want +got):\n%s", diff)
		}
		h, err := Tasks{db}.UnitHead(ctx, commune.ID)
		if err != nil || !h.Explicit || h.Position != "Bí thư Đảng ủy" {
			t.Errorf("the commune's head: %+v %v", h, err)
		}
		if h, err := (Tasks{db}).UnitHead(ctx, district.ID); err != nil || h.Position != "Bí thư Huyện ủy" {
			t.Errorf("the district's head: %+v %v", h, err)
		}
		if h, err := (Tasks{db}).UnitHead(ctx, cell.ID); err != nil || h.Explicit || h.MemberID == nil || *h.MemberID != sec.ID {
			t.Errorf("the cell's head: %+v %v", h, err)
		}
	})
}

// taskID is a task's id, for pagedIDs.
func taskID(t task.Task) int64 { return t.ID }
