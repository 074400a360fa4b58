package store

import (
	"context"
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
	district := mustUnitTB(b, db, nil, org.KindDistrict, "PX")
	var cells []*org.Unit
	for i := 0; i < 20; i++ {
		c := mustUnitTB(b, db, district, org.KindGrassroots, fmt.Sprintf("PX.C%02d", i))
		for j := 0; j < 5; j++ {
			cells = append(cells, mustUnitTB(b, db, c, org.KindCell, fmt.Sprintf("PX.C%02d.%d", i, j)))
		}
	}
	n := 0
	importN := func(k int) time.Duration {
		ms := make([]*member.Member, k)
		for i := range ms {
			n++
			m := &member.Member{UnitID: cells[n%len(cells)].ID, FullName: fmt.Sprintf("Nguyễn Văn %d", n), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", n), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			ms[i] = m
		}
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
