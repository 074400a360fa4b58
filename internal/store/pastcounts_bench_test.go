package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkPastRows writes 3,490 new rows of past_stat_counts (ten district
// prefixes, 28 days of each month of a year, the months and the year) through
// writePastRows in one transaction, with 50 to 4,000 rows a statement, on
// both engines, and on SQLite also through the driver as it is (the $N
// texts as written, plainSQLite): the shape of migration 0035's backfill, which writes
// millions of them. It reports the CPU per operation (the process and, on
// PostgreSQL, its backends) and per row. PostgreSQL now gets the rows as
// arrays (pastRowsUnnest) whatever the batch: its figures differ only by
// the noise.
//
//	go test ./internal/store -run '^$' -bench PastRows -benchtime 5x
func BenchmarkPastRows(b *testing.B) {
	ctx := context.Background()
	defer func(n int) { pastRowsPerStatement = n }(pastRowsPerStatement)
	round := 0
	for _, engine := range []string{"sqlite", "sqlite-driver", "postgres"} {
		var db *DB
		switch engine {
		case "sqlite":
			db = benchAuditDB(b, sqliteDialect)
		case "sqlite-driver":
			db = plainSQLite(b, benchAuditDB(b, sqliteDialect))
		default:
			db = benchAuditDB(b, postgresDialect)
		}
		cpu := benchCPU(b, db)
		for _, batch := range []int{50, 100, 400, 1000, 4000} {
			if engine == "sqlite-driver" && batch > 400 {
				continue // 28,000 $N parameters: seconds a statement
			}
			b.Run(fmt.Sprintf("%s/%d-rows", engine, batch), func(b *testing.B) {
				pastRowsPerStatement = batch
				start := cpu()
				rows := 0
				for b.Loop() {
					round++
					acc := newPastAcc()
					for p := range 10 {
						prefix := acc.prefix(fmt.Sprintf("/%d/%d/", round, p))
						key := acc.key(pastKey{"full", "male", "30-40"})
						for m := range int32(12) {
							for day := range int32(28) {
								acc.n[pastDelta{prefix, 20250000 + (m+1)*100 + day + 1, key}]++
							}
						}
					}
					out := acc.rows()
					rows = len(out)
					if err := db.Write(ctx, func(tx *Tx) error { return writePastRows(ctx, tx, acc, out, false) }); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu, start)
				b.ReportMetric(float64(rows), "rows/op")
			})
		}
	}
}

// plainSQLite is db's SQLite file opened through modernc's driver as it
// is, without the store's connector (sqliteparams.go): SQLite gets the
// texts with their $N, as before.
func plainSQLite(tb testing.TB, db *DB) *DB {
	tb.Helper()
	w, err := sql.Open("sqlite", sqliteDSN(db.path, false))
	if err != nil {
		tb.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", sqliteDSN(db.path, true))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close(); r.Close() })
	return &DB{dialect: sqliteDialect, write: w, read: r, Now: db.Now, path: db.path}
}

// BenchmarkRebuildPastCounts recounts and rewrites past_stat_counts (what
// migration 0035's backfill and `sotay check counters --fix` do) on the
// district demo, SQLite, as the store does it now (the store's pools, 400
// rows a statement) and as main did before (the driver as it is, $N, 50
// rows a statement). It reports the CPU per rebuild and the rows written.
//
//	go test ./internal/store -run '^$' -bench RebuildPastCounts -benchtime 3x
func BenchmarkRebuildPastCounts(b *testing.B) {
	ctx := context.Background()
	defer func(n int) { pastRowsPerStatement = n }(pastRowsPerStatement)
	db := benchDatasets(b)["district-sqlite"]
	for _, v := range []struct {
		name  string
		db    *DB
		batch int
	}{{"store-400", db, 400}, {"driver-50", plainSQLite(b, db), 50}} {
		b.Run(v.name, func(b *testing.B) {
			pastRowsPerStatement = v.batch
			cpu := benchCPU(b, v.db)
			start := cpu()
			for b.Loop() {
				if err := v.db.Write(ctx, func(tx *Tx) error { return tx.rebuildPastCounts(ctx) }); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu, start)
			var rows int
			if err := v.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM past_stat_counts`).Scan(&rows); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// BenchmarkPastCounts recounts the past statistics on each benchmark
// dataset (the district demo on SQLite, and SOTAY_BENCH_DBS: e.g. the
// district demo loaded on PostgreSQL by `sotay demo`): "check" compares
// past_stat_counts with the recount (what each `sotay check counters`
// does), "rebuild" rewrites it (the bulk loader's end, migration 0035's
// backfill, `check counters --fix`). It reports the CPU per operation,
// this process and the server's backend.
//
//	SOTAY_BENCH_DBS=postgres://…/district go test ./internal/store -run '^$' -bench PastCounts -benchtime 3x
func BenchmarkPastCounts(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		db.logsPast(ctx) // asked on the reader pool: not inside the one connection's write below
		cpu := benchCPU(b, db)
		b.Run(name+"/check", func(b *testing.B) {
			start := cpu()
			for b.Loop() {
				drift, err := checkPastCounts(ctx, db.read)
				if err != nil {
					b.Fatal(err)
				}
				if len(drift) != 0 {
					b.Fatalf("%d rows drifted, the first %+v", len(drift), drift[0])
				}
			}
			reportCPU(b, cpu, start)
		})
		b.Run(name+"/rebuild", func(b *testing.B) {
			start := cpu()
			for b.Loop() {
				if err := db.Write(ctx, func(tx *Tx) error { return tx.rebuildPastCounts(ctx) }); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu, start)
			if drift, err := checkPastCounts(ctx, db.read); err != nil || len(drift) != 0 {
				b.Fatalf("after the rebuild: %d rows drifted (%v)", len(drift), err)
			}
		})
	}
}
