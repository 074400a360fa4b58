package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The four-good cell model (../shared/API.md "Four-good cells").

func (s *Handler) apiCreateFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := withBody(w, r, s.FourGood.Create)
	return sendNew(w, "/api/v1/frameworks/", f, err)
}

func (s *Handler) apiFrameworks(w http.ResponseWriter, r *http.Request) error {
	unit, limit, cursor, err := unitPage(r)
	if err != nil {
		return err
	}
	year := 0
	if v := r.URL.Query().Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < 1900 || year > 2100 {
			return scoring.BadYear()
		}
	}
	p, err := s.FourGood.List(r.Context(), httpx.ActorFrom(r), scoring.ListInput{UnitID: unit, Year: year, Limit: limit, Cursor: cursor})
	return send(w, http.StatusOK, p, err)
}

func (s *Handler) apiFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.ByPathID(r, s.FourGood.Framework)
	return sendRecord(w, http.StatusOK, f, err)
}

func (s *Handler) apiUpdateFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := byIDWithBody(w, r, ifMatch(r, func(in *scoring.FrameworkInput) *int { return &in.Version }, s.FourGood.Update))
	return sendRecord(w, http.StatusOK, f, err)
}

func (s *Handler) apiCopyFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := byIDWithBody(w, r, s.FourGood.Copy, "year")
	if err != nil {
		return err
	}
	return sendAt(w, http.StatusCreated, "/api/v1/frameworks/"+strconv.FormatInt(f.ID, 10), f)
}

func (s *Handler) apiRegisterCell(w http.ResponseWriter, r *http.Request) error {
	sh, err := byIDWithBody(w, r, s.FourGood.Register, "unit_id")
	return sendNew(w, "/api/v1/scoresheets/", sh, err)
}

func (s *Handler) apiFrameworkResults(w http.ResponseWriter, r *http.Request) error {
	id, unit, err := httpx.PathIDAndUnit(r)
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	in := scoring.ResultsInput{UnitID: unit, Period: scoring.Period(r.URL.Query().Get("period")), Cursor: r.URL.Query().Get("cursor")}
	if r.URL.Query().Has("limit") || in.Cursor != "" {
		// One page of the items in rank order (docs/api.md).
		if in.Limit, err = httpx.QueryLimit(r); err != nil {
			return err
		}
	}
	res, err := s.FourGood.Results(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("format") {
	case "", "json":
	case "xlsx":
		f, err := s.FourGood.Framework(r.Context(), a, id)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := scoring.ResultsXLSX(&b, f, res); err != nil {
			return err
		}
		httpx.Download(w, f.Name+" - kết quả.xlsx", xlsxType, b.Bytes())
		return nil
	default:
		return scoring.BadFormat()
	}
	// Streamed: a city's answer is 6 MB (docs/benchmarks.md, "Four-good
	// results at city scale"), its items written by hand; the same bytes
	// as res encoded whole.
	httpx.StreamJSONBy(w, http.StatusOK, res.WriteJSON)
	return nil
}

func (s *Handler) apiSendFourGoodReport(w http.ResponseWriter, r *http.Request) error {
	res, err := byIDWithBody(w, r, s.FourGood.SendReport, "unit_id")
	return send(w, http.StatusCreated, res, err)
}

func (s *Handler) apiExportCriteria(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, body, err := s.FourGood.ExportCriteria(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.Download(w, f.Name+".xlsx", xlsxType, body)
	return nil
}

func (s *Handler) apiImportCriteria(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	// Reach first: out of reach answers 404 whatever the upload.
	if _, err := s.FourGood.Editable(r.Context(), httpx.ActorFrom(r), id); err != nil {
		return err
	}
	body, name, mt, err := s.uploadedFile(w, r)
	if err != nil {
		return err
	}
	v, err := httpx.IfMatch(r)
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dry_run")
	rep, err := s.FourGood.ImportCriteria(r.Context(), httpx.ActorFrom(r), id, scoring.ImportInput{Body: body, Filename: name, MediaType: mt,
		MaxBytes: s.MaxUpload, DryRun: dry == "true" || dry == "1", Version: v})
	return send(w, http.StatusOK, rep, err)
}

func (s *Handler) apiScoresheet(w http.ResponseWriter, r *http.Request) error {
	sh, err := httpx.ByPathID(r, s.FourGood.Sheet)
	return sendRecord(w, http.StatusOK, sh, err)
}

func (s *Handler) apiPutScores(w http.ResponseWriter, r *http.Request) error {
	sh, err := byIDWithBody(w, r, func(ctx context.Context, a *auth.Actor, id int64, in []scoring.ScoreInput) (*scoring.Sheet, error) {
		return withVersion(r, func(v int) (*scoring.Sheet, error) { return s.FourGood.PutScores(ctx, a, id, v, in) })
	})
	return sendRecord(w, http.StatusOK, sh, err)
}

func (s *Handler) apiSubmitScoresheet(w http.ResponseWriter, r *http.Request) error {
	sh, err := httpx.ByPathID(r, func(ctx context.Context, a *auth.Actor, id int64) (*scoring.Sheet, error) {
		return withVersion(r, func(v int) (*scoring.Sheet, error) { return s.FourGood.Submit(ctx, a, id, v) })
	})
	return sendRecord(w, http.StatusOK, sh, err)
}

// Attachments on a criterion (docs/api.md "Four-good cells: attachments").

func (s *Handler) apiScoresheetAttachments(w http.ResponseWriter, r *http.Request) error {
	ats, err := httpx.ByPathID(r, func(ctx context.Context, a *auth.Actor, id int64) (*[]scoring.Attachment, error) {
		ats, err := s.FourGood.Attachments(ctx, a, id)
		return &ats, err
	})
	if err != nil {
		return err
	}
	return sendAll(w, http.StatusOK, *ats, nil)
}

func (s *Handler) apiAttachEvidence(w http.ResponseWriter, r *http.Request) error {
	reach := func(ctx context.Context, a *auth.Actor, id int64) error {
		_, err := s.FourGood.Attachments(ctx, a, id)
		return err
	}
	criterion := r.URL.Query().Get("criterion")
	return addAttachment(s, w, r, "/api/v1/scoresheets/", reach, func(ctx context.Context, a *auth.Actor, id int64, body io.Reader, name string) (*scoring.Attachment, error) {
		return s.FourGood.Attach(ctx, a, id, criterion, body, name)
	})
}

func (s *Handler) apiEvidenceFile(w http.ResponseWriter, r *http.Request) error {
	return serveAttachment(w, r, s.FourGood.OpenAttachment)
}

func (s *Handler) apiRemoveEvidence(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := httpx.PathIDAnd(r, "aid")
	if err != nil {
		return err
	}
	return sendDone(w, s.FourGood.RemoveAttachment(r.Context(), httpx.ActorFrom(r), id, aid))
}
