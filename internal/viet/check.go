package viet

import (
	"fmt"
	"unicode/utf8"
)

// TextError says which character makes a text unacceptable and where: Pos
// counts characters from 1 (for invalid UTF-8, the byte's character
// position as if each earlier sequence were one character).
type TextError struct {
	Rune rune // utf8.RuneError for invalid UTF-8
	Pos  int
	What string // "invalid UTF-8", "control character", "bidirectional control"
}

// MessageKey names the message for the pages (apperr.Keyer): the
// character's code and its position.
func (e *TextError) MessageKey() (string, []any) {
	switch {
	case e.Rune == utf8.RuneError:
		return "viet.invalid_utf8", []any{e.Pos}
	case e.What == "bidirectional control":
		return "viet.bidi_control", []any{fmt.Sprintf("U+%04X", e.Rune), e.Pos}
	}
	return "viet.control_character", []any{fmt.Sprintf("U+%04X", e.Rune), e.Pos}
}

func (e *TextError) Error() string {
	if e.Rune == utf8.RuneError {
		return fmt.Sprintf("%s at character %d", e.What, e.Pos)
	}
	return fmt.Sprintf("%s U+%04X at character %d", e.What, e.Rune, e.Pos)
}

// CheckLine reports the first character that has no place in single-line
// text (a name, title, code, user name, file name, place, position):
// invalid UTF-8, any C0 or C1 control character (NUL, ESC, tab, line
// breaks, DEL, U+0080–U+009F) and the bidirectional controls that can make
// text display in another order than it is stored (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069). These could reorder a list on screen,
// drive a terminal that shows a log or an export, or hide a name behind
// another; none of them is ever typed as part of Vietnamese text. It
// returns nil for acceptable text.
func CheckLine(s string) error { return check(s, false) }

// CheckText is CheckLine for multi-line text (bodies, notes, comments):
// line feed and tab are allowed; a carriage return only as part of CR LF,
// as browsers send the lines of a text area.
func CheckText(s string) error { return check(s, true) }

func check(s string, multiline bool) error {
	pos := 0
	for i := 0; i < len(s); {
		pos++
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c != 0x7f:
			case multiline && (c == '\n' || c == '\t'):
			case multiline && c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			default:
				return &TextError{Rune: rune(c), Pos: pos, What: "control character"}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return &TextError{Rune: utf8.RuneError, Pos: pos, What: "invalid UTF-8"}
		}
		switch {
		case r >= 0x80 && r <= 0x9f:
			return &TextError{Rune: r, Pos: pos, What: "control character"}
		case IsBidiControl(r):
			return &TextError{Rune: r, Pos: pos, What: "bidirectional control"}
		}
		i += n
	}
	return nil
}

// IsBidiControl reports whether r is one of the invisible characters that
// change the display order of text: the Arabic letter mark, the
// left-to-right and right-to-left marks, the embeddings and overrides and
// the isolates.
func IsBidiControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Printable returns s without what CheckText refuses: control characters
// other than line feed and tab (a carriage return only before a line
// feed) and bidirectional controls are dropped; invalid UTF-8 becomes
// U+FFFD. Exports write text through it, so that no record stored before
// the checks existed can carry such characters into a file.
func Printable(s string) string {
	if check(s, true) == nil {
		return s
	}
	out := make([]rune, 0, len(s))
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case r < 0x20 || r >= 0x7f && r <= 0x9f || IsBidiControl(r):
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
