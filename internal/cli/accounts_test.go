package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

func TestAPIAccounts(t *testing.T) {
	m := parallelDemo(t)
	admin, office := m.signIn(t, "admin"), m.signIn(t, "vanphong")
	var roots listJSON[unitJSON]
	admin.do("GET", "/api/v1/units", nil, &roots)
	city := roots.Items[0]
	district := unitByName(t, admin, city.ID, "Huyện ủy Phú Xuyên")
	commune := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	other := unitByName(t, admin, district.ID, "Đảng bộ xã Châu Can")
	type role = map[string]any
	tests := []struct {
		name string
		c    *client
		body map[string]any
		want int
	}{
		{"office in its district", office, map[string]any{"username": "bithu.chaucan", "password": "một mật khẩu dài", "roles": []role{{"unit_id": other.ID, "role": "committee"}}}, 201},
		{"office above its district", office, map[string]any{"username": "x.city", "password": "một mật khẩu dài", "roles": []role{{"unit_id": city.ID, "role": "office"}}}, 404},
		{"office grants admin", office, map[string]any{"username": "x.admin", "password": "một mật khẩu dài", "roles": []role{{"unit_id": commune.ID, "role": "admin"}}}, 422},
		{"weak password", office, map[string]any{"username": "x.weak", "password": "1234567890", "roles": []role{{"unit_id": commune.ID, "role": "member"}}}, 422},
		{"taken user name", office, map[string]any{"username": "btv", "password": "một mật khẩu dài", "roles": []role{{"unit_id": commune.ID, "role": "member"}}}, 409},
		{"committee cannot create", m.signIn(t, "danguy.phutuc"), map[string]any{"username": "x.c", "password": "một mật khẩu dài", "roles": []role{{"unit_id": commune.ID, "role": "member"}}}, 404},
		{"admin anywhere", admin, map[string]any{"username": "office.city", "password": "một mật khẩu dài", "roles": []role{{"unit_id": city.ID, "role": "office"}}}, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.do("POST", "/api/v1/accounts", tt.body, nil); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	// The new account signs in and reaches only its commune.
	c := m.signInPassword(t, "bithu.chaucan", testPassword)
	if st := c.do("GET", fmt.Sprintf("/api/v1/units/%d", other.ID), nil, nil); st != 200 {
		t.Errorf("own commune: %d", st)
	}
	if st := c.do("GET", fmt.Sprintf("/api/v1/units/%d", commune.ID), nil, nil); st != 404 {
		t.Errorf("another commune: %d", st)
	}
	var me struct{ ID int64 }
	c.do("GET", "/api/v1/accounts/me", nil, &me)
	if st := office.do("PUT", fmt.Sprintf("/api/v1/accounts/%d/roles", me.ID), []role{{"unit_id": commune.ID, "role": "cell_officer"}}, nil); st != 200 {
		t.Errorf("office replaces roles: %d", st)
	}
	if st := c.do("GET", fmt.Sprintf("/api/v1/units/%d", commune.ID), nil, nil); st != 200 {
		t.Errorf("after the new role: %d", st)
	}
}

func TestAPIDueFullHealthAndMetrics(t *testing.T) {
	m := parallelDemo(t)
	office := m.signIn(t, "vanphong")
	var roots listJSON[unitJSON]
	office.do("GET", "/api/v1/units", nil, &roots)
	var due listJSON[memberJSON]
	if st := office.do("GET", fmt.Sprintf("/api/v1/members/due-full?unit=%d&limit=500", roots.Items[0].ID), nil, &due); st != 200 {
		t.Fatalf("due-full: %d", st)
	}
	if due.Total == 0 {
		t.Fatal("the demo has no member whose probation has ended")
	}
	// The program's today is Vietnam's (date.Today), not the machine's:
	// from 17:00 UTC the two differ by a day.
	limit := date.Today(m.App.DB.Now()).AddMonths(-member.ProbationMonths).String()
	for _, it := range due.Items {
		if it["status"] != "probationary" || it["admitted_on"].(string) > limit {
			t.Errorf("due-full lists %v admitted %v", it["status"], it["admitted_on"])
		}
	}
	var body []byte
	if st := m.client(t).do("GET", "/healthz", nil, &body); st != 200 {
		t.Errorf("healthz: %d", st)
	}
	m.client(t).do("GET", "/metrics", nil, &body)
	if !strings.Contains(string(body), `sotay_http_requests_total{method="GET",route="GET /api/v1/members/due-full",status="200"} 1`) {
		t.Errorf("metrics do not count the request:\n%s", body)
	}
	// Reading records is audited: the list above is in the log.
	var n int
	m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'member.list' AND username = 'vanphong'`).Scan(&n)
	if n != 0 {
		t.Errorf("due-full is not a member.list read, found %d", n)
	}
	office.do("GET", fmt.Sprintf("/api/v1/members?unit=%d", roots.Items[0].ID), nil, nil)
	m.App.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'member.list' AND username = 'vanphong'`).Scan(&n)
	if n != 1 {
		t.Errorf("audited list reads: %d, want 1", n)
	}
}
