package api

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, apperr.Keyed(apperr.Invalid, "common.not_number", "not a number").With(apperr.FieldKeyed(name, "http.must_integer", "must be an integer"))
	}
	return n, true, nil
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1900 || y > 2100 {
		return 0, apperr.Keyed(apperr.NotFound, "http.no_schedule", "no schedule for %q", r.PathValue("year"))
	}
	return y, nil
}

func (s *Handler) apiHolidays(w http.ResponseWriter, r *http.Request) error {
	year, _, err := queryInt(r, "year")
	if err != nil {
		return err
	}
	a, err := s.Calendars.Holidays(r.Context(), year)
	return send(w, http.StatusOK, a, err)
}

func (s *Handler) apiDue(w http.ResponseWriter, r *http.Request) error {
	from, err := httpx.QueryDate(r, "from")
	if err != nil {
		return err
	}
	n, ok, err := queryInt(r, "workdays")
	if err == nil && !ok {
		err = apperr.Keyed(apperr.Invalid, "http.workdays_required", "workdays is required").With(apperr.FieldKeyed("workdays", "common.required", "required"))
	}
	if err != nil {
		return err
	}
	a, err := s.Calendars.Due(r.Context(), from, n)
	return send(w, http.StatusOK, a, err)
}

func (s *Handler) apiSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	a, err := s.Calendars.Schedule(r.Context(), year)
	return send(w, http.StatusOK, a, err)
}

func (s *Handler) apiPutSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in viet.Schedule
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.Calendars.PutSchedule(r.Context(), httpx.ActorFrom(r), year, in)
	return send(w, http.StatusOK, a, err)
}

func (s *Handler) apiDeleteSchedule(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	return sendDone(w, s.Calendars.DeleteSchedule(r.Context(), httpx.ActorFrom(r), year))
}
