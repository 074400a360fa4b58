package web

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestFreshWriteCookie(t *testing.T) {
	now := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	good := primaryValue("token-a", now.Add(5*time.Second))
	for _, tc := range []struct {
		name, value, token string
		want               bool
	}{
		{"this session, unexpired", good, "token-a", true},
		{"another session's cookie", good, "token-b", false},
		{"expired", primaryValue("token-a", now), "token-a", false},
		{"expiry pushed later", "9999999999999" + good[len("1796526005000"):], "token-a", false},
		{"no mac", "1796526005000", "token-a", false},
		{"garbage", "x.y", "token-a", false},
	} {
		r := httptest.NewRequest("GET", "/api/v1/units/1/stats", nil)
		r.Header.Set("Cookie", PrimaryCookie+"="+tc.value)
		if got := freshWrite(r, tc.token, now); got != tc.want {
			t.Errorf("%s: freshWrite = %v, want %v", tc.name, got, tc.want)
		}
	}
}
