package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Tasks is the store of task.Store and task.UnitFinder: work handling.
type Tasks struct{ *DB }

// The task module's Store (internal/task): tasks, steps, flags, rules and
// unit heads. Times come from the caller's clock (the service's Now), so
// that tests can move it.

var (
	_ task.Store      = Tasks{}
	_ task.UnitFinder = Tasks{}
)

// taskHeadPosition is the start of the position of a unit's head by
// default ("Bí thư chi bộ", "Bí thư Đảng ủy", ...).
var taskHeadPosition = viet.NFC("Bí thư") + "%"

// taskHeadSQL is the head of the unit whose id is the SQL expression unit:
// the explicit head, or else the first active member of the unit whose
// position starts with "Bí thư" and who is not the explicit head of
// another unit. like is the placeholder holding taskHeadPosition.
func taskHeadSQL(unit, like string) string {
	return `COALESCE((SELECT h.member_id FROM unit_heads h WHERE h.unit_id = ` + unit + `),
		(SELECT hm.id FROM members hm WHERE hm.unit_id = ` + unit + ` AND hm.status IN ('probationary', 'full', 'exempt')
			AND hm.position LIKE ` + likeParam(like) + ` AND NOT EXISTS (SELECT 1 FROM unit_heads h2 WHERE h2.member_id = hm.id)
			ORDER BY hm.id LIMIT 1))`
}

// Unit returns what the task module needs of a unit.
func (db Tasks) Unit(ctx context.Context, id int64) (*task.UnitRef, error) {
	return onceInBatch(ctx, unitRefKey(id), func() (*task.UnitRef, error) {
		var u task.UnitRef
		var err error
		u.Dissolved, err = readUnitRef(ctx, db.read, id, `id, parent_id, path, name, kind`, &u.ID, &u.ParentID, &u.Path, &u.Name, &u.Kind)
		return &u, err
	})
}

// ChildUnits lists the live units directly below a unit.
func (db Tasks) ChildUnits(ctx context.Context, parentID int64) ([]task.UnitRef, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (task.UnitRef, error) {
		var u task.UnitRef
		return u, rows.Scan(&u.ID, &u.ParentID, &u.Path, &u.Name, &u.Kind)
	}, `SELECT id, parent_id, path, name, kind FROM units
		WHERE parent_id = $1 AND dissolved_on IS NULL ORDER BY kind, name_folded, id`, parentID)
}

// Member returns what the task module needs of a member.
func (db Tasks) Member(ctx context.Context, id int64) (*task.MemberRef, error) {
	var m task.MemberRef
	var status string
	err := db.read.QueryRowContext(ctx, `SELECT m.id, m.unit_id, u.path, m.full_name, m.status FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id).
		Scan(&m.ID, &m.UnitID, &m.UnitPath, &m.Name, &status)
	m.Active = status == "probationary" || status == "full" || status == "exempt"
	return &m, notFound(err, "member %d not found", id)
}

// UnitHeads returns the head of each of the units that has one.
func (db Tasks) UnitHeads(ctx context.Context, unitIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	args := argList{taskHeadPosition}
	marks := make([]string, len(unitIDs))
	for i, id := range unitIDs {
		marks[i] = args.add(id)
	}
	err := queryEach(ctx, db.read, func(rows *sql.Rows) error {
		var unit int64
		var head sql.NullInt64
		err := rows.Scan(&unit, &head)
		if head.Valid {
			out[unit] = head.Int64
		}
		return err
	}, `SELECT u.id, `+taskHeadSQL("u.id", "$1")+` FROM units u WHERE u.id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UnitHead returns a unit's head, explicit or by default.
func (db Tasks) UnitHead(ctx context.Context, unitID int64) (*task.Head, error) {
	h := &task.Head{UnitID: unitID}
	var explicit sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT member_id FROM unit_heads WHERE unit_id = u.id), `+taskHeadSQL("u.id", "$2")+`
		FROM units u WHERE u.id = $1`, unitID, taskHeadPosition).Scan(&explicit, &h.MemberID)
	if err != nil {
		return nil, notFound(err, "unit %d not found", unitID)
	}
	h.Explicit = explicit.Valid
	if h.MemberID != nil {
		if err := db.read.QueryRowContext(ctx, `SELECT full_name, position FROM members WHERE id = $1`, *h.MemberID).Scan(&h.MemberName, &h.Position); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// SetUnitHead sets (or with nil clears) the explicit head of a unit.
func (db Tasks) SetUnitHead(ctx context.Context, unitID int64, memberID *int64, at time.Time, a auth.AuditEntry) error {
	var by any
	if a.Actor != nil && a.Actor.AccountID != 0 {
		by = a.Actor.AccountID
	}
	return db.Write(ctx, func(tx *Tx) error {
		var before sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT member_id FROM unit_heads WHERE unit_id = $1`, unitID).Scan(&before); err != nil && err != sql.ErrNoRows {
			return err
		}
		if before.Valid {
			a.Before = map[string]any{"member_id": before.Int64}
		}
		var err error
		if memberID == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM unit_heads WHERE unit_id = $1`, unitID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO unit_heads (unit_id, member_id, set_by, set_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (unit_id) DO UPDATE SET member_id = excluded.member_id, set_by = excluded.set_by, set_at = excluded.set_at`,
				unitID, *memberID, by, at)
		}
		if err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// SetDemoHeads gives every committee of the demo without a head one: an
// ordinary full member (not linked to an account) of the first cell
// directly below it becomes "Bí thư Đảng ủy" (grassroots) or "Bí thư
// Huyện ủy" (district), in two set-based statements. It returns how many
// heads it set.
func (db *DB) SetDemoHeads(ctx context.Context) (int, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO unit_heads (unit_id, member_id, set_at)
			SELECT g.id, g.head, `+db.castTime("$1")+` FROM (
				SELECT u.id, (SELECT m.id FROM members m
					WHERE m.unit_id = (SELECT MIN(c.id) FROM units c WHERE c.parent_id = u.id AND c.kind = 'cell' AND c.dissolved_on IS NULL)
					AND m.status = 'full' AND m.position = ''
					AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.member_id = m.id)
					ORDER BY m.id DESC LIMIT 1) AS head
				FROM units u
				WHERE u.kind IN ('grassroots_committee', 'district_committee') AND u.dissolved_on IS NULL
				AND NOT EXISTS (SELECT 1 FROM unit_heads h WHERE h.unit_id = u.id)
			) g WHERE g.head IS NOT NULL`, tx.Now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `UPDATE members SET version = version + 1, updated_at = $1,
			position = CASE WHEN (SELECT u.kind FROM unit_heads h JOIN units u ON u.id = h.unit_id WHERE h.member_id = members.id LIMIT 1) = 'district_committee'
				THEN $2 ELSE $3 END
			WHERE position = '' AND id IN (SELECT member_id FROM unit_heads)`, tx.Now, viet.NFC("Bí thư Huyện ủy"), viet.NFC("Bí thư Đảng ủy"))
		return err
	})
	return int(n), err
}

// ---- Tasks -----------------------------------------------------------------

// taskColumns are what scanTask reads; the timestamps as rawTime (see
// timetext.go), scanned by timeText.
var taskColumns = `t.id, t.parent_id, t.kind, t.document_id, t.title, t.description,
	t.issuer_unit_id, iu.name, iu.path, t.created_by,
	t.unit_id, au.name, au.path, t.accountable_member_id, COALESCE(am.full_name, ''), t.assignee_id,
	t.holder_unit_id, hu.name, hu.path, hu.kind, hu.parent_id, t.holder_member_id, COALESCE(hm.full_name, ''),
	` + rawTime("t.holder_since") + `, COALESCE(t.holder_step_id, 0), t.holder_due_on, t.accept_due_on,
	t.state, t.resume_state, t.suspended_on, t.percent, t.assigned_on, t.original_due_on, t.due_on,
	t.done_on, t.days_late, t.done_unit_id, t.done_member_id, t.version, ` + rawTime("t.created_at") + `, ` + rawTime("t.updated_at") + `,
	CASE WHEN t.kind = 'group' THEN (SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id) ELSE 0 END,
	CASE WHEN t.kind = 'group' THEN (SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id AND c.state = 'done') ELSE 0 END`

const taskFrom = ` FROM tasks t
	JOIN units iu ON iu.id = t.issuer_unit_id
	JOIN units au ON au.id = t.unit_id
	JOIN units hu ON hu.id = t.holder_unit_id
	LEFT JOIN members am ON am.id = t.accountable_member_id
	LEFT JOIN members hm ON hm.id = t.holder_member_id`

func scanTask(sc interface{ Scan(...any) error }) (*task.Task, error) {
	var t task.Task
	if err := scanTaskInto(sc, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// scanTaskInto reads a row of taskColumns into t (which a list holds in
// place, rather than copying each row from a task of its own).
func scanTaskInto(sc interface{ Scan(...any) error }, t *task.Task) error {
	return sc.Scan(&t.ID, &t.ParentID, &t.Kind, &t.DocumentID, &t.Title, &t.Description,
		&t.IssuerUnitID, &t.IssuerUnitName, &t.IssuerPath, &t.CreatedBy,
		&t.UnitID, &t.UnitName, &t.UnitPath, &t.AccountableMemberID, &t.AccountableMemberName, &t.AssigneeID,
		&t.HolderUnitID, &t.HolderUnitName, &t.HolderPath, &t.HolderKind, &t.HolderParentID, &t.HolderMemberID, &t.HolderMemberName,
		timeText{&t.HolderSince}, &t.HolderStepID, &t.HolderDueOn, &t.AcceptDueOn,
		&t.State, &t.ResumeState, &t.SuspendedOn, &t.Percent, &t.AssignedOn, &t.OriginalDueOn, &t.DueOn,
		&t.DoneOn, &t.DaysLate, &t.DoneUnitID, &t.DoneMemberID, &t.Version, timeText{&t.CreatedAt}, timeText{&t.UpdatedAt},
		&t.Children, &t.ChildrenDone)
}

func (db *DB) queryTasks(ctx context.Context, q string, args ...any) ([]task.Task, error) {
	return queryAll(ctx, db.read, values(scanTask), q, args...)
}

// Task returns one task.
func (db Tasks) Task(ctx context.Context, id int64) (*task.Task, error) {
	t, err := scanTask(db.read.QueryRowContext(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.id = $1`, id))
	return t, notFound(err, "task %d not found", id)
}

// Children lists the sub-tasks of a group, by the name of their unit.
func (db Tasks) Children(ctx context.Context, id int64) ([]task.Task, error) {
	return db.queryTasks(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.parent_id = $1 ORDER BY au.kind, au.name_folded, t.id`, id)
}

const stepColumns = `s.id, s.task_id, s.seq, s.action, s.capacity, s.direction, s.account_id, s.username, s.actor_member_id, COALESCE(am.full_name, ''),
	s.at, s.on_date, s.from_unit_id, COALESCE(fu.name, ''), COALESCE(fu.path, ''), s.from_member_id, COALESCE(fm.full_name, ''),
	s.to_unit_id, COALESCE(tu.name, ''), COALESCE(tu.path, ''), s.to_member_id, COALESCE(tm.full_name, ''),
	s.note, s.percent, s.new_due_on, s.due_on, s.accept_due_on, s.answered_on, s.ended_at
	FROM task_steps s
	LEFT JOIN members am ON am.id = s.actor_member_id
	LEFT JOIN units fu ON fu.id = s.from_unit_id
	LEFT JOIN members fm ON fm.id = s.from_member_id
	LEFT JOIN units tu ON tu.id = s.to_unit_id
	LEFT JOIN members tm ON tm.id = s.to_member_id`

// Steps lists every step of a task in order.
func (db Tasks) Steps(ctx context.Context, id int64) ([]task.Step, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (task.Step, error) {
		var s task.Step
		err := rows.Scan(&s.ID, &s.TaskID, &s.Seq, &s.Action, &s.Capacity, &s.Direction, &s.AccountID, &s.Username, &s.ActorMemberID, &s.ActorMemberName,
			&s.At, &s.On, &s.FromUnitID, &s.FromUnitName, &s.FromUnitPath, &s.FromMemberID, &s.FromMemberName,
			&s.ToUnitID, &s.ToUnitName, &s.ToUnitPath, &s.ToMemberID, &s.ToMemberName,
			&s.Note, &s.Percent, &s.NewDueOn, &s.DueOn, &s.AcceptDueOn, &s.AnsweredOn, &s.EndedAt)
		s.At = s.At.UTC()
		if s.EndedAt != nil {
			e := s.EndedAt.UTC()
			s.EndedAt = &e
		}
		return s, err
	}, `SELECT `+stepColumns+` WHERE s.task_id = $1 ORDER BY s.seq`, id)
}

// Flags lists the flags of a task.
func (db Tasks) Flags(ctx context.Context, id int64) ([]task.Flag, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (task.Flag, error) {
		var f task.Flag
		err := rows.Scan(&f.ID, &f.TaskID, &f.StepID, &f.Rule, &f.UnitID, &f.UnitName, &f.MemberID, &f.MemberName,
			&f.Detail, &f.RaisedBy, &f.RaisedAt, &f.RaisedOn)
		f.RaisedAt = f.RaisedAt.UTC()
		return f, err
	}, `SELECT f.id, f.task_id, f.step_id, f.rule, f.unit_id, COALESCE(u.name, ''), f.member_id, COALESCE(m.full_name, ''),
			f.detail, f.raised_by, f.raised_at, f.raised_on
		FROM task_flags f LEFT JOIN units u ON u.id = f.unit_id LEFT JOIN members m ON m.id = f.member_id
		WHERE f.task_id = $1 ORDER BY f.id`, id)
}

// Create inserts a task, or a group and its sub-tasks, each with its
// creation step, in one transaction.
func (db Tasks) Create(ctx context.Context, in *task.NewTasks, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		return tx.insertAuditedTasks(ctx, in, a)
	})
}

// insertAuditedTasks inserts new tasks (see insertNewTasks) and writes
// their audit entry a, completed with the tasks' ids.
func (tx *Tx) insertAuditedTasks(ctx context.Context, in *task.NewTasks, a auth.AuditEntry) error {
	if err := tx.insertNewTasks(ctx, in, &a); err != nil {
		return err
	}
	return tx.audit(ctx, a)
}

// insertNewTasks writes a creation (task.Service.Plan) inside a
// transaction; a.ObjectID becomes the group's id, or the one task's.
func (tx *Tx) insertNewTasks(ctx context.Context, in *task.NewTasks, a *auth.AuditEntry) error {
	var group *int64
	if in.Group != nil {
		if err := tx.insertTask(ctx, in.Group); err != nil {
			return err
		}
		group = &in.Group.Task.ID
		a.ObjectID = in.Group.Task.ID
	}
	for i := range in.Items {
		in.Items[i].Task.ParentID = group
		if err := tx.insertTask(ctx, &in.Items[i]); err != nil {
			return err
		}
	}
	if a.ObjectID == 0 && len(in.Items) > 0 {
		a.ObjectID = in.Items[0].Task.ID
	}
	return nil
}

func (tx *Tx) insertTask(ctx context.Context, nt *task.NewTask) error {
	t, st := nt.Task, nt.Step
	ins, err := tx.prepared(ctx, `INSERT INTO tasks (parent_id, kind, document_id, title, description, issuer_unit_id, created_by,
			unit_id, accountable_member_id, assignee_id, holder_unit_id, holder_member_id, holder_since, holder_due_on, accept_due_on,
			state, percent, assigned_on, original_due_on, due_on, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $21, $22) RETURNING id`)
	if err != nil {
		return err
	}
	if err := ins.QueryRowContext(ctx, t.ParentID, t.Kind, t.DocumentID, t.Title, t.Description, t.IssuerUnitID, t.CreatedBy,
		t.UnitID, t.AccountableMemberID, t.AssigneeID, t.HolderUnitID, t.HolderMemberID, t.HolderSince, t.HolderDueOn, t.AcceptDueOn,
		t.State, t.Percent, t.AssignedOn, t.OriginalDueOn, t.DueOn, t.CreatedAt, t.UpdatedAt).Scan(&t.ID); err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	st.TaskID, st.Seq = t.ID, 1
	if err := tx.insertStep(ctx, st); err != nil {
		return err
	}
	t.HolderStepID, t.Version = st.ID, 1
	if _, err = tx.ExecContext(ctx, `UPDATE tasks SET holder_step_id = $1 WHERE id = $2`, st.ID, t.ID); err != nil {
		return err
	}
	return tx.refreshTaskScopesOf(ctx, t.ID)
}

func (tx *Tx) insertStep(ctx context.Context, s *task.Step) error {
	ins, err := tx.prepared(ctx, `INSERT INTO task_steps (task_id, seq, action, capacity, direction, account_id, username, actor_member_id,
			at, on_date, from_unit_id, from_member_id, to_unit_id, to_member_id, note, percent, new_due_on, due_on, accept_due_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`)
	if err != nil {
		return err
	}
	err = ins.QueryRowContext(ctx, s.TaskID, s.Seq, s.Action, s.Capacity, s.Direction, s.AccountID, s.Username, s.ActorMemberID,
		s.At, s.On, s.FromUnitID, s.FromMemberID, s.ToUnitID, s.ToMemberID, s.Note, s.Percent, s.NewDueOn, s.DueOn, s.AcceptDueOn).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("insert step: %w", err)
	}
	return nil
}

// RecordStep writes a step and its consequences in one transaction: the
// step, the end of the holding it closes, the task's new state (only if
// it is still at the version read), the flags, the roll-up of a group, and
// the audit entry.
func (db Tasks) RecordStep(ctx context.Context, r *task.StepRecord, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		t, st := r.Task, r.Step
		today := date.Today(r.Now)
		// Steps of one task are numbered in order: on PostgreSQL two
		// processes may step the same task at once, so the task's row is
		// locked first and its version checked, and the later one answers
		// a conflict rather than colliding on (task_id, seq). SQLite's one
		// writer already serialises.
		if tx.db.dialect == postgresDialect {
			var v int
			if err := tx.QueryRowContext(ctx, `SELECT version FROM tasks WHERE id = $1 FOR UPDATE`, t.ID).Scan(&v); err != nil {
				return err
			}
			if v != r.Version {
				return apperr.Keyed(apperr.Conflict, "task.task_was_changed_someone", "the task was changed by someone else (version %d is stale): reload and try again", r.Version)
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM task_steps WHERE task_id = $1`, t.ID).Scan(&st.Seq); err != nil {
			return err
		}
		if err := tx.insertStep(ctx, st); err != nil {
			return err
		}
		if r.Answer {
			if _, err := tx.ExecContext(ctx, `UPDATE task_steps SET answered_on = $1 WHERE id = $2 AND answered_on IS NULL`, today, r.HoldingStepID); err != nil {
				return err
			}
		}
		if r.Handover || r.EndsHolding {
			if _, err := tx.ExecContext(ctx, `UPDATE task_steps SET ended_at = $1, ended_on = $2 WHERE id = $3 AND ended_at IS NULL`, r.Now, today, r.HoldingStepID); err != nil {
				return err
			}
		}
		t.HolderStepID = r.HoldingStepID
		if r.Handover {
			t.HolderStepID = st.ID
		}
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET holder_unit_id = $1, holder_member_id = $2, holder_since = $3, holder_step_id = $4,
				holder_due_on = $5, accept_due_on = $6, state = $7, resume_state = $8, suspended_on = $9, percent = $10, due_on = $11,
				done_on = $12, days_late = $13, done_unit_id = $14, done_member_id = $15, updated_at = $16, version = version + 1
			WHERE id = $17 AND version = $18`,
			t.HolderUnitID, t.HolderMemberID, t.HolderSince, t.HolderStepID, t.HolderDueOn, t.AcceptDueOn, t.State, string(t.ResumeState), t.SuspendedOn,
			t.Percent, t.DueOn, t.DoneOn, t.DaysLate, t.DoneUnitID, t.DoneMemberID, r.Now, t.ID, r.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "task.task_was_changed_someone", "the task was changed by someone else (version %d is stale): reload and try again", r.Version)
		}
		t.Version = r.Version + 1
		// A hand-over changes the holder, so the keys; any other step at
		// most the state and the due date the rows carry.
		if r.Handover {
			err = tx.refreshTaskScopesOf(ctx, t.ID)
		} else {
			err = tx.updateTaskScopes(ctx, t.ID)
		}
		if err != nil {
			return err
		}
		for _, f := range r.Flags {
			stepID := f.StepID
			if stepID == 0 {
				stepID = st.ID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_flags (task_id, step_id, rule, unit_id, member_id, detail, raised_by, raised_at, raised_on)
				VALUES ($1, $2, $3, $4, $5, $6, 'live', $7, $8) ON CONFLICT (task_id, step_id, rule) DO NOTHING`,
				t.ID, stepID, f.Rule, f.UnitID, f.MemberID, f.Detail, r.Now, today); err != nil {
				return err
			}
		}
		if t.ParentID != nil {
			if err := tx.rollUpTask(ctx, *t.ParentID, r.Now); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a)
	})
}

// rollUpTask recomputes a group from its sub-tasks: the average percent
// (done counts 100), done when every sub-task is done (on the last one's
// day).
func (tx *Tx) rollUpTask(ctx context.Context, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE tasks SET
			percent = COALESCE((SELECT SUM(CASE WHEN c.state = 'done' THEN 100 ELSE c.percent END) / COUNT(*) FROM tasks c WHERE c.parent_id = $1), 0),
			state = CASE WHEN EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = $1 AND c.state <> 'done') THEN 'in_progress' ELSE 'done' END,
			done_on = CASE WHEN EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = $1 AND c.state <> 'done') THEN NULL
				ELSE (SELECT MAX(c.done_on) FROM tasks c WHERE c.parent_id = $1) END,
			days_late = CASE WHEN EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = $1 AND c.state <> 'done') THEN NULL
				ELSE (SELECT MAX(c.days_late) FROM tasks c WHERE c.parent_id = $1) END,
			version = version + 1, updated_at = $2
		WHERE id = $1`, id, now)
	if err != nil {
		return err
	}
	return tx.updateTaskScopes(ctx, id)
}

// idMarks adds ids to args and returns their placeholders, comma-separated.
func idMarks(args *argList, ids []int64) string {
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = args.add(id)
	}
	return strings.Join(marks, ",")
}

// taskCursor reads the cursor of a task list: a due date and an id in
// due order, an id alone newest first.
func taskCursor(s string, byDue bool) (date.Date, int64, error) {
	if byDue {
		return decodeDateCursor(s)
	}
	key, id, err := decodeCursor(s)
	if err == nil && len(key) > 0 {
		err = apperr.BadCursor()
	}
	return date.Date{}, id, err
}

// ---- Rules and the scan ----------------------------------------------------

// Rules lists the stored detection rules.
func (db Tasks) Rules(ctx context.Context) ([]task.Rule, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (task.Rule, error) {
		var r task.Rule
		var enabled int
		err := rows.Scan(&r.Code, &r.NameVI, &r.NameEN, &enabled, &r.Threshold, &r.Description, &r.UpdatedAt)
		r.Enabled = enabled != 0
		return r, err
	}, `SELECT code, name_vi, name_en, enabled, threshold, description, updated_at FROM task_rules ORDER BY code`)
}

// UpdateRules saves changed rules.
func (db Tasks) UpdateRules(ctx context.Context, rs []task.Rule, at time.Time, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, r := range rs {
			enabled := 0
			if r.Enabled {
				enabled = 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_rules (code, name_vi, name_en, enabled, threshold, description, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, enabled = excluded.enabled,
					threshold = excluded.threshold, description = excluded.description, updated_at = excluded.updated_at`,
				r.Code, r.NameVI, r.NameEN, enabled, r.Threshold, r.Description, at); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a)
	})
}

// ScanFlags raises the time-based flags over all running tasks, one
// pair of set-based statements per rule on the precomputed due dates: an
// INSERT … SELECT of the flags, then an UPDATE that marks the holdings as
// checked (tasks.flagged_*). The partial indexes tasks_scan_* hold only the
// running tasks whose current holding a rule has not flagged yet, so a scan
// visits what became due since the last one, not every overdue task again.
// A flag is keyed by the step that began the current holding: each holder
// is flagged once per rule, and a flag the live check already raised is
// skipped by ON CONFLICT DO NOTHING.
func (db Tasks) ScanFlags(ctx context.Context, r task.ScanRequest) (map[string]int, error) {
	raised := map[string]int{}
	type scan struct {
		rule, marker, detail, cond string
		cutoff                     date.Date
	}
	// SQLite would as gladly take the wider tasks_running_due, whose
	// statistics look the same: name the index there.
	indexed := func(rule string) string {
		if db.dialect == sqliteDialect {
			return " INDEXED BY tasks_scan_" + rule
		}
		return ""
	}
	const running = `t.state IN ('assigned', 'in_progress') AND t.kind = 'task'`
	scans := []scan{
		{task.RuleOverdue, "flagged_overdue", `'overdue_due|' || t.due_on`, running + ` AND t.flagged_overdue <> t.holder_step_id AND t.due_on < $3`, r.OverdueBefore},
		{task.RuleStepOverdue, "flagged_step_overdue", `'step_overdue|' || t.holder_due_on`,
			running + ` AND t.flagged_step_overdue <> t.holder_step_id AND t.holder_due_on < t.due_on AND t.holder_due_on < $3`, r.StepOverdueBefore},
		{task.RuleNoResponse, "flagged_no_response", `'no_response_due|' || t.accept_due_on`,
			`t.state = 'assigned' AND t.kind = 'task' AND t.flagged_no_response <> t.holder_step_id AND t.accept_due_on < $3`, r.NoResponseBefore},
	}
	err := db.Write(ctx, func(tx *Tx) error {
		for _, s := range scans {
			if s.cutoff.IsZero() {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO task_flags (task_id, step_id, rule, unit_id, member_id, detail, raised_by, raised_at, raised_on)
				SELECT t.id, t.holder_step_id, $4, t.holder_unit_id, t.holder_member_id, `+s.detail+`, 'scan', `+db.castTime("$1")+`, $2
				FROM tasks t`+indexed(s.rule)+`
				WHERE `+s.cond+`
				ON CONFLICT (task_id, step_id, rule) DO NOTHING`, r.Now, r.Today, s.cutoff, s.rule)
			if err != nil {
				return fmt.Errorf("scan %s: %w", s.rule, err)
			}
			n, _ := res.RowsAffected()
			raised[s.rule] = int(n)
			cond := strings.ReplaceAll(strings.ReplaceAll(s.cond, "t.", "tasks."), "$3", "$1")
			if _, err := tx.ExecContext(ctx, `UPDATE tasks`+indexed(s.rule)+` SET `+s.marker+` = holder_step_id WHERE `+cond, s.cutoff); err != nil {
				return fmt.Errorf("scan %s: %w", s.rule, err)
			}
		}
		return nil
	})
	return raised, err
}
