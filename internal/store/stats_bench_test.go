package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// BenchmarkStats measures the unit statistics of today (GET
// /units/{id}/stats) for the whole tree (the city on a city dataset), one
// district (Phú Xuyên) and one commune (Phú Túc); then the statistics of a
// past day (-past) and the old statement of today's (-scan).
//
//	SOTAY_BENCH_DBS=sqlite:/tmp/city.db go test ./internal/store -run '^$' -bench 'Stats$'
func BenchmarkStats(b *testing.B) {
	ctx := context.Background()
	for name, db := range migratedBenchDatasets(b) {
		_, rootPath := rootUnit(b, db)
		today := date.Today(time.Now())
		cpu := benchCPU(b, db)
		for _, c := range []struct{ label, code string }{{"root", ""}, {"district", "HN.PX"}, {"commune", "HN.PX.PHUTUC"}} {
			path := rootPath
			if c.code != "" {
				u, err := Units{db}.ByCode(ctx, c.code)
				if err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				path = u.Path
			}
			b.Run(name+"/"+c.label, func(b *testing.B) {
				var members int
				start := cpu()
				for b.Loop() {
					st, err := (Units{db}).Stats(ctx, path, today, true)
					if err != nil {
						b.Fatal(err)
					}
					members = st.Members.Total
				}
				reportCPU(b, cpu, start)
				b.ReportMetric(float64(members), "members")
			})
			// The statistics of a past day (a year ago, the unit at its
			// path of today): the tree's history and the subtree's members.
			b.Run(name+"/"+c.label+"-past", func(b *testing.B) {
				start := cpu()
				for b.Loop() {
					if _, err := (Units{db}).Stats(ctx, path, today.AddYears(-1), false); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
			})
			// The old statement of a past day (the dated counters' oracle):
			// the figures before migration 0035, and the same answer.
			b.Run(name+"/"+c.label+"-past-scan", func(b *testing.B) {
				day := today.AddYears(-1)
				want, err := (Units{db}).statsScan(ctx, path, day, false)
				if err != nil {
					b.Fatal(err)
				}
				if got, err := (Units{db}).Stats(ctx, path, day, false); err != nil || !reflect.DeepEqual(got, want) {
					b.Fatalf("%s on %s: dated counters %+v (%v), statement %+v", path, day, got, err, want)
				}
				start := cpu()
				for b.Loop() {
					if _, err := (Units{db}).statsScan(ctx, path, day, false); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
			})
			// The old statement (today's statistics before the counters, and
			// their oracle), for the before/after figures.
			b.Run(name+"/"+c.label+"-scan", func(b *testing.B) {
				start := cpu()
				for b.Loop() {
					if _, err := (Units{db}).statsScan(ctx, path, today, true); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
			})
		}
	}
}
