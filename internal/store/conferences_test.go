package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/member"
)

func TestConferences(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		st := Conferences{DB: db}
		u := mustTree(t, db, "district PX", "grassroots PX.A", "grassroots PX.B", "cell PX.A.1", "cell PX.B.1", "cell PX.1")
		district, a, b := u["PX"], u["PX.A"], u["PX.B"]
		cellA, cellB, cellD := u["PX.A.1"], u["PX.B.1"], u["PX.1"]
		an := mustMember(t, db, cellA, "Nguyễn Văn An", "10000001")
		binh := mustMember(t, db, cellA, "Trần Thị Bình", "10000002")
		cuc := mustMember(t, db, cellB, "Lê Đức Cúc", "10000003")
		dung := mustMember(t, db, cellD, "Phạm Dũng", "10000004")
		start := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		now := start.Add(10 * time.Minute)
		svc := &conference.Service{Store: st, Now: func() time.Time { return now }}
		office := &auth.Actor{AccountID: 0, Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
		c, err := svc.Create(ctx, office, conference.CreateInput{Title: "Hội nghị quán triệt", StartsAt: start, HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Invited != 4 {
			t.Errorf("invited %d, want 4", c.Invited)
		}
		ps, err := svc.AddPoints(ctx, office, c.ID, []conference.PointInput{{UnitID: district.ID, Name: "Hội trường huyện"}, {UnitID: a.ID, Name: "Xã A", StreamURL: "https://v.example.vn/a"}})
		if err != nil {
			t.Fatal(err)
		}
		hall, pa := ps[0].ID, ps[1].ID
		where := func() map[int64]int64 {
			got := map[int64]int64{}
			for _, m := range []int64{an.ID, binh.ID, cuc.ID, dung.ID} {
				x, err := st.Attendee(ctx, c.ID, m)
				if err != nil {
					t.Fatal(err)
				}
				got[m] = *x.BridgePointID
			}
			return got
		}
		if d := cmp.Diff(map[int64]int64{an.ID: pa, binh.ID: pa, cuc.ID: hall, dung.ID: hall}, where()); d != "" {
			t.Errorf("expected points (-want +got):\n%s", d)
		}
		// A point for commune B moves Cúc there; Bình placed by hand stays.
		if _, err := svc.SetExpected(ctx, office, c.ID, binh.ID, &hall); err != nil {
			t.Fatal(err)
		}
		ps, err = svc.AddPoints(ctx, office, c.ID, []conference.PointInput{{UnitID: b.ID, Name: "Xã B"}})
		if err != nil {
			t.Fatal(err)
		}
		pb := ps[2].ID
		if ps[2].UnitID != b.ID {
			t.Fatalf("points %+v", ps)
		}
		if d := cmp.Diff(map[int64]int64{an.ID: pa, binh.ID: hall, cuc.ID: pb, dung.ID: hall}, where()); d != "" {
			t.Errorf("expected points after a new point (-want +got):\n%s", d)
		}
		key, err := st.ServerKey(ctx, conference.PassKeyName)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := st.ServerKey(ctx, conference.PassKeyName); !cmp.Equal(key, again) || len(key) != 32 {
			t.Errorf("server key changed or short: %x, %x", key, again)
		}
		early := start.Add(-3 * time.Minute)
		in := []conference.CheckinInput{
			{Code: conference.SignPass(key, c.ID, an.ID), BridgePointID: pa, At: &early, ClientID: "dev1-1"},
			{MemberID: cuc.ID, BridgePointID: hall, ClientID: "dev1-2"}, // elsewhere, late
		}
		got, err := svc.Checkin(ctx, office, c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Repeat || got[1].Repeat || !got[1].Elsewhere || !got[1].Late || got[0].Late {
			t.Errorf("first check-ins: %+v", got)
		}
		// The offline queue sends them again: nothing changes.
		again, err := svc.Checkin(ctx, office, c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if !again[0].Repeat || !again[1].Repeat || !again[0].At.Equal(early) {
			t.Errorf("repeat: %+v", again)
		}
		// A batch naming a member not invited is refused, on that row.
		_, err = svc.Checkin(ctx, office, c.ID, []conference.CheckinInput{{MemberID: cuc.ID, BridgePointID: hall}, {MemberID: 999999, BridgePointID: hall}})
		var refused *apperr.Error
		if !errors.As(err, &refused) || refused.Code != apperr.Invalid || len(refused.Fields) != 1 || refused.Fields[0].Key != "conference.not_invited" || refused.Fields[0].Row != 2 {
			t.Errorf("a member not invited in a batch: %v %+v", err, refused)
		}
		// A client id used for another member is a conflict.
		if _, err := svc.Checkin(ctx, office, c.ID, []conference.CheckinInput{{MemberID: dung.ID, BridgePointID: hall, ClientID: "dev1-1"}}); err == nil {
			t.Errorf("a client id reused for another member was accepted")
		}
		att, err := svc.Attendance(ctx, office, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantTotal := conference.Counts{Expected: 4, Present: 2, Late: 1, Absent: 2, Elsewhere: 1}
		if d := cmp.Diff(wantTotal, att.Total); d != "" {
			t.Errorf("total (-want +got):\n%s", d)
		}
		byID := map[int64]conference.Counts{}
		for _, p := range att.BridgePoints {
			byID[p.ID] = p.Counts
		}
		want := map[int64]conference.Counts{
			hall: {Expected: 2, Present: 1, Late: 1, Absent: 2, Elsewhere: 1},
			pa:   {Expected: 1, Present: 1, Absent: 0},
			pb:   {Expected: 1, Absent: 0},
		}
		if d := cmp.Diff(want, byID); d != "" {
			t.Errorf("per point (-want +got):\n%s", d)
		}
		if err := svc.Heartbeat(ctx, office, c.ID, pb); err != nil {
			t.Fatal(err)
		}
		att, _ = svc.Attendance(ctx, office, c.ID)
		for _, p := range att.BridgePoints {
			if p.Connected != (p.ID == pb) {
				t.Errorf("point %d connected %v", p.ID, p.Connected)
			}
		}
		// The hall's roll: Bình and Dũng expected, Cúc checked in there;
		// searched without diacritics.
		roll, err := svc.Roll(ctx, office, c.ID, hall, "", 2, "")
		if err != nil {
			t.Fatal(err)
		}
		names := func(p []conference.Attendee) []string {
			var s []string
			for _, x := range p {
				s = append(s, x.Name)
			}
			return s
		}
		if roll.Total != 3 || roll.NextCursor == nil {
			t.Fatalf("roll total %d, cursor %v; want 3 and a next page", roll.Total, roll.NextCursor)
		}
		more, err := svc.Roll(ctx, office, c.ID, hall, "", 2, *roll.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"Trần Thị Bình", "Lê Đức Cúc", "Phạm Dũng"}, append(names(roll.Items), names(more.Items)...)); d != "" {
			t.Errorf("roll by given name (-want +got):\n%s", d)
		}
		found, err := svc.Roll(ctx, office, c.ID, hall, "duc cuc", 50, "")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"Lê Đức Cúc"}, names(found.Items)); d != "" || !found.Items[0].CheckedIn || found.Total != 1 {
			t.Errorf("search without diacritics (-want +got):\n%s %+v, total %d", d, found.Items, found.Total)
		}
		list, err := svc.List(ctx, office, 10, "")
		if err != nil || list.Total != 1 || list.Items[0].Invited != 4 {
			t.Errorf("list: %+v, %v", list, err)
		}
	})
}

// TestConferenceAudienceFollows: until the start, the expected attendees
// follow the audience (a new member, a member moved in, a member moved out)
// and each one gets one invitation; after the start nobody moves.
func TestConferenceAudienceFollows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 19, 1, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		st := Conferences{DB: db}
		u := mustTree(t, db, "district PX", "grassroots PX.A", "cell PX.A.1", "cell PX.A.2", "cell PX.1")
		district, a, cellA, cellA2, cellD := u["PX"], u["PX.A"], u["PX.A.1"], u["PX.A.2"], u["PX.1"]
		an := mustMember(t, db, cellA, "Nguyễn Văn An", "10000001")
		dung := mustMember(t, db, cellD, "Phạm Dũng", "10000004")
		start := now.Add(24 * time.Hour)
		svc := &conference.Service{Store: st, Now: func() time.Time { return now }}
		office := &auth.Actor{Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
		c, err := svc.Create(ctx, office, conference.CreateInput{Title: "Hội nghị xã A", StartsAt: start, HostUnitID: district.ID, Audience: conference.Audience{UnitID: a.ID}})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := svc.AddPoints(ctx, office, c.ID, []conference.PointInput{{UnitID: a.ID, Name: "Xã A"}, {UnitID: cellA2.ID, Name: "Chi bộ 2"}})
		if err != nil {
			t.Fatal(err)
		}
		pa, p2 := ps[0].ID, ps[1].ID
		if ps[0].UnitID != a.ID {
			pa, p2 = p2, pa
		}
		state := func() (map[int64]int64, map[int64]int) { t.Helper(); return conferenceState(t, db, c.ID) }
		check := func(step string, wantExp map[int64]int64, wantInv map[int64]int) {
			t.Helper()
			exp, inv := state()
			if d := cmp.Diff(wantExp, exp); d != "" {
				t.Errorf("%s: expected attendees (-want +got):\n%s", step, d)
			}
			if d := cmp.Diff(wantInv, inv); d != "" {
				t.Errorf("%s: invitations (-want +got):\n%s", step, d)
			}
		}
		check("created", map[int64]int64{an.ID: pa}, map[int64]int{an.ID: 1})
		binh := mustMember(t, db, cellA2, "Trần Thị Bình", "10000002")
		check("a new member", map[int64]int64{an.ID: pa, binh.ID: p2}, map[int64]int{an.ID: 1, binh.ID: 1})
		move := func(m *member.Member, to int64) {
			t.Helper()
			m.UnitID = to
			if err := (Members{db}).Update(ctx, m, m.Version, auth.AuditEntry{Actor: system, Action: "member.update", ObjectType: "member", ObjectID: m.ID}); err != nil {
				t.Fatal(err)
			}
		}
		move(dung, cellA.ID)
		check("moved in", map[int64]int64{an.ID: pa, binh.ID: p2, dung.ID: pa}, map[int64]int{an.ID: 1, binh.ID: 1, dung.ID: 1})
		move(binh, cellA.ID)
		check("moved within", map[int64]int64{an.ID: pa, binh.ID: pa, dung.ID: pa}, map[int64]int{an.ID: 1, binh.ID: 1, dung.ID: 1})
		move(an, cellD.ID)
		check("moved out: the invitation withdrawn", map[int64]int64{binh.ID: pa, dung.ID: pa}, map[int64]int{binh.ID: 1, dung.ID: 1})
		move(an, cellA.ID)
		check("back in: invited again, once", map[int64]int64{an.ID: pa, binh.ID: pa, dung.ID: pa}, map[int64]int{an.ID: 1, binh.ID: 1, dung.ID: 1})
		// Checked in early (the day before is allowed), then moved out: kept.
		if _, err := svc.Checkin(ctx, office, c.ID, []conference.CheckinInput{{MemberID: dung.ID, BridgePointID: pa}}); err != nil {
			t.Fatal(err)
		}
		move(dung, cellD.ID)
		check("checked in, moved out", map[int64]int64{an.ID: pa, binh.ID: pa, dung.ID: pa}, map[int64]int{an.ID: 1, binh.ID: 1, dung.ID: 1})
		// After the start the list is the record.
		now = start.Add(time.Minute)
		move(binh, cellD.ID)
		mustMember(t, db, cellA, "Lê Cúc", "10000003")
		check("after the start", map[int64]int64{an.ID: pa, binh.ID: pa, dung.ID: pa}, map[int64]int{an.ID: 1, binh.ID: 1, dung.ID: 1})
		// The record: present, absent, elsewhere; to the member and the
		// officers only.
		if _, err := svc.Checkin(ctx, office, c.ID, []conference.CheckinInput{{MemberID: binh.ID, BridgePointID: p2}}); err != nil {
			t.Fatal(err)
		}
		status := map[int64]string{}
		for _, m := range []int64{an.ID, binh.ID, dung.ID} {
			h, err := svc.History(ctx, &auth.Actor{MemberID: m}, m, 10, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Items) != 1 || h.Total != 1 || h.Items[0].ConferenceID != c.ID {
				t.Fatalf("history of %d: %+v", m, h)
			}
			status[m] = h.Items[0].Status
		}
		if d := cmp.Diff(map[int64]string{an.ID: "absent", binh.ID: "elsewhere", dung.ID: "present"}, status); d != "" {
			t.Errorf("history (-want +got):\n%s", d)
		}
		if _, err := svc.History(ctx, &auth.Actor{MemberID: an.ID}, binh.ID, 10, ""); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another member's history: %v, want not found", err)
		}
		if h, err := svc.History(ctx, office, an.ID, 10, ""); err != nil || len(h.Items) != 1 {
			t.Errorf("the office reads the history: %v %+v", err, h)
		}
		// Paging: a second conference, one per page.
		if _, err := svc.Create(ctx, office, conference.CreateInput{Title: "Hội nghị thứ hai", StartsAt: start.Add(48 * time.Hour), HostUnitID: district.ID, Audience: conference.Audience{UnitID: a.ID}}); err != nil {
			t.Fatal(err)
		}
		var titles []string
		cursor := ""
		for i := 0; i < 3; i++ {
			h, err := svc.History(ctx, office, an.ID, 1, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range h.Items {
				titles = append(titles, x.Title+" "+x.Status)
			}
			if h.NextCursor == nil {
				break
			}
			cursor = *h.NextCursor
		}
		if d := cmp.Diff([]string{"Hội nghị thứ hai upcoming", "Hội nghị xã A absent"}, titles); d != "" {
			t.Errorf("history pages (-want +got):\n%s", d)
		}
	})
}
