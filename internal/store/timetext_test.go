package store

import (
	"strings"
	"testing"
	"time"
)

// driverParse is how the SQLite driver reads a TIMESTAMP column's text
// (modernc.org/sqlite's conn.parseTime, without a location).
func driverParse(s string) (time.Time, bool) {
	x := strings.Index(s, "m=")
	s0 := s
	if x > 0 {
		s0 = s[:x]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(s0)); err == nil {
		return t, true
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for _, f := range storedTimeLayouts {
		if t, err := time.Parse(f, ts); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// TestParseStoredTime: the store reads a timestamp's text as the same
// instant as the driver did, in UTC, and refuses what it refused.
func TestParseStoredTime(t *testing.T) {
	now := time.Date(2026, 12, 6, 8, 15, 30, 123456789, time.UTC)
	for _, s := range []string{
		now.Format(storedTimeLayouts[0]),
		now.In(time.FixedZone("ICT", 7*3600)).Format(storedTimeLayouts[0]),
		now.In(time.FixedZone("W", -(3*3600 + 30*60))).Format(storedTimeLayouts[0]),
		now.Truncate(time.Second).Format(storedTimeLayouts[0]),
		now.Truncate(time.Millisecond).Format(storedTimeLayouts[0]),
		"2025-12-22 02:26:00+00:00", "2024-02-29 23:59:59.5+00:00", "2023-02-29 10:00:00+00:00",
		"2026-13-01 10:00:00+00:00", "2026-01-01 24:00:00+00:00", "2026-01-01 10:60:00+00:00", "2026-01-01 10:00:60+00:00",
		"2026-01-01 10:00:00.+00:00", "2026-01-01 10:00:00.1234567891+00:00", "2026-01-01 10:00:00+0000", "2026-01-01 10:00:00 +00:00",
		"2026-01-01T10:00:00+07:00", "2026-01-01 10:00:00", "2026-01-01 10:00:00.25", "2026-01-01 10:00:00Z", "2026-01-01T10:00:00.5Z",
		"2026-01-01 10:00", "2026-01-01", now.String(), now.In(time.FixedZone("ICT", 7*3600)).String(), "", "yesterday",
		"2026-01-01 10:00:00+24:00", "2026-01-01 10:00:00+05:60", "0000-01-01 00:00:00+00:00",
	} {
		got, err := parseStoredTime(s)
		want, ok := driverParse(s)
		if (err == nil) != ok || !got.Equal(want) || (ok && got.Location() != time.UTC) {
			t.Errorf("parseStoredTime(%q) = %v, %v; want %v (read: %v), in UTC", s, got, err, want, ok)
		}
		var scanned time.Time
		if err := (timeText{&scanned}).Scan(s); (err == nil) != ok || !scanned.Equal(want) {
			t.Errorf("Scan(%q) = %v, %v; want %v", s, scanned, err, want)
		}
	}
	var v time.Time
	for _, src := range []any{nil, now.In(time.FixedZone("ICT", 7*3600))} {
		if err := (timeText{&v}).Scan(src); err != nil || (src == nil) != v.IsZero() || (src != nil && (!v.Equal(now) || v.Location() != time.UTC)) {
			t.Errorf("Scan(%v) = %v, %v", src, v, err)
		}
	}
}
