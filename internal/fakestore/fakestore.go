// Package fakestore holds what the modules' fake stores (in their tests)
// share: they keep records in maps by id and answer copies, so that a
// service cannot change the kept record without a write.
package fakestore

import "github.com/sotay-vn/sotay/internal/apperr"

// Copy answers a copy of m[id], or NotFound.
func Copy[T any](m map[int64]*T, id int64) (*T, error) {
	v, ok := m[id]
	if !ok {
		return nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	c := *v
	return &c, nil
}
