package sheet

// keyedError is an error of Read whose message a page can show in the
// reader's language: Key names the message in the web catalogue and Args
// fill it (apperr.Keyer); Error keeps the English text for the API.
type keyedError struct {
	kind error  // ErrUnsupported, ErrTooLarge, ErrNoHeader
	msg  string // the whole English text
	key  string
	args []any
}

func (e *keyedError) Error() string { return e.msg }
func (e *keyedError) Unwrap() error { return e.kind }

// MessageKey returns the message's key and arguments (apperr.Keyer).
func (e *keyedError) MessageKey() (string, []any) { return e.key, e.args }

// keyed returns an error of kind whose English text is text and whose
// message key is key with args.
func keyed(kind error, key string, args []any, text string) error {
	return &keyedError{kind: kind, msg: kind.Error() + ": " + text, key: key, args: args}
}

// key names the message for a file of kind k that Read refuses.
func (k kind) key() string {
	switch k {
	case kindXLS:
		return "sheet.kind_xls"
	case kindZip:
		return "sheet.kind_zip"
	case kindODS:
		return "sheet.kind_ods"
	case kindHTML:
		return "sheet.kind_html"
	case kindXML:
		return "sheet.kind_xml"
	}
	return "sheet.kind_binary"
}
