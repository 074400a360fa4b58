package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Calendars is the store of task.CalendarStore: the stored working-day calendars.
type Calendars struct{ *DB }

// The official holiday schedules (task.CalendarStore): one row per year
// holding the JSON of viet.Schedule.

var _ task.CalendarStore = Calendars{}

// Schedules returns every stored schedule, by year.
func (db Calendars) Schedules(ctx context.Context) ([]viet.Schedule, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (viet.Schedule, error) {
		var s viet.Schedule
		var js string
		if err := rows.Scan(&s.Year, &js); err != nil {
			return s, err
		}
		year := s.Year
		if err := json.Unmarshal([]byte(js), &s); err != nil {
			return s, fmt.Errorf("calendar schedule %d: %w", year, err)
		}
		s.Year = year
		return s, nil
	}, `SELECT year, schedule FROM calendar_schedules ORDER BY year`)
}

// Schedule returns the stored schedule of a year and when it was
// last changed.
func (db Calendars) Schedule(ctx context.Context, year int) (*viet.Schedule, time.Time, error) {
	var js string
	var at time.Time
	err := db.read.QueryRowContext(ctx, `SELECT schedule, updated_at FROM calendar_schedules WHERE year = $1`, year).Scan(&js, &at)
	if err != nil {
		return nil, time.Time{}, notFound(err, "no schedule for %d", year)
	}
	var s viet.Schedule
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return nil, time.Time{}, fmt.Errorf("calendar schedule %d: %w", year, err)
	}
	s.Year = year
	return &s, at.UTC(), nil
}

// PutSchedule stores or replaces the schedule of s.Year.
func (db Calendars) PutSchedule(ctx context.Context, s viet.Schedule, at time.Time, a auth.AuditEntry) error {
	js, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var by any
	if a.Actor != nil && a.Actor.AccountID != 0 {
		by = a.Actor.AccountID
	}
	return db.Write(ctx, func(tx *Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT schedule FROM calendar_schedules WHERE year = $1`, s.Year).Scan(&before)
		if err == nil {
			a.Before = json.RawMessage(before)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_schedules (year, schedule, updated_by, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			s.Year, string(js), by, at); err != nil {
			return err
		}
		return tx.auditAndForget(ctx, a, CacheCalendar)
	})
}

// DeleteSchedule removes the schedule of a year.
func (db Calendars) DeleteSchedule(ctx context.Context, year int, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.execAffecting(ctx, apperr.Keyed(apperr.NotFound, "task.no_official_schedule_stored_2", "no official schedule is stored for %d", year),
			`DELETE FROM calendar_schedules WHERE year = $1`, year); err != nil {
			return err
		}
		return tx.auditAndForget(ctx, a, CacheCalendar)
	})
}
