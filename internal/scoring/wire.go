package scoring

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// WriteJSON writes the answer Wire stands for, byte for byte as the API's
// encoder writes Wire (httpx.StreamJSON): the items by hand, every other
// value through value, the API's encoder of one value. A city's answer is
// 21,333 items (6 MB): encoded by reflection, with the points through
// their MarshalJSON, they cost more CPU than reading them
// (docs/benchmarks.md, "The whole-city four-good answer, session 10").
// TestResultsStreamedAsBefore compares the two on random answers, and
// TestResultWrittenAsEncoded every field of an item.
func (r *Results) WriteJSON(w io.Writer, value func(io.Writer, any) error) error {
	b := make([]byte, 0, 64<<10)
	b = append(b, `{"framework_id":`...)
	b = strconv.AppendInt(b, r.FrameworkID, 10)
	b = append(b, `,"unit_id":`...)
	b = strconv.AppendInt(b, r.UnitID, 10)
	b = append(b, `,"period":`...)
	b = appendJSONString(b, string(r.Period))
	b = append(b, `,"items":[`...)
	for i := range r.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendResult(b, &r.Items[i])
		if len(b) > 60<<10 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `],"by_level":`...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	b = b[:0]
	if err := value(w, r.ByLevel); err != nil {
		return err
	}
	b = append(b, `,"unclassified":`...)
	b = strconv.AppendInt(b, int64(r.Unclassified), 10)
	b = append(b, `,"registered":`...)
	b = strconv.AppendInt(b, int64(r.Registered), 10)
	b = append(b, `,"quota_cap":`...)
	if r.QuotaCap == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*r.QuotaCap), 10)
	}
	b = append(b, `,"reports":`...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	b = b[:0]
	if err := value(w, r.Reports); err != nil {
		return err
	}
	// Wire's order: next_cursor before total, both omitted when nil; a
	// paged answer's next_cursor after total, null on the last page.
	if !r.paged && r.NextCursor != nil {
		b = appendCursor(b, r.NextCursor)
	}
	if r.Total != nil {
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(*r.Total), 10)
	}
	if r.paged {
		b = appendCursor(b, r.NextCursor)
	}
	b = append(b, '}')
	_, err := w.Write(b)
	return err
}

func appendCursor(b []byte, c *string) []byte {
	b = append(b, `,"next_cursor":`...)
	if c == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *c)
}

// appendResult appends one item as the API's encoder writes a Result.
func appendResult(b []byte, r *Result) []byte {
	b = append(b, `{"unit_id":`...)
	b = strconv.AppendInt(b, r.UnitID, 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, r.Name)
	b = append(b, `,"sheet_id":`...)
	b = strconv.AppendInt(b, r.SheetID, 10)
	b = append(b, `,"stage":`...)
	b = appendJSONString(b, string(r.Stage))
	b = append(b, `,"self":`...)
	b = r.Self.appendJSON(b)
	b = append(b, `,"review":`...)
	b = r.Review.appendJSON(b)
	b = append(b, `,"final":`...)
	b = r.Final.appendJSON(b)
	b = append(b, `,"total":`...)
	b = r.Total.appendJSON(b)
	b = append(b, `,"provisional":`...)
	b = strconv.AppendBool(b, r.Provisional)
	b = append(b, `,"level":`...)
	b = appendJSONString(b, r.Level)
	b = append(b, `,"band_level":`...)
	b = appendJSONString(b, r.BandLevel)
	b = append(b, `,"capped_by_quota":`...)
	b = strconv.AppendBool(b, r.CappedByQuota)
	b = append(b, `,"rank":`...)
	b = strconv.AppendInt(b, int64(r.Rank), 10)
	b = append(b, `,"last_year":`...)
	b = appendPointsOrNull(b, r.LastYear)
	b = append(b, `,"change":`...)
	b = appendPointsOrNull(b, r.Change)
	return append(b, '}')
}

// appendJSON appends the points as MarshalJSON writes them (String),
// without a float.
func (p Points) appendJSON(b []byte) []byte {
	n := int64(p)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/10, 10)
	if n%10 != 0 {
		b = append(b, '.', byte('0'+n%10))
	}
	return b
}

func appendPointsOrNull(b []byte, p *Points) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return p.appendJSON(b)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as the streamed answers quote it (as
// encoding/json did): <, > and & escaped for HTML, U+2028 and U+2029
// escaped, control characters as \b, \f, \n, \r, \t or \u00XX; each
// byte of invalid UTF-8 written U+FFFD (encoding/json wrote \ufffd).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
