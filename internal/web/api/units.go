package api

import (
	"context"
	"net/http"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func (s *Handler) apiUnits(w http.ResponseWriter, r *http.Request) error {
	parent, err := httpx.QueryID(r, "parent")
	if err != nil {
		return err
	}
	var units []org.Unit
	if q := r.URL.Query(); q.Has("q") {
		// A search by name (the pickers of the pages): the units in reach,
		// or below parent, whose folded name contains q.
		limit, err := httpx.QueryLimit(r)
		if err != nil {
			return err
		}
		units, err = s.Org.Search(r.Context(), httpx.ActorFrom(r), parent, q.Get("q"), limit)
		if err != nil {
			return err
		}
	} else if units, err = s.Org.Children(r.Context(), httpx.ActorFrom(r), parent); err != nil {
		return err
	}
	if units == nil {
		units = []org.Unit{}
	}
	return sendAll(w, http.StatusOK, units, nil)
}

func (s *Handler) apiUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeUnit(w, r, id, http.StatusOK)
}

// writeUnit answers with the unit as the actor sees it now, and its ETag.
func (s *Handler) writeUnit(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	u, err := s.Org.Get(r.Context(), httpx.ActorFrom(r), id)
	return sendRecord(w, status, u, err)
}

func (s *Handler) apiCreateUnit(w http.ResponseWriter, r *http.Request) error {
	u, err := withBody(w, r, func(ctx context.Context, a *auth.Actor, in org.CreateInput) (*org.Unit, error) {
		return s.Org.Create(ctx, a, in, s.Today())
	})
	return sendRecord(w, http.StatusCreated, u, err)
}

func (s *Handler) apiUpdateUnit(w http.ResponseWriter, r *http.Request) error {
	u, err := byIDWithBody(w, r, ifMatch(r, func(in *org.UpdateInput) *int { return &in.Version }, s.Org.Update))
	return sendRecord(w, http.StatusOK, u, err)
}

// effectiveOn is the body of restructuring requests; the day defaults to today.
type effectiveOn struct {
	ParentID    int64     `json:"parent_id"`
	From        []int64   `json:"from"`
	Into        int64     `json:"into"`
	EffectiveOn date.Date `json:"effective_on"`
}

func (s *Handler) decodeEffective(w http.ResponseWriter, r *http.Request, required ...string) (effectiveOn, error) {
	var in effectiveOn
	if err := httpx.DecodeJSON(w, r, &in, required...); err != nil {
		return in, err
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.Today()
	}
	return in, nil
}

func (s *Handler) apiMoveUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.decodeEffective(w, r, "parent_id")
	if err != nil {
		return err
	}
	if err := s.Org.Move(r.Context(), httpx.ActorFrom(r), id, in.ParentID, in.EffectiveOn); err != nil {
		return err
	}
	return s.writeUnit(w, r, id, http.StatusOK)
}

func (s *Handler) apiMergeUnits(w http.ResponseWriter, r *http.Request) error {
	in, err := s.decodeEffective(w, r, "from", "into")
	if err != nil {
		return err
	}
	if err := s.Org.Merge(r.Context(), httpx.ActorFrom(r), in.From, in.Into, in.EffectiveOn); err != nil {
		return err
	}
	return s.writeUnit(w, r, in.Into, http.StatusOK)
}

func (s *Handler) apiDissolveUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.decodeEffective(w, r)
	if err != nil {
		return err
	}
	return sendDone(w, s.Org.Dissolve(r.Context(), httpx.ActorFrom(r), id, in.EffectiveOn))
}

func (s *Handler) apiUnitStats(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	asOf, err := httpx.QueryDate(r, "as_of")
	if err != nil {
		return err
	}
	st, err := s.Org.Stats(r.Context(), httpx.ActorFrom(r), id, asOf, s.Today())
	return send(w, http.StatusOK, st, err)
}

func (s *Handler) apiSplitUnit(w http.ResponseWriter, r *http.Request) error {
	parts, err := byIDWithBody(w, r, s.Org.Split)
	return sendAll(w, http.StatusCreated, parts, err)
}
