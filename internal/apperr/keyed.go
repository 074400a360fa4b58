package apperr

import (
	"errors"
	"fmt"
)

// Messages by key. A message a person may read carries a stable Key
// ("task.workdays_range") and its Args besides the English Message that
// the API shows; the pages translate by Key (internal/web/ui's catalogue
// holds the Vietnamese and English texts with the same verbs, %[1]s…, in
// any order), never by matching the English sentence. A key names the
// module first: "member.", "doc.", "task.", "org.", "auth.", "meeting."….

// Keyed returns an Error whose message has a key: format and args give the
// English text; the key and args let the pages translate it.
func Keyed(code Code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Message: fmt.Sprintf(format, args...)}
}

// InvalidField is the common case: one field is wrong. The error's own
// message is the field's, so that a caller showing only the summary still
// says what is wrong.
func InvalidField(field, key, format string, args ...any) *Error {
	f := FieldKeyed(field, key, format, args...)
	return &Error{Code: Invalid, Key: key, Args: args, Message: f.Message, Fields: []FieldError{f}}
}

// FieldKeyed returns a FieldError whose message has a key.
func FieldKeyed(field, key, format string, args ...any) FieldError {
	return FieldError{Field: field, Key: key, Args: args, Message: fmt.Sprintf(format, args...)}
}

// RowKeyed is FieldKeyed for a row of an import.
func RowKeyed(row int, field, key, format string, args ...any) FieldError {
	f := FieldKeyed(field, key, format, args...)
	f.Row = row
	return f
}

// With adds field errors to e and returns it: a keyed summary with its
// fields, apperr.Keyed(apperr.Invalid, "doc.invalid", "the document is not
// valid").With(errs...).
func (e *Error) With(fields ...FieldError) *Error {
	e.Fields = append(e.Fields, fields...)
	return e
}

// Keyer is an error from a package below apperr (viet, date, sheet) that
// knows the key of its message.
type Keyer interface {
	MessageKey() (key string, args []any)
}

// FieldFrom returns the field error for err: err's own message, and its key
// when err is an *Error or a Keyer (a text check, a date parse).
func FieldFrom(field string, err error) FieldError {
	f := FieldError{Field: field, Message: err.Error()}
	if e, ok := As(err); ok {
		f.Message, f.Key, f.Args = e.Message, e.Key, e.Args
		return f
	}
	var k Keyer
	if errors.As(err, &k) {
		f.Key, f.Args = k.MessageKey()
	}
	return f
}

// KeyOf returns the key and args of err's message when it has one.
func KeyOf(err error) (key string, args []any) {
	if e, ok := As(err); ok {
		return e.Key, e.Args
	}
	var k Keyer
	if errors.As(err, &k) {
		return k.MessageKey()
	}
	return "", nil
}

// Term is an argument that is itself a word of the pages' catalogue (a
// unit kind, a field name): the API shows Text, the pages show the
// catalogue's text for Key (Text when the catalogue lacks it).
type Term struct{ Key, Text string }

func (t Term) String() string { return t.Text }
