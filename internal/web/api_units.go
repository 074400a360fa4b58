package web

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

func (s *Server) today() date.Date { return date.Today(s.now()) }

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) error {
	parent, err := queryID(r, "parent")
	if err != nil {
		return err
	}
	units, err := s.Org.Children(r.Context(), actorFrom(r), parent)
	if err != nil {
		return err
	}
	if units == nil {
		units = []org.Unit{}
	}
	writeJSON(w, http.StatusOK, list[org.Unit]{Items: units, Total: len(units)})
	return nil
}

func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeUnit(w, r, id, http.StatusOK)
}

// writeUnit answers with the unit as the actor sees it now, and its ETag.
func (s *Server) writeUnit(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	u, err := s.Org.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		return err
	}
	setETag(w, u.Version)
	writeJSON(w, status, u)
	return nil
}

func (s *Server) apiCreateUnit(w http.ResponseWriter, r *http.Request) error {
	var in org.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := s.Org.Create(r.Context(), actorFrom(r), in, s.today())
	if err != nil {
		return err
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) apiUpdateUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in org.UpdateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := ifMatch(r)
	if err != nil {
		return err
	}
	if v != 0 {
		in.Version = v
	}
	u, err := s.Org.Update(r.Context(), actorFrom(r), id, in)
	if err != nil {
		return err
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusOK, u)
	return nil
}

// effectiveOn is the body of restructuring requests; the day defaults to today.
type effectiveOn struct {
	ParentID    int64     `json:"parent_id"`
	From        []int64   `json:"from"`
	Into        int64     `json:"into"`
	EffectiveOn date.Date `json:"effective_on"`
}

func (s *Server) decodeEffective(w http.ResponseWriter, r *http.Request, required ...string) (effectiveOn, error) {
	var in effectiveOn
	if err := decodeJSON(w, r, &in, required...); err != nil {
		return in, err
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.today()
	}
	return in, nil
}

func (s *Server) apiMoveUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.decodeEffective(w, r, "parent_id")
	if err != nil {
		return err
	}
	if err := s.Org.Move(r.Context(), actorFrom(r), id, in.ParentID, in.EffectiveOn); err != nil {
		return err
	}
	return s.writeUnit(w, r, id, http.StatusOK)
}

func (s *Server) apiMergeUnits(w http.ResponseWriter, r *http.Request) error {
	in, err := s.decodeEffective(w, r, "from", "into")
	if err != nil {
		return err
	}
	if err := s.Org.Merge(r.Context(), actorFrom(r), in.From, in.Into, in.EffectiveOn); err != nil {
		return err
	}
	return s.writeUnit(w, r, in.Into, http.StatusOK)
}

func (s *Server) apiDissolveUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.decodeEffective(w, r)
	if err != nil {
		return err
	}
	if err := s.Org.Dissolve(r.Context(), actorFrom(r), id, in.EffectiveOn); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiUnitStats(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil {
		return err
	}
	st, err := s.Org.Stats(r.Context(), actorFrom(r), id, asOf, s.today())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiSplitUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in org.SplitInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	parts, err := s.Org.Split(r.Context(), actorFrom(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, list[org.Unit]{Items: parts, Total: len(parts)})
	return nil
}
