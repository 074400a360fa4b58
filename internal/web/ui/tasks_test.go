package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
)

var untranslated = regexp.MustCompile(`\b(tasks?|tgroup|report|act|step|board|dir|nav)\.[a-z_]+`)

// TestTaskPagesRender renders the work pages in both languages: no key
// left untranslated, no inline style or script (the CSP forbids them).
func TestTaskPagesRender(t *testing.T) {
	due := date.Of(time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC))
	late := 0
	tk := task.Task{ID: 7, Title: "Triển khai Chỉ thị 24-CT/TU", UnitID: 3, UnitName: "Đảng bộ xã Phú Túc", HolderUnitName: "Đảng bộ xã Phú Túc",
		State: task.StateInProgress, DueOn: due, OriginalDueOn: due, DoneOn: due, DaysLate: &late, Percent: 60}
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	d := &task.Detail{Task: &tk, Holdings: []task.Holding{{Action: task.ActCreate, UnitName: "Đảng bộ xã Phú Túc", From: now, Workdays: 3, DueOn: due}},
		Steps: []task.Step{{Action: task.ActCreate, At: now}, {Action: task.ActForward, Direction: task.DirSideways, At: now}},
		Flags: []task.Flag{{RuleName: "Quá hạn", RaisedOn: due}},
		Can:   []task.Action{task.ActAccept, task.ActReport, task.ActForward, task.ActReturn, task.ActEscalate, task.ActExtend, task.ActComplete}}
	u := &org.Unit{ID: 2, Name: "Đảng bộ huyện Phú Xuyên"}
	rep := &task.Report{From: due, To: due, Units: []task.UnitRow{{Rank: 1, UnitID: 3, UnitName: "Đảng bộ xã Châu Can",
		Metrics: task.Metrics{Received: 1, PushedSideways: 1, OpenOverdue: 1}}},
		Heads:  []task.HeadRow{{Rank: 1, MemberName: "Nguyễn Văn A", UnitName: "Đảng bộ xã Châu Can"}},
		Months: []task.MonthRow{{Month: "2026-11", Received: 2}}, Flags: []task.FlagCount{{Name: "Quá hạn", Count: 1}}}
	report := &reportPage{Unit: u, R: rep, Bars: []reportBar{{Name: "Châu Can", Overdue: 1, WOverdue: 100}},
		Months: []monthBar{{MonthRow: rep.Months[0], X: 2, H: 90, Y: 10}}, MonthsW: 20}
	for _, l := range langs {
		for name, data := range map[string]viewer{
			"tasks": &myTasksPage{Groups: []taskGroup{{Name: "to_accept", Items: []task.Task{tk}, Total: 51, More: "/cong-viec?group=to_accept&cursor=x"},
				{Name: "in_progress", Total: 0}, {Name: "overdue", Items: []task.Task{tk}, Total: 1}}},
			"task": &taskPage{D: d, Message: "only the holder of the task can accept"},
			"task_board": &taskBoardPage{Unit: u, Groups: []taskGroup{{Name: "overdue", Items: []task.Task{tk}, Total: 1}, {Name: "open"}},
				All: "/don-vi/2/cong-viec"},
			"task_report": report,
		} {
			v := data.base()
			v.Lang, v.Actor, v.Here = l, &auth.Actor{Username: "vanphong"}, "/cong-viec"
			var buf bytes.Buffer
			if err := page(l, name).ExecuteTemplate(&buf, "layout", data); err != nil {
				t.Fatalf("%s %s: %v", l, name, err)
			}
			html := buf.String()
			for _, bad := range []string{"style=", "<style", "<script>", "onclick"} {
				if strings.Contains(html, bad) {
					i := strings.Index(html, bad)
					t.Errorf("%s %s contains %q: …%s…", l, name, bad, html[max(0, i-80):min(len(html), i+80)])
				}
			}
			if k := untranslated.FindString(html); k != "" {
				t.Errorf("%s %s shows the key %q", l, name, k)
			}
			if !strings.Contains(html, `href="/cong-viec"`) {
				t.Errorf("%s %s: no nav link to /cong-viec", l, name)
			}
		}
	}
}

// TestPagesShowInstantsInVietnam: every instant a person reads is in
// Asia/Ho_Chi_Minh, whatever zone the value carries (the step timeline once
// showed UTC while the inbox showed Vietnam time).
func TestPagesShowInstantsInVietnam(t *testing.T) {
	at := time.Date(2026, 12, 5, 18, 30, 0, 0, time.UTC) // 01:30 on the 6th in Hà Nội
	clock := taskFuncs(vi)["clock"].(func(any) string)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"clock of a time", clock(at), "01:30 06/12/2026"},
		{"clock of a pointer", clock(&at), "01:30 06/12/2026"},
		{"clock of nil", clock((*time.Time)(nil)), ""},
		{"clock of a local time", clock(at.In(time.FixedZone("X", -5*3600))), "01:30 06/12/2026"},
		{"when", when(vi, at), "01:30 06/12/2026"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
