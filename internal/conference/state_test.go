package conference

import (
	"testing"
	"time"
)

func TestConferenceState(t *testing.T) {
	// 08:00 on 20 Nov 2026 in Vietnam.
	start := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	end := start.Add(3 * time.Hour)
	cancelled := start.Add(-time.Hour)
	tests := []struct {
		name      string
		ends      *time.Time
		cancelled *time.Time
		now       time.Time
		want      string
	}{
		{"before the start", &end, nil, start.Add(-time.Minute), StateUpcoming},
		{"at the start", &end, nil, start, StateUnderWay},
		{"before the end", &end, nil, end.Add(-time.Second), StateUnderWay},
		{"at the end", &end, nil, end, StateEnded},
		{"cancelled, before the start", &end, &cancelled, start.Add(-time.Minute), StateCancelled},
		{"cancelled, long after", nil, &cancelled, start.Add(72 * time.Hour), StateCancelled},
		// Without an end: under way until the end of the day in Vietnam
		// (17:00 UTC).
		{"no end, evening in Vietnam", nil, nil, time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC), StateUnderWay},
		{"no end, the next day in Vietnam", nil, nil, time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC), StateEnded},
	}
	for _, tt := range tests {
		c := Conference{StartsAt: start, EndsAt: tt.ends, CancelledAt: tt.cancelled}
		c.SetState(tt.now)
		if c.State != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, c.State, tt.want)
		}
	}
}
