package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestFourGoodShiftsAndRequests, on both engines: the outbreak shifts of a
// cell's members counted by Vietnamese day (a shift at 06:00 in Vietnam
// on January 1 is in the year, one at 23:00 on December 31 of the year
// before is not), confirmed and members; and the four-good report
// request of a period: the newest of the kind made by the unit whose
// period ends in the range, with its submissions.
func TestFourGoodShiftsAndRequests(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, now := context.Background(), fourGoodNow
		district, commune, cell, other := fourGoodTree(t, db)
		exec := func(q string, args ...any) int64 { t.Helper(); return mustInsert(t, db, q, args...) }
		if _, err := db.write.ExecContext(ctx, `INSERT INTO diseases (code, name_vi, name_en, closing_days, version, updated_at) VALUES ('sxh', 'Sốt xuất huyết', 'Dengue', 14, 1, $1)
			ON CONFLICT (code) DO NOTHING`, now); err != nil {
			t.Fatal(err)
		}
		focus := exec(`INSERT INTO outbreaks (unit_id, commune_id, disease, place, opened_on, state, created_at, updated_at) VALUES ($1, $1, 'sxh', 'Thôn 1', '2025-12-01', 'active', $2, $2)`, commune.ID, now)
		m1, m2 := mustMember(t, db, cell, "Nguyễn Văn An", "001"), mustMember(t, db, cell, "Trần Thị Bình", "002")
		m3 := mustMember(t, db, other, "Lê Văn Cường", "003")
		vn := func(y int, mo time.Month, d, h int) time.Time {
			return time.Date(y, mo, d, h, 0, 0, 0, date.Vietnam).UTC()
		}
		shift := func(member int64, at time.Time, confirmed bool) {
			var c any
			if confirmed {
				c = at
			}
			exec(`INSERT INTO outbreak_duties (outbreak_id, member_id, role, starts_at, ends_at, confirmed_at, created_at) VALUES ($1, $2, 'Phun thuốc', $3, $4, $5, $3)`,
				focus, member, at, at.Add(4*time.Hour), c)
		}
		shift(m1.ID, vn(2026, 1, 1, 6), true)    // 2025-12-31 23:00 UTC: in 2026 in Vietnam
		shift(m1.ID, vn(2026, 3, 2, 7), false)   // a second shift of the same member
		shift(m2.ID, vn(2026, 12, 31, 20), true) // 13:00 UTC on the last day
		shift(m2.ID, vn(2025, 12, 31, 23), true) // 16:00 UTC: 2025 in Vietnam
		shift(m2.ID, vn(2027, 1, 1, 1), false)   // 2026-12-31 18:00 UTC: 2027 in Vietnam
		shift(m3.ID, vn(2026, 5, 5, 7), true)    // another cell's member
		got, err := FourGoodOutbreaks{DB: db}.OutbreakEvidence(ctx, cell.ID, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(&scoring.OutbreakSummary{Shifts: 3, Confirmed: 2, Members: 2}, got); d != "" {
			t.Errorf("shifts (-want +got):\n%s", d)
		}

		// Requests: a task for each (the request's foreign key).
		task := exec(`INSERT INTO tasks (title, issuer_unit_id, unit_id, holder_unit_id, holder_since, state, assigned_on, original_due_on, due_on, created_at, updated_at)
			VALUES ('Báo cáo', $1, $1, $1, $2, 'assigned', '2026-01-01', '2026-12-31', '2026-12-31', $2, $2)`, district.ID, now)
		request := func(unit int64, kind, to, due string) int64 {
			return exec(`INSERT INTO report_requests (unit_id, title, kind, period_from, period_to, due_on, task_id, created_at) VALUES ($1, 'Báo cáo', $2, '2026-01-01', $3, $4, $5, $6)`,
				unit, kind, to, due, task, now)
		}
		request(district.ID, "four-good", "2026-06-30", "2026-07-05")          // the interim
		request(district.ID, "quarter", "2026-12-31", "2026-12-20")            // another kind
		request(commune.ID, "four-good", "2026-12-31", "2026-12-20")           // another unit
		request(district.ID, "four-good", "2026-11-30", "2026-12-10")          // an older one
		final := request(district.ID, "four-good", "2026-12-15", "2026-12-18") // the newest
		sent := time.Date(2026, 12, 18, 16, 30, 0, 0, time.UTC)                // 23:30 in Vietnam on the 18th
		sub := exec(`INSERT INTO report_submissions (request_id, unit_id, body, figures, sent_at, sent_on) VALUES ($1, $2, 'x', '{}', $3, '2026-12-18')`, final, commune.ID, sent)
		rs := FourGoodRequests{DB: db}
		r, err := rs.FourGoodRequest(ctx, district.ID, date.MustParse("2026-07-01"), date.MustParse("2026-12-31"))
		if err != nil || r == nil {
			t.Fatalf("final request: %v %v", r, err)
		}
		want := &scoring.ReportRequest{ID: final, Title: "Báo cáo", DueOn: date.MustParse("2026-12-18"),
			Sent: map[int64]scoring.RequestSent{commune.ID: {SubmissionID: sub, SentAt: sent, SentOn: date.MustParse("2026-12-18")}}}
		if d := cmp.Diff(want, r); d != "" {
			t.Errorf("final request (-want +got):\n%s", d)
		}
		if r, err := rs.FourGoodRequest(ctx, district.ID, date.MustParse("2026-01-01"), date.MustParse("2026-06-30")); err != nil || r == nil || r.DueOn != date.MustParse("2026-07-05") || len(r.Sent) != 0 {
			t.Errorf("interim request: got %+v %v", r, err)
		}
		if r, err := rs.FourGoodRequest(ctx, district.ID, date.MustParse("2027-07-01"), date.MustParse("2027-12-31")); err != nil || r != nil {
			t.Errorf("no request in 2027: got %+v %v", r, err)
		}
	})
}

// fourGoodNow is the clock of the four-good store tests: 2026-07-10, 10:00
// in Vietnam.
var fourGoodNow = time.Date(2026, 7, 10, 3, 0, 0, 0, time.UTC)

// fourGoodTree sets db's clock to fourGoodNow and makes the units of the
// four-good store tests: district PX, its commune PX.A, and the commune's
// cells PX.A.1 and PX.A.2 (the other).
func fourGoodTree(t *testing.T, db *DB) (district, commune, cell, other *org.Unit) {
	t.Helper()
	db.Now = func() time.Time { return fourGoodNow }
	u := mustTree(t, db, "district PX", "grassroots PX.A", "cell PX.A.1", "cell PX.A.2")
	return u["PX"], u["PX.A"], u["PX.A.1"], u["PX.A.2"]
}
