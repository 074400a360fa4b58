package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReportRequestJourney: on a phone-sized screen, the district
// office asks its communes for a report; Phú Túc's committee opens the
// draft the handbook wrote from its own data, edits it and sends it; the
// office sees Phú Túc as sent on time, the others as not sent, and opens
// what was sent.
func TestBrowserReportRequestJourney(t *testing.T) {
	exe, m := browserDemo(t)
	district, phuTuc := phuTucUnits(t, m)
	ctx, problems := openTab(t, exe, pageErrors, 120*time.Second)
	base := "http://" + m.Addr
	signIn := func(user string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/dang-nhap"),
			chromedp.WaitVisible(css("#username")),
			typeText(css("#username"), user),
			typeText(css("#password"), demoPassword()),
			chromedp.Click(css("main button[type=submit]")),
			chromedp.WaitVisible(css("form.signout")),
		}
	}
	signOut := []chromedp.Action[chromedp.Void]{chromedp.Click(css("form.signout button")), chromedp.WaitVisible(css("#username"))}
	const title = "Báo cáo sơ kết công tác quý IV"
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)}
	steps = append(steps, signIn("vanphong")...)
	steps = append(steps,
		chromedp.Navigate(fmt.Sprintf("%s/bao-cao?unit=%d", base, district.ID)),
		chromedp.Click(css(`a[href="/bao-cao/moi?unit=%d"]`, district.ID)),
		chromedp.WaitVisible(css("#title")),
		typeText(css("#title"), title),
		chromedp.SetValue(css("#period_from"), "2026-10-01"),
		chromedp.SetValue(css("#period_to"), "2026-12-31"),
		typeText(css("#workdays"), "5"),
		chromedp.Click(css("form.report-new button[type=submit]")),
		chromedp.WaitVisible(css(`table.report-units tr[data-unit="%d"]`, phuTuc.ID)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("the request: %v (%v)", err, problems())
	}
	req, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(req, "/bao-cao/") {
		t.Fatalf("the request's address: %q %v", req, err)
	}
	steps = append([]chromedp.Action[chromedp.Void]{}, signOut...)
	steps = append(steps, signIn("danguy.phutuc")...)
	steps = append(steps,
		chromedp.Navigate(base+req),
		chromedp.Click(css(`tr[data-unit="%d"] a[href$="/gui?unit=%d"]`, phuTuc.ID, phuTuc.ID)),
		chromedp.WaitVisible(css("form.report-send #body")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("the draft: %v (%v)", err, problems())
	}
	draft, err := chromedp.Run(ctx, chromedp.Value(css("#body")))
	if err != nil || !strings.Contains(draft, "Phú Túc") {
		t.Fatalf("the draft does not speak of Phú Túc (%v):\n%s", err, draft)
	}
	members, err := chromedp.Run(ctx, chromedp.Value(css(`input[id="fig-members.total"]`)))
	if err != nil || members == "" || members == "0" {
		t.Errorf("the draft's member figure: %q (%v), want Phú Túc's members", members, err)
	}
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); err != nil || wide {
		t.Errorf("the draft is wider than a 390 px screen (%v)", err)
	}
	const added = "Đảng ủy xã đề nghị cấp trên hỗ trợ kinh phí."
	err = chromedp.Do(ctx,
		typeText(css("#body"), "\n"+added),
		chromedp.Click(css("form.report-send button[type=submit]")),
	)
	if err != nil {
		t.Fatalf("send: %v (%v)", err, problems())
	}
	// The form page has a heading too: wait for the submission's page
	// (an evaluation cut by the navigation is asked again).
	pollUntil(t, "the submission's page", 30*time.Second, 100*time.Millisecond, func() bool {
		path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		return err == nil && strings.Contains(path, "/bai/")
	})
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css("main h1"))); err != nil {
		t.Fatalf("the submission's page: %v (%v)", err, problems())
	}
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + " " + document.querySelector("main").innerText`))
	if err != nil || !strings.Contains(sent, "/bai/") || !strings.Contains(sent, added) {
		t.Fatalf("after sending, the page %q (%v), want the submission with the added line", sent, err)
	}
	steps = append([]chromedp.Action[chromedp.Void]{}, signOut...)
	steps = append(steps, signIn("vanphong")...)
	steps = append(steps,
		chromedp.Navigate(base+req),
		chromedp.WaitVisible(css(`tr[data-unit="%d"] td.status-sent`, phuTuc.ID)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("the office's view: %v (%v)", err, problems())
	}
	row, err := chromedp.Run(ctx, chromedp.Text(css(`tr[data-unit="%d"]`, phuTuc.ID)))
	if err != nil || !strings.Contains(row, "Đã gửi đúng hạn") {
		t.Errorf("Phú Túc's row %q (%v), want sent on time", row, err)
	}
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.report-units td.status-missing").length`))
	if err != nil || missing == 0 {
		t.Errorf("units not sent: %d (%v), want the other communes", missing, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`tr[data-unit="%d"] a[href*="/bai/"]`, phuTuc.ID)),
		chromedp.WaitVisible(css("main h1")),
	)
	if err != nil {
		t.Fatalf("open the submission: %v", err)
	}
	if text, err := chromedp.Run(ctx, chromedp.Text(css("main"))); err != nil || !strings.Contains(text, added) {
		t.Errorf("the office reads %q (%v), want what Phú Túc sent", text, err)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("page errors: %v", p)
	}
}
