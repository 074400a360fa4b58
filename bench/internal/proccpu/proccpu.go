// Package proccpu reads the CPU time of a process and of the PostgreSQL
// backends that serve it, from /proc, for the benchmarks under bench/ that
// measure CPU per request (issue 17: "each list's first page ≤ 5 ms of
// server CPU"). Linux only; it is not part of the sotay binary.
package proccpu

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Threads is the CPU time of every thread of process pid so far
// (/proc/PID/task/*/schedstat, in nanoseconds; exited threads are in
// their process's total only once they are reaped, which the Go runtime
// does not do while it runs).
func Threads(pid int) time.Duration {
	var t time.Duration
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, _ := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64)
		t += time.Duration(n)
	}
	return t
}

// Backends is a sample of the CPU time of the PostgreSQL backends of one
// database (postmaster children whose title names it) and of every
// parallel worker, by process id.
type Backends map[int]time.Duration

// SampleBackends samples the backends of database db (none when db is
// empty: SQLite runs in the server's own process).
func SampleBackends(db string) Backends {
	s := Backends{}
	if db == "" {
		return s
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.HasPrefix(b, []byte("postgres: ")) {
			continue
		}
		title := string(b)
		if strings.Contains(title, " "+db+" ") || strings.Contains(title, "parallel worker") {
			pid, _ := strconv.Atoi(strings.Split(f, "/")[2])
			s[pid] = Threads(pid)
		}
	}
	return s
}

// Since is the CPU the backends of s used since before: a backend in both
// counts its difference, a backend new in s all it used; a backend of
// before gone from s is lost (its last share is not known) and counted
// in lost, so that a caller can say so rather than print a negative time.
func (s Backends) Since(before Backends) (used time.Duration, lost int) {
	for pid, t := range s {
		used += t - before[pid]
	}
	for pid := range before {
		if _, ok := s[pid]; !ok {
			lost++
		}
	}
	return used, lost
}
