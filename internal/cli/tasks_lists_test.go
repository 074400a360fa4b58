package cli

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTaskListsPageAndAPI: with more tasks than a list shows, "My tasks"
// and the board count every task, show the same first page as
// GET /api/v1/tasks with the same filter, and link to the next page, which
// again is the API's; nothing is dropped.
func TestTaskListsPageAndAPI(t *testing.T) {
	m := parallelDemo(t)
	office, phuTuc := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc")
	_, a := phuTucUnits(t, m)
	for i := range 51 {
		if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": fmt.Sprintf("Việc số %d", i+1), "unit_id": a.ID, "workdays": 10}, nil); st != 201 {
			t.Fatalf("create task %d: %d", i+1, st)
		}
	}
	api := func(t *testing.T, cl *client, query string) listJSON[taskJSON] {
		t.Helper()
		var l listJSON[taskJSON]
		if st := cl.do("GET", "/api/v1/tasks?"+query, nil, &l); st != 200 {
			t.Fatalf("GET /api/v1/tasks?%s: %d", query, st)
		}
		return l
	}
	page := func(t *testing.T, cl *client, path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+m.Addr+path, nil)
		req.AddCookie(&http.Cookie{Name: "sotay_session", Value: cl.token})
		resp, err := permHTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	taskLink := regexp.MustCompile(`href="/cong-viec/(\d+)"`)
	// section is one list of a page: its heading, its task ids and its
	// "more" link.
	section := func(t *testing.T, body, name string) (heading string, ids []string, more string) {
		t.Helper()
		i := strings.Index(body, `<h2 id="h-`+name+`">`)
		if i < 0 {
			t.Fatalf("no list %s on the page", name)
		}
		s := body[i:]
		s = s[:strings.Index(s, "</section>")]
		heading = s[strings.Index(s, ">")+1 : strings.Index(s, "</h2>")]
		for _, m := range taskLink.FindAllStringSubmatch(s, -1) {
			ids = append(ids, m[1])
		}
		if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(s); m != nil {
			more = html.UnescapeString(m[1])
		}
		return heading, ids, more
	}
	idsOf := func(l listJSON[taskJSON]) []string {
		var out []string
		for _, it := range l.Items {
			out = append(out, fmt.Sprint(it.ID))
		}
		return out
	}
	tests := []struct {
		name              string
		cl                *client
		path, list, query string
		heading           string // the heading without its count
	}{
		{"my tasks to accept", phuTuc, "/cong-viec", "to_accept", "holder=me&state=assigned&overdue=false&order=due", "Chờ tiếp nhận"},
		{"the board's open tasks", phuTuc, fmt.Sprintf("/don-vi/%d/cong-viec", a.ID), "open", fmt.Sprintf("unit=%d&state=open&overdue=false&order=due", a.ID), "Đang mở, chưa quá hạn"},
		{"what my unit answers for", phuTuc, "/cong-viec/don-vi", "open", "accountable=me&state=open&overdue=false&order=due", "Đang mở, chưa quá hạn"},
		{"what I issued", office, "/cong-viec/da-giao", "open", "issuer=me&state=open&overdue=false&order=due", "Đang mở, chưa quá hạn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := api(t, tt.cl, tt.query+"&limit=50")
			if first.Total < 51 || len(first.Items) != 50 || first.NextCursor == nil {
				t.Fatalf("the API lists %d of %d, next %v: want 50 of at least 51 and a next page", len(first.Items), first.Total, first.NextCursor)
			}
			heading, ids, more := section(t, page(t, tt.cl, tt.path), tt.list)
			if want := fmt.Sprintf("%s (%d)", tt.heading, first.Total); heading != want {
				t.Errorf("heading: got %q, want %q", heading, want)
			}
			if diff := cmp.Diff(idsOf(first), ids); diff != "" {
				t.Errorf("first page, page vs API (-api +page):\n%s", diff)
			}
			if more == "" {
				t.Fatal("no link to the next page")
			}
			second := api(t, tt.cl, tt.query+"&limit=50&cursor="+*first.NextCursor)
			_, ids, _ = section(t, page(t, tt.cl, more), tt.list)
			if diff := cmp.Diff(idsOf(second), ids); diff != "" {
				t.Errorf("next page %s, page vs API (-api +page):\n%s", more, diff)
			}
		})
	}
}
