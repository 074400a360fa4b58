package api

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Report requests up the tree (internal/report): a committee asks the
// units directly below for a report; each unit drafts from its own data
// and sends once.

func (s *Handler) apiCreateReportRequest(w http.ResponseWriter, r *http.Request) error {
	req, err := withBody(w, r, s.Reports.Create)
	if err != nil {
		return err
	}
	return sendAt(w, http.StatusCreated, "/api/v1/report-requests/"+strconv.FormatInt(req.ID, 10), req)
}

func (s *Handler) apiReportRequests(w http.ResponseWriter, r *http.Request) error {
	unit, limit, cursor, err := unitPage(r)
	if err != nil {
		return err
	}
	p, err := s.Reports.List(r.Context(), httpx.ActorFrom(r), report.ListInput{UnitID: unit, Limit: limit, Cursor: cursor})
	return send(w, http.StatusOK, p, err)
}

func (s *Handler) apiReportRequest(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.ByPathID(r, s.Reports.Get)
	return send(w, http.StatusOK, req, err)
}

// apiReportDraft answers GET /api/v1/report-requests/{id}/draft?unit=:
// the unit's report generated from its own data; nothing is written.
func (s *Handler) apiReportDraft(w http.ResponseWriter, r *http.Request) error {
	id, unit, err := httpx.PathIDAndUnit(r)
	if err != nil {
		return err
	}
	d, err := s.Reports.Draft(r.Context(), httpx.ActorFrom(r), id, unit)
	return send(w, http.StatusOK, d, err)
}

func (s *Handler) apiSendReport(w http.ResponseWriter, r *http.Request) error {
	sub, err := byIDWithBody(w, r, s.Reports.Send, "unit_id")
	if err != nil {
		return err
	}
	return sendAt(w, http.StatusCreated, "/api/v1/report-requests/"+strconv.FormatInt(sub.RequestID, 10)+"/submissions/"+strconv.FormatInt(sub.ID, 10), sub)
}

// submission reads {id} and {sid} from the path: the submission and its
// request.
func (s *Handler) submission(r *http.Request) (*report.Submission, *report.Request, error) {
	id, sid, err := httpx.PathIDAnd(r, "sid")
	if err != nil {
		return nil, nil, err
	}
	return s.Reports.GetSubmission(r.Context(), httpx.ActorFrom(r), id, sid)
}

func (s *Handler) apiReportSubmission(w http.ResponseWriter, r *http.Request) error {
	sub, _, err := s.submission(r)
	return send(w, http.StatusOK, sub, err)
}

// apiReportSubmissionFile prints a sent report in the party format.
func (s *Handler) apiReportSubmissionFile(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sub, req, err := s.submission(r)
		if err != nil {
			return err
		}
		return s.sendPrinted(w, r, f, sub.UnitID, "Báo cáo "+sub.UnitName, func(chain []doc.UnitRef) (*output.Document, error) {
			return output.Submission(req, sub, chain)
		})
	}
}
