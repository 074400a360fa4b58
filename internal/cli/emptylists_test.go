package cli

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestEmptyListsAnswerArrays: an empty list answers [] in JSON, never
// null (docs/api.md, "Empty lists"). Before, the calendar feeds of an
// account with none answered "items": null, and a meeting without
// amendments "amendments": null.
func TestEmptyListsAnswerArrays(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	c := m.signIn(t, "dangvien")
	var me struct {
		Roles []struct {
			UnitID int64 `json:"unit_id"`
		} `json:"roles"`
	}
	if st := c.do("GET", "/api/v1/accounts/me", nil, &me); st != 200 || len(me.Roles) == 0 {
		t.Fatalf("GET /api/v1/accounts/me: %d, roles %v", st, me.Roles)
	}
	var meetings listJSON[struct {
		ID int64 `json:"id"`
	}]
	if st := c.do("GET", fmt.Sprintf("/api/v1/units/%d/meetings", me.Roles[0].UnitID), nil, &meetings); st != 200 || len(meetings.Items) == 0 {
		t.Fatalf("the cell's meetings: %d, %d items", st, len(meetings.Items))
	}
	probes := []struct{ path, field string }{{"/api/v1/meeting-feeds", "items"}}
	for _, mt := range meetings.Items {
		probes = append(probes, struct{ path, field string }{fmt.Sprintf("/api/v1/meetings/%d", mt.ID), "amendments"})
	}
	empty := map[string]int{}
	for _, p := range probes {
		var out map[string]json.RawMessage
		if st := c.do("GET", p.path, nil, &out); st != 200 {
			t.Fatalf("GET %s: %d", p.path, st)
		}
		var list []json.RawMessage
		got := string(out[p.field])
		if got == "null" || json.Unmarshal(out[p.field], &list) != nil {
			t.Errorf("GET %s: %s is %s, want a JSON array", p.path, p.field, got)
		}
		if got == "[]" {
			empty[p.field]++
		}
	}
	// The probes must have met empty lists: the demo's member has no
	// calendar feed and some meetings no amendment.
	for _, f := range []string{"items", "amendments"} {
		if empty[f] == 0 {
			t.Errorf("no empty %s among the probes (%v): the test reads nothing empty", f, empty)
		}
	}
}
