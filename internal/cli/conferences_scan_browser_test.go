package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// qrModules reads back the dark modules of a pass's QR code as the page
// draws it (qr.SVG: a viewBox of n×n modules, quiet zone
// included, and one path of "M x yh1v1h-1z" squares).
func qrModules(t *testing.T, svg string) [][]bool {
	t.Helper()
	vb := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if vb == nil || vb[1] != vb[2] {
		t.Fatalf("no square viewBox in the pass's QR code: %.200s", svg)
	}
	n, _ := strconv.Atoi(vb[1])
	if n < 21 || n > 200 {
		t.Fatalf("a QR code of %d modules", n)
	}
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	dark := 0
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		if x >= n || y >= n {
			t.Fatalf("module %d,%d outside %d×%d", x, y, n, n)
		}
		grid[y][x] = true
		dark++
	}
	if dark == 0 {
		t.Fatalf("no dark module in the pass's QR code: %.200s", svg)
	}
	return grid
}

// writeY4M writes a short video for Chromium's fake camera
// (--use-file-for-fake-video-capture): frames of 640×480 in YUV 4:2:0,
// the QR code black on white in the middle with a white margin around its
// own quiet zone; the colour planes are neutral (128).
func writeY4M(t *testing.T, path string, grid [][]bool, frames int) {
	t.Helper()
	const w, h = 640, 480
	n := len(grid)
	scale := 400 / n
	if scale < 2 {
		t.Fatalf("a QR code of %d modules does not fit", n)
	}
	x0, y0 := (w-n*scale)/2, (h-n*scale)/2
	luma := make([]byte, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := byte(255)
			if gx, gy := x-x0, y-y0; gx >= 0 && gy >= 0 && gx < n*scale && gy < n*scale && grid[gy/scale][gx/scale] {
				v = 0
			}
			luma[y*w+x] = v
		}
	}
	chroma := make([]byte, (w/2)*(h/2))
	for i := range chroma {
		chroma[i] = 128
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for i := 0; i < frames; i++ {
		bw.WriteString("FRAME\n")
		bw.Write(luma)
		bw.Write(chroma)
		bw.Write(chroma)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// startCameraChromium starts a Chromium of its own whose camera films the
// video file: the permission is granted without asking.
func startCameraChromium(t *testing.T, exe, video string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(exe, t.TempDir(),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium with a fake camera: %v", err)
	}
	return ctx
}

// TestBrowserConferenceScan is the journey across two bridge points: a
// member opens the conference in the handbook and shows the pass; the
// camera of point A's host films that QR code (a video file made from the
// page's own drawing) and the page reads it with the embedded decoder
// (the browser's BarcodeDetector is taken away, as on desktop Chromium);
// point B's host ticks a name on the roll; the board in a third browser
// shows both, and the record names the scanning host.
func TestBrowserConferenceScan(t *testing.T) {
	exe, m := browserDemo(t)
	office := m.signIn(t, "vanphong")
	p := findDemoPlaces(t, m)
	hostA := demoAccount(t, m, "bithu.phutuc")
	hostB := demoAccount(t, m, "danguy.phutuc")
	me := demoAccount(t, m, "dangvien")
	if me.MemberID == nil {
		t.Fatal("the dangvien account has no member")
	}
	var c struct{ ID int64 }
	if st := office.do("POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị thử quét mã", "starts_at": time.Now().Add(-5 * time.Minute),
		"host_unit_id": p.District.ID, "audience": map[string]any{"unit_id": p.PhuTuc.ID}}, &c); st != 201 {
		t.Fatalf("create: %d", st)
	}
	// Point A is dangvien's cell (so dangvien is expected there), point B
	// the commune (everyone else in Phú Túc).
	var points []struct {
		ID     int64 `json:"id"`
		UnitID int64 `json:"unit_id"`
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c.ID), []map[string]any{
		{"unit_id": p.MyCell.ID, "name": "Điểm cầu chi bộ", "host_account_id": hostA.ID},
		{"unit_id": p.PhuTuc.ID, "name": "Điểm cầu xã Phú Túc", "host_account_id": hostB.ID}}, &points); st != 201 || len(points) != 2 {
		t.Fatalf("points: %d %+v", st, points)
	}
	var pointA, pointB int64
	for _, pt := range points {
		switch pt.UnitID {
		case p.MyCell.ID:
			pointA = pt.ID
		case p.PhuTuc.ID:
			pointB = pt.ID
		}
	}
	type figures struct {
		Present   int `json:"present"`
		Elsewhere int `json:"elsewhere"`
	}
	attendance := func() (total figures, at map[int64]figures) {
		var a struct {
			Total        figures `json:"total"`
			BridgePoints []struct {
				ID int64 `json:"id"`
				figures
			} `json:"bridge_points"`
		}
		if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/attendance", c.ID), nil, &a); st != 200 {
			t.Fatalf("attendance: %d", st)
		}
		at = map[int64]figures{}
		for _, b := range a.BridgePoints {
			at[b.ID] = b.figures
		}
		return a.Total, at
	}
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		pollUntil(t, what, 45*time.Second, 100*time.Millisecond, ok)
	}
	base := "http://" + m.Addr

	// The member's handbook page shows the pass.
	shared := startChromium(t, exe)
	memberCtx, cancel := context.WithTimeout(shared, browserLimit(t, 150*time.Second))
	defer cancel()
	var svg, code string
	if err := chromedp.Do(memberCtx,
		phone(),
		browserSignIn(base, "dangvien", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/hoi-nghi/%d", base, c.ID)),
		chromedp.WaitVisible(chromedp.CSS(".conf-pass .qr svg")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			if svg, err = chromedp.Evaluate[string](`document.querySelector(".conf-pass .qr svg").outerHTML`)(ctx, tg); err != nil {
				return err
			}
			code, err = chromedp.Evaluate[string](`document.getElementById("pass-code").textContent`)(ctx, tg)
			return err
		}),
	); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("SOTAY1.%d.%d.", c.ID, *me.MemberID); len(code) <= len(want) || code[:len(want)] != want {
		t.Fatalf("the pass shown: %q, want %s…", code, want)
	}
	video := filepath.Join(t.TempDir(), "pass.y4m")
	writeY4M(t, video, qrModules(t, svg), 3)

	// The board, in a browser context of its own.
	boardCtx, cancelBoard := chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
	defer cancelBoard()
	if err := chromedp.Do(boardCtx,
		browserSignIn(base, "vanphong", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/hoi-nghi/%d/bang", base, c.ID)),
		chromedp.WaitVisible(chromedp.CSS("#board")),
	); err != nil {
		t.Fatal(err)
	}
	board := func() string {
		s, err := chromedp.Run(boardCtx, chromedp.Evaluate[string](fmt.Sprintf(`[document.querySelector("[data-f='total-present']").textContent,
			document.querySelector("tr[data-bp='%d'] [data-f='present']").textContent,
			document.querySelector("tr[data-bp='%d'] [data-f='present']").textContent].join("/")`, pointA, pointB)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := board(); s != "0/0/0" {
		t.Fatalf("the board before any check-in shows %s (total/A/B), want 0/0/0", s)
	}

	// Point A's host scans the pass with the camera.
	camera := startCameraChromium(t, exe, video)
	hostCtx, cancelHost := context.WithTimeout(camera, browserLimit(t, 150*time.Second))
	defer cancelHost()
	if err := chromedp.Do(hostCtx,
		phone(),
		// Desktop Chromium on Linux has no BarcodeDetector; take it away
		// wherever it has one, so that the embedded decoder is the one tried.
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `delete window.BarcodeDetector;`})
			return err
		}),
		browserSignIn(base, "bithu.phutuc", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/hoi-nghi/%d/diem-cau/%d", base, c.ID, pointA)),
		chromedp.WaitVisible(chromedp.CSS("#roll-form")),
	); err != nil {
		t.Fatal(err)
	}
	hostEval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(hostCtx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	waitUntil("the scan button", func() bool { return hostEval(`String(!document.getElementById("scan-start").hidden)`) == "true" })
	if err := chromedp.Do(hostCtx, chromedp.Click(chromedp.CSS("#scan-start"))); err != nil {
		t.Fatal(err)
	}
	waitUntil("the scanned check-in at point A", func() bool { _, at := attendance(); return at[pointA].Present == 1 })
	if s := hostEval(`String("BarcodeDetector" in window) + "/" + typeof window.jsQR`); s != "false/function" {
		t.Errorf("BarcodeDetector in window / typeof jsQR: %s, want false/function", s)
	}
	waitUntil("the host's page to say who came", func() bool { return hostEval(`document.getElementById("scan-result").textContent`) != "" })
	if s := hostEval(`document.getElementById("scan-result").textContent`); !strings.HasPrefix(s, "✓") {
		t.Errorf("the host's page says %q after the scan", s)
	}
	// The record: the same pass again answers the record already there.
	var rec struct {
		MemberID      int64  `json:"member_id"`
		BridgePointID int64  `json:"bridge_point_id"`
		ByAccountID   int64  `json:"by_account_id"`
		Method        string `json:"method"`
		Repeat        bool   `json:"repeat"`
		Elsewhere     bool   `json:"elsewhere"`
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", c.ID), map[string]any{"code": code, "bridge_point_id": pointA}, &rec); st != 200 {
		t.Fatalf("the pass again: %d", st)
	}
	if rec.MemberID != *me.MemberID || rec.BridgePointID != pointA || rec.ByAccountID != hostA.ID || rec.Method != "code" || !rec.Repeat || rec.Elsewhere {
		t.Errorf("the check-in recorded: %+v, want member %d at point %d by account %d with a code, a repeat, not elsewhere", rec, *me.MemberID, pointA, hostA.ID)
	}

	// Point B's host ticks a name on the roll.
	tickCtx, cancelTick := chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
	defer cancelTick()
	var ticked string
	if err := chromedp.Do(tickCtx,
		phone(),
		browserSignIn(base, "danguy.phutuc", demoPassword()),
		chromedp.Navigate(fmt.Sprintf("%s/hoi-nghi/%d/diem-cau/%d", base, c.ID, pointB)),
		chromedp.WaitVisible(chromedp.CSS("#roll-form")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			ticked, err = chromedp.Evaluate[string](`(() => { const b = document.querySelector("#roll-form input[name=member]:not(:disabled)");
				b.checked = true; document.querySelector("#roll-form button[type=submit]").click(); return b.value; })()`)(ctx, tg)
			return err
		}),
	); err != nil {
		t.Fatal(err)
	}
	waitUntil("the ticked check-in at point B", func() bool { _, at := attendance(); return at[pointB].Present == 1 })
	total, at := attendance()
	if total.Present != 2 || at[pointA].Present != 1 || at[pointB].Present != 1 || total.Elsewhere != 0 {
		t.Errorf("attendance: total %+v, A %+v, B %+v; want 2 present, 1 at each, none elsewhere", total, at[pointA], at[pointB])
	}
	if ticked == strconv.FormatInt(*me.MemberID, 10) {
		t.Errorf("point B ticked dangvien, who is expected at point A")
	}

	// The board follows without a reload.
	deadline := time.Now().Add(30 * time.Second)
	for board() != "2/1/1" {
		if time.Now().After(deadline) {
			t.Fatalf("the board shows %s (total/A/B), want 2/1/1", board())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
