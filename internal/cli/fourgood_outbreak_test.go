package cli

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFourGoodOutbreakEvidence, on both engines: the outbreak shifts of a
// cell's members in the framework's year count on its scoresheet (shifts,
// confirmed, members; a shift of another year does not); the member page
// shows a member's shifts to the commune and to the member, each read
// audited, and not on the public view another member gets; the evidence
// picker on the scoresheet page finds the cell's task by words without
// diacritics, not another commune's, and links and unlinks it.
func TestFourGoodOutbreakEvidence(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		w := newOutbreakWorld(t, m)
		office, danguy, dv := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc"), m.signIn(t, "dangvien")
		today := m.App.DB.Now().Format("2006-01-02")
		var f focusJSON
		if st := danguy.do("POST", "/api/v1/outbreaks", map[string]any{"unit_id": w.phuTuc.ID, "disease": "sot_xuat_huyet", "place": "Thôn Đồng Phú", "opened_on": today}, &f); st != 201 {
			t.Fatalf("focus: %d", st)
		}
		shift := func(member int64, day string) map[string]any {
			return map[string]any{"member_id": member, "role": "Phun thuốc muỗi", "from": day + "T07:00:00+07:00", "to": day + "T11:00:00+07:00"}
		}
		var duties listJSON[struct {
			ID       int64 `json:"id"`
			MemberID int64 `json:"member_id"`
		}]
		if st := danguy.do("POST", fmt.Sprintf("/api/v1/outbreaks/%d/duties", f.ID), []any{shift(w.dangvien, "2030-03-10"), shift(w.mate, "2030-03-10"), shift(w.dangvien, "2031-01-05")}, &duties); st != 201 || len(duties.Items) != 3 {
			t.Fatalf("duties: %d %+v", st, duties)
		}
		if st := dv.do("POST", fmt.Sprintf("/api/v1/duties/%d/confirm", duties.Items[0].ID), nil, nil); st != 200 {
			t.Fatalf("confirm: %d", st)
		}

		// The scoresheet's evidence for 2030.
		var fw fgFrameworkJSON
		if st := office.do("POST", "/api/v1/frameworks", fgBody(w.district.ID, 2030, "2030-03-31"), &fw); st != 201 {
			t.Fatalf("framework: %d", st)
		}
		var sh struct {
			ID       int64 `json:"id"`
			Version  int   `json:"version"`
			Evidence struct {
				Outbreak *struct {
					Shifts, Confirmed, Members int
				} `json:"outbreak"`
			} `json:"evidence_from_system"`
		}
		if st := danguy.do("POST", fmt.Sprintf("/api/v1/frameworks/%d/registrations", fw.ID), map[string]any{"unit_id": w.village}, &sh); st != 201 {
			t.Fatalf("register: %d", st)
		}
		if sh.Evidence.Outbreak == nil {
			t.Fatal("no outbreak evidence on the sheet")
		}
		if d := cmp.Diff(struct{ Shifts, Confirmed, Members int }{2, 1, 2}, *sh.Evidence.Outbreak); d != "" {
			t.Errorf("outbreak evidence (-want +got):\n%s", d)
		}
		pages := map[string]*uiClient{"danguy": m.uiSignIn(t, "danguy.phutuc"), "dangvien": m.uiSignIn(t, "dangvien")}
		sheet := fmt.Sprintf("/chi-bo-4-tot/bieu/%d", sh.ID)
		if a := pages["danguy"].get(sheet); a.Status != 200 || !strings.Contains(a.Body, "Phòng, chống dịch: 2 lượt trực của đảng viên, 1 lượt đã xác nhận (2 đảng viên)") {
			t.Errorf("the sheet page lacks the outbreak evidence: %d", a.Status)
		}

		// The member page: the shifts on the personal record, audited.
		reads := func() int {
			var n int
			if err := m.App.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'member.read' AND object_id = $1 AND after_json LIKE '%outbreak.duties%'`, w.dangvien).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, who := range []string{"danguy", "dangvien"} {
			before := reads()
			a := pages[who].get(fmt.Sprintf("/dang-vien/%d", w.dangvien))
			if a.Status != 200 || !strings.Contains(a.Body, "Ca trực phòng, chống dịch") || strings.Count(a.Body, "Phun thuốc muỗi") != 2 || !strings.Contains(a.Body, "Thôn Đồng Phú") {
				t.Errorf("%s on dangvien's page: %d, shifts missing", who, a.Status)
			}
			if got := reads() - before; got != 1 {
				t.Errorf("%s on dangvien's page: %d member.read entries of the shifts, want 1", who, got)
			}
		}
		if a := pages["dangvien"].get(fmt.Sprintf("/dang-vien/%d", w.mate)); a.Status != 200 || strings.Contains(a.Body, "Ca trực phòng, chống dịch") {
			t.Errorf("a member on another member's public page: %d, shifts shown", a.Status)
		}

		// The picker: the cell's task, found without diacritics.
		var own, away struct{ ID int64 }
		if st := danguy.do("POST", "/api/v1/tasks", map[string]any{"title": "Kiểm tra diệt lăng quăng thôn", "unit_id": w.village, "workdays": 5}, &own); st != 201 {
			t.Fatalf("task: %d", st)
		}
		chauCanCell := int64(0)
		for _, k := range mustChildren(t, m, w.chauCan.ID) {
			if k.Kind == "cell" {
				chauCanCell = k.ID
				break
			}
		}
		if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": "Kiểm tra diệt lăng quăng Châu Can", "unit_id": chauCanCell, "workdays": 5}, &away); st != 201 {
			t.Fatalf("Châu Can task: %d", st)
		}
		page := pages["danguy"]
		a := page.get(sheet + "?chon=1.1&loai=task&q=" + url.QueryEscape("lang quang"))
		if a.Status != 200 || !strings.Contains(a.Body, "Kiểm tra diệt lăng quăng thôn") || strings.Contains(a.Body, "Kiểm tra diệt lăng quăng Châu Can") {
			t.Fatalf("picker: %d, want the cell's task only", a.Status)
		}
		if !regexp.MustCompile(fmt.Sprintf(`name="link_id" value="%d"`, own.ID)).MatchString(a.Body) {
			t.Fatalf("picker: no form to link task %d", own.ID)
		}
		if a := page.get(sheet + "?chon=1.1&loai=task&q=" + url.QueryEscape("không có gì như thế")); a.Status != 200 || !strings.Contains(a.Body, "Không có mục nào phù hợp") {
			t.Errorf("picker with no match: %d", a.Status)
		}
		version := func() string {
			var s struct{ Version int }
			danguy.do("GET", fmt.Sprintf("/api/v1/scoresheets/%d", sh.ID), nil, &s)
			return fmt.Sprint(s.Version)
		}
		link := url.Values{"criterion": {"1.1"}, "kind": {"task"}, "link_id": {fmt.Sprint(own.ID)}, "version": {version()}}
		if a := page.post(sheet+"/lien-ket", link); a.Status != 303 {
			t.Fatalf("link: %d %.300s", a.Status, a.Body)
		}
		links := func() []string {
			var s struct {
				Scores []struct {
					Criterion string
					Links     []struct {
						Kind  string
						ID    int64
						Title string
					}
				}
			}
			danguy.do("GET", fmt.Sprintf("/api/v1/scoresheets/%d", sh.ID), nil, &s)
			var out []string
			for _, sc := range s.Scores {
				for _, l := range sc.Links {
					out = append(out, fmt.Sprintf("%s %s %d %s", sc.Criterion, l.Kind, l.ID, l.Title))
				}
			}
			return out
		}
		if d := cmp.Diff([]string{fmt.Sprintf("1.1 task %d Kiểm tra diệt lăng quăng thôn", own.ID)}, links()); d != "" {
			t.Errorf("links (-want +got):\n%s", d)
		}
		if a := page.get(sheet + "?chon=1.1&loai=task&q=lang"); !strings.Contains(a.Body, "đã gắn") {
			t.Errorf("the picker does not show the task as linked")
		}
		// Linking another commune's task by hand is refused; nothing changes.
		bad := url.Values{"criterion": {"1.1"}, "kind": {"task"}, "link_id": {fmt.Sprint(away.ID)}, "version": {version()}}
		if a := page.post(sheet+"/lien-ket", bad); a.Status != 422 {
			t.Errorf("linking Châu Can's task: got %d, want 422", a.Status)
		}
		link["remove"], link["version"] = []string{"1"}, []string{version()}
		if a := page.post(sheet+"/lien-ket", link); a.Status != 303 {
			t.Fatalf("unlink: %d", a.Status)
		}
		if got := links(); len(got) != 0 {
			t.Errorf("after unlinking: %v", got)
		}
	})
}
