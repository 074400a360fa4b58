package meeting

import (
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// TestIsNextAcrossMidnight: the member's handbook finds a meeting in
// progress after Vietnam's midnight (17:00 UTC), and not one that ended.
func TestIsNextAcrossMidnight(t *testing.T) {
	vn := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, date.Vietnam)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	at := func(s string) *time.Time { tm := vn(s); return &tm }
	now := vn("2026-12-07 00:30") // 2026-12-06 17:30 UTC
	for _, tc := range []struct {
		name string
		m    Meeting
		want bool
	}{
		{"began 90 minutes ago, before midnight", Meeting{State: Open, StartsAt: vn("2026-12-06 23:00")}, true},
		{"began before midnight, ends at 1:00", Meeting{State: Open, StartsAt: vn("2026-12-06 22:00"), EndsAt: at("2026-12-07 01:00")}, true},
		{"began before midnight, ended at 0:15", Meeting{State: Open, StartsAt: vn("2026-12-06 22:00"), EndsAt: at("2026-12-07 00:15")}, false},
		{"yesterday morning, minutes left open", Meeting{State: Open, StartsAt: vn("2026-12-06 08:00")}, false},
		{"later today", Meeting{State: Open, StartsAt: vn("2026-12-07 19:30")}, true},
		{"tomorrow", Meeting{State: Open, StartsAt: vn("2026-12-08 08:00")}, true},
		{"in progress but closed", Meeting{State: Closed, StartsAt: vn("2026-12-06 23:00")}, false},
	} {
		if got := tc.m.IsNext(now); got != tc.want {
			t.Errorf("%s: IsNext %v, want %v", tc.name, got, tc.want)
		}
	}
	if got, want := NextFrom(now.UTC()), date.New(2026, 12, 6); got != want {
		t.Errorf("NextFrom(%s): %s, want %s", now.UTC().Format(time.RFC3339), got, want)
	}
}
