package httpx

import (
	"net/http"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// AuditQuery reads the audit log's filters, the same for the API and the
// page: unit (an id), object ("member:12"), actor (a user name), from and
// to (dates in Vietnam, both included), limit and cursor.
func AuditQuery(r *http.Request) (auth.AuditQuery, error) {
	var q auth.AuditQuery
	var err error
	if q.UnitID, err = QueryID(r, "unit"); err != nil {
		return q, err
	}
	if q.Limit, err = QueryLimit(r); err != nil {
		return q, err
	}
	from, err := QueryDate(r, "from")
	if err != nil {
		return q, err
	}
	to, err := QueryDate(r, "to")
	if err != nil {
		return q, err
	}
	if !from.IsZero() {
		q.Since = DayStart(from)
	}
	if !to.IsZero() {
		q.Until = DayStart(to.AddDays(1))
	}
	v := r.URL.Query()
	q.Object, q.Actor, q.Cursor = v.Get("object"), v.Get("actor"), v.Get("cursor")
	return q, nil
}

// DayStart is midnight of d in Vietnam.
func DayStart(d date.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, date.Vietnam)
}
