package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserFourGoodJourney: on a phone-sized screen, a cell registers,
// scores itself and submits; the commune lowers one criterion with a
// reason; the district finalises; the results show the cell's level and
// rank.
func TestBrowserFourGoodJourney(t *testing.T) {
	exe, m := browserDemo(t)
	district, commune, cell, _ := fgPhuTuc(t, m)
	var f fgFrameworkJSON
	if st := m.signIn(t, "vanphong").do("POST", "/api/v1/frameworks", fgBody(district.ID, 2030, "2030-03-31"), &f); st != 201 {
		t.Fatalf("create: %d", st)
	}
	ctx, problems := openTab(t, exe, pageErrors, 120*time.Second)
	base := "http://" + m.Addr
	signIn := func(user string) []chromedp.Action[chromedp.Void] { return formSignIn(base, user, "/chi-bo-4-tot") }
	signOut := []chromedp.Action[chromedp.Void]{chromedp.Click(css("form.signout button")), chromedp.WaitVisible(css("#username"))}
	// score types the points and waits for the page that shows them saved.
	score := func(code, points, saved string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(css(`input[id="p-%s"]`, code)),
			typeText(css(`input[id="p-%s"]`, code), points),
			chromedp.Click(css(`tr[id="c-%s"] form.fg-score button`, code)),
			chromedp.WaitVisible(css(`input[id="p-%s"][value="%s"]`, code, saved)),
		}
	}
	submit := []chromedp.Action[chromedp.Void]{chromedp.Click(css(`form[action$="/gui"] button`)), chromedp.WaitNotPresent(css(`form[action$="/gui"]`))}
	steps := []chromedp.Action[chromedp.Void]{phone()}
	steps = append(steps, signIn("bithu.phutuc")...)
	steps = append(steps,
		chromedp.Click(css(`a[href="/chi-bo-4-tot"]`)),
		chromedp.WaitVisible(css(`a[href="/chi-bo-4-tot/khung/%d"]`, f.ID)),
		chromedp.Click(css(`a[href="/chi-bo-4-tot/khung/%d"]`, f.ID)),
		chromedp.WaitVisible(css(`#unit_id`)),
		chromedp.SetValue(css(`#unit_id`), fmt.Sprint(cell)),
		chromedp.Click(css(`form[action$="/dang-ky"] button`)),
	)
	steps = append(steps, score("1.1", "28,5", "28.5")...)
	steps = append(steps, score("1.2", "20", "20")...)
	steps = append(steps, score("2", "45", "45")...)
	steps = append(steps, submit...)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("the cell's part: %v (%v)", err, problems())
	}
	sheet, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(sheet, "/chi-bo-4-tot/bieu/") {
		t.Fatalf("the scoresheet's address: %q %v", sheet, err)
	}
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); err != nil || wide {
		t.Errorf("the scoresheet is wider than a 390 px screen (%v)", err)
	}
	steps = append([]chromedp.Action[chromedp.Void]{}, signOut...)
	steps = append(steps, signIn("danguy.phutuc")...)
	steps = append(steps,
		chromedp.Navigate(base+sheet),
		chromedp.WaitVisible(css(`input[id="p-2"]`)),
		typeText(css(`input[id="p-2"]`), "35"),
		typeText(css(`input[id="r-2"]`), "Thiếu hai buổi sinh hoạt chuyên đề"),
		chromedp.Click(css(`tr[id="c-2"] form.fg-score button`)),
		chromedp.WaitVisible(css(`input[id="p-2"][value="35"]`)),
	)
	steps = append(steps, submit...)
	steps = append(steps, signOut...)
	steps = append(steps, signIn("vanphong")...)
	steps = append(steps,
		chromedp.Navigate(base+sheet),
		chromedp.WaitVisible(css(`form[action$="/gui"] button`)),
	)
	steps = append(steps, submit...)
	steps = append(steps,
		chromedp.Navigate(fmt.Sprintf("%s/chi-bo-4-tot/khung/%d/ket-qua?unit=%d", base, f.ID, commune.ID)),
		chromedp.WaitVisible(css(`table.fg-results tr[data-unit="%d"]`, cell)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("review and finalisation: %v (%v)", err, problems())
	}
	row, err := chromedp.Run(ctx, chromedp.Text(css(`table.fg-results tr[data-unit="%d"]`, cell)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1", "93.5", "83.5", "Hoàn thành", "Hoàn tất"} {
		if !strings.Contains(row, want) {
			t.Errorf("the results row %q lacks %q", row, want)
		}
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("page errors: %v", p)
	}
}
