package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The four-good cell model (../shared/API.md "Four-good cells").

func (s *Handler) apiCreateFramework(w http.ResponseWriter, r *http.Request) error {
	var in scoring.FrameworkInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := s.FourGood.Create(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, f.Version)
	w.Header().Set("Location", "/api/v1/frameworks/"+strconv.FormatInt(f.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Handler) apiFrameworks(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	year := 0
	if v := r.URL.Query().Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < 1900 || year > 2100 {
			return scoring.BadYear()
		}
	}
	p, err := s.FourGood.List(r.Context(), httpx.ActorFrom(r), scoring.ListInput{UnitID: unit, Year: year, Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *Handler) apiFramework(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.FourGood.Framework(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.SetETag(w, f.Version)
	httpx.WriteJSON(w, http.StatusOK, f)
	return nil
}

func (s *Handler) apiUpdateFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := byIDWithBody(w, r, ifMatch(r, func(in *scoring.FrameworkInput) *int { return &in.Version }, s.FourGood.Update))
	if err != nil {
		return err
	}
	return sendTagged(w, http.StatusOK, f.Version, f)
}

func (s *Handler) apiCopyFramework(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in scoring.CopyInput
	if err := httpx.DecodeJSON(w, r, &in, "year"); err != nil {
		return err
	}
	f, err := s.FourGood.Copy(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/frameworks/"+strconv.FormatInt(f.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Handler) apiRegisterCell(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in scoring.RegisterInput
	if err := httpx.DecodeJSON(w, r, &in, "unit_id"); err != nil {
		return err
	}
	sh, err := s.FourGood.Register(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, sh.Version)
	w.Header().Set("Location", "/api/v1/scoresheets/"+strconv.FormatInt(sh.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, sh)
	return nil
}

func (s *Handler) apiFrameworkResults(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	res, err := s.FourGood.Results(r.Context(), a, id, scoring.ResultsInput{UnitID: unit, Period: scoring.Period(r.URL.Query().Get("period"))})
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
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Handler) apiSendFourGoodReport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in scoring.ReportInput
	if err := httpx.DecodeJSON(w, r, &in, "unit_id"); err != nil {
		return err
	}
	res, err := s.FourGood.SendReport(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, res)
	return nil
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
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Handler) apiScoresheet(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	sh, err := s.FourGood.Sheet(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.SetETag(w, sh.Version)
	httpx.WriteJSON(w, http.StatusOK, sh)
	return nil
}

func (s *Handler) apiPutScores(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in []scoring.ScoreInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := httpx.IfMatch(r)
	if err != nil {
		return err
	}
	sh, err := s.FourGood.PutScores(r.Context(), httpx.ActorFrom(r), id, v, in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, sh.Version)
	httpx.WriteJSON(w, http.StatusOK, sh)
	return nil
}

func (s *Handler) apiSubmitScoresheet(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := httpx.IfMatch(r)
	if err != nil {
		return err
	}
	sh, err := s.FourGood.Submit(r.Context(), httpx.ActorFrom(r), id, v)
	if err != nil {
		return err
	}
	httpx.SetETag(w, sh.Version)
	httpx.WriteJSON(w, http.StatusOK, sh)
	return nil
}
