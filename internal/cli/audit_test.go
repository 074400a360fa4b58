package cli

import (
	"fmt"
	"testing"
)

func TestAPIAuditTrail(t *testing.T) {
	m := parallelDemo(t)
	dv := m.signIn(t, "dangvien")
	myID := myMemberID(dv)
	office := m.signIn(t, "vanphong")
	if st := office.do("GET", fmt.Sprintf("/api/v1/members/%d", myID), nil, nil); st != 200 {
		t.Fatalf("office reads: %d", st)
	}
	office.do("PATCH", fmt.Sprintf("/api/v1/members/%d", myID), map[string]any{"position": "Tổ trưởng"}, nil)

	type entry struct {
		Username   string `json:"username"`
		Action     string `json:"action"`
		ObjectType string `json:"object_type"`
		ObjectID   *int64 `json:"object_id"`
	}
	var own listJSON[entry]
	if st := dv.do("GET", "/api/v1/audit", nil, &own); st != 200 {
		t.Fatalf("member's own audit: %d", st)
	}
	var reads, writes int
	for _, e := range own.Items {
		if e.ObjectType != "member" || e.ObjectID == nil || *e.ObjectID != myID {
			t.Errorf("a member sees an entry about something else: %+v", e)
		}
		if e.Username == "vanphong" && e.Action == "member.read" {
			reads++
		}
		if e.Username == "vanphong" && e.Action == "member.update" {
			writes++
		}
	}
	if reads != 1 || writes != 1 {
		t.Errorf("the member sees %d reads and %d updates by the office, want 1 and 1", reads, writes)
	}
	var byObject listJSON[entry]
	office.do("GET", fmt.Sprintf("/api/v1/audit?object=member:%d", myID), nil, &byObject)
	if len(byObject.Items) < 2 {
		t.Errorf("office filtering by object: %d entries", len(byObject.Items))
	}
	commune := m.signIn(t, "danguy.phutuc")
	var roots listJSON[unitJSON]
	office.do("GET", "/api/v1/units", nil, &roots)
	if st := commune.do("GET", fmt.Sprintf("/api/v1/audit?unit=%d", roots.Items[0].ID), nil, nil); st != 404 {
		t.Errorf("commune officer reading the district's log: %d, want 404", st)
	}
}
