package cli

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/testpg"
)

// TestConferenceLoad is a load generator, not a test of correctness: it
// runs only with SOTAY_LOAD_CONF=1. It builds and starts the real program
// with the demo district, calls a conference of the whole district at 115
// bridge points (the district, every unit below it, then cells), opens N
// live boards (server-sent events), and checks every invited member in at
// their point from one client per point, then repeats scans until
// SOTAY_LOAD_CHECKINS requests were sent. It reports the throughput, the
// latency percentiles, the server's memory, lost or doubled check-ins and
// how long after the last check-in every board showed the final figure.
//
//	SOTAY_LOAD_CONF=1 go test -run TestConferenceLoad -v -timeout 30m ./internal/cli/
//
// Settings (environment):
//
//	SOTAY_LOAD_DB        sqlite (default) or postgres (a throwaway database)
//	SOTAY_LOAD_WATCHERS  live boards (default 200)
//	SOTAY_LOAD_ATTENDEES people invited (default 12000): the demo district
//	                     has about 9,700 active members; the rest are
//	                     imported into the cells that have a point (after
//	                     the conference is called, so they join it as late
//	                     joiners do)
//	SOTAY_LOAD_CHECKINS  check-in requests in all (default: one per person;
//	                     more are repeated scans)
//	SOTAY_LOAD_SPREAD    a duration (e.g. 5m): each point's arrivals are
//	                     spread evenly over it instead of sent as fast as
//	                     answered
//	SOTAY_LOAD_PROCS     server processes (default 1; 2 needs postgres and
//	                     nginx): the processes run behind nginx (round
//	                     robin, the proxy of TestProcessesBehindProxy), the
//	                     check-ins go through it and so are spread over
//	                     the processes, the boards are opened on each
//	                     process in turn, so a board sees the other
//	                     process's check-ins only through LISTEN/NOTIFY
func TestConferenceLoad(t *testing.T) {
	if os.Getenv("SOTAY_LOAD_CONF") == "" {
		t.Skip("a load generator: set SOTAY_LOAD_CONF=1 to run it")
	}
	watchers := loadEnvInt(t, "SOTAY_LOAD_WATCHERS", 200, 0, 5000)
	attendees := loadEnvInt(t, "SOTAY_LOAD_ATTENDEES", 12000, 1, 100000)
	total := loadEnvInt(t, "SOTAY_LOAD_CHECKINS", 0, 0, 1000000)
	spread := loadEnvDuration(t, "SOTAY_LOAD_SPREAD", 0, time.Hour)
	procs := loadEnvInt(t, "SOTAY_LOAD_PROCS", 1, 1, 4)
	var ngx string
	if procs > 1 {
		ngx = nginxBinary(t) // before the minutes of building the demo
	}
	targets := startConferenceTargets(t, procs)
	t.Logf("%d process(es) on %s: %v", procs, targets[0].db, targets)
	// The check-ins go to checkinBase: the one process, or nginx in front
	// of them all.
	checkinBase, proxyDir := targets[0].base, ""
	if procs > 1 {
		var upstreams []string
		for _, tg := range targets {
			upstreams = append(upstreams, strings.TrimPrefix(tg.base, "http://"))
		}
		proxyDir = t.TempDir()
		checkinBase = startNginx(t, ngx, proxyDir, upstreams)
		t.Logf("nginx on %s in front of %v", checkinBase, upstreams)
	}
	mem := make([]*rssSampler, len(targets))
	for i, tg := range targets {
		mem[i] = &rssSampler{pid: tg.pid}
		stop := mem[i].start()
		defer stop()
	}
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	call := func(base, token, method, path string, body, out any) (int, time.Duration) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Id", "load") // nginx's log
		start := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return 0, time.Since(start)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		d := time.Since(start)
		if out != nil {
			json.Unmarshal(b, out)
		}
		return resp.StatusCode, d
	}
	base := targets[0].base
	var sess struct{ Token string }
	if st, _ := call(base, "", "POST", "/api/v1/session", map[string]string{"username": "admin", "password": demoPassword()}, &sess); st != 200 {
		t.Fatalf("sign in: %d", st)
	}
	tok := sess.Token
	type unit struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
		Code string `json:"code"`
	}
	var roots struct{ Items []unit }
	call(base, tok, "GET", "/api/v1/units?q=huyen+uy+phu+xuyen&limit=5", nil, &roots)
	var district unit
	for _, u := range roots.Items {
		if u.Code == "HN.PX" {
			district = u
		}
	}
	if district.ID == 0 {
		t.Fatalf("the demo district is missing: %+v", roots.Items)
	}
	// The points: the district, then breadth first below it, 115 in all.
	chosen := []int64{district.ID}
	queue := []int64{district.ID}
	var cells []int64 // the cells among them
	for len(queue) > 0 && len(chosen) < 115 {
		var kids struct{ Items []unit }
		call(base, tok, "GET", fmt.Sprintf("/api/v1/units?parent=%d", queue[0]), nil, &kids)
		queue = queue[1:]
		for _, k := range kids.Items {
			if len(chosen) < 115 {
				chosen = append(chosen, k.ID)
				queue = append(queue, k.ID)
				if k.Kind == "cell" {
					cells = append(cells, k.ID)
				}
			}
		}
	}
	var conf struct {
		ID      int64 `json:"id"`
		Invited int   `json:"invited"`
	}
	if st, _ := call(base, tok, "POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị trực tuyến toàn huyện (tải thử)", "starts_at": time.Now().Add(time.Hour),
		"host_unit_id": district.ID, "audience": map[string]any{"unit_id": district.ID}}, &conf); st != 201 {
		t.Fatalf("create: %d", st)
	}
	in := make([]map[string]any, len(chosen))
	for i, id := range chosen {
		in[i] = map[string]any{"unit_id": id, "name": fmt.Sprintf("Điểm cầu %d", i+1)}
	}
	var points []struct {
		ID       int64 `json:"id"`
		Expected int   `json:"expected"`
	}
	if st, _ := call(base, tok, "POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", conf.ID), in, &points); st != 201 {
		t.Fatalf("points: %d", st)
	}
	// More people, when the district has fewer than asked for: imported
	// into the cells that have a point, after the points, so that they
	// are invited and placed as late joiners.
	if extra := attendees - conf.Invited; extra > 0 {
		if len(cells) == 0 {
			t.Fatal("no cell among the points to import people into")
		}
		started := time.Now()
		created := importPeople(t, func(cell int64, csv string) (int, int) {
			var rep struct {
				Created int `json:"created"`
				Errors  []struct {
					Row     int    `json:"row"`
					Field   string `json:"field"`
					Message string `json:"message"`
				} `json:"errors"`
			}
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/imports/members?unit=%d", base, cell), strings.NewReader(csv))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "text/csv; charset=utf-8")
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			json.NewDecoder(resp.Body).Decode(&rep)
			if len(rep.Errors) > 0 {
				t.Logf("import into %d: %+v", cell, rep.Errors[0])
			}
			return resp.StatusCode, rep.Created
		}, cells, extra)
		t.Logf("imported %d more people into %d cells in %s", created, len(cells), time.Since(started).Round(time.Millisecond))
	}
	// Each point's roll: who is expected there.
	roll := map[int64][]int64{}
	people := 0
	for _, p := range points {
		cursor := ""
		for {
			var page struct {
				Items []struct {
					MemberID      int64  `json:"member_id"`
					BridgePointID *int64 `json:"bridge_point_id"`
				}
				NextCursor *string `json:"next_cursor"`
			}
			call(base, tok, "GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll?limit=500&cursor=%s", conf.ID, p.ID, cursor), nil, &page)
			for _, it := range page.Items {
				roll[p.ID] = append(roll[p.ID], it.MemberID)
			}
			people += len(page.Items)
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
	}
	t.Logf("conference %d: %d invited at creation, %d bridge points, %d on the rolls", conf.ID, conf.Invited, len(points), people)
	if total == 0 {
		total = people
	}

	// The boards.
	var lastCheckin atomic.Int64 // unix nanos of the last answered new check-in (201)
	type board struct {
		mu      sync.Mutex
		proc    int // the process it is open on
		present int
		seenAt  time.Time
		events  int
	}
	boards := make([]*board, watchers)
	var ready sync.WaitGroup
	stopBoards := make(chan struct{})
	for i := range boards {
		b := &board{proc: i % len(targets)}
		boards[i] = b
		ready.Add(1)
		go func(base string) {
			req, _ := http.NewRequest("GET", base+fmt.Sprintf("/api/v1/conferences/%d/events", conf.ID), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := (&http.Client{}).Do(req)
			ready.Done()
			if err != nil {
				return
			}
			defer resp.Body.Close()
			go func() { <-stopBoards; resp.Body.Close() }()
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<22)
			for sc.Scan() {
				line, ok := strings.CutPrefix(sc.Text(), "data: ")
				if !ok {
					continue
				}
				var a struct{ Total struct{ Present int } }
				if json.Unmarshal([]byte(line), &a) == nil {
					b.mu.Lock()
					if a.Total.Present != b.present {
						b.present, b.seenAt = a.Total.Present, time.Now()
					}
					b.events++
					b.mu.Unlock()
				}
			}
		}(targets[i%len(targets)].base)
	}
	ready.Wait()
	rssStart := make([]int64, len(mem))
	for i, m := range mem {
		m.resetPeak()
		rssStart[i] = m.current()
	}
	// CPU of the processes (and of PostgreSQL's backends for the
	// database) over the check-ins.
	cpuOf := func() []time.Duration {
		var out []time.Duration
		for _, tg := range targets {
			out = append(out, processCPU(tg.pid))
		}
		return out
	}
	backends := postgresBackends(t, targets[0].dsn)
	cpuStart, pgStart := cpuOf(), backendsCPU(backends)
	load1Start := loadAverage()

	// The check-ins: one client per point, each of its people once, then
	// repeats (a second scan of a pass) until total requests were sent.
	var lat []time.Duration
	var latMu sync.Mutex
	statuses := map[int]int{}
	var sent atomic.Int64
	repeats := total - people
	firstPeopled, sharedRepeats := -1, 0
	for pi, p := range points {
		if n := len(roll[p.ID]); n > 0 && repeats > 0 {
			if firstPeopled < 0 {
				firstPeopled = pi
			}
			sharedRepeats += repeats * n / people
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	for pi, p := range points {
		wg.Add(1)
		go func(pi int, pid int64, ms []int64) {
			defer wg.Done()
			// The repeats are shared among the points that have people.
			extra := 0
			if repeats > 0 && len(ms) > 0 {
				extra = repeats * len(ms) / people
				if pi == firstPeopled {
					extra += repeats - sharedRepeats
				}
			}
			var mine []time.Duration
			local := map[int]int{}
			n := len(ms) + extra
			for k := 0; k < n; k++ {
				if len(ms) == 0 {
					break
				}
				if spread > 0 {
					// Arrivals spread evenly over the window, each point's
					// shifted a little so that they do not come in step.
					at := start.Add(time.Duration((float64(k) + float64(pi)/float64(len(points))) * float64(spread) / float64(n)))
					if d := time.Until(at); d > 0 {
						time.Sleep(d)
					}
				}
				m := ms[k%len(ms)]
				st, d := call(checkinBase, tok, "POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", conf.ID),
					map[string]any{"member_id": m, "bridge_point_id": pid, "client_id": fmt.Sprintf("load-%d-%d", pid, k%len(ms))}, nil)
				if st == http.StatusCreated {
					now := time.Now().UnixNano() // the last new one: the board's final figure
					for old := lastCheckin.Load(); now > old && !lastCheckin.CompareAndSwap(old, now); old = lastCheckin.Load() {
					}
				}
				sent.Add(1)
				mine = append(mine, d)
				local[st]++
			}
			latMu.Lock()
			lat = append(lat, mine...)
			for k, v := range local {
				statuses[k] += v
			}
			latMu.Unlock()
		}(pi, p.ID, roll[p.ID])
	}
	wg.Wait()
	elapsed := time.Since(start)
	last := time.Unix(0, lastCheckin.Load())
	cpuEnd, pgEnd := cpuOf(), backendsCPU(backends)
	load1End := loadAverage()

	var final struct {
		Total struct{ Present, Expected int }
	}
	call(base, tok, "GET", fmt.Sprintf("/api/v1/conferences/%d/attendance", conf.ID), nil, &final)
	// Every board should show the final figure within a bound.
	deadline := time.Now().Add(30 * time.Second)
	for {
		behind := 0
		for _, b := range boards {
			b.mu.Lock()
			if b.present != final.Total.Present {
				behind++
			}
			b.mu.Unlock()
		}
		if behind == 0 || time.Now().After(deadline) {
			if behind > 0 {
				t.Errorf("%d of %d boards never showed the final %d present", behind, len(boards), final.Total.Present)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var lags []time.Duration
	procLags := make([][]time.Duration, len(targets))
	events := 0
	for _, b := range boards {
		b.mu.Lock()
		if b.present == final.Total.Present {
			lags = append(lags, b.seenAt.Sub(last))
			procLags[b.proc] = append(procLags[b.proc], b.seenAt.Sub(last))
		}
		events += b.events
		b.mu.Unlock()
	}
	close(stopBoards)
	slices.Sort(lat)
	slices.Sort(lags)
	pct := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		return ds[min(len(ds)-1, int(float64(len(ds))*p))]
	}
	t.Logf("check-ins: %d requests in %s = %.0f/s; statuses %v", sent.Load(), elapsed.Round(time.Millisecond), float64(sent.Load())/elapsed.Seconds(), statuses)
	t.Logf("latency: p50 %s p95 %s p99 %s max %s", pct(lat, .5).Round(time.Millisecond/10), pct(lat, .95).Round(time.Millisecond/10), pct(lat, .99).Round(time.Millisecond/10), pct(lat, 1).Round(time.Millisecond/10))
	t.Logf("present %d of %d expected (unique people on the rolls %d): lost %d, doubled %d", final.Total.Present, final.Total.Expected, people, max(0, people-final.Total.Present), max(0, final.Total.Present-people))
	t.Logf("boards: %d, %d events received; the final figure after the answer to the last new check-in: p50 %s p99 %s max %s", len(boards), events, pct(lags, .5).Round(time.Millisecond), pct(lags, .99).Round(time.Millisecond), pct(lags, 1).Round(time.Millisecond))
	for i, m := range mem {
		slices.Sort(procLags[i])
		t.Logf("process %d: memory (RSS) %d MiB when the check-ins began, peak %d MiB, now %d MiB; CPU over the check-ins %s; its %d boards at the final figure after p50 %s max %s",
			i+1, rssStart[i]>>20, m.peak()>>20, m.current()>>20, (cpuEnd[i] - cpuStart[i]).Round(10*time.Millisecond), len(procLags[i]),
			pct(procLags[i], .5).Round(time.Millisecond), pct(procLags[i], 1).Round(time.Millisecond))
	}
	var cpu time.Duration
	for i := range cpuEnd {
		cpu += cpuEnd[i] - cpuStart[i]
	}
	if n := statuses[http.StatusCreated]; n > 0 {
		t.Logf("CPU per new check-in: %s in the server process(es), %s in PostgreSQL's %d backends (0 for SQLite); load average %s at the start, %s at the end",
			(cpu / time.Duration(n)).Round(10*time.Microsecond), ((pgEnd - pgStart) / time.Duration(n)).Round(10*time.Microsecond), len(backends), load1Start, load1End)
	}
	if proxyDir != "" {
		// Which process answered each check-in (nginx's log: the test id,
		// the upstream, the status, the upstream's status).
		per := map[string]map[string]int{}
		logText, _ := os.ReadFile(filepath.Join(proxyDir, "access.log"))
		for _, line := range strings.Split(string(logText), "\n") {
			f := strings.Fields(line)
			if len(f) == 4 && f[0] == "load" {
				if per[f[1]] == nil {
					per[f[1]] = map[string]int{}
				}
				per[f[1]][f[2]]++
			}
		}
		t.Logf("check-ins through nginx, by upstream and status: %v", per)
		if len(per) < len(targets) {
			t.Errorf("the check-ins went to %d processes, want %d", len(per), len(targets))
		}
	}
	if dsn := targets[0].dsn; dsn != "" {
		// The database's own count: one row per member (its primary key),
		// as many as the answers that said a new check-in was made.
		var rows int
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			err = db.QueryRow(`SELECT COUNT(*) FROM conference_checkins WHERE conference_id = $1`, conf.ID).Scan(&rows)
			db.Close()
		}
		if err != nil {
			t.Errorf("count the check-ins: %v", err)
		} else if rows != statuses[http.StatusCreated] || rows != people {
			t.Errorf("check-in rows %d, answers 201 %d, people %d: want all three equal", rows, statuses[http.StatusCreated], people)
		} else {
			t.Logf("check-in rows in the database: %d = answers 201 = people on the rolls", rows)
		}
	}
	if final.Total.Present != people {
		t.Errorf("present %d, want %d: check-ins lost or doubled", final.Total.Present, people)
	}
}

// startConferenceTargets builds the program once and starts n processes
// on one database: the first loads the demo district, the others start on
// it afterwards (n > 1 needs PostgreSQL).
func startConferenceTargets(t *testing.T, n int) []loadTarget {
	t.Helper()
	if n == 1 {
		return []loadTarget{startLoadTarget(t)}
	}
	if os.Getenv("SOTAY_LOAD_DB") != "postgres" {
		t.Fatal("SOTAY_LOAD_PROCS > 1 needs SOTAY_LOAD_DB=postgres")
	}
	dir := t.TempDir()
	db := testpg.NewDatabase(t)
	if db == "" {
		t.Skip("no PostgreSQL available")
	}
	bin := buildSotay(t, dir)
	var out []loadTarget
	for i := range n {
		args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--data", dir}
		if i == 0 {
			args = append(args, "--demo")
		}
		base, pid := startServer(t, 20, bin, args...)
		out = append(out, loadTarget{base: base, pid: pid, db: "PostgreSQL", dsn: db})
	}
	return out
}

// importPeople imports n made-up members into the cells, in files of at
// most 200 rows (names from a few common parts, each combination once;
// birth and admission dates spread over the years), and answers how many
// were created.
func importPeople(t *testing.T, post func(cell int64, csv string) (status, created int), cells []int64, n int) int {
	t.Helper()
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middle := []string{"Văn", "Thị", "Đức", "Minh", "Quang", "Thu", "Ngọc", "Hữu", "Xuân", "Thanh", "Bá", "Kim"}
	given := []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
		"Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Thắng"}
	if n > len(family)*len(middle)*len(given) {
		t.Fatalf("%d more people: at most %d names", n, len(family)*len(middle)*len(given))
	}
	created, next := 0, 0
	for c := 0; next < n; c++ {
		cell := cells[c%len(cells)]
		rows := min(200, n-next, (n+len(cells)-1)/len(cells))
		var b strings.Builder
		b.WriteString("Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Ngày chính thức\n")
		for range rows {
			i := next
			next++
			gender := "Nam"
			if middle[(i/len(family))%len(middle)] == "Thị" {
				gender = "Nữ"
			}
			born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%12000)
			admitted := born.AddDate(25, 0, i%300)
			fmt.Fprintf(&b, "%s %s %s,%s,%s,%s,%s\n", family[i%len(family)], middle[(i/len(family))%len(middle)], given[(i/len(family)/len(middle))%len(given)],
				gender, born.Format("02/01/2006"), admitted.Format("02/01/2006"), admitted.AddDate(1, 0, 0).Format("02/01/2006"))
		}
		st, k := post(cell, b.String())
		if st != http.StatusCreated {
			t.Fatalf("import %d people into cell %d: %d", rows, cell, st)
		}
		created += k
	}
	return created
}
