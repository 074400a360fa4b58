package auth

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
)

func TestLimiter(t *testing.T) {
	l := NewLimiter()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if err := l.Check(ctx, "an", "10.0.0.1", t0); err != nil {
			t.Fatalf("attempt %d refused: %v", i+1, err)
		}
		l.Fail(ctx, "an", "10.0.0.1", t0)
	}
	err := l.Check(ctx, "an", "10.0.0.2", t0.Add(time.Minute))
	if !apperr.Is(err, apperr.RateLimited) {
		t.Fatalf("sixth attempt from another address: got %v, want rate limited", err)
	}
	if e, _ := apperr.As(err); e.Extra["retry_after"] != 14*60 {
		t.Errorf("retry_after = %v, want %d", e.Extra["retry_after"], 14*60)
	}
	if err := l.Check(ctx, "binh", "10.0.0.1", t0.Add(time.Minute)); err != nil {
		t.Errorf("another account from the same address is refused after 5 failures: %v", err)
	}
	if err := l.Check(ctx, "an", "10.0.0.1", t0.Add(15*time.Minute)); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// Many accounts from one address trip the address limit.
	for i := 0; i < 20; i++ {
		l.Fail(ctx, string(rune('a'+i))+"x", "10.9.9.9", t0)
	}
	if err := l.Check(ctx, "fresh", "10.9.9.9", t0); !apperr.Is(err, apperr.RateLimited) {
		t.Errorf("address over its limit: got %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("một mật khẩu dài")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pw   string
		want bool
	}{{"một mật khẩu dài", true}, {"mot mat khau dai", false}, {"", false}}
	for _, tt := range tests {
		if got := CheckPassword(h, tt.pw); got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
	if CheckPassword("garbage", "x") {
		t.Error("a malformed hash matched")
	}
}

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw, user string
		ok       bool
	}{{"short", "u", false}, {"1234567890", "u", false}, {"nguyenvanan", "nguyenvanan", false}, {"sông Hồng mùa thu", "u", true}}
	for _, tt := range tests {
		if got := CheckPasswordPolicy(tt.pw, tt.user) == ""; got != tt.ok {
			t.Errorf("policy(%q) ok = %v, want %v", tt.pw, got, tt.ok)
		}
	}
}
