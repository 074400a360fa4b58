package main

// The peer task tracker, Vikunja: started from a binary built apart (see
// docs/benchmarks.md; none of its code is in this repository) or already
// running, loaded with the same number of tasks through its API.

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// startVikunja starts bin on a fresh SQLite database in a temporary
// directory, waits until it answers, and returns the function that stops
// it. The configuration is in VIKUNJA_* variables (Vikunja reads them
// over its config.yml, and there is none in the directory). With
// withPprof it also sets VIKUNJA_BENCH_PPROF to a free loopback address:
// a build of Vikunja with the one-file addition described in
// docs/benchmarks.md serves net/http/pprof there (upstream's ignores it).
func (s *server) startVikunja(bin string, withPprof bool) func() {
	dir, err := os.MkdirTemp("", "vikunja-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if !filepath.IsAbs(bin) {
		if bin, err = filepath.Abs(bin); err != nil {
			log.Fatal(err)
		}
	}
	addr := freeAddr()
	cmd := exec.Command(bin, "web")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // stopped with this program, even by log.Fatal
	cmd.Dir = dir
	cmd.Env = vikunjaEnv(dir, addr)
	pprofAddr := ""
	if withPprof {
		pprofAddr = freeAddr()
		cmd.Env = append(cmd.Env, "VIKUNJA_BENCH_PPROF="+pprofAddr)
	}
	logFile, err := os.Create(filepath.Join(dir, "vikunja.log"))
	if err != nil {
		log.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.base, s.pid = "http://"+addr, cmd.Process.Pid
	deadline := time.Now().Add(10 * time.Minute)
	for {
		code, _ := s.do("GET", "/api/v1/info", nil, nil)
		if code == http.StatusOK {
			break
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logFile.Name())
			log.Fatalf("vikunja exited:\n%s", b)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			log.Fatal("vikunja did not start within 10 minutes")
		}
	}
	if pprofAddr != "" {
		if resp, err := http.Get("http://" + pprofAddr + "/debug/pprof/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.pprof = "http://" + pprofAddr
			}
		}
	}
	fmt.Printf("vikunja: %s started on %s (pid %d, SQLite in %s, profiler %q)\n", bin, s.base, s.pid, dir, s.pprof)
	return func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
		os.RemoveAll(dir)
	}
}

// vikunjaEnv is the environment of a Vikunja on dir, listening on addr.
func vikunjaEnv(dir, addr string) []string {
	return append(os.Environ(),
		"VIKUNJA_DATABASE_TYPE=sqlite",
		"VIKUNJA_DATABASE_PATH="+filepath.Join(dir, "vikunja.db"),
		"VIKUNJA_SERVICE_INTERFACE="+addr,
		"VIKUNJA_SERVICE_PUBLICURL=http://"+addr+"/",
		"VIKUNJA_SERVICE_ROOTPATH="+dir,
		"VIKUNJA_SERVICE_SECRET=bench-only-secret-not-for-use-anywhere-else",
		"VIKUNJA_SERVICE_ENABLEREGISTRATION=true",
		"VIKUNJA_SERVICE_JWTTTLSHORT=86400",
		"VIKUNJA_RATELIMIT_ENABLED=false",
		"VIKUNJA_FILES_BASEPATH="+filepath.Join(dir, "files"),
		"VIKUNJA_LOG_HTTP=off",
		"VIKUNJA_LOG_LEVEL=WARNING",
		"VIKUNJA_MAILER_ENABLED=false",
	)
}

// send is do, with the answer's text in the error when the status is not
// a success.
func (s *server) send(method, path string, body, out any) (int, error) {
	resp, err := s.request(method, path, body)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// vikunjaLogin registers user (when the login fails) and logs in.
func (s *server) vikunjaLogin(user, password string) {
	var out struct{ Token string }
	login := map[string]any{"username": user, "password": password, "long_token": true}
	if _, err := s.send("POST", "/api/v1/login", login, &out); err != nil {
		reg := map[string]string{"username": user, "email": user + "@bench.invalid", "password": password}
		if _, err := s.send("POST", "/api/v1/register", reg, nil); err != nil {
			log.Fatalf("vikunja: register: %v", err)
		}
		if _, err := s.send("POST", "/api/v1/login", login, &out); err != nil {
			log.Fatalf("vikunja: login: %v", err)
		}
	}
	s.token = out.Token
}

// vikunjaLoad signs in, creates a project with n tasks (or takes project,
// already loaded) and sets the list (endpoint, see vikunjaListURL) and the
// task paths.
func (s *server) vikunjaLoad(user, password, token string, project int64, n, writers int, endpoint string) {
	s.token = token
	if token == "" {
		s.vikunjaLogin(user, password)
		s.relogin = func() { s.vikunjaLogin(user, password) }
	}
	var info struct{ Version string }
	s.send("GET", "/api/v1/info", nil, &info)
	if project == 0 {
		var p struct{ ID int64 }
		if _, err := s.send("PUT", "/api/v1/projects", map[string]string{"title": "Bench " + time.Now().Format(time.RFC3339)}, &p); err != nil {
			log.Fatalf("vikunja: %v", err)
		}
		project = p.ID
		s.ids = s.vikunjaTasks(project, n, writers)
	}
	var views []vikunjaView
	if _, err := s.send("GET", fmt.Sprintf("/api/v1/projects/%d/views", project), nil, &views); err != nil {
		log.Fatalf("vikunja: %v", err)
	}
	var list int64
	for _, v := range views {
		if v.ViewKind == "list" && list == 0 {
			list = v.ID
		}
	}
	if list == 0 {
		log.Fatalf("vikunja: project %d has no list view", project)
	}
	s.listURL = vikunjaListURL(endpoint, project, views)
	s.project, s.views = project, views
	s.onePath = "/api/v1/tasks/%d"
	if len(s.ids) == 0 {
		for page := 1; page <= 10; page++ {
			var tasks []struct{ ID int64 }
			if _, err := s.send("GET", fmt.Sprintf("/api/v1/projects/%d/views/%d/tasks?page=%d&per_page=50", project, list, page), nil, &tasks); err != nil {
				log.Fatalf("vikunja: %v", err)
			}
			for _, t := range tasks {
				s.ids = append(s.ids, t.ID)
			}
		}
		if len(s.ids) == 0 {
			log.Fatalf("vikunja: project %d has no tasks", project)
		}
	}
	fmt.Printf("vikunja %s: pid %d, project %d, list view %d, %d task ids to read, list: GET %s\n", info.Version, s.pid, project, list, len(s.ids), s.listURL)
}

// vikunjaEndpoints are the values of -vikunja-list: which of Vikunja's
// task lists is read as "the first page of 50".
var vikunjaEndpoints = []string{"list", "table", "gantt", "kanban", "project", "all"}

// vikunjaListURL is the first page of 50 of the project's tasks by the
// endpoint named:
//
//	list, table, gantt, kanban  GET /api/v1/projects/{id}/views/{that view}/tasks
//	                            (the frontend's; the list view filters done = false
//	                            and every view sorts by its task positions)
//	project                     GET /api/v1/projects/{id}/tasks (no view: sorted by id)
//	all                         GET /api/v1/tasks (every project of the user, by id)
func vikunjaListURL(endpoint string, project int64, views []vikunjaView) string {
	const page = "page=1&per_page=50"
	switch endpoint {
	case "project":
		return fmt.Sprintf("/api/v1/projects/%d/tasks?%s", project, page)
	case "all":
		return "/api/v1/tasks?" + page
	}
	for _, v := range views {
		if v.ViewKind == endpoint {
			return fmt.Sprintf("/api/v1/projects/%d/views/%d/tasks?%s", project, v.ID, page)
		}
	}
	log.Fatalf("vikunja: project %d has no %s view", project, endpoint)
	return ""
}

// otherLists are copies of s (Vikunja, loaded) reading its other lists
// (endpoints[1:]), each named after its endpoint and signing in through s.
func (s *server) otherLists(endpoints []string) []*server {
	var out []*server
	for _, e := range endpoints[1:] {
		c := *s
		c.name, c.one = "vikunja-"+e, false
		c.listURL = vikunjaListURL(e, s.project, s.views)
		fmt.Printf("%s: list: GET %s\n", c.name, c.listURL)
		if s.relogin != nil {
			cp := &c
			c.relogin = func() { s.relogin(); cp.token = s.token }
		}
		out = append(out, &c)
	}
	return out
}

// vikunjaView is one of a project's views.
type vikunjaView struct {
	ID       int64  `json:"id"`
	ViewKind string `json:"view_kind"`
}

// vikunjaTasks creates n tasks in project, writers at a time, each with a
// title and a due date like Sổ tay's; a write that fails is tried again
// (up to 100 times, waiting up to a second), and the failures are counted by their message.
func (s *server) vikunjaTasks(project int64, n, writers int) []int64 {
	start := time.Now()
	ids := make([]int64, n)
	var mu sync.Mutex
	failed := map[string]int{}
	day := time.Now().Truncate(24 * time.Hour)
	inParallel(writers, n, func(i int) {
		body := map[string]any{
			"title":    fmt.Sprintf("Việc thử số %d", i+1),
			"due_date": day.AddDate(0, 0, 1+i%30).Format(time.RFC3339),
		}
		for try := 1; ; try++ {
			var out struct{ ID int64 }
			_, err := s.send("PUT", fmt.Sprintf("/api/v1/projects/%d/tasks", project), body, &out)
			if err == nil {
				ids[i] = out.ID
				return
			}
			mu.Lock()
			failed[shorten(err.Error())]++
			mu.Unlock()
			if try == 100 {
				log.Fatalf("vikunja: task %d failed 100 times: %v", i+1, err)
			}
			time.Sleep(min(time.Duration(try)*50*time.Millisecond, time.Second))
		}
	})
	el := time.Since(start)
	fmt.Printf("vikunja: created %d tasks in %s (%.0f tasks/s, %d clients)\n", n, el.Round(time.Millisecond), float64(n)/el.Seconds(), writers)
	msgs := make([]string, 0, len(failed))
	for m := range failed {
		msgs = append(msgs, m)
	}
	sort.Strings(msgs)
	for _, m := range msgs {
		fmt.Printf("vikunja: %d writes failed and were tried again: %s\n", failed[m], m)
	}
	return ids
}

// shorten keeps an error's first 200 bytes, for counting them by message.
func shorten(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
