package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// BenchmarkConferenceInvitations (SQLite, run once: -benchtime 1x)
// reports the creation of a conference over 10,000 members with their
// invitations, and what the audience following costs a member import of
// 1,000 records without and with 5 upcoming conferences over it.
func BenchmarkConferenceInvitations(b *testing.B) {
	ctx := context.Background()
	db := OpenTest(b, filepath.Join(b.TempDir(), "bench.db"))
	district, _, cells := benchDistrictPX(b, db)
	n := 0
	importN := func(k int) time.Duration {
		ms := benchMembers(cells, &n, k, "Nguyễn Văn")
		t0 := time.Now()
		if err := (Members{db}).Import(ctx, ms, nil, auth.AuditEntry{Actor: auth.SystemActor(), Action: "member.import", ObjectType: "unit"}); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	importN(9000)
	bare := importN(1000)
	svc := &conference.Service{Store: Conferences{DB: db}}
	office := auth.SystemActor()
	var create time.Duration
	var invited int
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		c, err := svc.Create(ctx, office, conference.CreateInput{Title: fmt.Sprintf("Hội nghị %d", i), StartsAt: time.Now().Add(48 * time.Hour), HostUnitID: district.ID,
			Audience: conference.Audience{UnitID: district.ID}})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			create, invited = time.Since(t0), c.Invited
		}
	}
	following := importN(1000)
	for b.Loop() {
	}
	b.ReportMetric(float64(invited), "invited")
	b.ReportMetric(float64(create.Milliseconds()), "create-ms")
	b.ReportMetric(float64(bare.Milliseconds()), "import1000-ms")
	b.ReportMetric(float64(following.Milliseconds()), "import1000-following5-ms")
}

// oldExpectSQL is expectSQL before session 9: for each attendee, every
// point of the conference (nearestPointSQL).
const oldExpectSQL = `UPDATE conference_attendees SET bridge_point_id = (` + nearestPointSQL + `)
	WHERE conference_id = $1 AND manual = $2`

// BenchmarkConferenceExpect places the invited members of a district-wide
// conference (10,000 members in 100 cells of 20 communes) at their
// nearest bridge point (expectSQL, what AddPoints runs), on both engines:
// with points at the district and its 20 communes already placed, one
// more point at each of the 100 cells; the statement of now and the one
// before (oldExpectSQL), each in a transaction rolled back. It reports the
// CPU per statement (the process and, on PostgreSQL, its backends).
//
//	go test ./internal/store -run '^$' -bench ConferenceExpect -benchtime 3x
func BenchmarkConferenceExpect(b *testing.B) {
	ctx := context.Background()
	for _, d := range []dialect{sqliteDialect, postgresDialect} {
		db := benchAuditDB(b, d)
		district, grassroots, cells := benchDistrictPX(b, db)
		units := append([]*org.Unit{district}, grassroots...)
		ms := make([]*member.Member, 10000)
		for i := range ms {
			m := &member.Member{UnitID: cells[i%len(cells)].ID, FullName: fmt.Sprintf("Nguyễn Văn %d", i), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", i), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			ms[i] = m
		}
		if err := (Members{db}).Import(ctx, ms, nil, auth.AuditEntry{Actor: auth.SystemActor(), Action: "member.import", ObjectType: "unit"}); err != nil {
			b.Fatal(err)
		}
		c, err := (&conference.Service{Store: Conferences{DB: db}}).Create(ctx, auth.SystemActor(), conference.CreateInput{Title: "Hội nghị toàn huyện",
			StartsAt: time.Now().Add(48 * time.Hour), HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
		if err != nil {
			b.Fatal(err)
		}
		points := func(us []*org.Unit) []conference.BridgePoint {
			var ps []conference.BridgePoint
			for _, u := range us {
				ps = append(ps, conference.BridgePoint{UnitID: u.ID, Name: "Điểm cầu " + u.Code})
			}
			return ps
		}
		entry := auth.AuditEntry{Actor: auth.SystemActor(), Action: "conference.points", ObjectType: "conference"}
		if err := (Conferences{DB: db}).AddPoints(ctx, c.ID, points(units), entry); err != nil {
			b.Fatal(err)
		}
		cpu := benchCPU(b, db)
		rollback := errors.New("rollback")
		for _, s := range []struct{ name, sql string }{{"now", expectSQL}, {"before", oldExpectSQL}} {
			b.Run(fmt.Sprintf("%s/%s", d, s.name), func(b *testing.B) {
				var elapsed, used time.Duration
				for b.Loop() {
					err := db.Write(ctx, func(tx *Tx) error {
						for _, p := range points(cells) {
							if _, err := tx.ExecContext(ctx, `INSERT INTO conference_points (conference_id, unit_id, name, created_at) VALUES ($1, $2, $3, $4)`, c.ID, p.UnitID, p.Name, tx.Now); err != nil {
								return err
							}
						}
						t0, c0 := time.Now(), cpu()
						if _, err := tx.ExecContext(ctx, s.sql, c.ID, false); err != nil {
							return err
						}
						elapsed, used = elapsed+time.Since(t0), used+cpu()-c0
						return rollback
					})
					if !errors.Is(err, rollback) {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "stmt-ms/op")
				b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "stmt-cpu-ms/op")
			})
		}
	}
}
