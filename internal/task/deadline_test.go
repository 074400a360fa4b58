package task

import (
	"testing"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Tết 2026: the lunar new year is Tuesday 17 February; the five days off
// are Monday 16 to Friday 20 February (DOMAIN.md, "Public holidays").
// Tết 2025: Wednesday 29 January; off Tuesday 28 January to Saturday
// 1 February, with the Saturday made up on Monday 3 February.

func d(s string) date.Date { return date.MustParse(s) }

func TestDeadlines(t *testing.T) {
	cal := viet.NewCalendar()
	tests := []struct {
		name string
		got  date.Date
		want string
	}{
		{"1 working day from the Friday before Tết 2026", DueIn(cal, d("2026-02-13"), 1), "2026-02-23"},
		{"5 working days from the Friday before Tết 2026", DueIn(cal, d("2026-02-13"), 5), "2026-02-27"},
		{"10 working days from a Monday", DueIn(cal, d("2026-11-02"), 10), "2026-11-16"},
		{"over Tết 2025 and its substitute Monday", DueIn(cal, d("2025-01-24"), 2), "2025-02-04"},
		{"acceptance due 2 working days after a Friday before Tết", AcceptDue(cal, d("2026-02-13"), 2), "2026-02-24"},
		{"acceptance due with no grace", AcceptDue(cal, d("2026-11-20"), 0), "2026-11-20"},
		{"over 30 April and 1 May 2026 (Thursday, Friday)", DueIn(cal, d("2026-04-29"), 1), "2026-05-04"},
		{"overdue cutoff without grace", OverdueCutoff(cal, d("2026-11-19"), 0), "2026-11-19"},
		{"overdue cutoff, 2 working days of grace", OverdueCutoff(cal, d("2026-11-19"), 2), "2026-11-17"},
		{"overdue cutoff, grace over a weekend", OverdueCutoff(cal, d("2026-11-23"), 1), "2026-11-20"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

// TestSuspendAcrossTet: the clock stops while a task is suspended; on
// resume the due date moves by the working days lost, not the calendar days.
func TestSuspendAcrossTet(t *testing.T) {
	cal := viet.NewCalendar()
	tests := []struct {
		name                    string
		suspended, resumed, due string
		lost                    int
		newDue                  string
	}{
		// Suspended on the Friday before Tết, resumed on the Tuesday after:
		// Mon 23 and Tue 24 are the only working days lost.
		{"across Tết 2026", "2026-02-13", "2026-02-24", "2026-02-27", 2, "2026-03-03"},
		// Resumed on the first working day after Tết: one day lost.
		{"over Tết to the next working day", "2026-02-13", "2026-02-23", "2026-02-25", 1, "2026-02-26"},
		// Suspended and resumed within Tết: nothing lost.
		{"within Tết", "2026-02-16", "2026-02-20", "2026-02-27", 0, "2026-02-27"},
		{"the same day", "2026-11-20", "2026-11-20", "2026-11-27", 0, "2026-11-27"},
		// A week: five working days; the deadline jumps a weekend.
		{"a week in November", "2026-11-02", "2026-11-09", "2026-11-13", 5, "2026-11-20"},
		// Tết 2025 with its substitute day.
		{"across Tết 2025", "2025-01-24", "2025-02-04", "2025-01-31", 2, "2025-02-05"},
	}
	for _, tt := range tests {
		lost := SuspendedWorkdays(cal, d(tt.suspended), d(tt.resumed))
		if lost != tt.lost {
			t.Errorf("%s: %d working days lost, want %d", tt.name, lost, tt.lost)
		}
		if got := Shift(cal, d(tt.due), lost); got.String() != tt.newDue {
			t.Errorf("%s: due %s moves to %s, want %s", tt.name, tt.due, got, tt.newDue)
		}
	}
	if got := Shift(cal, date.Date{}, 3); !got.IsZero() {
		t.Errorf("a missing date moved to %s", got)
	}
}

func TestDaysLate(t *testing.T) {
	cal := viet.NewCalendar()
	tests := []struct {
		due, done string
		want      int
	}{
		{"2026-11-13", "2026-11-13", 0},
		{"2026-11-13", "2026-11-10", 0},
		{"2026-11-13", "2026-11-16", 1}, // Friday due, Monday done
		{"2026-11-13", "2026-11-14", 0}, // done on the Saturday: no working day late
		{"2026-02-13", "2026-02-23", 1}, // Tết between
		{"2026-11-06", "2026-11-11", 3},
	}
	for _, tt := range tests {
		if got := DaysLate(cal, d(tt.due), d(tt.done)); got != tt.want {
			t.Errorf("due %s, done %s: %d days late, want %d", tt.due, tt.done, got, tt.want)
		}
	}
}

// TestScheduleChangesDeadlines: an official schedule (an extra day off and
// a working Saturday) changes the arithmetic.
func TestScheduleChangesDeadlines(t *testing.T) {
	cal := viet.NewCalendar(viet.Schedule{Year: 2026,
		ExtraDaysOff: []viet.Holiday{{Date: d("2026-11-16"), Name: "Nghỉ thử"}},
		WorkingDays:  []viet.WorkingDay{{Date: d("2026-11-21"), Reason: "Làm bù"}}})
	if got := DueIn(cal, d("2026-11-13"), 1); got.String() != "2026-11-17" {
		t.Errorf("with Monday 16 off: %s, want 2026-11-17", got)
	}
	if got := DueIn(cal, d("2026-11-20"), 1); got.String() != "2026-11-21" {
		t.Errorf("with Saturday 21 worked: %s, want 2026-11-21", got)
	}
}

func TestIsOverdue(t *testing.T) {
	today := d("2026-11-20")
	for _, tt := range []struct {
		task Task
		want bool
	}{
		{Task{Kind: KindTask, State: StateInProgress, DueOn: d("2026-11-19")}, true},
		{Task{Kind: KindTask, State: StateAssigned, DueOn: d("2026-11-19")}, true},
		{Task{Kind: KindTask, State: StateInProgress, DueOn: today}, false},
		{Task{Kind: KindTask, State: StateSuspended, DueOn: d("2026-11-01")}, false},
		{Task{Kind: KindTask, State: StateDone, DueOn: d("2026-11-01")}, false},
		{Task{Kind: KindGroup, State: StateInProgress, DueOn: d("2026-11-01")}, false},
	} {
		if got := IsOverdue(&tt.task, today); got != tt.want {
			t.Errorf("%+v: overdue %v, want %v", tt.task, got, tt.want)
		}
	}
}
