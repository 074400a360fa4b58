package store

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// serverCPU counts the PostgreSQL server's CPU spent for the one backend
// a benchmark reads on: the backend's own and that of the parallel
// workers it leads. A worker is a short-lived child of the postmaster
// that takes its CPU with it when it exits, so a reading of the backend
// alone misses it; serverCPU's poller watches the postmaster's children
// (every pollEvery) for those whose title is "parallel worker for PID
// <backend>" and keeps the last CPU reading of each. What a worker spends
// after its last reading (at most a poll interval and its exit) is lost,
// and a worker that lives less than a poll interval may be missed, so
// the count is a lower bound, far closer than the backend's alone. The
// poller's own CPU is in this process's: cpu subtracts it, so that
// process CPU + server CPU stays the requests' cost.
type serverCPU struct {
	backend, postmaster int
	pollerTID           int
	realtime            bool // the poller runs in the real-time class

	mu       sync.Mutex
	done     time.Duration         // workers that exited: their last reading
	live     map[int]time.Duration // workers running: their last reading
	other    map[int]bool          // children known not to be our workers
	seen     int                   // workers seen so far
	pollerNS time.Duration         // the poller thread's CPU at its last turn
	stop     chan struct{}
}

// pollEvery is the poller's interval: short against a worker's life (a
// Gather's workers run for the whole query, milliseconds at least), long
// enough to leave the two cores to the query.
const pollEvery = 200 * time.Microsecond

// newServerCPU starts counting for db's read connection (its pool cut to
// one connection); nil on SQLite, whose work is this process's. Without
// the postmaster's /proc entry (a server on another machine), it counts
// the backend alone.
func newServerCPU(tb testing.TB, db *DB) *serverCPU {
	if db.dialect != postgresDialect {
		return nil
	}
	db.read.SetMaxOpenConns(1)
	s := &serverCPU{live: map[int]time.Duration{}, other: map[int]bool{}, stop: make(chan struct{})}
	if err := db.read.QueryRowContext(context.Background(), `SELECT pg_backend_pid()`).Scan(&s.backend); err != nil {
		tb.Fatal(err)
	}
	s.postmaster = parentPID(s.backend)
	if s.postmaster <= 1 {
		tb.Logf("server CPU: the backend alone (no postmaster in /proc)")
		return s
	}
	started := make(chan struct{})
	go s.poll(started)
	<-started
	if !s.realtime {
		tb.Logf("server CPU: the poller could not take the real-time class; parallel workers may be missed")
	}
	tb.Cleanup(func() { close(s.stop) })
	return s
}

// cpu is the server's CPU so far for the backend (its own and its
// workers'), less the poller's CPU in this process.
func (s *serverCPU) cpu() time.Duration {
	if s == nil {
		return 0
	}
	own := procCPUTime(s.backend)
	if s.postmaster <= 1 {
		return own
	}
	s.turn() // the workers' state now, not up to a poll interval ago
	s.mu.Lock()
	defer s.mu.Unlock()
	total := own + s.done - s.pollerNS
	for _, d := range s.live {
		total += d
	}
	return total
}

// workers is the number of parallel workers seen so far.
func (s *serverCPU) workers() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen
}

// poll runs the poller on a thread of its own, whose CPU it can read,
// in the real-time class when this process may (root): on two loaded
// cores a thread of the normal class was woken too late to see most
// workers of a query of a few milliseconds (3 of 10 seen at load 16). It
// sleeps in the kernel (nanosleep), not on a Go timer, so that the
// kernel wakes this thread itself.
func (s *serverCPU) poll(started chan<- struct{}) {
	runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
	s.pollerTID = syscall.Gettid()
	s.realtime = setRealtime()
	close(started)
	ts := syscall.NsecToTimespec(pollEvery.Nanoseconds())
	for {
		select {
		case <-s.stop:
			return
		default:
		}
		s.turn()
		syscall.Nanosleep(&ts, nil)
	}
}

// setRealtime puts the calling thread in the SCHED_FIFO class at the
// lowest real-time priority; false when not allowed.
func setRealtime() bool {
	param := struct{ priority int32 }{1}
	const schedFIFO = 1
	_, _, errno := syscall.Syscall(syscall.SYS_SCHED_SETSCHEDULER, 0, schedFIFO, uintptr(unsafe.Pointer(&param)))
	return errno == 0
}

// turn reads the postmaster's children once: new workers of the backend
// are tracked, the tracked ones' CPU read, those gone kept at their last
// reading.
func (s *serverCPU) turn() {
	raw, _ := os.ReadFile("/proc/" + strconv.Itoa(s.postmaster) + "/task/" + strconv.Itoa(s.postmaster) + "/children")
	children := map[int]bool{}
	for _, f := range strings.Fields(string(raw)) {
		if pid, err := strconv.Atoi(f); err == nil {
			children[pid] = true
		}
	}
	title := "parallel worker for PID " + strconv.Itoa(s.backend)
	s.mu.Lock()
	defer s.mu.Unlock()
	for pid := range children {
		if _, ok := s.live[pid]; ok || s.other[pid] {
			continue
		}
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		switch {
		case strings.Contains(string(cmd), title):
			s.live[pid] = 0
			s.seen++
		case strings.HasPrefix(string(cmd), "postgres: "):
			s.other[pid] = true
			// else: a child just forked still shows the postmaster's
			// command line until it sets its title; looked at again.
		}
	}
	for pid, last := range s.live {
		if !children[pid] {
			s.done += last
			delete(s.live, pid)
			continue
		}
		if d := procCPUTime(pid); d > last {
			s.live[pid] = d
		}
	}
	for pid := range s.other { // a pid reused later is looked at again
		if !children[pid] {
			delete(s.other, pid)
		}
	}
	if s.pollerTID != 0 {
		s.pollerNS = threadCPUTime(s.pollerTID)
	}
}

// parentPID is the parent of process pid from /proc/<pid>/stat, 0 when
// it cannot be read.
func parentPID(pid int) int {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// threadCPUTime is the run time of this process's thread tid.
func threadCPUTime(tid int) time.Duration {
	raw, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/schedstat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return 0
	}
	ns, _ := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns)
}

// TestServerCPUCountsWorkers runs a query that PostgreSQL runs with
// parallel workers (their costs set to nothing) and checks that serverCPU
// saw each worker the plan launched and counted CPU for them, beyond the
// backend's own.
func TestServerCPUCountsWorkers(t *testing.T) {
	dsn := migratedPostgres(t)
	if dsn == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	db := OpenTest(t, dsn)
	ctx := context.Background()
	s := newServerCPU(t, db)
	if s.postmaster <= 1 {
		t.Skip("the PostgreSQL server is not on this machine")
	}
	for _, q := range []string{
		`CREATE TABLE cpu_probe AS SELECT i FROM generate_series(1, 400000) i`,
		`ANALYZE cpu_probe`,
		`SET parallel_setup_cost = 0`, `SET parallel_tuple_cost = 0`, `SET min_parallel_table_scan_size = 0`,
		`SET max_parallel_workers_per_gather = 2`,
	} {
		if _, err := db.read.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A worker that starts and ends between two of the poller's readings
	// is not seen: on a loaded machine (the whole suite) one run in a few
	// missed one of its two. So the query runs up to five times and one run
	// must see every worker it launched; a poller that misses workers
	// fails every run.
	var backend0, cpu0 time.Duration
	var poller0 time.Duration
	var seen0, launched, got int
	var wall0 time.Time
	for range 5 {
		backend0, cpu0, seen0, poller0, wall0 = procCPUTime(s.backend), s.cpu(), s.workers(), threadCPUTime(s.pollerTID), time.Now()
		var plan string
		if err := db.read.QueryRowContext(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) SELECT SUM(sqrt(i::float8) * ln(i::float8)) FROM cpu_probe WHERE i % 3 <> 1`).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		launched = 0
		if i := strings.Index(plan, `"Workers Launched": `); i >= 0 {
			launched, _ = strconv.Atoi(strings.TrimRight(strings.Fields(plan[i+len(`"Workers Launched": `):])[0], ","))
		}
		if launched == 0 {
			t.Skipf("no parallel worker launched (the server's are busy?): %s", plan)
		}
		if got = s.workers() - seen0; got == launched {
			break
		}
		t.Logf("%d workers seen of %d launched; again", got, launched)
	}
	// cpu() leaves out the poller's CPU (in this process): put it back.
	poller := threadCPUTime(s.pollerTID) - poller0
	workers := s.cpu() - cpu0 - (procCPUTime(s.backend) - backend0) + poller
	if got != launched {
		t.Errorf("got %d workers seen, want %d (launched), in each of five runs", got, launched)
	}
	if workers <= 0 {
		t.Errorf("got %v of the workers' CPU counted, want more than 0", workers)
	}
	t.Logf("%d workers: %v of their CPU counted, the backend's %v; the poller's %v in %v", launched, workers, procCPUTime(s.backend)-backend0, poller, time.Since(wall0))
}
