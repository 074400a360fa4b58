package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// The permission matrix: every registered route, for every demo role, on
// objects inside and outside the role's subtree, and anonymously.
//
// Writes are checked without changing data where possible. Each write
// probe sends a body that decodes as JSON (or as a form) but that the
// service refuses *after* it has found the object and checked the actor's
// right to it: an empty name (422), a unit merged into itself (409), a cell
// that still has members dissolved (409)... So "allowed" answers 422 or
// 409 — the request reached the object — while "not allowed" and "out of
// reach" answer 404, as for an object that does not exist. A body that does
// not even decode would answer 400/422 before any access check, and would
// prove nothing; the probes avoid that.

// Role capabilities, written here independently of internal/auth so that a
// change of the policy in the code shows up as a failure of this table.
var (
	permAll          = []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc", "dangvien"}
	permReadPersonal = []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc"}
	permWriteMembers = []string{"admin", "vanphong", "danguy.phutuc", "bithu.phutuc"}
	permWriteUnits   = []string{"admin", "vanphong"}
	permManage       = []string{"admin", "vanphong"}
)

// permObject is a fixture a probe acts on: a unit, a member or an account,
// with the unit path that decides whether a role reaches it.
type permObject struct {
	name string
	id   int64
	path string
}

// permProbe is one request of the matrix.
type permProbe struct {
	method string
	// path may hold {id} (the object), {user}, {n} (a fresh number).
	path string
	// obj is the kind of object {id} names: "unit", "member", "account", or
	// "" when the request names none (it then runs once per role).
	obj string
	// body (with the same placeholders) and its media type.
	body, ctype string
	// allowed gives the status for a role on an object in its reach.
	allowed func(user string) int
	// outside is the status on an object out of reach (default 404).
	outside int
	// anon is the status without a session for public routes.
	anon int
	// fresh: the request ends its session; use a new one. A path with
	// {ownsession} (the public id of that new session) is fresh too;
	// {othersession} is a session of an account no demo role holds.
	fresh bool
	// prepare is a request ("POST /path") sent first with the same session.
	prepare string
}

// allow answers yes for the roles listed, 404 for the others.
func allow(roles []string, yes int) func(string) int {
	return func(u string) int {
		if slices.Contains(roles, u) {
			return yes
		}
		return http.StatusNotFound
	}
}

// allowElse answers yes for the roles listed, no for the others.
func allowElse(roles []string, yes, no int) func(string) int {
	return func(u string) int {
		if slices.Contains(roles, u) {
			return yes
		}
		return no
	}
}

func everyone(st int) func(string) int { return func(string) int { return st } }

const (
	jsonType = "application/json"
	formType = "application/x-www-form-urlencoded"
	// permMultipart is an import form without a file: 422 once the unit is
	// reached.
	permBoundary  = "permboundary"
	permMultipart = "--" + permBoundary + "\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n1\r\n--" + permBoundary + "--\r\n"
)

// permTable lists, per registered pattern, its policy and its probes. A
// route missing here fails the test: a new route cannot be forgotten.
func permTable() map[string]struct {
	policy string
	probes []permProbe
} {
	type entry = struct {
		policy string
		probes []permProbe
	}
	one := func(policy string, p ...permProbe) entry { return entry{policy, p} }
	return map[string]entry{
		// Public routes work without a session.
		"GET /healthz": one("public", permProbe{method: "GET", path: "/healthz", allowed: everyone(200), anon: 200}),
		"GET /metrics": one("public", permProbe{method: "GET", path: "/metrics", allowed: everyone(200), anon: 200}),
		"POST /api/v1/session": one("public", permProbe{method: "POST", path: "/api/v1/session",
			body: `{"username":"{user}","password":"{password}"}`, ctype: jsonType, allowed: everyone(200), anon: 200}),
		"/api/":          one("public", permProbe{method: "GET", path: "/api/v1/no-such-thing", allowed: everyone(404), anon: 404}),
		"GET /static/":   one("public", permProbe{method: "GET", path: "{asset}", allowed: everyone(200), anon: 200}),
		"GET /ngon-ngu":  one("public", permProbe{method: "GET", path: "/ngon-ngu?lang=vi&next=/", allowed: everyone(303), anon: 303}),
		"GET /dang-nhap": one("public", permProbe{method: "GET", path: "/dang-nhap", allowed: everyone(303), anon: 200}),
		"POST /dang-nhap": one("public", permProbe{method: "POST", path: "/dang-nhap",
			body: "username={user}&password={password}", ctype: formType, allowed: everyone(303), anon: 303}),
		"GET /{$}": one("public", permProbe{method: "GET", path: "/", allowed: everyone(200), anon: 303}),
		"/":        one("public", permProbe{method: "GET", path: "/khong-co-trang-nay", allowed: everyone(404), anon: 404}),

		// Sessions and accounts.
		"DELETE /api/v1/session":  one("signed_in", permProbe{method: "DELETE", path: "/api/v1/session", allowed: everyone(204), fresh: true}),
		"GET /api/v1/accounts/me": one("signed_in", permProbe{method: "GET", path: "/api/v1/accounts/me", allowed: everyone(200)}),
		"POST /api/v1/accounts": one("signed_in",
			// Without roles: only a manager may create accounts at all.
			permProbe{method: "POST", path: "/api/v1/accounts", body: `{"username":"perm.{n}","password":"một mật khẩu dài"}`, ctype: jsonType,
				allowed: allow(permManage, 201)},
			// With a role on a unit: a unit out of reach answers as a unit
			// that does not exist (404, "no such unit within reach").
			permProbe{method: "POST", path: "/api/v1/accounts", obj: "unit", ctype: jsonType,
				body:    `{"username":"perm.{n}","password":"một mật khẩu dài","roles":[{"unit_id":{id},"role":"member"}]}`,
				allowed: allow(permManage, 201)}),
		"PUT /api/v1/accounts/{id}/roles": one("signed_in", permProbe{method: "PUT", path: "/api/v1/accounts/{id}/roles", obj: "account",
			body: `[{"unit_id":1,"role":"no-such-role"}]`, ctype: jsonType, allowed: allow(permManage, 422)}),
		"POST /api/v1/accounts/{id}/password-reset": one("signed_in", permProbe{method: "POST", path: "/api/v1/accounts/{id}/password-reset",
			obj: "account", ctype: jsonType, body: `{"new_password":"short"}`, allowed: allow(permManage, 422)}),
		// The caller's own account: everyone may, nobody reaches another's.
		"POST /api/v1/accounts/me/password": one("signed_in", permProbe{method: "POST", path: "/api/v1/accounts/me/password", ctype: jsonType,
			body: `{"current_password":"{password}","new_password":"short"}`, allowed: everyone(422)}),
		"POST /api/v1/accounts/me/totp": one("signed_in", permProbe{method: "POST", path: "/api/v1/accounts/me/totp", allowed: everyone(200)}),
		"POST /api/v1/accounts/me/totp/confirm": one("signed_in", permProbe{method: "POST", path: "/api/v1/accounts/me/totp/confirm", ctype: jsonType,
			body: `{"otp":"000000"}`, prepare: "POST /api/v1/accounts/me/totp", allowed: everyone(422)}),
		"GET /api/v1/accounts/me/sessions": one("signed_in", permProbe{method: "GET", path: "/api/v1/accounts/me/sessions", allowed: everyone(200)}),
		"DELETE /api/v1/accounts/me/sessions/{id}": one("signed_in",
			permProbe{method: "DELETE", path: "/api/v1/accounts/me/sessions/{ownsession}", allowed: everyone(204)},
			permProbe{method: "DELETE", path: "/api/v1/accounts/me/sessions/{othersession}", allowed: everyone(404)}),
		"GET /tai-khoan":           one("signed_in", permProbe{method: "GET", path: "/tai-khoan", allowed: everyone(200)}),
		"POST /tai-khoan/xac-thuc": one("signed_in", permProbe{method: "POST", path: "/tai-khoan/xac-thuc", allowed: everyone(200)}),
		"POST /tai-khoan/xac-thuc/xac-nhan": one("signed_in", permProbe{method: "POST", path: "/tai-khoan/xac-thuc/xac-nhan", ctype: formType,
			body: "otp=000000", prepare: "POST /api/v1/accounts/me/totp", allowed: everyone(422)}),
		"GET /tai-khoan/xac-thuc/ma-qr": one("signed_in", permProbe{method: "GET", path: "/tai-khoan/xac-thuc/ma-qr",
			prepare: "POST /api/v1/accounts/me/totp", allowed: everyone(200)}),
		"POST /tai-khoan/mat-khau": one("signed_in", permProbe{method: "POST", path: "/tai-khoan/mat-khau", ctype: formType,
			body: "current_password={password}&new_password=short&new_password2=short", allowed: everyone(422)}),
		"POST /tai-khoan/phien/{id}/dang-xuat": one("signed_in",
			permProbe{method: "POST", path: "/tai-khoan/phien/{ownsession}/dang-xuat", allowed: everyone(303)},
			permProbe{method: "POST", path: "/tai-khoan/phien/{othersession}/dang-xuat", allowed: everyone(404)}),
		"GET /api/v1/audit": one("signed_in",
			// Officers see their subtree's entries, a member those about
			// their own record.
			permProbe{method: "GET", path: "/api/v1/audit", allowed: everyone(200)},
			permProbe{method: "GET", path: "/api/v1/audit?unit={id}", obj: "unit", allowed: allow(permReadPersonal, 200)}),

		// The tree.
		"GET /api/v1/units": one("signed_in",
			permProbe{method: "GET", path: "/api/v1/units", allowed: everyone(200)},
			permProbe{method: "GET", path: "/api/v1/units?parent={id}", obj: "unit", allowed: everyone(200)}),
		"POST /api/v1/units": one("signed_in", permProbe{method: "POST", path: "/api/v1/units", obj: "unit", ctype: jsonType,
			// The parent is a cell: refused once the parent is reached.
			body: `{"parent_id":{id},"kind":"cell","name":"Chi bộ thử","code":"PERM{n}"}`, allowed: allow(permWriteUnits, 422)}),
		"POST /api/v1/units/merge": one("signed_in", permProbe{method: "POST", path: "/api/v1/units/merge", obj: "unit", ctype: jsonType,
			body: `{"from":[{id}],"into":{id}}`, allowed: allow(permWriteUnits, 409)}),
		"GET /api/v1/units/{id}": one("signed_in", permProbe{method: "GET", path: "/api/v1/units/{id}", obj: "unit", allowed: everyone(200)}),
		"PATCH /api/v1/units/{id}": one("signed_in", permProbe{method: "PATCH", path: "/api/v1/units/{id}", obj: "unit", ctype: jsonType,
			body: `{"name":""}`, allowed: allow(permWriteUnits, 422)}),
		"POST /api/v1/units/{id}/move": one("signed_in", permProbe{method: "POST", path: "/api/v1/units/{id}/move", obj: "unit", ctype: jsonType,
			body: `{"parent_id":{id}}`, allowed: allow(permWriteUnits, 409)}),
		"POST /api/v1/units/{id}/dissolve": one("signed_in", permProbe{method: "POST", path: "/api/v1/units/{id}/dissolve", obj: "unit", ctype: jsonType,
			body: `{}`, allowed: allow(permWriteUnits, 409)}),
		"POST /api/v1/units/{id}/split": one("signed_in", permProbe{method: "POST", path: "/api/v1/units/{id}/split", obj: "unit", ctype: jsonType,
			body: `{}`, allowed: allow(permWriteUnits, 422)}),
		"GET /api/v1/units/{id}/stats": one("signed_in", permProbe{method: "GET", path: "/api/v1/units/{id}/stats", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),

		// Member records.
		"GET /api/v1/members": one("signed_in", permProbe{method: "GET", path: "/api/v1/members?unit={id}&q=nguyen", obj: "unit",
			// A member lists their own cell (public fields only).
			allowed: everyone(200)}),
		"POST /api/v1/members": one("signed_in", permProbe{method: "POST", path: "/api/v1/members", obj: "unit", ctype: jsonType,
			body: `{"unit_id":{id},"full_name":""}`, allowed: allow(permWriteMembers, 422)}),
		"GET /api/v1/members/due-full": one("signed_in", permProbe{method: "GET", path: "/api/v1/members/due-full?unit={id}", obj: "unit",
			allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/members/{id}": one("signed_in", permProbe{method: "GET", path: "/api/v1/members/{id}", obj: "member",
			// A member reads a cell-mate's public fields.
			allowed: everyone(200)}),
		"PATCH /api/v1/members/{id}": one("signed_in", permProbe{method: "PATCH", path: "/api/v1/members/{id}", obj: "member", ctype: jsonType,
			body: `{"full_name":""}`, allowed: allow(permWriteMembers, 422)}),
		"POST /api/v1/members/{id}/transfers": one("signed_in", permProbe{method: "POST", path: "/api/v1/members/{id}/transfers", obj: "member",
			ctype: jsonType, body: `{"kind":"sideways"}`, allowed: allow(permWriteMembers, 422)}),
		"POST /api/v1/members/{id}/status": one("signed_in", permProbe{method: "POST", path: "/api/v1/members/{id}/status", obj: "member",
			ctype: jsonType, body: `{"status":"retired"}`, allowed: allow(permWriteMembers, 422)}),
		"GET /api/v1/members/{id}/events": one("signed_in", permProbe{method: "GET", path: "/api/v1/members/{id}/events", obj: "member",
			// The history is part of the personal record: not for cell-mates.
			allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/members/{id}/conferences": one("signed_in", permProbe{method: "GET", path: "/api/v1/members/{id}/conferences", obj: "member",
			// The conferences of the record are personal too (the member's own:
			// conferences_test.go).
			allowed: allow(permReadPersonal, 200)}),
		"POST /api/v1/imports/members": one("signed_in", permProbe{method: "POST", path: "/api/v1/imports/members?unit={id}&dry_run=true", obj: "unit",
			// A CSV without the header row.
			ctype: "text/csv", body: "a,b,c\n1,2,3\n", allowed: allow(permWriteMembers, 422)}),
		"GET /api/v1/exports/members": one("signed_in", permProbe{method: "GET", path: "/api/v1/exports/members?unit={id}&format=pdf", obj: "unit",
			allowed: allow(permReadPersonal, 422)}),

		// HTML pages.
		"POST /dang-xuat":  one("signed_in", permProbe{method: "POST", path: "/dang-xuat", allowed: everyone(303), fresh: true}),
		"GET /don-vi":      one("signed_in", permProbe{method: "GET", path: "/don-vi", allowed: everyone(200)}),
		"GET /don-vi/{id}": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}", obj: "unit", allowed: everyone(200)}),
		"GET /don-vi/{id}/dang-vien": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/dang-vien?q=nguyen", obj: "unit",
			allowed: everyone(200)}),
		"GET /don-vi/{id}/dang-vien/moi": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/dang-vien/moi", obj: "unit",
			allowed: allow(permWriteMembers, 200)}),
		"POST /don-vi/{id}/dang-vien/moi": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/dang-vien/moi", obj: "unit",
			ctype: formType, body: "full_name=", allowed: allow(permWriteMembers, 422)}),
		"GET /don-vi/{id}/nhap-dang-vien": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/nhap-dang-vien", obj: "unit",
			allowed: allow(permWriteMembers, 200)}),
		"POST /don-vi/{id}/nhap-dang-vien": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/nhap-dang-vien", obj: "unit",
			ctype: "multipart/form-data; boundary=" + permBoundary, body: permMultipart, allowed: allow(permWriteMembers, 422)}),
		// Restructuring the tree by clicking (ui/tree.go): offices and
		// admins; the fixtures are cells, which hold no units below.
		// A cell has no units below it: no form to create one, for anyone.
		"GET /don-vi/{id}/don-vi-moi": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/don-vi-moi", obj: "unit",
			allowed: everyone(404)}),
		"POST /don-vi/{id}/don-vi-moi": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/don-vi-moi", obj: "unit",
			ctype: formType, body: "name=", allowed: everyone(404)}),
		"GET /don-vi/{id}/sua": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/sua", obj: "unit",
			allowed: allow(permWriteUnits, 200)}),
		"POST /don-vi/{id}/sua": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/sua", obj: "unit",
			ctype: formType, body: "version=1&name=", allowed: allow(permWriteUnits, 422)}),
		"GET /don-vi/{id}/chuyen": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/chuyen", obj: "unit",
			allowed: allow(permWriteUnits, 200)}),
		"POST /don-vi/{id}/chuyen": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/chuyen", obj: "unit",
			ctype: formType, body: "target=", allowed: allow(permWriteUnits, 422)}),
		"GET /don-vi/{id}/sap-nhap": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/sap-nhap", obj: "unit",
			allowed: allow(permWriteUnits, 200)}),
		"POST /don-vi/{id}/sap-nhap": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/sap-nhap", obj: "unit",
			ctype: formType, body: "target=", allowed: allow(permWriteUnits, 422)}),
		"GET /don-vi/{id}/giai-the": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/giai-the", obj: "unit",
			allowed: allow(permWriteUnits, 200)}),
		"POST /don-vi/{id}/giai-the": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/giai-the", obj: "unit",
			ctype: formType, body: "effective_on=", allowed: allow(permWriteUnits, 422)}),
		"GET /don-vi/{id}/chia-tach": one("signed_in", permProbe{method: "GET", path: "/don-vi/{id}/chia-tach", obj: "unit",
			allowed: allow(permWriteUnits, 200)}),
		"POST /don-vi/{id}/chia-tach": one("signed_in", permProbe{method: "POST", path: "/don-vi/{id}/chia-tach", obj: "unit",
			ctype: formType, body: "effective_on=", allowed: allow(permWriteUnits, 422)}),
		"GET /dang-vien/{id}": one("signed_in", permProbe{method: "GET", path: "/dang-vien/{id}", obj: "member", allowed: everyone(200)}),
		"GET /dang-vien/{id}/sua": one("signed_in", permProbe{method: "GET", path: "/dang-vien/{id}/sua", obj: "member",
			allowed: allow(permWriteMembers, 200)}),
		"POST /dang-vien/{id}/sua": one("signed_in", permProbe{method: "POST", path: "/dang-vien/{id}/sua", obj: "member",
			ctype: formType, body: "version=1&full_name=", allowed: allow(permWriteMembers, 422)}),
	}
}

// permFixtures are the objects of the matrix: a cell of Phú Túc (where
// bithu.phutuc and dangvien belong), a cell of the sibling commune Châu
// Can, and a cell of another district made for the test; a member of each
// (in Phú Túc a cell-mate of dangvien); and an account holding a role on
// each cell.
type permFixtures struct {
	roots   map[string]string // username → path of the unit of its role
	tokens  map[string]string
	objects map[string][]permObject
	asset   string
	// otherSession is the public id of a session no demo role owns.
	otherSession string
	// confPoint is the bridge point of each conference object ({bp});
	// confInvited the demo roles invited to the first conference
	// (conferences_test.go).
	confPoint   map[int64]int64
	confInvited map[string]bool
	// fgFile and fgLocked are a file of each scoresheet object added at
	// its stage ({aid}) and one added at a stage now locked ({lockedaid})
	// (fourgood_perm_test.go).
	fgFile, fgLocked map[int64]int64
}

// currentSession returns the public id of the session of token.
func currentSession(t *testing.T, m *Main, token string) string {
	t.Helper()
	c := m.client(t)
	c.token = token
	var l listJSON[struct {
		ID      string `json:"id"`
		Current bool   `json:"current"`
	}]
	if st := c.do("GET", "/api/v1/accounts/me/sessions", nil, &l); st != 200 {
		t.Fatalf("sessions: %d", st)
	}
	for _, s := range l.Items {
		if s.Current {
			return s.ID
		}
	}
	t.Fatal("no current session in the list")
	return ""
}

func setUpPermFixtures(t *testing.T, m *Main) *permFixtures {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	admin := m.signIn(t, "admin")
	fx := &permFixtures{roots: map[string]string{}, tokens: map[string]string{"admin": admin.token}, objects: map[string][]permObject{}}
	for _, u := range permAll {
		acc, _, err := m.App.Auth.Store.ByUsername(ctx, u)
		if err != nil || len(acc.Roles) != 1 {
			t.Fatalf("demo account %s: %v %+v", u, err, acc)
		}
		fx.roots[u] = acc.Roles[0].UnitPath
		if u != "admin" {
			fx.tokens[u] = m.signIn(t, u).token
		}
	}
	dv, _, err := m.App.Auth.Store.ByUsername(ctx, "dangvien")
	if err != nil || dv.MemberID == nil {
		t.Fatalf("dangvien is not linked to a member: %v", err)
	}
	me, _, err := m.App.Members.Store.Member(ctx, *dv.MemberID)
	if err != nil {
		t.Fatal(err)
	}
	cell, err := m.App.Org.Get(ctx, sys, me.UnitID)
	if err != nil {
		t.Fatal(err)
	}
	district := districtUnit(t, m)
	chauCan := childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	var chauCanCell *org.Unit
	for _, k := range mustChildren(t, m, chauCan.ID) {
		if k.Kind == org.KindCell {
			chauCanCell = &k
			break
		}
	}
	if chauCanCell == nil {
		t.Fatal("no cell in Châu Can")
	}
	// Another district under the city, with one cell and one member: out of
	// reach of every district role.
	city := *district.ParentID
	var other, commune, foreign unitJSON
	for _, step := range []struct {
		out  *unitJSON
		body string
	}{
		{&other, fmt.Sprintf(`{"parent_id":%d,"kind":"district_committee","name":"Huyện ủy Thử","code":"HN.THU"}`, city)},
		{&commune, `{"parent_id":{parent},"kind":"grassroots_committee","name":"Đảng bộ xã Thử","code":"HN.THU.XA"}`},
		{&foreign, `{"parent_id":{parent},"kind":"cell","cell_type":"rural","name":"Chi bộ thôn Thử","code":"HN.THU.XA.CB1"}`},
	} {
		parent := other.ID
		if commune.ID != 0 {
			parent = commune.ID
		}
		body := strings.ReplaceAll(step.body, "{parent}", strconv.FormatInt(parent, 10))
		if st := admin.do("POST", "/api/v1/units", body, step.out); st != 201 {
			t.Fatalf("create %s: status %d", body, st)
		}
	}
	var foreignMember memberJSON
	if st := admin.do("POST", "/api/v1/members", map[string]any{"unit_id": foreign.ID, "full_name": "Nguyễn Văn Ngoài", "gender": "male",
		"birth_date": "1980-03-04", "admitted_on": "2010-05-06", "full_on": "2011-05-06"}, &foreignMember); st != 201 {
		t.Fatalf("create the foreign member: status %d %v", st, foreignMember)
	}
	mate := firstMember(t, m, cell.ID, me.ID)
	chauCanMember := firstMember(t, m, chauCanCell.ID, 0)
	bithu, _, err := m.App.Auth.Store.ByUsername(ctx, "bithu.phutuc")
	if err != nil || bithu.Roles[0].UnitID != cell.ID {
		t.Fatalf("bithu.phutuc should hold a role on dangvien's cell %d: %v %+v", cell.ID, err, bithu)
	}
	accountOn := func(name string, unit int64) int64 {
		var acc struct{ ID int64 }
		body := map[string]any{"username": name, "password": "một mật khẩu dài", "roles": []map[string]any{{"unit_id": unit, "role": "cell_officer"}}}
		if st := admin.do("POST", "/api/v1/accounts", body, &acc); st != 201 {
			t.Fatalf("create account %s: status %d", name, st)
		}
		return acc.ID
	}
	fx.objects["unit"] = []permObject{{"Phú Túc cell", cell.ID, cell.Path}, {"Châu Can cell", chauCanCell.ID, chauCanCell.Path}, {"other district's cell", foreign.ID, foreign.Path}}
	fx.objects["member"] = []permObject{{"Phú Túc member", mate.ID, cell.Path}, {"Châu Can member", chauCanMember.ID, chauCanCell.Path}, {"other district's member", int64(foreignMember["id"].(float64)), foreign.Path}}
	fx.objects["account"] = []permObject{{"Phú Túc cell officer", bithu.ID, cell.Path}, {"Châu Can cell officer", accountOn("perm.chaucan", chauCanCell.ID), chauCanCell.Path},
		{"other district's cell officer", accountOn("perm.thu", foreign.ID), foreign.Path}}
	otherClient := m.client(t)
	var out struct{ Token string }
	if st := otherClient.do("POST", "/api/v1/session", map[string]string{"username": "perm.thu", "password": "một mật khẩu dài"}, &out); st != 200 {
		t.Fatalf("sign in perm.thu: %d", st)
	}
	fx.otherSession = currentSession(t, m, out.Token)
	docPermFixtures(t, m, fx) // docs_test.go
	taskPermFixtures(t, m, fx)
	reportPermFixtures(t, m, fx)     // reports_test.go
	conferencePermFixtures(t, m, fx) // conferences_test.go
	fourGoodPermFixtures(t, m, fx)   // fourgood_perm_test.go
	meetingPermFixtures(t, m, fx)    // meetings_test.go
	outbreakPermFixtures(t, m, fx)   // outbreaks_test.go
	var page []byte
	m.client(t).do("GET", "/dang-nhap", nil, &page)
	fx.asset = regexp.MustCompile(`/static/[^"]+`).FindString(string(page))
	if fx.asset == "" {
		t.Fatal("the sign-in page links no static asset")
	}
	return fx
}

func mustChildren(t *testing.T, m *Main, parent int64) []org.Unit {
	t.Helper()
	kids, err := m.App.Org.Children(context.Background(), auth.SystemActor(), parent)
	if err != nil {
		t.Fatal(err)
	}
	return kids
}

// firstMember returns a member of a cell other than not.
func firstMember(t *testing.T, m *Main, cell, not int64) member.Member {
	t.Helper()
	l, err := m.App.Members.List(context.Background(), auth.SystemActor(), member.ListInput{UnitID: cell, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		if it.ID != not {
			return it.Member
		}
	}
	t.Fatalf("no member in cell %d", cell)
	return member.Member{}
}

// permSend sends one probe and returns the status and the Location header.
// It follows no redirect. API paths carry the token as a bearer, pages as
// the session cookie, as a browser would.
func permSend(t *testing.T, base, token, method, path, body, ctype string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			req.AddCookie(&http.Cookie{Name: "sotay_session", Value: token})
		}
	}
	resp, err := permHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location")
}

var permHTTP = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestPermissionMatrix checks every registered route against the table
// above: for each demo role, on objects inside and outside its subtree,
// and without a session, on SQLite and on PostgreSQL.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	onEachEngine(t, testPermissionMatrix)
}

// allPermEntries is the whole table: permTable and the areas' entries.
func allPermEntries() map[string]struct {
	policy string
	probes []permProbe
} {
	table := permTable()
	maps.Copy(table, docPermEntries()) // docs_test.go
	maps.Copy(table, taskPermEntries())
	maps.Copy(table, taskPagePermEntries()) // tasks_browser_test.go
	maps.Copy(table, handbookPermEntries()) // handbook_test.go
	maps.Copy(table, adminPermEntries())    // admin_test.go
	maps.Copy(table, navPermEntries())      // nav_ui_test.go
	maps.Copy(table, outputPermEntries())   // output_test.go
	maps.Copy(table, reportPermEntries())   // reports_test.go
	maps.Copy(table, fourGoodPermEntries()) // fourgood_perm_test.go
	maps.Copy(table, outbreakPermEntries()) // outbreaks_test.go
	maps.Copy(table, meetingPermEntries())  // meetings_test.go

	// The outbreak pages (outbreak_pages_test.go).
	maps.Copy(table, outbreakPagePermEntries())
	return table
}

func testPermissionMatrix(t *testing.T, m *Main) {
	fx := setUpPermFixtures(t, m)
	table := allPermEntries()
	maps.Copy(table, conferencePermEntries(fx))
	base := "http://" + m.Addr
	var counter atomic.Int64
	fill := func(s, user string, obj *permObject) string {
		s = strings.ReplaceAll(s, "{user}", user)
		s = strings.ReplaceAll(s, "{password}", demoPassword())
		s = strings.ReplaceAll(s, "{asset}", fx.asset)
		s = strings.ReplaceAll(s, "{othersession}", fx.otherSession)
		for strings.Contains(s, "{n}") {
			s = strings.Replace(s, "{n}", strconv.FormatInt(counter.Add(1), 10), 1)
		}
		if obj != nil {
			s = strings.ReplaceAll(s, "{id}", strconv.FormatInt(obj.id, 10))
			s = strings.ReplaceAll(s, "{bp}", strconv.FormatInt(fx.confPoint[obj.id], 10))
			s = strings.ReplaceAll(s, "{aid}", strconv.FormatInt(fx.fgFile[obj.id], 10))
			s = strings.ReplaceAll(s, "{lockedaid}", strconv.FormatInt(fx.fgLocked[obj.id], 10))
		}
		return s
	}

	routes := m.App.Web.Routes()
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r.Pattern] = true
		if _, ok := table[r.Pattern]; !ok {
			t.Errorf("route %q (policy %s) has no entry in the permission table: add one", r.Pattern, r.Policy)
		}
	}
	for pattern := range table {
		if !registered[pattern] {
			t.Errorf("the permission table lists %q, which is not registered", pattern)
		}
	}

	var requests atomic.Int64
	t.Cleanup(func() { t.Logf("%d routes, %d requests", len(routes), requests.Load()) })
	// The routes whose probes change nothing run permProbesAtOnce at a
	// time, after those that may (permChanges), which run one after
	// another in the routes' order, as the whole matrix did.
	var later []func()
	for _, r := range routes {
		e, ok := table[r.Pattern]
		if !ok {
			continue
		}
		probe := func(t *testing.T) {
			if e.policy != r.Policy {
				t.Errorf("policy: got %q, want %q", r.Policy, e.policy)
			}
			for _, p := range e.probes {
				// Anonymous.
				var obj *permObject
				if p.obj != "" {
					obj = &fx.objects[p.obj][0]
				}
				path := strings.ReplaceAll(fill(p.path, "dangvien", obj), "{ownsession}", fx.otherSession)
				got, loc := permSend(t, base, "", p.method, path, fill(p.body, "dangvien", obj), p.ctype)
				requests.Add(1)
				switch {
				case r.Policy == "public":
					if got != p.anon {
						t.Errorf("anonymous %s %s: got %d, want %d", p.method, path, got, p.anon)
					}
				case strings.HasPrefix(path, "/api/"):
					if got != http.StatusUnauthorized {
						t.Errorf("anonymous %s %s: got %d, want 401", p.method, path, got)
					}
				default:
					if got != http.StatusSeeOther || !strings.HasPrefix(loc, "/dang-nhap?next=") {
						t.Errorf("anonymous %s %s: got %d to %q, want 303 to /dang-nhap?next=…", p.method, path, got, loc)
					}
				}
				// Each role, on each object.
				for _, user := range permAll {
					token, own := fx.tokens[user], ""
					if p.fresh || strings.Contains(p.path, "{ownsession}") {
						token = m.signIn(t, user).token
						own = currentSession(t, m, token)
					}
					if p.prepare != "" {
						method, path, _ := strings.Cut(p.prepare, " ")
						if st, _ := permSend(t, base, token, method, path, "", ""); st/100 != 2 {
							t.Fatalf("%s: prepare %s: %d", user, p.prepare, st)
						}
					}
					objs := []*permObject{nil}
					if p.obj != "" {
						objs = nil
						for i := range fx.objects[p.obj] {
							objs = append(objs, &fx.objects[p.obj][i])
						}
					}
					for _, o := range objs {
						want, where := p.allowed(user), ""
						if o != nil {
							where = " on the " + o.name
							if !strings.HasPrefix(o.path, fx.roots[user]) {
								want, where = http.StatusNotFound, where+" (out of reach)"
								if p.outside != 0 {
									want = p.outside
								}
							}
						}
						path := strings.ReplaceAll(fill(p.path, user, o), "{ownsession}", own)
						got, _ := permSend(t, base, token, p.method, path, fill(p.body, user, o), p.ctype)
						requests.Add(1)
						if got != want {
							t.Errorf("%s: %s %s%s: got %d, want %d", user, p.method, path, where, got, want)
						}
					}
				}
			}
		}
		if permChanges(e.probes) {
			t.Run(r.Pattern, probe)
		} else {
			later = append(later, func() { t.Run(r.Pattern, probe) })
		}
	}
	atOnce(permProbesAtOnce, later)
}

// permProbesAtOnce is how many routes' probes of the permission matrix run
// at once on each engine. They ran as parallel subtests (t.Parallel) before:
// those wait for a free slot of the package's parallel tests behind every
// test queued before them, so that under load the matrix's routes ran
// last and the matrix ended the package (docs/benchmarks.md, "The suite,
// session 9").
const permProbesAtOnce = 3

// permChanges says whether a route's probes may change what another
// route's probes see, so that its subtest must not run in parallel: a
// probe that ends or makes a session (fresh, {ownsession}), one that
// prepares (begins a second factor), and a write (not GET or HEAD) that
// some role, or an anonymous caller, may carry out (2xx or 3xx). The
// others are reads and writes refused before they change anything (the
// matrix's writes are made to be refused once the object is reached).
func permChanges(probes []permProbe) bool {
	for _, p := range probes {
		if p.fresh || p.prepare != "" || strings.Contains(p.path, "{ownsession}") {
			return true
		}
		if p.method == "GET" || p.method == "HEAD" {
			continue
		}
		if p.anon/100 == 2 || p.anon/100 == 3 {
			return true
		}
		for _, u := range permAll {
			if st := p.allowed(u); st/100 == 2 || st/100 == 3 {
				return true
			}
		}
	}
	return false
}

// TestPermissionSplitStaysInReach: splitting a unit creates its parts
// beside it, under its parent. An office whose role is on the district must
// not split the district itself: the parts (and the communes moved into
// them) would land under the city, out of the office's reach — a way to
// create units where it may not create them.
func TestPermissionSplitStaysInReach(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	office := m.signIn(t, "vanphong")
	district, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	commune := childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc")
	body := map[string]any{"effective_on": "2026-01-01", "parts": []map[string]any{{"name": "Huyện ủy Phú Xuyên Bắc", "code": "HN.PXB", "children": []int64{commune.ID}}}}
	var p problemJSON
	if st := office.do("POST", fmt.Sprintf("/api/v1/units/%d/split", district.ID), body, &p); st != 404 {
		t.Errorf("office splits its own district (parts under the city): got %d, want 404 (%s)", st, p.Detail)
	}
	if kids := mustChildren(t, m, *district.ParentID); len(kids) != 1 {
		t.Errorf("the city now has %d units below it, want 1", len(kids))
	}
	// Splitting a commune of the district stays inside it and is allowed.
	cells := mustChildren(t, m, commune.ID)
	body = map[string]any{"effective_on": "2026-01-01", "parts": []map[string]any{{"name": "Đảng bộ xã Phú Túc Mới", "code": "HN.PX.PHUTUC2", "children": []int64{cells[0].ID}}}}
	if st := office.do("POST", fmt.Sprintf("/api/v1/units/%d/split", commune.ID), body, &p); st != 201 {
		t.Errorf("office splits a commune: got %d, want 201 (%s)", st, p.Detail)
	}
}

// TestPermissionAccountMemberLink: an account may be linked to a member
// record (member_id), and its holder then reads that record in full and
// the public list of that member's cell. An office may create accounts only
// within its subtree, so it must not link one to a member outside it.
func TestPermissionAccountMemberLink(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	admin := m.signIn(t, "admin")
	district := districtUnit(t, m)
	// A member in another district: out of the office's reach.
	var other, cell unitJSON
	if st := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": *district.ParentID, "kind": "district_committee", "name": "Huyện ủy Thử", "code": "HN.THU"}, &other); st != 201 {
		t.Fatalf("create district: %d", st)
	}
	if st := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": other.ID, "kind": "cell", "name": "Chi bộ Thử", "code": "HN.THU.CB"}, &cell); st != 201 {
		t.Fatalf("create cell: %d", st)
	}
	var outsider memberJSON
	if st := admin.do("POST", "/api/v1/members", map[string]any{"unit_id": cell.ID, "full_name": "Trần Thị Ngoài", "gender": "female",
		"birth_date": "1985-01-02", "citizen_id": "001185099999", "admitted_on": "2012-03-04", "full_on": "2013-03-04"}, &outsider); st != 201 {
		t.Fatalf("create member: %d", st)
	}
	outsiderID := int64(outsider["id"].(float64))

	office := m.signIn(t, "vanphong")
	body := map[string]any{"username": "link.outside", "password": "một mật khẩu dài", "member_id": outsiderID,
		"roles": []map[string]any{{"unit_id": district.ID, "role": "member"}}}
	st := office.do("POST", "/api/v1/accounts", body, nil)
	if st != 404 && st != 422 {
		t.Errorf("office links an account to a member of another district: got %d, want 422 or 404", st)
	}
	if st != 201 {
		return
	}
	// What the link gave away: the full record of a member out of reach.
	c := m.client(t)
	var out struct{ Token string }
	if st := c.do("POST", "/api/v1/session", map[string]string{"username": "link.outside", "password": "một mật khẩu dài"}, &out); st != 200 {
		t.Fatalf("sign in: %d", st)
	}
	c.token = out.Token
	var rec memberJSON
	if st := c.do("GET", fmt.Sprintf("/api/v1/members/%d", outsiderID), nil, &rec); st == 200 {
		t.Errorf("through the linked account, the office reads the record of a member out of its reach: citizen_id %v", rec["citizen_id"])
	}
}
