package store

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberSearchFigures prints the cost of a member name search (issue
// 17) on the databases of SOTAY_SEARCH_DBS (comma-separated DSNs, e.g. the
// city on both engines; they are migrated): for each scope and query the
// median wall time and the mean CPU (this process plus, on PostgreSQL, the
// server's backends) of the first page with its total, and of the next
// page. A query "d:0915" is a digits search (card, citizen ID, phone).
// SOTAY_SEARCH_NOMIGRATE=1 opens the databases as they are (the shared
// city datasets, which a helper may not migrate). It is a measurement,
// skipped without the variable; it asserts nothing but that the calls
// succeed.
func TestMemberSearchFigures(t *testing.T) {
	dsns := os.Getenv("SOTAY_SEARCH_DBS")
	if dsns == "" {
		t.Skip("set SOTAY_SEARCH_DBS")
	}
	ctx := context.Background()
	scopes := strings.Split(envOr("SOTAY_SEARCH_SCOPES", "HN,HN.ST,HN.PX,HN.HM.QUYNHCHINH"), ",")
	queries := strings.Split(envOr("SOTAY_SEARCH_QUERIES", "nguyen,khuc,xyz,nguyen van,khuc thi,van nguyen,an,z"), ",")
	runs := 20
	if os.Getenv("SOTAY_SEARCH_RUNS") == "3" {
		runs = 3
	}
	for _, dsn := range strings.Split(dsns, ",") {
		db := openFigures(t, dsn)
		clock := benchCPU(t, db)
		for _, code := range scopes {
			u, err := Units{db}.ByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range queries {
				f := member.Filter{Path: u.Path, Limit: 50, Query: q, Statuses: member.ActiveStatuses}
				if d, ok := strings.CutPrefix(q, "d:"); ok {
					f.Query, f.Digits = "", d
				}
				var first, next []time.Duration
				var firstCPU, nextCPU time.Duration
				var p0 *pageFacts
				for range runs {
					c0, w0 := clock(), time.Now()
					p, err := Members{db}.List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					first, firstCPU = append(first, time.Since(w0)), firstCPU+clock()-c0
					p0 = &pageFacts{len(p.Items), p.Total, p.TotalAtLeast, p.NextCursor != nil}
					if p.NextCursor == nil {
						continue
					}
					g := f
					g.Cursor = *p.NextCursor
					c0, w0 = clock(), time.Now()
					if _, err := (Members{db}).List(ctx, g); err != nil {
						t.Fatal(err)
					}
					next, nextCPU = append(next, time.Since(w0)), nextCPU+clock()-c0
				}
				t.Logf("%s %s %q: items %d total %d at_least %v more %v | first %s cpu %s | next %s cpu %s",
					dsnName(dsn), code, q, p0.items, p0.total, p0.atLeast, p0.more,
					median(first), mean(firstCPU, len(first)), median(next), mean(nextCPU, len(next)))
			}
		}
	}
}

// openFigures opens a measured database: migrated as OpenTest does, or as
// it is with SOTAY_SEARCH_NOMIGRATE=1.
func openFigures(t *testing.T, dsn string) *DB {
	t.Helper()
	if os.Getenv("SOTAY_SEARCH_NOMIGRATE") != "1" {
		db := OpenTest(t, dsn)
		db.Now = time.Now
		return db
	}
	if filepath.IsAbs(dsn) {
		dsn = "sqlite:" + dsn
	}
	db, err := Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = time.Now
	return db
}

type pageFacts struct {
	items, total  int
	atLeast, more bool
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func dsnName(dsn string) string {
	if i := strings.LastIndexAny(dsn, "/"); i >= 0 {
		dsn = dsn[i+1:]
	}
	if i := strings.IndexByte(dsn, '?'); i >= 0 {
		dsn = dsn[:i]
	}
	return dsn
}

func mean(total time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return (total / time.Duration(n)).Round(10 * time.Microsecond).String()
}

func median(ds []time.Duration) string {
	if len(ds) == 0 {
		return "-"
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return (s[len(s)/2]).Round(10 * time.Microsecond).String()
}
