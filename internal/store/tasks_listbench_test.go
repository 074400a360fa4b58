package store

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/task"
)

// BenchmarkTaskListPage measures the first page of 50 of the district's
// task list (issue 17) on the district demo with 10,000 generated tasks
// (SOTAY_BENCH_LIST_TASKS to change it):
// newest first with every state, and the board's open tasks by due date,
// with one and with eight concurrent readers. It reports pages per second
// and the process CPU per page (user + system, from getrusage).
func BenchmarkTaskListPage(b *testing.B) {
	ctx := context.Background()
	n := benchCount(b, "SOTAY_BENCH_LIST_TASKS", 10_000, "tasks")
	for name, db := range benchDatasets(b) {
		if name == "district-sqlite" {
			ensureTaskHistory(b, db, n)
		}
		u, err := Units{db}.ByCode(ctx, "HN.PX")
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range []struct {
			name string
			f    task.Filter
		}{
			{"all-new", task.Filter{Paths: []string{u.Path}, Today: benchToday, Limit: 50}},
			{"open-due", task.Filter{Paths: []string{u.Path}, Today: benchToday, Limit: 50, OrderByDue: true,
				States: []task.State{task.StateAssigned, task.StateInProgress, task.StateSuspended}, NotOverdue: true}},
		} {
			for _, clients := range []int{1, 8} {
				b.Run(name+"/"+l.name+"/clients="+itoa(clients), func(b *testing.B) {
					cpu0 := processCPUTime()
					start := time.Now()
					read := func() {
						p, err := Tasks{db}.List(ctx, l.f)
						if err != nil {
							b.Error(err)
						} else if len(p.Items) == 0 {
							b.Error("empty page")
						}
					}
					if clients == 1 {
						for b.Loop() {
							read()
						}
					} else {
						b.SetParallelism((clients + 1) / 2)
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								read()
							}
						})
					}
					elapsed, cpu := time.Since(start), processCPUTime()-cpu0
					b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pages/s")
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/page")
				})
			}
		}
	}
}

// processCPUTime is the user and system CPU time of this process.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
