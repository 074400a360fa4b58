package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserMeetingJourney: the district office publishes the month's
// guidance; bithu.phutuc schedules the cell's meeting from it; dangvien
// finds the invitation and the agenda; the secretary takes the roll in
// meeting mode, types minutes while the network is down (nothing is lost:
// the server ends up with every word, once) and closes the meeting;
// danguy.phutuc sees the cell compliant for the month and another cell not.
func TestBrowserMeetingJourney(t *testing.T) {
	exe, m := browserDemo(t)
	w := newMeetingWorld(t, m)
	ctx, problems := openTab(t, exe, browserErrors, 150*time.Second)
	proxy := startSwitchProxy(t, m.Addr)
	base := "http://" + proxy.addr
	now := time.Now().In(vietnamZone)
	month := now.Format("2006-01")
	starts := now.Add(-time.Hour)
	const topic = "Sinh hoạt thường kỳ: học tập, làm theo gương Bác"
	run := stepRunner(t, ctx)
	text := func(sel string, a ...any) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel, a...)))
		if err != nil {
			t.Fatalf("text of %s: %v", fmt.Sprintf(sel, a...), err)
		}
		return s
	}

	// The district publishes the month's guidance.
	run("guidance",
		phone(),
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/don-vi/%d/sinh-hoat/huong-dan", base, w.district.ID)),
		chromedp.WaitVisible(css("#topics")),
		setValue("#month", month),
		typeText(css("#topics"), "Học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
		chromedp.Click(css("form#guidance button[type=submit]")),
		chromedp.WaitVisible(css("ul.guidance")),
	)
	var gs listJSON[struct {
		ID     int64    `json:"id"`
		UnitID int64    `json:"unit_id"`
		Topics []string `json:"topics"`
	}]
	// The list of earlier guidance is on the form's page too, so its being
	// visible does not mean the post was answered: ask until it shows (or
	// the test's deadline).
	var gid int64
	for gid == 0 && ctx.Err() == nil {
		w.secretary.do("GET", fmt.Sprintf("/api/v1/meeting-guidance?unit=%d&month=%s", w.cell, month), nil, &gs)
		for _, g := range gs.Items {
			if g.UnitID == w.district.ID && len(g.Topics) > 0 && g.Topics[0] == "Học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" {
				gid = g.ID
			}
		}
		if gid == 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if gid == 0 {
		t.Fatalf("the guidance typed in the browser does not reach the cell: %+v", gs.Items)
	}

	// The secretary schedules the meeting from it.
	run("schedule",
		browserSignIn(base, "bithu.phutuc", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/don-vi/%d/sinh-hoat", base, w.cell)),
		chromedp.WaitVisible(css("form#schedule")),
		setValue("#guidance_id", fmt.Sprint(gid)),
		setValue("#day", starts.Format("2006-01-02")),
		setValue("#time", starts.Format("15:04")),
		typeText(css("#place"), "Nhà văn hóa thôn Kim Lân"),
		setValue("#topic", ""),
		typeText(css("#topic"), topic),
		chromedp.Click(css("form#schedule button[type=submit]")),
		chromedp.WaitVisible(css("ol.agenda")),
	)
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(path, "/sinh-hoat/") {
		t.Fatalf("after scheduling: %q %v", path, err)
	}
	meetingPath := path

	// The member finds the invitation and the agenda.
	run("invitation",
		browserSignIn(base, "dangvien", demoPassword()),
		chromedp.Navigate(base+"/thong-bao"),
		chromedp.WaitVisible(css(`a[href="%s"]`, meetingPath)),
		chromedp.Click(css(`a[href="%s"]`, meetingPath)),
		chromedp.WaitVisible(css("ol.agenda")),
	)
	if h := text("h1"); h != topic {
		t.Errorf("the member's meeting page: %q, want %q", h, topic)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('ol.agenda > li').length`)); err != nil || n != 5 {
		t.Errorf("agenda items %d (%v), want the standard 5", n, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href$="/dieu-hanh"]').length`)); err != nil || n != 0 {
		t.Errorf("a member sees %d links to meeting mode", n)
	}

	// Meeting mode: the roll, minutes typed through a network failure.
	var roll rollJSON
	w.secretary.do("GET", "/api/v1"+strings.Replace(meetingPath, "/sinh-hoat/", "/meetings/", 1)+"/roll", nil, &roll)
	steps := []chromedp.Action[chromedp.Void]{
		browserSignIn(base, "bithu.phutuc", demoPassword()),
		chromedp.Navigate(base + meetingPath + "/dieu-hanh"),
		chromedp.WaitVisible(css("form#roll-form")),
	}
	for i, e := range roll.Expected {
		st := "present"
		if i == 0 {
			st = "excused"
			steps = append(steps, typeText(css(`input[name="reason_%d"]`, e.MemberID), "Đi công tác"))
		}
		steps = append(steps, chromedp.Click(css(`input[name="status_%d"][value="%s"]`, e.MemberID, st)))
	}
	steps = append(steps, chromedp.Click(css("form#roll-form button[type=submit]")), chromedp.WaitVisible(css("p.notice.ok")))
	run("roll", steps...)
	var after rollJSON
	w.secretary.do("GET", "/api/v1"+strings.Replace(meetingPath, "/sinh-hoat/", "/meetings/", 1)+"/roll", nil, &after)
	if q := text("p.quorum"); after.Present != len(roll.Expected)-1 || after.Excused != 1 ||
		!strings.Contains(q, fmt.Sprintf("%d/%d", after.Quorum.Full.Present, after.Quorum.Full.Expected)) {
		t.Errorf("the roll after saving: %+v; the page says %q", after, q)
	}

	minutes := "Đồng chí Bí thư khai mạc, 12 đồng chí có mặt; thảo luận sôi nổi về kế hoạch tháng tới."
	proxy.set(true) // the network goes down
	run("type offline", chromedp.SendKeys(css("#minutes_text"), minutes))
	waitJS := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s (%v)", what, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitJS("the failed save to be shown", `document.getElementById('autosave-state').className === 'notice error' && !!localStorage.getItem('sotay:mtg-`+strings.TrimPrefix(meetingPath, "/sinh-hoat/")+`')`)
	proxy.set(false) // and comes back: the script saves on its next try
	waitJS("the save after the network came back", `document.getElementById('autosave-state').className === 'notice ok' && !localStorage.getItem('sotay:mtg-`+strings.TrimPrefix(meetingPath, "/sinh-hoat/")+`')`)
	var mt meetingJSON
	w.secretary.do("GET", "/api/v1"+strings.Replace(meetingPath, "/sinh-hoat/", "/meetings/", 1), nil, &mt)
	if mt.Minutes != minutes {
		t.Errorf("the server's minutes %q, want exactly %q", mt.Minutes, minutes)
	}
	run("close",
		chromedp.Click(css("form#close-form button")),
		chromedp.WaitVisible(css("#amendments")),
	)

	// The commune's grid: the cell compliant this month, another not.
	var c complianceJSON
	w.committee.do("GET", fmt.Sprintf("/api/v1/units/%d/meeting-compliance", w.phuTuc.ID), nil, &c)
	var other int64
	for _, cell := range c.Cells {
		if last := cell.Months[len(cell.Months)-1]; cell.UnitID != w.cell && !last.Regular {
			other = cell.UnitID
			break
		}
	}
	if other == 0 {
		t.Fatal("every other cell of Phú Túc met this month: the demo leaves some for the grid")
	}
	run("compliance",
		browserSignIn(base, "danguy.phutuc", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/don-vi/%d/sinh-hoat/tong-hop", base, w.phuTuc.ID)),
		chromedp.WaitVisible(css("table.grid")),
	)
	for _, x := range []struct {
		unit  int64
		class string
	}{{w.cell, "ok"}, {other, "no"}} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('tr[data-unit="%d"] td[data-month="%s"]').className`, x.unit, month)))
		if err != nil || got != x.class {
			t.Errorf("cell %d in %s: class %q (%v), want %q", x.unit, month, got, err, x.class)
		}
	}
	checkPageErrors(t, problems)
}
