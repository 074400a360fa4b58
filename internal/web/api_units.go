package web

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

func (s *Server) today() date.Date { return date.Today(s.now()) }

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) {
	parent, err := queryID(r, "parent")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	units, err := s.Org.Children(r.Context(), actorFrom(r), parent)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if units == nil {
		units = []org.Unit{}
	}
	writeJSON(w, http.StatusOK, list[org.Unit]{Items: units, Total: len(units)})
}

func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err := s.Org.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiCreateUnit(w http.ResponseWriter, r *http.Request) {
	var in org.CreateInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err := s.Org.Create(r.Context(), actorFrom(r), in, s.today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusCreated, u)
}

func (s *Server) apiUpdateUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in org.UpdateInput
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
	u, err := s.Org.Update(r.Context(), actorFrom(r), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiMoveUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		ParentID    int64     `json:"parent_id"`
		EffectiveOn date.Date `json:"effective_on"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.today()
	}
	if err := s.Org.Move(r.Context(), actorFrom(r), id, in.ParentID, in.EffectiveOn); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeUnit(w, r, id)
}

func (s *Server) writeUnit(w http.ResponseWriter, r *http.Request, id int64) {
	u, err := s.Org.Get(r.Context(), actorFrom(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setETag(w, u.Version)
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiMergeUnits(w http.ResponseWriter, r *http.Request) {
	var in struct {
		From        []int64   `json:"from"`
		Into        int64     `json:"into"`
		EffectiveOn date.Date `json:"effective_on"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.today()
	}
	if err := s.Org.Merge(r.Context(), actorFrom(r), in.From, in.Into, in.EffectiveOn); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeUnit(w, r, in.Into)
}

func (s *Server) apiDissolveUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		EffectiveOn date.Date `json:"effective_on"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.today()
	}
	if err := s.Org.Dissolve(r.Context(), actorFrom(r), id, in.EffectiveOn); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiUnitStats(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	st, err := s.Org.Stats(r.Context(), actorFrom(r), id, asOf, s.today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiSplitUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in org.SplitInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	parts, err := s.Org.Split(r.Context(), actorFrom(r), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, list[org.Unit]{Items: parts, Total: len(parts)})
}
