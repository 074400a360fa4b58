package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// browserErrors collects what the pages log as errors (a CSP violation, a
// script exception), leaving out the network's own messages (a 404 that a
// journey asks for on purpose, requests that fail while offline).
func browserErrors(t *testing.T, ctx context.Context) func() []string {
	return collectErrors(t, ctx, func(e *cdplog.Entry) (string, bool) {
		return string(e.Source) + ": " + e.Text, e.Level == cdplog.EntryLevelError && e.Source != cdplog.EntrySourceNetwork
	})
}

// browserSignIn signs in through the form (after signing out whoever is
// signed in) and lands on the handbook's home page.
func browserSignIn(base, user, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/dang-nhap?next=/so-tay"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// Signed in already: sign out first.
			path, err := chromedp.Evaluate[string](`location.pathname`)(ctx, t)
			if err != nil || path != "/so-tay" {
				return err
			}
			if _, err := chromedp.Click(chromedp.CSS("form.signout button"))(ctx, t); err != nil {
				return err
			}
			if _, err := chromedp.WaitVisible(chromedp.CSS("#username"))(ctx, t); err != nil {
				return err
			}
			_, err = chromedp.Navigate(base+"/dang-nhap?next=/so-tay")(ctx, t)
			return err
		}),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		typeText(chromedp.CSS("#username"), user),
		typeText(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/tim-kiem"]`)),
	)
}

// requestsTo returns how many requests the server answered for a route
// pattern, from its /metrics.
func requestsTo(t *testing.T, base, route string) int {
	t.Helper()
	return answered(t, base, "GET", route)
}

// answered counts the requests of method the server answered for a route
// pattern, from its /metrics.
func answered(t *testing.T, base, method, route string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n := 0
	re := regexp.MustCompile(`sotay_http_requests_total\{method="` + method + `",route="` + regexp.QuoteMeta(route) + `",status="\d+"\} (\d+)`)
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n
}

// TestBrowserHandbookJourney drives headless Chromium on a phone-sized
// screen: the district office publishes a directive to commune Phú Túc
// through the form; dangvien, a member of a Phú Túc cell, sees it unread on
// the handbook's home page and opens it; the office's read-rate page shows
// the rate rise; a member of commune Châu Can neither sees it nor finds it.
func TestBrowserHandbookJourney(t *testing.T) {
	exe, m := browserDemo(t)
	w := newHandbookWorld(t, m)
	ctx, problems := openTab(t, exe, browserErrors, 120*time.Second)
	base := "http://" + m.Addr
	shot := screenshotter(t, "handbook-")
	const title = "Chỉ thị về tăng cường kỷ luật, kỷ cương trong giải quyết công việc"
	rate := func() string {
		s, err := chromedp.Run(ctx, chromedp.Text(css(".figures .figure strong")))
		if err != nil {
			t.Fatalf("read rate: %v", err)
		}
		return s
	}

	// The office publishes through the form.
	err := chromedp.Do(ctx,
		phone(),
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(base+"/van-ban/moi"),
		chromedp.WaitVisible(css("#f-title")),
		chromedp.SetValue(css("#f-type"), "CT"),
		chromedp.Clear(css("#f-issuer_code")), // filled in from the publisher; typed again as a clerk would
		typeText(css("#f-issuer_code"), "HU"),
		typeText(css("#f-title"), title),
		typeText(css("#f-summary"), "Siết chặt kỷ luật, kỷ cương"),
		typeText(css("#f-body"), "Các cấp ủy **quán triệt** nghiêm túc.\n\nBáo cáo kết quả trước ngày 30/11."),
		chromedp.SetValue(css("#f-audience_unit_id"), strconv.FormatInt(w.phuTuc.ID, 10)),
		shot("1-publish-form"),
		chromedp.Click(css("form.form button[type=submit]")),
		chromedp.WaitVisible(css("h1.doc-title")),
		shot("2-published"),
	)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	docPath := strings.TrimPrefix(loc, base)
	if !regexp.MustCompile(`^/van-ban/\d+$`).MatchString(docPath) {
		t.Fatalf("after publishing: at %s", loc)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+docPath+"/da-doc"), chromedp.WaitVisible(css("svg.rate-chart"))); err != nil {
		t.Fatalf("read-rate page: %v", err)
	}
	if before := rate(); before != "0%" {
		t.Errorf("read rate before anyone read: %q", before)
	}

	// The member sees it unread, opens it from the home page.
	err = chromedp.Do(ctx,
		browserSignIn(base, "dangvien", demoPassword()),
		chromedp.WaitVisible(css(`li.unread a[href="%s"]`, docPath)),
		shot("3-home-unread"),
		chromedp.Click(css(`li.unread a[href="%s"]`, docPath)),
		chromedp.WaitVisible(css("h1.doc-title")),
		shot("4-document"),
	)
	if err != nil {
		t.Fatalf("member: %v", err)
	}
	if h, err := chromedp.Run(ctx, chromedp.Text(css("h1.doc-title"))); err != nil || !strings.Contains(h, title) {
		t.Errorf("document title %q (%v)", h, err)
	}
	if head, err := chromedp.Run(ctx, chromedp.Text(css(".doc-head"))); err != nil || !strings.Contains(head, "ĐẢNG CỘNG SẢN VIỆT NAM") || !strings.Contains(head, "HUYỆN ỦY PHÚ XUYÊN") {
		t.Errorf("document header %q (%v)", head, err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/so-tay"), chromedp.WaitVisible(css("#h-new")))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('li.unread a[href="%s"]').length`, docPath))); err != nil || n != 0 {
		t.Errorf("still unread on the home page after reading: %d (%v)", n, err)
	}

	// The office sees the rate rise.
	err = chromedp.Do(ctx,
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(base+docPath+"/da-doc"),
		chromedp.WaitVisible(css("svg.rate-chart")),
		shot("5-read-rate"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if after := rate(); after == "0%" || after == "" {
		t.Errorf("read rate after the member read: %q", after)
	}
	if bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('svg.rate-chart rect.fill')].filter(r => r.getBBox().width > 0).length`)); err != nil || bars != 1 {
		t.Errorf("bars above zero: %d (%v), want the member's cell only", bars, err)
	}

	// A member of Châu Can: not on the home page, not in the library, not
	// found by search, not found at its address.
	err = chromedp.Do(ctx,
		browserSignIn(base, "dangvien.chaucan", "một mật khẩu dài"),
		chromedp.Navigate(base+"/tim-kiem?q="+strings.ReplaceAll("chi thi ky cuong", " ", "+")),
		chromedp.WaitVisible(css("#q")),
		shot("6-other-commune-search"),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/so-tay", "/van-ban", "/tim-kiem?q=chi+thi+ky+cuong", "/tim-kiem?q=01-CT%2FHU"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(css("main"))); err != nil {
			t.Fatal(err)
		}
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(html, docPath) || strings.Contains(html, title) {
			t.Errorf("the Châu Can member sees the directive on %s", path)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+docPath), chromedp.WaitVisible(css("main"))); err != nil {
		t.Fatal(err)
	}
	if h, _ := chromedp.Run(ctx, chromedp.Text(css("main"))); strings.Contains(h, title) || !strings.Contains(h, "Không tìm thấy") {
		t.Errorf("the Châu Can member at the directive's address sees %q", h)
	}
	checkPageErrors(t, problems)
}

// TestBrowserOfflineDocument: a member opens a document; once the service
// worker controls the page and has kept it, the network is cut and the
// page reloaded: the title and the text are still there, served by the
// worker (the server sees no request for it).
func TestBrowserOfflineDocument(t *testing.T) {
	exe, m := browserDemo(t)
	w := newHandbookWorld(t, m)
	const title = "Nghị quyết về nâng cao chất lượng sinh hoạt chi bộ"
	const text = "Mỗi chi bộ sinh hoạt định kỳ mỗi tháng một lần"
	d := w.publish(t, w.phuTuc.ID, title, text+".\n\nCác chi bộ báo cáo kết quả hằng quý.")
	docPath := fmt.Sprintf("/van-ban/%d", d.ID)
	ctx, problems := openTab(t, exe, browserErrors, 120*time.Second)
	proxy := startCutProxy(t, m.Addr)
	base, direct := "http://"+proxy.addr, "http://"+m.Addr
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		phone(),
		browserSignIn(base, "dangvien", demoPassword()),
		chromedp.Navigate(base+docPath),
		chromedp.WaitVisible(css("h1.doc-title")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The worker installs, takes the page over and keeps the pages that
	// were open: poll from the test (the page's CSP does not apply here).
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s (%v)", what, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("the service worker to control the page", `Promise.resolve(!!navigator.serviceWorker.controller)`)
	waitFor("the document to be kept", `caches.open('sotay-pages').then(c => c.match(location.href)).then(r => !!r)`)
	waitFor("the shell to be kept", `caches.keys().then(ks => ks.some(k => k.startsWith('sotay-shell-')))`)

	served := requestsTo(t, direct, "GET /van-ban/{id}")
	// Cut the network: the browser reaches the server only through a
	// proxy that the test now closes, so every request of the page and of
	// its service worker is refused. (DevTools' network emulation is not
	// used: packaged Chromium builds refuse some of its calls.)
	proxy.cut()
	if resp, err := http.Get(base + docPath); err == nil {
		resp.Body.Close()
		t.Fatalf("the server is still reachable through the cut proxy")
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(css("h1.doc-title"))); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	h, err := chromedp.Run(ctx, chromedp.Text(css("h1.doc-title")))
	if err != nil || !strings.Contains(h, title) {
		t.Errorf("offline title %q (%v)", h, err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(css(".doc-body")))
	if err != nil || !strings.Contains(body, text) {
		t.Errorf("offline text %q (%v)", body, err)
	}
	if n := requestsTo(t, direct, "GET /van-ban/{id}"); n != served {
		t.Errorf("the server answered %d requests for the document while the browser was offline", n-served)
	}
	// A page never opened: the offline page, in Vietnamese.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/tin-tuc/999"), chromedp.WaitVisible(css("main h1"))); err != nil {
		t.Fatalf("offline page: %v", err)
	}
	if h, _ := chromedp.Run(ctx, chromedp.Text(css("main h1"))); h != "Không có kết nối mạng" {
		t.Errorf("a page never opened, offline: %q", h)
	}
	if errs := problems(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %v", errs)
	}
}

// cutProxy forwards TCP connections to the server until cut, after which
// it refuses new connections and has closed the open ones: the network is
// gone for the browser, whatever its build supports.
type cutProxy struct {
	addr   string
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(p.cut)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			if p.closed {
				p.mu.Unlock()
				c.Close()
				up.Close()
				return
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *cutProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
