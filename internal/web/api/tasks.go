package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func (s *Handler) apiCreateTask(w http.ResponseWriter, r *http.Request) error {
	d, err := withBody(w, r, s.Tasks.Create)
	return sendNew(w, "/api/v1/tasks/", d, err)
}

func (s *Handler) apiTasks(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.Tasks.List(r.Context(), httpx.ActorFrom(r), task.ListInput{UnitID: unit, State: q.Get("state"), Overdue: q.Get("overdue"),
		Holder: q.Get("holder"), Accountable: q.Get("accountable"), Issuer: q.Get("issuer"), Assignee: q.Get("assignee"), Order: q.Get("order"), Limit: limit, Cursor: q.Get("cursor")})
	return send(w, http.StatusOK, page, err)
}

func (s *Handler) apiTask(w http.ResponseWriter, r *http.Request) error {
	d, err := httpx.ByPathID(r, s.Tasks.Get)
	return sendRecord(w, http.StatusOK, d, err)
}

func (s *Handler) apiTaskStep(w http.ResponseWriter, r *http.Request) error {
	d, err := byIDWithBody(w, r, ifMatch(r, func(in *task.StepInput) *int { return &in.Version }, s.Tasks.Step))
	return sendRecord(w, http.StatusCreated, d, err)
}

func (s *Handler) apiTaskRules(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Tasks.Rules(r.Context())
	return sendAll(w, http.StatusOK, rs, err)
}

// apiPutTaskRules takes [{code, enabled?, threshold?, name_vi?, ...}] or
// {items: [...]}.
func (s *Handler) apiPutTaskRules(w http.ResponseWriter, r *http.Request) error {
	var obj struct {
		Items []task.RulePatch `json:"items"`
	}
	var arr []task.RulePatch
	if err := httpx.DecodeJSONEither(w, r, &obj, &arr, "items"); err != nil {
		return err
	}
	if arr == nil {
		arr = obj.Items
	}
	rs, err := s.Tasks.UpdateRules(r.Context(), httpx.ActorFrom(r), arr)
	return sendAll(w, http.StatusOK, rs, err)
}

func (s *Handler) apiAccountability(w http.ResponseWriter, r *http.Request) error {
	in, err := reportInput(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	switch format {
	case "", "json", "xlsx":
	case "docx", "pdf":
		return s.accountabilityPaper(w, r, in, output.Format(format))
	default:
		return apperr.Keyed(apperr.Invalid, "common.unknown_format", "unknown format").With(apperr.FieldKeyed("format", "http.must_json_xlsx_docx_pdf", "must be json, xlsx, docx or pdf"))
	}
	rep, err := s.Tasks.Accountability(r.Context(), httpx.ActorFrom(r), in)
	if err != nil || format != "xlsx" {
		return send(w, http.StatusOK, rep, err)
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "Trách nhiệm", rep.ExportTitle(), task.ExportHeaders, rep.ExportRows()); err != nil {
		return err
	}
	return sendXLSX(w, "trach-nhiem-"+strconv.FormatInt(rep.UnitID, 10)+"-"+rep.From.String()+"-"+rep.To.String()+".xlsx", buf.Bytes())
}

func (s *Handler) apiUnitHead(w http.ResponseWriter, r *http.Request) error {
	h, err := httpx.ByPathID(r, s.Tasks.Head)
	return send(w, http.StatusOK, h, err)
}

func (s *Handler) apiSetUnitHead(w http.ResponseWriter, r *http.Request) error {
	// "member_id" is required: null brings back the default head.
	h, err := byIDWithBody(w, r, s.Tasks.SetHead, "member_id")
	return send(w, http.StatusOK, h, err)
}
