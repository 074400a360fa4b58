package store

import (
	"bytes"
	"io"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/testrun"
)

// BenchmarkBlobs20MiB uploads (Stage, Keep) and downloads (Open, read to
// the end) a 20 MiB attachment on each engine; a new content per upload
// (one byte differs) so that none is deduplicated. It reports MB/s and
// the peak heap above the start while downloading (sampled every
// millisecond with the collector at GOGC=10, so that garbage does not
// count): what one download holds in memory.
func BenchmarkBlobs20MiB(b *testing.B) {
	content := blobContent(doc.MaxAttachment, 9)
	engines := benchEngines
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine+"/upload", func(b *testing.B) {
			db := engines[engine](b)
			files := Blobs{DB: db, TempDir: b.TempDir()}
			b.SetBytes(int64(len(content)))
			for i := 0; b.Loop(); i++ {
				content[0] = byte(i)
				content[1] = byte(i >> 8)
				st, err := files.Stage(bytes.NewReader(content), doc.MaxAttachment)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.Keep(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(engine+"/download", func(b *testing.B) {
			db := engines[engine](b)
			files := Blobs{DB: db, TempDir: b.TempDir()}
			st, err := files.Stage(bytes.NewReader(content), doc.MaxAttachment)
			if err != nil {
				b.Fatal(err)
			}
			if err := st.Keep(); err != nil {
				b.Fatal(err)
			}
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			stopSampling := testrun.SampleHeap(func(ms *runtime.MemStats) uint64 { return ms.HeapAlloc })
			b.SetBytes(int64(len(content)))
			buf := make([]byte, 32<<10) // what http.ServeContent copies with
			for b.Loop() {
				f, err := files.Open(st.Hash())
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, buf); err != nil || n != int64(len(content)) {
					b.Fatal(n, err)
				}
				f.Close()
			}
			if p := stopSampling(); p > base {
				b.ReportMetric(float64(p-base)/(1<<20), "peak-heap-MiB")
			}
		})
	}
}
