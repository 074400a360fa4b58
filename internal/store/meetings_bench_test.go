package store

import (
	"context"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// BenchmarkMeetingCompliance measures the compliance grid of 2025 (cells ×
// months, the thematic meeting of each quarter, attendance rates and the
// flags) for one commune (Phú Túc), the district and the whole tree, on
// the district dataset and on those of SOTAY_BENCH_DBS. Each dataset first
// gets a year of closed meetings for every cell, made set-based: the
// regular meeting in nine months of ten, a thematic meeting in seven
// quarters of ten, and absences without reason for one member in 25 in a
// third of the meetings; then what closing writes, set-based too: the
// count of absences without reason on each meeting and the roll-up.
//
//	SOTAY_BENCH_GENERATE=city=sqlite:/tmp/city.db go test -run TestGenerateBenchDataset -v ./internal/store/
//	SOTAY_BENCH_DBS=sqlite:/tmp/city.db go test ./internal/store -run '^$' -bench MeetingCompliance
func BenchmarkMeetingCompliance(b *testing.B) {
	ctx := context.Background()
	for name, db := range benchDatasets(b) {
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		start := time.Now()
		var meetings, absences int64
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_scopes WHERE meeting_id IN (SELECT id FROM meetings WHERE month LIKE '2025-%')`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_attendance WHERE meeting_id IN (SELECT id FROM meetings WHERE month LIKE '2025-%')`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM meetings WHERE month LIKE '2025-%'`); err != nil {
				return err
			}
			ts := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
			res, err := tx.ExecContext(ctx, `WITH mo(m, n) AS (VALUES ('2025-01', 1), ('2025-02', 2), ('2025-03', 3), ('2025-04', 4), ('2025-05', 5), ('2025-06', 6),
					('2025-07', 7), ('2025-08', 8), ('2025-09', 9), ('2025-10', 10), ('2025-11', 11), ('2025-12', 12))
				INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at)
				SELECT u.id, CASE WHEN mo.n % 3 = 2 AND (u.id + mo.n) % 10 < 7 THEN 'thematic' ELSE 'regular' END, mo.m, $1, 'Hội trường', 'Sinh hoạt', '[]', 'closed', $1, $1,
					20, 15 + (u.id + mo.n) % 6, 2, $1, $1
				FROM units u CROSS JOIN mo WHERE u.kind = 'cell' AND ((u.id * 7 + mo.n) % 10 <> 0 OR (mo.n % 3 = 2 AND (u.id + mo.n) % 10 < 7))`, ts)
			if err != nil {
				return err
			}
			meetings, _ = res.RowsAffected()
			// The thematic months also get their regular meeting.
			res, err = tx.ExecContext(ctx, `INSERT INTO meetings (unit_id, kind, month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at)
				SELECT unit_id, 'regular', month, starts_at, place, topic, agenda, state, closed_at, ended_at, expected_count, present_count, version, created_at, updated_at
				FROM meetings WHERE kind = 'thematic' AND month LIKE '2025-%'`)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			meetings += n
			res, err = tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, class, hosted, full_name)
				SELECT mt.id, mb.id, 'absent', '', 'full', 0, mb.full_name FROM meetings mt JOIN members mb ON mb.unit_id = mt.unit_id
				WHERE mt.month LIKE '2025-%' AND mt.id % 3 = 0 AND mb.id % 25 = 0`)
			if err != nil {
				return err
			}
			absences, _ = res.RowsAffected()
			// What closing writes: the count on the meeting, the roll-up.
			if _, err := tx.ExecContext(ctx, `UPDATE meetings SET unexcused_count = (SELECT COUNT(*) FROM meeting_attendance a
				WHERE a.meeting_id = meetings.id AND a.status = 'absent' AND a.reason = '') WHERE month LIKE '2025-%'`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_cell_years WHERE year = 2025`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, rollUpSQL(`month >= $1 AND month <= $2`), "2025-01", "2025-12"); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_member_years WHERE year = 2025`); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, memberRollUpSQL(db.dialect, `month >= $1 AND month <= $2`), "2025-01", "2025-12")
			return err
		})
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if db.dialect == postgresDialect {
			db.write.ExecContext(ctx, `ANALYZE meetings; ANALYZE meeting_attendance`)
		} else {
			db.write.ExecContext(ctx, `ANALYZE`)
		}
		b.Logf("%s: %d meetings, %d absences written in %s", name, meetings, absences, time.Since(start).Round(time.Millisecond))
		svc := &meeting.Service{Store: Meetings{DB: db}, Now: time.Now}
		var rootID int64
		if err := db.read.QueryRowContext(ctx, `SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&rootID); err != nil {
			b.Fatal(err)
		}
		scopes := []struct {
			name string
			id   int64
		}{{"root", rootID}}
		for _, code := range []string{"HN.PX.PHUTUC", "HN.PX"} {
			u, err := Units{DB: db}.ByCode(ctx, code)
			if err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			scopes = append(scopes, struct {
				name string
				id   int64
			}{code, u.ID})
		}
		for _, sc := range scopes {
			b.Run(name+"/"+sc.name, func(b *testing.B) {
				var cells, flags int
				for b.Loop() {
					c, err := svc.Compliance(ctx, auth.SystemActor(), meeting.ComplianceInput{UnitID: sc.id, Year: 2025})
					if err != nil {
						b.Fatal(err)
					}
					cells, flags = len(c.Cells), len(c.Flags)
				}
				b.ReportMetric(float64(cells), "cells")
				b.ReportMetric(float64(flags), "flags")
			})
		}
	}
}
