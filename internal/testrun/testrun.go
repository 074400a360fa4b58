// Package testrun holds what a package's TestMain sets up for the way its
// tests run.
package testrun

import (
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// RaiseParallel sets -test.parallel (how many t.Parallel tests run at
// once; go test's default is GOMAXPROCS, two on the CI machine) to n when
// the command line did not set it and n is more than the default. For a
// package whose tests mostly wait (on their own server, Chromium, child
// processes, PostgreSQL, fsync) rather than compute. Call it from TestMain
// before m.Run; it parses the command line.
func RaiseParallel(n int) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set && runtime.GOMAXPROCS(0) < n {
		flag.Set("test.parallel", strconv.Itoa(n))
	}
}

// RaiseGCPercent lets the heap of the test binary grow to percent more
// than what was live after the last collection before the next one (Go's
// default is 100), unless GOGC is set in the environment. For a package
// whose tests run many servers in one process: there the collector's
// marking was about a tenth of the process's CPU (internal/cli, session 12,
// docs/benchmarks.md), and the machine has memory to spare for it. Only
// the test binary: a child process the tests start as the program gets
// Go's default, as the program has. Call it from TestMain.
func RaiseGCPercent(percent int) {
	if os.Getenv("GOGC") != "" {
		return
	}
	if old := debug.SetGCPercent(percent); old > percent {
		debug.SetGCPercent(old)
	}
}
