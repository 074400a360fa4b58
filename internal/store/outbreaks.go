package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
)

// Outbreaks is the outbreak module's store (outbreak.Store).
type Outbreaks struct{ *DB }

var _ outbreak.Store = Outbreaks{}

// Unit reads a unit.
func (s Outbreaks) Unit(ctx context.Context, id int64) (*outbreak.UnitRef, error) {
	var u outbreak.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, s.read, id, `id, parent_id, kind, path, name`, &u.ID, &u.ParentID, &u.Kind, &u.Path, &u.Name)
	return &u, err
}

// Commune finds the grassroots committee at or above u among its
// ancestors (the ids of its path), the nearest first.
func (s Outbreaks) Commune(ctx context.Context, u *outbreak.UnitRef) (*outbreak.UnitRef, error) {
	var args argList
	var marks []string
	for _, p := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("unit path %q: %w", u.Path, err)
		}
		marks = append(marks, args.add(id))
	}
	var c outbreak.UnitRef
	err := s.read.QueryRowContext(ctx, `SELECT id, parent_id, kind, path, name FROM units WHERE id IN (`+strings.Join(marks, ",")+`) AND kind = `+
		args.add(string(org.KindGrassroots))+` ORDER BY depth DESC LIMIT 1`, args...).Scan(&c.ID, &c.ParentID, &c.Kind, &c.Path, &c.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Member reads a member with the path of their cell.
func (s Outbreaks) Member(ctx context.Context, id int64) (*outbreak.MemberRef, error) {
	var m outbreak.MemberRef
	var status string
	err := s.read.QueryRowContext(ctx, `SELECT m.id, m.full_name, u.path, m.status FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id).
		Scan(&m.ID, &m.Name, &m.UnitPath, &status)
	if err != nil {
		return nil, notFound(err, "member %d not found", id)
	}
	m.Active = status == "probationary" || status == "full" || status == "exempt"
	return &m, nil
}

const diseaseCols = `code, name_vi, name_en, closing_days, version, updated_at`

func scanDisease(sc interface{ Scan(...any) error }) (*outbreak.Disease, error) {
	var d outbreak.Disease
	var at sql.NullTime
	if err := sc.Scan(&d.Code, &d.NameVI, &d.NameEN, &d.ClosingDays, &d.Version, &at); err != nil {
		return nil, err
	}
	if at.Valid {
		t := at.Time.UTC()
		d.UpdatedAt = &t
	}
	return &d, nil
}

// Diseases lists the diseases by code.
func (s Outbreaks) Diseases(ctx context.Context) ([]outbreak.Disease, error) {
	return queryAll(ctx, s.read, values(scanDisease), `SELECT `+diseaseCols+` FROM diseases ORDER BY code LIMIT 1000`)
}

// Disease reads one disease.
func (s Outbreaks) Disease(ctx context.Context, code string) (*outbreak.Disease, error) {
	d, err := scanDisease(s.read.QueryRowContext(ctx, `SELECT `+diseaseCols+` FROM diseases WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.disease_not_found", "no such disease")
	}
	return d, err
}

// PutDisease inserts a disease or updates it at its version.
func (s Outbreaks) PutDisease(ctx context.Context, d *outbreak.Disease, create bool, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if create {
			if _, err := tx.ExecContext(ctx, `INSERT INTO diseases (code, name_vi, name_en, closing_days, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)`,
				d.Code, d.NameVI, d.NameEN, d.ClosingDays, jobs.DBTime(*d.UpdatedAt)); err != nil {
				if _, ok := uniqueViolation(err); ok || strings.Contains(err.Error(), "UNIQUE") {
					return apperr.Keyed(apperr.Conflict, "outbreak.stale", "changed meanwhile: read it again")
				}
				return err
			}
			d.Version = 1
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE diseases SET name_vi = $1, name_en = $2, closing_days = $3, version = version + 1, updated_at = $4
				WHERE code = $5 AND version = $6`, d.NameVI, d.NameEN, d.ClosingDays, jobs.DBTime(*d.UpdatedAt), d.Code, d.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Keyed(apperr.Conflict, "outbreak.stale", "changed meanwhile: read it again")
			}
			d.Version++
		}
		return tx.audit(ctx, a)
	})
}

// Create inserts a focus.
func (s Outbreaks) Create(ctx context.Context, f *outbreak.Focus, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		var zone any
		if f.Zone != nil {
			zone = string(f.Zone)
		}
		var first any
		if f.FirstCaseOn != nil {
			first = *f.FirstCaseOn
		}
		id, err := insertID(ctx, tx, `INSERT INTO outbreaks (unit_id, commune_id, disease, place, opened_on, first_case_on, zone, note, state, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)`,
			f.UnitID, f.CommuneID, f.Disease, f.Place, f.OpenedOn, first, zone, f.Note, f.State, accountOf(a), jobs.DBTime(f.CreatedAt))
		if err != nil {
			return err
		}
		f.ID, a.ObjectID = id, id
		if err := tx.insertListScopes(ctx, "outbreak_scopes", id, f.UnitID, f.State); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

const focusCols = `o.id, o.unit_id, u.name, u.path, o.commune_id, c.name, c.path, o.disease, d.name_vi, d.closing_days, o.place, o.opened_on, o.first_case_on,
	o.last_case_on, o.cases_total, o.zone, o.note, o.state, o.closed_on, o.close_reason, o.closed_early, o.onsite, o.onsite_at, o.means_updated_at,
	o.version, o.created_at, o.updated_at`

const focusFrom = ` FROM outbreaks o JOIN units u ON u.id = o.unit_id JOIN units c ON c.id = o.commune_id JOIN diseases d ON d.code = o.disease`

func scanFocus(sc interface{ Scan(...any) error }) (*outbreak.Focus, error) {
	var f outbreak.Focus
	var first, last, closed date.Date
	var zone sql.NullString
	var onsite string
	var onsiteAt, meansAt sql.NullTime
	if err := sc.Scan(&f.ID, &f.UnitID, &f.UnitName, &f.UnitPath, &f.CommuneID, &f.CommuneName, &f.CommunePath, &f.Disease, &f.DiseaseName, &f.ClosingDays,
		&f.Place, &f.OpenedOn, &first, &last, &f.CasesTotal, &zone, &f.Note, &f.State, &closed, &f.CloseReason, &f.ClosedEarly, &onsite, &onsiteAt, &meansAt,
		&f.Version, &f.CreatedAt, &f.UpdatedAt); err != nil {
		return nil, err
	}
	opt := func(d date.Date) *date.Date {
		if d.IsZero() {
			return nil
		}
		return &d
	}
	f.FirstCaseOn, f.LastCaseOn, f.ClosedOn = opt(first), opt(last), opt(closed)
	if zone.Valid {
		f.Zone = json.RawMessage(zone.String)
	}
	if onsite != "" {
		if err := json.Unmarshal([]byte(onsite), &f.OnSite); err != nil {
			return nil, fmt.Errorf("outbreak %d on-site: %w", f.ID, err)
		}
	}
	optTime := func(t sql.NullTime) *time.Time {
		if !t.Valid {
			return nil
		}
		u := t.Time.UTC()
		return &u
	}
	f.OnSite.UpdatedAt, f.OnSite.MeansUpdatedAt = optTime(onsiteAt), optTime(meansAt)
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// Focus reads one focus.
func (s Outbreaks) Focus(ctx context.Context, id int64) (*outbreak.Focus, error) {
	f, err := scanFocus(s.read.QueryRowContext(ctx, `SELECT `+focusCols+focusFrom+` WHERE o.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such outbreak focus")
	}
	return f, err
}

// List lists foci under f.Paths, the newest first (keyset on the id):
// one range of outbreak_scopes per top unit of the reach (list_scopes.go),
// the count stopped at listCountBound.
func (s Outbreaks) List(ctx context.Context, f outbreak.Filter) (*page.Of[outbreak.Focus], error) {
	f.Limit = page.Limit(f.Limit)
	q, ok, err := outbreakListSQL(s.dialect, f)
	if err != nil || !ok {
		return &page.Of[outbreak.Focus]{Items: []outbreak.Focus{}}, err
	}
	return readNewestFirst(ctx, s.DB, q, f.Limit, "outbreaks", scanFocus,
		func(x *outbreak.Focus) int64 { return x.ID }, func(id int64) string { return encodeCursor(nil, id) })
}

// outbreakListSQL writes the SQL of a foci list; ok is false when the
// reach holds nothing.
func outbreakListSQL(d dialect, f outbreak.Filter) (q scopeListQuery, ok bool, err error) {
	var before int64
	if f.Cursor != "" {
		if _, before, err = decodeCursor(f.Cursor); err != nil {
			return q, false, err
		}
	}
	state := func(col string, args *argList) string {
		if f.State == "" {
			return ""
		}
		return ` AND ` + col + ` = ` + args.add(f.State)
	}
	tops := reachTops(f.Paths)
	var arms []scopeArm
	for _, u := range tops {
		u := u
		arms = append(arms, scopeArm{from: `outbreak_scopes s`, id: `s.outbreak_id`, where: func(args *argList) string {
			return `s.scope_id = ` + args.add(u) + state("s.state", args)
		}})
	}
	if len(arms) == 0 {
		return q, false, nil
	}
	q.count, q.countArgs, q.countRaw, q.page, q.pageArgs = scopeListSQL(d, arms, page.Limit(f.Limit), before)
	q.page = `SELECT ` + focusCols + ` FROM (` + q.page + `) p JOIN outbreaks o ON o.id = p.id` + strings.TrimPrefix(focusFrom, ` FROM outbreaks o`)
	return q, true, nil
}

// Reports reads a focus's reports, the latest day first.
func (s Outbreaks) Reports(ctx context.Context, id int64, limit int) ([]outbreak.Report, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (outbreak.Report, error) {
		var r outbreak.Report
		err := rows.Scan(&r.ID, &r.OutbreakID, &r.On, &r.NewCases, &r.Recovered, &r.Actions, &r.CreatedAt)
		r.CreatedAt = r.CreatedAt.UTC()
		return r, err
	}, `SELECT id, outbreak_id, day, new_cases, recovered, actions, created_at FROM outbreak_reports
		WHERE outbreak_id = $1 ORDER BY day DESC LIMIT $2`, id, limit)
}

// AddReport writes a day's report and moves the focus's case figures.
func (s Outbreaks) AddReport(ctx context.Context, r *outbreak.Report, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO outbreak_reports (outbreak_id, day, new_cases, recovered, actions, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (outbreak_id, day) DO NOTHING`,
			r.OutbreakID, r.On, r.NewCases, r.Recovered, r.Actions, accountOf(a), jobs.DBTime(r.CreatedAt))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Keyed(apperr.Conflict, "outbreak.report_exists", "the report of %s is already recorded", r.On.String())
		}
		if err != nil {
			return err
		}
		r.ID = id
		if _, err := tx.ExecContext(ctx, `UPDATE outbreaks SET cases_total = cases_total + $1,
			last_case_on = CASE WHEN $1 > 0 AND (last_case_on IS NULL OR last_case_on < $2) THEN $2 ELSE last_case_on END,
			updated_at = $3 WHERE id = $4`, r.NewCases, r.On, jobs.DBTime(r.CreatedAt), r.OutbreakID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// SetOnSite writes the four on-site at the focus's version.
func (s Outbreaks) SetOnSite(ctx context.Context, f *outbreak.Focus, version int, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		o := f.OnSite
		var cmd any
		phone := ""
		if o.Command != nil {
			cmd, phone = o.Command.MemberID, o.Command.Phone
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbreaks SET command_member_id = $1, command_phone = $2, forces_count = $3, onsite = $4,
			onsite_at = $5, means_updated_at = $6, version = version + 1, updated_at = $5 WHERE id = $7 AND version = $8`,
			cmd, phone, len(o.Forces), jsonText(o), jobs.DBTime(*o.UpdatedAt), nullTime(o.MeansUpdatedAt), f.ID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "outbreak.stale", "changed meanwhile: read it again")
		}
		return tx.audit(ctx, a)
	})
}

// Close closes a focus that is still active.
func (s Outbreaks) Close(ctx context.Context, f *outbreak.Focus, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbreaks SET state = $1, closed_on = $2, close_reason = $3, closed_early = $4, version = version + 1, updated_at = $5
			WHERE id = $6 AND state = $7`, outbreak.Closed, *f.ClosedOn, f.CloseReason, f.ClosedEarly, jobs.DBTime(f.UpdatedAt), f.ID, outbreak.Active)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "outbreak.already_closed", "the focus is already closed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbreak_scopes SET state = $1 WHERE outbreak_id = $2`, outbreak.Closed, f.ID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// AddDuties writes the shifts and one inbox notice per member, in one
// transaction.
func (s Outbreaks) AddDuties(ctx context.Context, id int64, in *outbreak.NewDuties, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		seen := map[int64]bool{}
		var rs []notify.Recipient
		for i := range in.Duties {
			d := &in.Duties[i]
			did, err := insertID(ctx, tx, `INSERT INTO outbreak_duties (outbreak_id, member_id, role, starts_at, ends_at, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, d.MemberID, d.Role, jobs.DBTime(d.From), jobs.DBTime(d.To), accountOf(a), jobs.DBTime(d.CreatedAt))
			if err != nil {
				return err
			}
			d.ID = did
			if !seen[d.MemberID] {
				seen[d.MemberID] = true
				rs = append(rs, notify.Recipient{MemberID: d.MemberID})
			}
		}
		if _, err := notify.SendIn(ctx, tx, tx.Now, rs, outbreak.DutyKind, in.Title, in.Body, in.Link, ""); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

const dutyCols = `d.id, d.outbreak_id, o.place, d.member_id, m.full_name, d.role, d.starts_at, d.ends_at, d.confirmed_at, d.created_at`
const dutyFrom = ` FROM outbreak_duties d JOIN outbreaks o ON o.id = d.outbreak_id JOIN members m ON m.id = d.member_id`

func scanDuty(sc interface{ Scan(...any) error }) (*outbreak.Duty, error) {
	var d outbreak.Duty
	var conf sql.NullTime
	if err := sc.Scan(&d.ID, &d.OutbreakID, &d.Place, &d.MemberID, &d.MemberName, &d.Role, &d.From, &d.To, &conf, &d.CreatedAt); err != nil {
		return nil, err
	}
	d.From, d.To, d.CreatedAt = d.From.UTC(), d.To.UTC(), d.CreatedAt.UTC()
	if conf.Valid {
		t := conf.Time.UTC()
		d.ConfirmedAt = &t
	}
	return &d, nil
}

func (s Outbreaks) duties(ctx context.Context, q string, args ...any) ([]outbreak.Duty, error) {
	return queryAll(ctx, s.read, values(scanDuty), q, args...)
}

// Duties reads a focus's shifts, the latest first.
func (s Outbreaks) Duties(ctx context.Context, id int64, limit int) ([]outbreak.Duty, error) {
	return s.duties(ctx, `SELECT `+dutyCols+dutyFrom+` WHERE d.outbreak_id = $1 ORDER BY d.starts_at DESC, d.id DESC LIMIT $2`, id, limit)
}

// Duty reads one shift.
func (s Outbreaks) Duty(ctx context.Context, id int64) (*outbreak.Duty, error) {
	d, err := scanDuty(s.read.QueryRowContext(ctx, `SELECT `+dutyCols+dutyFrom+` WHERE d.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.duty_not_found", "no such shift")
	}
	return d, err
}

// ConfirmDuty records the member's confirmation.
func (s Outbreaks) ConfirmDuty(ctx context.Context, d *outbreak.Duty, a auth.AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbreak_duties SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL`, jobs.DBTime(*d.ConfirmedAt), d.ID); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// MyDuties lists a member's shifts ending from since on, in time order
// (keyset on starts_at and id; the index on member_id, starts_at, id).
func (s Outbreaks) MyDuties(ctx context.Context, memberID int64, since time.Time, limit int, cursor string) (*page.Of[outbreak.Duty], error) {
	args := argList{memberID, jobs.DBTime(since)}
	where := ` WHERE d.member_id = $1 AND d.ends_at >= $2`
	count := `SELECT COUNT(*) FROM outbreak_duties d` + where
	countArgs := append([]any(nil), args...)
	if cursor != "" {
		key, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		at, err := time.Parse(time.RFC3339Nano, string(key))
		if err != nil {
			return nil, apperr.BadCursor()
		}
		t := args.add(jobs.DBTime(at))
		where += ` AND (d.starts_at > ` + t + ` OR (d.starts_at = ` + t + ` AND d.id > ` + args.add(id) + `))`
	}
	return readList(ctx, s.DB, listQuery[outbreak.Duty]{
		What: "duties", Count: count, CountArgs: countArgs,
		Page: `SELECT ` + dutyCols + dutyFrom + where + ` ORDER BY d.starts_at, d.id`, PageArgs: args, Limit: limit,
		Scan: func(rows *sql.Rows) (outbreak.Duty, error) {
			d, err := scanDuty(rows)
			if err != nil {
				return outbreak.Duty{}, err
			}
			return *d, nil
		},
		Next: func(last outbreak.Duty) string {
			return encodeCursor([]byte(last.From.Format(time.RFC3339Nano)), last.ID)
		},
	})
}

// AddFunding writes the funding unit's task (with its own audit entry)
// and the request, in one transaction.
func (s Outbreaks) AddFunding(ctx context.Context, in *outbreak.NewFunding, a auth.AuditEntry) error {
	f := in.Funding
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.insertAuditedTasks(ctx, in.Tasks, in.TaskAudit); err != nil {
			return err
		}
		f.TaskID = in.Tasks.Items[0].Task.ID
		id, err := insertID(ctx, tx, `INSERT INTO outbreak_funding (outbreak_id, task_id, amount, purpose, needed_by, to_unit_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, f.OutbreakID, f.TaskID, f.Amount, f.Purpose, f.NeededBy, f.ToUnitID, accountOf(a), jobs.DBTime(f.CreatedAt))
		if err != nil {
			return fmt.Errorf("insert funding: %w", err)
		}
		f.ID = id
		return tx.audit(ctx, a)
	})
}

// Funding reads a focus's funding requests with their tasks' state.
func (s Outbreaks) Funding(ctx context.Context, id int64) ([]outbreak.Funding, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (outbreak.Funding, error) {
		var f outbreak.Funding
		var st string
		var done date.Date
		err := rows.Scan(&f.ID, &f.OutbreakID, &f.TaskID, &f.Amount, &f.Purpose, &f.NeededBy, &f.ToUnitID, &f.ToUnitName, &st, &f.DueOn, &done, &f.CreatedAt)
		f.TaskState, f.CreatedAt = task.State(st), f.CreatedAt.UTC()
		if !done.IsZero() {
			f.DisbursedOn = &done
		}
		return f, err
	}, `SELECT f.id, f.outbreak_id, f.task_id, f.amount, f.purpose, f.needed_by, f.to_unit_id, u.name, t.state, t.due_on, t.done_on, f.created_at
		FROM outbreak_funding f JOIN tasks t ON t.id = f.task_id JOIN units u ON u.id = f.to_unit_id WHERE f.outbreak_id = $1 ORDER BY f.id LIMIT 1000`, id)
}

// boardWhere selects the foci under a path open at some time in
// [from, asOf]: $1, $2 the path range, $3 from, $4 asOf.
const boardWhere = ` WHERE u.path >= $1 AND u.path < $2 AND o.opened_on <= $4 AND (o.closed_on IS NULL OR o.closed_on >= $3)`

// BoardFoci reads the board's foci with their cases of the last 7 days
// and the 7 before, in one query.
func (s Outbreaks) BoardFoci(ctx context.Context, path string, from, asOf date.Date, limit int) ([]outbreak.BoardFocus, error) {
	mid := asOf.AddDays(-6)
	out, err := queryAll(ctx, s.read, func(rows *sql.Rows) (outbreak.BoardFocus, error) {
		var f outbreak.BoardFocus
		var closed date.Date
		var means sql.NullTime
		err := rows.Scan(&f.ID, &f.CommuneID, &f.CommuneName, &f.UnitID, &f.Place, &f.Disease, &f.OpenedOn, &closed, &f.CommandMemberID, &f.ForcesCount, &means,
			&f.Cases7, &f.CasesPrev7)
		if !closed.IsZero() {
			f.ClosedOn = &closed
		}
		if means.Valid {
			t := means.Time.UTC()
			f.MeansUpdatedAt = &t
		}
		return f, err
	}, `SELECT o.id, o.commune_id, c.name, o.unit_id, o.place, o.disease, o.opened_on, o.closed_on, o.command_member_id, o.forces_count, o.means_updated_at,
			COALESCE(SUM(CASE WHEN r.day >= $5 THEN r.new_cases ELSE 0 END), 0), COALESCE(SUM(CASE WHEN r.day < $5 THEN r.new_cases ELSE 0 END), 0)
		FROM outbreaks o JOIN units u ON u.id = o.unit_id JOIN units c ON c.id = o.commune_id
		LEFT JOIN outbreak_reports r ON r.outbreak_id = o.id AND r.day >= $3 AND r.day <= $4`+boardWhere+`
		GROUP BY o.id, o.commune_id, c.name, o.unit_id, o.place, o.disease, o.opened_on, o.closed_on, o.command_member_id, o.forces_count, o.means_updated_at
		ORDER BY o.id LIMIT $6`, path, prefixEnd(path), from, asOf, mid, limit+1)
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.board_too_large", "more than %d foci: choose a smaller unit", limit)
	}
	return out, nil
}

// BoardFunding reads the funding requests of the board's foci with their
// tasks' state, in one query.
func (s Outbreaks) BoardFunding(ctx context.Context, path string, from, asOf date.Date) ([]outbreak.BoardFunding, error) {
	return queryAll(ctx, s.read, func(rows *sql.Rows) (outbreak.BoardFunding, error) {
		var f outbreak.BoardFunding
		var st string
		var done date.Date
		err := rows.Scan(&f.OutbreakID, &f.Amount, &st, &f.DueOn, &done, &f.AssignedOn)
		f.TaskState = task.State(st)
		if !done.IsZero() {
			f.DoneOn = &done
		}
		return f, err
	}, `SELECT f.outbreak_id, f.amount, t.state, t.due_on, t.done_on, t.assigned_on
		FROM outbreak_funding f JOIN tasks t ON t.id = f.task_id JOIN outbreaks o ON o.id = f.outbreak_id JOIN units u ON u.id = o.unit_id`+boardWhere,
		path, prefixEnd(path), from, asOf)
}

// Figures counts a subtree's outbreak work over a period, in one query.
func (s Outbreaks) Figures(ctx context.Context, path string, from, to date.Date) (*outbreak.Figures, error) {
	var f outbreak.Figures
	start, end := jobs.DBTime(from.Time().Add(-7*time.Hour)), jobs.DBTime(to.AddDays(1).Time().Add(-7*time.Hour)) // days in Vietnam
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM outbreaks o JOIN units u ON u.id = o.unit_id WHERE u.path >= $1 AND u.path < $2 AND o.opened_on >= $3 AND o.opened_on <= $4),
		(SELECT COUNT(*) FROM outbreaks o JOIN units u ON u.id = o.unit_id WHERE u.path >= $1 AND u.path < $2 AND o.closed_on >= $3 AND o.closed_on <= $4),
		(SELECT COALESCE(SUM(r.new_cases), 0) FROM outbreak_reports r JOIN outbreaks o ON o.id = r.outbreak_id JOIN units u ON u.id = o.unit_id
			WHERE u.path >= $1 AND u.path < $2 AND r.day >= $3 AND r.day <= $4),
		(SELECT COUNT(*) FROM outbreak_duties d JOIN members m ON m.id = d.member_id JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $1 AND u.path < $2 AND d.starts_at >= $5 AND d.starts_at < $6),
		(SELECT COUNT(*) FROM outbreak_duties d JOIN members m ON m.id = d.member_id JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $1 AND u.path < $2 AND d.starts_at >= $5 AND d.starts_at < $6 AND d.confirmed_at IS NOT NULL),
		(SELECT COUNT(DISTINCT d.member_id) FROM outbreak_duties d JOIN members m ON m.id = d.member_id JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $1 AND u.path < $2 AND d.starts_at >= $5 AND d.starts_at < $6)`,
		path, prefixEnd(path), from, to, start, end).Scan(&f.FociOpened, &f.FociClosed, &f.Cases, &f.Shifts, &f.ShiftsConfirmed, &f.Members)
	return &f, err
}

// BoardZones reads the zones of the foci under path active on asOf.
func (s Outbreaks) BoardZones(ctx context.Context, path string, asOf date.Date) (map[int64]json.RawMessage, error) {
	return queryMap(ctx, s.read, func(rows *sql.Rows) (id int64, zone json.RawMessage, err error) {
		var z string
		err = rows.Scan(&id, &z)
		return id, json.RawMessage(z), err
	}, `SELECT o.id, o.zone FROM outbreaks o JOIN units u ON u.id = o.unit_id
		WHERE u.path >= $1 AND u.path < $2 AND o.zone IS NOT NULL AND o.opened_on <= $3 AND (o.closed_on IS NULL OR o.closed_on > $3)`, path, prefixEnd(path), asOf)
}
