package ui

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// unitsPage is the top of the tree as the actor sees it.
type unitsPage struct {
	view
	Units []org.Unit
}

// uiUnits lists the actor's roots: the units on which they hold a role.
func (s *Handler) uiUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Org.Children(r.Context(), httpx.ActorFrom(r), 0)
	if err != nil {
		return err
	}
	return s.show(w, r, "units", &unitsPage{Units: units}, nil)
}
