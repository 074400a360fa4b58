package cli

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// openTab is a browser test's opening: a tab of the shared Chromium (see
// startChromium), the errors its pages log as errs collects them
// (pageErrors or browserErrors), and the tab's context bounded by
// browserLimit(t, limit), cancelled when the test ends.
func openTab(t *testing.T, exe string, errs func(*testing.T, context.Context) func() []string, limit time.Duration) (context.Context, func() []string) {
	t.Helper()
	ctx := startChromium(t, exe)
	problems := errs(t, ctx)
	ctx, cancel := context.WithTimeout(ctx, browserLimit(t, limit))
	t.Cleanup(cancel)
	return ctx, problems
}

// css is a CSS selector written with fmt.Sprintf.
func css(format string, args ...any) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(format, args...)) }

// setValue sets the value of the field sel as a script would (a date or
// time input a keyboard cannot fill alike in every locale), failing when
// there is no such field or it refuses v.
func setValue(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`(function(){var e=document.querySelector(%q); if(!e) return false; e.value=%q; return e.value===%q})()`, sel, v, v))(ctx, tg)
		if err == nil && !ok {
			err = fmt.Errorf("could not set %s to %q", sel, v)
		}
		return err
	})
}

// stepRunner answers run(what, steps...): the steps in the tab, the test
// stopped with what when one fails.
func stepRunner(t *testing.T, ctx context.Context) func(what string, steps ...chromedp.Action[chromedp.Void]) {
	return func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// browserDemo is a browser test's opening: in parallel with the package's
// other tests, the Chromium to drive (or the test skipped, chromiumPath)
// and a copy of the demo district.
func browserDemo(t *testing.T) (exe string, m *Main) {
	t.Helper()
	t.Parallel()
	exe = chromiumPath(t)
	return exe, startDemo(t)
}

// phone is the screen the journeys run on: a phone 390 CSS pixels wide,
// at two device pixels per CSS pixel (headless windows are at least 500
// pixels wide, so it is emulated).
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2))
}

// typeText types text into the field sel as a phone's on-screen keyboard
// does: the field, once visible, is focused and the text inserted at the
// caret in one go (Input.insertText: one input event, as an IME commits
// it). chromedp.SendKeys sends three key events a character, each a round
// trip to the renderer: the journeys typed about 1,800 characters, 5,400
// of their 11,000 DevTools calls. No page script listens for keys; the
// fields where a script acts on each input event as one types (a unit
// picker's search, the meeting minutes' autosave) are still typed key by
// key with SendKeys.
func typeText(sel chromedp.CSS, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Focus(sel, chromedp.NodeVisible),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
			return err
		}),
	)
}

// searchPicker types text into the search box sel of a unit picker key by
// key (its script acts on each input event), and waits until the script
// has put the matches for the whole text in place (picker.js: the list is
// aria-busy until then). The new list is taller or shorter than the old
// one and the page moves with it: Chromium scrolled to keep in place what
// is below the list, so the search button above it went off the screen. A
// click meanwhile lands where the button was: CI hung nine minutes in
// TestBrowserAssignAndForwardByName on such a lost click (the page of the
// search never came), and a run of it forty times under load lost one,
// its mouse event at y = -360 on the bare document.
func searchPicker(sel chromedp.CSS, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SendKeys(sel, text),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`!document.querySelector(%q).closest('fieldset[data-picker]').querySelector('.matches[aria-busy]')`, string(sel)),
			chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(0)),
	)
}
