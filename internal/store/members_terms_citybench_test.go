package store

import (
	"context"
	"strconv"
	"testing"

	"github.com/sotay-vn/sotay/internal/doc"
)

// unifiedSearchWords are the queries TestMeasureUnifiedMemberSearch
// measures: no member's name ("nghi quyet", the documents' words), common
// words, a rare one, two words in either order, a word inside others, a
// common word with a rare one ("van quyet": SQLite's index asked for a
// common trigram, r25-unified).
var unifiedSearchWords = []string{"nghi quyet", "nguyen", "khuc", "van nguyen", "nguyen van", "hoa", "van quyet"}

// TestMeasureUnifiedMemberSearch measures, on each database of
// SOTAY_BENCH_DBS (read only: nothing written), the unified search's
// members (Docs.SearchMembersByName, 50 of them) against the plain
// statement it replaced (plainMemberHits: every member of the reach read),
// for the city's, a district's and a commune's reach and for a reach of
// two districts' paths, wall time and CPU per call (this process's and
// the PostgreSQL backend's: listMeter). The lists are named "unified
// search" and "unified plain" (SOTAY_BENCH_LISTS_ONLY keeps one).
//
//	SOTAY_BENCH_DBS=postgres://…/city?sslmode=disable go test ./internal/store -run TestMeasureUnifiedMemberSearch -v
func TestMeasureUnifiedMemberSearch(t *testing.T) {
	ctx := context.Background()
	dbs, runs := listDatasets(t)
	for name, db := range dbs {
		measure := listMeter(t, name, db, runs)
		reaches := map[string][]string{}
		for _, code := range []string{"HN", "HN.PX", "HN.PX.PHUTUC", "HN.ST"} {
			u, err := Units{db}.ByCode(ctx, code)
			if err != nil {
				t.Logf("%s: no unit %s", name, code)
				continue
			}
			reaches[code] = []string{u.Path}
		}
		if px, st := reaches["HN.PX"], reaches["HN.ST"]; px != nil && st != nil {
			reaches["HN.PX+HN.ST"] = []string{px[0], st[0]}
		}
		delete(reaches, "HN.ST")
		for _, code := range []string{"HN", "HN.PX", "HN.PX.PHUTUC", "HN.PX+HN.ST"} {
			paths := reaches[code]
			if paths == nil {
				continue
			}
			for _, w := range unifiedSearchWords {
				q := doc.ParseQuery(w)
				got, err := Docs{db}.SearchMembersByName(ctx, paths, q, 50)
				if err != nil {
					t.Fatal(err)
				}
				total := strconv.Itoa(len(got))
				measure("unified plain q="+w, code, "first", total, func() error { plainMemberHits(t, db, paths, q.Terms, 50); return nil })
				measure("unified search q="+w, code, "first", total, func() error {
					_, err := Docs{db}.SearchMembersByName(ctx, paths, q, 50)
					return err
				})
			}
		}
	}
}
