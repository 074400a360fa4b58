package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestRankedScanOrder gives rankedScan random distinct keys (a shared
// prefix or not, zero bytes, keys that are prefixes of others, the empty
// key) in blocks of 3 and of 512 rows: sorted must answer them in byte
// order, each row with its own sheet, stage, totals and name.
func TestRankedScanOrder(t *testing.T) {
	defer rankedBlock.Store(rankedBlock.Load())
	rng := rand.New(rand.NewPCG(14, 31))
	for round := range 60 {
		rankedBlock.Store([]int64{3, 512}[round%2])
		prefix := []string{"", "0999999999999999", "09999999999999999999999999"}[rng.IntN(3)]
		seen := map[string]bool{}
		var keys []string
		for range 1 + rng.IntN(900) {
			var b strings.Builder
			b.WriteString(prefix)
			for range rng.IntN(30) {
				b.WriteByte("09\x00|a"[rng.IntN(5)])
			}
			if k := b.String(); !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		var sc rankedScan
		stages := []string{"self", "review", "final", "done"}
		for i, k := range keys {
			r := &rawRow{Ints: []int64{int64(i), int64(1000 + i), 0, int64(i % 7), int64(i % 11), int64(i % 13)},
				Bytes: [][]byte{nil, nil, []byte(stages[i%4]), nil, nil, nil, []byte(k), []byte(fmt.Sprintf("cell %d", i))}}
			if err := sc.add(r); err != nil {
				t.Fatal(err)
			}
		}
		rows, got := sc.sorted()
		want := slices.Clone(keys)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d (blocks of %d): keys out of order (-byte order +sorted):\n%s", round, rankedBlock.Load(), diff)
		}
		for j, r := range rows {
			i := int(r.SheetID)
			if keys[i] != got[j] || r.UnitID != int64(1000+i) || r.Unit.ID != r.UnitID || string(r.Stage) != stages[i%4] || r.Unit.Name != fmt.Sprintf("cell %d", i) ||
				r.Totals != (scoring.Totals{Self: scoring.Points(i % 7), Review: scoring.Points(i % 11), Final: scoring.Points(i % 13)}) {
				t.Fatalf("round %d (blocks of %d): row %d is %+v with key %q, want sheet %d's (key %q)", round, rankedBlock.Load(), j, r, got[j], i, keys[i])
			}
		}
	}
}
