package org

import (
	"context"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/viet"
)

// MaxSearch bounds the answers of a unit search; MaxQuery the query.
const (
	MaxSearch = 50
	MaxQuery  = 200
)

// Search finds the live units in the actor's reach (the subtrees where it
// holds a role), or only those below within when it is not 0, whose name
// contains q compared folded: without diacritics and case, đ as d, so "phu
// tuc" finds "Đảng bộ xã Phú Túc". Units above the actor's own cell, which
// a member may walk up to, are not searched. An empty q answers nothing;
// limit is 1 to MaxSearch (0: MaxSearch).
func (s *Service) Search(ctx context.Context, actor *auth.Actor, within int64, q string, limit int) ([]Unit, error) {
	if len([]rune(q)) > MaxQuery {
		return nil, apperr.Keyed(apperr.Invalid, "org.query_too_long", "the query is too long").With(apperr.FieldKeyed("q", "org.most_200_characters", "at most 200 characters"))
	}
	paths := actor.Paths(auth.SeeUnits)
	if within != 0 {
		p, err := s.Get(ctx, actor, within)
		if err != nil {
			return nil, err
		}
		var in []string
		for _, x := range paths {
			switch {
			case strings.HasPrefix(p.Path, x):
				in = append(in, p.Path)
			case strings.HasPrefix(x, p.Path):
				in = append(in, x)
			}
		}
		paths = auth.MinimalPrefixes(in)
	}
	folded := viet.Fold(q)
	if folded == "" || len(paths) == 0 {
		return []Unit{}, nil
	}
	if limit <= 0 || limit > MaxSearch {
		limit = MaxSearch
	}
	us, err := s.Store.Search(ctx, paths, folded, limit)
	if us == nil {
		us = []Unit{}
	}
	return us, err
}
