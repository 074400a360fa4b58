package viet

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// The Vietnamese lunar calendar (âm lịch), reckoned for UTC+7 with Hồ Ngọc
// Đức's algorithm (https://www.informatik.uni-leipzig.de/~duc/amlich/):
//
//   - a month begins on the day, in UTC+7, of an astronomical new moon;
//   - lunar month 11 is the month that contains the winter solstice;
//   - a lunar year with 13 months (from month 11 to the next month 11) has a
//     leap month: the first month after month 11 that contains no major
//     solar term (trung khí), and it takes the number of the month before it.
//
// The new moons and the sun's longitude come from Meeus's series as Hồ Ngọc
// Đức uses them; the results agree with the calendar published in Vietnam for
// 1900–2100 (the tests hold the published Tết dates 1990–2030). Because Vietnam
// reckons in UTC+7 and China in UTC+8, some years differ from the Chinese
// calendar: Tết 2007 fell on 17 February in Vietnam and 18 February in China,
// and Tết 2030 falls on 2 February in Vietnam and 3 February in China.

// vnTimeZone is the offset, in hours, in which lunar months are reckoned.
const vnTimeZone = 7.0

// LunarDate is a date of the Vietnamese lunar calendar. Leap is set in a leap
// month (tháng nhuận), which repeats the number of the month before it.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String formats the date as Vietnamese write it: "10/3/2024", and
// "15/2 nhuận/2023" in a leap month.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// SolarToLunar returns the lunar date of the (Gregorian) date d. A date whose
// month or day is out of range is normalised first, like time.Date does.
func SolarToLunar(d date.Date) LunarDate {
	dayNumber := julianDay(d)
	// k estimates, from the mean lunation, the last new moon on or before
	// the day; the true new moons stray from the mean by up to half a day
	// either side, so check the neighbours. (Hồ Ngọc Đức's code tries k+1
	// and k only, and gives day 0 for 7 May 2054.)
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	for newMoonDay(k+1) <= dayNumber {
		k++
	}
	for newMoonDay(k) > dayNumber {
		k--
	}
	monthStart := newMoonDay(k)
	yy := dateOfJulianDay(dayNumber).Year
	a11 := lunarMonth11(yy)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = yy
		a11 = lunarMonth11(yy - 1)
	} else {
		lunarYear = yy + 1
		b11 = lunarMonth11(yy + 1)
	}
	l := LunarDate{Day: dayNumber - monthStart + 1}
	diff := (monthStart - a11) / 29
	l.Month = diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			l.Month = diff + 10
			l.Leap = diff == leapDiff
		}
	}
	if l.Month > 12 {
		l.Month -= 12
	}
	if l.Month >= 11 && diff < 4 {
		lunarYear--
	}
	l.Year = lunarYear
	return l
}

// ErrNoSuchLunarDate is wrapped by LunarToSolar's errors.
var ErrNoSuchLunarDate = errors.New("no such lunar date")

// LunarToSolar returns the Gregorian date of the lunar date l. It fails when
// l does not exist: a month outside 1–12, a day outside 1–30, day 30 of a
// month of 29 days, or a leap month that the year does not have.
func LunarToSolar(l LunarDate) (date.Date, error) {
	if l.Month < 1 || l.Month > 12 {
		return date.Date{}, fmt.Errorf("%w: %s: the month must be 1–12", ErrNoSuchLunarDate, l)
	}
	if l.Day < 1 || l.Day > 30 {
		return date.Date{}, fmt.Errorf("%w: %s: the day must be 1–30", ErrNoSuchLunarDate, l)
	}
	start, next, ok := lunarMonthBounds(l.Year, l.Month, l.Leap)
	if !ok {
		return date.Date{}, fmt.Errorf("%w: lunar year %d has no leap month %d", ErrNoSuchLunarDate, l.Year, l.Month)
	}
	if l.Day > next-start {
		return date.Date{}, fmt.Errorf("%w: %s: that month has %d days", ErrNoSuchLunarDate, l, next-start)
	}
	return dateOfJulianDay(start + l.Day - 1), nil
}

// lunarMonthBounds returns the Julian day numbers of the first day of the
// lunar month and of the month after it; ok is false for a leap month that
// the year lacks.
func lunarMonthBounds(year, month int, leap bool) (start, next int, ok bool) {
	var a11, b11 int
	if month < 11 {
		a11 = lunarMonth11(year - 1)
		b11 = lunarMonth11(year)
	} else {
		a11 = lunarMonth11(year)
		b11 = lunarMonth11(year + 1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return 0, 0, false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return 0, 0, false
	}
	return newMoonDay(k + off), newMoonDay(k + off + 1), true
}

// julianDay returns the Julian day number of d in the Gregorian calendar.
func julianDay(d date.Date) int {
	y, m := d.Year, int(d.Month)-1
	y += floorDiv(m, 12)
	m = m - 12*floorDiv(m, 12) + 1
	a := (14 - m) / 12
	y = y + 4800 - a
	m = m + 12*a - 3
	return d.Day + (153*m+2)/5 + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
}

// dateOfJulianDay is the inverse of julianDay.
func dateOfJulianDay(jd int) date.Date {
	a := jd + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	d := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*d, 4)
	m := floorDiv(5*e+2, 153)
	return date.Date{
		Year:  100*b + d - 4800 + m/10,
		Month: time.Month(m + 3 - 12*(m/10)),
		Day:   e - (153*m+2)/5 + 1,
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// newMoon returns the Julian date (UTC, fractional) of the k-th new moon
// after the one of 1 January 1900 (Meeus, Astronomical Algorithms, ch. 49,
// as simplified by Hồ Ngọc Đức).
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3    // sun's mean anomaly
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3 // moon's mean anomaly
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3    // moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m) -
		0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr) -
		0.0004*math.Sin(dr*3*mpr) +
		0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr)) -
		0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m)) -
		0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr)) +
		0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the sun's apparent longitude, in radians in [0, 2π),
// at the Julian date jdn (UTC).
func sunLongitude(jdn float64) float64 {
	const dr = math.Pi / 180
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonDay returns the Julian day number of the day, in UTC+7, of the k-th
// new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + vnTimeZone/24))
}

// solarSector returns which 30° sector (0–11) of the ecliptic the sun is in at
// the start of the day dayNumber in UTC+7; sector 9 begins at the winter
// solstice (270°).
func solarSector(dayNumber int) int {
	return int(sunLongitude(float64(dayNumber)-0.5-vnTimeZone/24) / math.Pi * 6)
}

// lunarMonth11 returns the Julian day number of the first day of lunar month
// 11 of year yy: the month that contains the winter solstice of yy.
func lunarMonth11(yy int) int {
	off := julianDay(date.Date{Year: yy, Month: time.December, Day: 31}) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if solarSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns, for a 13-month year beginning with the month 11
// that starts on a11, the index (counted from that month 11) of the leap
// month: the first month in which the sun enters no new sector.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := solarSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = solarSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
