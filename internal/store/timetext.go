package store

import (
	"fmt"
	"strings"
	"time"
)

// Timestamps read on every request (a task's holder_since, created_at
// and updated_at in every list row; a session's times) are selected as
// rawTime(column) and scanned into a timeText, instead of letting the
// SQLite driver turn them into time.Time: for a column declared TIMESTAMP
// it first tries, and fails, a layout of its own (an error allocated
// each time) before the one the store writes, 7% of a task list's CPU
// (docs/benchmarks.md, "The cost of one list request"). PostgreSQL's
// driver hands over a time.Time, taken as it is.

// rawTime is a timestamp column as an expression: SQLite gives an
// expression no declared type, so the driver hands over its text.
// COALESCE(x, x) is x on both engines.
func rawTime(col string) string { return "COALESCE(" + col + ", " + col + ")" }

// timeText scans a timestamp (text from SQLite, time.Time from
// PostgreSQL, NULL as the zero time) into t, as an instant in UTC.
type timeText struct{ t *time.Time }

func (s timeText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case time.Time:
		*s.t = v.UTC()
		return nil
	case string:
		t, err := parseStoredTime(v)
		*s.t = t
		return err
	case []byte:
		t, err := parseStoredTime(string(v))
		*s.t = t
		return err
	}
	return fmt.Errorf("time: cannot scan %T", src)
}

// storedTimeLayouts are the layouts the SQLite driver reads a TIMESTAMP
// column with (modernc.org/sqlite's parseTimeFormats, after the t.String()
// form), the first being the one it writes with _time_format=sqlite.
var storedTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseStoredTime reads a timestamp as the SQLite driver would, in UTC:
// the store's own form "2006-01-02 15:04:05.999999999-07:00" directly,
// anything else through the driver's layouts.
func parseStoredTime(s string) (time.Time, error) {
	if t, ok := parseSQLiteTime(s); ok {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(s)); err == nil {
		return t.UTC(), nil
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for _, layout := range storedTimeLayouts {
		if t, err := time.Parse(layout, ts); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time: cannot read %q", s)
}

// parseSQLiteTime reads "YYYY-MM-DD HH:MM:SS[.fraction]±HH:MM" (the
// fraction of 1 to 9 digits, every field in range), the form the store
// writes; ok false for anything else.
func parseSQLiteTime(s string) (time.Time, bool) {
	if len(s) < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, j int) int {
		v := 0
		for k := i; k < j; k++ {
			c := s[k]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day, hour, minute, sec := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	i, nsec := 19, 0
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		digits := j - i - 1
		if digits < 1 || digits > 9 {
			return time.Time{}, false
		}
		nsec = num(i+1, j)
		for range 9 - digits {
			nsec *= 10
		}
		i = j
	}
	if len(s) != i+6 || (s[i] != '+' && s[i] != '-') || s[i+3] != ':' {
		return time.Time{}, false
	}
	zh, zm := num(i+1, i+3), num(i+4, i+6)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 ||
		zh < 0 || zh > 23 || zm < 0 || zm > 59 {
		return time.Time{}, false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	off := (zh*60 + zm) * 60
	if s[i] == '-' {
		off = -off
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}
