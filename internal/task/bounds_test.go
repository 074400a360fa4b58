package task

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

func TestCheckDue(t *testing.T) {
	today := date.MustParse("2026-11-20")
	tests := []struct {
		due  string
		want bool // accepted
	}{
		{"0001-01-01", false},
		{"2026-11-19", false},
		{"2026-11-20", true},
		{"2031-11-20", true},
		{"2031-11-21", false},
		{"9999-12-31", false},
	}
	for _, tt := range tests {
		e := checkDue("due_on", date.MustParse(tt.due), today)
		if got := e == nil; got != tt.want {
			t.Errorf("checkDue(%s) = %v, want accepted %v", tt.due, e, tt.want)
		}
		if e != nil && e.Field != "due_on" {
			t.Errorf("checkDue(%s): field %q, want due_on", tt.due, e.Field)
		}
	}
}

func TestCheckWorkdays(t *testing.T) {
	for n, want := range map[int]bool{-3650: false, -1: false, 0: false, 1: true, 1000: true, 1001: false, 1 << 40: false} {
		if got := checkWorkdays(n) == nil; got != want {
			t.Errorf("checkWorkdays(%d) accepted %v, want %v", n, got, want)
		}
	}
}

func TestCalendarsDueBounds(t *testing.T) {
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	c := &Calendars{Now: func() time.Time { return now }}
	tests := []struct {
		from      string
		workdays  int
		wantField string // "" when accepted
		wantDue   string
	}{
		{"", 1, "", "2026-11-23"},
		{"2026-02-13", 1, "", "2026-02-23"},
		{"2026-11-20", 1000, "", "2030-11-21"},
		{"2026-11-20", 1001, "workdays", ""},
		{"2026-11-20", 0, "workdays", ""},
		{"2026-11-20", -5, "workdays", ""},
		{"1900-01-01", 1, "", "1900-01-02"},
		{"1899-12-31", 1, "from", ""},
		{"0001-01-01", 1, "from", ""},
		{"9999-12-31", 1, "from", ""},
		{"2100-12-29", 1, "", "2100-12-30"},
		{"2100-12-31", 1, "workdays", ""},
		{"2099-01-01", 1000, "workdays", ""},
	}
	for _, tt := range tests {
		var from date.Date
		if tt.from != "" {
			from = date.MustParse(tt.from)
		}
		a, err := c.Due(context.Background(), from, tt.workdays)
		if tt.wantField == "" {
			if err != nil {
				t.Errorf("Due(%s, %d): %v, want %s", tt.from, tt.workdays, err, tt.wantDue)
			} else if got := a.DueOn.String(); got != tt.wantDue {
				t.Errorf("Due(%s, %d) = %s, want %s", tt.from, tt.workdays, got, tt.wantDue)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField {
			t.Errorf("Due(%s, %d): got %v, want 422 on %s", tt.from, tt.workdays, err, tt.wantField)
		}
	}
}
