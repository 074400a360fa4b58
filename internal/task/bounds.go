package task

import (
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Bounds of deadlines. A deadline is counted from the day a task is given,
// and no task is planned more than MaxDueYears ahead; a number of working
// days is at most MaxWorkdays (about four years).
const (
	MaxWorkdays = 1000
	MaxDueYears = 5
)

// LatestDue is the latest due date a task may have on day today.
func LatestDue(today date.Date) date.Date { return today.AddYears(MaxDueYears) }

// checkDue bounds a due date given on day today: from today to LatestDue.
func checkDue(field string, due, today date.Date) *apperr.FieldError {
	switch latest := LatestDue(today); {
	case due.Before(today):
		return fieldRef(apperr.FieldKeyed(field, "task.must_today_later", "must be today or later"))
	case due.After(latest):
		return fieldRef(apperr.FieldKeyed(field, "task.must_latest_years_ahead", "must be %s at the latest (%d years ahead)", latest, MaxDueYears))
	}
	return nil
}

// checkWorkdays bounds a number of working days.
func checkWorkdays(n int) *apperr.FieldError {
	if n < 1 || n > MaxWorkdays {
		return fieldRef(apperr.FieldKeyed("workdays", "task.must_1", "must be 1 to %d", MaxWorkdays))
	}
	return nil
}

// checkCalendarDate bounds a date given to the calendar: its years.
func checkCalendarDate(field string, d date.Date) *apperr.FieldError {
	if !viet.InRange(d) {
		return fieldRef(apperr.FieldKeyed(field, "task.must_years", "must be in the years %d to %d", viet.MinYear, viet.MaxYear))
	}
	return nil
}

// fieldRef returns a pointer to f.
func fieldRef(f apperr.FieldError) *apperr.FieldError { return &f }
