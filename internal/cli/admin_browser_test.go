package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// TestBrowserAdminJourney: from the home page only (no typed address), the
// admin creates an account with a role on a commune picked by a name typed
// without diacritics, resets its password, sees the session it then opens,
// resets its lost second factor, adds a role on a second commune, and finds
// the creation in the audit log by actor, object type and day, with what
// the account was after; the object's own entries show the changes with
// their before and after.
func TestBrowserAdminJourney(t *testing.T) {
	exe, m := browserDemo(t)
	p := findDemoPlaces(t, m)
	chauCan := childNamed(t, m, p.District.ID, "Đảng bộ xã Châu Can")
	ctx, problems := openTab(t, exe, browserErrors, 120*time.Second)
	base := "http://" + m.Addr
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	const (
		username = "thuky.phutuc"
		pw1      = "mật khẩu đầu tiên"
		pw2      = "mật khẩu đặt lại"
	)
	err := chromedp.Do(ctx,
		phone(),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css("#username")),
		typeText(css("#username"), "admin"),
		typeText(css("#password"), demoPassword()),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css(`main a[href="/quan-tri/tai-khoan"]`)),
		chromedp.Click(css(`main a[href="/quan-tri/tai-khoan"]`)),
		chromedp.WaitVisible(css(`a[href="/quan-tri/tai-khoan/moi"]`)),
		chromedp.Click(css(`a[href="/quan-tri/tai-khoan/moi"]`)),
		pickUnit("phu tuc", p.PhuTuc.ID),
		chromedp.SetValue(css("#role"), string(auth.RoleCommittee)),
		typeText(css("#username"), username),
		typeText(css("#password"), pw1),
		typeText(css("#password2"), pw1),
		reloaded(chromedp.Click(css("#create-account"))),
		chromedp.WaitVisible(css(".notice.ok")),
	)
	if err != nil {
		t.Fatalf("create the account: %v", err)
	}
	if got := text(css("main")); !strings.Contains(got, "Đã tạo tài khoản") || !strings.Contains(got, "Cấp ủy · Đảng bộ xã Phú Túc") {
		t.Errorf("the new account's page does not say it was created with its role on Phú Túc:\n%s", got)
	}
	accountURL, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}

	// The password reset; the account signs in with the new one.
	err = chromedp.Do(ctx,
		typeText(css("#new_password"), pw2),
		typeText(css("#new_password2"), pw2),
		reloaded(chromedp.Click(css(`form[action$="/mat-khau"] button`))),
		chromedp.WaitVisible(css(".notice.ok")),
	)
	if err != nil {
		t.Fatalf("reset the password: %v", err)
	}
	if got := text(css(".notice.ok")); !strings.Contains(got, "Đã đặt lại mật khẩu") {
		t.Errorf("after the reset the page says %q", got)
	}
	if st, _, _ := m.signInWith(t, username, pw1, ""); st == 200 {
		t.Error("the old password still signs in after the reset")
	}
	st, _, c := m.signInWith(t, username, pw2, "")
	if st != 200 {
		t.Fatalf("sign in with the new password: %d", st)
	}
	// A lost phone: the account had turned on the second factor.
	enrolSecondFactor(t, m, c)

	// The admin finds the account again from the list, sees its session,
	// resets the second factor and adds a role.
	err = chromedp.Do(ctx,
		chromedp.Click(css(`header a[href="/quan-tri/tai-khoan"]`)),
		chromedp.WaitVisible(css("#q")),
		typeText(css("#q"), "THUKY"),
		reloaded(chromedp.Submit(css("#q"))),
		chromedp.WaitVisible(css(`a[href="%s"]`, accountURL)),
		chromedp.Click(css(`a[href="%s"]`, accountURL)),
		chromedp.WaitVisible(css("#phien")),
	)
	if err != nil {
		t.Fatalf("find the account again: %v", err)
	}
	if got := text(css("#phien + ul")); !strings.Contains(got, "Địa chỉ: 127.0.0.1") {
		t.Errorf("the account's sessions show %q, want the one it opened from 127.0.0.1", got)
	}
	err = chromedp.Do(ctx,
		reloaded(chromedp.Click(css(`form[action$="/xac-thuc"] button`))),
		chromedp.WaitVisible(css(".notice.ok")),
	)
	if err != nil {
		t.Fatalf("reset the second factor: %v", err)
	}
	if got := text(css(".notice.ok")); !strings.Contains(got, "Đã đặt lại xác thực hai bước") {
		t.Errorf("after the second factor's reset the page says %q", got)
	}
	if st := c.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("the account's session after the reset: %d, want 401", st)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css("#vai-tro"))); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#unit label[data-unit="%d"]').length`, chauCan.ID))); n != 0 {
		t.Fatalf("Châu Can is offered before any search: the test below would not show the script at work")
	}
	err = chromedp.Do(ctx,
		// With the script, typing the name is enough: the matches come as
		// one types, without the search button.
		searchPicker(css("#don_vi"), "chau can"),
		chromedp.WaitVisible(css(`#unit .matches label[data-unit="%d"] input`, chauCan.ID)),
		chromedp.Click(css(`#unit .matches label[data-unit="%d"] input`, chauCan.ID)),
		chromedp.SetValue(css("#role"), string(auth.RoleOffice)),
		reloaded(chromedp.Click(css("#save-roles"))),
		chromedp.WaitVisible(css(".notice.ok")),
	)
	if err != nil {
		t.Fatalf("add a role: %v", err)
	}
	if got := text(css("main")); !strings.Contains(got, "Đã lưu vai trò") || !strings.Contains(got, "Cấp ủy · Đảng bộ xã Phú Túc") || !strings.Contains(got, "Văn phòng cấp ủy · Đảng bộ xã Châu Can") {
		t.Errorf("after adding a role the page does not show both roles:\n%s", got)
	}

	// The audit log, by actor, object type and day.
	today := date.Today(m.App.DB.Now()).String()
	err = chromedp.Do(ctx,
		chromedp.Click(css(`nav.actions a[href="/quan-tri/nhat-ky"]`)),
		chromedp.WaitVisible(css("#actor")),
		typeText(css("#actor"), "admin"),
		chromedp.SetValue(css("#type"), "account"),
		chromedp.SetValue(css("#from"), today),
		chromedp.SetValue(css("#to"), today),
		reloaded(chromedp.Click(css("#audit-filter"))),
		chromedp.WaitVisible(css("ol.audit")),
	)
	if err != nil {
		t.Fatalf("filter the audit log: %v", err)
	}
	objectLink := accountURL[strings.LastIndex(accountURL, "/")+1:]
	entries, err := chromedp.Run(ctx, chromedp.Evaluate[[]auditShown](`[...document.querySelectorAll('ol.audit > li')].map(li => ({
		action: li.querySelector('.name').textContent,
		meta: li.querySelector('.meta').textContent,
		object: (li.querySelector('.meta a[href*="object="]') || {}).href || "",
		before: (li.querySelectorAll('pre.json')[0] || {}).textContent || "",
		after: li.querySelector('pre.json:last-of-type') ? li.querySelector('pre.json:last-of-type').textContent : "",
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	var created *auditShown
	for i, e := range entries {
		if !strings.Contains(e.Meta, "admin") {
			t.Errorf("the filter by actor shows an entry by someone else: %+v", e)
		}
		if e.Action == "Tạo tài khoản" && strings.HasSuffix(e.Object, "account%3A"+objectLink) {
			created = &entries[i]
		}
	}
	if created == nil {
		t.Fatalf("no 'Tạo tài khoản' entry for account %s by admin today among %d entries", objectLink, len(entries))
	}
	if !strings.Contains(created.After, `"username": "`+username+`"`) {
		t.Errorf("the creation's after does not name the account: %q", created.After)
	}

	// The account's own entries: created, password reset, second factor
	// reset, roles changed (with the roles before and after).
	err = chromedp.Do(ctx,
		chromedp.Click(css(`ol.audit a[href$="object=account%%3A%s"]`, objectLink)),
		chromedp.WaitVisible(css(`#id[value="%s"]`, objectLink)),
	)
	if err != nil {
		t.Fatalf("open the account's entries: %v", err)
	}
	entries, err = chromedp.Run(ctx, chromedp.Evaluate[[]auditShown](`[...document.querySelectorAll('ol.audit > li')].map(li => ({
		action: li.querySelector('.name').textContent,
		before: [...li.querySelectorAll('pre.json')].length > 1 ? li.querySelectorAll('pre.json')[0].textContent : "",
		after: li.querySelector('pre.json:last-of-type') ? li.querySelector('pre.json:last-of-type').textContent : "",
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]auditShown{}
	for _, e := range entries {
		seen[e.Action] = e
	}
	for _, a := range []string{"Tạo tài khoản", "Đặt lại mật khẩu", "Đặt lại xác thực hai bước", "Sửa vai trò"} {
		if _, ok := seen[a]; !ok {
			t.Errorf("the account's entries lack %q: %v", a, entries)
		}
	}
	if r := seen["Sửa vai trò"]; strings.Contains(r.Before, fmt.Sprint(chauCan.ID)) || !strings.Contains(r.After, fmt.Sprint(chauCan.ID)) {
		t.Errorf("the roles entry: before %q, after %q; want Châu Can (%d) only after", r.Before, r.After, chauCan.ID)
	}
	saveScreenshot(ctx, "admin-audit")
	checkPageErrors(t, problems)
}

// auditShown is an entry of the audit log page as the browser reads it.
type auditShown struct {
	Action string `json:"action"`
	Meta   string `json:"meta"`
	Object string `json:"object"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// pickUnit searches a unit picker by a name and picks the unit.
func pickUnit(folded string, unit int64) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS("#don_vi")),
		chromedp.Clear(chromedp.CSS("#don_vi")),
		searchPicker(chromedp.CSS("#don_vi"), folded),
		reloaded(chromedp.Click(chromedp.CSS(`#unit button[name=tim]`))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#unit .matches label[data-unit="%d"] input`, unit))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#unit .matches label[data-unit="%d"] input`, unit))),
	)
}

// reloaded runs act, which loads a new page, and waits until that new page
// is complete: a node of the old page read meanwhile would go stale.
//
// It waits as long as the tab may (a page can take long under load), but
// for a few seconds before the tab's deadline, to fail with what the old
// page saw: whether the click reached it, and where. A click is not lost
// without a cause: the one CI hung on landed off the screen, the page
// having moved under it (searchPicker). Clicking again is no cure: a
// search's button on the page it loaded makes the same address, which
// the browser only scrolls to (the #fragment), and no new page comes.
func reloaded(act chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](markOldPage)(ctx, tg); err != nil {
			return err
		}
		if _, err := act(ctx, tg); err != nil {
			return err
		}
		wait := ctx
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			wait, cancel = context.WithDeadline(ctx, dl.Add(-5*time.Second))
			defer cancel()
		}
		for {
			done, err := chromedp.Evaluate[bool](`document.readyState === "complete" && !document.body.dataset.old`)(wait, tg)
			if err == nil && done {
				return nil
			}
			select {
			case <-wait.Done():
				saw, err := chromedp.Evaluate[string](`document.body.dataset.old ? "the old page saw: " + (window.sotayOldPage || []).join("; ") : "a new page, not complete"`)(ctx, tg)
				return fmt.Errorf("no new page came (%s %v)", saw, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// markOldPage marks the page that reloaded leaves, and records the
// pointer's presses and clicks on it, and its submits, to say in a failure
// where a click went.
const markOldPage = `(() => {
  document.body.dataset.old = "1";
  const saw = window.sotayOldPage = [];
  for (const kind of ["mousedown", "click", "submit"]) addEventListener(kind, e => saw.push(kind + " on " +
    (e.target.tagName || "document").toLowerCase() + (e.target.id ? "#" + e.target.id : "") + (e.target.name ? "[name=" + e.target.name + "]" : "") +
    (e.clientY === undefined ? "" : " at " + Math.round(e.clientX) + "," + Math.round(e.clientY)) + ", scrolled to " + Math.round(scrollY)), true);
  return true;
})()`
