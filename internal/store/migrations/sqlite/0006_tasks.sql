-- Work handling under Directive 24-CT/TU (SQLite): official holiday
-- schedules, unit heads, tasks and their steps, detection rules and flags,
-- and in-app notifications. See internal/task.

-- The official holiday schedule of a year (the JSON of viet.Schedule): it
-- overrides the defaults of the Labour Code for that year.
CREATE TABLE calendar_schedules (
  year       INTEGER PRIMARY KEY,
  schedule   TEXT NOT NULL,
  updated_by INTEGER,
  updated_at TIMESTAMP NOT NULL
);

-- The member answering for a unit's tasks, when set explicitly. Without a
-- row, the head is the unit's member whose position starts with "Bí thư".
CREATE TABLE unit_heads (
  unit_id   INTEGER PRIMARY KEY REFERENCES units(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  set_by    INTEGER,
  set_at    TIMESTAMP NOT NULL
);
CREATE INDEX unit_heads_member ON unit_heads(member_id);

-- One row per task. unit_id/accountable_member_id answer for the outcome;
-- holder_* is who has it now, since holder_since, by the step
-- holder_step_id; due dates are precomputed in working days so that the
-- periodic scan is set-based. document_id has no foreign key on purpose.
CREATE TABLE tasks (
  id                    INTEGER PRIMARY KEY,
  parent_id             INTEGER REFERENCES tasks(id),
  kind                  TEXT NOT NULL DEFAULT 'task',    -- task | group
  document_id           INTEGER,
  title                 TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  issuer_unit_id        INTEGER NOT NULL REFERENCES units(id),
  created_by            INTEGER,
  unit_id               INTEGER NOT NULL REFERENCES units(id),
  accountable_member_id INTEGER REFERENCES members(id),
  assignee_id           INTEGER REFERENCES members(id),
  holder_unit_id        INTEGER NOT NULL REFERENCES units(id),
  holder_member_id      INTEGER REFERENCES members(id),
  holder_since          TIMESTAMP NOT NULL,
  holder_step_id        INTEGER,
  holder_due_on         TEXT,
  accept_due_on         TEXT,
  state                 TEXT NOT NULL,                   -- assigned | in_progress | suspended | done
  resume_state          TEXT NOT NULL DEFAULT '',
  suspended_on          TEXT,
  percent               INTEGER NOT NULL DEFAULT 0,
  assigned_on           TEXT NOT NULL,
  original_due_on       TEXT NOT NULL,
  due_on                TEXT NOT NULL,
  done_on               TEXT,
  days_late             INTEGER,
  done_unit_id          INTEGER,
  done_member_id        INTEGER,
  -- The holding (holder_step_id) each time-based rule was last checked for
  -- by the scan, so that the scan only visits what it has not flagged yet.
  flagged_overdue       INTEGER NOT NULL DEFAULT 0,
  flagged_step_overdue  INTEGER NOT NULL DEFAULT 0,
  flagged_no_response   INTEGER NOT NULL DEFAULT 0,
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            TIMESTAMP NOT NULL,
  updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX tasks_parent ON tasks(parent_id) WHERE parent_id IS NOT NULL;
-- The accountability report reads these by unit and date; they carry the
-- columns it aggregates so that it does not visit the table.
CREATE INDEX tasks_unit_assigned ON tasks(unit_id, assigned_on, kind, accountable_member_id);
CREATE INDEX tasks_unit_done ON tasks(unit_id, done_on, kind, days_late, accountable_member_id) WHERE done_on IS NOT NULL;
CREATE INDEX tasks_holder ON tasks(holder_unit_id, state);
CREATE INDEX tasks_issuer ON tasks(issuer_unit_id);
CREATE INDEX tasks_holder_member ON tasks(holder_member_id) WHERE holder_member_id IS NOT NULL;
CREATE INDEX tasks_accountable_member ON tasks(accountable_member_id) WHERE accountable_member_id IS NOT NULL;
CREATE INDEX tasks_assignee ON tasks(assignee_id) WHERE assignee_id IS NOT NULL;
-- Running tasks by due date (reminders, lists of overdue tasks).
CREATE INDEX tasks_running_due ON tasks(due_on) WHERE state IN ('assigned', 'in_progress') AND kind = 'task';
-- The periodic scan: per rule, the running tasks whose current holding it
-- has not flagged yet, by the date that rule watches.
CREATE INDEX tasks_scan_overdue ON tasks(due_on)
  WHERE state IN ('assigned', 'in_progress') AND kind = 'task' AND flagged_overdue <> holder_step_id;
CREATE INDEX tasks_scan_step_overdue ON tasks(holder_due_on)
  WHERE state IN ('assigned', 'in_progress') AND kind = 'task' AND flagged_step_overdue <> holder_step_id AND holder_due_on < due_on;
CREATE INDEX tasks_scan_no_response ON tasks(accept_due_on)
  WHERE state = 'assigned' AND kind = 'task' AND flagged_no_response <> holder_step_id;
CREATE INDEX tasks_unit_running ON tasks(unit_id, due_on, accountable_member_id) WHERE state IN ('assigned', 'in_progress') AND kind = 'task';

-- Every step: who (account and member) did what, when, in which capacity,
-- the holder before (from_*) and after (to_*), and the step's own
-- deadlines. A handover (create, forward, return, escalate) begins a
-- holding: accept_due_on, answered_on (the holder's first act) and
-- ended_on/ended_at (when the next holding began or the task was done).
CREATE TABLE task_steps (
  id              INTEGER PRIMARY KEY,
  task_id         INTEGER NOT NULL REFERENCES tasks(id),
  seq             INTEGER NOT NULL,
  action          TEXT NOT NULL,
  capacity        TEXT NOT NULL,                        -- holder | superior | issuer | system
  direction       TEXT NOT NULL DEFAULT '',             -- down | sideways | up | back
  account_id      INTEGER,
  username        TEXT NOT NULL DEFAULT '',
  actor_member_id INTEGER,
  at              TIMESTAMP NOT NULL,
  on_date         TEXT NOT NULL,
  from_unit_id    INTEGER,
  from_member_id  INTEGER,
  to_unit_id      INTEGER,
  to_member_id    INTEGER,
  note            TEXT NOT NULL DEFAULT '',
  percent         INTEGER,
  new_due_on      TEXT,
  due_on          TEXT,
  accept_due_on   TEXT,
  answered_on     TEXT,
  ended_on        TEXT,
  ended_at        TIMESTAMP,
  UNIQUE (task_id, seq)
);
-- Behaviour of holders (accountability), and the holdings that reached a unit.
CREATE INDEX task_steps_passing ON task_steps(from_unit_id, on_date, capacity, action, direction, from_member_id)
  WHERE action IN ('escalate', 'forward', 'return', 'extend');
CREATE INDEX task_steps_arrivals ON task_steps(to_unit_id, on_date, accept_due_on, answered_on, ended_on, to_member_id)
  WHERE accept_due_on IS NOT NULL;

-- The detection rules (editable data; see internal/task/rules.go).
CREATE TABLE task_rules (
  code        TEXT PRIMARY KEY,
  name_vi     TEXT NOT NULL,
  name_en     TEXT NOT NULL DEFAULT '',
  enabled     INTEGER NOT NULL DEFAULT 1,
  threshold   INTEGER NOT NULL DEFAULT 0,
  description TEXT NOT NULL DEFAULT '',
  updated_at  TIMESTAMP
);
INSERT INTO task_rules (code, name_vi, name_en, enabled, threshold, description) VALUES
  ('overdue', 'Quá hạn xử lý', 'Overdue', 1, 0, 'The task is past its due date (threshold: grace in working days).'),
  ('step_overdue', 'Khâu xử lý quá hạn', 'Step overdue', 1, 0, 'The holder is past the deadline set for its step, earlier than the task''s (threshold: grace in working days).'),
  ('no_response', 'Không phản hồi, không tiếp nhận', 'No response', 1, 2, 'The holder did not accept the task within N working days of receiving it.'),
  ('escalated_within_authority', 'Đẩy việc thuộc thẩm quyền lên cấp trên', 'Escalated within authority', 1, 0, 'A committee escalated work handed down to it, which it had the authority to decide (flagged beyond the first N such escalations of the task).'),
  ('pushed_sideways', 'Đùn đẩy việc sang đơn vị khác', 'Pushed sideways', 1, 0, 'The holder forwarded the task to a unit that is not below it (flagged beyond the first N such forwards of the task).'),
  ('returned_repeatedly', 'Trả lại nhiều lần', 'Returned repeatedly', 1, 1, 'The task was returned to its sender more than N times.'),
  ('repeated_extensions', 'Xin gia hạn nhiều lần', 'Repeated extensions', 1, 1, 'The holders asked for more than N extensions of the task.');

-- Flags raised by the rules, on a step of a task, naming the unit and the
-- person. Unique per (task, step, rule): the live check and the periodic
-- scan never raise the same flag twice.
CREATE TABLE task_flags (
  id        INTEGER PRIMARY KEY,
  task_id   INTEGER NOT NULL REFERENCES tasks(id),
  step_id   INTEGER NOT NULL,
  rule      TEXT NOT NULL,
  unit_id   INTEGER,
  member_id INTEGER,
  detail    TEXT NOT NULL DEFAULT '',
  raised_by TEXT NOT NULL,                                -- live | scan
  raised_at TIMESTAMP NOT NULL,
  raised_on TEXT NOT NULL,
  UNIQUE (task_id, step_id, rule)
);
CREATE INDEX task_flags_unit ON task_flags(unit_id, raised_on, rule, member_id);

-- In-app notifications, to an account or to a member. event_key names the
-- event a reminder is for: it is written once.
CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  member_id  INTEGER REFERENCES members(id),
  kind       TEXT NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '',
  link       TEXT NOT NULL DEFAULT '',
  event_key  TEXT UNIQUE,
  created_at TIMESTAMP NOT NULL,
  read_at    TIMESTAMP
);
CREATE INDEX notifications_member ON notifications(member_id, created_at) WHERE member_id IS NOT NULL;
CREATE INDEX notifications_account ON notifications(account_id, created_at) WHERE account_id IS NOT NULL;
