package cli

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoadDocumentPage measures, in one run with the same load generator
// against the same server on 127.0.0.1, the throughput of reading one
// document page as signed-in members (session lookup, access check, read
// receipt, note, rendering) and of serving a static file of the same size
// from the same binary, and reports the first as a share of the second.
// It runs only with SOTAY_LOAD=1 (see TestLoad for the target):
//
//	SOTAY_LOAD=1 go test -run TestLoadDocumentPage -v -timeout 20m ./internal/cli/
//
// Settings: SOTAY_LOAD_DURATION per phase (default 15s), SOTAY_LOAD_CLIENTS
// (default 32 concurrent keep-alive connections). The phases alternate
// (static, page, static, page) so that a change of the machine's load
// during the run hits both; each is measured without compression (the
// same bytes on the wire) and with gzip (as phones ask).
func TestLoadDocumentPage(t *testing.T) {
	if os.Getenv("SOTAY_LOAD") == "" {
		t.Skip("a load generator: set SOTAY_LOAD=1 to run it")
	}
	phase := loadEnvDuration(t, "SOTAY_LOAD_DURATION", 15*time.Second, 10*time.Minute)
	clients := loadEnvInt(t, "SOTAY_LOAD_CLIENTS", 32, 1, 1000)
	target := startLoadTarget(t)
	t.Logf("target %s (pid %d, %s)", target.base, target.pid, target.db)
	lg := &loadGen{base: target.base, http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		Proxy: nil, MaxIdleConnsPerHost: clients + 8, IdleConnTimeout: time.Minute, DisableCompression: true}}}

	// Members of a Phú Túc cell with accounts (dangvien, and a few more
	// made by the admin), so that the receipts are several members'.
	admin, office := lg.signIn(t, "admin"), lg.signIn(t, "vanphong")
	var me struct {
		MemberID int64 `json:"member_id"`
	}
	member := lg.signIn(t, "dangvien")
	lg.mustJSON(t, "GET", "/api/v1/accounts/me", member, nil, &me)
	var rec struct {
		UnitID int64 `json:"unit_id"`
	}
	lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/members/%d", me.MemberID), member, nil, &rec)
	var cell struct {
		Path string `json:"path"`
	}
	lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/units/%d", rec.UnitID), admin, nil, &cell)
	ids := strings.Split(strings.Trim(cell.Path, "/"), "/")
	commune, _ := strconv.ParseInt(ids[len(ids)-2], 10, 64)
	var mates listJSON[memberJSON]
	lg.mustJSON(t, "GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=8", rec.UnitID), admin, nil, &mates)
	tokens := []string{member}
	for i, mm := range mates.Items {
		id := int64(mm["id"].(float64))
		if id == me.MemberID || len(tokens) == 8 {
			continue
		}
		user := fmt.Sprintf("load.member%d", i)
		lg.mustJSON(t, "POST", "/api/v1/accounts", admin, map[string]any{"username": user, "password": "một mật khẩu dài cho tải",
			"member_id": id, "roles": []map[string]any{{"unit_id": rec.UnitID, "role": "member"}}}, nil)
		var out struct{ Token string }
		lg.mustJSON(t, "POST", "/api/v1/session", "", map[string]string{"username": user, "password": "một mật khẩu dài cho tải"}, &out)
		tokens = append(tokens, out.Token)
	}

	// The static file: the stylesheet, as the pages link it.
	_, page, _, err := lg.call("GET", "/dang-nhap", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	static := regexp.MustCompile(`/static/app\.[0-9a-f]+\.css`).FindString(string(page))
	st, css, _, err := lg.call("GET", static, "", nil, "Accept-Encoding", "identity")
	if err != nil || st != 200 {
		t.Fatalf("static file %s: %d %v", static, st, err)
	}
	// A document whose page, for dangvien, is the stylesheet's size: a
	// directive to the commune with a body of ordinary paragraphs.
	para := "Các cấp ủy, tổ chức đảng quán triệt và thực hiện nghiêm túc Chỉ thị 24-CT/TU về tăng cường kỷ luật, kỷ cương trong giải quyết công việc. "
	body := strings.Repeat(para, 2)
	var docID int64
	var size int
	for range 6 {
		var d struct{ ID int64 }
		lg.mustJSON(t, "POST", "/api/v1/documents", office, map[string]any{"type": "CT", "issuer_code": "HU", "title": "Chỉ thị về tăng cường kỷ luật, kỷ cương",
			"summary": "Siết chặt kỷ luật, kỷ cương", "body": body, "audience": map[string]any{"unit_id": commune}}, &d)
		st, b, _, err := lg.call("GET", fmt.Sprintf("/van-ban/%d", d.ID), member, nil, "Accept-Encoding", "identity")
		if err != nil || st != 200 {
			t.Fatalf("document page: %d %v", st, err)
		}
		docID, size = d.ID, len(b)
		diff := len(css) - size
		if diff > -len(css)/100 && diff < len(css)/100 {
			break
		}
		// Grow or shrink the body by the difference (its bytes pass to the
		// page one for one, as text in paragraphs).
		n := len(body) + diff
		for len(body) < n {
			body += para
		}
		body = trimToBytes(body, n)
	}
	t.Logf("static file %s: %d bytes; document page /van-ban/%d: %d bytes (uncompressed)", static, len(css), docID, size)

	type result struct {
		rate float64
		cpu  time.Duration // the server's CPU time per request
	}
	run := func(name, path string, session bool, gzip bool) result {
		var done, failed atomic.Int64
		cpu0 := processCPU(target.pid)
		ctx, cancel := context.WithTimeout(context.Background(), phase)
		defer cancel()
		var wg sync.WaitGroup
		start := time.Now()
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				token := ""
				if session {
					token = tokens[i%len(tokens)]
				}
				enc := "identity"
				if gzip {
					enc = "gzip"
				}
				for ctx.Err() == nil {
					st, _, _, err := lg.call("GET", path, token, nil, "Accept-Encoding", enc)
					if ctx.Err() != nil {
						return
					}
					if err != nil || st != 200 {
						failed.Add(1)
						continue
					}
					done.Add(1)
				}
			}()
		}
		wg.Wait()
		r := result{rate: float64(done.Load()) / time.Since(start).Seconds()}
		if n := done.Load(); n > 0 {
			r.cpu = (processCPU(target.pid) - cpu0) / time.Duration(n)
		}
		t.Logf("%-34s %8.0f req/s, server CPU %4.0f µs/request (%d requests, %d failed; load average %s)",
			name, r.rate, float64(r.cpu)/1e3, done.Load(), failed.Load(), loadAverage())
		if failed.Load() > 0 {
			t.Errorf("%s: %d failed requests", name, failed.Load())
		}
		return r
	}
	docPath := fmt.Sprintf("/van-ban/%d", docID)
	// Warm up: every member's first read writes its receipt, and each
	// reader connection prepares its statements once.
	for _, tok := range tokens {
		lg.call("GET", docPath, tok, nil)
	}
	for range 200 {
		lg.call("GET", docPath, member, nil)
		lg.call("GET", static, "", nil)
	}
	for _, gz := range []bool{false, true} {
		label := "identity"
		if gz {
			label = "gzip"
		}
		var s, p float64
		var sc, pc time.Duration
		for round := range 2 {
			rs := run(fmt.Sprintf("static %s, round %d", label, round+1), static, false, gz)
			rp := run(fmt.Sprintf("document page %s, round %d", label, round+1), docPath, true, gz)
			s, p, sc, pc = s+rs.rate, p+rp.rate, sc+rs.cpu, pc+rp.cpu
		}
		t.Logf("%s: static %.0f req/s, document page %.0f req/s: %.0f%% of the static file's throughput; server CPU %.0f µs and %.0f µs per request",
			label, s/2, p/2, 100*p/s, float64(sc/2)/1e3, float64(pc/2)/1e3)
	}
}

// trimToBytes cuts s to at most n bytes on a rune boundary.
func trimToBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
