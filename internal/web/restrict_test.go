package web

import (
	"net/http/httptest"
	"testing"
)

func TestRestrictedAllows(t *testing.T) {
	tests := []struct {
		method, path string
		want         bool
	}{
		{"POST", "/api/v1/accounts/me/totp", true},
		{"POST", "/api/v1/accounts/me/totp/confirm", true},
		{"GET", "/api/v1/accounts/me", true},
		{"DELETE", "/api/v1/session", true},
		{"GET", "/tai-khoan", true},
		{"HEAD", "/tai-khoan", true},
		{"GET", "/tai-khoan/xac-thuc/ma-qr", true},
		{"POST", "/dang-xuat", true},
		{"GET", "/api/v1/accounts/me/sessions", false},
		{"POST", "/api/v1/accounts/me/password", false},
		{"GET", "/api/v1/units", false},
		{"POST", "/api/v1/accounts", false},
		{"GET", "/api/v1/accounts/me/totp", false},
		{"GET", "/", false},
		{"GET", "/don-vi", false},
		{"POST", "/tai-khoan/mat-khau", false},
	}
	for _, tt := range tests {
		if got := restrictedAllows(httptest.NewRequest(tt.method, tt.path, nil)); got != tt.want {
			t.Errorf("%s %s: got %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}
