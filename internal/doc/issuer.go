package doc

import (
	"context"
	"sort"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/viet"
)

// IssuerChain returns the issuing unit of a document the caller has already
// been allowed to read, after the unit directly above it (when it has one):
// the two lines of the issuing body printed in the header of a party
// document ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" over "HUYỆN ỦY PHÚ XUYÊN"). Only the
// units' names are given out, which the printed document shows anyway.
func (s *Service) IssuerChain(ctx context.Context, d *Document) ([]UnitRef, error) {
	u, err := s.Store.Unit(ctx, d.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	out := []UnitRef{*u}
	if u.ParentID != 0 {
		p, err := s.Store.Unit(ctx, u.ParentID)
		if err != nil {
			return nil, err
		}
		out = []UnitRef{*p, *u}
	}
	return out, nil
}

// IssuerOptions lists the units that most documents an actor reads come
// from: the units on the path of their member's cell and on the paths of
// their roles' units, top first (the library's "issued by" filter). Units
// below a role's unit are not listed (a filter by any unit id still works).
func (s *Service) IssuerOptions(ctx context.Context, actor *auth.Actor) ([]UnitRef, error) {
	var paths []string
	if actor.MemberUnitPath != "" {
		paths = append(paths, actor.MemberUnitPath)
	}
	for _, g := range actor.Grants {
		paths = append(paths, g.UnitPath)
	}
	seen := map[int64]bool{}
	var out []UnitRef
	for _, p := range paths {
		for _, id := range AncestorIDs(p) {
			if seen[id] {
				continue
			}
			seen[id] = true
			u, err := s.Store.Unit(ctx, id)
			if err != nil {
				return nil, err
			}
			if !u.Dissolved {
				out = append(out, *u)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.Count(out[i].Path, "/") < strings.Count(out[j].Path, "/") })
	return out, nil
}

// issuerCodes are the symbols of the issuing bodies, by the words a party
// body's name starts with (Hướng dẫn 36-HD/VPTW: "TU" for a city or
// provincial committee, "HU" for a district's, "QU" for an urban
// district's, "ĐU" for a party committee, "CB" for a cell).
var issuerCodes = []struct{ prefix, code string }{
	{"thành ủy", "TU"}, {"tỉnh ủy", "TU"}, {"huyện ủy", "HU"}, {"quận ủy", "QU"},
	{"đảng ủy", "ĐU"}, {"đảng bộ", "ĐU"}, {"chi bộ", "CB"},
}

// SuggestIssuerCode proposes the symbol of a body from its name, for a
// publishing form to fill in ("Huyện ủy Phú Xuyên" → "HU"); "" when the name
// does not say (the clerk types it).
func SuggestIssuerCode(unitName string) string {
	// "uỷ" is the older placement of the tone mark in "ủy": both are typed.
	name := strings.ReplaceAll(strings.ToLower(viet.NFC(strings.TrimSpace(unitName))), "uỷ", "ủy")
	for _, c := range issuerCodes {
		if strings.HasPrefix(name, c.prefix) {
			return c.code
		}
	}
	return ""
}
