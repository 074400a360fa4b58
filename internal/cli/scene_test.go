package cli

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// The openings the end-to-end tests share: a test on both engines, a
// parallel test on the demo, accounts made and signed in by the test, the
// demo's usual units and members.

// bothEngines runs fn on each engine (onEachEngine), in parallel with the
// package's other tests.
func bothEngines(t *testing.T, fn func(t *testing.T, m *Main)) {
	t.Helper()
	t.Parallel()
	onEachEngine(t, fn)
}

// parallelDemo is a test's opening on the demo district (startDemo), in
// parallel with the package's other tests.
func parallelDemo(t *testing.T) *Main {
	t.Helper()
	t.Parallel()
	return startDemo(t)
}

// testPassword is the password of the accounts a test creates.
const testPassword = "một mật khẩu dài"

// newAccount has by create an account (POST /api/v1/accounts with the
// fields of acc: username, roles, member_id…, and testPassword), failing
// the test unless it answers 201, and signs the account in.
func (m *Main) newAccount(t testing.TB, by *client, acc map[string]any) *client {
	t.Helper()
	acc["password"] = testPassword
	if st := by.do("POST", "/api/v1/accounts", acc, nil); st != 201 {
		t.Fatalf("create account %v: %d", acc["username"], st)
	}
	return m.signInPassword(t, acc["username"].(string), testPassword)
}

// accountMember is the member record of username's account, as the store
// reads it.
func accountMember(t testing.TB, m *Main, username string) *member.Member {
	t.Helper()
	ctx := context.Background()
	acc, _, err := m.App.Auth.Store.ByUsername(ctx, username)
	if err != nil || acc.MemberID == nil {
		t.Fatalf("the %s account: %v", username, err)
	}
	me, _, err := m.App.Members.Store.Member(ctx, *acc.MemberID)
	if err != nil {
		t.Fatal(err)
	}
	return me
}

// phuTucUnits are the demo district and its commune Phú Túc, as the
// system reads them.
func phuTucUnits(t *testing.T, m *Main) (district, phuTuc *org.Unit) {
	t.Helper()
	district = districtUnit(t, m)
	return district, childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc")
}

// apiUnits are the demo district and its communes Phú Túc and Châu Can,
// as c (who sees the district) reads them.
func apiUnits(t *testing.T, c *client) (district, phuTuc, chauCan unitJSON) {
	t.Helper()
	district = demoDistrict(t, c)
	return district, unitByName(t, c, district.ID, "Đảng bộ xã Phú Túc"), unitByName(t, c, district.ID, "Đảng bộ xã Châu Can")
}

// pollUntil polls ok every step until it holds, failing the test with what
// after limit: for what a test cannot be told of (a job, a page's script).
func pollUntil(t testing.TB, what string, limit, step time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(step)
	}
}

// enrolSecondFactor turns on c's second factor (enrol, then confirm with
// the code of m's clock), failing the test unless both succeed.
func enrolSecondFactor(t *testing.T, m *Main, c *client) {
	t.Helper()
	var enr struct{ Secret string }
	if st := c.do("POST", "/api/v1/accounts/me/totp", nil, &enr); st != 200 {
		t.Fatalf("enrol: %d", st)
	}
	if st := c.do("POST", "/api/v1/accounts/me/totp/confirm", map[string]string{"otp": auth.TOTPCode(enr.Secret, m.App.DB.Now())}, nil); st != 204 {
		t.Fatalf("confirm: %d", st)
	}
}

// demoAccount is username's account, as the store reads it.
func demoAccount(t testing.TB, m *Main, username string) *auth.Account {
	t.Helper()
	acc, _, err := m.App.Auth.Store.ByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("the %s account: %v", username, err)
	}
	return acc
}
