package scoring_test

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// TestResultsStreamedAsBefore encodes random results, whole and paged, the
// way the API answered them before (httpx.WriteJSON over MarshalJSON,
// through encoding/json), the way it streamed them (httpx.StreamJSON over
// Wire) and the way it writes them now (httpx.StreamJSONBy over
// WriteJSON, the items by hand): the bytes and the headers must be the
// same. The texts mix what the encoders could escape differently: <, >,
// &, quotes, backslashes, U+2028/2029, control characters, invalid
// UTF-8, Vietnamese, emoji.
func TestResultsStreamedAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(38, 2026))
	bits := []string{"Chi bộ", " ", "&", "<b>", ">", `"`, `\`, "\u2028", "\u2029", "Đảng ủy", "xã Phú Túc", "🎉", "'", "/", "a", "Ư",
		"\x00", "\t", "\n", "\x1f", "\x7f", "\b\f\r", "\xff", "\xe1\xba", "\u00a0"}
	invalid := false // a text of the case is not UTF-8
	text := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(bits[rng.IntN(len(bits))])
		}
		invalid = invalid || !utf8.ValidString(b.String())
		return b.String()
	}
	pts := func() scoring.Points { return scoring.Points(rng.IntN(1001)) }
	for n := range 300 {
		invalid = false
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
		before, now, byHand := httptest.NewRecorder(), httptest.NewRecorder(), httptest.NewRecorder()
		httpx.WriteJSON(before, 200, r)
		httpx.StreamJSON(now, 200, r.Wire())
		httpx.StreamJSONBy(byHand, 200, r.WriteJSON)
		for _, c := range []struct {
			how       string
			want, got *httptest.ResponseRecorder
		}{{"streamed", before, now}, {"written by hand", before, byHand}, {"written by hand, against streamed", now, byHand}} {
			if invalid && c.want == before {
				// encoding/json wrote invalid UTF-8 as \ufffd, the
				// streamed answers write U+FFFD itself (the API's texts
				// are checked UTF-8: viet.CheckLine).
				continue
			}
			if c.want.Body.String() != c.got.Body.String() {
				t.Fatalf("case %d: %s (-want +got):\n%s", n, c.how, cmp.Diff(c.want.Body.String(), c.got.Body.String()))
			}
			if !cmp.Equal(c.want.Header(), c.got.Header()) || c.want.Code != c.got.Code {
				t.Fatalf("case %d: %s: headers %v %d, want %v %d", n, c.how, c.got.Header(), c.got.Code, c.want.Header(), c.want.Code)
			}
		}
		if n == 0 {
			t.Log(fmt.Sprintf("%.300s", now.Body.String()))
		}
	}
}

// TestResultWrittenAsEncoded sets every field of an item, whatever fields
// Result has (by reflection: a field added to Result and not to
// WriteJSON fails here), to a value other than its zero, one field at a
// time and all together, and compares WriteJSON with the streamed
// encoding of Wire; and the points written by hand with their String
// from -10,000 to 10,000 points (every tenth from -200 to 200, then
// every seventh).
func TestResultWrittenAsEncoded(t *testing.T) {
	rt := reflect.TypeFor[scoring.Result]()
	set := func(v reflect.Value, i int) {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("v<" + rt.Field(i).Name)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(-7 - 31*i))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			p.Elem().SetInt(int64(-13 - 7*i))
			f.Set(p)
		default:
			t.Fatalf("Result.%s: a %s, not known to this test", rt.Field(i).Name, f.Kind())
		}
	}
	all := reflect.New(rt).Elem()
	for i := range rt.NumField() {
		set(all, i)
		one := reflect.New(rt).Elem()
		set(one, i)
		for _, it := range []scoring.Result{one.Interface().(scoring.Result), all.Interface().(scoring.Result)} {
			r := &scoring.Results{Items: []scoring.Result{it, {}}, ByLevel: map[string]int{}, Reports: []scoring.Report{}}
			want, got := httptest.NewRecorder(), httptest.NewRecorder()
			httpx.StreamJSON(want, 200, r.Wire())
			httpx.StreamJSONBy(got, 200, r.WriteJSON)
			if want.Body.String() != got.Body.String() {
				t.Fatalf("Result.%s set: written by hand (-encoded +by hand):\n%s", rt.Field(i).Name, cmp.Diff(want.Body.String(), got.Body.String()))
			}
		}
	}
	var items []scoring.Result
	for p := -100000; p <= 100000; p += 1 + 6*min(abs(p)/2000, 1) {
		items = append(items, scoring.Result{Total: scoring.Points(p)})
	}
	r := &scoring.Results{Items: items, ByLevel: map[string]int{}, Reports: []scoring.Report{}}
	want, got := httptest.NewRecorder(), httptest.NewRecorder()
	httpx.StreamJSON(want, 200, r.Wire())
	httpx.StreamJSONBy(got, 200, r.WriteJSON)
	if want.Body.String() != got.Body.String() {
		t.Fatalf("points written by hand differ from their String:\n%s", cmp.Diff(want.Body.String(), got.Body.String()))
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
