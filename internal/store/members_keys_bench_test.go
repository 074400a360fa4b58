package store

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// BenchmarkMemberImportKeys measures what the keys of migration 0047 cost a
// member write: an import of 1,000 members into a district of 100 cells on
// SQLite (the engine of the demo and of most of the suite), with the keys
// not kept (a small database: the triggers' WHEN only) and kept (a big
// one). CPU of the process per import (getrusage: SQLite runs in it).
func BenchmarkMemberImportKeys(b *testing.B) {
	for _, kept := range []bool{false, true} {
		b.Run(fmt.Sprintf("kept=%v", kept), func(b *testing.B) {
			ctx := context.Background()
			db := OpenTest(b, filepath.Join(b.TempDir(), "bench.db"))
			_, _, cells := benchDistrictPX(b, db)
			if kept {
				if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			var cpu time.Duration
			b.ResetTimer()
			for range b.N {
				ms := benchMembers(cells, &n, 1000, "Nguyễn Văn Khúc")
				before := processCPU()
				if err := (Members{db}).Import(ctx, ms, nil, auth.AuditEntry{Actor: auth.SystemActor(), Action: "member.import", ObjectType: "unit"}); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/import")
		})
	}
}

// processCPU is the process's user and system CPU so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
