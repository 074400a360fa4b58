package viet

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
)

// holidayNames gives the names of the default holidays by a short key used in
// the tables below; "sub:" before a key is its substitute day.
var holidayNames = map[string][2]string{
	"ny":   {"Tết Dương lịch", "New Year's Day"},
	"tet":  {"Tết Nguyên đán", "Lunar New Year (Tết)"},
	"hung": {"Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)"},
	"30/4": {"Ngày Chiến thắng (30/4)", "Reunification Day (30 April)"},
	"1/5":  {"Ngày Quốc tế Lao động (1/5)", "International Labour Day (1 May)"},
	"1/9":  {"Quốc khánh (1/9)", "National Day (1 September)"},
	"2/9":  {"Quốc khánh (2/9)", "National Day (2 September)"},

	"sub:ny":   {"Nghỉ bù Tết Dương lịch", "Substitute day off for New Year's Day"},
	"sub:tet":  {"Nghỉ bù Tết Nguyên đán", "Substitute day off for Lunar New Year (Tết)"},
	"sub:hung": {"Nghỉ bù Giỗ Tổ Hùng Vương", "Substitute day off for Hùng Kings' Commemoration Day"},
	"sub:30/4": {"Nghỉ bù Ngày Chiến thắng", "Substitute day off for Reunification Day"},
	"sub:1/5":  {"Nghỉ bù Ngày Quốc tế Lao động", "Substitute day off for International Labour Day"},
	"sub:9":    {"Nghỉ bù Quốc khánh", "Substitute day off for National Day"},
}

// days builds the expected holidays from "YYYY-MM-DD key" lines.
func days(t *testing.T, lines ...string) []Holiday {
	t.Helper()
	var hs []Holiday
	for _, line := range lines {
		d, key, _ := strings.Cut(line, " ")
		names, ok := holidayNames[key]
		if !ok {
			t.Fatalf("no holiday %q", key)
		}
		kind := KindHoliday
		if strings.HasPrefix(key, "sub:") {
			kind = KindSubstitute
		}
		hs = append(hs, Holiday{Date: date.MustParse(d), Name: names[0], NameEN: names[1], Kind: kind})
	}
	return hs
}

// TestDefaultHolidays lists the defaults of 2022–2030 in full. Weekdays are
// noted for checking the substitutes by hand.
func TestDefaultHolidays(t *testing.T) {
	tests := map[int][]string{
		2022: {
			"2022-01-01 ny", // Sat
			"2022-01-03 sub:ny",
			"2022-01-31 tet", "2022-02-01 tet", "2022-02-02 tet", "2022-02-03 tet", "2022-02-04 tet", // Mon–Fri
			"2022-04-10 hung", // Sun
			"2022-04-11 sub:hung",
			"2022-04-30 30/4", "2022-05-01 1/5", // Sat, Sun
			"2022-05-02 sub:30/4", "2022-05-03 sub:1/5",
			"2022-09-01 1/9", "2022-09-02 2/9", // Thu, Fri
		},
		2023: {
			"2023-01-01 ny", // Sun
			"2023-01-02 sub:ny",
			"2023-01-21 tet", "2023-01-22 tet", "2023-01-23 tet", "2023-01-24 tet", "2023-01-25 tet", // Sat–Wed
			"2023-01-26 sub:tet", "2023-01-27 sub:tet",
			"2023-04-29 hung", "2023-04-30 30/4", "2023-05-01 1/5", // Sat, Sun, Mon
			"2023-05-02 sub:hung", "2023-05-03 sub:30/4",
			"2023-09-01 1/9", "2023-09-02 2/9", // Fri, Sat
			"2023-09-04 sub:9",
		},
		2024: {
			"2024-01-01 ny",                                                                          // Mon
			"2024-02-09 tet", "2024-02-10 tet", "2024-02-11 tet", "2024-02-12 tet", "2024-02-13 tet", // Fri–Tue
			"2024-02-14 sub:tet", "2024-02-15 sub:tet",
			"2024-04-18 hung",                   // Thu
			"2024-04-30 30/4", "2024-05-01 1/5", // Tue, Wed
			"2024-09-01 1/9", "2024-09-02 2/9", // Sun, Mon
			"2024-09-03 sub:9",
		},
		2025: {
			"2025-01-01 ny",                                                                          // Wed
			"2025-01-28 tet", "2025-01-29 tet", "2025-01-30 tet", "2025-01-31 tet", "2025-02-01 tet", // Tue–Sat
			"2025-02-03 sub:tet",
			"2025-04-07 hung",                   // Mon
			"2025-04-30 30/4", "2025-05-01 1/5", // Wed, Thu
			"2025-09-01 1/9", "2025-09-02 2/9", // Mon, Tue
		},
		2026: {
			"2026-01-01 ny",                                                                          // Thu
			"2026-02-16 tet", "2026-02-17 tet", "2026-02-18 tet", "2026-02-19 tet", "2026-02-20 tet", // Mon–Fri
			"2026-04-26 hung", // Sun
			"2026-04-27 sub:hung",
			"2026-04-30 30/4", "2026-05-01 1/5", // Thu, Fri
			"2026-09-01 1/9", "2026-09-02 2/9", // Tue, Wed
		},
		2027: {
			"2027-01-01 ny",                                                                          // Fri
			"2027-02-05 tet", "2027-02-06 tet", "2027-02-07 tet", "2027-02-08 tet", "2027-02-09 tet", // Fri–Tue
			"2027-02-10 sub:tet", "2027-02-11 sub:tet",
			"2027-04-16 hung",                   // Fri
			"2027-04-30 30/4", "2027-05-01 1/5", // Fri, Sat
			"2027-05-03 sub:1/5",
			"2027-09-01 1/9", "2027-09-02 2/9", // Wed, Thu
		},
		2028: {
			"2028-01-01 ny", // Sat
			"2028-01-03 sub:ny",
			"2028-01-25 tet", "2028-01-26 tet", "2028-01-27 tet", "2028-01-28 tet", "2028-01-29 tet", // Tue–Sat
			"2028-01-31 sub:tet",
			"2028-04-04 hung",                   // Tue
			"2028-04-30 30/4", "2028-05-01 1/5", // Sun, Mon
			"2028-05-02 sub:30/4",
			"2028-09-01 1/9", "2028-09-02 2/9", // Fri, Sat
			"2028-09-04 sub:9",
		},
		2029: {
			"2029-01-01 ny",                                                                          // Mon
			"2029-02-12 tet", "2029-02-13 tet", "2029-02-14 tet", "2029-02-15 tet", "2029-02-16 tet", // Mon–Fri
			"2029-04-23 hung",                   // Mon
			"2029-04-30 30/4", "2029-05-01 1/5", // Mon, Tue
			"2029-09-01 1/9", "2029-09-02 2/9", // Sat, Sun
			"2029-09-03 sub:9", "2029-09-04 sub:9",
		},
		2030: {
			"2030-01-01 ny",                                                                          // Tue
			"2030-02-01 tet", "2030-02-02 tet", "2030-02-03 tet", "2030-02-04 tet", "2030-02-05 tet", // Fri–Tue
			"2030-02-06 sub:tet", "2030-02-07 sub:tet",
			"2030-04-12 hung",                   // Fri
			"2030-04-30 30/4", "2030-05-01 1/5", // Tue, Wed
			"2030-09-01 1/9", "2030-09-02 2/9", // Sun, Mon
			"2030-09-03 sub:9",
		},
	}
	c := NewCalendar()
	for year, lines := range tests {
		want := days(t, lines...)
		if diff := cmp.Diff(want, c.Holidays(year)); diff != "" {
			t.Errorf("Holidays(%d) (-want +got):\n%s", year, diff)
		}
	}
}

// TestDefaultHolidayInvariants checks every year 1990–2100: eleven holidays,
// every substitute on a weekday after the holiday it replaces, as many
// substitutes as holidays on a weekend, and no two days off on one date.
func TestDefaultHolidayInvariants(t *testing.T) {
	var c Calendar // the zero value works
	for year := 1990; year <= 2100; year++ {
		hs := c.Holidays(year)
		holidays, weekend, subs := 0, 0, 0
		dates := make(map[date.Date]int)
		for i, h := range hs {
			if i > 0 && h.Date.Before(hs[i-1].Date) {
				t.Errorf("%d: not sorted at %s", year, h.Date)
			}
			if h.Date.Year != year {
				t.Errorf("%d: %s falls in another year", year, h.Date)
			}
			dates[h.Date]++
			wd := h.Date.Time().Weekday()
			switch h.Kind {
			case KindHoliday:
				holidays++
				if wd == time.Saturday || wd == time.Sunday || dates[h.Date] > 1 {
					weekend++
				}
			case KindSubstitute:
				subs++
				if wd == time.Saturday || wd == time.Sunday {
					t.Errorf("%d: substitute on a %s: %+v", year, wd, h)
				}
			default:
				t.Errorf("%d: kind %q", year, h.Kind)
			}
		}
		if holidays != 11 || subs != weekend {
			t.Errorf("%d: %d holidays, %d on a weekend, %d substitutes", year, holidays, weekend, subs)
		}
		for d, n := range dates {
			if n > 1 && !(year == 1947 && d == date.MustParse("1947-04-30")) {
				t.Errorf("%d: %d days off on %s", year, n, d)
			}
		}
	}
}

// TestSameDayHolidays: Hùng Kings' day fell on 30 April in 1947 (a
// Wednesday); the two holidays give one day off and one substitute.
func TestSameDayHolidays(t *testing.T) {
	var got []Holiday
	for _, h := range NewCalendar().Holidays(1947) {
		if h.Date.Month == time.April || h.Date.Month == time.May {
			got = append(got, h)
		}
	}
	want := days(t, "1947-04-30 hung", "1947-04-30 30/4", "1947-05-01 1/5", "1947-05-02 sub:30/4")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("April–May 1947 (-want +got):\n%s", diff)
	}
}

func TestIsWorkday(t *testing.T) {
	c := NewCalendar()
	tests := []struct {
		d    string
		want bool
	}{
		{"2026-02-13", true},  // Friday before Tết
		{"2026-02-14", false}, // Saturday
		{"2026-02-16", false}, // Tết eve (29 tháng Chạp), Monday
		{"2026-02-20", false}, // mùng 4, Friday
		{"2026-02-23", true},  // Monday after Tết
		{"2026-04-27", false}, // substitute for Hùng Kings' day on Sunday 26 April
		{"2024-02-15", false}, // second substitute for Tết 2024
		{"2024-02-16", true},
		{"2023-05-03", false}, // 2023: Sat 29/4 and Sun 30/4 give Tue 2/5 and Wed 3/5
		{"2023-05-04", true},
		{"2029-09-04", false}, // 2029: 1/9 Sat and 2/9 Sun give Mon 3/9 and Tue 4/9
		{"2029-09-05", true},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(date.MustParse(tt.d)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	var nilCal *Calendar
	if nilCal.IsWorkday(date.MustParse("2026-02-17")) || !nilCal.IsWorkday(date.MustParse("2026-02-23")) {
		t.Error("a nil *Calendar does not use the defaults")
	}
}

func TestAddWorkdays(t *testing.T) {
	c := NewCalendar()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 0, "2026-02-13"},
		{"2026-02-13", 1, "2026-02-23"},   // Friday before Tết 2026: 16–20 February off
		{"2026-02-13", 2, "2026-02-24"},   //
		{"2026-02-14", 1, "2026-02-23"},   // from a Saturday
		{"2026-02-23", -1, "2026-02-13"},  // backwards over Tết
		{"2026-02-17", -1, "2026-02-13"},  // from a day off
		{"2026-02-17", 1, "2026-02-23"},   //
		{"2024-02-08", 1, "2024-02-16"},   // Tết 2024 with two substitutes
		{"2025-12-31", 1, "2026-01-02"},   // across New Year
		{"2026-01-02", -2, "2025-12-30"},  //
		{"2025-12-31", 250, "2026-12-31"}, // a whole year: 261 weekdays - 11 weekday days off
		{"2023-04-28", 1, "2023-05-04"},   // 29/4–3/5/2023
		{"2026-03-02", 60, "2026-05-28"},  // 21 in March, 20 in April (27/4 and 30/4 off), 1/5 off, 19 in May
	}
	for _, tt := range tests {
		got := c.AddWorkdays(date.MustParse(tt.from), tt.n)
		if got.String() != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := NewCalendar()
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-13", 0},
		{"2026-02-13", "2026-02-23", 1},
		{"2026-02-23", "2026-02-13", -1},
		{"2026-02-22", "2026-02-13", 0}, // antisymmetric: -(working days in (13 Feb, 22 Feb])
		{"2026-02-13", "2026-02-22", 0},
		{"2025-12-31", "2026-12-31", 250},
		{"2026-12-31", "2025-12-31", -250},
		{"2024-01-01", "2025-01-01", 251}, // 261 weekdays from 2 January 2024 to 1 January 2025; 10 of them off
	}
	for _, tt := range tests {
		if got := c.WorkdaysBetween(date.MustParse(tt.from), date.MustParse(tt.to)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

// schedule2025 is like the government's arrangement for Tết 2025: Monday 27
// January off in exchange for Saturday 8 February; plus a made-up bridge day
// for 2 September, swapped with Saturday 6 September.
var schedule2025 = Schedule{
	Year: 2025,
	ExtraDaysOff: []Holiday{
		{Date: date.MustParse("2025-01-27"), Name: "Nghỉ hoán đổi Tết", NameEN: "Swapped day off before Tết"},
		{Date: date.MustParse("2025-09-03"), Name: "Nghỉ hoán đổi", NameEN: "Swapped day off", Kind: KindExtraDayOff},
	},
	WorkingDays: []WorkingDay{
		{Date: date.MustParse("2025-02-08"), Reason: "Làm bù ngày 27/1"},
		{Date: date.MustParse("2025-09-06"), Reason: "Làm bù ngày 3/9"},
	},
}

func TestScheduleExtraDaysAndSwaps(t *testing.T) {
	if err := schedule2025.Validate(); err != nil {
		t.Fatal(err)
	}
	c := NewCalendar(schedule2025)
	tests := []struct {
		d    string
		want bool
	}{
		{"2025-01-24", true},
		{"2025-01-27", false}, // the swapped Monday
		{"2025-02-03", false}, // the default substitute for Sat 1/2 stays
		{"2025-02-08", true},  // the working Saturday
		{"2025-02-09", false},
		{"2025-09-03", false},
		{"2025-09-06", true},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(date.MustParse(tt.d)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	got := c.AddWorkdays(date.MustParse("2025-01-24"), 1)
	if want := "2025-02-04"; got.String() != want {
		t.Errorf("AddWorkdays(2025-01-24, 1) = %s, want %s", got, want)
	}
	got = c.AddWorkdays(date.MustParse("2025-02-07"), 1)
	if want := "2025-02-08"; got.String() != want {
		t.Errorf("AddWorkdays(2025-02-07, 1) = %s, want %s (the working Saturday)", got, want)
	}
	hs := c.Holidays(2025)
	if len(hs) != len(NewCalendar().Holidays(2025))+2 {
		t.Errorf("Holidays(2025) has %d days, want the defaults and 2 more", len(hs))
	}
	want := Holiday{Date: date.MustParse("2025-01-27"), Name: "Nghỉ hoán đổi Tết", NameEN: "Swapped day off before Tết", Kind: KindExtraDayOff}
	if diff := cmp.Diff(want, hs[1]); diff != "" {
		t.Errorf("Holidays(2025)[1] (-want +got):\n%s", diff)
	}
	// Other years keep the defaults.
	if diff := cmp.Diff(NewCalendar().Holidays(2026), c.Holidays(2026)); diff != "" {
		t.Errorf("Holidays(2026) changed by the 2025 schedule:\n%s", diff)
	}
}

// TestScheduleDaysOffReplaceDefaults uses a list of days off like the
// government's for 2024: for Tết, 8–14 February (the substitutes for Saturday
// 10 and Sunday 11 put on 8 and 14 February, where the default puts them on
// 14 and 15); for National Day, 2 and 3 September.
func TestScheduleDaysOffReplaceDefaults(t *testing.T) {
	s := Schedule{
		Year: 2024,
		DaysOff: []Holiday{
			{Date: date.MustParse("2024-01-01"), Name: "Tết Dương lịch", NameEN: "New Year's Day"},
			{Date: date.MustParse("2024-02-08"), Name: "Nghỉ bù Tết Nguyên đán", NameEN: "Substitute day off for Tết", Kind: KindSubstitute},
			{Date: date.MustParse("2024-02-09"), Name: "Tết Nguyên đán", NameEN: "Tết"},
			{Date: date.MustParse("2024-02-10"), Name: "Tết Nguyên đán", NameEN: "Tết"},
			{Date: date.MustParse("2024-02-11"), Name: "Tết Nguyên đán", NameEN: "Tết"},
			{Date: date.MustParse("2024-02-12"), Name: "Tết Nguyên đán", NameEN: "Tết"},
			{Date: date.MustParse("2024-02-13"), Name: "Tết Nguyên đán", NameEN: "Tết"},
			{Date: date.MustParse("2024-02-14"), Name: "Nghỉ bù Tết Nguyên đán", NameEN: "Substitute day off for Tết", Kind: KindSubstitute},
			{Date: date.MustParse("2024-04-18"), Name: "Giỗ Tổ Hùng Vương (10/3 âm lịch)", NameEN: "Hùng Kings' day"},
			{Date: date.MustParse("2024-04-30"), Name: "Ngày Chiến thắng (30/4)", NameEN: "Reunification Day"},
			{Date: date.MustParse("2024-05-01"), Name: "Ngày Quốc tế Lao động (1/5)", NameEN: "Labour Day"},
			{Date: date.MustParse("2024-09-02"), Name: "Quốc khánh (2/9)", NameEN: "National Day"},
			{Date: date.MustParse("2024-09-03"), Name: "Quốc khánh (3/9)", NameEN: "National Day"},
		},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	c := NewCalendar(s)
	hs := c.Holidays(2024)
	if len(hs) != len(s.DaysOff) {
		t.Fatalf("Holidays(2024) has %d days, want the schedule's %d", len(hs), len(s.DaysOff))
	}
	if hs[1].Date.String() != "2024-02-08" || hs[1].Kind != KindSubstitute || hs[2].Kind != KindHoliday {
		t.Errorf("Holidays(2024)[1:3] = %+v", hs[1:3])
	}
	for d, want := range map[string]bool{
		"2024-02-08": false, "2024-02-15": true, // the default would give 15 February off
		"2024-09-03": false, "2024-09-04": true,
	} {
		if got := c.IsWorkday(date.MustParse(d)); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
	}
	// The schedule's slices are copied: changing them later changes nothing.
	s.DaysOff[1].Date = date.MustParse("2024-03-01")
	if !c.IsWorkday(date.MustParse("2024-03-01")) || c.IsWorkday(date.MustParse("2024-02-08")) {
		t.Error("NewCalendar kept the caller's slice")
	}
}

// TestScheduleAcrossYears: the government gave Monday 31 December 2018 off
// for New Year 2019, in exchange for Saturday 5 January 2019; the 2019
// schedule holds both.
func TestScheduleAcrossYears(t *testing.T) {
	s := Schedule{
		Year:         2019,
		ExtraDaysOff: []Holiday{{Date: date.MustParse("2018-12-31"), Name: "Nghỉ hoán đổi Tết Dương lịch", NameEN: "Swapped day off for New Year"}},
		WorkingDays:  []WorkingDay{{Date: date.MustParse("2019-01-05"), Reason: "Làm bù ngày 31/12/2018"}},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	c := NewCalendar(s)
	if c.IsWorkday(date.MustParse("2018-12-31")) || !c.IsWorkday(date.MustParse("2019-01-05")) {
		t.Error("the swap across the year's end is not applied")
	}
	if got := c.AddWorkdays(date.MustParse("2018-12-28"), 1); got.String() != "2019-01-02" {
		t.Errorf("AddWorkdays(2018-12-28, 1) = %s, want 2019-01-02", got)
	}
	h18 := c.Holidays(2018)
	if last := h18[len(h18)-1]; last.Date.String() != "2018-12-31" || last.Kind != KindExtraDayOff {
		t.Errorf("Holidays(2018) ends with %+v, want the swapped 31 December", last)
	}
	for _, h := range c.Holidays(2019) {
		if h.Date.Year != 2019 {
			t.Errorf("Holidays(2019) holds %+v", h)
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	d := date.MustParse
	tests := []struct {
		name string
		s    Schedule
		want []string // substrings of the error; nil: valid
	}{
		{"empty", Schedule{Year: 2025}, nil},
		{"year", Schedule{Year: 1800}, []string{"year 1800"}},
		{"no name", Schedule{Year: 2025, DaysOff: []Holiday{{Date: d("2025-01-01")}}}, []string{"days_off[0]: the name is missing"}},
		{"bad kind", Schedule{Year: 2025, ExtraDaysOff: []Holiday{{Date: d("2025-01-02"), Name: "x", Kind: "bridge"}}}, []string{`extra_days_off[0]: kind "bridge"`}},
		{"no date", Schedule{Year: 2025, DaysOff: []Holiday{{Name: "x"}}}, []string{"date is missing"}},
		{"invalid date", Schedule{Year: 2025, DaysOff: []Holiday{{Date: date.Date{Year: 2025, Month: 2, Day: 30}, Name: "x"}}}, []string{"2025-02-30 is not a date"}},
		{"far year", Schedule{Year: 2025, DaysOff: []Holiday{{Date: d("2027-01-01"), Name: "x"}}}, []string{"not in 2025 or a year next to it"}},
		{"twice", Schedule{Year: 2025,
			DaysOff:      []Holiday{{Date: d("2025-01-01"), Name: "x"}},
			ExtraDaysOff: []Holiday{{Date: d("2025-01-01"), Name: "y"}}},
			[]string{"extra_days_off[0]: 2025-01-01 is already listed in days_off[0]"}},
		{"weekday made working", Schedule{Year: 2025, WorkingDays: []WorkingDay{{Date: d("2025-02-07")}}}, []string{"is a Friday, not a Saturday or Sunday"}},
		{"working and off", Schedule{Year: 2025,
			ExtraDaysOff: []Holiday{{Date: d("2025-02-08"), Name: "x"}},
			WorkingDays:  []WorkingDay{{Date: d("2025-02-08")}}},
			[]string{"working_days[0]: 2025-02-08 is also listed in extra_days_off[0]"}},
		{"several", Schedule{Year: 2025, DaysOff: []Holiday{{Date: d("2025-01-01")}, {Name: "x"}}},
			[]string{"days_off[0]: the name is missing", "days_off[1]: the date is missing"}},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Validate() = nil, want an error", tt.name)
			continue
		}
		if !errors.Is(err, ErrInvalidSchedule) {
			t.Errorf("%s: %v does not wrap ErrInvalidSchedule", tt.name, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Validate() = %q, want it to contain %q", tt.name, err, w)
			}
		}
	}
}

func TestScheduleJSON(t *testing.T) {
	in := `{"year":2025,"days_off":[],"extra_days_off":[{"date":"2025-01-27","name":"Nghỉ hoán đổi","name_en":"Swapped day off","kind":"extra_day_off"}],"working_days":[{"date":"2025-02-08","reason":"Làm bù"}]}`
	var s Schedule
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	want := Schedule{
		Year:         2025,
		DaysOff:      []Holiday{},
		ExtraDaysOff: []Holiday{{Date: date.MustParse("2025-01-27"), Name: "Nghỉ hoán đổi", NameEN: "Swapped day off", Kind: KindExtraDayOff}},
		WorkingDays:  []WorkingDay{{Date: date.MustParse("2025-02-08"), Reason: "Làm bù"}},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Unmarshal (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("Marshal = %s\nwant %s", out, in)
	}
}

// TestAddWorkdaysProperties: for random dates and counts, with and without
// schedules, AddWorkdays lands on a working day and WorkdaysBetween counts
// back the same number; WorkdaysBetween agrees with counting IsWorkday day by
// day.
func TestAddWorkdaysProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cals := map[string]*Calendar{"defaults": NewCalendar(), "scheduled": NewCalendar(schedule2025)}
	start := date.MustParse("1995-01-01")
	for name, c := range cals {
		for range 3000 {
			from := start.AddDays(rng.IntN(40 * 365))
			if name == "scheduled" {
				from = date.MustParse("2024-10-01").AddDays(rng.IntN(500))
			}
			n := rng.IntN(601) - 300
			to := c.AddWorkdays(from, n)
			if n != 0 && !c.IsWorkday(to) {
				t.Fatalf("%s: AddWorkdays(%s, %d) = %s, not a working day", name, from, n, to)
			}
			// Backwards, the count is -(working days in (to, from]):
			// it includes from and not to, so it gives n back only
			// when from is a working day.
			if got := c.WorkdaysBetween(from, to); (n >= 0 || c.IsWorkday(from)) && got != n {
				t.Fatalf("%s: WorkdaysBetween(%s, AddWorkdays(…, %d) = %s) = %d", name, from, n, to, got)
			}
			if got, back := c.WorkdaysBetween(from, to), c.WorkdaysBetween(to, from); got != -back {
				t.Fatalf("%s: WorkdaysBetween(%s, %s) = %d but the other way %d", name, from, to, got, back)
			}
			if n > 0 && !to.After(from) || n < 0 && !to.Before(from) {
				t.Fatalf("%s: AddWorkdays(%s, %d) = %s goes the wrong way", name, from, n, to)
			}
		}
		for range 300 {
			from := start.AddDays(rng.IntN(40 * 365))
			to := from.AddDays(rng.IntN(1500) - 750)
			want := 0
			for d := from; d.Before(to); {
				d = d.AddDays(1)
				if c.IsWorkday(d) {
					want++
				}
			}
			for d := to; d.Before(from); {
				d = d.AddDays(1)
				if c.IsWorkday(d) {
					want--
				}
			}
			if got := c.WorkdaysBetween(from, to); got != want {
				t.Fatalf("%s: WorkdaysBetween(%s, %s) = %d, want %d", name, from, to, got, want)
			}
		}
	}
}

func TestCalendarConcurrent(t *testing.T) {
	c := NewCalendar(schedule2025)
	want := NewCalendar(schedule2025).Holidays(2025)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for y := 2020; y <= 2030; y++ {
				c.AddWorkdays(date.Date{Year: y, Month: time.Month(1 + i), Day: 10}, 60)
			}
			if diff := cmp.Diff(want, c.Holidays(2025)); diff != "" {
				t.Errorf("Holidays(2025) (-want +got):\n%s", diff)
			}
		})
	}
	wg.Wait()
	// Holidays returns a copy.
	hs := c.Holidays(2025)
	hs[0].Name = "changed"
	if c.Holidays(2025)[0].Name == "changed" {
		t.Error("Holidays returned the cached slice")
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := NewCalendar(schedule2025)
	from := date.MustParse("2025-11-20")
	c.AddWorkdays(from, 60) // warm the cache
	for b.Loop() {
		c.AddWorkdays(from, 60)
	}
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	c := NewCalendar()
	from, to := date.MustParse("2025-11-20"), date.MustParse("2026-03-01")
	c.WorkdaysBetween(from, to)
	for b.Loop() {
		c.WorkdaysBetween(from, to)
	}
}

func TestInRange(t *testing.T) {
	for s, want := range map[string]bool{"0001-01-01": false, "1899-12-31": false, "1900-01-01": true, "2026-02-17": true, "2100-12-31": true, "2101-01-01": false, "9999-12-31": false} {
		if got := InRange(date.MustParse(s)); got != want {
			t.Errorf("InRange(%s) = %v, want %v", s, got, want)
		}
	}
}
