package cli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
)

// TestSearchDoesNotMatchPersonalFields: a member may list their cell-mates'
// public fields, so a search must not match what they may not see: a
// prefix of a cell-mate's card number, citizen ID or phone finds nobody, in
// the member list (API and page) and in the global search (API and page).
// The cell's officer, who may read those fields, still finds the cell-mate,
// and each such search is an audited read, a miss included.
func TestSearchDoesNotMatchPersonalFields(t *testing.T) {
	m := parallelDemo(t)
	dv, officer := m.signIn(t, "dangvien"), m.signIn(t, "bithu.phutuc")
	myID := myMemberID(dv)
	var own memberJSON
	if st := dv.do("GET", fmt.Sprintf("/api/v1/members/%d", myID), nil, &own); st != 200 {
		t.Fatalf("own record: %d", st)
	}
	cell := int64(own["unit_id"].(float64))
	var mates listJSON[memberJSON]
	if st := officer.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=500", cell), nil, &mates); st != 200 {
		t.Fatalf("the officer's cell list: %d", st)
	}
	// A cell-mate for each personal number, and the prefix to probe with.
	type probe struct {
		field, q string
		mate     int64
	}
	var probes []probe
	for _, f := range []struct {
		field string
		n     int
	}{{"card_no", 5}, {"citizen_id", 6}, {"phone", 7}} {
		for _, it := range mates.Items {
			v, _ := it[f.field].(string)
			if id := int64(it["id"].(float64)); id != myID && len(v) > f.n {
				probes = append(probes, probe{f.field, v[:f.n], id})
				break
			}
		}
	}
	if len(probes) != 3 {
		t.Fatalf("the demo cell lacks cell-mates with card, citizen ID and phone: %+v", probes)
	}
	hasMember := func(items []memberJSON, id int64) bool {
		for _, it := range items {
			if int64(it["id"].(float64)) == id {
				return true
			}
		}
		return false
	}
	for _, p := range probes {
		t.Run(p.field, func(t *testing.T) {
			listPath := fmt.Sprintf("/api/v1/members?unit=%d&limit=500&q=%s", cell, url.QueryEscape(p.q))
			pagePath := fmt.Sprintf("/don-vi/%d/dang-vien?q=%s", cell, url.QueryEscape(p.q))
			mateLink := fmt.Sprintf(`href="/dang-vien/%d"`, p.mate)

			var got listJSON[memberJSON]
			if st := dv.do("GET", listPath, nil, &got); st != 200 || got.Total != 0 || len(got.Items) != 0 {
				t.Errorf("member's list search by %s prefix %q: status %d, total %d, want 200 and 0", p.field, p.q, st, got.Total)
			}
			var page []byte
			if st := dv.do("GET", pagePath, nil, &page); st != 200 || strings.Contains(string(page), mateLink) {
				t.Errorf("member's list page search by %s prefix: status %d, shows the cell-mate %v", p.field, st, strings.Contains(string(page), mateLink))
			}
			var hits listJSON[struct {
				Kind string `json:"kind"`
				ID   int64  `json:"id"`
			}]
			if st := dv.do("GET", "/api/v1/search?q="+url.QueryEscape(p.q), nil, &hits); st != 200 {
				t.Errorf("member's global search: %d", st)
			}
			for _, h := range hits.Items {
				if h.Kind == "member" {
					t.Errorf("member's global search by %s prefix finds member %d", p.field, h.ID)
				}
			}
			if st := dv.do("GET", "/tim-kiem?q="+url.QueryEscape(p.q), nil, &page); st != 200 || strings.Contains(string(page), mateLink) {
				t.Errorf("member's search page by %s prefix: status %d, shows the cell-mate %v", p.field, st, strings.Contains(string(page), mateLink))
			}

			// The officer may read the numbers, so may search them.
			if st := officer.do("GET", listPath, nil, &got); st != 200 || !hasMember(got.Items, p.mate) {
				t.Errorf("officer's list search by %s prefix %q: status %d, total %d, want the cell-mate", p.field, p.q, st, got.Total)
			}
			if st := officer.do("GET", pagePath, nil, &page); st != 200 || !strings.Contains(string(page), mateLink) {
				t.Errorf("officer's list page search by %s prefix: status %d, lacks the cell-mate", p.field, st)
			}
		})
	}
	// A name search still works for the member.
	name := strings.Fields(mates.Items[0]["full_name"].(string))
	var byName listJSON[memberJSON]
	if dv.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&limit=500&q=%s", cell, url.QueryEscape(name[len(name)-1])), nil, &byName); byName.Total == 0 {
		t.Errorf("member's name search for %q finds nobody", name[len(name)-1])
	}

	// The officer's number searches are audited reads, a miss included.
	const miss = "0000000"
	var none listJSON[memberJSON]
	if officer.do("GET", fmt.Sprintf("/api/v1/members?unit=%d&q=%s", cell, miss), nil, &none); none.Total != 0 {
		t.Fatalf("the miss %q finds %d members", miss, none.Total)
	}
	var log listJSON[struct {
		Username string          `json:"username"`
		Action   string          `json:"action"`
		After    json.RawMessage `json:"after"`
	}]
	if st := officer.do("GET", fmt.Sprintf("/api/v1/audit?unit=%d&limit=500", cell), nil, &log); st != 200 {
		t.Fatalf("officer's audit: %d", st)
	}
	searched := map[string]bool{}
	for _, e := range log.Items {
		var after struct {
			Q string `json:"q"`
		}
		if e.Username == "bithu.phutuc" && e.Action == "member.list" && json.Unmarshal(e.After, &after) == nil {
			searched[after.Q] = true
		}
	}
	for _, q := range []string{probes[0].q, probes[1].q, probes[2].q, miss} {
		if !searched[q] {
			t.Errorf("the officer's search %q is not in the audit log", q)
		}
	}
}

// TestAuditLogKeepsMembersPrivateActions: the cell officer (and the admin)
// browsing the audit log sees what was done to the cell's records, not a
// member's notes, bookmarks or reads of their own record.
func TestAuditLogKeepsMembersPrivateActions(t *testing.T) {
	m := parallelDemo(t)
	dv, officer, office, admin := m.signIn(t, "dangvien"), m.signIn(t, "bithu.phutuc"), m.signIn(t, "vanphong"), m.signIn(t, "admin")
	myID := myMemberID(dv)
	var own memberJSON
	if st := dv.do("GET", fmt.Sprintf("/api/v1/members/%d", myID), nil, &own); st != 200 {
		t.Fatalf("own record: %d", st)
	}
	cell := int64(own["unit_id"].(float64))
	// News to the cell, so that the member's note and bookmark sit in the cell.
	var news struct {
		ID int64 `json:"id"`
	}
	if st := officer.do("POST", "/api/v1/news", map[string]any{"title": "Sinh hoạt chi bộ tháng 12", "category": "Hoạt động",
		"body": "Chi bộ họp vào tối thứ Sáu.", "audience": map[string]any{"unit_id": cell}}, &news); st != 201 {
		t.Fatalf("news to the cell: %d", st)
	}
	if st := dv.do("PUT", fmt.Sprintf("/api/v1/documents/%d/note", news.ID), map[string]any{"body": "Nhớ mang sổ"}, nil); st != 200 {
		t.Fatalf("note: %d", st)
	}
	if st := dv.do("PUT", fmt.Sprintf("/api/v1/documents/%d/bookmark", news.ID), nil, nil); st/100 != 2 {
		t.Fatalf("bookmark: %d", st)
	}
	if st := dv.do("DELETE", fmt.Sprintf("/api/v1/documents/%d/bookmark", news.ID), nil, nil); st/100 != 2 {
		t.Fatalf("bookmark removal: %d", st)
	}
	// Done to the member's record: an officer reads it.
	if st := office.do("GET", fmt.Sprintf("/api/v1/members/%d", myID), nil, nil); st != 200 {
		t.Fatalf("office reads the member: %d", st)
	}

	type entry struct {
		Username   string `json:"username"`
		Action     string `json:"action"`
		ObjectType string `json:"object_type"`
		ObjectID   *int64 `json:"object_id"`
	}
	for _, reader := range []struct {
		name string
		c    *client
	}{{"cell officer", officer}, {"admin", admin}} {
		t.Run(reader.name, func(t *testing.T) {
			var log listJSON[entry]
			if st := reader.c.do("GET", fmt.Sprintf("/api/v1/audit?unit=%d&limit=500", cell), nil, &log); st != 200 {
				t.Fatalf("audit: %d", st)
			}
			var got []string
			officeRead := false
			for _, e := range log.Items {
				// (The member's public acts, such as the demo's comments
				// on the cell's news, are everyone's to see.)
				if e.Username == "dangvien" && (auth.PrivateAudit(e.Action) || e.Action == "member.read" && e.ObjectID != nil && *e.ObjectID == myID) {
					got = append(got, e.Action)
				}
				if e.Username == "vanphong" && e.Action == "member.read" && e.ObjectID != nil && *e.ObjectID == myID {
					officeRead = true
				}
			}
			if len(got) != 0 {
				t.Errorf("the %s sees the member's private actions %v, want none", reader.name, got)
			}
			if !officeRead {
				t.Errorf("the %s does not see the office's read of the member's record", reader.name)
			}
		})
	}
}
