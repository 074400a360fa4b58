package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserOutbreakJourney is issue 14's journey on a 390-pixel phone:
// Phú Túc's committee opens a focus in a village and pastes its zone (the
// map previewed on the form), reports the day's cases, names the
// commander and the village's cell as forces, mobilises two members and
// asks the district for funds; dangvien confirms the shift from the
// handbook; the district office approves and disburses a week late; the
// district board shows the focus on its map and the late funding; 14
// days after the last case the commune closes the focus.
func TestBrowserOutbreakJourney(t *testing.T) {
	exe, m := browserDemo(t)
	w := newOutbreakWorld(t, m)
	clock := newTaskClock(m, "2026-09-07") // a Monday
	ctx, problems := openTab(t, exe, browserErrors, 180*time.Second)
	base := "http://" + m.Addr
	run := stepRunner(t, ctx)
	eval := func(js string) bool {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return ok
	}
	narrow := func(where string) {
		t.Helper()
		if width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || width > 390 {
			t.Errorf("%s: %d px wide on a 390 px phone (%v)", where, width, err)
		}
	}

	// Open the focus: the zone pasted, the place forgotten at first: the
	// form comes back with the zone's preview.
	run("the form with a zone",
		phone(),
		browserSignIn(base, "danguy.phutuc", demoPassword()),
		chromedp.Navigate(base+"/o-dich"),
		chromedp.WaitVisible(css("form#ob-open")),
		chromedp.Click(css(`input[name="unit_id"][value="%d"]`, w.village)),
		setValue("#opened_on", "2026-09-07"),
		setValue("#first_case_on", "2026-09-05"),
		setValue("#zone", phuTucZone),
		chromedp.Click(css("form#ob-open button[type=submit]:not([formmethod])")),
		chromedp.WaitVisible(css("figure.ob-map svg.geo-map path.focus.preview")),
	)
	narrow("the form with its preview")
	run("open",
		typeText(css("#place"), "Thôn Đồng Phú, xóm 3"),
		chromedp.Click(css("form#ob-open button[type=submit]:not([formmethod])")),
		chromedp.WaitVisible(css("form#f-bao-cao")),
	)
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(path, "/o-dich/") {
		t.Fatalf("after opening: %q %v", path, err)
	}
	focus := path
	if !eval(fmt.Sprintf(`!!document.querySelector('#vung svg a[href="%s"] path.focus.active')`, focus)) {
		t.Errorf("the focus page does not draw its zone, linked")
	}
	narrow("the focus page")

	// The day's figures, then the four on-site.
	run("report",
		setValue("#on", "2026-09-07"),
		setValue("#new_cases", "3"),
		setValue("#recovered", "0"),
		typeText(css("#actions"), "Phun hóa chất 120 hộ, diệt lăng quăng."),
		chromedp.Click(css("form#f-bao-cao button[type=submit]")),
		chromedp.WaitVisible(css("table.ob-reports")),
	)
	run("on-site",
		setValue("#command", fmt.Sprint(w.mate)),
		setValue("#phone", "0912 000 111"),
		setValue("#fw0", fmt.Sprintf("u%d", w.village)),
		setValue("#fr0", "Chi bộ thôn"),
		setValue("#fc0", "12"),
		setValue("#means", "Máy phun hóa chất: 2\nHóa chất diệt muỗi (lít): 40"),
		setValue("#logistics", "Suất ăn: 30"),
		chromedp.Click(css("form#f-tai-cho button[type=submit]")),
		// The form shows the recorded forces and two blank rows: #fw2
		// exists only on the page after the save (#fw1 was there before
		// it, and waiting for it let the next step run on a page still
		// loading).
		chromedp.WaitVisible(css("#fw2")),
	)
	var f focusJSON
	api := m.signIn(t, "danguy.phutuc")
	id := strings.TrimPrefix(focus, "/o-dich/")
	waitFocus := func(what string, ok func() bool) {
		t.Helper()
		for ctx.Err() == nil {
			if api.do("GET", "/api/v1/outbreaks/"+id, nil, &f) == 200 && ok() {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: the focus is %+v", what, f)
	}
	waitFocus("the four on-site", func() bool { return f.OnSite.Command != nil && len(f.OnSite.Forces) == 1 && len(f.Gaps) == 0 })

	// Two members to a shift tomorrow morning.
	run("shift",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`(function(){var n=0; for (const o of document.querySelectorAll('#member option')) { o.selected = o.value==='%d' || o.value==='%d'; if (o.selected) n++ } return n===2})()`, w.dangvien, w.mate))(ctx, tg)
			if err == nil && !ok {
				err = fmt.Errorf("the two members are not in the list")
			}
			return err
		}),
		setValue("#role", "Diệt lăng quăng"),
		setValue("#day", "2026-09-08"),
		setValue("#from", "07:00"),
		setValue("#to", "11:00"),
		chromedp.Click(css("form#f-ca-truc button[type=submit]")),
		chromedp.WaitVisible(css("#ca-truc ul.ob-shifts")),
	)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#ca-truc ul.ob-shifts li').length`)); err != nil || n != 2 {
		t.Errorf("shifts on the focus page: %d (%v), want 2", n, err)
	}

	// Funds from the district, needed by Friday.
	run("funding",
		setValue("#amount", "50.000.000"),
		typeText(css("#purpose"), "Mua hóa chất và thuê máy phun"),
		setValue("#needed_by", "2026-09-11"),
		setValue("#to_unit_id", fmt.Sprint(w.district.ID)),
		chromedp.Click(css("form#f-kinh-phi button[type=submit]")),
		chromedp.WaitVisible(css("ul.ob-funding")),
	)
	waitFocus("the funding", func() bool { return len(f.Funding) == 1 })
	if fu := f.Funding[0]; fu.Amount != 50_000_000 || fu.TaskID == 0 || fu.State != "requested" || fu.DueOn != "2026-09-11" {
		t.Fatalf("the funding request: %+v", fu)
	}
	taskID := f.Funding[0].TaskID

	// dangvien confirms the shift from the handbook.
	run("confirm",
		browserSignIn(base, "dangvien", demoPassword()),
		chromedp.WaitVisible(css("#ca-truc form button")),
		chromedp.Click(css("#ca-truc form button")),
		chromedp.WaitVisible(css("#ca-truc .ok")),
	)
	narrow("the handbook with a shift")
	var mine listJSON[struct {
		OutbreakID  int64   `json:"outbreak_id"`
		ConfirmedAt *string `json:"confirmed_at"`
	}]
	if st := m.signIn(t, "dangvien").do("GET", "/api/v1/duties/mine", nil, &mine); st != 200 {
		t.Fatalf("dangvien's shifts: %d", st)
	}
	confirmed := false
	for _, d := range mine.Items {
		confirmed = confirmed || fmt.Sprint(d.OutbreakID) == id && d.ConfirmedAt != nil
	}
	if !confirmed {
		t.Errorf("dangvien's shift on the focus is not confirmed: %+v", mine.Items)
	}

	// The district approves on Wednesday and disburses the next Tuesday:
	// past the Friday it was due.
	office := m.signIn(t, "vanphong")
	clock.On("2026-09-09")
	if st := office.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", taskID), map[string]any{"action": "accept"}, nil); st != 201 {
		t.Fatalf("approve: %d", st)
	}
	clock.On("2026-09-15")
	if st := office.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", taskID), map[string]any{"action": "complete", "note": "Đã chuyển kinh phí"}, nil); st != 201 {
		t.Fatalf("disburse: %d", st)
	}

	// The board: the focus on the map, Phú Túc's funding late.
	run("board",
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/o-dich/bang?unit=%d", base, w.district.ID)),
		chromedp.WaitVisible(css("#ban-do svg.geo-map")),
	)
	if !eval(fmt.Sprintf(`!!document.querySelector('#ban-do svg a[href="%s"] path.focus')`, focus)) {
		t.Errorf("the board's map lacks the focus, linked")
	}
	if !eval(`Array.from(document.querySelectorAll('table.ob-board tr.late th')).some(th => th.textContent === 'Đảng bộ xã Phú Túc')`) {
		t.Errorf("the board does not show Phú Túc's funding late")
	}
	narrow("the board")
	if !eval(`!!document.querySelector('a[download][href^="/api/v1/outbreaks/board.xlsx?"]')`) {
		t.Errorf("the board lacks its .xlsx link")
	}
	// Following the map's link opens the focus.
	run("from the map",
		chromedp.Navigate(base+focus),
		chromedp.WaitVisible(css("ul.ob-funding li.late")),
	)

	// 14 days after the last case (09-07) the commune closes the focus.
	clock.On("2026-09-21")
	run("close",
		browserSignIn(base, "danguy.phutuc", demoPassword()),
		chromedp.Navigate(base+focus),
		chromedp.WaitVisible(css("form#f-dong")),
		chromedp.Click(css("form#f-dong button[type=submit]")),
		chromedp.WaitNotPresent(css("form#f-dong")),
	)
	waitFocus("closing", func() bool { return f.State == "closed" })
	if f.ClosedEarly {
		t.Errorf("closed early: %+v", f)
	}
	for _, p := range problems() {
		t.Errorf("browser: %s", p)
	}
}
