package task

import (
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Deadline rules. Every deadline is a calendar date counted in Vietnamese
// working days (viet.Calendar: weekends, public holidays, substitute days
// and the official schedules stored per year).

// DueIn is the date n working days after from (from itself not counted).
func DueIn(cal *viet.Calendar, from date.Date, n int) date.Date { return cal.AddWorkdays(from, n) }

// AcceptDue is when a holder who received the task on day on must have
// accepted it: n working days later (the no_response rule's threshold).
func AcceptDue(cal *viet.Calendar, on date.Date, n int) date.Date {
	if n < 0 {
		n = 0
	}
	return cal.AddWorkdays(on, n)
}

// SuspendedWorkdays is the number of working days the clock stood still:
// the working days after the day of suspension up to and including the day
// of resumption (0 when resumed the same day). A task suspended on a
// Friday before Tết and resumed on the first working day after it lost one
// working day, not the ten calendar days between.
func SuspendedWorkdays(cal *viet.Calendar, suspendedOn, resumedOn date.Date) int {
	if suspendedOn.IsZero() || !resumedOn.After(suspendedOn) {
		return 0
	}
	return cal.WorkdaysBetween(suspendedOn, resumedOn)
}

// Shift moves a deadline on by n working days (for a resume). A zero date
// stays zero.
func Shift(cal *viet.Calendar, d date.Date, n int) date.Date {
	if d.IsZero() || n <= 0 {
		return d
	}
	return cal.AddWorkdays(d, n)
}

// DaysLate is how many working days after the due date the work was done:
// 0 when done on or before it.
func DaysLate(cal *viet.Calendar, due, done date.Date) int {
	if due.IsZero() || !done.After(due) {
		return 0
	}
	return max(0, cal.WorkdaysBetween(due, done))
}

// OverdueCutoff returns the day before which a due date is "more than
// grace working days" past on day today: with grace 0, any due date before
// today; with grace 2 on a Thursday, due dates before Tuesday.
func OverdueCutoff(cal *viet.Calendar, today date.Date, grace int) date.Date {
	if grace <= 0 {
		return today
	}
	return cal.AddWorkdays(today, -grace)
}

// IsOverdue reports whether a running task is past its due date on today.
func IsOverdue(t *Task, today date.Date) bool {
	return t.State.Running() && t.Kind != KindGroup && !t.DueOn.IsZero() && t.DueOn.Before(today)
}
