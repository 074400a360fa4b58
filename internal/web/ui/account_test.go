package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
)

// TestAccountPageRenders renders the account page in both languages in
// each of its states, as TestPagesRender does for the other pages.
func TestAccountPageRenders(t *testing.T) {
	untranslated := regexp.MustCompile(`\b(account|signin)\.[a-z]`)
	enr := &auth.TOTPEnrolment{Secret: "JBSWY3DPEHPK3PXP", RecoveryCodes: []string{"abcde-fghij", "klmno-pqrst"}}
	sessions := []sessionRow{{ID: "0123456789abcdef", Agent: "Firefox", Address: "10.0.0.1", Created: "01/11/2026 09:00", LastSeen: "01/11/2026 10:00", Current: true},
		{ID: "fedcba9876543210"}}
	tests := []struct {
		name       string
		restricted bool
		page       *accountPage
		want, not  []string
	}{
		{"enrolment started", false, &accountPage{Enrolment: enr, Sessions: sessions},
			[]string{"abcde-fghij", "JBSWY3DPEHPK3PXP", `src="/tai-khoan/xac-thuc/ma-qr"`, `action="/tai-khoan/xac-thuc/xac-nhan"`, `action="/tai-khoan/phien/0123456789abcdef/dang-xuat"`}, nil},
		{"restricted, not started", true, &accountPage{Factor: auth.SecondFactor{Required: true}},
			[]string{`action="/tai-khoan/xac-thuc"`}, []string{"/tai-khoan/mat-khau", "/dang-xuat\"><button type=\"submit\" class=\"button secondary\""}},
		{"pending", false, &accountPage{Factor: auth.SecondFactor{Pending: true}, Error: "account.totp_bad", OTPError: true},
			[]string{`src="/tai-khoan/xac-thuc/ma-qr"`, `aria-invalid="true"`}, []string{"abcde-fghij"}},
		{"enabled, password errors", false, &accountPage{Factor: auth.SecondFactor{Enabled: true}, Notice: "account.totp_on",
			Fields: map[string]string{"current_password": "not the current password", "new_password": "too common"}},
			[]string{`id="e-current_password"`, `id="e-new_password"`, `action="/tai-khoan/mat-khau"`}, []string{`id="e-new_password2"`, "ma-qr"}},
	}
	for _, l := range langs {
		for _, tt := range tests {
			p := tt.page
			p.Lang, p.Actor = l, &auth.Actor{Username: "vanphong", Restricted: tt.restricted}
			var buf bytes.Buffer
			if err := page(l, "account").ExecuteTemplate(&buf, "layout", p); err != nil {
				t.Errorf("%s/%s: %v", l, tt.name, err)
				continue
			}
			body := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s/%s: no %q", l, tt.name, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("%s/%s: has %q", l, tt.name, w)
				}
			}
			if strings.Contains(body, "ZgotmplZ") || untranslated.MatchString(body) {
				t.Errorf("%s/%s: a refused value or an untranslated key:\n%s", l, tt.name, body)
			}
		}
	}
}

// TestSignInPageAsksForCode: the code field appears once the server has
// said that the account needs it.
func TestSignInPageAsksForCode(t *testing.T) {
	for _, tt := range []struct {
		page *signInPage
		want bool
	}{{&signInPage{}, false}, {&signInPage{Error: "signin.otp", OTP: true, Username: "vanphong"}, true}, {&signInPage{Error: "signin.otp_failed", OTP: true}, true}} {
		for _, l := range langs {
			tt.page.Lang = l
			var buf bytes.Buffer
			if err := page(l, "signin").ExecuteTemplate(&buf, "layout", tt.page); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(buf.String(), `name="otp"`); got != tt.want {
				t.Errorf("%s %+v: code field shown = %v, want %v", l, tt.page, got, tt.want)
			}
		}
	}
}
