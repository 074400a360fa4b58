package scoring_test

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// TestResultsStreamedAsBefore encodes random results, whole and paged, the
// way the API answered them before (httpx.WriteJSON over MarshalJSON,
// through encoding/json) and the way it streams them now
// (httpx.StreamJSON over Wire): the bytes and the headers must be the
// same. The texts mix what the two encoders could escape differently:
// <, >, &, quotes, backslashes, U+2028/2029, Vietnamese, emoji.
func TestResultsStreamedAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(38, 2026))
	bits := []string{"Chi bộ", " ", "&", "<b>", ">", `"`, `\`, "\u2028", "\u2029", "Đảng ủy", "xã Phú Túc", "🎉", "'", "/", "a", "Ư"}
	text := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(bits[rng.IntN(len(bits))])
		}
		return b.String()
	}
	pts := func() scoring.Points { return scoring.Points(rng.IntN(1001)) }
	for n := range 300 {
		r := &scoring.Results{FrameworkID: rng.Int64N(1000), UnitID: rng.Int64N(1000), Period: []scoring.Period{scoring.PeriodFinal, scoring.PeriodInterim}[rng.IntN(2)],
			Items: []scoring.Result{}, ByLevel: map[string]int{}, Unclassified: rng.IntN(9), Registered: rng.IntN(30000), Reports: []scoring.Report{}}
		for range rng.IntN(4) {
			r.ByLevel[text()] = rng.IntN(100)
		}
		if rng.IntN(2) == 0 {
			c := rng.IntN(500)
			r.QuotaCap = &c
		}
		for i := range rng.IntN(40) {
			it := scoring.Result{UnitID: rng.Int64N(1e6), Name: text(), SheetID: rng.Int64N(1e6), Stage: scoring.Stage(text()), Self: pts(), Review: pts(), Final: pts(),
				Total: pts(), Provisional: rng.IntN(2) == 0, Level: text(), BandLevel: text(), CappedByQuota: rng.IntN(3) == 0, Rank: i + 1}
			if rng.IntN(2) == 0 {
				last, change := pts(), pts()-500
				it.LastYear, it.Change = &last, &change
			}
			r.Items = append(r.Items, it)
		}
		for range rng.IntN(5) {
			rep := scoring.Report{UnitID: rng.Int64N(1e4), Name: text(), Status: []string{"sent", "late", "missing", "pending"}[rng.IntN(4)]}
			if rng.IntN(2) == 0 {
				rep.SentAt = time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e9), time.UTC)
			}
			if rng.IntN(2) == 0 {
				rep.Due = date.MustParse("2026-12-15").AddDays(-rng.IntN(300))
			}
			if rng.IntN(3) == 0 {
				rep.RequestID, rep.SubmissionID = rng.Int64N(100), rng.Int64N(100)
			}
			r.Reports = append(r.Reports, rep)
		}
		if rng.IntN(2) == 0 {
			scoring.MarkPaged(r)
			total := len(r.Items) + rng.IntN(100)
			r.Total = &total
			if rng.IntN(2) == 0 {
				c := text() + "=="
				r.NextCursor = &c
			}
		}
		before, now := httptest.NewRecorder(), httptest.NewRecorder()
		httpx.WriteJSON(before, 200, r)
		httpx.StreamJSON(now, 200, r.Wire())
		if before.Body.String() != now.Body.String() {
			t.Fatalf("case %d: streamed (-before +now):\n%s", n, cmp.Diff(before.Body.String(), now.Body.String()))
		}
		if !cmp.Equal(before.Header(), now.Header()) || before.Code != now.Code {
			t.Fatalf("case %d: headers %v %d, want %v %d", n, now.Header(), now.Code, before.Header(), before.Code)
		}
		if n == 0 {
			t.Log(fmt.Sprintf("%.300s", now.Body.String()))
		}
	}
}
