package cli

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAPISignInRateLimited(t *testing.T) {
	m := startDemo(t)
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
