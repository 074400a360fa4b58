package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/task"
)

// taskRoutes registers work handling: tasks and their steps, the
// detection rules, the accountability report and unit heads.
func (s *Server) taskRoutes(mux *http.ServeMux) {
	if s.Tasks == nil {
		return
	}
	s.handle(mux, "POST /api/v1/tasks", "signed_in", s.apiCreateTask)
	s.handle(mux, "GET /api/v1/tasks", "signed_in", s.apiTasks)
	s.handle(mux, "GET /api/v1/tasks/{id}", "signed_in", s.apiTask)
	s.handle(mux, "POST /api/v1/tasks/{id}/steps", "signed_in", s.apiTaskStep)
	s.handle(mux, "GET /api/v1/task-rules", "signed_in", s.apiTaskRules)
	s.handle(mux, "PUT /api/v1/task-rules", "signed_in", s.apiPutTaskRules)
	s.handle(mux, "GET /api/v1/accountability", "signed_in", s.apiAccountability)
	s.handle(mux, "GET /api/v1/units/{id}/head", "signed_in", s.apiUnitHead)
	s.handle(mux, "PUT /api/v1/units/{id}/head", "signed_in", s.apiSetUnitHead)
	// The inbox (GET /api/v1/notifications, POST …/read) is in api_notifications.go.
}

func (s *Server) apiCreateTask(w http.ResponseWriter, r *http.Request) {
	var in task.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.Tasks.Create(r.Context(), actorFrom(r), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, d.Version)
	w.Header().Set("Location", "/api/v1/tasks/"+strconv.FormatInt(d.ID, 10))
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) {
	unit, err := queryID(r, "unit")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	limit, err := queryLimit(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	page, err := s.Tasks.List(r.Context(), actorFrom(r), task.ListInput{UnitID: unit, State: q.Get("state"), Assignee: q.Get("assignee"),
		Order: q.Get("order"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) apiTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.Tasks.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, d.Version)
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiTaskStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in task.StepInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if v, err := ifMatch(r); err != nil {
		s.apiError(w, r, err)
		return
	} else if v != 0 {
		in.Version = v
	}
	d, err := s.Tasks.Step(r.Context(), actorFrom(r), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, d.Version)
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) apiTaskRules(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Tasks.Rules(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[task.Rule]{Items: rs, Total: len(rs)})
}

// apiPutTaskRules takes [{code, enabled?, threshold?, name_vi?, ...}] or
// {items: [...]}.
func (s *Server) apiPutTaskRules(w http.ResponseWriter, r *http.Request) {
	var obj struct {
		Items []task.RulePatch `json:"items"`
	}
	var arr []task.RulePatch
	if err := decodeJSONEither(w, r, &obj, &arr, "items"); err != nil {
		s.apiError(w, r, err)
		return
	}
	if arr == nil {
		arr = obj.Items
	}
	rs, err := s.Tasks.UpdateRules(r.Context(), actorFrom(r), arr)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[task.Rule]{Items: rs, Total: len(rs)})
}

func (s *Server) apiAccountability(w http.ResponseWriter, r *http.Request) {
	unit, err := queryID(r, "unit")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	from, err := queryDate(r, "from")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	to, err := queryDate(r, "to")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "xlsx" {
		s.apiError(w, r, apperr.Fields("unknown format", apperr.FieldError{Field: "format", Message: "must be json or xlsx"}))
		return
	}
	rep, err := s.Tasks.Accountability(r.Context(), actorFrom(r), task.ReportInput{UnitID: unit, From: from, To: to})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if format != "xlsx" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "Trách nhiệm", rep.ExportTitle(), task.ExportHeaders, rep.ExportRows()); err != nil {
		s.apiError(w, r, err)
		return
	}
	name := "trach-nhiem-" + strconv.FormatInt(rep.UnitID, 10) + "-" + rep.From.String() + "-" + rep.To.String() + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

func (s *Server) apiUnitHead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	h, err := s.Tasks.Head(r.Context(), actorFrom(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) apiSetUnitHead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in task.HeadInput
	// "member_id" is required: null brings back the default head.
	if err := decodeJSON(w, r, &in, "member_id"); err != nil {
		s.apiError(w, r, err)
		return
	}
	h, err := s.Tasks.SetHead(r.Context(), actorFrom(r), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}
