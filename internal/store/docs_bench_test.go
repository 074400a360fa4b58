package store

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// BenchmarkReadRates measures the read-rate view of a document published
// to the whole tree, with up to 200,000 receipts (two members in five, made
// with one INSERT … SELECT): the roll-up for the root (the city on a city
// dataset) and for one commune (Phú Túc). Each op is what GET
// /documents/{id}/receipts does: the per-unit counts (one GROUP BY over the
// subtree's members with a LEFT JOIN to the receipts), the count of those
// who have not read, and the first page of their names.
//
//	SOTAY_BENCH_DBS=sqlite:/tmp/city.db go test ./internal/store -run '^$' -bench ReadRates
func BenchmarkReadRates(b *testing.B) {
	ctx := context.Background()
	for name, db := range migratedBenchDatasets(b) {
		rootID := rootUnitID(b, db)
		root, err := Docs{db}.Unit(ctx, rootID)
		if err != nil {
			b.Fatal(err)
		}
		commune, err := Units{db}.ByCode(ctx, "HN.PX.PHUTUC")
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		district, err := Units{db}.ByCode(ctx, "HN.PX")
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		sys, svc := auth.SystemActor(), &doc.Service{Store: Docs{db}, Now: db.Now}
		d := benchDocument(b, db, root.ID, "Chỉ thị (benchmark)")
		var receipts int64
		err = db.Write(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO doc_receipts (document_id, member_id, version, read_at)
				SELECT $1, m.id, 1, $2 FROM members m WHERE m.status IN ('probationary', 'full', 'exempt') AND m.id % 5 < 2 ORDER BY m.id LIMIT 200000`,
				d.ID, tx.Now)
			if err == nil {
				receipts, _ = res.RowsAffected()
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if db.dialect == postgresDialect {
			db.write.ExecContext(ctx, `ANALYZE doc_receipts`)
		} else {
			db.write.ExecContext(ctx, `ANALYZE`)
		}
		cpu := benchCPU(b, db)
		for _, c := range []struct {
			label string
			unit  int64
		}{{"root", root.ID}, {"district", district.ID}, {"commune", commune.ID}} {
			b.Run(name+"/"+c.label, func(b *testing.B) {
				var rec *doc.Receipts
				start := cpu()
				for b.Loop() {
					rec, err = svc.Receipts(ctx, sys, d.ID, doc.ReceiptsInput{UnitID: c.unit, Limit: 50})
					if err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
				b.ReportMetric(float64(rec.Unit.Expected), "members")
				b.ReportMetric(float64(rec.Unit.Read), "read")
				b.ReportMetric(float64(receipts), "receipts")
			})
			// The counts from the counters, and by the member-by-member
			// statement they replaced (issue 16), for the before/after
			// figures.
			for _, counts := range []struct {
				suffix string
				read   func(path string) error
			}{
				{"-counts", func(path string) error { _, err := (Docs{db}).ReadRollup(ctx, d, path); return err }},
				{"-counts-scan", func(path string) error { _, err := (Docs{db}).readCountsScan(ctx, d, path); return err }},
			} {
				b.Run(name+"/"+c.label+counts.suffix, func(b *testing.B) {
					u, _ := Docs{db}.Unit(ctx, c.unit)
					start := cpu()
					for b.Loop() {
						if err := counts.read(u.Path); err != nil {
							b.Fatal(err)
						}
					}
					reportCPU(b, cpu, start)
				})
			}
		}
	}
}
