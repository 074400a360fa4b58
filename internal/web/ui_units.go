package web

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/org"
)

// unitsPage is the top of the tree as the actor sees it.
type unitsPage struct {
	view
	Units []org.Unit
}

// uiUnits lists the actor's roots: the units on which they hold a role.
func (s *Server) uiUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Org.Children(r.Context(), actorFrom(r), 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "units", &unitsPage{Units: units})
	return nil
}
