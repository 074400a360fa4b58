package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// screened decodes a body after refusing keys that look like patient data
// (outbreak.ScreenPatientKeys): the figures are counts only.
func screened(w http.ResponseWriter, r *http.Request, v any, allowed map[string]bool, required ...string) error {
	return httpx.DecodeJSONScreened(w, r, v, func(b []byte) error { return outbreak.ScreenPatientKeys(b, allowed) }, required...)
}

// byIDScreened is byIDWithBody for the outbreak inputs: the body is
// screened for the patient's keys (allowed) as screened does.
func byIDScreened[In, T any](w http.ResponseWriter, r *http.Request, allowed map[string]bool, fn func(context.Context, *auth.Actor, int64, In) (T, error), required ...string) (T, error) {
	var zero T
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return zero, err
	}
	var in In
	if err := screened(w, r, &in, allowed, required...); err != nil {
		return zero, err
	}
	return fn(r.Context(), httpx.ActorFrom(r), id, in)
}

func (s *Handler) apiOpenOutbreak(w http.ResponseWriter, r *http.Request) error {
	var in outbreak.OpenInput
	if err := screened(w, r, &in, outbreak.OpenKeys, "unit_id", "disease", "place", "opened_on"); err != nil {
		return err
	}
	f, err := s.Outbreaks.Open(r.Context(), httpx.ActorFrom(r), in)
	return sendNew(w, "/api/v1/outbreaks/", f, err)
}

func (s *Handler) apiOutbreaks(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	p, err := s.Outbreaks.List(r.Context(), httpx.ActorFrom(r), outbreak.ListInput{UnitID: unit, State: r.URL.Query().Get("state"), Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	return sendFresh(w, p, err)
}

func (s *Handler) apiOutbreak(w http.ResponseWriter, r *http.Request) error {
	d, err := httpx.ByPathID(r, s.Outbreaks.Get)
	if err != nil {
		return err
	}
	httpx.SetETag(w, d.Version)
	return sendFresh(w, d, nil)
}

func (s *Handler) apiOutbreakReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := byIDScreened(w, r, outbreak.ReportKeys, s.Outbreaks.AddReport, "on", "new_cases")
	return send(w, http.StatusCreated, rep, err)
}

func (s *Handler) apiOutbreakOnSite(w http.ResponseWriter, r *http.Request) error {
	f, err := byIDScreened(w, r, outbreak.OnSiteKeys, ifMatch(r, func(in *outbreak.OnSiteInput) *int { return &in.Version }, s.Outbreaks.SetOnSite))
	return sendRecord(w, http.StatusOK, f, err)
}

func (s *Handler) apiOutbreakDuties(w http.ResponseWriter, r *http.Request) error {
	ds, err := byIDScreened(w, r, outbreak.DutyKeys, s.Outbreaks.AddDuties)
	return sendAll(w, http.StatusCreated, ds, err)
}

func (s *Handler) apiOutbreakFunding(w http.ResponseWriter, r *http.Request) error {
	f, err := byIDScreened(w, r, outbreak.FundingKeys, s.Outbreaks.RequestFunding, "amount", "purpose", "needed_by", "to_unit_id")
	return send(w, http.StatusCreated, f, err)
}

func (s *Handler) apiCloseOutbreak(w http.ResponseWriter, r *http.Request) error {
	var in outbreak.CloseInput
	if r.ContentLength != 0 {
		if err := screened(w, r, &in, map[string]bool{"reason": true}); err != nil {
			return err
		}
	}
	f, err := doClose(r, in, s.Outbreaks.Close)
	return send(w, http.StatusOK, f, err)
}

func doClose(r *http.Request, in outbreak.CloseInput, fn func(context.Context, *auth.Actor, int64, outbreak.CloseInput) (*outbreak.Focus, error)) (*outbreak.Focus, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return fn(r.Context(), httpx.ActorFrom(r), id, in)
}

func (s *Handler) board(r *http.Request) (*outbreak.Board, error) {
	unit, err := unitRequired(r)
	if err != nil {
		return nil, err
	}
	asOf, err := httpx.QueryDate(r, "as_of")
	if err != nil {
		return nil, err
	}
	return s.Outbreaks.BoardWith(r.Context(), httpx.ActorFrom(r), outbreak.BoardInput{UnitID: unit, AsOf: asOf, Zones: httpx.IsTrue(r.URL.Query().Get("zones"))})
}

func (s *Handler) apiOutbreakBoard(w http.ResponseWriter, r *http.Request) error {
	b, err := s.board(r)
	return sendFresh(w, b, err)
}

func (s *Handler) apiOutbreakBoardXLSX(w http.ResponseWriter, r *http.Request) error {
	b, err := s.board(r)
	if err != nil {
		return err
	}
	headers, rows := b.ExportRows()
	var buf bytes.Buffer
	title := fmt.Sprintf("Tình hình ổ dịch: %s, ngày %s", b.UnitName, b.AsOf.VN())
	if err := sheet.WriteXLSX(&buf, "O dich", title, headers, rows); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="o-dich-`+strconv.FormatInt(b.UnitID, 10)+`-`+b.AsOf.String()+`.xlsx"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Handler) apiDiseases(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.Outbreaks.Diseases(r.Context(), httpx.ActorFrom(r))
	return sendAll(w, http.StatusOK, ds, err)
}

func (s *Handler) apiPutDisease(w http.ResponseWriter, r *http.Request) error {
	var in outbreak.DiseaseInput
	if err := httpx.DecodeJSON(w, r, &in, "name_vi", "closing_days"); err != nil {
		return err
	}
	if v, err := httpx.IfMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	d, created, err := s.Outbreaks.PutDisease(r.Context(), httpx.ActorFrom(r), r.PathValue("code"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return sendTagged(w, status, d.Version, d)
}

func (s *Handler) apiMyDuties(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	p, err := s.Outbreaks.MyDuties(r.Context(), httpx.ActorFrom(r), limit, r.URL.Query().Get("cursor"))
	return sendFresh(w, p, err)
}

func (s *Handler) apiConfirmDuty(w http.ResponseWriter, r *http.Request) error {
	d, err := httpx.ByPathID(r, s.Outbreaks.ConfirmDuty)
	return send(w, http.StatusOK, d, err)
}
