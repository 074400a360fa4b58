package cli

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

type unitJSON struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Code     string `json:"code"`
	Path     string `json:"path"`
	Version  int    `json:"version"`
}

type memberJSON map[string]any

type listJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
	// TotalAtLeast: total is a lower bound (docs/api.md).
	TotalAtLeast bool `json:"total_at_least"`
}

type problemJSON struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Row     int    `json:"row"`
		Message string `json:"message"`
	} `json:"errors"`
}

// hasField says whether the problem names field among its errors.
func (p problemJSON) hasField(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// unitByName finds a child of parent by its exact name.
func unitByName(t *testing.T, c *client, parent int64, name string) unitJSON {
	t.Helper()
	var l listJSON[unitJSON]
	if st := c.do("GET", fmt.Sprintf("/api/v1/units?parent=%d", parent), nil, &l); st != 200 {
		t.Fatalf("children of %d: status %d", parent, st)
	}
	for _, u := range l.Items {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no unit %q under %d", name, parent)
	return unitJSON{}
}

func TestAPISignIn(t *testing.T) {
	m := parallelDemo(t)
	c := m.client(t)
	var wrong, unknown problemJSON
	stWrong := c.do("POST", "/api/v1/session", map[string]string{"username": "admin", "password": "not the password"}, &wrong)
	stUnknown := c.do("POST", "/api/v1/session", map[string]string{"username": "nobody", "password": "not the password"}, &unknown)
	if stWrong != 401 || stUnknown != 401 {
		t.Errorf("wrong password: %d, unknown user: %d, want 401 and 401", stWrong, stUnknown)
	}
	if wrong.Detail != unknown.Detail {
		t.Errorf("messages differ: %q vs %q: they must not tell which", wrong.Detail, unknown.Detail)
	}
	if st := c.do("GET", "/api/v1/units", nil, nil); st != 401 {
		t.Errorf("anonymous GET /units: got %d, want 401", st)
	}
	admin := m.signIn(t, "admin")
	var me struct {
		Username string
		Roles    []struct {
			UnitID int64  `json:"unit_id"`
			Role   string `json:"role"`
		}
	}
	admin.do("GET", "/api/v1/accounts/me", nil, &me)
	if me.Username != "admin" || len(me.Roles) != 1 || me.Roles[0].Role != "admin" {
		t.Errorf("me = %+v, want admin with the admin role", me)
	}
	if st := admin.do("DELETE", "/api/v1/session", nil, nil); st != 204 {
		t.Errorf("sign out: %d", st)
	}
	if st := admin.do("GET", "/api/v1/accounts/me", nil, nil); st != 401 {
		t.Errorf("after sign out: got %d, want 401", st)
	}
}

func TestAPITreeAndSearch(t *testing.T) { bothEngines(t, testAPITreeAndSearch) }

func testAPITreeAndSearch(t *testing.T, m *Main) {
	admin := m.signIn(t, "admin")
	var roots listJSON[unitJSON]
	admin.do("GET", "/api/v1/units", nil, &roots)
	if len(roots.Items) != 1 || roots.Items[0].Name != "Thành ủy Hà Nội" {
		t.Fatalf("roots = %+v, want Thành ủy Hà Nội", roots.Items)
	}
	district := unitByName(t, admin, roots.Items[0].ID, "Huyện ủy Phú Xuyên")
	var kids listJSON[unitJSON]
	admin.do("GET", fmt.Sprintf("/api/v1/units?parent=%d", district.ID), nil, &kids)
	if got, want := kids.Total, 58; got != want {
		t.Errorf("organisations under the district: got %d, want %d", got, want)
	}
	// Search without diacritics, and in decomposed Unicode, finds the same people.
	var plain, nfd listJSON[memberJSON]
	admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=500", district.ID, url.QueryEscape("nguyen van")), nil, &plain)
	admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=500", district.ID, url.QueryEscape(norm.NFD.String("NGUYỄN Văn"))), nil, &nfd)
	if plain.Total == 0 || plain.Total != nfd.Total {
		t.Fatalf("q=nguyen van: %d, NFD: %d, want equal and non-zero", plain.Total, nfd.Total)
	}
	for _, it := range plain.Items {
		if !strings.Contains(it["full_name"].(string), "Nguyễn Văn") && !strings.Contains(it["full_name"].(string), "Nguyễn Vân") {
			t.Errorf("q=nguyen van found %q", it["full_name"])
		}
	}
	// Odd spellings of a two-word query (found through its word boundary,
	// migration 0042) find the same people; control and bidi characters,
	// the boundary index's own key for long names ("~") and a huge query
	// find no one and break nothing.
	for _, tc := range []struct {
		q    string
		same bool
	}{
		{"nguyen  van", true}, {" nguyen van ", true}, {"nguyen\tvan", true}, {"NGUYỄN VĂN", true},
		{"nguyen\u202evan", false}, {"nguyen\x01van", false}, {"~", false}, {"~ ~", false},
		{strings.Repeat("nguyen van ", 900), false},
	} {
		var got listJSON[memberJSON]
		st := admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=%s&limit=500", district.ID, url.QueryEscape(tc.q)), nil, &got)
		total, items := 0, 0
		if tc.same {
			total, items = plain.Total, len(plain.Items)
		}
		if st != 200 || got.Total != total || len(got.Items) != items {
			t.Errorf("q=%.30q: %d, %d of %d members, want 200 and %d of %d", tc.q, st, len(got.Items), got.Total, items, total)
		}
	}
	// Paging walks the whole list once, in order, without repeats.
	seen := map[float64]bool{}
	cursor := ""
	pages := 0
	for {
		var p listJSON[memberJSON]
		admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=nguyen&limit=100&cursor=%s", district.ID, url.QueryEscape(cursor)), nil, &p)
		for _, it := range p.Items {
			id := it["id"].(float64)
			if seen[id] {
				t.Fatalf("member %v on two pages", id)
			}
			seen[id] = true
		}
		pages++
		if pages == 1 && (p.Total != 1000 || !p.TotalAtLeast) {
			// 3,770 match in the demo district: counted up to 1,000
			// (r22-nguyen; docs/api.md "Members").
			t.Errorf("q=nguyen: total %d at least %v, want at least 1000", p.Total, p.TotalAtLeast)
		}
		if p.NextCursor == nil {
			if len(seen) < p.Total || (!p.TotalAtLeast && len(seen) != p.Total) {
				t.Errorf("paged %d members, total says %d (at least %v)", len(seen), p.Total, p.TotalAtLeast)
			}
			break
		}
		cursor = *p.NextCursor
	}
	if pages < 2 {
		t.Errorf("expected several pages, got %d", pages)
	}
}

func TestAPIReach(t *testing.T) { bothEngines(t, testAPIReach) }

func testAPIReach(t *testing.T, m *Main) {
	admin := m.signIn(t, "admin")
	district, phuTuc, other := apiUnits(t, admin)
	outside, _ := firstListedMember(t, admin, other.ID)
	outsideID := int64(outside["id"].(float64))

	commune := m.signIn(t, "danguy.phutuc")
	tests := []struct {
		name string
		path string
		want int
	}{
		{"own commune", fmt.Sprintf("/api/v1/units/%d", phuTuc.ID), 200},
		{"own commune stats", fmt.Sprintf("/api/v1/units/%d/stats", phuTuc.ID), 200},
		{"other commune", fmt.Sprintf("/api/v1/units/%d", other.ID), 404},
		{"other commune members", fmt.Sprintf("/api/v1/members?unit=%d", other.ID), 404},
		{"member outside", fmt.Sprintf("/api/v1/members/%d", outsideID), 404},
		{"district stats", fmt.Sprintf("/api/v1/units/%d/stats", district.ID), 404},
		{"no such member", "/api/v1/members/99999999", 404},
		{"not an id", "/api/v1/members/abc", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commune.do("GET", tt.path, nil, nil); got != tt.want {
				t.Errorf("GET %s: got %d, want %d", tt.path, got, tt.want)
			}
		})
	}
	// A member sees their own record in full, cell-mates without personal fields.
	dv := m.signIn(t, "dangvien")
	myID := myMemberID(dv)
	var own memberJSON
	if st := dv.do("GET", fmt.Sprintf("/api/v1/members/%d", myID), nil, &own); st != 200 || own["card_no"] == nil {
		t.Errorf("own record: status %d, card_no %v", st, own["card_no"])
	}
	cell := int64(own["unit_id"].(float64))
	var mates listJSON[memberJSON]
	if st := dv.do("GET", fmt.Sprintf("/api/v1/members?unit=%d", cell), nil, &mates); st != 200 || mates.Total < 2 {
		t.Fatalf("cell list: status %d, total %d", st, mates.Total)
	}
	for _, it := range mates.Items {
		for _, personal := range []string{"card_no", "citizen_id", "phone", "birth_date", "email"} {
			if _, ok := it[personal]; ok {
				t.Fatalf("a member sees %s of a cell-mate", personal)
			}
		}
	}
	if st := dv.do("GET", fmt.Sprintf("/api/v1/members/%d", outsideID), nil, nil); st != 404 {
		t.Errorf("member reading outside: got %d, want 404", st)
	}
	if st := dv.do("GET", fmt.Sprintf("/api/v1/units/%d/stats", cell), nil, nil); st != 404 {
		t.Errorf("member reading stats: got %d, want 404", st)
	}
}

func TestAPIMemberWrites(t *testing.T) { bothEngines(t, testAPIMemberWrites) }

func testAPIMemberWrites(t *testing.T, m *Main) {
	admin := m.signIn(t, "admin")
	cells := phuTucCells(t, admin)
	cell := cells[0]
	office := m.signIn(t, "vanphong")

	valid := map[string]any{"unit_id": cell.ID, "full_name": norm.NFD.String("  Nguyễn   Thị Hường "), "gender": "female", "birth_date": "1990-04-12",
		"card_no": "01234567", "citizen_id": "001190012345", "phone": "+84 912 345 678", "admitted_on": "2015-05-19", "full_on": "2016-05-19"}
	var created memberJSON
	if st := office.do("POST", "/api/v1/members", valid, &created); st != 201 {
		t.Fatalf("create: status %d: %v", st, created)
	}
	if got, want := created["full_name"], norm.NFC.String("Nguyễn Thị Hường"); got != want {
		t.Errorf("full_name stored as %q, want NFC %q", got, want)
	}
	if got, want := created["phone"], "0912345678"; got != want {
		t.Errorf("phone stored as %q, want %q", got, want)
	}
	id := int64(created["id"].(float64))

	bad := map[string]any{"unit_id": cell.ID, "full_name": "Lê Văn Tám", "gender": "x", "birth_date": "2010-01-01",
		"card_no": "1234", "citizen_id": "12", "phone": "12345", "admitted_on": "2015-01-01"}
	var p problemJSON
	if st := office.do("POST", "/api/v1/members", bad, &p); st != 422 {
		t.Fatalf("invalid create: got %d, want 422", st)
	}
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	want := []string{"gender", "card_no", "citizen_id", "phone", "birth_date", "admitted_on"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("invalid fields (-want +got):\n%s", diff)
	}
	dup := map[string]any{}
	for k, v := range valid {
		dup[k] = v
	}
	dup["citizen_id"] = ""
	if st := office.do("POST", "/api/v1/members", dup, &p); st != 409 {
		t.Errorf("duplicate card number: got %d, want 409", st)
	}
	// Edits carry the version: a stale one is refused.
	var edited memberJSON
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"position": "Chi ủy viên"}, &edited, "If-Match", `"1"`); st != 200 {
		t.Fatalf("edit: %d %v", st, edited)
	}
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"position": "Bí thư"}, &p, "If-Match", `"1"`); st != 409 {
		t.Errorf("stale edit: got %d, want 409", st)
	}
	// Lifecycle.
	steps := []struct {
		body map[string]any
		want int
	}{
		{map[string]any{"status": "deceased", "effective_on": "2026-01-01"}, 200},
		{map[string]any{"status": "full", "effective_on": "2026-02-01"}, 409},
		{map[string]any{"status": "nonsense", "effective_on": "2026-02-01"}, 422},
	}
	for _, s := range steps {
		if got := office.do("POST", fmt.Sprintf("/api/v1/members/%d/status", id), s.body, nil); got != s.want {
			t.Errorf("status %v: got %d, want %d", s.body, got, s.want)
		}
	}
	// Standing committee reads but does not write; a commune officer cannot write elsewhere.
	btv := m.signIn(t, "btv")
	if st := btv.do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"position": "x"}, nil); st != 404 {
		t.Errorf("standing committee edit: got %d, want 404", st)
	}
	if st := btv.do("GET", fmt.Sprintf("/api/v1/members/%d", id), nil, nil); st != 200 {
		t.Errorf("standing committee read: got %d, want 200", st)
	}
}

// firstListedMember answers the first member of a unit's list as c reads it,
// and the list's total; a unit without members fails the test.
func firstListedMember(t *testing.T, c *client, unitID int64) (memberJSON, int) {
	t.Helper()
	var l listJSON[memberJSON]
	if st := c.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=1", unitID), nil, &l); st != 200 || len(l.Items) == 0 {
		t.Fatalf("the members of unit %d: %d, %d items", unitID, st, len(l.Items))
	}
	return l.Items[0], l.Total
}

func TestAPITransfer(t *testing.T) { bothEngines(t, testAPITransfer) }

// transferStart is where the transfer tests start: the admin's client,
// a Phú Túc cell (from), the first member of its list (id) and its total,
// and another cell of the commune (to).
func transferStart(t *testing.T, m *Main) (admin *client, from, to unitJSON, id int64, total int) {
	t.Helper()
	admin = m.signIn(t, "admin")
	cells := phuTucCells(t, admin)
	first, total := firstListedMember(t, admin, cells[0].ID)
	return admin, cells[0], cells[1], int64(first["id"].(float64)), total
}

func testAPITransfer(t *testing.T, m *Main) {
	admin, from, to, id, before := transferStart(t, m)
	var moved memberJSON
	if st := admin.do("POST", fmt.Sprintf("/api/v1/members/%d/transfers", id), map[string]any{"to_unit_id": to.ID, "kind": "official", "effective_on": "2026-10-01"}, &moved); st != 200 {
		t.Fatalf("transfer: %d %v", st, moved)
	}
	count := func(unit int64, asOf string) int {
		var l listJSON[memberJSON]
		admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&as_of=%s", unit, asOf), nil, &l)
		return l.Total
	}
	got := []int{count(from.ID, "2026-09-30"), count(from.ID, "2026-10-01"), count(to.ID, "2026-09-30"), count(to.ID, "2026-10-01")}
	want := []int{before, before - 1, got[2], got[2] + 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts around the transfer (-want +got):\n%s", diff)
	}
}

func TestAPITemporaryTransfer(t *testing.T) { bothEngines(t, testAPITemporaryTransfer) }

func testAPITemporaryTransfer(t *testing.T, m *Main) {
	admin, home, host, id, total := transferStart(t, m)
	hosted := func() int {
		var h listJSON[memberJSON]
		admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&temporary=true", host.ID), nil, &h)
		return h.Total
	}
	if st := admin.do("POST", fmt.Sprintf("/api/v1/members/%d/transfers", id), map[string]any{"to_unit_id": host.ID, "kind": "temporary", "effective_on": "2026-09-01"}, nil); st != 200 {
		t.Fatalf("temporary transfer: %d", st)
	}
	var after listJSON[memberJSON]
	admin.do("GET", fmt.Sprintf("/api/v1/members?unit=%d", home.ID), nil, &after)
	if got := []int{hosted(), after.Total}; got[0] != 1 || got[1] != total {
		t.Errorf("hosted by the other cell %d (want 1); home cell %d (want %d, unchanged)", got[0], got[1], total)
	}
	if st := admin.do("POST", fmt.Sprintf("/api/v1/members/%d/transfers", id), map[string]any{"to_unit_id": home.ID, "kind": "temporary", "effective_on": "2026-10-01"}, nil); st != 200 {
		t.Fatalf("return home: %d", st)
	}
	if got := hosted(); got != 0 {
		t.Errorf("after returning, hosted: %d", got)
	}
	var evs listJSON[map[string]any]
	admin.do("GET", fmt.Sprintf("/api/v1/members/%d/events", id), nil, &evs)
	var kinds []string
	for _, e := range evs.Items {
		kinds = append(kinds, e["kind"].(string))
	}
	if diff := cmp.Diff([]string{"transfer_return", "transfer_temporary"}, kinds); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}
