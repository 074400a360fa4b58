package store

import (
	"context"
	"testing"
)

// BenchmarkWriteSmall measures the CPU of a small write (one row of
// auth_failures, in DB.Write) on both engines, with the past statistics'
// step before the commit (applyPastLog, which finds the log empty) and
// without it (the schema before migration 0035): what that step costs
// every write that changes no member, past membership or unit history.
//
//	go test ./internal/store -run '^$' -bench WriteSmall -benchtime 2000x
func BenchmarkWriteSmall(b *testing.B) {
	ctx := context.Background()
	for _, d := range []dialect{sqliteDialect, postgresDialect} {
		db := benchAuditDB(b, d)
		cpu := benchCPU(b, db)
		for _, step := range []struct {
			name string
			log  int32
		}{{"past-step", 2}, {"no-past-step", 1}} {
			b.Run(string(d)+"/"+step.name, func(b *testing.B) {
				db.pastLog.Store(step.log)
				defer db.pastLog.Store(2)
				start := cpu()
				i := int64(0)
				for b.Loop() {
					i++
					if err := db.Write(ctx, func(tx *Tx) error {
						_, err := tx.ExecContext(ctx, `INSERT INTO auth_failures (key, at_us) VALUES ($1, $2)`, "bench", i)
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
			})
		}
	}
}
