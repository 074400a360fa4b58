package scoring

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

// fakeRequests answers one request of the district (unit 1) for a period
// ending in the range asked, or none.
type fakeRequests struct {
	req   *ReportRequest
	ends  date.Date // the request's period_to
	asked [][2]date.Date
}

func (f *fakeRequests) FourGoodRequest(_ context.Context, unitID int64, from, to date.Date) (*ReportRequest, error) {
	f.asked = append(f.asked, [2]date.Date{from, to})
	if f.req == nil || unitID != 1 || f.ends.Before(from) || f.ends.After(to) {
		return nil, nil
	}
	return f.req, nil
}

// TestReportStatusFromRequest: the committees' status is read from the
// four-good report request of the period where there is one (its due
// date, its submissions), else from the framework's own deadline.
func TestReportStatusFromRequest(t *testing.T) {
	at := func(s string) RequestSent {
		d := date.MustParse(s)
		return RequestSent{SubmissionID: int64(d.Day), SentAt: d.Time().Add(2 * time.Hour), SentOn: d}
	}
	type row struct {
		Unit         int64
		Status       string
		Due          string
		RequestID    int64
		SubmissionID int64
	}
	for _, tc := range []struct {
		name   string
		period Period
		req    *ReportRequest
		ends   string
		want   []row
	}{
		{"no request: the framework's deadline", PeriodFinal, nil, "", []row{{2, "missing", "2026-12-20", 0, 0}, {5, "missing", "2026-12-20", 0, 0}}},
		{"a request: sent on time and missing", PeriodFinal, &ReportRequest{ID: 7, DueOn: date.MustParse("2026-12-18"), Sent: map[int64]RequestSent{2: at("2026-12-17")}}, "2026-12-15",
			[]row{{2, "sent", "2026-12-18", 7, 17}, {5, "missing", "2026-12-18", 7, 0}}},
		{"a request: sent after its due date is late, though before the framework's", PeriodFinal, &ReportRequest{ID: 8, DueOn: date.MustParse("2026-12-18"), Sent: map[int64]RequestSent{5: at("2026-12-19")}}, "2026-12-31",
			[]row{{2, "missing", "2026-12-18", 8, 0}, {5, "late", "2026-12-18", 8, 19}}},
		{"an interim request does not answer the final period", PeriodFinal, &ReportRequest{ID: 9, DueOn: date.MustParse("2026-07-05"), Sent: map[int64]RequestSent{2: at("2026-07-01")}}, "2026-06-30",
			[]row{{2, "missing", "2026-12-20", 0, 0}, {5, "missing", "2026-12-20", 0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			ctx := context.Background()
			f := w.sampleFramework(t)
			fr := &fakeRequests{req: tc.req}
			if tc.ends != "" {
				fr.ends = date.MustParse(tc.ends)
			}
			w.s.Requests = fr
			w.now = time.Date(2026, 12, 25, 3, 0, 0, 0, time.UTC)
			res, err := w.s.Results(ctx, w.office, f.ID, ResultsInput{Period: tc.period})
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, r := range res.Reports {
				got = append(got, row{r.UnitID, r.Status, r.Due.String(), r.RequestID, r.SubmissionID})
			}
			slices.SortFunc(got, func(a, b row) int { return int(a.Unit - b.Unit) })
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("reports (-want +got):\n%s", d)
			}
			if want := [2]date.Date{date.MustParse("2026-07-01"), date.MustParse("2026-12-31")}; len(fr.asked) == 0 || fr.asked[0] != want {
				t.Errorf("asked for a request ending in %v, want %v", fr.asked, want)
			}
			// With a request, the committees answer it: the framework's
			// own report is refused and nothing is written.
			writes := w.st.writes
			_, err = w.s.SendReport(ctx, w.commune, f.ID, ReportInput{UnitID: 2, Period: tc.period})
			switch {
			case res.Reports[0].RequestID != 0 && !apperr.Is(err, apperr.Conflict):
				t.Errorf("send beside a request: got %v, want conflict", err)
			case res.Reports[0].RequestID != 0 && w.st.writes != writes:
				t.Errorf("send beside a request wrote %d times", w.st.writes-writes)
			case res.Reports[0].RequestID == 0 && err != nil:
				t.Errorf("send without a request: %v", err)
			}
		})
	}
}
