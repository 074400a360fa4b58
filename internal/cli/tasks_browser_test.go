package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// taskPagePermEntries are the permission-matrix entries of ui_tasks.go.
func taskPagePermEntries() map[string]permEntry {
	one := signedIn
	return map[string]permEntry{
		"GET /cong-viec":      one(permProbe{method: "GET", path: "/cong-viec", allowed: everyone(200)}),
		"GET /cong-viec/{id}": one(permProbe{method: "GET", path: "/cong-viec/{id}", obj: "task", allowed: allow(permReadPersonal, 200)}),
		// Reporting on a task nobody accepted yet: 409 for whoever can see it.
		"POST /cong-viec/{id}": one(permProbe{method: "POST", path: "/cong-viec/{id}", obj: "task", ctype: formType,
			body: "action=report&note=th%E1%BB%AD", allowed: allow(permReadPersonal, 409)}),
		// The other tabs of "my tasks" and the assignment page (task_mine.go, task_new.go).
		"GET /cong-viec/don-vi":  one(permProbe{method: "GET", path: "/cong-viec/don-vi", allowed: everyone(200)}),
		"GET /cong-viec/da-giao": one(permProbe{method: "GET", path: "/cong-viec/da-giao", allowed: everyone(200)}),
		"GET /cong-viec/moi":     one(permProbe{method: "GET", path: "/cong-viec/moi?q=phu+tuc", allowed: allow(permReadPersonal, 200)}),
		// An empty title: shown again with the reason, to whoever may assign.
		"POST /cong-viec/moi": one(permProbe{method: "POST", path: "/cong-viec/moi", ctype: formType,
			body: "title=&han=workdays&workdays=5", allowed: allow(permReadPersonal, 422)}),
		"GET /don-vi/{id}/cong-viec": one(permProbe{method: "GET", path: "/don-vi/{id}/cong-viec", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
		"GET /don-vi/{id}/trach-nhiem": one(permProbe{method: "GET", path: "/don-vi/{id}/trach-nhiem?from=2026-01-01", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
	}
}

// TestBrowserTaskJourney: the district office assigns a directive to two
// communes; Phú Túc accepts and completes it on time in the browser,
// Châu Can forwards it sideways and lets it run overdue; the
// accountability page shows exactly that.
func TestBrowserTaskJourney(t *testing.T) {
	exe, m := browserDemo(t)
	clearDemoTasks(t, m)
	admin, office := m.signIn(t, "admin"), m.signIn(t, "vanphong")
	district, a, b, c := threeCommunes(t, m)
	if st := admin.do("POST", "/api/v1/accounts", map[string]any{"username": "danguy.chaucan", "password": demoPassword(),
		"roles": []map[string]any{{"unit_id": b.ID, "role": "committee"}}}, nil); st != 201 {
		t.Fatalf("create danguy.chaucan: %d", st)
	}
	clock := newTaskClock(m, "2026-11-02") // a Monday
	office.base = "http://" + m.Addr
	assign := func(unit int64) taskJSON { return assignDirective(t, office, unit) }
	ta, tb := assign(a.ID), assign(b.ID)

	ctx, problems := openTab(t, exe, pageErrors, 120*time.Second)
	base := "http://" + m.Addr
	signIn := func(user string) []chromedp.Action[chromedp.Void] { return formSignIn(base, user, "/cong-viec") }
	var steps []chromedp.Action[chromedp.Void]
	steps = append(steps, phone())
	steps = append(steps, signIn("danguy.phutuc")...)
	steps = append(steps,
		chromedp.Click(css(`a[href="/cong-viec"]`)),
		chromedp.WaitVisible(css(`a[href="/cong-viec/%d"]`, ta.ID)),
		chromedp.Click(css(`a[href="/cong-viec/%d"]`, ta.ID)),
		chromedp.WaitVisible(css("form.step-accept button")),
		chromedp.Click(css("form.step-accept button")),
		chromedp.WaitVisible(css("form.step-complete button")),
		typeText(css("#complete-note"), "Hoàn thành"),
		chromedp.Click(css("form.step-complete button")),
		chromedp.WaitNotPresent(css("form.step-complete")),
	)
	steps = append(steps, chromedp.Click(css("form.signout button")), chromedp.WaitVisible(css("#username")))
	steps = append(steps, signIn("danguy.chaucan")...)
	steps = append(steps,
		chromedp.Navigate(base+"/cong-viec"),
		chromedp.Click(css(`a[href="/cong-viec/%d"]`, tb.ID)),
		// The target is picked by name, from a search of the page.
		chromedp.WaitVisible(css("#to_q")),
		searchPicker(css("#to_q"), viet.Fold(c.Name)),
		reloaded(chromedp.Click(css(`#forward-to button[name=tim]`))),
		chromedp.WaitVisible(css(`form.step-forward input[name=to_unit_id][value="%d"]`, c.ID)),
		chromedp.Click(css(`form.step-forward input[name=to_unit_id][value="%d"]`, c.ID)),
		chromedp.Click(css("#forward-do")),
		chromedp.WaitNotPresent(css("form.step-forward")),
		chromedp.Click(css("form.signout button")),
		chromedp.WaitVisible(css("#username")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("journey of the communes: %v", err)
	}

	// Châu Can's task runs past its due date (9 November).
	clock.On("2026-11-20")
	runTaskJobs(t, m, clock)

	steps = append([]chromedp.Action[chromedp.Void]{}, signIn("vanphong")...)
	steps = append(steps,
		chromedp.Navigate(fmt.Sprintf("%s/don-vi/%d/trach-nhiem?from=2026-11-01&to=2026-11-30", base, district.ID)),
		chromedp.WaitVisible(css("table.report.units")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("the accountability page: %v", err)
	}
	row := func(u *org.Unit, class string) string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(css(`table.report.units tr[data-unit="%d"] td.%s`, u.ID, class)))
		if err != nil {
			t.Fatalf("cell %s of %s: %v", class, u.Name, err)
		}
		return strings.TrimSpace(got)
	}
	for _, x := range []struct {
		u     *org.Unit
		class string
		want  string
	}{
		{a, "m-received", "1"}, {a, "m-on-time", "1"}, {a, "m-late", "0"}, {a, "m-overdue", "0"}, {a, "m-sideways", "0"},
		{b, "m-received", "1"}, {b, "m-on-time", "0"}, {b, "m-sideways", "1"}, {b, "m-overdue", "1"},
	} {
		if got := row(x.u, x.class); got != x.want {
			t.Errorf("%s %s = %q, want %s", x.u.Name, x.class, got, x.want)
		}
	}
	saveScreenshot(ctx, "tasks-report")
	checkPageErrors(t, problems)
}
