package date

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// TestParseAsTimeParse: Parse's fast path accepts and reads exactly what
// time.Parse with the layout 2006-01-02 does.
func TestParseAsTimeParse(t *testing.T) {
	for _, s := range []string{
		"2026-12-06", "2024-02-29", "2023-02-29", "2023-02-28", "2026-04-31", "2026-04-30", "2026-12-31",
		"2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "0001-01-01", "0000-01-01", "9999-12-31",
		"2026-1-01", "2026-01-1", "20260-1-01", "+026-01-01", "2026/01/01", "2026-01-01 ", "", "abcd-ef-gh",
		"1900-02-29", "2000-02-29", "2100-02-29",
	} {
		got, gotErr := Parse(s)
		tm, err := time.Parse("2006-01-02", s)
		want := Date{}
		if err == nil {
			want = Of(tm)
		}
		if got != want || (gotErr == nil) != (err == nil) {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", s, got, gotErr, want, err)
		}
	}
}

// TestStringAndJSON: String and MarshalJSON write what Sprintf and
// json.Marshal of it wrote.
func TestStringAndJSON(t *testing.T) {
	for _, d := range []Date{{}, {2026, 12, 6}, {1, 1, 1}, {987, 3, 4}, {9999, 12, 31}, {10000, 1, 1}, {-5, 1, 2}, {2026, 0, 0}, {2026, 100, 7}} {
		want := ""
		if !d.IsZero() {
			want = fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
		}
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
		wantJSON := []byte("null")
		if !d.IsZero() {
			wantJSON, _ = json.Marshal(want)
		}
		if got, err := d.MarshalJSON(); err != nil || string(got) != string(wantJSON) {
			t.Errorf("%#v.MarshalJSON() = %s, %v; want %s", d, got, err, wantJSON)
		}
	}
}
