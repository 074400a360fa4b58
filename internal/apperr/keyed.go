package apperr

import "fmt"

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
