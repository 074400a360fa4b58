package task

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// CalendarStore keeps the official schedules, one per year (the JSON of
// viet.Schedule).
type CalendarStore interface {
	Schedules(ctx context.Context) ([]viet.Schedule, error)
	// Schedule returns the stored schedule of a year (NotFound when none).
	Schedule(ctx context.Context, year int) (*viet.Schedule, time.Time, error)
	PutSchedule(ctx context.Context, s viet.Schedule, at time.Time, a auth.AuditEntry) error
	DeleteSchedule(ctx context.Context, year int, a auth.AuditEntry) error
}

// CalendarTTL is how long a node trusts its cached calendar before it
// reads the schedules again. An edit on this node rebuilds the cache at
// once, and one on another node too when the wiring calls Invalidate on
// the database's notice (PostgreSQL LISTEN/NOTIFY); the TTL bounds the
// staleness should a notice be lost.
const CalendarTTL = 5 * time.Minute

// Calendars serves the working-day calendar built from the official
// schedules stored per year over the defaults of the Labour Code.
type Calendars struct {
	Store CalendarStore
	Now   func() time.Time

	mu     sync.Mutex
	cal    *viet.Calendar
	loaded time.Time
}

func (c *Calendars) now() time.Time { return date.NowFrom(c.Now) }

// Today is today's date in Vietnam.
func (c *Calendars) Today() date.Date { return date.Today(c.now()) }

// Calendar returns the calendar, from the cache when it is fresh.
func (c *Calendars) Calendar(ctx context.Context) (*viet.Calendar, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil && time.Since(c.loaded) < CalendarTTL {
		return c.cal, nil
	}
	if c.Store == nil {
		c.cal, c.loaded = viet.NewCalendar(), time.Now()
		return c.cal, nil
	}
	ss, err := c.Store.Schedules(ctx)
	if err != nil {
		if c.cal != nil {
			return c.cal, nil // keep serving the last good calendar
		}
		return nil, err
	}
	c.cal, c.loaded = viet.NewCalendar(ss...), time.Now()
	return c.cal, nil
}

// invalidate drops the cache after a change.
func (c *Calendars) invalidate() {
	c.mu.Lock()
	c.cal = nil
	c.mu.Unlock()
}

// Invalidate drops the cache: a schedule was changed by another process
// (the store's NOTIFY), or notices may have been missed.
func (c *Calendars) Invalidate() { c.invalidate() }

// HolidaysAnswer is the year's days off.
type HolidaysAnswer struct {
	Year  int            `json:"year"`
	Items []viet.Holiday `json:"items"`
	// Scheduled says whether an official schedule for the year is stored.
	Scheduled bool `json:"scheduled"`
}

// Holidays lists the days off of a year (0: this year).
func (c *Calendars) Holidays(ctx context.Context, year int) (*HolidaysAnswer, error) {
	if year == 0 {
		year = c.Today().Year
	}
	if year < viet.MinYear || year > viet.MaxYear {
		return nil, apperr.Keyed(apperr.Invalid, "task.year_out_range", "the year is out of range").With(apperr.FieldKeyed("year", "task.must", "must be %d to %d", viet.MinYear, viet.MaxYear))
	}
	cal, err := c.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	items := cal.Holidays(year)
	if items == nil {
		items = []viet.Holiday{}
	}
	a := &HolidaysAnswer{Year: year, Items: items}
	if c.Store != nil {
		if _, _, err := c.Store.Schedule(ctx, year); err == nil {
			a.Scheduled = true
		} else if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	return a, nil
}

// DueAnswer is a deadline computed in working days.
type DueAnswer struct {
	From     date.Date `json:"from"`
	Workdays int       `json:"workdays"`
	DueOn    date.Date `json:"due_on"`
}

// Due returns the date n working days after from (zero from: today).
func (c *Calendars) Due(ctx context.Context, from date.Date, n int) (*DueAnswer, error) {
	if from.IsZero() {
		from = c.Today()
	}
	if e := checkCalendarDate("from", from); e != nil {
		return nil, apperr.Keyed(apperr.Invalid, "task.out_range", "from is out of range").With(*e)
	}
	if e := checkWorkdays(n); e != nil {
		return nil, apperr.Keyed(apperr.Invalid, "task.workdays_out_range", "workdays is out of range").With(*e)
	}
	cal, err := c.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	due := cal.AddWorkdays(from, n)
	if e := checkCalendarDate("workdays", due); e != nil {
		return nil, apperr.Keyed(apperr.Invalid, "task.due_date_beyond_calendar", "the due date is beyond the calendar").With(*e)
	}
	return &DueAnswer{From: from, Workdays: n, DueOn: due}, nil
}

// ScheduleAnswer is a stored schedule.
type ScheduleAnswer struct {
	viet.Schedule
	UpdatedAt time.Time `json:"updated_at"`
}

// Schedule returns the stored official schedule of a year.
func (c *Calendars) Schedule(ctx context.Context, year int) (*ScheduleAnswer, error) {
	s, at, err := c.Store.Schedule(ctx, year)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Keyed(apperr.NotFound, "task.no_official_schedule_stored", "no official schedule is stored for %d: the defaults of the Labour Code apply", year)
	}
	if err != nil {
		return nil, err
	}
	return &ScheduleAnswer{Schedule: *s, UpdatedAt: at}, nil
}

// MayEditSchedules: the admin and the offices keep the official schedules.
func MayEditSchedules(actor *auth.Actor) bool {
	return actor.HasAny([]auth.Role{auth.RoleAdmin, auth.RoleOffice})
}

// PutSchedule stores (or replaces) the official schedule of a year.
func (c *Calendars) PutSchedule(ctx context.Context, actor *auth.Actor, year int, s viet.Schedule) (*ScheduleAnswer, error) {
	if !MayEditSchedules(actor) {
		return nil, apperr.Keyed(apperr.NotFound, "task.no_such_endpoint_your", "no such endpoint for your account")
	}
	if s.Year == 0 {
		s.Year = year
	}
	if s.Year != year {
		return nil, apperr.Keyed(apperr.Invalid, "task.year_does_not_match", "the year does not match").With(apperr.FieldKeyed("year", "task.must_year_path", "must be the year in the path"))
	}
	for i := range s.DaysOff {
		s.DaysOff[i].Name, s.DaysOff[i].NameEN = viet.Clean(s.DaysOff[i].Name), viet.Clean(s.DaysOff[i].NameEN)
	}
	for i := range s.ExtraDaysOff {
		s.ExtraDaysOff[i].Name, s.ExtraDaysOff[i].NameEN = viet.Clean(s.ExtraDaysOff[i].Name), viet.Clean(s.ExtraDaysOff[i].NameEN)
	}
	for i := range s.WorkingDays {
		s.WorkingDays[i].Reason = viet.Clean(s.WorkingDays[i].Reason)
	}
	if err := s.Validate(); err != nil {
		return nil, scheduleErrors(err)
	}
	if s.DaysOff == nil {
		s.DaysOff = []viet.Holiday{}
	}
	if s.ExtraDaysOff == nil {
		s.ExtraDaysOff = []viet.Holiday{}
	}
	if s.WorkingDays == nil {
		s.WorkingDays = []viet.WorkingDay{}
	}
	now := c.now().UTC()
	err := c.Store.PutSchedule(ctx, s, now, auth.AuditEntry{Actor: actor, Action: "calendar.schedule", ObjectType: "calendar_schedule", ObjectID: int64(year), After: s})
	c.invalidate()
	if err != nil {
		return nil, err
	}
	return &ScheduleAnswer{Schedule: s, UpdatedAt: now}, nil
}

// DeleteSchedule removes a year's schedule: the defaults apply again.
func (c *Calendars) DeleteSchedule(ctx context.Context, actor *auth.Actor, year int) error {
	if !MayEditSchedules(actor) {
		return apperr.Keyed(apperr.NotFound, "task.no_such_endpoint_your", "no such endpoint for your account")
	}
	err := c.Store.DeleteSchedule(ctx, year, auth.AuditEntry{Actor: actor, Action: "calendar.schedule.delete", ObjectType: "calendar_schedule", ObjectID: int64(year)})
	c.invalidate()
	return err
}

// scheduleErrors turns the joined errors of Schedule.Validate into field errors.
func scheduleErrors(err error) error {
	var fields []apperr.FieldError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		msg := e.Error()
		field := "schedule"
		if p := viet.ErrInvalidSchedule.Error() + ": "; len(msg) > len(p) && msg[:len(p)] == p {
			msg = msg[len(p):]
		}
		for i := 0; i < len(msg); i++ {
			if msg[i] == ':' {
				if f := msg[:i]; isFieldPath(f) {
					field, msg = f, msg[i+1:]
					if len(msg) > 0 && msg[0] == ' ' {
						msg = msg[1:]
					}
				}
				break
			}
		}
		fields = append(fields, apperr.FieldError{Field: field, Message: msg})
	}
	walk(err)
	if len(fields) == 0 && !errors.Is(err, viet.ErrInvalidSchedule) {
		return err
	}
	return apperr.Keyed(apperr.Invalid, "task.schedule_not_valid", "the schedule is not valid").With(fields...)
}

func isFieldPath(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '[' || r == ']' || r == '.') {
			return false
		}
	}
	return true
}
