package cli

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// signInAnswer is POST /api/v1/session as the tests read it.
type signInAnswer struct {
	Token   string   `json:"token"`
	Needs   []string `json:"needs"`
	Account struct {
		ID int64 `json:"id"`
	} `json:"account"`
	// On failure, the problem document.
	Status      int    `json:"status"`
	Detail      string `json:"detail"`
	OTPRequired bool   `json:"otp_required"`
}

// signInWith signs in with a password and an optional second factor and
// returns the status and the answer (its token set on a new client).
func (m *Main) signInWith(t *testing.T, username, password, otp string) (int, signInAnswer, *client) {
	t.Helper()
	c := m.client(t)
	body := map[string]string{"username": username, "password": password}
	if otp != "" {
		body["otp"] = otp
	}
	var a signInAnswer
	st := c.do("POST", "/api/v1/session", body, &a)
	c.token = a.Token
	return st, a, c
}

// TestDemoAccountsNeedNoSecondFactor: the demo accounts are exempt, even
// those whose roles require a second factor, so the demo can be tried with
// the password alone.
func TestDemoAccountsNeedNoSecondFactor(t *testing.T) {
	m := parallelDemo(t)
	for _, u := range []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc", "dangvien"} {
		st, a, c := m.signInWith(t, u, demoPassword(), "")
		if st != 200 || len(a.Needs) != 0 {
			t.Errorf("%s: status %d, needs %v; want 200 and no needs", u, st, a.Needs)
			continue
		}
		if st := c.do("GET", "/api/v1/units", nil, nil); st != 200 {
			t.Errorf("%s: GET /units answers %d", u, st)
		}
	}
}

// TestTOTPRequiredForNewOfficer walks the whole second-factor journey of an
// office account created by the admin: restricted until enrolled, then
// signing in with a code from the app or a recovery code.
func TestTOTPRequiredForNewOfficer(t *testing.T) {
	m := parallelDemo(t)
	clock := newAuthClock(m)
	admin := m.signIn(t, "admin")
	district := demoDistrict(t, admin)
	const pw = "một mật khẩu dài"
	newAccount := map[string]any{"username": "office.totp", "password": pw, "roles": []map[string]any{{"unit_id": district.ID, "role": "office"}}}
	if st := admin.do("POST", "/api/v1/accounts", newAccount, nil); st != 201 {
		t.Fatalf("create the office account: %d", st)
	}

	// Signed in with the password only, the session may only enrol.
	st, a, c := m.signInWith(t, "office.totp", pw, "")
	if st != 200 || strings.Join(a.Needs, ",") != "totp_enrolment" {
		t.Fatalf("first sign-in: status %d, needs %v; want 200 and [totp_enrolment]", st, a.Needs)
	}
	restricted := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/units", nil},
		{"GET", fmt.Sprintf("/api/v1/units/%d", district.ID), nil},
		{"GET", fmt.Sprintf("/api/v1/members?unit=%d", district.ID), nil},
		{"POST", "/api/v1/accounts", newAccount},
		{"GET", "/api/v1/audit", nil},
		{"GET", "/api/v1/accounts/me/sessions", nil},
		{"POST", "/api/v1/accounts/me/password", map[string]string{"current_password": pw, "new_password": "một mật khẩu khác"}},
		{"GET", "/api/v1/no-such-thing", nil},
	}
	for _, r := range restricted {
		var p struct {
			Status int      `json:"status"`
			Type   string   `json:"type"`
			Detail string   `json:"detail"`
			Needs  []string `json:"needs"`
		}
		if got := c.do(r.method, r.path, r.body, &p); got != 403 || p.Status != 403 || strings.Join(p.Needs, ",") != "totp_enrolment" || !strings.Contains(p.Detail, "second factor") {
			t.Errorf("restricted %s %s: got %d %+v, want 403 with needs totp_enrolment", r.method, r.path, got, p)
		}
	}
	var me struct {
		Username string   `json:"username"`
		Needs    []string `json:"needs"`
	}
	if st := c.do("GET", "/api/v1/accounts/me", nil, &me); st != 200 || me.Username != "office.totp" || strings.Join(me.Needs, ",") != "totp_enrolment" {
		t.Errorf("restricted GET /accounts/me: %d %+v", st, me)
	}

	// Enrol: confirming before starting is a conflict; a wrong code is refused.
	if st := c.do("POST", "/api/v1/accounts/me/totp/confirm", map[string]string{"otp": "123456"}, nil); st != 409 {
		t.Errorf("confirm before enrolling: %d, want 409", st)
	}
	var enr struct {
		Secret        string   `json:"secret"`
		OTPAuthURL    string   `json:"otpauth_url"`
		RecoveryCodes []string `json:"recovery_codes"`
	}
	if st := c.do("POST", "/api/v1/accounts/me/totp", nil, &enr); st != 200 {
		t.Fatalf("enrol: %d", st)
	}
	if want := "otpauth://totp/S%E1%BB%95%20tay:office.totp?secret=" + enr.Secret + "&issuer=S%E1%BB%95%20tay"; enr.OTPAuthURL != want || len(enr.Secret) != 32 {
		t.Errorf("otpauth_url = %q, want %q", enr.OTPAuthURL, want)
	}
	if len(enr.RecoveryCodes) != 10 {
		t.Fatalf("%d recovery codes, want 10", len(enr.RecoveryCodes))
	}
	if st := c.do("POST", "/api/v1/accounts/me/totp/confirm", map[string]string{"otp": notTheCode(enr.Secret, clock.Now())}, nil); st != 422 {
		t.Errorf("confirm with a wrong code: %d, want 422", st)
	}
	confirmCode := auth.TOTPCode(enr.Secret, clock.Now())
	if st := c.do("POST", "/api/v1/accounts/me/totp/confirm", map[string]string{"otp": confirmCode}, nil); st != 204 {
		t.Fatalf("confirm: %d, want 204", st)
	}
	// The same session is free now; the factor cannot be replaced from it.
	if st := c.do("GET", "/api/v1/units", nil, nil); st != 200 {
		t.Errorf("after confirming: GET /units answers %d", st)
	}
	if st := c.do("POST", "/api/v1/accounts/me/totp", nil, nil); st != 409 {
		t.Errorf("enrol again while active: %d, want 409", st)
	}

	// Signing in now takes a code.
	tests := []struct {
		name    string
		advance time.Duration
		otp     func() string
		want    int
		wantOTP bool // the answer says otp_required
	}{
		{"no code", 0, func() string { return "" }, 401, true},
		{"wrong code", 0, func() string { return notTheCode(enr.Secret, clock.Now()) }, 401, true},
		{"the code used to confirm (replay)", 0, func() string { return confirmCode }, 401, true},
		{"the next step's code, early", 0, func() string { return auth.TOTPCode(enr.Secret, clock.Now().Add(30*time.Second)) }, 200, false},
		{"the same code again (replay)", 10 * time.Second, func() string { return auth.TOTPCode(enr.Secret, clock.Now().Add(20*time.Second)) }, 401, true},
		{"a code two steps ahead", 50 * time.Second, func() string { return auth.TOTPCode(enr.Secret, clock.Now().Add(60*time.Second)) }, 401, true},
		{"a fresh code", 16 * time.Minute, func() string { return auth.TOTPCode(enr.Secret, clock.Now()) }, 200, false},
		{"a recovery code", 0, func() string { return enr.RecoveryCodes[0] }, 200, false},
		{"the same recovery code again", 0, func() string { return enr.RecoveryCodes[0] }, 401, true},
		{"another recovery code, typed loosely", 0, func() string { return strings.ToUpper(strings.ReplaceAll(enr.RecoveryCodes[1], "-", " ")) }, 200, false},
		{"a made-up recovery code", 0, func() string { return "abcde-fghij" }, 401, true},
	}
	for _, tt := range tests {
		clock.Add(tt.advance)
		code := tt.otp()
		st, a, c := m.signInWith(t, "office.totp", pw, code)
		if st != tt.want || a.OTPRequired != tt.wantOTP {
			t.Errorf("%s (%q): got %d otp_required=%v, want %d otp_required=%v", tt.name, code, st, a.OTPRequired, tt.want, tt.wantOTP)
			continue
		}
		if st == 200 {
			if len(a.Needs) != 0 {
				t.Errorf("%s: needs %v after enrolment", tt.name, a.Needs)
			}
			if st := c.do("GET", "/api/v1/units", nil, nil); st != 200 {
				t.Errorf("%s: GET /units answers %d", tt.name, st)
			}
		}
	}
	// A wrong password says nothing about the second factor.
	if st, a, _ := m.signInWith(t, "office.totp", "not the password", auth.TOTPCode(enr.Secret, clock.Now())); st != 401 || a.OTPRequired {
		t.Errorf("wrong password: %d otp_required=%v, want 401 without otp_required", st, a.OTPRequired)
	}

	// What the database keeps: no recovery code in clear, and the audit
	// trail holds the enrolment and the codes used but never a secret.
	db := m.App.DB.Reader()
	var n int
	db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM recovery_codes r JOIN accounts a ON a.id = r.account_id WHERE a.username = 'office.totp' AND r.used_at IS NOT NULL`).Scan(&n)
	if n != 2 {
		t.Errorf("%d recovery codes used, want 2", n)
	}
	for _, code := range enr.RecoveryCodes {
		db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1`, code).Scan(&n)
		if n != 0 {
			t.Errorf("recovery code %s is stored in clear", code)
		}
	}
	for action, want := range map[string]int{"account.totp_enable": 1, "account.recovery_code_use": 2} {
		db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND username = 'office.totp'`, action).Scan(&n)
		if n != want {
			t.Errorf("%s: %d audit entries, want %d", action, n, want)
		}
	}
	db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE before_json LIKE $1 OR after_json LIKE $1`, "%"+enr.Secret+"%").Scan(&n)
	if n != 0 {
		t.Errorf("the secret is in %d audit entries", n)
	}
}

// TestTOTPRequiredForCommandLineAccounts: `sotay user add` makes accounts
// that are not exempt either.
func TestTOTPRequiredForCommandLineAccounts(t *testing.T) {
	m := parallelDemo(t)
	admin := m.signIn(t, "admin")
	district := demoDistrict(t, admin)
	var out, errs bytes.Buffer
	args := []string{"user", "add", "--db", m.Flags.DB, "--username", "btv.cli", "--unit", fmt.Sprint(district.ID), "--role", "standing_committee", "--password-stdin"}
	if code := Run(args, strings.NewReader("một mật khẩu dài\n"), &out, &errs); code != 0 {
		t.Fatalf("sotay user add: exit %d: %s", code, errs.String())
	}
	st, a, c := m.signInWith(t, "btv.cli", "một mật khẩu dài", "")
	if st != 200 || strings.Join(a.Needs, ",") != "totp_enrolment" {
		t.Fatalf("sign-in: %d, needs %v; want 200 and [totp_enrolment]", st, a.Needs)
	}
	if st := c.do("GET", "/api/v1/units", nil, nil); st != 403 {
		t.Errorf("GET /units: %d, want 403", st)
	}
	// A committee account (second factor optional) is not restricted.
	commune := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	body := map[string]any{"username": "committee.new", "password": "một mật khẩu dài", "roles": []map[string]any{{"unit_id": commune.ID, "role": "committee"}}}
	if st := admin.do("POST", "/api/v1/accounts", body, nil); st != 201 {
		t.Fatalf("create a committee account: %d", st)
	}
	if st, a, _ := m.signInWith(t, "committee.new", "một mật khẩu dài", ""); st != 200 || len(a.Needs) != 0 {
		t.Errorf("committee sign-in: %d, needs %v; want 200 and none", st, a.Needs)
	}
}

// TestTOTPPages walks the same journey through the HTML pages, without
// JavaScript: sign-in leads to the account page, which shows the QR code
// and the recovery codes once; the sign-in form then asks for the code.
func TestTOTPPages(t *testing.T) {
	m := parallelDemo(t)
	clock := newAuthClock(m)
	admin := m.signIn(t, "admin")
	var roots listJSON[unitJSON]
	admin.do("GET", "/api/v1/units", nil, &roots)
	const pw = "một mật khẩu dài"
	body := map[string]any{"username": "office.web", "password": pw, "roles": []map[string]any{{"unit_id": roots.Items[0].ID, "role": "office"}}}
	if st := admin.do("POST", "/api/v1/accounts", body, nil); st != 201 {
		t.Fatalf("create: %d", st)
	}
	c := m.uiClient(t)
	if a := c.post("/dang-nhap", url.Values{"username": {"office.web"}, "password": {pw}, "next": {"/don-vi"}}); a.Status != 303 || a.Location != "/tai-khoan" {
		t.Fatalf("sign-in: %d to %q, want 303 to /tai-khoan", a.Status, a.Location)
	}
	for _, path := range []string{"/", "/don-vi", "/don-vi/1"} {
		if a := c.get(path); a.Status != 303 || a.Location != "/tai-khoan" {
			t.Errorf("restricted GET %s: %d to %q, want 303 to /tai-khoan", path, a.Status, a.Location)
		}
	}
	page := c.get("/tai-khoan")
	if page.Status != 200 || !strings.Contains(page.Body, "bắt buộc xác thực hai bước") || strings.Contains(page.Body, "/tai-khoan/mat-khau") {
		t.Errorf("restricted account page: %d\n%s", page.Status, page.Body)
	}
	if a := c.get("/tai-khoan/xac-thuc/ma-qr"); a.Status != 404 {
		t.Errorf("QR code before enrolling: %d, want 404", a.Status)
	}
	start := c.post("/tai-khoan/xac-thuc", nil)
	secret := regexpFind(start.Body, `<code>([A-Z2-7]{32})</code>`)
	codes := regexpAll(start.Body, `<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
	if start.Status != 200 || secret == "" || len(codes) != 10 || !strings.Contains(start.Body, `<img src="/tai-khoan/xac-thuc/ma-qr"`) {
		t.Fatalf("enrolment page: %d, secret %q, %d codes", start.Status, secret, len(codes))
	}
	qr := c.get("/tai-khoan/xac-thuc/ma-qr")
	if qr.Status != 200 || qr.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(qr.Body, "<svg") || qr.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("QR code: %d %q", qr.Status, qr.Header.Get("Content-Type"))
	}
	if again := c.get("/tai-khoan"); strings.Contains(again.Body, codes[0]) || !strings.Contains(again.Body, "ma-qr") {
		t.Error("the recovery codes are shown twice, or the pending enrolment is not")
	}
	if a := c.post("/tai-khoan/xac-thuc/xac-nhan", url.Values{"otp": {notTheCode(secret, clock.Now())}}); a.Status != 422 || !strings.Contains(a.Body, `aria-invalid="true"`) {
		t.Errorf("wrong code: %d", a.Status)
	}
	if a := c.post("/tai-khoan/xac-thuc/xac-nhan", url.Values{"otp": {auth.TOTPCode(secret, clock.Now())}}); a.Status != 303 || a.Location != "/tai-khoan?ok=totp" {
		t.Fatalf("confirm: %d to %q", a.Status, a.Location)
	}
	if a := c.get("/don-vi"); a.Status != 200 {
		t.Errorf("after confirming, /don-vi: %d", a.Status)
	}
	if a := c.get("/tai-khoan/xac-thuc/ma-qr"); a.Status != 404 {
		t.Errorf("QR code after confirming: %d, want 404: the secret is never shown again", a.Status)
	}

	// The sign-in form asks for the code when the server wants it.
	d := m.uiClient(t)
	a := d.post("/dang-nhap", url.Values{"username": {"office.web"}, "password": {pw}})
	if a.Status != 401 || !strings.Contains(a.Body, `name="otp"`) || strings.Contains(a.Body, pw) {
		t.Fatalf("sign-in without the code: %d, want 401 and the code field", a.Status)
	}
	clock.Add(30 * time.Second)
	a = d.post("/dang-nhap", url.Values{"username": {"office.web"}, "password": {pw}, "otp": {auth.TOTPCode(secret, clock.Now())}, "next": {"/don-vi"}})
	if a.Status != 303 || a.Location != "/don-vi" {
		t.Errorf("sign-in with the code: %d to %q", a.Status, a.Location)
	}
	if a := m.uiClient(t).post("/dang-nhap", url.Values{"username": {"office.web"}, "password": {pw}, "otp": {notTheCode(secret, clock.Now())}}); a.Status != 401 || !strings.Contains(a.Body, "Mã xác thực không đúng") {
		t.Errorf("wrong code through the form: %d", a.Status)
	}
}

// notTheCode returns six digits that the app does not show around now.
func notTheCode(secret string, now time.Time) string {
	near := []string{auth.TOTPCode(secret, now.Add(-30*time.Second)), auth.TOTPCode(secret, now), auth.TOTPCode(secret, now.Add(30*time.Second))}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !slices.Contains(near, c) {
			return c
		}
	}
	panic("unreachable")
}

func regexpFind(s, re string) string {
	if m := regexp.MustCompile(re).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func regexpAll(s, re string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
