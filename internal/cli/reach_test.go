package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestAPITargetsInReach: every id given in a body or a query as a target
// or a link (a task's holder, unit, assignee and document; a document's or
// news' audience; a member's unit and transfer destination; an account's
// member and roles; a unit's new parent, merge, split and head; a term's
// unit) is checked against the caller's reach. An id out of reach answers
// exactly as an id that does not exist — same status, same body — and no
// name out of reach appears in any answer, nor in the notifications of
// whoever was refused.
func TestAPITargetsInReach(t *testing.T) {
	t.Parallel()
	const missing = 999999999
	m := startDemo(t)
	ctx, sys := context.Background(), auth.SystemActor()
	admin, office, phuTuc, bithu := m.signIn(t, "admin"), m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "bithu.phutuc")

	district, commune := phuTucUnits(t, m)
	chauCan := childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	bithuAcc := demoAccount(t, m, "bithu.phutuc")
	cell := bithuAcc.Roles[0].UnitID
	firstCell := func(parent, not int64) *org.Unit {
		t.Helper()
		for _, k := range mustChildren(t, m, parent) {
			if k.Kind == org.KindCell && k.ID != not {
				return &k
			}
		}
		t.Fatalf("no cell under %d", parent)
		return nil
	}
	chauCanCell := firstCell(chauCan.ID, 0)
	chauCanMember := firstMember(t, m, chauCanCell.ID, 0)
	cellMate := firstMember(t, m, cell, *bithuAcc.MemberID)

	// Another district, out of reach of the district's office.
	var other, foreignCell unitJSON
	if st := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": *district.ParentID, "kind": "district_committee", "name": "Huyện ủy Xa Lạ", "code": "HN.XL"}, &other); st != 201 {
		t.Fatalf("create district: %d", st)
	}
	if st := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": other.ID, "kind": "cell", "cell_type": "rural", "name": "Chi bộ thôn Xa Lạ", "code": "HN.XL.CB"}, &foreignCell); st != 201 {
		t.Fatalf("create cell: %d", st)
	}
	var foreign memberJSON
	if st := admin.do("POST", "/api/v1/members", map[string]any{"unit_id": foreignCell.ID, "full_name": "Lê Văn Xa", "gender": "male",
		"birth_date": "1981-02-03", "admitted_on": "2010-05-06", "full_on": "2011-05-06"}, &foreign); st != 201 {
		t.Fatalf("create member: %d", st)
	}
	foreignMember := int64(foreign["id"].(float64))
	// A document only Châu Can reads.
	chauCanDoc, err := m.App.Docs.Create(ctx, sys, doc.CreateInput{Type: "TB", IssuerCode: "DU", Title: "Thông báo riêng của Châu Can", Body: "Nội dung", Audience: doc.Audience{UnitID: chauCan.ID}})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{chauCan.Name, chauCanCell.Name, chauCanMember.FullName, chauCanDoc.Title, other.Name, foreignCell.Name, "Lê Văn Xa"}

	// Tasks held by bithu.phutuc's cell: one from the commune, one from
	// the district. Each forward probe gets its own.
	newTask := func(by *client, unit int64) int64 {
		t.Helper()
		var tj taskJSON
		if st := by.do("POST", "/api/v1/tasks", map[string]any{"title": "Rà soát hồ sơ", "unit_id": unit, "workdays": 5}, &tj); st != 201 {
			t.Fatalf("create a task: %d", st)
		}
		return tj.ID
	}
	var held []int64
	forward := func(by *client, field string) func(id int64) (string, string, any) {
		task := newTask(by, cell)
		held = append(held, task)
		return func(id int64) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/tasks/%d/steps", task), map[string]any{"action": "forward", field: id, "note": "Chuyển xử lý"}
		}
	}
	post := func(path string, body func(id int64) any) func(id int64) (string, string, any) {
		return func(id int64) (string, string, any) { return "POST", path, body(id) }
	}
	get := func(format string) func(id int64) (string, string, any) {
		return func(id int64) (string, string, any) { return "GET", fmt.Sprintf(format, id), nil }
	}
	type any2 = map[string]any
	tests := []struct {
		name    string
		c       *client
		request func(id int64) (method, path string, body any)
		outside int64
		want    int
	}{
		// Tasks.
		{"forward a commune's task to another commune's cell", bithu, forward(phuTuc, "to_unit_id"), chauCanCell.ID, 404},
		{"forward a commune's task to another commune's member", bithu, forward(phuTuc, "to_member_id"), chauCanMember.ID, 404},
		{"forward a district's task to another commune", bithu, forward(office, "to_unit_id"), chauCan.ID, 404},
		{"forward a district's task to another commune's cell", bithu, forward(office, "to_unit_id"), chauCanCell.ID, 404},
		{"forward a district's task to another district's member", bithu, forward(office, "to_member_id"), foreignMember, 404},
		{"create a task for another commune", phuTuc, post("/api/v1/tasks", func(id int64) any {
			return any2{"title": "Việc", "unit_id": id, "workdays": 5}
		}), chauCanCell.ID, 404},
		{"create a task for another commune's member", phuTuc, post("/api/v1/tasks", func(id int64) any {
			return any2{"title": "Việc", "unit_id": commune.ID, "assignee_id": id, "workdays": 5}
		}), chauCanMember.ID, 404},
		{"create a task from a document out of reach", phuTuc, post("/api/v1/tasks", func(id int64) any {
			return any2{"title": "Việc", "unit_id": commune.ID, "document_id": id, "workdays": 5}
		}), chauCanDoc.ID, 404},
		{"list another commune's tasks", phuTuc, get("/api/v1/tasks?unit=%d"), chauCan.ID, 404},
		{"another commune's accountability", phuTuc, get("/api/v1/accountability?unit=%d"), chauCan.ID, 404},
		{"head of another district's unit", office, func(id int64) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/units/%d/head", commune.ID), any2{"member_id": id}
		}, foreignMember, 404},
		// Documents and news.
		{"publish a document to another commune", phuTuc, post("/api/v1/documents", func(id int64) any {
			return any2{"type": "TB", "issuer_code": "DU", "title": "Thông báo", "body": "x", "audience": any2{"unit_id": id}}
		}), chauCan.ID, 404},
		{"publish a document from another commune", phuTuc, post("/api/v1/documents", func(id int64) any {
			return any2{"type": "TB", "issuer_code": "DU", "title": "Thông báo", "body": "x", "issuer_unit_id": id, "audience": any2{"unit_id": commune.ID}}
		}), chauCan.ID, 404},
		{"publish news to another commune's cell", bithu, post("/api/v1/news", func(id int64) any {
			return any2{"title": "Tin", "category": "Tin tức", "body": "x", "audience": any2{"unit_id": id}}
		}), chauCanCell.ID, 404},
		// Members.
		{"add a member to another commune's cell", phuTuc, post("/api/v1/members", func(id int64) any {
			return any2{"unit_id": id, "full_name": "Nguyễn Văn Mới", "gender": "male", "birth_date": "1990-01-01", "admitted_on": "2020-01-01"}
		}), chauCanCell.ID, 404},
		{"transfer a member to another commune's cell", bithu, post(fmt.Sprintf("/api/v1/members/%d/transfers", cellMate.ID), func(id int64) any {
			return any2{"to_unit_id": id, "kind": "official", "effective_on": "2026-10-01"}
		}), chauCanCell.ID, 404},
		// Accounts.
		{"an account linked to another district's member", office, post("/api/v1/accounts", func(id int64) any {
			return any2{"username": "reach.link", "password": "một mật khẩu dài", "member_id": id, "roles": []any2{{"unit_id": commune.ID, "role": "member"}}}
		}), foreignMember, 404},
		{"an account with a role on another district", office, post("/api/v1/accounts", func(id int64) any {
			return any2{"username": "reach.role", "password": "một mật khẩu dài", "roles": []any2{{"unit_id": id, "role": "member"}}}
		}), foreignCell.ID, 404},
		{"roles on another district", office, func(id int64) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/accounts/%d/roles", bithuAcc.ID), []any2{{"unit_id": id, "role": "cell_officer"}}
		}, foreignCell.ID, 404},
		// Units.
		{"a unit under another district", office, post("/api/v1/units", func(id int64) any {
			return any2{"parent_id": id, "kind": "cell", "name": "Chi bộ mới", "code": "HN.PX.MOI"}
		}), other.ID, 404},
		{"move a cell under another district", office, post(fmt.Sprintf("/api/v1/units/%d/move", cell), func(id int64) any {
			return any2{"parent_id": id, "effective_on": "2026-10-01"}
		}), other.ID, 404},
		{"merge another district's cell", office, post("/api/v1/units/merge", func(id int64) any {
			return any2{"from": []int64{id}, "into": cell, "effective_on": "2026-10-01"}
		}), foreignCell.ID, 404},
		{"merge into another district's cell", office, post("/api/v1/units/merge", func(id int64) any {
			return any2{"from": []int64{cell}, "into": id, "effective_on": "2026-10-01"}
		}), foreignCell.ID, 404},
		{"split with another district's cell", office, post(fmt.Sprintf("/api/v1/units/%d/split", commune.ID), func(id int64) any {
			return any2{"effective_on": "2026-10-01", "parts": []any2{{"name": "Đảng bộ mới", "code": "HN.PX.MOI", "children": []int64{id}}}}
		}), foreignCell.ID, 422},
		{"split with another district's member", office, post(fmt.Sprintf("/api/v1/units/%d/split", chauCanCell.ID), func(id int64) any {
			return any2{"effective_on": "2026-10-01", "parts": []any2{{"name": "Chi bộ mới", "code": "HN.PX.MOI", "members": []int64{id}}}}
		}), foreignMember, 422},
		{"a term on another district", office, post("/api/v1/terms", func(id int64) any {
			return any2{"unit_id": id, "name": "Nhiệm kỳ", "starts_on": "2025-01-01", "ends_on": "2030-01-01"}
		}), other.ID, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send := func(id int64) (int, string) {
				method, path, body := tt.request(id)
				var raw []byte
				st := tt.c.do(method, path, body, &raw)
				return st, regexp.MustCompile(`\b`+strconv.FormatInt(id, 10)+`\b`).ReplaceAllString(string(raw), "{id}")
			}
			wantSt, wantBody := send(missing)
			st, body := send(tt.outside)
			if st != tt.want || wantSt != tt.want {
				t.Errorf("got %d (%s), and %d for an id that does not exist, want %d for both", st, body, wantSt, tt.want)
			} else if body != wantBody {
				t.Errorf("got %s, want the answer for an id that does not exist: %s", body, wantBody)
			}
			for _, s := range secret {
				if strings.Contains(body, s) {
					t.Errorf("the answer names %q, out of reach: %s", s, body)
				}
			}
		})
	}

	// The tasks are still with bithu.phutuc's cell, and neither they nor
	// bithu.phutuc's notifications name anything out of reach.
	for _, id := range held {
		var raw []byte
		if st := bithu.do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil, &raw); st != 200 {
			t.Errorf("task %d: %d", id, st)
			continue
		}
		var tj taskJSON
		if st := bithu.do("GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil, &tj); st != 200 || tj.HolderUnitID != cell || len(tj.Steps) != 1 {
			t.Errorf("task %d: held by unit %d after %d steps, want unit %d after 1", id, tj.HolderUnitID, len(tj.Steps), cell)
		}
		for _, s := range secret {
			if strings.Contains(string(raw), s) {
				t.Errorf("task %d names %q, out of reach", id, s)
			}
		}
	}
	// The task page answers the refusal on its form, beside the field
	// (the forward's unit field), in Vietnamese.
	form := url.Values{"action": {"forward"}, "to_unit_id": {strconv.FormatInt(chauCanCell.ID, 10)}, "note": {"Chuyển xử lý"}}
	req, err := http.NewRequest("POST", fmt.Sprintf("http://%s/cong-viec/%d", m.Addr, held[0]), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", formType)
	req.AddCookie(&http.Cookie{Name: "sotay_session", Value: bithu.token})
	resp, err := permHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(page), "Không có đơn vị này trong phạm vi của bạn") || !strings.Contains(string(page), `id="e-forward-to"`) {
		t.Errorf("the task page's forward out of reach: %d, want 404 with the task page and the reason in Vietnamese:\n%s", resp.StatusCode, page)
	}
	for _, s := range secret {
		if strings.Contains(string(page), s) {
			t.Errorf("the task page names %q, out of reach", s)
		}
	}
	var inbox []byte
	if st := bithu.do("GET", "/api/v1/notifications?limit=100", nil, &inbox); st != 200 {
		t.Fatalf("notifications: %d", st)
	}
	for _, s := range secret {
		if strings.Contains(string(inbox), s) {
			t.Errorf("bithu.phutuc's notifications name %q, out of reach", s)
		}
	}
}
