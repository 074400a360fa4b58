package ui

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// homePage lists where the signed-in account may go.
type homePage struct {
	view
	Units []org.Unit
}

// uiHome is the start page: the units the actor holds a role on, and for
// a member their own record. Visitors who are not signed in go to sign in.
func (s *Handler) uiHome(w http.ResponseWriter, r *http.Request) error {
	actor := httpx.ActorFrom(r)
	if actor == nil {
		httpx.SeeOther(w, r, "/dang-nhap")
		return nil
	}
	units, err := s.Org.Children(r.Context(), actor, 0)
	if err != nil {
		return err
	}
	return s.show(w, r, "home", &homePage{Units: units}, nil)
}
