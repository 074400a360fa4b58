package outbreak

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// days is the number of days from a to b (negative when b is before a).
func days(a, b date.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// ClosingFrom is the day the closing window runs from: the last day with
// new cases, else the first case's onset, else the day the focus opened.
func ClosingFrom(openedOn date.Date, firstCaseOn, lastCaseOn *date.Date) date.Date {
	switch {
	case lastCaseOn != nil && !lastCaseOn.IsZero():
		return *lastCaseOn
	case firstCaseOn != nil && !firstCaseOn.IsZero():
		return *firstCaseOn
	}
	return openedOn
}

// ClosingState says when a focus may close: window days without a new
// case after since (dengue: 14 days after the last case's onset). The
// focus may close on since+window; before, RemainingDays counts down.
func ClosingState(window int, since, today date.Date) Closing {
	c := Closing{WindowDays: window, Since: since, ClosableOn: since.AddDays(window)}
	if r := window - days(since, today); r > 0 {
		c.RemainingDays = r
	}
	return c
}

// Gap codes.
const (
	GapNoCommand  = "no_command"
	GapNoForces   = "no_forces"
	GapMeansStale = "means_stale"
)

// Gaps lists what the four on-site of an active focus lack on a day: a
// commander, forces, and means updated within StaleMeansDays (a focus
// whose means were never set counts from the day it opened).
func Gaps(hasCommand bool, forces int, meansUpdated *time.Time, openedOn, today date.Date) []string {
	gaps := []string{}
	if !hasCommand {
		gaps = append(gaps, GapNoCommand)
	}
	if forces == 0 {
		gaps = append(gaps, GapNoForces)
	}
	since := openedOn
	if meansUpdated != nil {
		since = date.Today(*meansUpdated)
	}
	if days(since, today) >= StaleMeansDays {
		gaps = append(gaps, GapMeansStale)
	}
	return gaps
}

// FundingState reads a funding request's state from its task: requested
// until the funding unit accepts it (approval), approved while in progress
// or suspended, disbursed when done. It is late when disbursed after the
// task's due date, or not disbursed and the due date has passed.
func FundingState(s task.State, dueOn date.Date, doneOn *date.Date, today date.Date) (string, bool) {
	switch s {
	case task.StateDone:
		return FundDisbursed, doneOn != nil && doneOn.After(dueOn)
	case task.StateAssigned:
		return FundRequested, today.After(dueOn)
	}
	return FundApproved, today.After(dueOn)
}

// Trend compares the cases of the last 7 days with the 7 before.
func Trend(last7, prev7 int) string {
	switch {
	case last7 > prev7:
		return "up"
	case last7 < prev7:
		return "down"
	}
	return "flat"
}

// patientWords are the key fragments of patient data (folded, without
// separators): names, identity numbers, contacts, birth, health records.
var patientWords = []string{"name", "patient", "hoten", "ten", "cccd", "cmnd", "citizen", "idnumber", "identity", "passport",
	"phone", "sdt", "sodienthoai", "dienthoai", "mobile", "email", "address", "diachi", "birth", "dob", "ngaysinh", "namsinh",
	"age", "tuoi", "gender", "gioitinh", "benhnhan", "nguoibenh", "diagnosis", "chandoan", "record", "hoso", "insurance", "bhyt"}

// PatientKey reports whether a JSON key looks like patient data.
func PatientKey(key string) bool {
	k := strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(viet.Fold(key))
	if k == "" {
		return false
	}
	for _, w := range patientWords {
		if w == "ten" || w == "age" || w == "dob" || w == "sdt" {
			if k == w || strings.HasPrefix(k, w) && len(k) <= len(w)+2 {
				return true
			}
			continue
		}
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// ScreenPatientKeys walks a JSON body and refuses a key that is not one
// of allowed and looks like patient data (PatientKey), naming where it is
// (the zone's GeoJSON is not screened):
// the daily figures are counts, never a patient's record.
func ScreenPatientKeys(body []byte, allowed map[string]bool) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // the strict decoder explains
	}
	if field := patientField(v, "", allowed); field != "" {
		return apperr.Keyed(apperr.Invalid, "outbreak.patient_data", "patient data is not accepted: the figures are counts only (%s)", field).
			With(apperr.FieldKeyed(field, "outbreak.patient_field", "no patient's name, identity, contact or record is recorded"))
	}
	return nil
}

func patientField(v any, at string, allowed map[string]bool) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			name := k
			if at != "" {
				name = at + "." + k
			}
			if !allowed[k] && PatientKey(k) {
				return name
			}
			if at == "" && k == "zone" {
				continue // GeoJSON: a feature's properties name places, not people
			}
			if f := patientField(e, name, allowed); f != "" {
				return f
			}
		}
	case []any:
		for i, e := range x {
			if f := patientField(e, at+"["+strconv.Itoa(i)+"]", allowed); f != "" {
				return f
			}
		}
	}
	return ""
}

var (
	numberRun = regexp.MustCompile(`\+?\d[\d .\-]*\d`)
	thousands = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)
)

// PersonalNumber finds in a text what looks like a citizen id (9 or 12
// digits) or a phone number (10 or 11 digits from 0, or +84/84 and 9
// digits), and returns it ("" when none). Amounts written with thousands
// dots (1.500.000) are not numbers of a person.
func PersonalNumber(s string) string {
	for _, run := range numberRun.FindAllString(s, -1) {
		for _, part := range splitRun(run) {
			if thousands.MatchString(part) {
				continue
			}
			d := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, part)
			switch n := len(d); {
			case n == 9 || n == 12:
				return strings.TrimSpace(part)
			case (n == 10 || n == 11) && (d[0] == '0' || strings.HasPrefix(d, "84")):
				return strings.TrimSpace(part)
			}
		}
	}
	return ""
}

// splitRun splits a run of digits at double spaces (two numbers side by
// side are not one).
func splitRun(run string) []string {
	return strings.Split(run, "  ")
}

// checkPersonalText refuses a free text holding a person's number.
func checkPersonalText(field, v string) *apperr.FieldError {
	if n := PersonalNumber(v); n != "" {
		f := apperr.FieldKeyed(field, "outbreak.personal_number", "%s looks like a citizen id or a phone number: write no person's numbers here", n)
		return &f
	}
	return nil
}
