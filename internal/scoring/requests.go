package scoring

import (
	"context"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// RequestKind is the kind of the report requests (internal/report) that
// carry the committees' four-good results up: report.KindFourGood (the
// module does not import the reports; the wiring checks they agree).
const RequestKind = "four-good"

// ReportRequest is a report request of RequestKind made by a framework's
// owner for a period: who was asked and who has sent (internal/report).
type ReportRequest struct {
	ID    int64
	Title string
	DueOn date.Date
	// Sent: the units asked that have sent, by unit id.
	Sent map[int64]RequestSent
}

// RequestSent is one unit's submission to the request.
type RequestSent struct {
	SubmissionID int64
	SentAt       time.Time
	SentOn       date.Date
}

// RequestSource finds the report requests (Service.Requests; nil: the
// framework's own deadline only).
type RequestSource interface {
	// FourGoodRequest finds the newest request of RequestKind made by the
	// unit whose period ends from..to; nil when there is none.
	FourGoodRequest(ctx context.Context, unitID int64, from, to date.Date) (*ReportRequest, error)
}

// requestPeriod is the range a request's period must end in to report a
// framework's period: the first half of the year for the interim results,
// the second half for the final ones.
func requestPeriod(year int, p Period) (date.Date, date.Date) {
	if p == PeriodInterim {
		return date.New(year, time.January, 1), date.New(year, time.June, 30)
	}
	return date.New(year, time.July, 1), date.New(year, time.December, 31)
}

// request finds the four-good report request for a framework's period.
func (s *Service) request(ctx context.Context, f *Framework, p Period) (*ReportRequest, error) {
	if s.Requests == nil {
		return nil, nil
	}
	from, to := requestPeriod(f.Year, p)
	return s.Requests.FourGoodRequest(ctx, f.OwnerUnitID, from, to)
}
