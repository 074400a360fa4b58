// Package testrun holds what a package's TestMain sets up for the way its
// tests run.
package testrun

import (
	"flag"
	"runtime"
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
