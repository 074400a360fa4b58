package testrun

import (
	"runtime"
	"sync/atomic"
	"time"
)

// SampleHeap reads the memory statistics every millisecond, keeping the
// highest value of what (HeapInuse, HeapAlloc, …), until the function it
// returns is called; that stops the sampling and answers the highest value
// seen. For the benchmarks that report the peak of the heap while they run.
func SampleHeap(what func(*runtime.MemStats) uint64) (stop func() uint64) {
	var peak atomic.Uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			select {
			case <-quit:
				return
			case <-time.After(time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if v := what(&ms); v > peak.Load() {
				peak.Store(v)
			}
		}
	}()
	return func() uint64 {
		close(quit)
		<-done
		return peak.Load()
	}
}
