package httpx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/sotay-vn/sotay/internal/apperr"
)

// status maps an application error code to its HTTP status. This is the
// one place where that mapping lives.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Malformed:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unsupported:
		return http.StatusUnsupportedMediaType
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Errors []apperr.FieldError `json:"errors,omitempty"`
}

// WriteProblem writes err as application/problem+json. Internal errors are
// logged with their cause and shown to the client only as "internal error".
func WriteProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		err = apperr.Keyed(apperr.TooLarge, "http.body_too_large", "the request body is larger than %d bytes", maxErr.Limit)
	}
	code := apperr.CodeOf(err)
	st := Status(code)
	p := map[string]any{"type": "about:blank", "title": http.StatusText(st), "status": st}
	if e, ok := apperr.As(err); ok && code != apperr.Internal {
		p["detail"] = e.Message
		if e.Key != "" {
			p["key"] = e.Key
		}
		p["type"] = "https://sotay.vn/problems/" + string(code)
		if len(e.Fields) > 0 {
			p["errors"] = e.Fields
		}
		for k, v := range e.Extra {
			p[k] = v
		}
	} else {
		log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		p["detail"] = "internal error"
	}
	if st == http.StatusTooManyRequests {
		if e, ok := apperr.As(err); ok {
			if ra, ok := e.Extra["retry_after"]; ok {
				w.Header().Set("Retry-After", ToString(ra))
			}
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(p)
}

func ToString(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

// answerOptions encode every JSON answer as encoding/json does, except
// that a nil slice or map is written [] or {}, never null: a client reads
// a list field as a list whatever the server held ("roles": [] for an
// account without roles).
var answerOptions = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv2.FormatNilSliceAsNull(false), jsonv2.FormatNilMapAsNull(false),
	jsontext.EscapeForHTML(false))

// WriteJSON writes v with status st, and a newline. The answer is
// encoded into a buffer kept for the next answer (a first page of tasks
// is about 45 kB, encoded on every request), then written at once.
func WriteJSON(w http.ResponseWriter, st int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	if err := jsonv2.MarshalWrite(buf, v, answerOptions); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(st)
	w.Write(buf.Bytes())
}

// StreamJSON writes v with status st, and a newline, encoded straight to
// the connection through a 64 kB buffer instead of into one buffer whole:
// for answers of megabytes (a city's four-good results, 6 MB). <, > and &
// are escaped as encoding/json escapes them: the answers streamed were
// encoded by encoding/json before, and keep their bytes. An encoding error
// after the status is sent cannot become an error answer: it is logged
// and the answer cut short.
func StreamJSON(w http.ResponseWriter, st int, v any) {
	StreamJSONBy(w, st, func(w io.Writer, value func(io.Writer, any) error) error { return value(w, v) })
}

// StreamJSONBy is StreamJSON for an answer that writes its own JSON
// (scoring.Results.WriteJSON: a city's 21,333 items by hand): write is
// given the buffered connection and StreamJSON's encoder of one value,
// for the parts it does not write itself.
func StreamJSONBy(w http.ResponseWriter, st int, write func(w io.Writer, value func(io.Writer, any) error) error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(st)
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw, streamValue); err != nil {
		slog.Error("stream an answer", "err", err)
		return
	}
	bw.WriteByte('\n')
	bw.Flush()
}

// streamValue encodes one value with streamOptions.
func streamValue(w io.Writer, v any) error { return jsonv2.MarshalWrite(w, v, streamOptions) }

// streamOptions are StreamJSON's: the answers' options, with <, > and &
// escaped as encoding/json does.
var streamOptions = jsonv2.JoinOptions(answerOptions, jsontext.EscapeForHTML(true))

// jsonBuffers are WriteJSON's buffers.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putJSONBuffer keeps a buffer for the next answer, unless it grew past
// 1 MiB (a rare large answer is not kept in memory).
func putJSONBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	jsonBuffers.Put(b)
}
