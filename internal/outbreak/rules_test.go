package outbreak

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
)

func d(s string) date.Date { return date.MustParse(s) }
func dp(s string) *date.Date {
	x := d(s)
	return &x
}

func TestClosingWindow(t *testing.T) {
	for _, c := range []struct {
		name                    string
		opened                  string
		first, last             *date.Date
		window                  int
		today                   string
		wantSince, wantClosable string
		wantRemaining           int
	}{
		{"dengue, last case 14 days ago: closable today", "2026-09-01", dp("2026-08-30"), dp("2026-09-03"), 14, "2026-09-17", "2026-09-03", "2026-09-17", 0},
		{"dengue, 13 days after the last case", "2026-09-01", nil, dp("2026-09-03"), 14, "2026-09-16", "2026-09-03", "2026-09-17", 1},
		{"on the last case's day", "2026-09-01", nil, dp("2026-09-03"), 14, "2026-09-03", "2026-09-03", "2026-09-17", 14},
		{"no report with cases: from the first case", "2026-09-05", dp("2026-09-02"), nil, 14, "2026-09-10", "2026-09-02", "2026-09-16", 6},
		{"nothing: from the day it opened", "2026-09-05", nil, nil, 14, "2026-09-10", "2026-09-05", "2026-09-19", 9},
		{"measles, 21 days", "2026-01-01", nil, dp("2026-01-10"), 21, "2026-02-15", "2026-01-10", "2026-01-31", 0},
		{"across a month end", "2026-01-20", nil, dp("2026-01-25"), 14, "2026-02-07", "2026-01-25", "2026-02-08", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ClosingState(c.window, ClosingFrom(d(c.opened), c.first, c.last), d(c.today))
			want := Closing{WindowDays: c.window, Since: d(c.wantSince), ClosableOn: d(c.wantClosable), RemainingDays: c.wantRemaining}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("closing (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	at := func(s string) *time.Time {
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &x
	}
	for _, c := range []struct {
		name    string
		command bool
		forces  int
		means   *time.Time
		opened  string
		today   string
		want    []string
	}{
		{"complete, means today", true, 2, at("2026-09-10T02:00:00Z"), "2026-09-01", "2026-09-10", []string{}},
		{"means two days old", true, 1, at("2026-09-08T02:00:00Z"), "2026-09-01", "2026-09-10", []string{}},
		{"means three days old", true, 1, at("2026-09-07T02:00:00Z"), "2026-09-01", "2026-09-10", []string{GapMeansStale}},
		{"means updated after midnight in Vietnam count for that day (UTC still the day before)", true, 1, at("2026-09-07T17:30:00Z"), "2026-09-01", "2026-09-10", []string{}},
		{"never set, opened yesterday", true, 1, nil, "2026-09-09", "2026-09-10", []string{}},
		{"never set, opened three days ago", true, 1, nil, "2026-09-07", "2026-09-10", []string{GapMeansStale}},
		{"no commander", false, 3, at("2026-09-10T02:00:00Z"), "2026-09-01", "2026-09-10", []string{GapNoCommand}},
		{"nothing at all", false, 0, nil, "2026-09-01", "2026-09-10", []string{GapNoCommand, GapNoForces, GapMeansStale}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Gaps(c.command, c.forces, c.means, d(c.opened), d(c.today))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("gaps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFundingState(t *testing.T) {
	for _, c := range []struct {
		name      string
		state     task.State
		due       string
		done      *date.Date
		today     string
		wantState string
		wantLate  bool
	}{
		{"requested, before the due day", task.StateAssigned, "2026-09-11", nil, "2026-09-10", FundRequested, false},
		{"requested, on the due day", task.StateAssigned, "2026-09-11", nil, "2026-09-11", FundRequested, false},
		{"requested, past the due day", task.StateAssigned, "2026-09-11", nil, "2026-09-14", FundRequested, true},
		{"approved, past the due day", task.StateInProgress, "2026-09-11", nil, "2026-09-12", FundApproved, true},
		{"suspended counts as approved", task.StateSuspended, "2026-09-11", nil, "2026-09-10", FundApproved, false},
		{"disbursed on time", task.StateDone, "2026-09-11", dp("2026-09-11"), "2026-09-20", FundDisbursed, false},
		{"disbursed late", task.StateDone, "2026-09-11", dp("2026-09-15"), "2026-09-20", FundDisbursed, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, late := FundingState(c.state, d(c.due), c.done, d(c.today))
			if st != c.wantState || late != c.wantLate {
				t.Errorf("got %s late=%v, want %s late=%v", st, late, c.wantState, c.wantLate)
			}
		})
	}
}

func TestTrend(t *testing.T) {
	for _, c := range []struct {
		last, prev int
		want       string
	}{{5, 2, "up"}, {2, 5, "down"}, {3, 3, "flat"}, {0, 0, "flat"}} {
		if got := Trend(c.last, c.prev); got != c.want {
			t.Errorf("Trend(%d, %d) = %s, want %s", c.last, c.prev, got, c.want)
		}
	}
}

func TestPatientKey(t *testing.T) {
	for key, want := range map[string]bool{
		"name": true, "full_name": true, "ho_ten": true, "hoTen": true, "Họ tên": true, "patient": true, "patients": true, "patient_id": true,
		"cccd": true, "cmnd": true, "id_number": true, "citizen_id": true, "phone": true, "so_dien_thoai": true, "sdt": true, "address": true,
		"dia_chi": true, "birth_date": true, "ngay_sinh": true, "dob": true, "age": true, "tuoi": true, "gender": true, "benh_nhan": true, "tên": true,
		"on": false, "new_cases": false, "recovered": false, "actions": false, "note": false, "place": false, "count": false, "content": false,
		"item": false, "quantity": false, "role": false, "amount": false, "purpose": false, "unit_id": false, "member_id": false, "means": false,
	} {
		if got := PatientKey(key); got != want {
			t.Errorf("PatientKey(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestPersonalNumber(t *testing.T) {
	for text, want := range map[string]string{
		"Phun hóa chất 120 hộ":        "",
		"Kinh phí 1.500.000 đồng":     "",
		"Kinh phí 100.000.000 đồng":   "",
		"Gọi 0912345678":              "0912345678",
		"Gọi 0912 345 678 khi cần":    "0912 345 678",
		"Gọi +84 912 345 678":         "+84 912 345 678",
		"CCCD 001099012345":           "001099012345",
		"CMND 012345678":              "012345678",
		"Ngày 12/9 phun 3 lần, 45 hộ": "",
		"Năm 2026 tổ 3":               "",
		"Số nhà 12, ngõ 34":           "",
		"Mã ổ dịch 2026-09-07":        "",
	} {
		if got := PersonalNumber(text); got != want {
			t.Errorf("PersonalNumber(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestScreenPatientKeys(t *testing.T) {
	for _, c := range []struct {
		body, field string
	}{
		{`{"on":"2026-09-07","new_cases":1}`, ""},
		{`{"on":"2026-09-07","ho_ten":"A"}`, "ho_ten"},
		{`{"command":{"member_id":1,"phone":"0912"}}`, ""},
		{`{"forces":[{"member_id":1,"role":"x"},{"unit_id":2,"patient_name":"A"}]}`, "forces[1].patient_name"},
	} {
		err := ScreenPatientKeys([]byte(c.body), OnSiteKeys)
		if c.body[2] == 'o' {
			err = ScreenPatientKeys([]byte(c.body), ReportKeys)
		}
		got := ""
		if err != nil {
			got = fieldOf(err)
		}
		if got != c.field {
			t.Errorf("%s: refused field %q, want %q", c.body, got, c.field)
		}
	}
}
