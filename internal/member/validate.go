package member

import (
	"time"

	"net/mail"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Normalize cleans the text fields of a record in place: NFC, trimmed
// spaces, digits only in numbers, phone numbers in the 0xxxxxxxxx form.
func Normalize(m *Member) {
	m.FullName = viet.Clean(m.FullName)
	m.Position = viet.Clean(m.Position)
	m.CardNo = digitsOnly(m.CardNo)
	m.CitizenID = digitsOnly(m.CitizenID)
	m.BiographyNo = strings.ToUpper(strings.ReplaceAll(viet.Clean(m.BiographyNo), " ", ""))
	m.Phone = NormalizePhone(m.Phone)
	m.Email = strings.ToLower(strings.TrimSpace(m.Email))
	m.Gender = Gender(strings.ToLower(strings.TrimSpace(string(m.Gender))))
	m.NameFolded = viet.Fold(m.FullName)
	m.SortKey = viet.NameSortKey(m.FullName)
}

// digitsOnly drops spaces, dots and dashes that people type inside numbers;
// any other character is kept so that validation can reject it.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// NormalizePhone turns +84 912 345 678, 84912345678 and 0912.345.678 into
// 0912345678. It leaves anything else for Validate to reject.
func NormalizePhone(p string) string {
	p = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '(', ')', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(p))
	switch {
	case strings.HasPrefix(p, "+84"):
		p = "0" + p[3:]
	case strings.HasPrefix(p, "84") && len(p) == 11:
		p = "0" + p[2:]
	}
	return p
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Validate checks a normalised record against the rules of DOMAIN.md and
// returns every problem found, one per field.
func Validate(m *Member, today date.Date) []apperr.FieldError {
	var errs []apperr.FieldError
	add := func(f apperr.FieldError) { errs = append(errs, f) }
	errs = append(errs, checkLines(m)...)
	if m.FullName == "" {
		add(apperr.FieldKeyed("full_name", "common.required", "required"))
	} else if len([]rune(m.FullName)) > 100 {
		add(apperr.FieldKeyed("full_name", "member.most_100_characters", "at most 100 characters"))
	}
	if m.Gender != Male && m.Gender != Female {
		add(apperr.FieldKeyed("gender", "member.must_male_female_nam", "must be male or female (Nam/Nữ)"))
	}
	if m.CardNo != "" && (len(m.CardNo) != 8 || !allDigits(m.CardNo)) {
		add(apperr.FieldKeyed("card_no", "member.party_card_number_exactly", "a party card number has exactly 8 digits"))
	}
	if m.CitizenID != "" && (len(m.CitizenID) != 12 || !allDigits(m.CitizenID)) {
		add(apperr.FieldKeyed("citizen_id", "member.citizen_id_exactly_12", "a citizen ID has exactly 12 digits"))
	}
	if m.BiographyNo != "" && !validBiographyNo(m.BiographyNo) {
		add(apperr.FieldKeyed("biography_no", "member.biography_number_6_digits", "a biography number is 6 digits and a 1–3 letter province code"))
	}
	if m.Phone != "" && !validPhone(m.Phone) {
		add(apperr.FieldKeyed("phone", "member.not_vietnamese_phone_number", "not a Vietnamese phone number (10 digits like 0912345678, or 11 for a landline)"))
	}
	if m.Email != "" {
		if a, err := mail.ParseAddress(m.Email); err != nil || a.Address != m.Email || !dottedDomain(m.Email) {
			add(apperr.FieldKeyed("email", "member.not_email_address", "not an e-mail address"))
		}
	}
	errs = append(errs, validateDates(m, today)...)
	if m.Status == "" {
		m.Status = StatusProbationary
		if !m.FullOn.IsZero() {
			m.Status = StatusFull
		}
	}
	if !m.Status.Valid() {
		add(apperr.FieldKeyed("status", "member.unknown_status", "unknown status"))
	}
	if m.Status == StatusFull && m.FullOn.IsZero() {
		add(apperr.FieldKeyed("full_on", "member.required_full_member", "required for a full member"))
	}
	if m.Status == StatusProbationary && !m.FullOn.IsZero() {
		add(apperr.FieldKeyed("full_on", "member.probationary_member_no_full", "a probationary member has no full-membership date"))
	}
	return errs
}

// Bounds of the dates of a record (DOMAIN.md: members are adults, the
// Party was founded in 1930, probation lasts 12 months).
const (
	// MinBirthYear is the earliest plausible year of birth.
	MinBirthYear = 1900
	// AdultAge is the age from which a person may be admitted.
	AdultAge = 18
	// FoundingYear is the year the Party was founded: no one was admitted before it.
	FoundingYear = 1930
)

// MaxBirthDate is the latest birth date of a member on day today: a member
// is an adult.
func MaxBirthDate(today date.Date) date.Date { return today.AddYears(-AdultAge) }

// checkLines refuses control and bidirectional characters in the text
// fields (viet.CheckLine).
func checkLines(m *Member) []apperr.FieldError {
	var errs []apperr.FieldError
	for _, f := range []struct{ field, v string }{{"full_name", m.FullName}, {"position", m.Position}, {"card_no", m.CardNo},
		{"biography_no", m.BiographyNo}, {"citizen_id", m.CitizenID}, {"phone", m.Phone}, {"email", m.Email}, {"gender", string(m.Gender)}} {
		if err := viet.CheckLine(f.v); err != nil {
			errs = append(errs, apperr.FieldFrom(f.field, err))
		}
	}
	return errs
}

func validateDates(m *Member, today date.Date) []apperr.FieldError {
	var errs []apperr.FieldError
	add := func(f apperr.FieldError) { errs = append(errs, f) }
	if m.BirthDate.IsZero() {
		add(apperr.FieldKeyed("birth_date", "common.required", "required"))
	} else if latest := MaxBirthDate(today); m.BirthDate.Year < MinBirthYear || m.BirthDate.After(latest) {
		add(apperr.FieldKeyed("birth_date", "member.must_01_01_member", "must be from %d-01-01 to %s: a member is at least %d years old", MinBirthYear, latest, AdultAge))
	}
	if m.AdmittedOn.IsZero() {
		add(apperr.FieldKeyed("admitted_on", "common.required", "required"))
	} else {
		if m.AdmittedOn.After(today) {
			add(apperr.FieldKeyed("admitted_on", "member.future", "in the future"))
		} else if m.AdmittedOn.Year < FoundingYear {
			add(apperr.FieldKeyed("admitted_on", "member.before_party_was_founded", "before the Party was founded (1930)"))
		} else if !m.BirthDate.IsZero() && m.BirthDate.YearsAt(m.AdmittedOn) < AdultAge {
			add(apperr.FieldKeyed("admitted_on", "member.member_admitted_18_older", "a member is admitted at 18 or older"))
		}
	}
	if !m.FullOn.IsZero() {
		switch {
		case m.FullOn.After(today):
			add(apperr.FieldKeyed("full_on", "member.future", "in the future"))
		case !m.AdmittedOn.IsZero() && !m.FullOn.After(m.AdmittedOn):
			add(apperr.FieldKeyed("full_on", "member.must_after_admission_date", "must be after the admission date"))
		case !m.AdmittedOn.IsZero() && m.FullOn.Before(ProbationEnds(m.AdmittedOn)):
			add(apperr.FieldKeyed("full_on", "member.probation_ends", "the 12 months of probation end on %s", ProbationEnds(m.AdmittedOn)))
		}
	}
	return errs
}

// TransferAheadYears is how far ahead of today a transfer may be dated.
const TransferAheadYears = 1

// checkEffectiveOn bounds the date of a lifecycle change: not before the
// member was admitted (nor born), not after latest.
func checkEffectiveOn(m *Member, on, latest date.Date) *apperr.Error {
	bad := func(f apperr.FieldError) *apperr.Error {
		return apperr.Keyed(apperr.Invalid, "member.effective_out_range", "effective_on is out of range").With(f)
	}
	switch {
	case on.IsZero():
		return apperr.Keyed(apperr.Invalid, "member.effective_required", "effective_on is required").With(apperr.FieldKeyed("effective_on", "common.required", "required"))
	case !m.AdmittedOn.IsZero() && on.Before(m.AdmittedOn):
		return bad(apperr.FieldKeyed("effective_on", "member.effective_before_admission", "must not be before the member's admission on %s", m.AdmittedOn))
	case !m.BirthDate.IsZero() && on.Before(m.BirthDate):
		return bad(apperr.FieldKeyed("effective_on", "member.effective_before_birth", "must not be before the member's birth on %s", m.BirthDate))
	case on.Year < FoundingYear:
		return bad(apperr.FieldKeyed("effective_on", "member.effective_before_1930", "must not be before %d", FoundingYear))
	case on.After(latest):
		return bad(apperr.FieldKeyed("effective_on", "member.effective_after", "must not be after %s", latest))
	}
	return nil
}

// CheckAsOf bounds the day of a list "as of" a past day: from 1930 (there
// were no members before) to a year ahead (a later day answers as today).
func CheckAsOf(asOf, today date.Date) error {
	if asOf.IsZero() {
		return nil
	}
	if latest := today.AddYears(1); asOf.Year < FoundingYear || asOf.After(latest) {
		return apperr.Keyed(apperr.Invalid, "member.out_range", "as_of is out of range").With(apperr.FieldKeyed("as_of", "common.year_from_founding", "must be from %d-01-01 to %s", FoundingYear, latest))
	}
	return nil
}

func validBiographyNo(s string) bool {
	if len(s) < 7 || len(s) > 9 {
		return false
	}
	digits, letters := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case (c >= 'A' && c <= 'Z') || c == 'Đ':
			letters++
		default:
			return false
		}
	}
	return digits == 6 && letters >= 1 && letters <= 3
}

func validPhone(p string) bool {
	if !allDigits(p) || p[0] != '0' {
		return false
	}
	switch len(p) {
	case 10:
		return strings.ContainsRune("35789", rune(p[1])) || p[1] == '2'
	case 11:
		return p[1] == '2'
	}
	return false
}

func timeMonth(m int) time.Month { return time.Month(m) }

// dottedDomain reports whether an address's domain has a dot between two
// labels ("ubnd.phuxuyen.gov.vn", not "an@localhost"): mail to a member
// leaves this server, so a bare host name is a typing mistake.
func dottedDomain(addr string) bool {
	_, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return false
	}
	i := strings.LastIndex(domain, ".")
	return i > 0 && i < len(domain)-1 && !strings.HasPrefix(domain, ".") && !strings.Contains(domain, "..")
}
