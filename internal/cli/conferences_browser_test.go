package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// switchProxy forwards TCP connections to the server on one fixed address
// (the browser's origin, and so its localStorage, stays the same) and can
// be cut and restored: while cut, it closes every connection it accepts.
type switchProxy struct {
	addr  string
	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func startSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &switchProxy{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			down := p.down
			p.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *switchProxy) set(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// TestBrowserConferenceOffline: a bridge point's host ticks a name on the
// roll; the network drops; the host ticks two more; they wait on the
// device; when the network returns each arrives exactly once, with the
// time it was ticked, not the time it was sent.
func TestBrowserConferenceOffline(t *testing.T) {
	exe, m := browserDemo(t)
	office := m.signIn(t, "vanphong")
	district, phuTuc := phuTucUnits(t, m)
	host := demoAccount(t, m, "bithu.phutuc")
	var c struct{ ID int64 }
	if st := office.do("POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị thử mất mạng", "starts_at": time.Now().Add(-5 * time.Minute),
		"host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc.ID}}, &c); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var points []struct{ ID int64 }
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c.ID), []map[string]any{{"unit_id": phuTuc.ID, "name": "Phú Túc", "host_account_id": host.ID}}, &points); st != 201 {
		t.Fatalf("points: %d", st)
	}
	bp := points[0].ID
	type rollItem struct {
		MemberID  int64      `json:"member_id"`
		CheckedIn bool       `json:"checked_in"`
		CheckedAt *time.Time `json:"checked_in_at"`
	}
	checked := func() map[int64]time.Time {
		var roll listJSON[rollItem]
		if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll?limit=500", c.ID, bp), nil, &roll); st != 200 {
			t.Fatalf("roll: %d", st)
		}
		out := map[int64]time.Time{}
		for _, it := range roll.Items {
			if it.CheckedIn {
				out[it.MemberID] = *it.CheckedAt
			}
		}
		return out
	}

	proxy := startSwitchProxy(t, m.Addr)
	base, direct := "http://"+proxy.addr, "http://"+m.Addr
	ctx := startChromium(t, exe)
	ctx, cancel := context.WithTimeout(ctx, browserLimit(t, 120*time.Second))
	defer cancel()
	page := fmt.Sprintf("%s/hoi-nghi/%d/diem-cau/%d", base, c.ID, bp)
	if err := chromedp.Do(ctx,
		phone(),
		browserSignIn(base, "bithu.phutuc", demoPassword()),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("#roll-form")),
	); err != nil {
		t.Fatal(err)
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	// tick checks the n first names not yet checked in and presses the
	// button; it answers their member ids.
	tick := func(n int) []int64 {
		t.Helper()
		var ids []int64
		s := eval(fmt.Sprintf(`(() => { const bs = [...document.querySelectorAll("#roll-form input[name=member]:not(:disabled)")].slice(0, %d);
			bs.forEach(b => b.checked = true); document.querySelector("#roll-form button[type=submit]").click(); return bs.map(b => b.value).join(","); })()`, n))
		for _, v := range splitIDs(s) {
			ids = append(ids, v)
		}
		if len(ids) != n {
			t.Fatalf("ticked %q, want %d names", s, n)
		}
		return ids
	}
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		pollUntil(t, what, 30*time.Second, 100*time.Millisecond, ok)
	}
	route := "POST /api/v1/conferences/{id}/checkins"
	queued := func() string {
		return eval(`String(JSON.parse(localStorage.getItem("sotay.checkins.` + fmt.Sprint(c.ID, ".", bp) + `") || "[]").length)`)
	}
	online := tick(1)
	waitUntil("the first check-in", func() bool { _, ok := checked()[online[0]]; return ok })
	// The server has it; the page may not have read the answer yet, and a
	// cut now would keep it queued to send again (at least once is the
	// queue's promise): wait until the page has let it go.
	waitUntil("the first check-in to leave the device", func() bool { return queued() == "0" })

	proxy.set(true)
	before := time.Now()
	sent := postsTo(t, direct, route)
	offline := tick(2)
	after := time.Now()
	waitUntil("the offline note", func() bool { return eval(`String(!document.getElementById("offline-note").hidden)`) == "true" })
	if q := queued(); q != "2" {
		t.Errorf("queued on the device: %s, want 2", q)
	}
	got := checked()
	for _, id := range offline {
		if _, ok := got[id]; ok {
			t.Errorf("member %d reached the server through a cut network", id)
		}
	}
	// No pause is needed before the network returns: a check-in sent
	// through the cut network never arrives, so one stamped when it
	// arrives is stamped after restored, which the check below refuses.
	restored := time.Now()
	proxy.set(false)
	waitUntil("the queued check-ins", func() bool {
		g := checked()
		_, a := g[offline[0]]
		_, b := g[offline[1]]
		return a && b
	})
	waitUntil("the device's queue to empty", func() bool {
		return queued() == "0"
	})
	got = checked()
	for _, id := range offline {
		at := got[id]
		if at.Before(before.Add(-time.Second)) || at.After(after.Add(time.Second)) || !at.Before(restored) {
			t.Errorf("member %d checked in at %s; ticked between %s and %s, sent after %s", id, at.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano), after.Format(time.RFC3339Nano), restored.Format(time.RFC3339Nano))
		}
	}
	if n := postsTo(t, direct, route) - sent; n != 2 {
		t.Errorf("the server received %d check-in requests after the network returned, want exactly 2", n)
	}
	if len(got) != 3 {
		t.Errorf("%d checked in, want 3", len(got))
	}
}

// postsTo is requestsTo for a POST route.
func postsTo(t *testing.T, base, route string) int {
	t.Helper()
	return answered(t, base, "POST", route)
}

func splitIDs(s string) []int64 {
	var out []int64
	var n int64
	in := false
	for _, r := range s + "," {
		if r >= '0' && r <= '9' {
			n, in = n*10+int64(r-'0'), true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
	}
	return out
}

// TestBrowserConferenceBoard: the live board in a browser follows the
// check-ins as they arrive (server-sent events), without a reload.
func TestBrowserConferenceBoard(t *testing.T) {
	exe, m := browserDemo(t)
	office := m.signIn(t, "vanphong")
	district, phuTuc := phuTucUnits(t, m)
	var c struct{ ID int64 }
	if st := office.do("POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị thử bảng", "starts_at": time.Now().Add(time.Hour),
		"host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc.ID}}, &c); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var points []struct{ ID int64 }
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c.ID), []map[string]any{{"unit_id": phuTuc.ID, "name": "Phú Túc"}}, &points); st != 201 {
		t.Fatalf("points: %d", st)
	}
	var roll listJSON[struct {
		MemberID int64 `json:"member_id"`
	}]
	office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll?limit=3", c.ID, points[0].ID), nil, &roll)
	if len(roll.Items) < 3 {
		t.Fatalf("roll: %+v", roll)
	}
	base := "http://" + m.Addr
	ctx := startChromium(t, exe)
	ctx, cancel := context.WithTimeout(ctx, browserLimit(t, 90*time.Second))
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)),
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/hoi-nghi/%d/bang", base, c.ID)),
		chromedp.WaitVisible(chromedp.CSS("#board")),
	); err != nil {
		t.Fatal(err)
	}
	shown := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-f='total-present']").textContent + "/" + document.querySelector("tr[data-bp] [data-f='present']").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := shown(); s != "0/0" {
		t.Fatalf("the board before any check-in shows %s", s)
	}
	for i, it := range roll.Items {
		if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", c.ID), map[string]any{"member_id": it.MemberID, "bridge_point_id": points[0].ID}, nil); st != 201 {
			t.Fatalf("check-in: %d", st)
		}
		want := fmt.Sprintf("%d/%d", i+1, i+1)
		deadline := time.Now().Add(15 * time.Second)
		for shown() != want {
			if time.Now().After(deadline) {
				t.Fatalf("the board shows %s, want %s", shown(), want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
