// Command searchcpu measures the CPU of member name searches on a running
// sotay server (docs/benchmarks.md, "r22-nguyen"). It is a program of its
// own, not part of the sotay binary:
//
//	sotay serve --addr 127.0.0.1:18181 --db postgres://…/DBNAME &   # or --data DIR (SQLite)
//	go run ./bench/searchcpu -url http://127.0.0.1:18181 -pid $! [-db DBNAME] [-q nguyen,van,thi] [-runs 20] [-per 5] [-label base]
//
// It signs in as the demo district's office (vanphong), finds the district
// (its first root) and the commune Phú Túc, and for each word measures
// GET /api/v1/members?unit=…&q=… in the district with the default page,
// with limit=50, the next page of limit=50 (its cursor) and in Phú Túc
// with limit=50: 4 requests unmeasured, then -runs runs of -per requests,
// each run's CPU per request = the server process's threads
// (bench/internal/proccpu: /proc/PID/task/*/schedstat) + the PostgreSQL backends whose title
// names -db and any parallel worker (postmaster children on this machine;
// none with -db empty, SQLite). It prints per query the first answer's
// total ("+": total_at_least), its items, the mean and median of the runs
// and the server's share. Run base and branch builds in alternation on
// the same database: one run's figures mean little at a high load.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/sotay-vn/sotay/bench/internal/proccpu"
)

type list struct {
	Items        []map[string]any `json:"items"`
	Next         *string          `json:"next_cursor"`
	Total        int              `json:"total"`
	TotalAtLeast bool             `json:"total_at_least"`
}

var base, token string

func get(path string, out any) {
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		panic(fmt.Sprintf("GET %s: %d %s", path, res.StatusCode, b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			panic(err)
		}
	}
}

func main() {
	flag.StringVar(&base, "url", "http://127.0.0.1:18080", "server")
	pid := flag.Int("pid", 0, "server pid")
	db := flag.String("db", "", "PostgreSQL database name (empty: SQLite)")
	runs := flag.Int("runs", 20, "runs")
	per := flag.Int("per", 10, "requests per run")
	label := flag.String("label", "", "label")
	words := flag.String("q", "nguyen,van,thi", "words")
	flag.Parse()
	body, _ := json.Marshal(map[string]string{"username": "vanphong", "password": "sotay-demo-2026"})
	res, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	token = tok.Token
	var roots struct {
		Items []struct {
			ID   int64
			Name string
		}
	}
	get("/api/v1/units", &roots)
	district := roots.Items[0].ID
	var communes struct {
		Items []struct {
			ID   int64
			Name string
		}
	}
	get(fmt.Sprintf("/api/v1/units?parent=%d&q=%s", district, url.QueryEscape("Phú Túc")), &communes)
	phuTuc := communes.Items[0].ID
	type q struct{ name, path string }
	var qs []q
	for _, w := range strings.Split(*words, ",") {
		e := url.QueryEscape(w)
		qs = append(qs,
			q{w + " PX first", fmt.Sprintf("/api/v1/members?unit=%d&q=%s", district, e)},
			q{w + " PX first50", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=50", district, e)})
		var first list
		get(fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=50", district, e), &first)
		if first.Next != nil {
			qs = append(qs, q{w + " PX next50", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=50&cursor=%s", district, e, url.QueryEscape(*first.Next))})
		}
		qs = append(qs, q{w + " PT first50", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=50", phuTuc, e)})
	}
	for _, x := range qs {
		var l list
		get(x.path, &l)
		for i := 0; i < 3; i++ {
			get(x.path, nil)
		}
		var per1 []float64
		var sum, srvSum float64
		for r := 0; r < *runs; r++ {
			s0, p0 := proccpu.Threads(*pid), proccpu.SampleBackends(*db)
			for i := 0; i < *per; i++ {
				get(x.path, nil)
			}
			s1, p1 := proccpu.Threads(*pid), proccpu.SampleBackends(*db)
			pg, _ := p1.Since(p0) // a backend gone meanwhile is left out, not subtracted
			ms := float64((s1-s0)+pg) / 1e6 / float64(*per)
			per1 = append(per1, ms)
			srvSum += float64(s1-s0) / 1e6 / float64(*per)
			sum += ms
		}
		sort.Float64s(per1)
		atl := ""
		if l.TotalAtLeast {
			atl = "+"
		}
		fmt.Printf("%s\t%s\t%d%s\titems=%d\tmean=%.2f\tmedian=%.2f\tserver=%.2f\n", *label, x.name, l.Total, atl, len(l.Items), sum/float64(*runs), per1[len(per1)/2], srvSum/float64(*runs))
	}
}
