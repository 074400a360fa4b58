package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestConferenceCountsAfterRandomWrites makes two conferences of a
// district (one invites everyone, through the service), adds bridge
// points (which places the invited set-based), then 200 random writes:
// points set by hand, check-ins (at the expected point, elsewhere, late,
// by members not invited, several in one statement), invitations
// withdrawn and given again, a check-in undone; after every ten the board
// from the counters must equal the old statement over every member
// (attendanceScan), the invited count and each point's expected count the
// rows'; and at the end `sotay check counters` must be exact.
func TestConferenceCountsAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		st := Conferences{DB: db}
		u := mustTree(t, db, "district PX", "grassroots PX.A", "grassroots PX.B", "cell PX.A.1", "cell PX.A.2", "cell PX.B.1", "district QO", "cell QO.1")
		var members []*member.Member
		for i, cell := range []string{"PX.A.1", "PX.A.1", "PX.A.2", "PX.A.2", "PX.B.1", "PX.B.1", "PX.B.1", "PX.A.1", "PX.A.2", "PX.B.1", "QO.1", "QO.1"} {
			members = append(members, mustMember(t, db, u[cell], fmt.Sprintf("Người %d", i), fmt.Sprintf("2000%04d", i)))
		}
		start := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		now := start.Add(-time.Hour)
		svc := &conference.Service{Store: st, Now: func() time.Time { return now }}
		district := u["PX"]
		office := &auth.Actor{Username: "vp", Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}
		var confs []int64
		var points [][]int64
		for k := range 2 {
			c, err := svc.Create(ctx, office, conference.CreateInput{Title: fmt.Sprintf("Hội nghị %d", k), StartsAt: start, HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := svc.AddPoints(ctx, office, c.ID, []conference.PointInput{{UnitID: district.ID, Name: "Hội trường"}, {UnitID: u["PX.A"].ID, Name: "Xã A"}})
			if err != nil {
				t.Fatal(err)
			}
			confs = append(confs, c.ID)
			points = append(points, []int64{ps[0].ID, ps[1].ID})
		}
		check := func(step int) {
			t.Helper()
			for _, c := range confs {
				got, err := st.Attendance(ctx, c, start)
				if err != nil {
					t.Fatal(err)
				}
				want, err := st.attendanceScan(ctx, c, start)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("step %d, conference %d: the board from the counters (-old statement +new):\n%s", step, c, diff)
				}
				cf, err := st.Conference(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				var invited int
				db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM conference_attendees WHERE conference_id = $1`, c).Scan(&invited)
				if cf.Invited != invited {
					t.Fatalf("step %d, conference %d: invited %d, want %d", step, c, cf.Invited, invited)
				}
				ps, err := st.Points(ctx, c, true)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					var n int
					db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM conference_attendees WHERE conference_id = $1 AND bridge_point_id = $2`, c, p.ID).Scan(&n)
					if p.Expected != n {
						t.Fatalf("step %d, point %d: expected %d, want %d", step, p.ID, p.Expected, n)
					}
				}
			}
		}
		check(0)
		rng := rand.New(rand.NewPCG(3, 31))
		seen := map[string]bool{}
		for step := 1; step <= 200; step++ {
			k := rng.IntN(len(confs))
			c, m := confs[k], members[rng.IntN(len(members))]
			pt := points[k][rng.IntN(2)]
			var err error
			switch op := rng.IntN(6); op {
			case 0: // a point set by hand (none: nowhere)
				var p *int64
				if rng.IntN(4) > 0 {
					p = &pt
				}
				err = st.SetExpected(ctx, c, m.ID, p, auth.AuditEntry{Actor: office, Action: "conference.expect", ObjectType: "conference"})
				seen["expect"] = true
			case 1, 2: // a check-in; some late, some in a pair in one statement
				late := rng.IntN(3) == 0
				other := members[rng.IntN(len(members))]
				_, err = db.write.ExecContext(ctx, `INSERT INTO conference_checkins (conference_id, member_id, bridge_point_id, at, recorded_at, method, late)
					SELECT $1, id, $3, $4, $4, 'list', $5 FROM members WHERE id IN ($2, $6)
					AND NOT EXISTS (SELECT 1 FROM conference_checkins ck WHERE ck.conference_id = $1 AND ck.member_id = members.id)`,
					c, m.ID, pt, start, late, other.ID)
				seen["checkin"] = true
			case 3: // the invitation withdrawn (the audience's follow-up)
				_, err = db.write.ExecContext(ctx, `DELETE FROM conference_attendees WHERE conference_id = $1 AND member_id = $2`, c, m.ID)
				seen["withdraw"] = true
			case 4: // invited again, maybe at a point
				var p any
				if rng.IntN(2) == 0 {
					p = pt
				}
				_, err = db.write.ExecContext(ctx, `INSERT INTO conference_attendees (conference_id, member_id, bridge_point_id, manual)
					SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM conference_attendees WHERE conference_id = $1 AND member_id = $2)`, c, m.ID, p, true)
				seen["invite"] = true
			case 5: // a check-in undone, or everyone placed again by the points
				if rng.IntN(2) == 0 {
					_, err = db.write.ExecContext(ctx, `DELETE FROM conference_checkins WHERE conference_id = $1 AND member_id = $2`, c, m.ID)
					seen["undo"] = true
				} else {
					_, err = db.write.ExecContext(ctx, expectSQL, c, false)
					seen["place"] = true
				}
			}
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			if step%10 == 0 {
				check(step)
			}
		}
		if len(seen) != 6 {
			t.Fatalf("the random writes took only %v", seen)
		}
		var pairs, elsewhere int
		db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN expected_point_id <> checkin_point_id AND checkin_point_id > 0 THEN n ELSE 0 END), 0) FROM conference_counts WHERE n <> 0`).Scan(&pairs, &elsewhere)
		if pairs < 6 || elsewhere == 0 {
			t.Errorf("%d pairs counted, %d elsewhere: too few to have checked much", pairs, elsewhere)
		}
		checkNoDrift(t, db, " after the writes")
	})
}
