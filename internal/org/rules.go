package org

import (
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

// rank is the place of a kind in Kinds, from the top (0) down; -1 if unknown.
func rank(k Kind) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return -1
}

// MayHold reports whether a unit of kind parent may have a unit of kind
// child directly below it: a cell has no units below it, and every other
// unit only has units of lower kinds below it (a grassroots committee
// under a district or province, a cell under any committee; never a
// committee under a cell or a district under a grassroots committee).
// Only cells hold members.
func MayHold(parent, child Kind) bool {
	p, c := rank(parent), rank(child)
	return p >= 0 && c >= 0 && parent != KindCell && c > p
}

// holdError says why a unit of kind child may not be below one of kind parent.
func holdError(field string, parent, child Kind) apperr.FieldError {
	if parent == KindCell {
		return apperr.FieldKeyed(field, "org.cell_holds_no_units", "a cell cannot have units below it")
	}
	return apperr.FieldKeyed(field, "org.kind_cannot_be_below", "a %s cannot be below a %s", kindTerm(child), kindTerm(parent))
}

// kindTerm names a kind in a message: the code in English, the kind's
// name on the pages.
func kindTerm(k Kind) apperr.Term { return apperr.Term{Key: "kind." + string(k), Text: string(k)} }

// Dates of restructuring: from the founding of the Party to a year ahead
// (a restructuring is decided before it takes effect, not years before).
const (
	FoundingYear = 1930
	AheadYears   = 1
)

// checkOn bounds the day a restructuring or a new unit takes effect: from
// 1930 and from notBefore (the day the unit itself began), to a year after
// today.
func checkOn(field string, on, notBefore, today date.Date) *apperr.Error {
	name := apperr.Term{Key: "field." + field, Text: field}
	bad := func(key, format string, args ...any) *apperr.Error {
		return apperr.Keyed(apperr.Invalid, "org.date_out_of_range", "%s is out of range", name).With(apperr.FieldKeyed(field, key, format, args...))
	}
	latest := today.AddYears(AheadYears)
	switch {
	case on.IsZero():
		return apperr.Keyed(apperr.Invalid, "org.date_required", "%s is required", name).With(apperr.FieldKeyed(field, "common.required", "required"))
	case on.Year < FoundingYear:
		return bad("org.date_before_1930", "must not be before %d", FoundingYear)
	case !notBefore.IsZero() && on.Before(notBefore):
		return bad("org.date_before_unit", "must not be before %s, when the unit began", notBefore)
	case on.After(latest):
		return bad("org.date_after", "must not be after %s", latest)
	}
	return nil
}

// CheckAsOf bounds the day of statistics "as of" a day: from 1930 to a
// year ahead (a later day answers as today).
func CheckAsOf(asOf, today date.Date) error {
	if asOf.IsZero() {
		return nil
	}
	if err := checkOn("as_of", asOf, date.Date{}, today); err != nil {
		return err
	}
	return nil
}

func (s *Service) today() date.Date { return date.TodayFrom(s.Now) }
