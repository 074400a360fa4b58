package cli

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// TestFourGoodResultsStreamedAsBefore reads the demo's four-good results
// over HTTP (streamed, the items written by hand: httpx.StreamJSONBy over
// scoring.Results.WriteJSON) for the district, a commune and
// pages of them, and compares each answer's bytes with the service's
// answer encoded as the API encoded it before (httpx.WriteJSON through
// encoding/json).
func TestFourGoodResultsStreamedAsBefore(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	district, phuTuc, _, _ := fgPhuTuc(t, m)
	office := m.signIn(t, "vanphong")
	var frameworkID int64
	if err := m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT framework_id FROM fourgood_sheets WHERE period = 'final'
		GROUP BY framework_id ORDER BY COUNT(*) DESC, framework_id LIMIT 1`).Scan(&frameworkID); err != nil {
		t.Fatalf("a four-good framework in the demo: %v", err)
	}
	for _, q := range []struct {
		unit          int64
		limit, cursor string
	}{{unit: district.ID}, {unit: phuTuc.ID}, {unit: district.ID, limit: "2"}, {unit: phuTuc.ID, limit: "50"}, {unit: district.ID, limit: "3", cursor: "next"}} {
		in := scoring.ResultsInput{UnitID: q.unit, Period: scoring.PeriodFinal}
		path := fmt.Sprintf("/api/v1/frameworks/%d/results?period=final&unit=%d", frameworkID, q.unit)
		if q.limit != "" {
			fmt.Sscan(q.limit, &in.Limit)
			path += "&limit=" + q.limit
		}
		if q.cursor != "" {
			first, err := m.App.FourGood.Results(t.Context(), auth.SystemActor(), frameworkID, in)
			if err != nil || first.NextCursor == nil {
				t.Fatalf("%s: a first page with a next one: %v", path, err)
			}
			in.Cursor = *first.NextCursor
			path += "&cursor=" + in.Cursor
		}
		var got json.RawMessage
		if st := office.do("GET", path, nil, &got); st != 200 {
			t.Fatalf("%s: %d", path, st)
		}
		res, err := m.App.FourGood.Results(t.Context(), auth.SystemActor(), frameworkID, in)
		if err != nil {
			t.Fatal(err)
		}
		before := httptest.NewRecorder()
		httpx.WriteJSON(before, 200, res)
		if want := strings.TrimSuffix(before.Body.String(), "\n"); string(got) != want || len(res.Items) == 0 {
			t.Errorf("%s (%d items): streamed (-before +now):\n%s", path, len(res.Items), cmp.Diff(want, string(got)))
		}
	}
}
