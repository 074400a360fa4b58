package auth

import (
	"strconv"
	"strings"
)

// PathIDs returns the ids of the units on a materialised path, from the
// root down: "/1/7/42/" → 1, 7, 42 (the unit's own last). These are the
// units whose subtree contains the unit at path.
func PathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
