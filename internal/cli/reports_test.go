package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/store"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/report"
)

// Report requests end to end: the district office asks the communes; Phú
// Túc drafts from its data, edits and sends; the office sees it sent and
// the others missing; a second send is refused; another commune's officer
// cannot read Phú Túc's report.
func TestReportRequestScenario(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		ctx := context.Background()
		district, err := m.App.Org.Resolve(ctx, auth.SystemActor(), "HN.PX")
		if err != nil {
			t.Fatal(err)
		}
		phuTuc := childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc")
		office, commune := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc")
		today := m.App.Web.Today()
		type unitRow struct {
			UnitID       int64   `json:"unit_id"`
			Name         string  `json:"name"`
			Status       string  `json:"status"`
			SentAt       *string `json:"sent_at"`
			SubmissionID *int64  `json:"submission_id"`
		}
		var req struct {
			ID    int64     `json:"id"`
			Title string    `json:"title"`
			DueOn string    `json:"due_on"`
			Units []unitRow `json:"units"`
		}
		base := map[string]any{"title": "Báo cáo quý", "unit_id": district.ID, "kind": "quarter",
			"period_from": today.AddMonths(-3).String(), "period_to": today.AddDays(-1).String(), "workdays": 5}

		type listJSON struct {
			Items []any `json:"items"`
			Total int   `json:"total"`
		}
		var before listJSON // the demo's own requests
		if st := office.do("GET", fmt.Sprintf("/api/v1/report-requests?unit=%d", district.ID), nil, &before); st != 200 {
			t.Fatalf("list before: %d", st)
		}

		// Bad input: nothing written.
		for _, bad := range []struct {
			name string
			set  map[string]any
			want int
		}{
			{"period_to before period_from", map[string]any{"period_to": today.AddMonths(-4).String()}, 422},
			{"absurd date", map[string]any{"period_from": "0001-01-01"}, 422},
			{"no deadline", map[string]any{"workdays": nil}, 422},
			{"a commune's officer asks the district's units", map[string]any{}, 404},
		} {
			b := map[string]any{}
			for k, v := range base {
				b[k] = v
			}
			for k, v := range bad.set {
				if v == nil {
					delete(b, k)
				} else {
					b[k] = v
				}
			}
			c := office
			if bad.want == 404 {
				c = commune
			}
			if st := c.do("POST", "/api/v1/report-requests", b, nil); st != bad.want {
				t.Errorf("%s: got %d, want %d", bad.name, st, bad.want)
			}
		}
		var list listJSON
		if st := office.do("GET", fmt.Sprintf("/api/v1/report-requests?unit=%d", district.ID), nil, &list); st != 200 || list.Total != before.Total {
			t.Fatalf("after refused requests: got %d with %d requests, want the %d of before", st, list.Total, before.Total)
		}

		if st := office.do("POST", "/api/v1/report-requests", base, &req); st != 201 {
			t.Fatalf("create: got %d", st)
		}
		communes := mustChildren(t, m, district.ID)
		if len(req.Units) != len(communes) || len(req.Units) < 2 {
			t.Fatalf("units asked: got %d, want %d", len(req.Units), len(communes))
		}
		if due, _ := date.Parse(req.DueOn); !due.After(today) {
			t.Errorf("due_on %s: want 5 working days after %s", req.DueOn, today)
		}

		// Phú Túc sees only its own row; drafts from its data.
		var own struct{ Units []unitRow }
		if st := commune.do("GET", fmt.Sprintf("/api/v1/report-requests/%d", req.ID), nil, &own); st != 200 || len(own.Units) != 1 || own.Units[0].UnitID != phuTuc.ID {
			t.Fatalf("Phú Túc reads the request: got %d %+v, want its own row only", st, own.Units)
		}
		var draft report.Draft
		if st := commune.do("GET", fmt.Sprintf("/api/v1/report-requests/%d/draft?unit=%d", req.ID, phuTuc.ID), nil, &draft); st != 200 {
			t.Fatalf("draft: got %d", st)
		}
		stats, err := store.Units{DB: m.App.DB}.Stats(ctx, phuTuc.Path, today, true)
		if err != nil {
			t.Fatal(err)
		}
		if draft.Figures["members.total"] != int64(stats.Members.Total) || stats.Members.Total == 0 {
			t.Errorf("draft members.total: got %d, want %d", draft.Figures["members.total"], stats.Members.Total)
		}
		if want := fmt.Sprintf("có %d đảng viên", stats.Members.Total); !strings.Contains(draft.Body, want) {
			t.Errorf("draft body does not say %q:\n%s", want, draft.Body)
		}
		body := draft.Body + "\n## Kiến nghị\n\nĐề nghị Huyện ủy hỗ trợ kinh phí.\n"
		var sub report.Submission
		path := fmt.Sprintf("/api/v1/report-requests/%d/submissions", req.ID)
		if st := commune.do("POST", path, map[string]any{"unit_id": phuTuc.ID, "body": body, "figures": draft.Figures}, &sub); st != 201 {
			t.Fatalf("send: got %d", st)
		}
		if sub.Status != report.StatusSent {
			t.Errorf("sent status: got %s, want sent", sub.Status)
		}
		if st := commune.do("POST", path, map[string]any{"unit_id": phuTuc.ID, "body": "Lần hai"}, nil); st != 409 {
			t.Errorf("second send: got %d, want 409", st)
		}

		// The office: sent for Phú Túc, missing for the others.
		if st := office.do("GET", fmt.Sprintf("/api/v1/report-requests/%d", req.ID), nil, &req); st != 200 {
			t.Fatalf("office reads: %d", st)
		}
		var other *unitRow
		for i, u := range req.Units {
			want := "missing"
			if u.UnitID == phuTuc.ID {
				want = "sent"
				if u.SubmissionID == nil || *u.SubmissionID != sub.ID || u.SentAt == nil {
					t.Errorf("Phú Túc's row: got %+v, want submission %d", u, sub.ID)
				}
			} else if other == nil {
				other = &req.Units[i]
			}
			if u.Status != want {
				t.Errorf("%s: got %s, want %s", u.Name, u.Status, want)
			}
		}
		var got report.Submission
		if st := office.do("GET", fmt.Sprintf("%s/%d", path, sub.ID), nil, &got); st != 200 || got.Body != strings.TrimSpace(body) {
			t.Errorf("office opens the report: got %d, body kept %v", st, got.Body == strings.TrimSpace(body))
		}
		for _, ext := range []string{".docx", ".pdf"} {
			if st, _, b := fetchPaper(t, office, fmt.Sprintf("%s/%d%s", path, sub.ID, ext)); st != 200 || len(b) < 1000 {
				t.Errorf("printed %s: got %d, %d bytes", ext, st, len(b))
			}
		}
		// Phú Túc's task is done: lateness counts in accountability.
		var tk struct{ State string }
		var taskID int64
		r, err := m.App.DB.Reader().QueryContext(ctx, `SELECT task_id FROM report_units WHERE request_id = $1 AND unit_id = $2`, req.ID, phuTuc.ID)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			r.Scan(&taskID)
		}
		r.Close()
		if st := office.do("GET", fmt.Sprintf("/api/v1/tasks/%d", taskID), nil, &tk); st != 200 || tk.State != "done" {
			t.Errorf("Phú Túc's task: got %d %q, want done", st, tk.State)
		}

		// Another commune's officer: 404 on Phú Túc's report.
		if other == nil {
			t.Fatal("no other commune")
		}
		otherName := fmt.Sprintf("perm.report.%d", other.UnitID)
		admin := m.signIn(t, "admin")
		oc := m.newAccount(t, admin, map[string]any{"username": otherName, "roles": []map[string]any{{"unit_id": other.UnitID, "role": "committee"}}})
		if st := oc.do("GET", fmt.Sprintf("%s/%d", path, sub.ID), nil, nil); st != 404 {
			t.Errorf("another commune reads Phú Túc's report: got %d, want 404", st)
		}
		if st := oc.do("POST", path, map[string]any{"unit_id": phuTuc.ID, "body": "x"}, nil); st != 404 {
			t.Errorf("another commune sends for Phú Túc: got %d, want 404", st)
		}
		if st := m.signIn(t, "dangvien").do("GET", fmt.Sprintf("/api/v1/report-requests/%d", req.ID), nil, nil); st != 404 {
			t.Errorf("a member reads the request: got %d, want 404", st)
		}
	})
}

// permRequest may ask the units below for a report.
var permRequest = []string{"admin", "vanphong", "btv", "danguy.phutuc"}

// reportPermFixtures: a request of each commune that holds a fixture cell
// (Phú Túc, Châu Can, the other district's commune) to its cells; each
// object's path is the fixture cell's, so a role reaches it as it reaches
// the cell (the cell officer sees its own row).
func reportPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx := context.Background()
	today := m.App.Web.Today()
	for _, cell := range fx.objects["unit"] {
		u, err := m.App.Org.Get(ctx, auth.SystemActor(), cell.id)
		if err != nil || u.ParentID == nil {
			t.Fatalf("cell %d: %v", cell.id, err)
		}
		n := 5
		r, err := m.App.Reports.Create(ctx, auth.SystemActor(), report.CreateInput{Title: "Báo cáo thử " + cell.name, UnitID: *u.ParentID, Kind: "month",
			PeriodFrom: today.AddMonths(-1), PeriodTo: today, Workdays: &n})
		if err != nil {
			t.Fatal(err)
		}
		fx.objects["report"] = append(fx.objects["report"], permObject{cell.name + "'s commune request", r.ID, cell.path})
	}
}

func reportPermEntries() map[string]permEntry {
	one := signedIn
	const form = "application/x-www-form-urlencoded"
	return map[string]permEntry{
		"POST /api/v1/report-requests": one(permProbe{method: "POST", path: "/api/v1/report-requests", obj: "unit", ctype: jsonType,
			body: `{"title":"","unit_id":{id},"kind":"month","period_from":"2026-01-01","period_to":"2026-01-31","workdays":3}`, allowed: allow(permRequest, 422)}),
		"GET /api/v1/report-requests":      one(permProbe{method: "GET", path: "/api/v1/report-requests?unit={id}", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/report-requests/{id}": one(permProbe{method: "GET", path: "/api/v1/report-requests/{id}", obj: "report", allowed: allow(permReadPersonal, 200)}),
		// No unit named: 422 for whoever reads the request.
		"GET /api/v1/report-requests/{id}/draft": one(permProbe{method: "GET", path: "/api/v1/report-requests/{id}/draft", obj: "report", allowed: allow(permReadPersonal, 422)}),
		"POST /api/v1/report-requests/{id}/submissions": one(permProbe{method: "POST", path: "/api/v1/report-requests/{id}/submissions", obj: "report", ctype: jsonType,
			body: `{"unit_id":0,"body":"x"}`, allowed: allow(permReadPersonal, 422)}),
		// No such report in any request: 404 for all (reach: TestReportRequestScenario).
		"GET /api/v1/report-requests/{id}/submissions/{sid}":      one(permProbe{method: "GET", path: "/api/v1/report-requests/{id}/submissions/999999999", obj: "report", allowed: everyone(404)}),
		"GET /api/v1/report-requests/{id}/submissions/{sid}.docx": one(permProbe{method: "GET", path: "/api/v1/report-requests/{id}/submissions/999999999.docx", obj: "report", allowed: everyone(404)}),
		"GET /api/v1/report-requests/{id}/submissions/{sid}.pdf":  one(permProbe{method: "GET", path: "/api/v1/report-requests/{id}/submissions/999999999.pdf", obj: "report", allowed: everyone(404)}),
		// Pages.
		"GET /bao-cao":     one(permProbe{method: "GET", path: "/bao-cao?unit={id}", obj: "unit", allowed: allow(permReadPersonal, 200)}),
		"GET /bao-cao/moi": one(permProbe{method: "GET", path: "/bao-cao/moi?unit={id}", obj: "unit", allowed: allow(permRequest, 200)}),
		"POST /bao-cao/moi": one(permProbe{method: "POST", path: "/bao-cao/moi?unit={id}", obj: "unit", ctype: form,
			body: "title=&kind=month&period_from=2026-01-01&period_to=2026-01-31&workdays=3", allowed: allow(permRequest, 422)}),
		"GET /bao-cao/{id}": one(permProbe{method: "GET", path: "/bao-cao/{id}", obj: "report", allowed: allow(permReadPersonal, 200)}),
		// No unit named: nothing to draft, 404 for all.
		"GET /bao-cao/{id}/gui":       one(permProbe{method: "GET", path: "/bao-cao/{id}/gui", obj: "report", allowed: everyone(404)}),
		"POST /bao-cao/{id}/gui":      one(permProbe{method: "POST", path: "/bao-cao/{id}/gui", obj: "report", ctype: form, body: "body=x", allowed: everyone(404)}),
		"GET /bao-cao/{id}/bai/{sid}": one(permProbe{method: "GET", path: "/bao-cao/{id}/bai/999999999", obj: "report", allowed: everyone(404)}),
	}
}
