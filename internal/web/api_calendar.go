package web

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/viet"
)

// calendarRoutes registers the working-day calendar: days off, deadlines
// in working days, and the official schedules per year.
func (s *Server) calendarRoutes(mux *http.ServeMux) {
	if s.Calendars == nil {
		return
	}
	s.handleAPI(mux, "GET /api/v1/calendar/holidays", "signed_in", s.apiHolidays)
	s.handleAPI(mux, "GET /api/v1/calendar/due", "signed_in", s.apiDue)
	s.handleAPI(mux, "GET /api/v1/calendar/schedules/{year}", "signed_in", s.apiSchedule)
	s.handleAPI(mux, "PUT /api/v1/calendar/schedules/{year}", "signed_in", s.apiPutSchedule)
	s.handleAPI(mux, "DELETE /api/v1/calendar/schedules/{year}", "signed_in", s.apiDeleteSchedule)
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, apperr.Fields("not a number", apperr.FieldError{Field: name, Message: "must be an integer"})
	}
	return n, true, nil
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1900 || y > 2100 {
		return 0, apperr.NotFoundf("no schedule for %q", r.PathValue("year"))
	}
	return y, nil
}

func (s *Server) apiHolidays(w http.ResponseWriter, r *http.Request) error {
	year, _, err := queryInt(r, "year")
	if err != nil {
		return err
	}
	a, err := s.Calendars.Holidays(r.Context(), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiDue(w http.ResponseWriter, r *http.Request) error {
	from, err := queryDate(r, "from")
	if err != nil {
		return err
	}
	n, ok, err := queryInt(r, "workdays")
	if err == nil && !ok {
		err = apperr.Fields("workdays is required", apperr.FieldError{Field: "workdays", Message: "required"})
	}
	if err != nil {
		return err
	}
	a, err := s.Calendars.Due(r.Context(), from, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	a, err := s.Calendars.Schedule(r.Context(), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiPutSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in viet.Schedule
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.Calendars.PutSchedule(r.Context(), actorFrom(r), year, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiDeleteSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.Calendars.DeleteSchedule(r.Context(), actorFrom(r), year); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
