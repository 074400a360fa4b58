package testrun

import (
	"flag"
	"os"
	"runtime"
	"runtime/debug"
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

// TestRaiseGCPercent: without GOGC in the environment the percentage is
// raised (never lowered); with GOGC set, the environment wins.
func TestRaiseGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tests := []struct {
		name        string
		gogc        string
		old, raise  int
		wantPercent int
	}{
		{"raised", "", 100, 400, 400},
		{"never lowered", "", 800, 400, 800},
		{"GOGC set", "100", 100, 400, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc)
			debug.SetGCPercent(tt.old)
			RaiseGCPercent(tt.raise)
			if got := debug.SetGCPercent(tt.old); got != tt.wantPercent {
				t.Errorf("GC percent: got %d, want %d", got, tt.wantPercent)
			}
		})
	}
}
