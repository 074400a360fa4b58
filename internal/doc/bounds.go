package doc

import (
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

// FoundingYear is the year the Party was founded: no party document is older.
const FoundingYear = 1930

// checkIssuedOn bounds the date of a document: from 1930 to today (a
// document is dated when it is signed, not ahead of it).
func checkIssuedOn(on, today date.Date) *apperr.FieldError {
	if on.Year < FoundingYear || on.After(today) {
		return fieldRef(apperr.FieldKeyed("issued_on", "common.year_from_founding", "must be from %d-01-01 to %s", FoundingYear, today))
	}
	return nil
}

// fieldRef returns a pointer to f.
func fieldRef(f apperr.FieldError) *apperr.FieldError { return &f }

// maxSignerName bounds the signer's name printed under the signature.
const maxSignerName = 100
