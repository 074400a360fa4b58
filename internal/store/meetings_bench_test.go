package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// BenchmarkMeetingCompliance measures the compliance grid of 2025 (cells ×
// months, the thematic meeting of each quarter, attendance rates and the
// flags) for one commune (Phú Túc), the district and the whole tree, on
// the district dataset and on those of SOTAY_BENCH_DBS. Each dataset first
// gets a year of closed meetings for every cell, made set-based: the
// regular meeting in nine months of ten, a thematic meeting in seven
// quarters of ten, and absences without reason for one member in 25 in a
// third of the meetings; then what closing writes, set-based too: the
// count of absences without reason on each meeting and the roll-up.
//
//	SOTAY_BENCH_GENERATE=city=sqlite:/tmp/city.db go test -run TestGenerateBenchDataset -v ./internal/store/
//	SOTAY_BENCH_DBS=sqlite:/tmp/city.db go test ./internal/store -run '^$' -bench MeetingCompliance
func BenchmarkMeetingCompliance(b *testing.B) {
	ctx := context.Background()
	for name, db := range migratedBenchDatasets(b) {
		start := time.Now()
		meetings, absences, err := genMeetingYear(ctx, db)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if db.dialect == postgresDialect {
			db.write.ExecContext(ctx, `ANALYZE meetings; ANALYZE meeting_attendance`)
		} else {
			db.write.ExecContext(ctx, `ANALYZE`)
		}
		b.Logf("%s: %d meetings, %d absences written in %s", name, meetings, absences, time.Since(start).Round(time.Millisecond))
		svc := &meeting.Service{Store: Meetings{DB: db}, Now: time.Now}
		rootID := rootUnitID(b, db)
		scopes := []struct {
			name string
			id   int64
		}{{"root", rootID}}
		for _, code := range []string{"HN.PX.PHUTUC", "HN.PX"} {
			u, err := Units{DB: db}.ByCode(ctx, code)
			if err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			scopes = append(scopes, struct {
				name string
				id   int64
			}{code, u.ID})
		}
		for _, sc := range scopes {
			b.Run(name+"/"+sc.name, func(b *testing.B) {
				var cells, flags int
				for b.Loop() {
					c, err := svc.Compliance(ctx, auth.SystemActor(), meeting.ComplianceInput{UnitID: sc.id, Year: 2025})
					if err != nil {
						b.Fatal(err)
					}
					cells, flags = len(c.Cells), len(c.Flags)
				}
				b.ReportMetric(float64(cells), "cells")
				b.ReportMetric(float64(flags), "flags")
			})
		}
	}
}
