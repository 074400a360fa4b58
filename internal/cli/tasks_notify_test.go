package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestAPITaskNotices: every hand-over reaches the new holder's inbox, and
// an escalation the issuer's, whatever surface made it; nobody else's.
// The office assigns to Phú Túc → its committee is told; Phú Túc forwards
// to the cell → the cell officer is told; the cell escalates → Phú Túc
// (the new holder) and the office (the issuer) are told. Châu Can's
// committee and the cell's plain member hear nothing.
func TestAPITaskNotices(t *testing.T) {
	m := parallelDemo(t)
	clearDemoTasks(t, m) // the demo's year of tasks has notifications of its own
	admin, office, phuTuc, bithu := m.signIn(t, "admin"), m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "bithu.phutuc")
	dangvien := m.signIn(t, "dangvien")
	district, a := phuTucUnits(t, m)
	b := childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	if st := admin.do("POST", "/api/v1/accounts", map[string]any{"username": "danguy.chaucan", "password": "một mật khẩu dài",
		"roles": []map[string]any{{"unit_id": b.ID, "role": "committee"}}}, nil); st != 201 {
		t.Fatalf("create danguy.chaucan: %d", st)
	}
	chauCan := m.signInAs(t, "danguy.chaucan", "một mật khẩu dài", "test")
	var me struct {
		Roles []auth.Grant `json:"roles"`
	}
	if st := bithu.do("GET", "/api/v1/accounts/me", nil, &me); st != 200 || len(me.Roles) == 0 {
		t.Fatalf("bithu.phutuc: %d %+v", st, me)
	}
	cell := me.Roles[0].UnitID

	// taskNotices lists a reader's task notifications as "kind link".
	taskNotices := func(t *testing.T, cl *client) []string {
		t.Helper()
		var inbox struct {
			Items []struct {
				Kind, Title, Link string
			} `json:"items"`
		}
		if st := cl.do("GET", "/api/v1/notifications?limit=100", nil, &inbox); st != 200 {
			t.Fatalf("GET /api/v1/notifications: %d", st)
		}
		out := []string{}
		for _, it := range inbox.Items {
			if strings.HasPrefix(it.Kind, "task") {
				if strings.Contains(it.Title, "Phú Túc") || strings.Contains(it.Title, "Chi bộ") {
					t.Errorf("got the title %q, want no unit's name", it.Title)
				}
				out = append(out, it.Kind+" "+it.Link)
			}
		}
		return out
	}
	step := func(cl *client, id int64, body map[string]any) {
		t.Helper()
		if st := cl.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", id), body, nil); st != 201 {
			t.Fatalf("%v on task %d: %d", body, id, st)
		}
	}
	var tj taskJSON
	if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": "Triển khai Chỉ thị 24-CT/TU", "unit_id": a.ID, "workdays": 5}, &tj); st != 201 {
		t.Fatalf("assign: %d", st)
	}
	link := fmt.Sprintf("/cong-viec/%d", tj.ID)
	check := func(t *testing.T, when string, want map[string][]string) {
		t.Helper()
		for name, cl := range map[string]*client{"vanphong": office, "danguy.phutuc": phuTuc, "bithu.phutuc": bithu, "dangvien": dangvien, "danguy.chaucan": chauCan} {
			w := want[name]
			if w == nil {
				w = []string{}
			}
			if diff := cmp.Diff(w, taskNotices(t, cl)); diff != "" {
				t.Errorf("%s: %s's task notifications (-want +got):\n%s", when, name, diff)
			}
		}
	}
	check(t, "assigned", map[string][]string{"danguy.phutuc": {"task_assigned " + link}})

	step(phuTuc, tj.ID, map[string]any{"action": "forward", "to_unit_id": cell, "note": "Giao chi bộ thực hiện"})
	check(t, "forwarded", map[string][]string{"danguy.phutuc": {"task_assigned " + link}, "bithu.phutuc": {"task_assigned " + link}})

	step(bithu, tj.ID, map[string]any{"action": "escalate", "note": "Xin ý kiến về kinh phí"})
	check(t, "escalated", map[string][]string{
		"danguy.phutuc": {"task_assigned " + link, "task_assigned " + link},
		"bithu.phutuc":  {"task_assigned " + link},
		"vanphong":      {"task_handed_back " + link},
	})
}
