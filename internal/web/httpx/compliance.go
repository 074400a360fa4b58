package httpx

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// ComplianceQuery is the meetings' compliance asked of the unit {id}:
// ?year= (a year like 2026; none: this year) and ?as_of= (the API and
// the pages share it).
func ComplianceQuery(r *http.Request) (meeting.ComplianceInput, error) {
	id, err := PathID(r, "id")
	if err != nil {
		return meeting.ComplianceInput{}, err
	}
	in := meeting.ComplianceInput{UnitID: id, AsOf: r.URL.Query().Get("as_of")}
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || strconv.Itoa(y) != v {
			return in, apperr.InvalidField("year", "meeting.year", "a year like 2026")
		}
		in.Year = y
	}
	return in, nil
}
