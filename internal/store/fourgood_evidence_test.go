package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestFourGoodEvidenceSources: a cell's held meetings of the period (not
// open ones, not another cell's, not another year's) and its members at
// the conferences that have started, on both engines.
func TestFourGoodEvidenceSources(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, now := context.Background(), fourGoodNow
		district, commune, cell, other := fourGoodTree(t, db)
		exec := func(q string, args ...any) int64 { t.Helper(); return mustInsert(t, db, q, args...) }
		meeting := func(unit int64, kind, month, state string, expected, present int) int64 {
			at, _ := time.Parse("2006-01", month)
			return exec(`INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, expected_count, present_count, created_at, updated_at)
				VALUES ($1, $2, $3, $4, 'Nhà văn hóa', 'Sinh hoạt tháng', '[]', $5, $6, $7, $4, $4)`, unit, kind, month, at.Add(72*time.Hour), state, expected, present)
		}
		held := meeting(cell.ID, "regular", "2026-01", "closed", 10, 9)
		meeting(cell.ID, "regular", "2026-02", "closed", 10, 8)
		meeting(cell.ID, "regular", "2026-02", "closed", 10, 10) // a second one in February
		meeting(cell.ID, "thematic", "2026-03", "closed", 10, 7)
		open := meeting(cell.ID, "regular", "2026-04", "open", 0, 0)
		meeting(cell.ID, "regular", "2025-12", "closed", 10, 10)
		meeting(other.ID, "regular", "2026-01", "closed", 5, 5)
		ms := FourGoodMeetings{DB: db}
		got, err := ms.MeetingEvidence(ctx, cell.ID, date.MustParse("2026-01-01"), date.MustParse("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		want := &scoring.MeetingSummary{Held: 4, Regular: 3, Thematic: 1, RegularMonths: 2, Expected: 40, Present: 34}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("meetings (-want +got):\n%s", diff)
		}
		if title, path, err := ms.MeetingLink(ctx, held); err != nil || path != cell.Path || title != "Sinh hoạt tháng (2026-01)" {
			t.Errorf("held meeting link: got %q %q %v", title, path, err)
		}
		if _, _, err := ms.MeetingLink(ctx, open); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("open meeting link: got %v, want not found", err)
		}

		m1, m2 := mustMember(t, db, cell, "Nguyễn Văn An", "001"), mustMember(t, db, cell, "Trần Thị Bình", "002")
		m3 := mustMember(t, db, other, "Lê Văn Cường", "003")
		conference := func(title string, at time.Time) int64 {
			return exec(`INSERT INTO conferences (title, starts_at, host_unit_id, audience_unit_id, created_at) VALUES ($1, $2, $3, $3, $2)`, title, at, district.ID)
		}
		point := func(conf int64) int64 {
			return exec(`INSERT INTO conference_points (conference_id, unit_id, name, created_at) VALUES ($1, $2, 'Điểm cầu', $3)`, conf, commune.ID, now)
		}
		invite := func(conf, bp int64, member int64, present bool) {
			if _, err := db.write.ExecContext(ctx, `INSERT INTO conference_attendees (conference_id, member_id, bridge_point_id) VALUES ($1, $2, $3)`, conf, member, bp); err != nil {
				t.Fatal(err)
			}
			if present {
				if _, err := db.write.ExecContext(ctx, `INSERT INTO conference_checkins (conference_id, member_id, bridge_point_id, at, recorded_at, method) VALUES ($1, $2, $3, $4, $4, 'qr')`, conf, member, bp, now); err != nil {
					t.Fatal(err)
				}
			}
		}
		c1 := conference("Hội nghị quán triệt", time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC))
		p1 := point(c1)
		invite(c1, p1, m1.ID, true)
		invite(c1, p1, m2.ID, false)
		invite(c1, p1, m3.ID, false)
		c2 := conference("Hội nghị sơ kết", time.Date(2026, 6, 20, 1, 0, 0, 0, time.UTC))
		p2 := point(c2)
		invite(c2, p2, m1.ID, false)
		invite(c2, p2, m2.ID, true)
		later := conference("Hội nghị sắp tới", time.Date(2026, 7, 20, 1, 0, 0, 0, time.UTC)) // not yet started
		p3 := point(later)
		invite(later, p3, m1.ID, false)
		cs := FourGoodConferences{DB: db}
		gotC, err := cs.ConferenceEvidence(ctx, cell.ID, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&scoring.ConferenceSummary{Conferences: 2, Expected: 4, Present: 2, Absent: 2}, gotC); diff != "" {
			t.Errorf("conferences (-want +got):\n%s", diff)
		}
		if title, path, err := cs.ConferenceLink(ctx, c1); err != nil || title != "Hội nghị quán triệt" || path != district.Path {
			t.Errorf("conference link: got %q %q %v", title, path, err)
		}
		if _, _, err := cs.ConferenceLink(ctx, later); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a conference not yet started: got %v, want not found", err)
		}
	})
}
