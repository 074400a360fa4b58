package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// BenchmarkUnitStats measures the unit statistics (today, with the age
// bands) of the root, of the province or city "HN" when it is not the
// root (the nation dataset), and of one commune (Phú Túc), on each
// database of SOTAY_BENCH_DBS; it reports the CPU of the process and of
// the PostgreSQL backends per op (dbCPUTime).
func BenchmarkUnitStats(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		var rootID int64
		var rootPath string
		if err := db.read.QueryRowContext(ctx, `SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&rootID, &rootPath); err != nil {
			b.Fatal(err)
		}
		scopes := []struct{ label, path string }{{"root", rootPath}}
		if hn, err := (Units{db}).ByCode(ctx, "HN"); err == nil && hn.ID != rootID {
			scopes = append(scopes, struct{ label, path string }{"province", hn.Path})
		}
		if c, err := (Units{db}).ByCode(ctx, "HN.PX.PHUTUC"); err == nil {
			scopes = append(scopes, struct{ label, path string }{"commune", c.Path})
		}
		today := date.Today(time.Now())
		for _, s := range scopes {
			b.Run(name+"/"+s.label, func(b *testing.B) {
				cpu0 := dbCPUTime(db)
				for b.Loop() {
					if _, err := (Units{db}).Stats(ctx, s.path, today, true); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((dbCPUTime(db)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
