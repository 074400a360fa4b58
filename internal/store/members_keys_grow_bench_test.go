package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// benchEngines open an empty migrated database of each engine.
var benchEngines = map[string]func(b *testing.B) *DB{
	"sqlite": func(b *testing.B) *DB { return OpenTest(b, filepath.Join(b.TempDir(), "bench.db")) },
	"postgres": func(b *testing.B) *DB {
		dsn := testpg.NewDatabase(b)
		if dsn == "" {
			b.Skip("no PostgreSQL")
		}
		return OpenTest(b, dsn)
	},
}

// BenchmarkMemberKeysSwitchOn measures the switch-on of the name search's
// keys after a write grew the database past the threshold
// (keepKeysAfterGrowth: the flag, every member's keys, the vocabulary, in
// one transaction) at 10,000 and 100,000 members of the city demo (its
// units, its first members), on both engines. Each round switches the keys
// off first (not timed). CPU of this process and of the PostgreSQL
// backend (benchCPU).
func BenchmarkMemberKeysSwitchOn(b *testing.B) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, n := range []int{10000, 100000} {
			b.Run(fmt.Sprintf("%s/members=%d", engine, n), func(b *testing.B) {
				db := benchEngines[engine](b)
				db.memberKeysFrom = 1 << 30 // the load keeps no keys
				l, err := db.NewLoader(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := demo.Generate(demo.Options{Scale: demo.ScaleCity, Seed: 1}, &firstMembers{Sink: l, left: n}); err != nil {
					b.Fatal(err)
				}
				if err := l.Close(); err != nil {
					b.Fatal(err)
				}
				clock := benchCPU(b, db)
				var cpu int64
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					for _, q := range []string{`DELETE FROM member_keys_on`, `DELETE FROM member_keys`, `DELETE FROM member_words`} {
						if _, err := db.write.ExecContext(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
					db.keysKept.Store(false)
					db.memberKeysFrom = n - 1
					before := clock()
					b.StartTimer()
					if err := db.keepKeysAfterGrowth(ctx); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					cpu += int64(clock() - before)
					if on, err := memberKeysOn(ctx, db.read); err != nil || !on {
						b.Fatalf("keys kept %v: %v", on, err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// firstMembers passes on every unit and the first left members.
type firstMembers struct {
	demo.Sink
	left int
}

func (s *firstMembers) Member(m *member.Member) error {
	if s.left == 0 {
		return nil
	}
	s.left--
	return s.Sink.Member(m)
}

// BenchmarkMemberImportSmall measures an ordinary import of 100 members
// into a district of 100 cells, on both engines, in a database under the
// keys' threshold (10,000 members: at most 99 rounds, -benchtime=Nx), the
// write that must not get slower for the switch-on on growth
// (members_keys_grow.go). CPU of this process and of the PostgreSQL
// backend per import.
func BenchmarkMemberImportSmall(b *testing.B) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			db := benchEngines[engine](b)
			clock := benchCPU(b, db) // one connection from the start: its backend stays
			_, _, cells := benchDistrictPX(b, db)
			n := 0
			var cpu int64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				ms := benchMembers(cells, &n, 100, "Nguyễn Văn Khúc")
				if n > 10000 {
					b.Fatal("past the keys' threshold: run at most 99 rounds (-benchtime=Nx)")
				}
				before := clock()
				b.StartTimer()
				if err := (Members{db}).Import(ctx, ms, nil, auth.AuditEntry{Actor: auth.SystemActor(), Action: "member.import", ObjectType: "unit"}); err != nil {
					b.Fatal(err)
				}
				cpu += int64(clock() - before)
			}
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
