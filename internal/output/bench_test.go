package output

import (
	"context"
	"io"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/testrun"
)

// twoPages is the sample directive with a longer body: two pages.
func twoPages(b testing.TB) *Document {
	d := samples(b)["CT"]
	more, err := Blocks(sampleBody + strings.Repeat("\nCác tổ chức đảng báo cáo kết quả hằng quý về Huyện ủy, nêu rõ số việc được giao, hoàn thành đúng hạn, chậm hạn và nguyên nhân.\n", 8))
	if err != nil {
		b.Fatal(err)
	}
	d.Body = more
	return d
}

// fiftyPages is an accountability report of about 50 pages: 1,500 units.
func fiftyPages(b testing.TB) *Document {
	rep := sampleReport()
	rep.Units = nil
	for i := 0; i < 1500; i++ {
		rep.Units = append(rep.Units, task.UnitRow{Rank: i + 1, UnitName: "Chi bộ thôn Đồng Vinh số " + n(i), Metrics: task.Metrics{Received: i % 17, DoneOnTime: i % 11, DoneLate: i % 3}, Score: i % 23})
	}
	return Accountability(rep, []doc.UnitRef{{Name: "Huyện ủy Phú Xuyên"}})
}

// cpuMS reports the process's CPU time per operation (user and system),
// which other work on a shared machine does not inflate as it does the
// wall time of ns/op.
func cpuMS(b *testing.B) func() {
	var start syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &start)
	return func() {
		var end syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &end)
		used := time.Duration(end.Utime.Nano()-start.Utime.Nano()+end.Stime.Nano()-start.Stime.Nano()) * time.Nanosecond
		b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

func pageCount(b *testing.B, d *Document) {
	pages, err := d.Layout()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(pages)), "pages")
}

func BenchmarkTwoPagesPDF(b *testing.B)    { benchWrite(b, twoPages(b), WritePDF, true) }
func BenchmarkTwoPagesDOCX(b *testing.B)   { benchWrite(b, twoPages(b), WriteDOCX, false) }
func BenchmarkFiftyPagesPDF(b *testing.B)  { benchWrite(b, fiftyPages(b), WritePDF, true) }
func BenchmarkFiftyPagesDOCX(b *testing.B) { benchWrite(b, fiftyPages(b), WriteDOCX, false) }

// benchWrite measures write of d (and reports d's pages when pages is
// set), with the CPU per op.
func benchWrite(b *testing.B, d *Document, write func(io.Writer, *Document) error, pages bool) {
	if pages {
		defer pageCount(b, d)
	}
	defer cpuMS(b)()
	for b.Loop() {
		if err := write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTwentyAtOnce renders twenty two-page PDFs at once through
// renderSlot (the server's path, with its slots, less the papers kept by
// Render, which would answer all but the first from memory) and reports
// the peak of the heap in use while they run, sampled every millisecond.
func BenchmarkTwentyAtOnce(b *testing.B) {
	d := twoPages(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stopSampling := testrun.SampleHeap(func(ms *runtime.MemStats) uint64 { return ms.HeapInuse })
	for b.Loop() {
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Go(func() {
				if err := renderSlot(context.Background(), io.Discard, d, PDF); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(stopSampling())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(base.HeapInuse)/(1<<20), "idle-heap-MB")
}
