package cli

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// newAuthClock gives the running program's auth service a clock that
// stands still until the test moves it: sessions and codes follow it, so
// expiry and time steps can be tested without waiting.
func newAuthClock(m *Main) *testClock {
	c := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	m.restartWith(func() { m.App.Auth.Now = c.Now }, false)
	return c
}

type sessionJSON struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
	Current   bool      `json:"current"`
}

// signInAs signs in with a password and a user agent.
func (m *Main) signInAs(t *testing.T, username, password, agent string) *client {
	t.Helper()
	c := m.client(t)
	var out struct{ Token string }
	if st := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": password}, &out, "User-Agent", agent); st != 200 {
		t.Fatalf("sign in %s: %d", username, st)
	}
	c.token = out.Token
	return c
}

func (c *client) sessions() []sessionJSON {
	c.t.Helper()
	var l listJSON[sessionJSON]
	if st := c.do("GET", "/api/v1/accounts/me/sessions", nil, &l); st != 200 {
		c.t.Fatalf("GET sessions: %d", st)
	}
	return l.Items
}

func TestSessionsListAndEnd(t *testing.T) { bothEngines(t, testSessionsListAndEnd) }

func testSessionsListAndEnd(t *testing.T, m *Main) {
	laptop := m.signInAs(t, "danguy.phutuc", demoPassword(), "Firefox trên máy tính")
	phone := m.signInAs(t, "danguy.phutuc", demoPassword(), "Chrome trên điện thoại")
	other := m.signIn(t, "admin")

	list := laptop.sessions()
	if len(list) != 2 {
		t.Fatalf("%d sessions, want 2: %+v", len(list), list)
	}
	var mine, theirs sessionJSON
	for _, s := range list {
		if s.Current {
			mine = s
		} else {
			theirs = s
		}
		if len(s.ID) != 16 || s.ID == laptop.token || s.ID == phone.token || strings.Contains(laptop.token+phone.token, s.ID) {
			t.Errorf("session id %q: want a short public id, not the token", s.ID)
		}
		if s.Address != "127.0.0.1" || s.CreatedAt.IsZero() || s.LastSeen.Before(s.CreatedAt) {
			t.Errorf("session %+v", s)
		}
	}
	if mine.UserAgent != "Firefox trên máy tính" || theirs.UserAgent != "Chrome trên điện thoại" {
		t.Errorf("current %q, other %q", mine.UserAgent, theirs.UserAgent)
	}
	adminID := other.sessions()[0].ID

	tests := []struct {
		name string
		id   string
		want int
	}{
		{"another account's session", adminID, 404},
		{"no such session", "0123456789abcdef", 404},
		{"not an id", "x'; DROP TABLE sessions; --", 404},
		{"the other device", theirs.ID, 204},
		{"the same again", theirs.ID, 404},
	}
	for _, tt := range tests {
		if got := laptop.do("DELETE", "/api/v1/accounts/me/sessions/"+url.PathEscape(tt.id), nil, nil); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	if st := phone.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("the ended session: %d, want 401", st)
	}
	if st := other.do("GET", "/api/v1/accounts/me", nil, nil); st != 200 {
		t.Errorf("the admin's session was ended: %d", st)
	}
	// Ending the current session signs out.
	if st := laptop.do("DELETE", "/api/v1/accounts/me/sessions/"+mine.ID, nil, nil); st != 204 {
		t.Errorf("end the current session: %d", st)
	}
	if st := laptop.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("after ending the current session: %d, want 401", st)
	}
}

func TestChangePassword(t *testing.T) {
	m := parallelDemo(t)
	a, b := m.signIn(t, "bithu.phutuc"), m.signIn(t, "bithu.phutuc")
	const next = "sông Hồng mùa thu"
	tests := []struct {
		name      string
		current   string
		new       string
		want      int
		wantField string
	}{
		{"wrong current password", "not the password", next, 422, "current_password"},
		{"too short", demoPassword(), "ngắn", 422, "new_password"},
		{"too common", demoPassword(), "1234567890", 422, "new_password"},
		{"the same", demoPassword(), demoPassword(), 422, "new_password"},
		{"good", demoPassword(), next, 204, ""},
	}
	for _, tt := range tests {
		var p problemJSON
		got := a.do("POST", "/api/v1/accounts/me/password", map[string]string{"current_password": tt.current, "new_password": tt.new}, &p)
		if got != tt.want || (tt.wantField != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.wantField)) {
			t.Errorf("%s: got %d %+v, want %d on %q", tt.name, got, p.Errors, tt.want, tt.wantField)
		}
	}
	if st := a.do("GET", "/api/v1/accounts/me", nil, nil); st != 200 {
		t.Errorf("the session that changed the password: %d, want 200", st)
	}
	if st := b.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("the other session: %d, want 401", st)
	}
	checkPasswordChanged(t, m, "bithu.phutuc", demoPassword(), next)
	var n int
	m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'account.password_change' AND username = 'bithu.phutuc'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d audit entries for the change, want 1", n)
	}
}

func TestPasswordReset(t *testing.T) { bothEngines(t, testPasswordReset) }

func testPasswordReset(t *testing.T, m *Main) {
	ids := map[string]int64{}
	clients := map[string]*client{}
	for _, u := range []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc", "dangvien"} {
		c := m.signIn(t, u)
		var me struct{ ID int64 }
		c.do("GET", "/api/v1/accounts/me", nil, &me)
		ids[u], clients[u] = me.ID, c
	}
	const pw = "mật khẩu mới của bí thư"
	reset := func(by string, id int64, password string) int {
		return clients[by].do("POST", fmt.Sprintf("/api/v1/accounts/%d/password-reset", id), map[string]string{"new_password": password}, nil)
	}
	tests := []struct {
		name   string
		by     string
		target string
		pw     string
		want   int
	}{
		{"office resets the admin above it", "vanphong", "admin", pw, 404},
		{"committee may not reset", "danguy.phutuc", "bithu.phutuc", pw, 404},
		{"standing committee may not reset", "btv", "bithu.phutuc", pw, 404},
		{"member may not reset", "dangvien", "bithu.phutuc", pw, 404},
		{"office resets itself", "vanphong", "vanphong", pw, 422},
		{"weak password", "vanphong", "bithu.phutuc", "1234567890", 422},
		{"office resets a cell officer below", "vanphong", "bithu.phutuc", pw, 204},
		{"admin resets the office", "admin", "vanphong", pw + " 2", 204},
	}
	for _, tt := range tests {
		if got := reset(tt.by, ids[tt.target], tt.pw); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := reset("admin", 999999, pw); got != 404 {
		t.Errorf("no such account: %d, want 404", got)
	}
	// The target's sessions ended; the new password works, the old does not.
	for _, u := range []string{"bithu.phutuc", "vanphong"} {
		if st := clients[u].do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
			t.Errorf("%s's session after the reset: %d, want 401", u, st)
		}
	}
	if st := clients["danguy.phutuc"].do("GET", "/api/v1/accounts/me", nil, nil); st != 200 {
		t.Errorf("an untouched account's session: %d", st)
	}
	checkPasswordChanged(t, m, "bithu.phutuc", demoPassword(), pw)
	// Audited, without the password.
	var n int
	db := m.App.DB.Reader()
	db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'account.password_reset' AND object_type = 'account' AND object_id = $1 AND username = 'vanphong'`, ids["bithu.phutuc"]).Scan(&n)
	if n != 1 {
		t.Errorf("%d audit entries for the reset, want 1", n)
	}
	db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE before_json LIKE $1 OR after_json LIKE $1`, "%mật khẩu mới%").Scan(&n)
	if n != 0 {
		t.Errorf("the new password is in %d audit entries", n)
	}
	// The office sees the reset in the audit log of its district.
	var log listJSON[struct {
		Action string `json:"action"`
	}]
	office := m.signInAs(t, "vanphong", pw+" 2", "test")
	office.do("GET", fmt.Sprintf("/api/v1/audit?object=account:%d", ids["bithu.phutuc"]), nil, &log)
	if len(log.Items) == 0 || log.Items[0].Action != "account.password_reset" {
		t.Errorf("the office's audit log: %+v", log.Items)
	}
}

// TestSessionExpiry moves the clock: a session ends after 12 idle hours,
// and after 7 days however busy it is.
func TestSessionExpiry(t *testing.T) {
	m := parallelDemo(t)
	clock := newAuthClock(m)
	idle, busy := m.signIn(t, "dangvien"), m.signIn(t, "dangvien")
	steps := []struct {
		advance          time.Duration
		useIdle          bool
		wantIdle, wantBu int
	}{
		{11 * time.Hour, true, 200, 200},
		{11 * time.Hour, false, 200, 200}, // idle was last seen 11 h ago
		{2 * time.Hour, true, 401, 200},   // idle: 13 h without a request
	}
	for i, s := range steps {
		clock.Add(s.advance)
		if s.useIdle || s.wantIdle != 200 {
			if got := idle.do("GET", "/api/v1/accounts/me", nil, nil); got != s.wantIdle {
				t.Errorf("step %d: idle session %d, want %d", i, got, s.wantIdle)
			}
		}
		if got := busy.do("GET", "/api/v1/accounts/me", nil, nil); got != s.wantBu {
			t.Errorf("step %d: busy session %d, want %d", i, got, s.wantBu)
		}
	}
	// The busy session, used every 11 hours, still ends 7 days after it began.
	elapsed := 24 * time.Hour
	for elapsed+11*time.Hour < 7*24*time.Hour {
		clock.Add(11 * time.Hour)
		elapsed += 11 * time.Hour
		if got := busy.do("GET", "/api/v1/accounts/me", nil, nil); got != 200 {
			t.Fatalf("busy session after %s: %d, want 200", elapsed, got)
		}
	}
	fresh := m.signIn(t, "dangvien")
	clock.Add(11 * time.Hour)
	if got := busy.do("GET", "/api/v1/accounts/me", nil, nil); got != 401 {
		t.Errorf("busy session after %s: %d, want 401", elapsed+11*time.Hour, got)
	}
	// Ended sessions are not listed.
	if got := fresh.sessions(); len(got) != 1 || !got[0].Current {
		t.Errorf("sessions after expiry: %+v, want only the current one", got)
	}
}

// checkPasswordChanged fails t unless username signs in with the new
// password and no longer with the old one.
func checkPasswordChanged(t *testing.T, m *Main, username, old, new string) {
	t.Helper()
	if st, _, _ := m.signInWith(t, username, old, ""); st != 401 {
		t.Errorf("the old password: %d, want 401", st)
	}
	if st, _, _ := m.signInWith(t, username, new, ""); st != 200 {
		t.Errorf("the new password: %d, want 200", st)
	}
}
