package viet

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// Public holidays and working days (Labour Code 2019, art. 111–112).
//
// The defaults are the days that the law fixes:
//
//   - 1 January (Tết Dương lịch);
//   - Tết Nguyên đán, 5 days: the last day of the lunar year (29 or 30 of
//     month 12) and days 1–4 of lunar month 1;
//   - Hùng Kings' day, the 10th day of the 3rd lunar month;
//   - 30 April and 1 May;
//   - 2 September and one day next to it: the law lets the government pick
//     1 or 3 September each year; the default is 1 September.
//
// A holiday that falls on a weekly rest day (Saturday or Sunday) gives a
// substitute day off on the next working day (art. 111(3)). For a run of
// holidays, such as Tết or 30 April–1 May, the substitutes follow the run:
// Tết days on a Saturday or Sunday are made up by the working days right after
// Tết. Two holidays on the same day (Hùng Kings' day on 30 April, as in 1947)
// are treated alike: the second gives a substitute day.
//
// These defaults are only the law's frame: every year the government fixes
// the exact days off (which days of Tết, which day next to 2 September, where
// the substitutes go) and swaps working days to make longer breaks, moving a
// working day to a Saturday. A Schedule records that decision for one year
// and overrides the defaults.

// HolidayKind tells why a day is off.
type HolidayKind string

const (
	// KindHoliday is a public holiday of the Labour Code.
	KindHoliday HolidayKind = "holiday"
	// KindSubstitute is a day off in place of a holiday that fell on a
	// weekly rest day.
	KindSubstitute HolidayKind = "substitute"
	// KindExtraDayOff is a day off that a schedule adds, such as a bridge
	// day swapped with a working Saturday.
	KindExtraDayOff HolidayKind = "extra_day_off"
)

func (k HolidayKind) valid() bool {
	return k == KindHoliday || k == KindSubstitute || k == KindExtraDayOff
}

// Holiday is a day off with its reason.
type Holiday struct {
	Date   date.Date   `json:"date"`
	Name   string      `json:"name"`    // Vietnamese: "Tết Nguyên đán", "Nghỉ bù Quốc khánh"
	NameEN string      `json:"name_en"` // English: "Lunar New Year (Tết)"
	Kind   HolidayKind `json:"kind"`
}

// Schedule is the official schedule of one year, as an office loads it from
// the government's decision or edits it: it overrides the defaults.
type Schedule struct {
	Year int `json:"year"`
	// DaysOff, when not empty, replaces the computed holidays and
	// substitute days of Year entirely: it is the government's list.
	DaysOff []Holiday `json:"days_off"`
	// ExtraDaysOff are added on top of the days off (e.g. bridge days).
	ExtraDaysOff []Holiday `json:"extra_days_off"`
	// WorkingDays are Saturdays or Sundays made working days, usually in
	// exchange for a bridge day.
	WorkingDays []WorkingDay `json:"working_days"`
}

// WorkingDay is a weekly rest day made a working day.
type WorkingDay struct {
	Date   date.Date `json:"date"`
	Reason string    `json:"reason"`
}

// ErrInvalidSchedule is wrapped by the errors of Schedule.Validate.
var ErrInvalidSchedule = errors.New("invalid holiday schedule")

// MinYear and MaxYear bound the years the calendar answers for: those in
// which the lunar calendar (and so Tết and Hùng Kings' day) is checked.
// Services refuse dates outside them rather than compute with them.
const (
	MinYear = 1900
	MaxYear = 2100
)

// Years that a schedule may be for.
const (
	scheduleMinYear = MinYear
	scheduleMaxYear = MaxYear
)

// InRange reports whether d is in the years the calendar answers for.
func InRange(d date.Date) bool { return d.Year >= MinYear && d.Year <= MaxYear }

// Validate checks a schedule before it is stored or given to NewCalendar:
// the year is in 1900–2100; every date is a valid date in the schedule's year
// or the year next to it (the New Year or Tết arrangement may cross the
// year's end); days off have a name and a known kind (an empty kind is
// allowed and defaults to "holiday" in DaysOff and "extra_day_off" in
// ExtraDaysOff); no date is listed twice; working days are Saturdays or
// Sundays that are not also listed as days off. All problems are reported,
// each wrapping ErrInvalidSchedule.
func (s Schedule) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidSchedule}, args...)...))
	}
	if s.Year < scheduleMinYear || s.Year > scheduleMaxYear {
		bad("year %d is outside %d–%d", s.Year, scheduleMinYear, scheduleMaxYear)
		return errors.Join(errs...)
	}
	checkDate := func(where string, d date.Date) bool {
		switch {
		case d.IsZero():
			bad("%s: the date is missing", where)
		case !validDate(d):
			bad("%s: %04d-%02d-%02d is not a date", where, d.Year, int(d.Month), d.Day)
		case d.Year < s.Year-1 || d.Year > s.Year+1:
			bad("%s: %s is not in %d or a year next to it", where, d, s.Year)
		default:
			return true
		}
		return false
	}
	seen := make(map[date.Date]string)
	checkDaysOff := func(field string, hs []Holiday) {
		for i, h := range hs {
			where := fmt.Sprintf("%s[%d]", field, i)
			if strings.TrimSpace(h.Name) == "" {
				bad("%s: the name is missing", where)
			}
			if h.Kind != "" && !h.Kind.valid() {
				bad("%s: kind %q is not holiday, substitute or extra_day_off", where, h.Kind)
			}
			if !checkDate(where, h.Date) {
				continue
			}
			if prev, dup := seen[h.Date]; dup {
				bad("%s: %s is already listed in %s", where, h.Date, prev)
				continue
			}
			seen[h.Date] = where
		}
	}
	checkDaysOff("days_off", s.DaysOff)
	checkDaysOff("extra_days_off", s.ExtraDaysOff)
	for i, w := range s.WorkingDays {
		where := fmt.Sprintf("working_days[%d]", i)
		if !checkDate(where, w.Date) {
			continue
		}
		if wd := w.Date.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			bad("%s: %s is a %s, not a Saturday or Sunday", where, w.Date, wd)
		}
		if prev, dup := seen[w.Date]; dup {
			bad("%s: %s is also listed in %s", where, w.Date, prev)
			continue
		}
		seen[w.Date] = where
	}
	return errors.Join(errs...)
}

func validDate(d date.Date) bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		dateOfJulianDay(julianDay(d)) == d
}

// Calendar tells working days from days off: the default holidays of each
// year, overridden by the schedules it was given. It computes each year once,
// when first asked, and is safe for concurrent use. The zero value and a nil
// *Calendar use the defaults alone.
type Calendar struct {
	schedules map[int]Schedule
	years     sync.Map // int → *yearDays
}

// NewCalendar returns a calendar with the given schedules. It does not check
// them: call Validate first. Of two schedules for the same year the later one
// is used.
func NewCalendar(schedules ...Schedule) *Calendar {
	c := &Calendar{schedules: make(map[int]Schedule, len(schedules))}
	for _, s := range schedules {
		c.schedules[s.Year] = Schedule{
			Year:         s.Year,
			DaysOff:      withKind(s.DaysOff, KindHoliday),
			ExtraDaysOff: withKind(s.ExtraDaysOff, KindExtraDayOff),
			WorkingDays:  slices.Clone(s.WorkingDays),
		}
	}
	return c
}

// withKind copies hs, giving kind to the days off that have none.
func withKind(hs []Holiday, kind HolidayKind) []Holiday {
	out := slices.Clone(hs)
	for i := range out {
		if out[i].Kind == "" {
			out[i].Kind = kind
		}
	}
	return out
}

var defaultCalendar = NewCalendar()

// Holidays returns the days off of the year, sorted by date: the default
// holidays and their substitute days, or the schedule's days off when it has
// them, plus the schedule's extra days off (and any day off of the schedules
// of the years next to it that falls in this year).
func (c *Calendar) Holidays(year int) []Holiday {
	return slices.Clone(c.year(year).holidays)
}

// IsWorkday reports whether d is a working day: Monday to Friday and not a day
// off, or a weekend day that a schedule made a working day.
func (c *Calendar) IsWorkday(d date.Date) bool {
	jd := julianDay(d)
	y := c.year(dateOfJulianDay(jd).Year)
	return y.isWorkday(jd)
}

// AddWorkdays returns the date that is n working days after from: from itself
// is not counted, so n = 1 gives the next working day and n = 0 gives from.
// A negative n counts backwards: n = -1 gives the last working day before from.
func (c *Calendar) AddWorkdays(from date.Date, n int) date.Date {
	jd := julianDay(from)
	if n == 0 {
		return dateOfJulianDay(jd)
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	y := c.year(dateOfJulianDay(jd).Year)
	for n > 0 {
		jd += step
		if jd < y.first || jd >= y.first+y.days {
			y = c.year(dateOfJulianDay(jd).Year)
		}
		if y.isWorkday(jd) {
			n--
		}
	}
	return dateOfJulianDay(jd)
}

// WorkdaysBetween returns the number of working days in (from, to]: after
// from, up to and including to. When to is before from it is minus the number
// of working days in (to, from], so WorkdaysBetween(a, b) is always
// -WorkdaysBetween(b, a): a deadline two working days ahead gives 2 one way and
// -2 the other. For n > 0, WorkdaysBetween(from, AddWorkdays(from, n)) is n;
// for n < 0 it is n when from is a working day.
func (c *Calendar) WorkdaysBetween(from, to date.Date) int {
	a, b := julianDay(from), julianDay(to)
	if b < a {
		return -c.countWorkdays(b+1, a)
	}
	return c.countWorkdays(a+1, b)
}

// countWorkdays counts the working days with day numbers in [lo, hi].
func (c *Calendar) countWorkdays(lo, hi int) int {
	n := 0
	for lo <= hi {
		y := c.year(dateOfJulianDay(lo).Year)
		end := min(hi, y.first+y.days-1)
		n += y.count(lo-y.first, end-y.first)
		lo = end + 1
	}
	return n
}

// yearDays is one computed year: its days off and a bit per day, set on
// working days.
type yearDays struct {
	first    int // Julian day number of 1 January
	days     int // 365 or 366
	work     [6]uint64
	holidays []Holiday
}

func (y *yearDays) isWorkday(jd int) bool {
	i := jd - y.first
	return y.work[i>>6]&(1<<(i&63)) != 0
}

// count returns the number of working days among days i..j (inclusive,
// counted from 1 January).
func (y *yearDays) count(i, j int) int {
	n := 0
	for i <= j {
		end := min(j, i|63)
		width := end - i + 1
		mask := ^uint64(0)
		if width < 64 {
			mask = (uint64(1)<<width - 1) << (i & 63)
		}
		n += bits.OnesCount64(y.work[i>>6] & mask)
		i = end + 1
	}
	return n
}

// year returns the computed year, from the cache when it is there.
func (c *Calendar) year(year int) *yearDays {
	if c == nil {
		c = defaultCalendar
	}
	if v, ok := c.years.Load(year); ok {
		return v.(*yearDays)
	}
	y := c.compute(year)
	if year < 1 || year > 9999 {
		return y // not worth keeping; bounds the cache
	}
	v, _ := c.years.LoadOrStore(year, y)
	return v.(*yearDays)
}

func (c *Calendar) compute(year int) *yearDays {
	y := &yearDays{first: julianDay(date.Date{Year: year, Month: time.January, Day: 1})}
	y.days = julianDay(date.Date{Year: year + 1, Month: time.January, Day: 1}) - y.first

	// Days off, first source first: a date already off is not listed again.
	listed := make(map[date.Date]bool)
	add := func(hs []Holiday) {
		var added []date.Date
		for _, h := range hs {
			if h.Date.Year == year && validDate(h.Date) && !listed[h.Date] {
				y.holidays = append(y.holidays, h)
				added = append(added, h.Date)
			}
		}
		for _, d := range added {
			listed[d] = true
		}
	}
	s, scheduled := c.schedules[year]
	if scheduled && len(s.DaysOff) > 0 {
		add(s.DaysOff)
	} else {
		add(defaultHolidays(year))
	}
	add(s.ExtraDaysOff)
	for _, near := range []int{year - 1, year + 1} {
		if ns, ok := c.schedules[near]; ok {
			if len(ns.DaysOff) > 0 {
				add(ns.DaysOff)
			}
			add(ns.ExtraDaysOff)
		}
	}
	slices.SortStableFunc(y.holidays, func(a, b Holiday) int {
		return cmp.Compare(julianDay(a.Date), julianDay(b.Date))
	})

	for i := range y.days {
		if !isWeekend(y.first + i) {
			y.work[i>>6] |= 1 << (i & 63)
		}
	}
	for _, h := range y.holidays {
		i := julianDay(h.Date) - y.first
		y.work[i>>6] &^= 1 << (i & 63)
	}
	for _, sy := range []int{year - 1, year, year + 1} {
		for _, w := range c.schedules[sy].WorkingDays {
			if w.Date.Year == year && validDate(w.Date) {
				i := julianDay(w.Date) - y.first
				y.work[i>>6] |= 1 << (i & 63)
			}
		}
	}
	return y
}

// weekdayOf returns the day of the week of a Julian day number.
func weekdayOf(jd int) time.Weekday {
	return time.Weekday((jd%7 + 8) % 7) // JDN 0 was a Monday
}

func isWeekend(jd int) bool {
	wd := weekdayOf(jd)
	return wd == time.Saturday || wd == time.Sunday
}

// defaultHolidays returns the year's holidays as the Labour Code fixes them,
// with substitute days for those on a Saturday or Sunday, sorted by date. The
// government's yearly decision may differ: see Schedule.
func defaultHolidays(year int) []Holiday {
	type holiday struct {
		jd             int
		name, nameEN   string
		subst, substEN string // the substitute day's names
	}
	var hs []holiday
	add := func(d date.Date, name, nameEN, subst, substEN string) {
		hs = append(hs, holiday{julianDay(d), name, nameEN, subst, substEN})
	}
	on := func(m time.Month, d int) date.Date { return date.Date{Year: year, Month: m, Day: d} }

	add(on(time.January, 1), "Tết Dương lịch", "New Year's Day",
		"Nghỉ bù Tết Dương lịch", "Substitute day off for New Year's Day")
	tet, _ := LunarToSolar(LunarDate{Year: year, Month: 1, Day: 1}) // always exists
	for i := -1; i <= 3; i++ {
		add(tet.AddDays(i), "Tết Nguyên đán", "Lunar New Year (Tết)",
			"Nghỉ bù Tết Nguyên đán", "Substitute day off for Lunar New Year (Tết)")
	}
	hung, _ := LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10}) // always exists
	add(hung, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)",
		"Nghỉ bù Giỗ Tổ Hùng Vương", "Substitute day off for Hùng Kings' Commemoration Day")
	add(on(time.April, 30), "Ngày Chiến thắng (30/4)", "Reunification Day (30 April)",
		"Nghỉ bù Ngày Chiến thắng", "Substitute day off for Reunification Day")
	add(on(time.May, 1), "Ngày Quốc tế Lao động (1/5)", "International Labour Day (1 May)",
		"Nghỉ bù Ngày Quốc tế Lao động", "Substitute day off for International Labour Day")
	add(on(time.September, 1), "Quốc khánh (1/9)", "National Day (1 September)",
		"Nghỉ bù Quốc khánh", "Substitute day off for National Day")
	add(on(time.September, 2), "Quốc khánh (2/9)", "National Day (2 September)",
		"Nghỉ bù Quốc khánh", "Substitute day off for National Day")
	slices.SortStableFunc(hs, func(a, b holiday) int { return cmp.Compare(a.jd, b.jd) })

	off := make(map[int]bool, len(hs))
	for _, h := range hs {
		off[h.jd] = true
	}
	out := make([]Holiday, 0, len(hs)+4)
	seen := make(map[int]bool, len(hs))
	for _, h := range hs {
		out = append(out, Holiday{Date: dateOfJulianDay(h.jd), Name: h.name, NameEN: h.nameEN, Kind: KindHoliday})
		lost := isWeekend(h.jd) || seen[h.jd]
		seen[h.jd] = true
		if !lost {
			continue
		}
		sub := h.jd + 1
		for isWeekend(sub) || off[sub] {
			sub++
		}
		off[sub] = true
		out = append(out, Holiday{Date: dateOfJulianDay(sub), Name: h.subst, NameEN: h.substEN, Kind: KindSubstitute})
	}
	slices.SortStableFunc(out, func(a, b Holiday) int {
		return cmp.Compare(julianDay(a.Date), julianDay(b.Date))
	})
	return out
}
