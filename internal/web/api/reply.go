package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The shapes the handlers share: read the id from the path, decode the
// body, call one service method with the request's context and actor, and
// write the answer. A handler is then a line or two:
//
//	d, err := httpx.ByPathID(r, s.Docs.Get)
//	return sendFresh(w, d, err)

// doByID reads {id} from the path and calls fn, which answers nothing.
func doByID(r *http.Request, fn func(context.Context, *auth.Actor, int64) error) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return fn(r.Context(), httpx.ActorFrom(r), id)
}

// withBody decodes the body as In (strictly; the required names must be
// there) and calls fn with it.
func withBody[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *auth.Actor, In) (T, error), required ...string) (T, error) {
	var in In
	if err := httpx.DecodeJSON(w, r, &in, required...); err != nil {
		var zero T
		return zero, err
	}
	return fn(r.Context(), httpx.ActorFrom(r), in)
}

// byIDWithBody reads {id} from the path, decodes the body as In and calls
// fn with both.
func byIDWithBody[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *auth.Actor, int64, In) (T, error), required ...string) (T, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		var zero T
		return zero, err
	}
	return withBody(w, r, func(ctx context.Context, a *auth.Actor, in In) (T, error) { return fn(ctx, a, id, in) }, required...)
}

// ifMatch wraps fn so that an If-Match header, when there is one, gives
// the input's version: version answers where the decoded input keeps it
// (and may fill the input's defaults first). The header is read after the
// body: a malformed body answers first.
func ifMatch[In, T any](r *http.Request, version func(*In) *int, fn func(context.Context, *auth.Actor, int64, In) (T, error)) func(context.Context, *auth.Actor, int64, In) (T, error) {
	return func(ctx context.Context, a *auth.Actor, id int64, in In) (T, error) {
		v, err := httpx.IfMatch(r)
		if err != nil {
			var zero T
			return zero, err
		}
		if v != 0 {
			*version(&in) = v
		}
		return fn(ctx, a, id, in)
	}
}

// withVersion reads the version from If-Match (0 when there is none) and
// calls fn with it.
func withVersion[T any](r *http.Request, fn func(version int) (T, error)) (T, error) {
	v, err := httpx.IfMatch(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return fn(v)
}

// send writes v as JSON with status, unless err.
func send(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, v)
	return nil
}

// sendFresh writes v with 200 and Cache-Control: no-store, unless err.
func sendFresh(w http.ResponseWriter, v any, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// sendAll writes a whole list as one page (no cursor), unless err.
func sendAll[T any](w http.ResponseWriter, status int, items []T, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, page.Of[T]{Items: items, Total: len(items)})
	return nil
}

// sendTagged writes v with status and its version as the ETag.
func sendTagged(w http.ResponseWriter, status, version int, v any) error {
	httpx.SetETag(w, version)
	httpx.WriteJSON(w, status, v)
	return nil
}

// sendCreated answers 201 with v, its version as the ETag and its address
// (base + id) as the Location.
func sendCreated(w http.ResponseWriter, base string, id int64, version int, v any) error {
	w.Header().Set("Location", base+strconv.FormatInt(id, 10))
	return sendTagged(w, http.StatusCreated, version, v)
}

// sendDone answers 204, unless err.
func sendDone(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// unitRequired reads ?unit=, which must name a unit.
func unitRequired(r *http.Request) (int64, error) {
	unit, err := httpx.QueryID(r, "unit")
	if err == nil && unit == 0 {
		err = apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
	}
	return unit, err
}

// pageQuery reads ?limit= and ?cursor=.
func pageQuery(r *http.Request) (int, string, error) {
	limit, err := httpx.QueryLimit(r)
	return limit, r.URL.Query().Get("cursor"), err
}

// unitPage reads ?unit= (0 when absent), ?limit= and ?cursor=.
func unitPage(r *http.Request) (int64, int, string, error) {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return 0, 0, "", err
	}
	limit, cursor, err := pageQuery(r)
	return unit, limit, cursor, err
}

// sendAt answers status with v and location as its address (no ETag).
func sendAt(w http.ResponseWriter, status int, location string, v any) error {
	w.Header().Set("Location", location)
	httpx.WriteJSON(w, status, v)
	return nil
}

// sendXLSX answers a spreadsheet as an attachment named name (ASCII).
func sendXLSX(w http.ResponseWriter, name string, body []byte) error {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// versioned is a record the API answers with its version as the ETag.
type versioned interface {
	// Ref is the record's id and version.
	Ref() (id int64, version int)
}

// sendRecord writes v with status and its version as the ETag, unless err.
func sendRecord[T versioned](w http.ResponseWriter, status int, v T, err error) error {
	if err != nil {
		return err
	}
	_, version := v.Ref()
	return sendTagged(w, status, version, v)
}

// sendFreshRecord writes v with 200, its version as the ETag and
// Cache-Control: no-store, unless err.
func sendFreshRecord[T versioned](w http.ResponseWriter, v T, err error) error {
	if err != nil {
		return err
	}
	_, version := v.Ref()
	httpx.SetETag(w, version)
	return sendFresh(w, v, nil)
}

// sendNew answers 201 with v, its version as the ETag and its address
// (base + id) as the Location, unless err.
func sendNew[T versioned](w http.ResponseWriter, base string, v T, err error) error {
	if err != nil {
		return err
	}
	id, version := v.Ref()
	return sendCreated(w, base, id, version, v)
}
