// Package page is the one shape of a list answer (../shared/API.md
// "Lists"): the items of one page, the cursor of the next page (nil on the
// last), and the total. Modules return page.Of[T]; the store fills it.
package page

// Of is one page of a list of T.
type Of[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
	// TotalAtLeast says Total is a lower bound: the list stopped counting
	// there (the task lists count up to 1,000; docs/api.md).
	TotalAtLeast bool `json:"total_at_least,omitempty"`
}

// Limit bounds a requested page size: the default when n is not positive,
// the maximum when n is above it (the API's limit=, default 50, max 500).
func Limit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// The API's list sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Cut ends a list read with one item more than limit, which is how a list
// learns that a next page exists without counting: when that item came,
// it is dropped and the cursor is next of the last item kept; otherwise
// the cursor is nil.
func Cut[T any](items []T, limit int, next func(last T) string) ([]T, *string) {
	if len(items) <= limit {
		return items, nil
	}
	items = items[:limit]
	c := next(items[limit-1])
	return items, &c
}
