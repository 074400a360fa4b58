package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// adminPermEntries are the administration's routes in the permission
// matrix (permissions_test.go). The writes are refused after the reach
// check: a password that is too short, an unknown role, a second factor
// that the account does not have (409).
func adminPermEntries() map[string]permEntry {
	one := signedIn
	admins := []string{"admin"}
	return map[string]permEntry{
		"GET /api/v1/accounts": one(permProbe{method: "GET", path: "/api/v1/accounts?q=phu", allowed: allow(permManage, 200)}),
		"GET /api/v1/accounts/{id}": one(permProbe{method: "GET", path: "/api/v1/accounts/{id}", obj: "account",
			allowed: allow(permManage, 200)}),
		"POST /api/v1/accounts/{id}/totp-reset": one(permProbe{method: "POST", path: "/api/v1/accounts/{id}/totp-reset", obj: "account",
			allowed: allow(permManage, 409)}),
		"POST /api/v1/audit/verify": one(permProbe{method: "POST", path: "/api/v1/audit/verify", allowed: allow(admins, 200)}),
		"GET /quan-tri/tai-khoan":   one(permProbe{method: "GET", path: "/quan-tri/tai-khoan?q=phu", allowed: allow(permManage, 200)}),
		"GET /quan-tri/tai-khoan/moi": one(permProbe{method: "GET", path: "/quan-tri/tai-khoan/moi?don_vi=phu+tuc",
			allowed: allow(permManage, 200)}),
		"POST /quan-tri/tai-khoan/moi": one(permProbe{method: "POST", path: "/quan-tri/tai-khoan/moi", ctype: formType,
			body: "username=perm.{n}&password=short&password2=short", allowed: allow(permManage, 422)}),
		"GET /quan-tri/tai-khoan/{id}": one(permProbe{method: "GET", path: "/quan-tri/tai-khoan/{id}", obj: "account",
			allowed: allow(permManage, 200)}),
		"POST /quan-tri/tai-khoan/{id}/vai-tro": one(permProbe{method: "POST", path: "/quan-tri/tai-khoan/{id}/vai-tro", obj: "account",
			ctype: formType, body: "keep=1:no-such-role", allowed: allow(permManage, 422)}),
		"POST /quan-tri/tai-khoan/{id}/mat-khau": one(permProbe{method: "POST", path: "/quan-tri/tai-khoan/{id}/mat-khau", obj: "account",
			ctype: formType, body: "new_password=short&new_password2=short", allowed: allow(permManage, 422)}),
		"POST /quan-tri/tai-khoan/{id}/xac-thuc": one(permProbe{method: "POST", path: "/quan-tri/tai-khoan/{id}/xac-thuc", obj: "account",
			allowed: allow(permManage, 409)}),
		"GET /quan-tri/nhat-ky": one(permProbe{method: "GET", path: "/quan-tri/nhat-ky?type=account&actor=admin&from=2020-01-01",
			allowed: allow(permManage, 200)}),
		"GET /quan-tri/kiem-tra-nhat-ky":  one(permProbe{method: "GET", path: "/quan-tri/kiem-tra-nhat-ky", allowed: allow(admins, 200)}),
		"POST /quan-tri/kiem-tra-nhat-ky": one(permProbe{method: "POST", path: "/quan-tri/kiem-tra-nhat-ky", allowed: allow(admins, 200)}),
	}
}

// unitOption finds, in a page's unit picker, the choice named name, and
// returns its value: the unit picked by name.
func unitOption(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`data-unit="(\d+)"><input [^>]*>\s*<span><span class="name">` + regexp.QuoteMeta(name) + `</span>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no unit %q in the picker", name)
	}
	return m[1]
}

// TestUIAdministration: the admin creates accounts with a role on a unit
// picked by name and finds the entry in the audit log; the office sees
// only the accounts of its district; a member sees no administration; a
// higher officer resets a lost second factor; the admin verifies the log.
func TestUIAdministration(t *testing.T) {
	m := parallelDemo(t)
	admin := m.uiSignIn(t, "admin")
	if home := admin.get("/"); !strings.Contains(home.Body, `href="/quan-tri/tai-khoan"`) {
		t.Fatal("the admin's home page does not link the accounts")
	}
	if a := admin.get("/quan-tri/tai-khoan"); a.Status != 200 || !strings.Contains(a.Body, `href="/quan-tri/tai-khoan/moi"`) {
		t.Fatalf("the accounts page: %d, or no link to create one", a.Status)
	}

	// Create: find the commune by name (without diacritics), pick it.
	const pw = "một mật khẩu dài"
	create := func(username, search, unitName, role string) string {
		t.Helper()
		form := admin.get("/quan-tri/tai-khoan/moi?don_vi=" + url.QueryEscape(search))
		if form.Status != 200 {
			t.Fatalf("the new account form: %d", form.Status)
		}
		a := admin.post("/quan-tri/tai-khoan/moi", url.Values{"don_vi": {search}, "unit_id": {unitOption(t, form.Body, unitName)},
			"role": {role}, "username": {username}, "password": {pw}, "password2": {pw}})
		if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/quan-tri/tai-khoan/") {
			t.Fatalf("create %s: %d to %q\n%s", username, a.Status, a.Location, a.Body)
		}
		return strings.TrimSuffix(a.Location, "?ok=created")
	}
	page := create("thuky.phutuc", "phu tuc", "Đảng bộ xã Phú Túc", "committee")
	if a := admin.get(page + "?ok=created"); !strings.Contains(a.Body, "Đã tạo tài khoản") || !strings.Contains(a.Body, "Cấp ủy · Đảng bộ xã Phú Túc") {
		t.Errorf("the new account's page does not show its role on the commune")
	}
	cityPage := create("thanhuy.vp", "thanh uy", "Thành ủy Hà Nội", "office")
	// A form with a mistake keeps what was typed and says where.
	if a := admin.post("/quan-tri/tai-khoan/moi", url.Values{"username": {"Ô K"}, "password": {pw}, "password2": {pw + "x"}}); a.Status != 422 ||
		!strings.Contains(a.Body, `id="e-password2"`) || !strings.Contains(a.Body, `value="Ô K"`) {
		t.Errorf("a mistaken form: %d, want 422 with the error beside the second password", a.Status)
	}
	if a := admin.get("/quan-tri/tai-khoan?q=THUKY"); !strings.Contains(a.Body, ">thuky.phutuc</a>") || strings.Contains(a.Body, ">vanphong</a>") {
		t.Errorf("the search for THUKY does not find just the new account")
	}

	// The audit log: the creation, with who did it and the object after.
	log := admin.get("/quan-tri/nhat-ky?type=account&actor=admin")
	if log.Status != 200 {
		t.Fatalf("the audit log: %d", log.Status)
	}
	// Actions are named in words (audit_action.account.create).
	entry := regexp.MustCompile(`(?s)<li><span class="name">Tạo tài khoản</span>.*?</li>`).FindAllString(log.Body, -1)
	found := false
	for _, e := range entry {
		found = found || strings.Contains(e, "thuky.phutuc") && strings.Contains(e, ">admin</a>")
	}
	if !found {
		t.Errorf("no account.create entry for thuky.phutuc by admin in the audit log")
	}
	if a := admin.get("/quan-tri/nhat-ky?actor=vanphong&type=account"); strings.Contains(a.Body, "thuky.phutuc") {
		t.Error("the filter by actor shows the admin's entries")
	}
	// The unit filter: picked by name in the page's own picker, whose
	// choice is the query's unit.
	picker := admin.get("/quan-tri/nhat-ky?don_vi=phu+tuc")
	phuTuc := unitOption(t, picker.Body, "Đảng bộ xã Phú Túc")
	if !strings.Contains(picker.Body, `name="unit" value="`+phuTuc+`"`) {
		t.Errorf("the audit log's unit picker does not set the query's unit")
	}
	if a := admin.get("/quan-tri/nhat-ky?type=account&unit=" + phuTuc); !strings.Contains(a.Body, "thuky.phutuc") || strings.Contains(a.Body, "thanhuy.vp") ||
		!strings.Contains(a.Body, `name="unit" value="`+phuTuc+`" checked`) {
		t.Errorf("the audit log filtered by Phú Túc: not just its accounts' entries, or the unit not shown as picked")
	}

	// The office administers its district only.
	office := m.uiSignIn(t, "vanphong")
	if a := office.get(page); a.Status != 200 {
		t.Errorf("the office on an account of its district: %d, want 200", a.Status)
	}
	for _, p := range []string{cityPage, adminAccountPage(t, m, "admin")} {
		if a := office.get(p); a.Status != 404 {
			t.Errorf("the office on %s, outside its district: %d, want 404", p, a.Status)
		}
	}
	if a := office.get("/quan-tri/tai-khoan"); strings.Contains(a.Body, ">thanhuy.vp</a>") || strings.Contains(a.Body, ">admin</a>") || !strings.Contains(a.Body, ">thuky.phutuc</a>") {
		t.Error("the office's list is not its district's accounts")
	}
	if a := office.get("/quan-tri/nhat-ky?type=account"); !strings.Contains(a.Body, "thuky.phutuc") || strings.Contains(a.Body, "thanhuy.vp") {
		t.Error("the office's audit log is not its district's")
	}
	if a := office.get("/quan-tri/kiem-tra-nhat-ky"); a.Status != 404 {
		t.Errorf("the office on the verification: %d, want 404", a.Status)
	}

	// A member has no administration, and no link to it.
	member := m.uiSignIn(t, "dangvien")
	for _, p := range []string{"/quan-tri/tai-khoan", "/quan-tri/tai-khoan/moi", page, "/quan-tri/nhat-ky", "/quan-tri/kiem-tra-nhat-ky"} {
		if a := member.get(p); a.Status != 404 {
			t.Errorf("a member on %s: %d, want 404", p, a.Status)
		}
	}
	if a := member.get("/"); strings.Contains(a.Body, "/quan-tri/") {
		t.Error("a member's home page links the administration")
	}

	// A lost phone: the new committee account enrols a second factor; the
	// district office (higher) resets it, the account's sessions end.
	st, _, c := m.signInWith(t, "thuky.phutuc", pw, "")
	if st != 200 {
		t.Fatalf("sign in thuky.phutuc: %d", st)
	}
	enrolSecondFactor(t, m, c)
	if a := office.get(page); !strings.Contains(a.Body, "Đã bật xác thực hai bước") || !strings.Contains(a.Body, page+"/xac-thuc") {
		t.Fatal("the account page does not offer the office the reset of the second factor")
	}
	if a := office.post(page+"/xac-thuc", nil); a.Status != 303 {
		t.Fatalf("reset the second factor: %d", a.Status)
	}
	if st := c.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("the account's session after the reset: %d, want 401", st)
	}
	if st, a, _ := m.signInWith(t, "thuky.phutuc", pw, ""); st != 200 || a.OTPRequired {
		t.Errorf("sign in after the reset: %d (otp required %v), want 200 without a code", st, a.OTPRequired)
	}
	if a := office.get("/quan-tri/nhat-ky?type=account&actor=vanphong"); !strings.Contains(a.Body, "Đặt lại xác thực hai bước") {
		t.Error("the reset is not in the office's audit log")
	}

	// The verification, for the admin, with its time.
	if a := admin.post("/quan-tri/kiem-tra-nhat-ky", nil); a.Status != 200 || !strings.Contains(a.Body, "Nhật ký nguyên vẹn") || !strings.Contains(a.Body, "Thời gian kiểm tra") {
		t.Errorf("the verification: %d", a.Status)
	}
}

// adminAccountPage is the administration page of a demo account.
func adminAccountPage(t *testing.T, m *Main, username string) string {
	t.Helper()
	acc, _, err := m.App.Auth.Store.ByUsername(t.Context(), username)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/quan-tri/tai-khoan/%d", acc.ID)
}
