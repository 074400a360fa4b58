package store

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// countingWriter is an http.ResponseWriter that counts the bytes of the
// answer and keeps none of them.
type countingWriter struct {
	h http.Header
	n int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkFourGoodAnswer measures what GET /frameworks/{id}/results does
// for the root (the contract's whole-city answer) and a district, on the
// datasets of SOTAY_BENCH_DBS made by TestGenerateDashboards (the
// four-good part): "answer" is the service's results and their JSON
// streamed as the handler streams them (httpx.StreamJSONBy of WriteJSON),
// into a writer that keeps nothing; "service" the results alone; "page" the
// first page of 50 and the next. Wall time and CPU per operation (this
// process and, on PostgreSQL, its server process; pg-cpu-ms/op the
// server's alone).
//
//	SOTAY_BENCH_DBS=postgres://…/fg14,sqlite:/tmp/fg14/sotay.db go test ./internal/store -run '^$' -bench FourGoodAnswer -benchtime 20x
func BenchmarkFourGoodAnswer(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDSNs(b, map[string]*DB{}) {
		cpu, backend := benchCPU(b, db), benchBackendCPU(b, db)
		actor := auth.SystemActor()
		var fw int64
		if err := db.read.QueryRowContext(ctx, `SELECT id FROM fourgood_frameworks WHERE name = 'Bench'`).Scan(&fw); err != nil {
			b.Fatal(err)
		}
		fg := &scoring.Service{Store: FourGood{DB: db}, Now: time.Now}
		run := func(sub string, f func() (int, error)) {
			b.Run(name+"/"+sub, func(b *testing.B) {
				start, be := cpu(), backend()
				n := loopCalls(b, f)
				reportCPU(b, cpu, start)
				b.ReportMetric(float64(backend()-be)/float64(b.N)/1e6, "pg-cpu-ms/op")
				b.ReportMetric(float64(n), "units")
			})
		}
		for _, sc := range dashScopes(b, db)[:2] {
			run("answer/"+sc.name, func() (int, error) {
				r, err := fg.Results(ctx, actor, fw, scoring.ResultsInput{UnitID: sc.id})
				if err != nil {
					return 0, err
				}
				w := &countingWriter{h: http.Header{}}
				httpx.StreamJSONBy(w, http.StatusOK, r.WriteJSON)
				return w.n, nil
			})
			run("service/"+sc.name, func() (int, error) { return fourGoodWhole(ctx, fg, actor, fw, sc.id) })
			run("page/"+sc.name, func() (int, error) { return fourGoodTwoPages(ctx, fg, actor, fw, sc.id) })
		}
	}
}

// fourGoodWhole is the service's whole answer for a unit (the contract's
// results without limit); it returns the number of items.
func fourGoodWhole(ctx context.Context, fg *scoring.Service, actor *auth.Actor, fw, unit int64) (int, error) {
	r, err := fg.Results(ctx, actor, fw, scoring.ResultsInput{UnitID: unit})
	if err != nil {
		return 0, err
	}
	return len(r.Items), nil
}

// fourGoodTwoPages reads the first page of 50 results and the next one;
// it returns the answer's total.
func fourGoodTwoPages(ctx context.Context, fg *scoring.Service, actor *auth.Actor, fw, unit int64) (int, error) {
	r, err := fg.Results(ctx, actor, fw, scoring.ResultsInput{UnitID: unit, Limit: 50})
	if err != nil || r.NextCursor == nil {
		return 0, err
	}
	r, err = fg.Results(ctx, actor, fw, scoring.ResultsInput{UnitID: unit, Limit: 50, Cursor: *r.NextCursor})
	if err != nil {
		return 0, err
	}
	return *r.Total, nil
}

// loopCalls runs f for the benchmark's loop and returns the last call's
// count (rows or bytes), which the benchmarks report beside the time.
func loopCalls(b *testing.B, f func() (int, error)) int {
	var n int
	for b.Loop() {
		var err error
		if n, err = f(); err != nil {
			b.Fatal(err)
		}
	}
	return n
}
