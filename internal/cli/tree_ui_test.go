package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestUITreeByClicking restructures the tree through the pages as the
// district office: a new cell under a commune, renamed, moved to another
// commune after a preview, with its history on its page; a cell officer
// finds none of these forms; bad dates are shown beside the field.
func TestUITreeByClicking(t *testing.T) {
	m := parallelDemo(t)
	p := findDemoPlaces(t, m)
	ctx, sys := context.Background(), auth.SystemActor()
	var other *org.Unit
	kids, err := m.App.Org.Children(ctx, sys, p.District.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range kids {
		if kids[i].Kind == org.KindGrassroots && kids[i].ID != p.PhuTuc.ID {
			other = &kids[i]
			break
		}
	}
	if other == nil {
		t.Fatal("no second commune in the demo district")
	}
	today := date.Today(time.Now())
	began := today.AddDays(-10)
	office := m.uiSignIn(t, "vanphong")
	phuTuc := unitURL(p.PhuTuc.ID)

	// The unit page offers the restructuring to the office.
	if a := office.get(phuTuc); a.Status != 200 || !strings.Contains(a.Body, phuTuc+"/don-vi-moi") || !strings.Contains(a.Body, phuTuc+"/chuyen") {
		t.Fatalf("the commune's page for the office: status %d, want the links to restructure", a.Status)
	}

	// Two new cells under Phú Túc; the list shows Dương before Đồng (Đ after D).
	create := func(name, code string) int64 {
		t.Helper()
		a := office.post(phuTuc+"/don-vi-moi", url.Values{"name": {name}, "code": {code}, "kind": {"cell"}, "cell_type": {"rural"}, "effective_on": {began.String()}})
		var id int64
		if _, err := fmt.Sscanf(a.Location, "/don-vi/%d", &id); a.Status != http.StatusSeeOther || err != nil {
			t.Fatalf("create %s: status %d, location %q, want 303 to the new unit\n%s", name, a.Status, a.Location, a.Body)
		}
		return id
	}
	cell := create("Chi bộ Đồng Tâm", "HN.PX.PT.DONGTAM")
	create("Chi bộ Dương Xá", "HN.PX.PT.DUONGXA")
	page := office.get(phuTuc).Body
	if d, dd := strings.Index(page, "Chi bộ Dương Xá"), strings.Index(page, "Chi bộ Đồng Tâm"); d < 0 || dd < 0 || d > dd {
		t.Errorf("units below Phú Túc: Dương Xá at %d, Đồng Tâm at %d, want Dương Xá first (Đ after D)", d, dd)
	}

	// Rename it, with the version the form was loaded from.
	edit := office.get(unitURL(cell) + "/sua")
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(edit.Body)
	if edit.Status != 200 || version == nil {
		t.Fatalf("edit form: status %d, no version", edit.Status)
	}
	a := office.post(unitURL(cell)+"/sua", url.Values{"name": {"Chi bộ thôn Đồng Tâm"}, "code": {"HN.PX.PT.DONGTAM"}, "kind": {"cell"}, "cell_type": {"rural"}, "version": {version[1]}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("rename: status %d, want 303\n%s", a.Status, a.Body)
	}
	if u, _ := m.App.Org.Get(ctx, sys, cell); u.Name != "Chi bộ thôn Đồng Tâm" {
		t.Errorf("after the rename: name %q, want Chi bộ thôn Đồng Tâm", u.Name)
	}

	// Move it to the other commune: the form offers it by name, the
	// preview says what moves and where, the confirmation moves it.
	form := office.get(unitURL(cell) + "/chuyen")
	option := regexp.MustCompile(`<option value="` + fmt.Sprint(other.ID) + `">([^<]*)</option>`).FindStringSubmatch(form.Body)
	if form.Status != 200 || option == nil || !strings.Contains(option[1], other.Name) {
		t.Fatalf("move form: status %d, option for %s: %v, want it offered by name", form.Status, other.Name, option)
	}
	move := url.Values{"target": {fmt.Sprint(other.ID)}, "effective_on": {today.String()}}
	pv := office.post(unitURL(cell)+"/chuyen", move)
	for _, want := range []string{"Sẽ chuyển: 1 đơn vị, 0 đảng viên.", other.Name + " › Chi bộ thôn Đồng Tâm", "Xác nhận chuyển", `name="confirm" value="1"`} {
		if pv.Status != 200 || !strings.Contains(pv.Body, want) {
			t.Errorf("move preview: status %d, want %q in the page", pv.Status, want)
		}
	}
	if u, _ := m.App.Org.Get(ctx, sys, cell); *u.ParentID != p.PhuTuc.ID {
		t.Fatalf("the preview moved the unit (parent %d)", *u.ParentID)
	}
	move.Set("confirm", "1")
	if a := office.post(unitURL(cell)+"/chuyen", move); a.Status != http.StatusSeeOther || a.Location != unitURL(cell) {
		t.Fatalf("confirm the move: status %d, location %q, want 303 to the unit\n%s", a.Status, a.Location, a.Body)
	}
	if u, _ := m.App.Org.Get(ctx, sys, cell); *u.ParentID != other.ID {
		t.Fatalf("after the move: parent %d, want %d", *u.ParentID, other.ID)
	}

	// The unit's page shows where it stood and what was done to it.
	page = office.get(unitURL(cell)).Body
	for _, want := range []string{
		"Lịch sử đơn vị",
		fmt.Sprintf("Từ %s đến %s:", began.VN(), today.VN()), "trực thuộc Đảng bộ xã Phú Túc",
		fmt.Sprintf("Từ %s:", today.VN()), "trực thuộc " + other.Name,
		"Thành lập", "Sửa tên, mã hoặc loại", "Chuyển đơn vị",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the unit's page after the move lacks %q", want)
		}
	}

	// Bad effective dates are shown beside the field.
	for _, tt := range []struct{ on, want string }{
		{"1900-01-01", "Không được trước năm 1930"},
		{"31/02/2026", "Ngày không hợp lệ"},
		{today.AddYears(2).String(), "Không được sau ngày"},
		{today.AddDays(-11).String(), "Không được trước ngày"},
	} {
		a := office.post(unitURL(cell)+"/chuyen", url.Values{"target": {fmt.Sprint(p.PhuTuc.ID)}, "effective_on": {tt.on}})
		msg := regexp.MustCompile(`<p class="error" id="e-effective_on">([^<]*)</p>`).FindStringSubmatch(a.Body)
		if a.Status != http.StatusUnprocessableEntity || msg == nil || !strings.Contains(msg[1], tt.want) {
			t.Errorf("move on %s: status %d, message %v, want 422 with %q beside the date", tt.on, a.Status, msg, tt.want)
		}
	}

	// Merge, split and dissolve: forms, previews, refusals.
	duong := childNamed(t, m, p.PhuTuc.ID, "Chi bộ Dương Xá").ID
	for _, path := range []string{"/sap-nhap", "/chia-tach", "/giai-the"} {
		if a := office.get(unitURL(p.Cell.ID) + path); a.Status != 200 {
			t.Errorf("GET %s of a cell: status %d, want 200", path, a.Status)
		}
	}
	merge := office.post(unitURL(duong)+"/sap-nhap", url.Values{"target": {fmt.Sprint(p.Cell.ID)}, "effective_on": {today.String()}})
	if merge.Status != 200 || !strings.Contains(merge.Body, "Xác nhận sáp nhập") || !strings.Contains(merge.Body, "Sẽ chuyển: 0 đơn vị, 0 đảng viên.") {
		t.Errorf("merge preview: status %d, want the preview\n%s", merge.Status, merge.Body)
	}
	if a := office.post(unitURL(p.Cell.ID)+"/giai-the", url.Values{"effective_on": {today.String()}}); a.Status != http.StatusConflict || !strings.Contains(a.Body, "Đơn vị còn 0 đơn vị trực thuộc") {
		t.Errorf("dissolve a cell with members: status %d, want 409 saying what is left", a.Status)
	}
	members := regexp.MustCompile(`name="(member_\d+)"`)
	split := office.get(unitURL(p.Cell.ID) + "/chia-tach")
	picks := members.FindAllStringSubmatch(split.Body, -1)
	if len(picks) == 0 {
		t.Fatalf("split form of a cell: no member to pick")
	}
	pvs := office.post(unitURL(p.Cell.ID)+"/chia-tach", url.Values{"parts[0].name": {"Chi bộ tách mới"}, "parts[0].code": {"HN.PX.PT.TACH"}, "parts[0].kind": {"cell"}, "parts[0].cell_type": {"rural"}, picks[0][1]: {"0"}, "effective_on": {today.String()}})
	if pvs.Status != 200 || !strings.Contains(pvs.Body, "Nhận 0 đơn vị trực thuộc, 1 đảng viên.") {
		t.Errorf("split preview: status %d, want the part taking one member\n%s", pvs.Status, pvs.Body)
	}
	if a := office.post(unitURL(p.Cell.ID)+"/chia-tach", url.Values{"parts[0].name": {""}, "effective_on": {today.String()}}); a.Status != 422 || !strings.Contains(a.Body, `id="e-parts-0-name"`) {
		t.Errorf("split with no part: status %d, want 422 beside the first part's name", a.Status)
	}
	dis := office.post(unitURL(duong)+"/giai-the", url.Values{"effective_on": {today.String()}})
	if dis.Status != 200 || !strings.Contains(dis.Body, "Xác nhận giải thể") {
		t.Errorf("dissolve preview: status %d\n%s", dis.Status, dis.Body)
	}
	if a := office.post(unitURL(duong)+"/giai-the", url.Values{"effective_on": {today.String()}, "confirm": {"1"}}); a.Status != http.StatusSeeOther || a.Location != phuTuc {
		t.Errorf("confirm the dissolution: status %d, location %q, want 303 to the commune", a.Status, a.Location)
	}

	// A cell officer sees no button and finds none of the forms.
	bithu := m.uiSignIn(t, "bithu.phutuc")
	own := unitURL(p.MyCell.ID)
	if a := bithu.get(own); a.Status != 200 || strings.Contains(a.Body, own+"/sua") || strings.Contains(a.Body, "Sắp xếp tổ chức") {
		t.Errorf("the cell officer's cell page: status %d, want no restructuring", a.Status)
	}
	for _, path := range []string{own + "/sua", own + "/chuyen", own + "/sap-nhap", own + "/chia-tach", own + "/giai-the", phuTuc + "/don-vi-moi"} {
		if a := bithu.get(path); a.Status != http.StatusNotFound {
			t.Errorf("GET %s as a cell officer: status %d, want 404", path, a.Status)
		}
		if a := bithu.post(path, url.Values{"name": {"X"}, "code": {"X"}, "kind": {"cell"}, "target": {fmt.Sprint(p.PhuTuc.ID)}, "effective_on": {today.String()}, "confirm": {"1"}, "version": {"1"}}); a.Status != http.StatusNotFound {
			t.Errorf("POST %s as a cell officer: status %d, want 404", path, a.Status)
		}
	}
}

func unitURL(id int64) string { return fmt.Sprintf("/don-vi/%d", id) }
