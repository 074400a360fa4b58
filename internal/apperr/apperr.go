// Package apperr defines the one application error type. Services return it;
// the web layer maps its Code to an HTTP status in exactly one place.
// Messages are for end users; wrapped causes are for the operator's log.
package apperr

import (
	"errors"
	"fmt"
	"slices"
)

// Code classifies an error for the caller. Keep the set small.
type Code string

const (
	Invalid      Code = "invalid"      // 422: input fails validation
	Malformed    Code = "malformed"    // 400: input cannot be read at all
	NotFound     Code = "not_found"    // 404: missing or outside the actor's reach
	Conflict     Code = "conflict"     // 409: stale version, duplicate, illegal transition
	Unauthorized Code = "unauthorized" // 401: not signed in, bad credentials
	TooLarge     Code = "too_large"    // 413
	Forbidden    Code = "forbidden"    // 403: refused whoever asks (a cross-origin write)
	Unsupported  Code = "unsupported"  // 415: wrong media type
	RateLimited  Code = "rate_limited" // 429
	Unavailable  Code = "unavailable"  // 503: a dependency (the database) does not answer
	Internal     Code = "internal"     // 500
)

// FieldError says what is wrong and where: a field, and for imports a row.
type FieldError struct {
	Field   string `json:"field"`
	Row     int    `json:"row,omitempty"`
	Message string `json:"message"`
	// Key and Args translate the message on the pages (keyed.go); the API
	// sends the key beside the English message.
	Key  string `json:"key,omitempty"`
	Args []any  `json:"-"`
}

// HasField reports whether errs holds an error on field: a check that
// adds "required" or a second opinion only where none is said yet.
func HasField(errs []FieldError, field string) bool {
	return slices.ContainsFunc(errs, func(e FieldError) bool { return e.Field == field })
}

// Error is the application error.
type Error struct {
	Code    Code
	Message string
	// Key and Args translate Message on the pages (keyed.go); empty for the
	// messages not yet keyed.
	Key    string
	Args   []any
	Fields []FieldError
	// Extra holds additional members for the problem document (e.g. an import report).
	Extra map[string]any
	Err   error // the wrapped cause, never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields returns an Invalid error carrying field errors.
func Fields(msg string, fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// BadCursor is the one answer to a list cursor that is not one of the
// list's own next_cursor values (422 on every list).
func BadCursor() *Error {
	return Fields("bad cursor", FieldError{Field: "cursor", Message: "not a cursor from this list: use the next_cursor of the previous page"})
}

// NotFoundf is shorthand for New(NotFound, ...).
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// CodeOf returns the code of err, Internal for any error that is not an *Error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
