package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// TestPickersStayInReach: the name pickers — GET /api/v1/units?q= and the
// assignment page's search — never answer a unit or a member out of the
// reader's reach, however it is named, and a recipient out of reach put in
// the address is dropped rather than shown.
func TestPickersStayInReach(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	chauCan := childNamed(t, m, p.District.ID, "Đảng bộ xã Châu Can")
	var chauCanCell *org.Unit
	for _, k := range mustChildren(t, m, chauCan.ID) {
		if k.Kind == org.KindCell {
			chauCanCell = &k
			break
		}
	}
	outsider := firstMember(t, m, chauCanCell.ID, 0)

	type unitsAnswer struct {
		Items []org.Unit `json:"items"`
	}
	units := func(user, query string) (int, []org.Unit) {
		t.Helper()
		var out unitsAnswer
		st := m.signIn(t, user).do("GET", "/api/v1/units?"+query, nil, &out)
		return st, out.Items
	}
	for _, tt := range []struct {
		name, user, query string
		status            int
		within            string // every answer's path starts with it
		want, wantNot     int64
	}{
		{"the commune finds its cell", "danguy.phutuc", "q=" + url.QueryEscape(viet.Fold(p.Cell.Name)), 200, p.PhuTuc.Path, p.Cell.ID, 0},
		{"the commune does not find the commune beside it", "danguy.phutuc", "q=chau+can", 200, p.PhuTuc.Path, 0, chauCan.ID},
		{"the commune does not find a cell beside it", "danguy.phutuc", "q=" + url.QueryEscape(viet.Fold(chauCanCell.Name)), 200, p.PhuTuc.Path, 0, chauCanCell.ID},
		{"a broad word stays inside", "danguy.phutuc", "q=chi+bo", 200, p.PhuTuc.Path, p.Cell.ID, chauCanCell.ID},
		{"the district office finds it", "vanphong", "q=chau+can", 200, p.District.Path, chauCan.ID, 0},
		{"with diacritics too", "vanphong", "q=" + url.QueryEscape("Châu Can"), 200, p.District.Path, chauCan.ID, 0},
		{"a member searches its own cell only", "dangvien", "q=chi+bo", 200, p.MyCell.Path, 0, chauCanCell.ID},
		{"below a unit out of reach: 404", "danguy.phutuc", fmt.Sprintf("parent=%d&q=chi", chauCan.ID), 404, "", 0, 0},
	} {
		st, got := units(tt.user, tt.query)
		if st != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, st, tt.status)
			continue
		}
		found := false
		for _, u := range got {
			if !strings.HasPrefix(u.Path, tt.within) {
				t.Errorf("%s: answered %s (%s), outside %s", tt.name, u.Name, u.Path, tt.within)
			}
			if u.ID == tt.wantNot {
				t.Errorf("%s: answered %s, out of reach", tt.name, u.Name)
			}
			found = found || u.ID == tt.want
		}
		if tt.want != 0 && !found {
			t.Errorf("%s: got %d units, not the one wanted (%d)", tt.name, len(got), tt.want)
		}
	}

	// The assignment page's picker: units and members by name.
	page := func(user, path string) uiAnswer {
		t.Helper()
		return m.uiSignIn(t, user).get(path)
	}
	memberBox := fmt.Sprintf(`name="member" value="%d"`, outsider.ID)
	unitBox := fmt.Sprintf(`name="unit" value="%d"`, chauCan.ID)
	q := "/cong-viec/moi?q=" + url.QueryEscape(viet.Fold(outsider.FullName))
	for _, tt := range []struct {
		name, user, path string
		status           int
		shows, hides     []string
	}{
		{"the office finds the member", "vanphong", q, 200, []string{memberBox, outsider.FullName}, nil},
		{"the commune does not", "danguy.phutuc", q, 200, nil, []string{memberBox, outsider.FullName}},
		{"the office finds the commune", "vanphong", "/cong-viec/moi?q=chau+can", 200, []string{unitBox}, nil},
		{"the commune does not", "danguy.phutuc", "/cong-viec/moi?q=chau+can", 200, nil, []string{unitBox, chauCan.Name}},
		{"a unit out of reach in the address is dropped", "danguy.phutuc", fmt.Sprintf("/cong-viec/moi?unit=%d&member=%d", chauCan.ID, outsider.ID), 200,
			nil, []string{unitBox, memberBox, chauCan.Name, outsider.FullName}},
		{"a member may not assign", "dangvien", "/cong-viec/moi?q=chi+bo", http.StatusNotFound, nil, nil},
	} {
		a := page(tt.user, tt.path)
		if a.Status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, a.Status, tt.status)
			continue
		}
		for _, s := range tt.shows {
			if !strings.Contains(a.Body, s) {
				t.Errorf("%s: the page does not show %s", tt.name, s)
			}
		}
		for _, s := range tt.hides {
			if strings.Contains(a.Body, s) {
				t.Errorf("%s: the page shows %s, out of reach", tt.name, s)
			}
		}
	}
}

// TestBrowserAssignAndForwardByName: from the home page only, the district
// office assigns a task to two communes picked by names typed without
// diacritics, with a deadline in working days that the page turns into a
// date, and finds it under "I issued"; the Phú Túc committee finds it under
// "I hold", accepts it, and forwards it down to a cell picked by name, the
// page saying beforehand what forwarding there means and what a sideways
// forward would be flagged as.
func TestBrowserAssignAndForwardByName(t *testing.T) {
	exe, m := browserDemo(t)
	p := findDemoPlaces(t, m)
	chauCan := childNamed(t, m, p.District.ID, "Đảng bộ xã Châu Can")
	newTaskClock(m, "2026-11-02") // a Monday: 5 working days end on the 9th
	ctx, problems := openTab(t, exe, browserErrors, 120*time.Second)
	base := "http://" + m.Addr
	const title = "Kiểm tra việc học tập Chỉ thị 24-CT/TU"
	signIn := func(user string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(css("#username")),
			typeText(css("#username"), user),
			typeText(css("#password"), demoPassword()),
			chromedp.Click(css("main button[type=submit]")),
			chromedp.WaitVisible(css(`header a[href="/cong-viec"]`)),
		)
	}
	pick := func(folded string, unit int64) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Clear(css("#q")),
			searchPicker(css("#q"), folded),
			// The search reloads the page, and the script has put the
			// same matches on the old one: a match clicked there is lost.
			reloaded(chromedp.Click(css(`button[name=tim]`))),
			chromedp.WaitVisible(css(`.matches input[name=unit][value="%d"]`, unit)),
			chromedp.Click(css(`.matches input[name=unit][value="%d"]`, unit)),
		)
	}
	err := chromedp.Do(ctx,
		phone(),
		signIn("vanphong"),
		chromedp.Click(css(`header a[href="/cong-viec"]`)),
		chromedp.WaitVisible(css(`a[href="/cong-viec/moi"]`)),
		chromedp.Click(css(`a[href="/cong-viec/moi"]`)),
		chromedp.WaitVisible(css("#title")),
		typeText(css("#title"), title),
		typeText(css("#workdays"), "5"),
		chromedp.Click(css(`button[name=tinh-han]`)),
		chromedp.WaitVisible(css("#computed-due")),
		pick("phu tuc", p.PhuTuc.ID),
		// The second by typing only: the script brings the matches as one
		// types, and keeps the first pick above them.
		chromedp.Clear(css("#q")),
		searchPicker(css("#q"), "chau can"),
		chromedp.WaitVisible(css(`.matches input[name=unit][value="%d"]`, chauCan.ID)),
		chromedp.Click(css(`.matches input[name=unit][value="%d"]`, chauCan.ID)),
		// The first pick survived the second search.
		chromedp.WaitVisible(css(`.picked input[name=unit][value="%d"]`, p.PhuTuc.ID)),
		chromedp.Click(css("#assign")),
		chromedp.WaitVisible(css(`a[href="/cong-viec/da-giao"][aria-current=page]`)),
	)
	if err != nil {
		t.Fatalf("the office's journey: %v", err)
	}
	due, _ := chromedp.Run(ctx, chromedp.Text(css("main")))
	if !strings.Contains(due, "09/11/2026") {
		t.Errorf("the issued tab does not show the due date 09/11/2026 computed from 5 working days")
	}
	issued, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll('main a.name')].filter(a => a.textContent === %q).map(a => a.getAttribute('href'))`, title)))
	if err != nil || len(issued) != 2 {
		t.Fatalf("the issued tab lists %v (%v), want the two tasks", issued, err)
	}
	// Which of the two is Phú Túc's.
	sys := auth.SystemActor()
	var mine string
	for _, href := range issued {
		var id int64
		fmt.Sscanf(href, "/cong-viec/%d", &id)
		d, err := m.App.Tasks.Get(context.Background(), sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.UnitID == p.PhuTuc.ID {
			mine = href
		} else if d.UnitID != chauCan.ID {
			t.Errorf("task %d went to unit %d, not one of the two picked", id, d.UnitID)
		}
	}
	if mine == "" {
		t.Fatalf("no task went to Phú Túc: %v", issued)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(css("form.signout button")),
		chromedp.WaitVisible(css("#username")),
		signIn("danguy.phutuc"),
		chromedp.Click(css(`header a[href="/cong-viec"]`)),
		chromedp.WaitVisible(css(`a[href="%s"]`, mine)),
		chromedp.Click(css(`a[href="%s"]`, mine)),
		chromedp.WaitVisible(css("form.step-accept button")),
		reloaded(chromedp.Click(css("form.step-accept button"))),
		chromedp.WaitVisible(css("#to_q")),
		searchPicker(css("#to_q"), viet.Fold(p.Cell.Name)),
		// The search reloads the page, and the cell is listed on both the
		// old page and the new one: wait for the new page before reading
		// it, or a node of the old page goes stale under the test.
		reloaded(chromedp.Click(css(`#forward-to button[name=tim]`))),
	)
	if err != nil {
		t.Fatalf("the commune's journey: %v", err)
	}
	if search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`)); err != nil || !strings.Contains(search, "to_q=") {
		t.Fatalf("the page after the search button: %q (%v), want the search's answer (to_q=)", search, err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`label[data-unit="%d"]`, p.Cell.ID))); err != nil {
		t.Fatalf("the cell found by name: %v", err)
	}
	said, err := chromedp.Run(ctx, chromedp.Text(css("#b-forward")))
	if err != nil {
		t.Fatal(err)
	}
	choice, _ := chromedp.Run(ctx, chromedp.Text(css(`label[data-unit="%d"]`, p.Cell.ID)))
	escalate, _ := chromedp.Run(ctx, chromedp.Text(css("#b-escalate")))
	for _, c := range []struct{ what, text, want string }{
		{"the target's direction", choice, "xuống đơn vị trực thuộc"},
		{"a sideways forward's flag", said, "Chuyển sang ngang sẽ bị cảnh báo theo Chỉ thị 24-CT/TU: Đùn đẩy việc sang đơn vị khác"},
		{"an escalation's target", escalate, "Giao việc lên cho " + p.District.Name},
		{"an escalation's cost", escalate, "đẩy việc lên trên trong đánh giá trách nhiệm"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: the page says %q, want %q in it", c.what, c.text, c.want)
		}
	}
	if strings.Contains(choice, "cảnh báo") {
		t.Errorf("forwarding down to %s is announced as flagged: %q", p.Cell.Name, choice)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`label[data-unit="%d"] input`, p.Cell.ID)),
		typeText(css("#forward-note"), "Giao chi bộ thực hiện"),
		chromedp.Click(css("#forward-do")),
		chromedp.WaitVisible(css("ol.timeline li:nth-of-type(2)")),
	)
	if err != nil {
		t.Fatalf("the forward: %v", err)
	}
	var id int64
	fmt.Sscanf(mine, "/cong-viec/%d", &id)
	d, err := m.App.Tasks.Get(context.Background(), sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.HolderUnitID != p.Cell.ID || d.State != task.StateAssigned || len(d.Flags) != 0 {
		t.Errorf("after the forward: holder %d state %s flags %v, want %d assigned without flags", d.HolderUnitID, d.State, d.Flags, p.Cell.ID)
	}
	saveScreenshot(ctx, "task-forwarded")

	// The commune sees its report from its unit page: the cell received the
	// task, forwarded down without a flag.
	err = chromedp.Do(ctx,
		chromedp.Click(css(`header a.brand`)),
		chromedp.WaitVisible(css(`main a[href="/don-vi/%d"]`, p.PhuTuc.ID)),
		chromedp.Click(css(`main a[href="/don-vi/%d"]`, p.PhuTuc.ID)),
		chromedp.WaitVisible(css(`a[href="/don-vi/%d/trach-nhiem"]`, p.PhuTuc.ID)),
		chromedp.Click(css(`a[href="/don-vi/%d/trach-nhiem"]`, p.PhuTuc.ID)),
		chromedp.WaitVisible(css("table.report.units")),
	)
	if err != nil {
		t.Fatalf("the commune's report: %v", err)
	}
	for _, c := range []struct{ class, want string }{{"m-received", "1"}, {"m-sideways", "0"}} {
		got, err := chromedp.Run(ctx, chromedp.Text(css(`table.report.units tr[data-unit="%d"] td.%s`, p.Cell.ID, c.class)))
		if err != nil || strings.TrimSpace(got) != c.want {
			t.Errorf("the report's %s of %s = %q (%v), want %s", c.class, p.Cell.Name, got, err, c.want)
		}
	}

	// The office follows its task: under "I issued", now held by the cell.
	err = chromedp.Do(ctx,
		chromedp.Click(css("form.signout button")),
		chromedp.WaitVisible(css("#username")),
		signIn("vanphong"),
		chromedp.Click(css(`header a[href="/cong-viec"]`)),
		chromedp.WaitVisible(css(`a[href="/cong-viec/da-giao"]`)),
		chromedp.Click(css(`a[href="/cong-viec/da-giao"]`)),
		chromedp.WaitVisible(css(`main a[href="%s"]`, mine)),
		chromedp.Click(css(`main a[href="%s"]`, mine)),
		chromedp.WaitVisible(css("ol.timeline")),
	)
	if err != nil {
		t.Fatalf("the office follows the task: %v", err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(css("main"))); !strings.Contains(got, p.Cell.Name) || !strings.Contains(got, "Giao chi bộ thực hiện") {
		t.Errorf("the office's task page does not show the forward to %s with its note:\n%s", p.Cell.Name, got)
	}
	checkPageErrors(t, problems)
}
