package meeting

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/date"
)

// ICSOptions are the calendar's links and name.
type ICSOptions struct {
	// Name is the calendar's name (X-WR-CALNAME).
	Name string
	// BaseURL prefixes the meetings' URLs ("" : no URL property).
	BaseURL string
	// Now is the DTSTAMP.
	Now time.Time
}

// ICS writes meetings as an iCalendar object (RFC 5545): CRLF line ends,
// lines folded at 75 octets without splitting a UTF-8 sequence, TEXT
// escaped, times in Asia/Ho_Chi_Minh with its VTIMEZONE, one stable UID
// per meeting ("meeting-<id>@sotay") and a SEQUENCE that grows with every
// edit.
func ICS(ms []Meeting, o ICSOptions) []byte {
	var b bytes.Buffer
	w := func(name, value string) { foldLine(&b, name+":"+value) }
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", "-//Sotay//Sinh hoat chi bo//VI")
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	if o.Name != "" {
		w("X-WR-CALNAME", EscapeText(o.Name))
	}
	w("X-WR-TIMEZONE", "Asia/Ho_Chi_Minh")
	// Vietnam keeps UTC+7 all year, without daylight saving time.
	w("BEGIN", "VTIMEZONE")
	w("TZID", "Asia/Ho_Chi_Minh")
	w("BEGIN", "STANDARD")
	w("DTSTART", "19750613T000000")
	w("TZOFFSETFROM", "+0800")
	w("TZOFFSETTO", "+0700")
	w("TZNAME", "ICT")
	w("END", "STANDARD")
	w("END", "VTIMEZONE")
	stamp := o.Now.UTC().Format("20060102T150405Z")
	for i := range ms {
		m := &ms[i]
		w("BEGIN", "VEVENT")
		w("UID", fmt.Sprintf("meeting-%d@sotay", m.ID))
		w("DTSTAMP", stamp)
		w("SEQUENCE", fmt.Sprint(m.Sequence()))
		w("DTSTART;TZID=Asia/Ho_Chi_Minh", local(m.StartsAt))
		end := m.StartsAt.Add(time.Hour) // residential meetings last about an hour
		if m.EndsAt != nil {
			end = *m.EndsAt
		}
		w("DTEND;TZID=Asia/Ho_Chi_Minh", local(end))
		w("SUMMARY", EscapeText(summary(m)))
		if m.Place != "" {
			w("LOCATION", EscapeText(m.Place))
		}
		var desc []string
		for j, it := range m.Agenda {
			desc = append(desc, fmt.Sprintf("%d. %s", j+1, it.Title))
		}
		if len(desc) > 0 {
			w("DESCRIPTION", EscapeText(strings.Join(desc, "\n")))
		}
		if o.BaseURL != "" {
			w("URL", fmt.Sprintf("%s/sinh-hoat/%d", strings.TrimRight(o.BaseURL, "/"), m.ID))
		}
		if m.State == Closed {
			w("STATUS", "CONFIRMED")
		}
		w("LAST-MODIFIED", m.UpdatedAt.UTC().Format("20060102T150405Z"))
		w("END", "VEVENT")
	}
	w("END", "VCALENDAR")
	return b.Bytes()
}

func summary(m *Meeting) string {
	k := "Sinh hoạt chi bộ thường kỳ"
	if m.Kind == Thematic {
		k = "Sinh hoạt chuyên đề"
	}
	return k + ": " + m.Topic + " (" + m.UnitName + ")"
}

func local(t time.Time) string { return t.In(date.Vietnam).Format("20060102T150405") }

// EscapeText escapes an iCalendar TEXT value: backslash, semicolon, comma
// and line breaks (RFC 5545 3.3.11).
func EscapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	r := strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// foldLine writes a content line folded at 75 octets (RFC 5545 3.1): a
// continuation starts with one space, and a UTF-8 sequence is never cut.
func foldLine(b *bytes.Buffer, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
