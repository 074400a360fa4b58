package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/viet"
)

// benchDatasets returns the databases to benchmark on: the district demo
// generated into a temporary SQLite file, plus every DSN listed in
// SOTAY_BENCH_DBS (comma-separated, e.g. a city SQLite file and a nation
// PostgreSQL database made with `sotay demo --scale …`).
func benchDatasets(b *testing.B) map[string]*DB {
	b.Helper()
	out := map[string]*DB{}
	if os.Getenv("SOTAY_BENCH_SKIP_DISTRICT") != "" {
		return benchDSNs(b, out)
	}
	dir := b.TempDir()
	db := OpenTest(b, filepath.Join(dir, "district.db"))
	db.Now = time.Now
	loadDistrictDemo(b, db)
	out["district-sqlite"] = db
	return benchDSNs(b, out)
}

// migratedBenchDatasets are the benchDatasets, each migrated to the
// newest schema first.
func migratedBenchDatasets(b *testing.B) map[string]*DB {
	b.Helper()
	dbs := benchDatasets(b)
	for name, db := range dbs {
		if _, err := db.Migrate(context.Background()); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
	}
	return dbs
}

// benchDSNs opens the databases of SOTAY_BENCH_DBS into out.
func benchDSNs(b testing.TB, out map[string]*DB) map[string]*DB {
	for _, dsn := range strings.Split(os.Getenv("SOTAY_BENCH_DBS"), ",") {
		if dsn == "" {
			continue
		}
		d, err := Open(context.Background(), dsn, "")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		name := dsn
		if i := strings.LastIndex(dsn, "/"); i >= 0 {
			name = dsn[i+1:]
		}
		out[name] = d
	}
	return out
}

// BenchmarkCommune measures the statistics and a name search for one
// commune (Phú Túc): the cost must follow the subtree, not the database.
func BenchmarkCommune(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		u, err := Units{db}.ByCode(ctx, "HN.PX.PHUTUC")
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		today := date.Today(time.Now())
		b.Run(name+"/stats", func(b *testing.B) {
			for b.Loop() {
				if _, err := (Units{db}).Stats(ctx, u.Path, today, true); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/stats-as-of", func(b *testing.B) {
			for b.Loop() {
				if _, err := (Units{db}).Stats(ctx, u.Path, date.MustParse("2024-01-01"), false); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/search", func(b *testing.B) {
			for b.Loop() {
				if _, err := (Members{db}).List(ctx, member.Filter{Path: u.Path, Query: viet.Fold("nguyễn văn"), Statuses: member.ActiveStatuses, Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/list", func(b *testing.B) {
			for b.Loop() {
				if _, err := (Members{db}).List(ctx, member.Filter{Path: u.Path, Statuses: member.ActiveStatuses, Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadDistrict measures the bulk loader on SQLite.
func BenchmarkLoadDistrict(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		db := OpenTest(b, filepath.Join(b.TempDir(), "load.db"))
		l, err := db.NewLoader(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		sum, err := demo.Generate(demo.Options{Scale: "district", Seed: 1}, l)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Members), "members/op")
	}
}

// openDataset opens the benchmark dataset at dsn, brought to this
// binary's schema, and closes it when the test ends.
func openDataset(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, "")
	if err == nil {
		t.Cleanup(func() { db.Close() })
		_, err = db.Migrate(context.Background())
	}
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// generatorSpec reads the variable env of a generator test, "x=dsn",
// and answers x and dsn; the test is skipped when env is unset (the skip
// says: set env=usage).
func generatorSpec(t *testing.T, env, usage string) (x, dsn string) {
	t.Helper()
	spec := os.Getenv(env)
	if spec == "" {
		t.Skipf("set %s=%s", env, usage)
	}
	x, dsn, _ = strings.Cut(spec, "=")
	return x, dsn
}

// generatorCount is generatorSpec for "n=dsn" with a count n > 0.
func generatorCount(t *testing.T, env, usage string) (n int, dsn string) {
	t.Helper()
	ns, dsn := generatorSpec(t, env, usage)
	n, err := strconv.Atoi(ns)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want n=dsn", env, os.Getenv(env))
	}
	return n, dsn
}

// TestGenerateBenchDataset loads a dataset for the benchmarks when
// SOTAY_BENCH_GENERATE is "scale=dsn" (e.g. "city=sqlite:/tmp/city.db").
// It logs the load rate; it is skipped otherwise.
func TestGenerateBenchDataset(t *testing.T) {
	scale, dsn := generatorSpec(t, "SOTAY_BENCH_GENERATE", "scale=dsn to generate a benchmark dataset")
	ctx := context.Background()
	db := openDataset(t, dsn)
	start := time.Now()
	l, err := db.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Generate(demo.Options{Scale: scale, Seed: 1}, l)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("%s: %d units, %d members in %s: %.0f members/s", scale, sum.Units, sum.Members, took, float64(sum.Members)/took.Seconds())
}
