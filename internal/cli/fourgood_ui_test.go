package cli

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestFourGoodPages walks the pages as people would, with forms: the cell
// registers, scores itself (one entry refused), submits; the commune
// lowers a criterion (refused without a reason); the district finalises;
// the results show the level and the rank. Another commune's sheet is 404.
func TestFourGoodPages(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	district, commune, cell, chauCan := fgPhuTuc(t, m)
	var f fgFrameworkJSON
	if st := m.signIn(t, "vanphong").do("POST", "/api/v1/frameworks", fgBody(district.ID, 2030, "2030-03-31"), &f); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var other fgSheetJSON
	if st := m.signIn(t, "vanphong").do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": chauCan}, &other); st != 201 {
		t.Fatalf("register Châu Can: %d", st)
	}
	bithu, danguy, office := m.uiSignIn(t, "bithu.phutuc"), m.uiSignIn(t, "danguy.phutuc"), m.uiSignIn(t, "vanphong")
	want := func(a uiAnswer, status int, contains ...string) {
		t.Helper()
		if a.Status != status {
			t.Fatalf("got %d, want %d: %.400s", a.Status, status, a.Body)
		}
		for _, s := range contains {
			if !strings.Contains(a.Body, s) {
				t.Errorf("the page lacks %q", s)
			}
		}
	}
	want(bithu.get("/chi-bo-4-tot"), 200, "Khung thử 2030", "Chi bộ 4 tốt")
	fw := fmt.Sprintf("/chi-bo-4-tot/khung/%d", f.ID)
	want(bithu.get(fw), 200, fmt.Sprintf(`<option value="%d">`, cell), "Sinh hoạt chi bộ", "Đăng ký")
	a := bithu.post(fw+"/dang-ky", url.Values{"unit_id": {fmt.Sprint(cell)}, "period": {"final"}})
	want(a, 303)
	sheet := a.Location
	if !regexp.MustCompile(`^/chi-bo-4-tot/bieu/\d+$`).MatchString(sheet) {
		t.Fatalf("registration went to %q", sheet)
	}
	want(bithu.get(sheet), 200, "Chi bộ tự chấm", "Nhiệm vụ nhận")
	want(bithu.post(sheet+"/diem", url.Values{"criterion": {"1.1"}, "points": {"31"}}), 422, "Điểm của tiêu chí 1.1 từ 0 đến 30")
	for code, pts := range map[string]string{"1.1": "28,5", "1.2": "20", "2": "45"} {
		want(bithu.post(sheet+"/diem", url.Values{"criterion": {code}, "points": {pts}, "evidence": {"Sổ nghị quyết"}}), 303)
	}
	want(bithu.get(sheet), 200, "93.5")
	want(bithu.post(sheet+"/gui", url.Values{}), 303)
	want(bithu.post(sheet+"/diem", url.Values{"criterion": {"2"}, "points": {"50"}}), 422)
	want(danguy.post(sheet+"/diem", url.Values{"criterion": {"2"}, "points": {"35"}}), 422, "cần ghi lý do")
	want(danguy.post(sheet+"/diem", url.Values{"criterion": {"2"}, "points": {"35"}, "reason": {"Thiếu sinh hoạt chuyên đề"}}), 303)
	want(danguy.get(sheet), 200, "Thiếu sinh hoạt chuyên đề", "83.5")
	want(danguy.post(sheet+"/gui", url.Values{}), 303)
	want(office.post(sheet+"/gui", url.Values{}), 303)
	res := danguy.get(fmt.Sprintf("%s/ket-qua?unit=%d", fw, commune.ID))
	want(res, 200, "Hoàn thành", "Hoàn tất", "<svg")
	if !regexp.MustCompile(`<td class="num">1</td><th scope="row"><a href="` + sheet + `">`).MatchString(res.Body) {
		t.Errorf("the results do not rank the cell first")
	}
	want(danguy.get(fmt.Sprintf("/chi-bo-4-tot/bieu/%d", other.ID)), 404)
	want(danguy.post(fmt.Sprintf("%s/bao-cao", fw), url.Values{"unit_id": {fmt.Sprint(commune.ID)}, "period": {"final"}}), 303)
	want(danguy.get(fmt.Sprintf("%s/ket-qua?unit=%d", fw, commune.ID)), 200, "Đã báo cáo đúng hạn")
}
