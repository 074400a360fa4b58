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
	m := parallelDemo(t)
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

// TestFourGoodCriterionForms: the district office adds, changes and
// removes criteria of a framework on its page; refusals show the form
// again with the error beside the field and change nothing; a commune
// officer cannot; once a score exists every criterion form is refused.
func TestFourGoodCriterionForms(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		district, _, cell, _ := fgPhuTuc(t, m)
		var f fgFrameworkJSON
		if st := m.signIn(t, "vanphong").do("POST", "/api/v1/frameworks", fgBody(district.ID, 2031, "2031-03-31"), &f); st != 201 {
			t.Fatalf("create: %d", st)
		}
		office, danguy := m.uiSignIn(t, "vanphong"), m.uiSignIn(t, "danguy.phutuc")
		fw := fmt.Sprintf("/chi-bo-4-tot/khung/%d", f.ID)
		criteria := func() string {
			t.Helper()
			var got fgFrameworkJSON
			if st := m.signIn(t, "vanphong").do("GET", "/api/v1/frameworks/"+fmt.Sprint(f.ID), nil, &got); st != 200 {
				t.Fatalf("read: %d", st)
			}
			var out []string
			var walk func(cs []fgCriterionJSON, parent string)
			walk = func(cs []fgCriterionJSON, parent string) {
				for _, c := range cs {
					out = append(out, fmt.Sprintf("%s>%s=%v", parent, c.Code, c.MaxPoints))
					walk(c.Children, c.Code)
				}
			}
			walk(got.Criteria, "")
			return strings.Join(out, " ")
		}
		steps := []struct {
			name     string
			who      *uiClient
			path     string
			form     url.Values
			status   int
			contains []string
			want     string
		}{
			{"add a criterion", office, fw + "/tieu-chi", url.Values{"code": {"3"}, "title": {"Đoàn kết nội bộ"}, "max_points": {"10"}, "guidance": {"Không có đơn thư"}}, 303, nil,
				">1=50 1>1.1=30 1>1.2=20 >2=50 >3=10"},
			{"add a sub-criterion under a leaf", office, fw + "/tieu-chi", url.Values{"code": {"3.1"}, "parent": {"3"}, "title": {"Thống nhất"}, "max_points": {"5"}}, 303, nil,
				">1=50 1>1.1=30 1>1.2=20 >2=50 >3=5 3>3.1=5"},
			{"duplicate code, beside the field", office, fw + "/tieu-chi", url.Values{"code": {"1.1"}, "title": {"Trùng"}, "max_points": {"5"}}, 422,
				[]string{`id="ce-code-new"`, "Mã 1.1 bị dùng hai lần", `value="Trùng"`}, ">1=50 1>1.1=30 1>1.2=20 >2=50 >3=5 3>3.1=5"},
			{"no maximum, beside the field", office, fw + "/tieu-chi", url.Values{"code": {"4"}, "title": {"Thiếu điểm"}}, 422,
				[]string{`id="ce-max_points-new"`}, ">1=50 1>1.1=30 1>1.2=20 >2=50 >3=5 3>3.1=5"},
			{"edit a leaf", office, fw + "/tieu-chi/1.2", url.Values{"code": {"1.2"}, "parent": {"1"}, "title": {"Kinh tế"}, "max_points": {"25,5"}}, 303, nil,
				">1=55.5 1>1.1=30 1>1.2=25.5 >2=50 >3=5 3>3.1=5"},
			{"a parent under its own child", office, fw + "/tieu-chi/1", url.Values{"code": {"1"}, "parent": {"1.1"}, "title": {"Lãnh đạo"}}, 422,
				[]string{`id="ce-parent-1"`}, ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50 >3=5 3>3.1=5"},
			{"remove a parent", office, fw + "/tieu-chi/3/xoa", url.Values{}, 422, []string{"còn tiêu chí con"}, ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50 >3=5 3>3.1=5"},
			{"commune officer", danguy, fw + "/tieu-chi", url.Values{"code": {"5"}, "title": {"x"}, "max_points": {"1"}}, 404, nil, ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50 >3=5 3>3.1=5"},
			{"remove a leaf", office, fw + "/tieu-chi/3.1/xoa", url.Values{}, 303, nil, ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50 >3=5"},
			{"remove the last leaf of 3", office, fw + "/tieu-chi/3/xoa", url.Values{}, 303, nil, ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50"},
		}
		for _, s := range steps {
			a := s.who.post(s.path, s.form)
			if a.Status != s.status {
				t.Fatalf("%s: got %d, want %d: %.300s", s.name, a.Status, s.status, a.Body)
			}
			for _, c := range s.contains {
				if !strings.Contains(a.Body, c) {
					t.Errorf("%s: the page lacks %q", s.name, c)
				}
			}
			if got := criteria(); got != s.want {
				t.Errorf("%s: criteria got %s, want %s", s.name, got, s.want)
			}
		}
		page := office.get(fw)
		for _, c := range []string{`action="/chi-bo-4-tot/khung/` + fmt.Sprint(f.ID) + `/tieu-chi"`, `/tieu-chi/1.1/xoa"`, "Thêm tiêu chí"} {
			if !strings.Contains(page.Body, c) {
				t.Errorf("the framework page lacks %q", c)
			}
		}
		if strings.Contains(page.Body, `/tieu-chi/1/xoa"`) {
			t.Errorf("a parent criterion offers removal")
		}
		// A score locks the framework: the forms go away and a post is refused.
		var sh fgSheetJSON
		bithu := m.signIn(t, "bithu.phutuc")
		if st := bithu.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", f.ID), map[string]any{"unit_id": cell}, &sh); st != 201 {
			t.Fatalf("register: %d", st)
		}
		if st := bithu.do("PUT", fmt.Sprintf("/api/v1/scoresheets/%d/scores", sh.ID), []any{map[string]any{"criterion": "2", "points": 40}}, nil); st != 200 {
			t.Fatalf("score: %d", st)
		}
		a := office.post(fw+"/tieu-chi", url.Values{"code": {"9"}, "title": {"Muộn"}, "max_points": {"1"}})
		if a.Status != 422 || !strings.Contains(a.Body, "đã có điểm") {
			t.Errorf("add after a score: got %d: %.300s", a.Status, a.Body)
		}
		if strings.Contains(office.get(fw).Body, "Thêm tiêu chí") {
			t.Errorf("a scored framework still offers the add form")
		}
		if got, want := criteria(), ">1=55.5 1>1.1=30 1>1.2=25.5 >2=50"; got != want {
			t.Errorf("after a refused add: got %s, want %s", got, want)
		}
	})
}
