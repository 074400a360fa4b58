// Command listcpu measures the CPU per request of any GET of a running
// sotay server (issue 17: "each list's first page ≤ 5 ms of server CPU at
// any scale"): the server process's threads plus the PostgreSQL backends
// of its database. It is a program of its own, not part of the sotay
// binary:
//
//	sotay serve --addr 127.0.0.1:18181 --db postgres://…/DBNAME &   # or --data DIR (SQLite)
//	go run ./bench/listcpu -url http://127.0.0.1:18181 -pid $! [-db DBNAME] [-user vanphong]
//	    [-runs 10] [-per 10] [-next] [-label base] NAME=PATH ...
//
// It signs in (POST /api/v1/session; the password from -password or
// SOTAY_DEMO_PASSWORD, else the demo's), then for each PATH asks it 4
// times unmeasured and measures -runs runs of -per requests; with -next
// it measures the next page too when the first page has a next_cursor.
// It prints per path the first answer's total ("+": total_at_least) and
// items, the mean and median CPU per request in ms, the server process's
// share, and how many backends went away during the runs (their last
// share is lost: "lost N" means the figure is low). Run base and branch
// builds in alternation on the same database: at a high load one run's
// figures mean little. bench/listcpu/demo.sh lists the demo district's
// lists for the district office.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/bench/internal/proccpu"
)

type answer struct {
	Items        []json.RawMessage `json:"items"`
	Next         *string           `json:"next_cursor"`
	Total        *int              `json:"total"`
	TotalAtLeast bool              `json:"total_at_least"`
}

type client struct {
	base, token string
}

func (c client) get(path string) ([]byte, error) {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d %.200s", path, res.StatusCode, b)
	}
	return b, err
}

func signIn(base, user, password string) (client, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	res, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return client{}, err
	}
	defer res.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.Token == "" {
		return client{}, fmt.Errorf("sign in as %s: %d %v", user, res.StatusCode, err)
	}
	return client{base: base, token: tok.Token}, nil
}

// meter measures one path.
type meter struct {
	c         client
	pid       int
	db        string
	runs, per int
	label     string
}

func (m meter) measure(name, path string) (*answer, error) {
	b, err := m.c.get(path)
	if err != nil {
		return nil, err
	}
	var a answer
	_ = json.Unmarshal(b, &a) // not every answer is a list
	for range 3 {
		if _, err := m.c.get(path); err != nil {
			return nil, err
		}
	}
	runs := make([]float64, 0, m.runs)
	var sum, srv float64
	lost := 0
	for range m.runs {
		s0, p0 := proccpu.Threads(m.pid), proccpu.SampleBackends(m.db)
		for range m.per {
			if _, err := m.c.get(path); err != nil {
				return nil, err
			}
		}
		s1, p1 := proccpu.Threads(m.pid), proccpu.SampleBackends(m.db)
		pg, l := p1.Since(p0)
		lost += l
		ms := float64(s1-s0+pg) / float64(time.Millisecond) / float64(m.per)
		runs = append(runs, ms)
		sum += ms
		srv += float64(s1-s0) / float64(time.Millisecond) / float64(m.per)
	}
	sort.Float64s(runs)
	total := "-"
	if a.Total != nil {
		total = fmt.Sprint(*a.Total)
		if a.TotalAtLeast {
			total += "+"
		}
	}
	note := ""
	if lost > 0 {
		note = fmt.Sprintf("\tlost %d", lost)
	}
	fmt.Printf("%s\t%s\t%s\titems=%d\tmean=%.2f\tmedian=%.2f\tserver=%.2f%s\n", m.label, name, total, len(a.Items),
		sum/float64(m.runs), runs[len(runs)/2], srv/float64(m.runs), note)
	return &a, nil
}

func main() {
	base := flag.String("url", "http://127.0.0.1:18181", "the server")
	pid := flag.Int("pid", 0, "the server's process id")
	db := flag.String("db", "", "its PostgreSQL database's name (empty: SQLite)")
	user := flag.String("user", "vanphong", "the account to sign in as")
	password := flag.String("password", "", "its password (default: SOTAY_DEMO_PASSWORD, else the demo's)")
	runs := flag.Int("runs", 10, "runs per path")
	per := flag.Int("per", 10, "requests per run")
	next := flag.Bool("next", false, "measure the next page too")
	label := flag.String("label", "", "a label for the lines")
	flag.Parse()
	if *pid == 0 || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: listcpu -pid PID [flags] NAME=PATH ...")
		os.Exit(2)
	}
	if *password == "" {
		*password = os.Getenv("SOTAY_DEMO_PASSWORD")
	}
	if *password == "" {
		*password = "sotay-demo-2026"
	}
	c, err := signIn(*base, *user, *password)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m := meter{c: c, pid: *pid, db: *db, runs: *runs, per: *per, label: *label}
	failed := false
	for _, arg := range flag.Args() {
		name, path, ok := strings.Cut(arg, "=")
		if !ok {
			name, path = arg, arg
		}
		a, err := m.measure(name, path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			failed = true
			continue
		}
		if *next && a.Next != nil {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			if _, err := m.measure(name+" next", path+sep+"cursor="+url.QueryEscape(*a.Next)); err != nil {
				fmt.Fprintf(os.Stderr, "%s next: %v\n", name, err)
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}
