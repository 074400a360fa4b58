package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
)

var untranslatedUI = regexp.MustCompile(`\b(tabs|tabinfo|fwd|tasknew|means|act|dir|step|task|kind)\.[a-z_.]+`)

// TestTaskUIPagesRender renders the assignment page, the tabs and the
// task page's steps in both languages: no key left untranslated, no inline
// style or script, the forward's targets by name with what forwarding there
// means, and the flags announced before the step.
func TestTaskUIPagesRender(t *testing.T) {
	due := date.Of(time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC))
	tk := task.Task{ID: 7, Title: "Triển khai Chỉ thị 24-CT/TU", UnitID: 3, UnitName: "Đảng bộ xã Phú Túc", HolderUnitName: "Chi bộ thôn Kim Lan",
		State: task.StateInProgress, DueOn: due, OriginalDueOn: due}
	sideways := task.Rule{Code: task.RulePushedSideways, NameVI: "Đùn đẩy việc sang đơn vị khác", NameEN: "Pushed sideways"}
	escal := task.Rule{Code: task.RuleEscalatedAuthority, NameVI: "Đẩy việc thuộc thẩm quyền lên cấp trên", NameEN: "Escalated within authority"}
	d := &task.Detail{Task: &tk, Capacity: "holder",
		Can: []task.Action{task.ActReport, task.ActComplete, task.ActForward, task.ActReturn, task.ActEscalate, task.ActExtend}}
	withSteps := &taskPage{D: d}
	withSteps.Preview = &task.StepPreview{ReturnTo: "Huyện ủy Phú Xuyên", EscalateTo: "Huyện ủy Phú Xuyên", EscalateMember: "Nguyễn Văn A",
		Flags: map[task.Action][]task.Rule{task.ActEscalate: {escal}}, ForwardSideways: []task.Rule{sideways}}
	withSteps.Forward = picker{ID: "forward-to", QName: "to_q", Action: "/cong-viec/7", Method: "get", Required: true, Legend: "act.to_unit",
		Find: "act.find_unit", Below: "act.below", Q: "kim lan", Searched: true,
		Matches: []pickChoice{{Field: "to_unit_id", ID: 11, Name: "Chi bộ thôn Kim Lan", Direction: task.DirDown},
			{Field: "to_unit_id", ID: 12, Name: "Đảng bộ xã Châu Can", Direction: task.DirSideways, Flags: []task.Rule{sideways}}}}
	withSteps.Failed, withSteps.Errors, withSteps.note = "escalate", map[string]string{"note": "say what the unit above must decide"}, "x"
	newPage := &taskNewPage{Title: "Rà soát", Q: "phu tuc", Mode: "workdays", Workdays: "5", Computed: due,
		Errors: map[string]string{"title": "required", "recipients": "pick at least one unit or member"}}
	newPage.Picker = picker{ID: "recipients", QName: "q", Action: "/cong-viec/moi", Method: "get", Multiple: true, Required: true,
		Legend: "tasknew.recipients", Hint: "tasknew.recipients_hint", Find: "tasknew.find", Q: "phu tuc", Searched: true,
		Error:   "pick at least one unit or member",
		Chosen:  []pickChoice{{Field: "unit", ID: 3, Name: "Đảng bộ xã Phú Túc", Kind: "grassroots_committee", Children: 4, Checked: true}},
		Matches: []pickChoice{{Field: "unit", ID: 4, Name: "Chi bộ thôn Phú Túc", Kind: "cell"}, {Field: "member", Member: true, ID: 9, Name: "Nguyễn Văn Phú", Parent: "Chi bộ thôn Kim Lan"}}}
	office := &auth.Actor{Username: "vanphong", AccountID: 2, Grants: []auth.Grant{{UnitID: 2, UnitPath: "/1/2/", Role: auth.RoleOffice}}}
	for _, l := range langs {
		withSteps.Forward.Lang = l
		for _, c := range []struct {
			page, here string
			data       viewer
			want       []string
		}{
			{"task", "/cong-viec/7", withSteps, []string{`name="to_unit_id" value="11"`, "Chi bộ thôn Kim Lan", "Đảng bộ xã Châu Can",
				`class="meta dir-sideways"`, `id="e-escalate-note"`, `name="to_q" type="search" value="kim lan"`}},
			{"task_new", "/cong-viec/moi", newPage, []string{`name="unit" value="3" checked`, `name="unit" value="4"`, `name="member" value="9"`,
				`id="e-title"`, `id="e-recipients"`, `data-member="9"`, "09/11/2026", `formmethod="get"`}},
			{"tasks_rel", "/cong-viec/da-giao", &tasksRelPage{Rel: task.Issued, Groups: []taskGroup{{Name: "done", Items: []task.Task{tk}, Total: 60, More: "/cong-viec/da-giao?cursor=x&group=done"}}}, []string{`href="/cong-viec/7"`,
				`href="/cong-viec/da-giao" aria-current="page"`, `href="/cong-viec/moi"`, `href="/don-vi/2/cong-viec"`, `href="/don-vi/2/trach-nhiem"`,
				`id="h-done"`, `href="/cong-viec/da-giao?cursor=x&amp;group=done" rel="next"`}},
			{"tasks", "/cong-viec", &myTasksPage{}, []string{`href="/cong-viec" aria-current="page"`, `href="/cong-viec/don-vi"`}},
		} {
			v := c.data.base()
			v.Lang, v.Actor, v.Here = l, office, c.here
			var buf bytes.Buffer
			if err := page(l, c.page).ExecuteTemplate(&buf, "layout", c.data); err != nil {
				t.Fatalf("%s %s: %v", l, c.page, err)
			}
			html := buf.String()
			for _, bad := range []string{"style=", "<style", "<script>", "onclick"} {
				if strings.Contains(html, bad) {
					t.Errorf("%s %s contains %q", l, c.page, bad)
				}
			}
			if k := untranslatedUI.FindString(html); k != "" {
				t.Errorf("%s %s shows the key %q", l, c.page, k)
			}
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("%s %s: no %s", l, c.page, w)
				}
			}
			if c.page == "task" {
				flag := map[lang]string{vi: "Đùn đẩy việc sang đơn vị khác", en: "Pushed sideways"}[l]
				if n := strings.Count(html, flag); n < 2 {
					t.Errorf("%s task: the sideways flag %q is announced %d times, want in the forward's text and beside the sideways target", l, flag, n)
				}
				if want := map[lang]string{vi: "Đẩy việc thuộc thẩm quyền lên cấp trên", en: "Escalated within authority"}[l]; !strings.Contains(html, want) {
					t.Errorf("%s task: the escalation's flag is not announced", l)
				}
			}
		}
	}
}
