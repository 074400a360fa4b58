package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/member"
)

// BenchmarkMemberListPage measures the first page of 50 of the district's
// member list in name order (issue 17) on the district demo, every member
// and the active ones, with its count, one reader. It reports pages per
// second and the process CPU per page.
func BenchmarkMemberListPage(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		u, err := Units{db}.ByCode(ctx, "HN.PX")
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range []struct {
			name string
			f    member.Filter
		}{
			{"all", member.Filter{Path: u.Path, Limit: 50}},
			{"active", member.Filter{Path: u.Path, Limit: 50, Statuses: []member.Status{member.StatusProbationary, member.StatusFull}}},
		} {
			b.Run(name+"/"+l.name, func(b *testing.B) {
				cpu0 := processCPUTime()
				start := time.Now()
				for b.Loop() {
					p, err := Members{db}.List(ctx, l.f)
					if err != nil {
						b.Fatal(err)
					} else if len(p.Items) == 0 {
						b.Fatal("empty page")
					}
				}
				elapsed, cpu := time.Since(start), processCPUTime()-cpu0
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pages/s")
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/page")
			})
		}
	}
}
