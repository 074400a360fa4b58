package store

import (
	"database/sql"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchCPU returns a clock of the CPU (user + system) spent so far by this
// process and, on PostgreSQL, by the server processes of the database's
// one reader and one writer connection (both pools are limited to one
// connection for the benchmark), so that a benchmark can report CPU per
// operation beside the wall time, which the machine's load inflates.
func benchCPU(b testing.TB, db *DB) func() time.Duration {
	backends := benchBackendCPU(b, db)
	return func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + backends()
	}
}

// benchBackendCPU is benchCPU's clock of the server processes alone (0 on
// SQLite).
func benchBackendCPU(b testing.TB, db *DB) func() time.Duration {
	b.Helper()
	var backends []int
	if db.dialect == postgresDialect {
		for _, pool := range []*sql.DB{db.read, db.write} {
			pool.SetMaxOpenConns(1)
			var pid int
			if err := pool.QueryRow(`SELECT pg_backend_pid()`).Scan(&pid); err != nil {
				b.Fatal(err)
			}
			// On PostgreSQL both pools are one (DB.read == DB.write
			// without a replica): its backend is counted once.
			if !slices.Contains(backends, pid) {
				backends = append(backends, pid)
			}
		}
	}
	return func() time.Duration {
		var d time.Duration
		for _, backend := range backends {
			raw, err := os.ReadFile("/proc/" + strconv.Itoa(backend) + "/stat")
			if err != nil {
				b.Fatal(err)
			}
			f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
			ut, _ := strconv.ParseInt(f[11], 10, 64)          // utime, field 14
			st, _ := strconv.ParseInt(f[12], 10, 64)          // stime, field 15
			d += time.Duration(ut+st) * 10 * time.Millisecond // 100 ticks a second
		}
		return d
	}
}

// reportCPU reports the CPU per operation measured by clock since start.
func reportCPU(b *testing.B, clock func() time.Duration, start time.Duration) {
	b.ReportMetric(float64(clock()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
