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
	var in report.CreateInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	req, err := s.Reports.Create(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/report-requests/"+strconv.FormatInt(req.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, req)
	return nil
}

func (s *Handler) apiReportRequests(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	p, err := s.Reports.List(r.Context(), httpx.ActorFrom(r), report.ListInput{UnitID: unit, Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *Handler) apiReportRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	req, err := s.Reports.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, req)
	return nil
}

// apiReportDraft answers GET /api/v1/report-requests/{id}/draft?unit=:
// the unit's report generated from its own data; nothing is written.
func (s *Handler) apiReportDraft(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	d, err := s.Reports.Draft(r.Context(), httpx.ActorFrom(r), id, unit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *Handler) apiSendReport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in report.SendInput
	if err := httpx.DecodeJSON(w, r, &in, "unit_id"); err != nil {
		return err
	}
	sub, err := s.Reports.Send(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/report-requests/"+strconv.FormatInt(id, 10)+"/submissions/"+strconv.FormatInt(sub.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, sub)
	return nil
}

func (s *Handler) apiReportSubmission(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	sid, err := httpx.PathID(r, "sid")
	if err != nil {
		return err
	}
	sub, _, err := s.Reports.GetSubmission(r.Context(), httpx.ActorFrom(r), id, sid)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, sub)
	return nil
}

// apiReportSubmissionFile prints a sent report in the party format.
func (s *Handler) apiReportSubmissionFile(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		sid, err := httpx.PathID(r, "sid")
		if err != nil {
			return err
		}
		ctx := r.Context()
		sub, req, err := s.Reports.GetSubmission(ctx, httpx.ActorFrom(r), id, sid)
		if err != nil {
			return err
		}
		chain, err := s.Docs.IssuerChain(ctx, &doc.Document{IssuerUnitID: sub.UnitID})
		if err != nil {
			return err
		}
		paper, err := output.Submission(req, sub, chain)
		if err != nil {
			return err
		}
		return sendPaper(w, r, paper, f, "Báo cáo "+sub.UnitName)
	}
}
