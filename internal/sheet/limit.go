package sheet

import (
	"fmt"
	"io"
)

// Bounds on single values, so that one text cannot hold memory out of
// proportion to the file: a spreadsheet of a few hundred KB can unpack to a
// single shared string of hundreds of MB. Each part is streamed, and no
// token of its XML, no cell value and no CSV field or line may grow past
// these bounds: the reader stops there, without holding the rest.
var (
	// maxValueBytes bounds one cell value (a shared string, an inline
	// string, a number, a CSV field). A member field is at most a few
	// hundred bytes; a note is a sentence or two.
	maxValueBytes = 8 << 10
	// maxTokenBytes bounds the bytes of XML between two '<': one tag with
	// its attributes or one run of text as stored (escapes make it longer
	// than the value).
	maxTokenBytes = 64 << 10
	// maxLineBytes bounds one line of a CSV file.
	maxLineBytes = 1 << 20
	// maxKeptBytes bounds the text kept for one file, all cells together.
	maxKeptBytes = 64 << 20
)

// ValueError refuses a value over maxValueBytes (or an XML token or CSV
// line over its bound) and says where it is. It wraps ErrTooLarge.
type ValueError struct {
	Row    int // 1-based row (or CSV line); 0 when unknown
	Column int // 1-based column; 0 when unknown
	Limit  int // the bound, in bytes
	What   string
}

func (e *ValueError) Error() string {
	what := e.What
	if what == "" {
		what = "a value"
	}
	switch {
	case e.Row > 0 && e.Column > 0:
		return fmt.Sprintf("%v: row %d, column %s: %s is longer than %d bytes", ErrTooLarge, e.Row, ColumnName(e.Column), what, e.Limit)
	case e.Row > 0:
		return fmt.Sprintf("%v: row %d: %s is longer than %d bytes", ErrTooLarge, e.Row, what, e.Limit)
	}
	return fmt.Sprintf("%v: %s is longer than %d bytes", ErrTooLarge, what, e.Limit)
}

func (e *ValueError) Unwrap() error { return ErrTooLarge }

// ColumnName returns the spreadsheet letters of a 1-based column: 1 → "A",
// 28 → "AB".
func ColumnName(col int) string {
	if col <= 0 {
		return ""
	}
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// tokenLimitReader bounds the bytes the XML decoder may read for one
// token: xmlStream.next resets the count before each token, so that no
// token it assembles (a text, a CDATA section, a comment, a tag with its
// attributes, a directive) exceeds the limit, whatever its syntax. The
// decoder reads through a 4 KiB buffer, so a token is refused at most that
// much past the limit. It counts while streaming, so nothing past the bound
// is ever held. The error is a *ValueError without a place; the part's
// reader fills in the cell.
type tokenLimitReader struct {
	r     io.Reader
	limit int
	n     int // bytes read since the current token began
	err   error
}

func (l *tokenLimitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if room := l.limit - l.n; len(p) > room+1 {
		p = p[:room+1]
	}
	n, err := l.r.Read(p)
	l.n += n
	if l.n > l.limit {
		l.err = &ValueError{Limit: l.limit, What: "a text"}
		return 0, l.err
	}
	return n, err
}
