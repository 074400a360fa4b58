package testrun

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

func TestMain(m *testing.M) {
	RaiseParallel(runtime.GOMAXPROCS(0) + 3)
	os.Exit(m.Run())
}

// TestRaiseParallel: without -test.parallel on the command line, the
// package runs GOMAXPROCS+3 tests at once (go test's default would be
// GOMAXPROCS); with it, the command line wins.
func TestRaiseParallel(t *testing.T) {
	got := flag.Lookup("test.parallel").Value.String()
	want := strconv.Itoa(runtime.GOMAXPROCS(0) + 3)
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if set {
		t.Skip("-test.parallel given on the command line")
	}
	if got != want {
		t.Errorf("test.parallel = %s, want %s", got, want)
	}
}
