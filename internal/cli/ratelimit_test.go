package cli

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAPISignInRateLimited(t *testing.T) {
	m := parallelDemo(t)
	try := func(password string) *http.Response {
		resp, err := http.Post("http://"+m.Addr+"/api/v1/session", "application/json",
			strings.NewReader(`{"username":"btv","password":"`+password+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := 0; i < 5; i++ {
		if got := try("wrong password").StatusCode; got != 401 {
			t.Fatalf("attempt %d: got %d, want 401", i+1, got)
		}
	}
	resp := try(demoPassword())
	if resp.StatusCode != 429 {
		t.Fatalf("after 5 failures even the right password: got %d, want 429", resp.StatusCode)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s <= 0 {
		t.Errorf("Retry-After = %q, want a positive number of seconds", resp.Header.Get("Retry-After"))
	}
}

// TestSignInBurst sends many wrong sign-ins at once: they queue for the
// bounded password hashing, and the limiter refuses those that queued
// after the account reached its limit, so memory and CPU stay bounded.
func TestSignInBurst(t *testing.T) {
	m := startDemo(t)
	const n = 40
	codes := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() {
			resp, err := http.Post("http://"+m.Addr+"/api/v1/session", "application/json", strings.NewReader(`{"username":"btv","password":"wrong password"}`))
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	got := map[int]int{}
	for i := 0; i < n; i++ {
		got[<-codes]++
	}
	if got[401] > 5+8 || got[429] < n-5-8 || got[401]+got[429] != n {
		t.Errorf("answers to %d concurrent wrong sign-ins: %v; want at most a few 401 and the rest 429", n, got)
	}
}
