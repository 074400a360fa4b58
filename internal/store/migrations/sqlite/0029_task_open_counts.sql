-- sotay:expand
-- The accountability report's clock-dependent figures from counters
-- (issue 16, item 4, third attempt). Until now "open overdue" (running
-- tasks due before today) and the open part of "unanswered" (arrivals
-- still neither answered nor ended whose acceptance fell due before
-- today) were read from the rows, and in a neglected city those rows are
-- most of the open work. Both are now a total minus what is not due yet:
--
-- * task_due_counts: running tasks (kind 'task', state assigned or
--   in_progress) per accountable unit and person, at three grains: 't'
--   (period '', all of them), 'm' (period = the month of due_on) and 'd'
--   (the day). Overdue as of today = the 't' row minus the 'm' rows after
--   today's month minus the 'd' rows of today's month from today on: the
--   cost follows the work not due yet, not the past.
-- * task_counts.open_arrivals: arrivals still open (acceptance due, not
--   answered, holding not ended) by the arrival's on_date, on the same
--   month and day rows as the other figures (no row read more). The
--   report adds those of its period to the settled-late ones and
--   subtracts the few whose acceptance is not due yet (rows, index
--   task_steps_open_accept_due).
--
-- Kept by their own row triggers (the triggers of 0026 are unchanged).
-- The period-first indexes let a whole city read a period's (or the
-- future's) rows as one range instead of every unit's rows.

CREATE TABLE task_due_counts (
  grain     TEXT NOT NULL,
  period    TEXT NOT NULL,
  unit_id   INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  running   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, unit_id, period, member_id)
) WITHOUT ROWID;

INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0), COUNT(*)
  FROM tasks t CROSS JOIN (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g
  WHERE t.kind = 'task' AND t.state IN ('assigned', 'in_progress')
  GROUP BY g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0);

CREATE INDEX task_due_counts_period ON task_due_counts (grain, period, unit_id, member_id, running);

CREATE TRIGGER tasks_due_counters_insert AFTER INSERT ON tasks
WHEN NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress') BEGIN
  INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
  SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(NEW.due_on, 1, 7) ELSE NEW.due_on END, NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), 1
    FROM (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g WHERE true
  ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = running + excluded.running;
END;

CREATE TRIGGER tasks_due_counters_delete AFTER DELETE ON tasks
WHEN OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress') BEGIN
  INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
  SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(OLD.due_on, 1, 7) ELSE OLD.due_on END, OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), -1
    FROM (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g WHERE true
  ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = running + excluded.running;
END;

CREATE TRIGGER tasks_due_counters_update AFTER UPDATE OF kind, state, unit_id, accountable_member_id, due_on ON tasks
WHEN (OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress')) IS NOT (NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress'))
  OR OLD.unit_id IS NOT NEW.unit_id OR OLD.accountable_member_id IS NOT NEW.accountable_member_id OR OLD.due_on IS NOT NEW.due_on BEGIN
  INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
  SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(OLD.due_on, 1, 7) ELSE OLD.due_on END, OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), -1
    FROM (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g WHERE OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress')
  ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = running + excluded.running;
  INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
  SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(NEW.due_on, 1, 7) ELSE NEW.due_on END, NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), 1
    FROM (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g WHERE NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress')
  ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = running + excluded.running;
END;

-- Open arrivals on task_counts' rows.
ALTER TABLE task_counts ADD COLUMN open_arrivals INTEGER NOT NULL DEFAULT 0;

INSERT INTO task_counts (unit_id, grain, period, member_id, rule, open_arrivals)
SELECT s.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(s.on_date, 1, 7) ELSE s.on_date END, COALESCE(s.to_member_id, 0), '', COUNT(*)
  FROM task_steps s CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
  WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
  GROUP BY s.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(s.on_date, 1, 7) ELSE s.on_date END, COALESCE(s.to_member_id, 0)
ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = excluded.open_arrivals;

-- The day rows of a period across a whole city.
CREATE INDEX task_counts_days ON task_counts (period, unit_id) WHERE grain = 'd';

-- Open arrivals whose acceptance is not due yet, across a whole city.
CREATE INDEX task_steps_open_accept_due ON task_steps (accept_due_on, to_unit_id, on_date, to_member_id)
  WHERE accept_due_on IS NOT NULL AND answered_on IS NULL AND ended_on IS NULL;

CREATE TRIGGER task_steps_open_counters_insert AFTER INSERT ON task_steps
WHEN NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND NEW.answered_on IS NULL AND NEW.ended_on IS NULL BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, open_arrivals)
  SELECT NEW.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(NEW.on_date, 1, 7) ELSE NEW.on_date END, COALESCE(NEW.to_member_id, 0), '', 1
    FROM (SELECT 'm' AS grain UNION ALL SELECT 'd') g WHERE true
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = open_arrivals + excluded.open_arrivals;
END;

CREATE TRIGGER task_steps_open_counters_delete AFTER DELETE ON task_steps
WHEN OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND OLD.answered_on IS NULL AND OLD.ended_on IS NULL BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, open_arrivals)
  SELECT OLD.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(OLD.on_date, 1, 7) ELSE OLD.on_date END, COALESCE(OLD.to_member_id, 0), '', -1
    FROM (SELECT 'm' AS grain UNION ALL SELECT 'd') g WHERE true
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = open_arrivals + excluded.open_arrivals;
END;

CREATE TRIGGER task_steps_open_counters_update AFTER UPDATE OF to_unit_id, to_member_id, on_date, accept_due_on, answered_on, ended_on ON task_steps
WHEN OLD.to_unit_id IS NOT NEW.to_unit_id OR OLD.to_member_id IS NOT NEW.to_member_id OR OLD.on_date IS NOT NEW.on_date
  OR (OLD.accept_due_on IS NULL) <> (NEW.accept_due_on IS NULL) OR (OLD.answered_on IS NULL) <> (NEW.answered_on IS NULL) OR (OLD.ended_on IS NULL) <> (NEW.ended_on IS NULL) BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, open_arrivals)
  SELECT OLD.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(OLD.on_date, 1, 7) ELSE OLD.on_date END, COALESCE(OLD.to_member_id, 0), '', -1
    FROM (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND OLD.answered_on IS NULL AND OLD.ended_on IS NULL
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = open_arrivals + excluded.open_arrivals;
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, open_arrivals)
  SELECT NEW.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(NEW.on_date, 1, 7) ELSE NEW.on_date END, COALESCE(NEW.to_member_id, 0), '', 1
    FROM (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND NEW.answered_on IS NULL AND NEW.ended_on IS NULL
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = open_arrivals + excluded.open_arrivals;
END;
