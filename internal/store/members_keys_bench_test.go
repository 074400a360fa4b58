package store

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
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
				ms := make([]*member.Member, 1000)
				for i := range ms {
					n++
					m := &member.Member{UnitID: cells[n%len(cells)].ID, FullName: fmt.Sprintf("Nguyễn Văn Khúc %d", n), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
						CardNo: fmt.Sprintf("%08d", n), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
					member.Normalize(m)
					ms[i] = m
				}
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
