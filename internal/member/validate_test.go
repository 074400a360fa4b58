package member

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/date"
	"golang.org/x/text/unicode/norm"
)

var today = date.MustParse("2026-11-20")

func valid() Member {
	return Member{UnitID: 1, FullName: "Nguyễn Văn An", Gender: Male, BirthDate: date.MustParse("1980-05-01"), CardNo: "01234567",
		CitizenID: "001080012345", Phone: "0912345678", AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01")}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Member)
		want   []string // the fields in error
	}{
		{"valid full member", func(m *Member) {}, nil},
		{"valid probationary", func(m *Member) { m.FullOn = date.Date{} }, nil},
		{"no name", func(m *Member) { m.FullName = "" }, []string{"full_name"}},
		{"bad gender", func(m *Member) { m.Gender = "x" }, []string{"gender"}},
		{"card 7 digits", func(m *Member) { m.CardNo = "1234567" }, []string{"card_no"}},
		{"card with a letter", func(m *Member) { m.CardNo = "1234567a" }, []string{"card_no"}},
		{"citizen 11 digits", func(m *Member) { m.CitizenID = "00108001234" }, []string{"citizen_id"}},
		{"phone too short", func(m *Member) { m.Phone = "091234567" }, []string{"phone"}},
		{"landline", func(m *Member) { m.Phone = "02433334444" }, nil},
		{"phone not Vietnamese", func(m *Member) { m.Phone = "0112345678" }, []string{"phone"}},
		{"admitted at 17", func(m *Member) { m.AdmittedOn = date.MustParse("1998-04-30"); m.FullOn = date.MustParse("1999-04-30") }, []string{"admitted_on"}},
		{"admitted on 18th birthday", func(m *Member) { m.AdmittedOn = date.MustParse("1998-05-01"); m.FullOn = date.MustParse("1999-05-01") }, nil},
		{"full before admitted", func(m *Member) { m.FullOn = date.MustParse("2004-01-01") }, []string{"full_on"}},
		{"admitted in the future", func(m *Member) { m.AdmittedOn = date.MustParse("2027-01-01"); m.FullOn = date.Date{} }, []string{"admitted_on"}},
		{"born in 1850", func(m *Member) { m.BirthDate = date.MustParse("1850-01-01") }, []string{"birth_date"}},
		{"born in year 1", func(m *Member) { m.BirthDate = date.MustParse("0001-01-01") }, []string{"birth_date"}},
		{"born in 9999", func(m *Member) { m.BirthDate = date.MustParse("9999-12-31") }, []string{"birth_date", "admitted_on"}},
		{"born 1899-12-31", func(m *Member) { m.BirthDate = date.MustParse("1899-12-31") }, []string{"birth_date"}},
		{"born 1900-01-01", func(m *Member) { m.BirthDate = date.MustParse("1900-01-01") }, nil},
		{"18 today, admitted today", func(m *Member) {
			m.BirthDate, m.AdmittedOn, m.FullOn = date.MustParse("2008-11-20"), today, date.Date{}
		}, nil},
		{"18 tomorrow", func(m *Member) {
			m.BirthDate, m.AdmittedOn, m.FullOn = date.MustParse("2008-11-21"), today, date.Date{}
		}, []string{"birth_date", "admitted_on"}},
		{"a child", func(m *Member) {
			m.BirthDate, m.AdmittedOn, m.FullOn = date.MustParse("2020-01-01"), today, date.Date{}
		}, []string{"birth_date", "admitted_on"}},
		{"admitted 1929-12-31", func(m *Member) {
			m.BirthDate, m.AdmittedOn, m.FullOn = date.MustParse("1900-01-01"), date.MustParse("1929-12-31"), date.MustParse("1931-01-01")
		}, []string{"admitted_on"}},
		{"admitted 1930-01-01", func(m *Member) {
			m.BirthDate, m.AdmittedOn, m.FullOn = date.MustParse("1900-01-01"), date.MustParse("1930-01-01"), date.MustParse("1931-01-01")
		}, nil},
		{"admitted in year 1", func(m *Member) { m.AdmittedOn = date.MustParse("0001-01-01") }, []string{"admitted_on"}},
		{"admitted in 9999", func(m *Member) { m.AdmittedOn = date.MustParse("9999-01-01") }, []string{"admitted_on", "full_on"}},
		{"full on the day probation ends", func(m *Member) { m.FullOn = date.MustParse("2006-03-01") }, nil},
		{"full a day before probation ends", func(m *Member) { m.FullOn = date.MustParse("2006-02-28") }, []string{"full_on"}},
		{"full the day after admission", func(m *Member) { m.FullOn = date.MustParse("2005-03-02") }, []string{"full_on"}},
		{"full today", func(m *Member) { m.FullOn = today }, nil},
		{"full tomorrow", func(m *Member) { m.FullOn = today.AddDays(1) }, []string{"full_on"}},
		{"full in 9999", func(m *Member) { m.FullOn = date.MustParse("9999-12-31") }, []string{"full_on"}},
		{"bad email", func(m *Member) { m.Email = "an@" }, []string{"email"}},
		{"email without a dotted domain", func(m *Member) { m.Email = "an@localhost" }, []string{"email"}},
		{"email with an empty label", func(m *Member) { m.Email = "an@gmail..com" }, []string{"email"}},
		{"email with a trailing dot", func(m *Member) { m.Email = "an@gmail." }, []string{"email"}},
		{"biography number", func(m *Member) { m.BiographyNo = "012345HN" }, nil},
		{"biography number without code", func(m *Member) { m.BiographyNo = "012345" }, []string{"biography_no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(&m)
			Normalize(&m)
			var got []string
			for _, e := range Validate(&m, today) {
				got = append(got, e.Field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields in error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	m := Member{FullName: norm.NFD.String("  Trần   Thị  Hường "), Phone: "+84 912.345.678", CardNo: " 0123 4567 ", Email: " An@Example.VN ", Gender: " Female "}
	Normalize(&m)
	got := []string{m.FullName, m.Phone, m.CardNo, m.Email, string(m.Gender), m.NameFolded}
	want := []string{"Trần Thị Hường", "0912345678", "01234567", "an@example.vn", "female", "tran thi huong"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalised (-want +got):\n%s", diff)
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		want     bool
	}{
		{StatusProbationary, StatusFull, true},
		{StatusProbationary, StatusExempt, false},
		{StatusFull, StatusExempt, true},
		{StatusExempt, StatusFull, true},
		{StatusFull, StatusProbationary, false},
		{StatusDeceased, StatusFull, false},
		{StatusExpelled, StatusFull, false},
		{StatusFull, StatusExpelled, true},
		{StatusStruckOff, StatusStruckOff, false},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to); got != tt.want {
			t.Errorf("CanTransition(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if got, want := ProbationEnds(date.MustParse("2025-02-28")), date.MustParse("2026-02-28"); got != want {
		t.Errorf("ProbationEnds = %s, want %s", got, want)
	}
}

func TestCheckEffectiveOn(t *testing.T) {
	m := valid() // born 1980-05-01, admitted 2005-03-01
	latest := today.AddYears(TransferAheadYears)
	tests := []struct {
		on   string
		want bool // accepted
	}{
		{"0001-01-01", false},
		{"1979-12-31", false},
		{"2005-02-28", false},
		{"2005-03-01", true},
		{"2026-11-20", true},
		{"2027-11-20", true},
		{"2027-11-21", false},
		{"9999-12-31", false},
	}
	for _, tt := range tests {
		err := checkEffectiveOn(&m, date.MustParse(tt.on), latest)
		if got := err == nil; got != tt.want {
			t.Errorf("checkEffectiveOn(%s) = %v, want accepted %v", tt.on, err, tt.want)
			continue
		}
		if err != nil && (len(err.Fields) != 1 || err.Fields[0].Field != "effective_on") {
			t.Errorf("checkEffectiveOn(%s): fields %v, want effective_on", tt.on, err.Fields)
		}
	}
	// A status change may not be dated later than today.
	if err := checkEffectiveOn(&m, today.AddDays(1), today); err == nil {
		t.Errorf("a status change dated tomorrow: got no error, want one")
	}
	if err := checkEffectiveOn(&m, date.Date{}, today); err == nil {
		t.Errorf("no date: got no error, want one")
	}
}

func TestCheckAsOf(t *testing.T) {
	tests := []struct {
		asOf string
		want bool
	}{
		{"", true},
		{"0001-01-01", false},
		{"1929-12-31", false},
		{"1930-01-01", true},
		{"2026-11-20", true},
		{"2027-11-20", true},
		{"2027-11-21", false},
		{"9999-12-31", false},
	}
	for _, tt := range tests {
		var d date.Date
		if tt.asOf != "" {
			d = date.MustParse(tt.asOf)
		}
		if got := CheckAsOf(d, today) == nil; got != tt.want {
			t.Errorf("CheckAsOf(%q) accepted %v, want %v", tt.asOf, got, tt.want)
		}
	}
}
