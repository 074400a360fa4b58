package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestListenConferences: a check-in committed through one connection pool
// (one server process) reaches the listener of another on the same
// PostgreSQL database; SQLite has no listener.
func TestListenConferences(t *testing.T) {
	dsn := migratedPostgres(t)
	if dsn == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	one, two := OpenTest(t, dsn), OpenTest(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan int64, 10)
	if !two.ListenConferences(ctx, func(id int64) { got <- id }) {
		t.Fatal("no listener on PostgreSQL")
	}
	district := mustUnit(t, one, nil, org.KindDistrict, "PX")
	cell := mustUnit(t, one, district, org.KindCell, "PX.1")
	m := mustMember(t, one, cell, "Nguyễn Văn An", "20000001")
	svc := &conference.Service{Store: Conferences{DB: one}, Now: func() time.Time { return time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC) }}
	c, err := svc.Create(ctx, auth.SystemActor(), conference.CreateInput{Title: "Thử", StartsAt: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := svc.AddPoints(ctx, auth.SystemActor(), c.ID, []conference.PointInput{{UnitID: district.ID, Name: "Hội trường"}})
	if err != nil {
		t.Fatal(err)
	}
	// The listener may start after the first NOTIFY: check in until heard.
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	first := true
	ours := map[int64]bool{c.ID: true}
	for {
		if first {
			if _, err := svc.Checkin(ctx, auth.SystemActor(), c.ID, []conference.CheckinInput{{MemberID: m.ID, BridgePointID: ps[0].ID}}); err != nil {
				t.Fatal(err)
			}
			first = false
		}
		select {
		case id := <-got:
			if !ours[id] {
				t.Fatalf("heard conference %d, want one of %v", id, ours)
			}
			return
		case <-tick.C:
			// A repeat does not notify: a new conference's check-in does.
			c2, err := svc.Create(ctx, auth.SystemActor(), conference.CreateInput{Title: "Thử", StartsAt: c.StartsAt, HostUnitID: district.ID, Audience: conference.Audience{UnitID: district.ID}})
			if err != nil {
				t.Fatal(err)
			}
			p2, err := svc.AddPoints(ctx, auth.SystemActor(), c2.ID, []conference.PointInput{{UnitID: district.ID, Name: "Hội trường"}})
			if err != nil {
				t.Fatal(err)
			}
			ours[c2.ID] = true
			if _, err := svc.Checkin(ctx, auth.SystemActor(), c2.ID, []conference.CheckinInput{{MemberID: m.ID, BridgePointID: p2[0].ID}}); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatal("no notification within 20 s")
		}
	}
}
