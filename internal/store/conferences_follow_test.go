package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

// conferenceState reads a conference's expected attendees (member → point,
// 0 for none) and the invitations each member got for it.
func conferenceState(t *testing.T, db *DB, confID int64) (map[int64]int64, map[int64]int) {
	t.Helper()
	ctx := context.Background()
	exp := map[int64]int64{}
	rows, err := db.read.QueryContext(ctx, `SELECT member_id, COALESCE(bridge_point_id, 0) FROM conference_attendees WHERE conference_id = $1`, confID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, p int64
		if err := rows.Scan(&m, &p); err != nil {
			t.Fatal(err)
		}
		exp[m] = p
	}
	inv := map[int64]int{}
	rows2, err := db.read.QueryContext(ctx, `SELECT member_id, COUNT(*) FROM notifications WHERE kind = $1 AND link = $2 AND event_key LIKE '%:invite:%' GROUP BY member_id`,
		conference.InvitationKind, "/hoi-nghi/"+strconv.FormatInt(confID, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var m int64
		var n int
		if err := rows2.Scan(&m, &n); err != nil {
			t.Fatal(err)
		}
		inv[m] = n
	}
	return exp, inv
}

// TestConferenceAttendeesFollowRolesAndMoves: the expected attendees of
// conferences not yet held follow a change of an account's roles (an
// audience limited by roles) and a unit moved under another parent (the
// audience, and the nearest point above each cell), in the write's own
// transaction.
func TestConferenceAttendeesFollowRolesAndMoves(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 19, 1, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		st := Conferences{DB: db}
		accounts := Accounts{DB: db}
		u := mustTree(t, db, "district PX", "grassroots PX.A", "grassroots PX.B", "cell PX.A.1", "cell PX.B.1", "cell PX.B.2")
		district, a, b, cellA, cellB, cellB2 := u["PX"], u["PX.A"], u["PX.B"], u["PX.A.1"], u["PX.B.1"], u["PX.B.2"]
		an := mustMember(t, db, cellA, "Nguyễn Văn An", "10000001")
		binh := mustMember(t, db, cellB, "Trần Thị Bình", "10000002")
		cuc := mustMember(t, db, cellB2, "Lê Đức Cúc", "10000003")
		dung := mustMember(t, db, cellA, "Phạm Dũng", "10000004")
		em := mustMember(t, db, cellA, "Hoàng Em", "10000005")
		account := func(name string, memberID int64, gs ...auth.Grant) int64 {
			t.Helper()
			acc := &auth.Account{Username: name, MemberID: &memberID, Roles: gs}
			if err := accounts.Create(ctx, acc, "x", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"}); err != nil {
				t.Fatal(err)
			}
			return acc.ID
		}
		committee := func(u *org.Unit) auth.Grant {
			return auth.Grant{UnitID: u.ID, UnitPath: u.Path, Role: auth.RoleCommittee}
		}
		setRoles := func(id int64, gs ...auth.Grant) {
			t.Helper()
			if err := accounts.SetRoles(ctx, id, gs, auth.AuditEntry{Actor: system, Action: "account.roles", ObjectType: "account", ObjectID: id}); err != nil {
				t.Fatal(err)
			}
		}
		accAn := account("an", an.ID)
		accDung := account("dung", dung.ID, committee(a))
		// Em's cell is in A, the role is on cell B.2 (outside A until it moves).
		account("em", em.ID, committee(cellB2))

		start := now.Add(24 * time.Hour)
		svc := &conference.Service{Store: st, Now: func() time.Time { return now }}
		office := &auth.Actor{Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
		// R: commune A's committee members; W: the whole district, at the
		// hall, A and B.
		r, err := svc.Create(ctx, office, conference.CreateInput{Title: "Hội nghị cấp ủy xã A", StartsAt: start, HostUnitID: district.ID,
			Audience: conference.Audience{UnitID: a.ID, Roles: []auth.Role{auth.RoleCommittee}}})
		if err != nil {
			t.Fatal(err)
		}
		rps, err := svc.AddPoints(ctx, office, r.ID, []conference.PointInput{{UnitID: a.ID, Name: "Xã A"}})
		if err != nil {
			t.Fatal(err)
		}
		ra := rps[0].ID
		w, err := svc.Create(ctx, office, conference.CreateInput{Title: "Hội nghị toàn huyện", StartsAt: start, HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
		if err != nil {
			t.Fatal(err)
		}
		wps, err := svc.AddPoints(ctx, office, w.ID, []conference.PointInput{{UnitID: district.ID, Name: "Hội trường"}, {UnitID: a.ID, Name: "Xã A"}, {UnitID: b.ID, Name: "Xã B"}})
		if err != nil {
			t.Fatal(err)
		}
		pointOf := map[int64]int64{}
		for _, p := range wps {
			pointOf[p.UnitID] = p.ID
		}
		wa, wb := pointOf[a.ID], pointOf[b.ID]

		check := func(step string, confID int64, wantExp map[int64]int64, wantInv map[int64]int) {
			t.Helper()
			exp, inv := conferenceState(t, db, confID)
			if d := cmp.Diff(wantExp, exp); d != "" {
				t.Errorf("%s: expected attendees (-want +got):\n%s", step, d)
			}
			if d := cmp.Diff(wantInv, inv); d != "" {
				t.Errorf("%s: invitations (-want +got):\n%s", step, d)
			}
		}
		check("created, roles", r.ID, map[int64]int64{dung.ID: ra}, map[int64]int{dung.ID: 1})
		check("created, district", w.ID, map[int64]int64{an.ID: wa, dung.ID: wa, em.ID: wa, binh.ID: wb, cuc.ID: wb},
			map[int64]int{an.ID: 1, dung.ID: 1, em.ID: 1, binh.ID: 1, cuc.ID: 1})

		// Roles given and taken.
		setRoles(accAn, committee(cellA))
		check("An given the role", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		setRoles(accDung)
		check("Dũng's role taken: the invitation withdrawn", r.ID, map[int64]int64{an.ID: ra}, map[int64]int{an.ID: 1})
		setRoles(accDung, committee(a))
		check("Dũng's role back: invited again, once", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		// A new account that comes with the role.
		account("binh", binh.ID, committee(a))
		check("an account for Bình, whose cell is not in A", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		accCuc := account("cuc", cuc.ID, committee(cellB2))
		check("an account for Cúc, in B", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		// Checked in early, then the role taken: kept (the record).
		if _, err := svc.Checkin(ctx, office, r.ID, []conference.CheckinInput{{MemberID: an.ID, BridgePointID: ra}}); err != nil {
			t.Fatal(err)
		}
		setRoles(accAn)
		check("An checked in, role taken", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})

		// Cell B.2 moves from B to A: Cúc (cell B.2, role on B.2) enters
		// A's committee audience; Em (cell in A, role on B.2) too; in the
		// district's conference Cúc is now expected at A's point.
		mv := func(u, to *org.Unit, on string) {
			t.Helper()
			if err := (Units{DB: db}).Move(ctx, u.ID, to.ID, date.MustParse(on), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit", ObjectID: u.ID}); err != nil {
				t.Fatal(err)
			}
		}
		mv(cellB2, a, "2026-11-02")
		check("B.2 moved under A, roles", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra, cuc.ID: ra, em.ID: ra},
			map[int64]int{dung.ID: 1, an.ID: 1, cuc.ID: 1, em.ID: 1})
		check("B.2 moved under A, district", w.ID, map[int64]int64{an.ID: wa, dung.ID: wa, em.ID: wa, binh.ID: wb, cuc.ID: wa},
			map[int64]int{an.ID: 1, dung.ID: 1, em.ID: 1, binh.ID: 1, cuc.ID: 1})
		// Placed by hand: not moved by the next move.
		if _, err := svc.SetExpected(ctx, office, w.ID, cuc.ID, &wb); err != nil {
			t.Fatal(err)
		}
		// Commune B moves under A: Bình's cell is in A's subtree now (but
		// Bình's point stays B's, the nearest); back out again.
		mv(b, a, "2026-11-03")
		check("B moved under A, roles", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra, cuc.ID: ra, em.ID: ra, binh.ID: ra},
			map[int64]int{dung.ID: 1, an.ID: 1, cuc.ID: 1, em.ID: 1, binh.ID: 1})
		mv(b, district, "2026-11-04")
		mv(cellB2, b, "2026-11-04")
		check("B and B.2 back, roles", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		check("B and B.2 back, district", w.ID, map[int64]int64{an.ID: wa, dung.ID: wa, em.ID: wa, binh.ID: wb, cuc.ID: wb},
			map[int64]int{an.ID: 1, dung.ID: 1, em.ID: 1, binh.ID: 1, cuc.ID: 1})

		// After the start the lists are the record.
		now = start.Add(time.Minute)
		setRoles(accCuc, committee(a))
		mv(cellB2, a, "2026-11-20")
		check("after the start, roles", r.ID, map[int64]int64{dung.ID: ra, an.ID: ra}, map[int64]int{dung.ID: 1, an.ID: 1})
		check("after the start, district", w.ID, map[int64]int64{an.ID: wa, dung.ID: wa, em.ID: wa, binh.ID: wb, cuc.ID: wb},
			map[int64]int{an.ID: 1, dung.ID: 1, em.ID: 1, binh.ID: 1, cuc.ID: 1})
	})
}

// TestConferenceNoticesWithdrawn: a member who leaves the audience of a
// conference not yet held loses, in the same transaction, every notice of
// that conference in the inbox (the invitation, the point, the new time:
// their link would answer 404), and keeps those of the conferences still
// expecting them and those of one where they checked in; back in the
// audience, they are invited again, once.
func TestConferenceNoticesWithdrawn(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 19, 1, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		u := mustTree(t, db, "district PX", "grassroots PX.A", "grassroots PX.B", "cell PX.A.1")
		district, a, b, cell := u["PX"], u["PX.A"], u["PX.B"], u["PX.A.1"]
		an := mustMember(t, db, cell, "Nguyễn Văn An", "10000001")
		binh := mustMember(t, db, cell, "Trần Thị Bình", "10000002")
		svc := &conference.Service{Store: Conferences{DB: db}, Now: func() time.Time { return now }}
		office := &auth.Actor{Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
		start := now.Add(48 * time.Hour)
		create := func(title string, audience *org.Unit) int64 {
			t.Helper()
			c, err := svc.Create(ctx, office, conference.CreateInput{Title: title, StartsAt: start, HostUnitID: district.ID, Audience: conference.Audience{UnitID: audience.ID}})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := svc.AddPoints(ctx, office, c.ID, []conference.PointInput{{UnitID: audience.ID, Name: "Hội trường"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Reschedule(ctx, office, c.ID, conference.RescheduleInput{StartsAt: start.Add(time.Hour), Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			if title == "checked" {
				if _, err := svc.Checkin(ctx, office, c.ID, []conference.CheckinInput{{MemberID: binh.ID, BridgePointID: ps[0].ID}}); err != nil {
					t.Fatal(err)
				}
			}
			return c.ID
		}
		ca := create("commune", a)         // left when the cell moves to B
		cd := create("district", district) // still expecting them
		ck := create("checked", a)         // Bình checked in early: the record
		// notices answers each member's notices of each conference: kinds
		// of event ("invite", "point", the rest as "other").
		notices := func() map[string]int {
			t.Helper()
			got := map[string]int{}
			rows, err := db.read.QueryContext(ctx, `SELECT member_id, link, event_key FROM notifications WHERE kind = $1`, conference.InvitationKind)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			names := map[int64]string{an.ID: "An", binh.ID: "Bình"}
			confs := map[string]string{"/hoi-nghi/" + strconv.FormatInt(ca, 10): "commune", "/hoi-nghi/" + strconv.FormatInt(cd, 10): "district",
				"/hoi-nghi/" + strconv.FormatInt(ck, 10): "checked"}
			for rows.Next() {
				var m int64
				var link, key string
				if err := rows.Scan(&m, &link, &key); err != nil {
					t.Fatal(err)
				}
				what := "other"
				for _, w := range []string{"invite", "point"} {
					if strings.Contains(key, ":"+w+":") {
						what = w
					}
				}
				got[names[m]+" "+confs[link]+" "+what]++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return got
		}
		all := func(who string, confs ...string) map[string]int {
			out := map[string]int{}
			for _, c := range confs {
				for _, w := range []string{"invite", "point", "other"} {
					out[who+" "+c+" "+w] = 1
				}
			}
			return out
		}
		merge := func(ms ...map[string]int) map[string]int {
			out := map[string]int{}
			for _, m := range ms {
				for k, v := range m {
					out[k] += v
				}
			}
			return out
		}
		check := func(step string, want map[string]int) {
			t.Helper()
			if d := cmp.Diff(want, notices()); d != "" {
				t.Errorf("%s: notices (-want +got):\n%s", step, d)
			}
		}
		check("created", merge(all("An", "commune", "district", "checked"), all("Bình", "commune", "district", "checked")))

		mv := func(to *org.Unit, on string) {
			t.Helper()
			if err := (Units{DB: db}).Move(ctx, cell.ID, to.ID, date.MustParse(on), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit", ObjectID: cell.ID}); err != nil {
				t.Fatal(err)
			}
		}
		mv(b, "2026-11-18")
		check("the cell moved out of commune A", merge(all("An", "district"), all("Bình", "district", "checked")))
		mv(a, "2026-11-19")
		check("the cell back in commune A", merge(all("An", "district"), all("Bình", "district", "checked"),
			map[string]int{"An commune invite": 1, "Bình commune invite": 1, "An checked invite": 1}))
	})
}
