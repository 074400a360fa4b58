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
	s.handleAPI(mux, "POST /api/v1/tasks", "signed_in", s.apiCreateTask)
	s.handleAPI(mux, "GET /api/v1/tasks", "signed_in", s.apiTasks)
	s.handleAPI(mux, "GET /api/v1/tasks/{id}", "signed_in", s.apiTask)
	s.handleAPI(mux, "POST /api/v1/tasks/{id}/steps", "signed_in", s.apiTaskStep)
	s.handleAPI(mux, "GET /api/v1/task-rules", "signed_in", s.apiTaskRules)
	s.handleAPI(mux, "PUT /api/v1/task-rules", "signed_in", s.apiPutTaskRules)
	s.handleAPI(mux, "GET /api/v1/accountability", "signed_in", s.apiAccountability)
	s.handleAPI(mux, "GET /api/v1/units/{id}/head", "signed_in", s.apiUnitHead)
	s.handleAPI(mux, "PUT /api/v1/units/{id}/head", "signed_in", s.apiSetUnitHead)
	// The inbox (GET /api/v1/notifications, POST …/read) is in api_notifications.go.
}

func (s *Server) apiCreateTask(w http.ResponseWriter, r *http.Request) error {
	var in task.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.Tasks.Create(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	w.Header().Set("Location", "/api/v1/tasks/"+strconv.FormatInt(d.ID, 10))
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) error {
	unit, err := queryID(r, "unit")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.Tasks.List(r.Context(), actorFrom(r), task.ListInput{UnitID: unit, State: q.Get("state"), Assignee: q.Get("assignee"),
		Order: q.Get("order"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Tasks.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiTaskStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in task.StepInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if v, err := ifMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	d, err := s.Tasks.Step(r.Context(), actorFrom(r), id, in)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiTaskRules(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Tasks.Rules(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[task.Rule]{Items: rs, Total: len(rs)})
	return nil
}

// apiPutTaskRules takes [{code, enabled?, threshold?, name_vi?, ...}] or
// {items: [...]}.
func (s *Server) apiPutTaskRules(w http.ResponseWriter, r *http.Request) error {
	var obj struct {
		Items []task.RulePatch `json:"items"`
	}
	var arr []task.RulePatch
	if err := decodeJSONEither(w, r, &obj, &arr, "items"); err != nil {
		return err
	}
	if arr == nil {
		arr = obj.Items
	}
	rs, err := s.Tasks.UpdateRules(r.Context(), actorFrom(r), arr)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[task.Rule]{Items: rs, Total: len(rs)})
	return nil
}

func (s *Server) apiAccountability(w http.ResponseWriter, r *http.Request) error {
	unit, err := queryID(r, "unit")
	if err != nil {
		return err
	}
	from, err := queryDate(r, "from")
	if err != nil {
		return err
	}
	to, err := queryDate(r, "to")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "xlsx" {
		return apperr.Fields("unknown format", apperr.FieldError{Field: "format", Message: "must be json or xlsx"})
	}
	rep, err := s.Tasks.Accountability(r.Context(), actorFrom(r), task.ReportInput{UnitID: unit, From: from, To: to})
	if err != nil {
		return err
	}
	if format != "xlsx" {
		writeJSON(w, http.StatusOK, rep)
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

func (s *Server) apiUnitHead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.Tasks.Head(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) apiSetUnitHead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in task.HeadInput
	// "member_id" is required: null brings back the default head.
	if err := decodeJSON(w, r, &in, "member_id"); err != nil {
		return err
	}
	h, err := s.Tasks.SetHead(r.Context(), actorFrom(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
