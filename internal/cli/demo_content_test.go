package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/store"
)

// clearDemoTasks removes the demo's year of tasks, with their steps, flags
// and reminders, for the tests that replay a dated scenario on a fixed
// clock and count exactly what it leaves in the district's report: the
// demo's history is dated from the real today, theirs from the clock.
func clearDemoTasks(t testing.TB, m *Main) {
	t.Helper()
	err := m.App.DB.Write(context.Background(), func(tx *store.Tx) error {
		for _, q := range []string{`DELETE FROM report_submissions`, `DELETE FROM report_units`, `DELETE FROM report_requests`, `DELETE FROM outbreak_funding`,
			`UPDATE tasks SET holder_step_id = NULL`, `DELETE FROM task_flags`, `DELETE FROM task_steps`,
			`DELETE FROM task_scopes`, `DELETE FROM tasks WHERE parent_id IS NOT NULL`, `DELETE FROM tasks`, `DELETE FROM notifications WHERE kind LIKE 'task.%'`} {
			if _, err := tx.ExecContext(context.Background(), q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDemoContent: on first start the demo is alive in every module, as
// the API shows it: documents of several types with Directive 24-CT/TU
// and the district's plan for it, read by some members and not others;
// news with comments; a year of tasks done on time, late, overdue,
// forwarded down and sideways, escalated and returned; and the district's
// accountability report (this year, the default period) counts late work,
// escalations, sideways passes and flags.
func TestDemoContent(t *testing.T) {
	m := parallelDemo(t)
	admin, office := m.signIn(t, "admin"), m.signIn(t, "vanphong")
	district := demoDistrict(t, admin)
	today := date.Today(time.Now())

	// Documents.
	var docs listJSON[docJSON]
	if st := office.do("GET", "/api/v1/documents?limit=100", nil, &docs); st != 200 {
		t.Fatalf("documents: %d", st)
	}
	types := map[string]bool{}
	var ct24, plan docJSON
	for _, d := range docs.Items {
		types[d.Type] = true
		switch {
		case d.Number == "24-CT/TU":
			ct24 = d
		case d.Type == "KH" && strings.Contains(d.Title, "24-CT/TU") && strings.HasSuffix(d.Number, "/HU"):
			plan = d
		}
	}
	if len(types) < 3 || !types["CT"] || !types["KH"] {
		t.Errorf("document types %v, want at least 3 with CT and KH", types)
	}
	if ct24.ID == 0 || plan.ID == 0 {
		t.Fatalf("Directive 24-CT/TU %+v, the district's plan %+v: want both", ct24, plan)
	}
	var full docJSON
	office.do("GET", fmt.Sprintf("/api/v1/documents/%d", ct24.ID), nil, &full)
	if !strings.Contains(full.Body, "tóm tắt") {
		t.Errorf("the directive's body does not say it is a summary: %.200q", full.Body)
	}
	for _, d := range []docJSON{ct24, plan} {
		var rec receiptsJSON
		if st := office.do("GET", fmt.Sprintf("/api/v1/documents/%d/receipts?unit=%d", d.ID, district.ID), nil, &rec); st != 200 {
			t.Fatalf("receipts of %s: %d", d.Number, st)
		}
		if rec.Unit.Read == 0 || rec.Unit.Read >= rec.Unit.Expected {
			t.Errorf("%s read by %d of %d members, want some but not all", d.Number, rec.Unit.Read, rec.Unit.Expected)
		}
	}

	// News and comments.
	var news listJSON[docJSON]
	if st := office.do("GET", "/api/v1/news?limit=100", nil, &news); st != 200 {
		t.Fatalf("news: %d", st)
	}
	commented, comments := 0, 0
	for _, n := range news.Items {
		var cs listJSON[struct {
			Author string `json:"author"`
		}]
		office.do("GET", fmt.Sprintf("/api/v1/news/%d/comments", n.ID), nil, &cs)
		if cs.Total > 0 {
			commented++
		}
		comments += cs.Total
	}
	if len(news.Items) < 3 || commented < 3 || comments < 6 {
		t.Errorf("%d news, %d with comments, %d comments: want at least 3, 3, 6", len(news.Items), commented, comments)
	}

	// Tasks, by what happened to them.
	var tasks listJSON[struct {
		ID         int64     `json:"id"`
		Kind       string    `json:"kind"`
		State      string    `json:"state"`
		DaysLate   *int      `json:"days_late"`
		Overdue    bool      `json:"overdue"`
		AssignedOn date.Date `json:"assigned_on"`
	}]
	if st := office.do("GET", fmt.Sprintf("/api/v1/tasks?unit=%d&limit=500", district.ID), nil, &tasks); st != 200 {
		t.Fatalf("tasks: %d", st)
	}
	seen := map[string]int{}
	for _, tk := range tasks.Items {
		switch {
		case tk.State == "done" && tk.DaysLate != nil && *tk.DaysLate == 0:
			seen["done on time"]++
		case tk.State == "done" && tk.DaysLate != nil && *tk.DaysLate > 0:
			seen["done late"]++
		case tk.Overdue:
			seen["overdue"]++
		case tk.State != "done":
			seen["open"]++
		}
		if tk.AssignedOn.Before(today.AddDays(-200)) {
			seen["assigned over 200 days ago"]++
		}
		if tk.Kind == "group" {
			continue
		}
		var d struct {
			Steps []struct {
				Action    string `json:"action"`
				Direction string `json:"direction"`
			} `json:"steps"`
		}
		office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", tk.ID), nil, &d)
		for _, s := range d.Steps {
			switch {
			case s.Action == "forward":
				seen["forwarded "+s.Direction]++
			case s.Action == "escalate" || s.Action == "return":
				seen[s.Action]++
			}
		}
	}
	for _, want := range []string{"done on time", "done late", "overdue", "open", "forwarded down", "forwarded sideways", "escalate", "return", "assigned over 200 days ago"} {
		if seen[want] == 0 {
			t.Errorf("no task %s; got %v", want, seen)
		}
	}

	// The accountability report, this year.
	var rep struct {
		Totals struct {
			DoneLate       int `json:"done_late"`
			OpenOverdue    int `json:"open_overdue"`
			Escalations    int `json:"escalations"`
			PushedSideways int `json:"pushed_sideways"`
			Flags          int `json:"flags"`
		} `json:"totals"`
		Flags []struct {
			Rule  string `json:"rule"`
			Count int    `json:"count"`
		} `json:"flags"`
	}
	if st := m.signIn(t, "btv").do("GET", fmt.Sprintf("/api/v1/accountability?unit=%d", district.ID), nil, &rep); st != 200 {
		t.Fatalf("accountability: %d", st)
	}
	// The committee's board and the report page show them.
	ui := m.uiSignIn(t, "vanphong")
	for path, want := range map[string]string{
		fmt.Sprintf("/don-vi/%d/cong-viec", district.ID):   "Báo cáo kết quả thực hiện Chỉ thị 24-CT/TU",
		fmt.Sprintf("/don-vi/%d/trach-nhiem", district.ID): "Đảng bộ xã Phú Túc",
	} {
		if p := ui.get(path); p.Status != 200 || !strings.Contains(p.Body, want) {
			t.Errorf("%s: %d, lacks %q", path, p.Status, want)
		}
	}
	tt := rep.Totals
	if tt.DoneLate == 0 || tt.OpenOverdue == 0 || tt.Escalations == 0 || tt.PushedSideways == 0 || tt.Flags == 0 || len(rep.Flags) == 0 {
		t.Errorf("accountability this year: %+v, flags by rule %+v: want every count above zero", tt, rep.Flags)
	}
}
