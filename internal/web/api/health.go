package api

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// healthz answers 200 while the database answers (for load balancers).
func (s *Handler) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.Ping(r.Context()); err != nil {
		s.Log.Error("healthz", "err", err)
		return apperr.Keyed(apperr.Unavailable, "http.database_unavailable", "database unavailable")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}
