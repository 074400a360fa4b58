package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func (s *Handler) apiCreateTask(w http.ResponseWriter, r *http.Request) error {
	var in task.CreateInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.Tasks.Create(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, d.Version)
	w.Header().Set("Location", "/api/v1/tasks/"+strconv.FormatInt(d.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, d)
	return nil
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
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *Handler) apiTask(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Tasks.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.SetETag(w, d.Version)
	httpx.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *Handler) apiTaskStep(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in task.StepInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if v, err := httpx.IfMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	d, err := s.Tasks.Step(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, d.Version)
	httpx.WriteJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Handler) apiTaskRules(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Tasks.Rules(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page.Of[task.Rule]{Items: rs, Total: len(rs)})
	return nil
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
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page.Of[task.Rule]{Items: rs, Total: len(rs)})
	return nil
}

func (s *Handler) apiAccountability(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	from, err := httpx.QueryDate(r, "from")
	if err != nil {
		return err
	}
	to, err := httpx.QueryDate(r, "to")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	switch format {
	case "", "json", "xlsx":
	case "docx", "pdf":
		return s.accountabilityPaper(w, r, task.ReportInput{UnitID: unit, From: from, To: to}, output.Format(format))
	default:
		return apperr.Keyed(apperr.Invalid, "common.unknown_format", "unknown format").With(apperr.FieldKeyed("format", "http.must_json_xlsx_docx_pdf", "must be json, xlsx, docx or pdf"))
	}
	rep, err := s.Tasks.Accountability(r.Context(), httpx.ActorFrom(r), task.ReportInput{UnitID: unit, From: from, To: to})
	if err != nil {
		return err
	}
	if format != "xlsx" {
		httpx.WriteJSON(w, http.StatusOK, rep)
		return nil
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "Trách nhiệm", rep.ExportTitle(), task.ExportHeaders, rep.ExportRows()); err != nil {
		return err
	}
	name := "trach-nhiem-" + strconv.FormatInt(rep.UnitID, 10) + "-" + rep.From.String() + "-" + rep.To.String() + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

func (s *Handler) apiUnitHead(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.Tasks.Head(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, h)
	return nil
}

func (s *Handler) apiSetUnitHead(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in task.HeadInput
	// "member_id" is required: null brings back the default head.
	if err := httpx.DecodeJSON(w, r, &in, "member_id"); err != nil {
		return err
	}
	h, err := s.Tasks.SetHead(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, h)
	return nil
}
