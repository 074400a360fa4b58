package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// TestCacheNotices: a schedule saved and a unit renamed through one pool
// (one process) tell the subscribers of another pool on the same database
// to empty those caches — through PostgreSQL's NOTIFY, or in process on
// SQLite (one process: the same pool).
func TestCacheNotices(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			var one, two *DB
			if engine == "sqlite" {
				one = OpenTest(t, filepath.Join(t.TempDir(), "test.db"))
				two = one
			} else {
				dsn := migratedPostgres(t)
				if dsn == "" {
					t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
				}
				one, two = OpenTest(t, dsn), OpenTest(t, dsn)
			}
			heard := make(chan string, 10)
			two.Subscribe(CacheChannel, func(p string) { heard <- p })
			if got, want := two.Listen(ctx, nil), engine == "postgres"; got != want {
				t.Fatalf("Listen = %v, want %v", got, want)
			}
			district := mustUnit(t, one, nil, org.KindDistrict, "PX")
			// The listener may not be listening yet: write until heard.
			write := []struct {
				name string
				do   func(i int) error
			}{
				{CacheCalendar, func(i int) error {
					return Calendars{DB: one}.PutSchedule(ctx, viet.Schedule{Year: 2027 + i}, one.Now(), auth.AuditEntry{Actor: system, Action: "calendar.put", ObjectType: "calendar"})
				}},
				{CacheUnits, func(i int) error {
					u, err := Units{DB: one}.Unit(ctx, district.ID)
					if err != nil {
						return err
					}
					u.Name = "Huyện ủy " + string(rune('A'+i))
					return Units{DB: one}.Update(ctx, u, u.Version, auth.AuditEntry{Actor: system, Action: "unit.update", ObjectType: "unit", ObjectID: u.ID})
				}},
			}
			for _, w := range write {
				var got []string
				for i := 0; ; i++ {
					if i == 50 {
						t.Fatalf("%s: heard %v within 50 writes, want %q", w.name, got, w.name)
					}
					if err := w.do(i); err != nil {
						t.Fatal(err)
					}
					select {
					case p := <-heard:
						got = append(got, p)
					case <-time.After(200 * time.Millisecond):
						continue
					}
					if got[len(got)-1] == w.name {
						break
					}
				}
				if diff := cmp.Diff([]string{w.name}, got[len(got)-1:]); diff != "" {
					t.Errorf("%s: (-want +got):\n%s", w.name, diff)
				}
			}
		})
	}
}
