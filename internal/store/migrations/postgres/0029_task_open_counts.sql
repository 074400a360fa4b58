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
  unit_id   BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  running   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, unit_id, period, member_id) INCLUDE (running)
);

INSERT INTO task_due_counts (grain, period, unit_id, member_id, running)
SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0), COUNT(*)
  FROM tasks t CROSS JOIN (SELECT 't' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'd') g
  WHERE t.kind = 'task' AND t.state IN ('assigned', 'in_progress')
  GROUP BY g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(t.due_on, 1, 7) ELSE t.due_on END, t.unit_id, COALESCE(t.accountable_member_id, 0);

CREATE INDEX task_due_counts_period ON task_due_counts (grain, period, unit_id, member_id) INCLUDE (running) WHERE grain <> 't';

CREATE FUNCTION tasks_due_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress') THEN
    INSERT INTO task_due_counts AS c (grain, period, unit_id, member_id, running)
    SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(OLD.due_on, 1, 7) ELSE OLD.due_on END, OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), -1
      FROM (VALUES ('t'), ('m'), ('d')) g (grain)
    ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = c.running + excluded.running;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress') THEN
    INSERT INTO task_due_counts AS c (grain, period, unit_id, member_id, running)
    SELECT g.grain, CASE g.grain WHEN 't' THEN '' WHEN 'm' THEN substr(NEW.due_on, 1, 7) ELSE NEW.due_on END, NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), 1
      FROM (VALUES ('t'), ('m'), ('d')) g (grain)
    ON CONFLICT (grain, unit_id, period, member_id) DO UPDATE SET running = c.running + excluded.running;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER tasks_due_counters AFTER INSERT OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_due_counters();
CREATE TRIGGER tasks_due_counters_update AFTER UPDATE OF kind, state, unit_id, accountable_member_id, due_on ON tasks
  FOR EACH ROW WHEN ((OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress')) IS DISTINCT FROM (NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress'))
    OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.accountable_member_id IS DISTINCT FROM NEW.accountable_member_id OR OLD.due_on IS DISTINCT FROM NEW.due_on)
  EXECUTE FUNCTION tasks_due_counters();

-- Open arrivals on task_counts' rows. The primary key is rebuilt to carry
-- the new column (index-only reads).
ALTER TABLE task_counts ADD COLUMN open_arrivals BIGINT NOT NULL DEFAULT 0;
ALTER TABLE task_counts DROP CONSTRAINT task_counts_pkey,
  ADD PRIMARY KEY (grain, unit_id, period, member_id, rule) INCLUDE (received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags, open_arrivals);

INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, open_arrivals)
SELECT s.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(s.on_date, 1, 7) ELSE s.on_date END, COALESCE(s.to_member_id, 0), '', COUNT(*)
  FROM task_steps s CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
  WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
  GROUP BY s.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(s.on_date, 1, 7) ELSE s.on_date END, COALESCE(s.to_member_id, 0)
ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = excluded.open_arrivals;

-- The day rows of a period across a whole city (the month rows are a
-- small part of the table and read by the primary key's grain).
CREATE INDEX task_counts_days ON task_counts (period, unit_id) WHERE grain = 'd';

-- Open arrivals whose acceptance is not due yet, across a whole city.
CREATE INDEX task_steps_open_accept_due ON task_steps (accept_due_on, to_unit_id, on_date, to_member_id)
  WHERE accept_due_on IS NOT NULL AND answered_on IS NULL AND ended_on IS NULL;

CREATE FUNCTION task_steps_open_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND OLD.answered_on IS NULL AND OLD.ended_on IS NULL THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, open_arrivals)
    SELECT OLD.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(OLD.on_date, 1, 7) ELSE OLD.on_date END, COALESCE(OLD.to_member_id, 0), '', -1
      FROM (VALUES ('m'), ('d')) g (grain)
    ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = c.open_arrivals + excluded.open_arrivals;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND NEW.answered_on IS NULL AND NEW.ended_on IS NULL THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, open_arrivals)
    SELECT NEW.to_unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(NEW.on_date, 1, 7) ELSE NEW.on_date END, COALESCE(NEW.to_member_id, 0), '', 1
      FROM (VALUES ('m'), ('d')) g (grain)
    ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET open_arrivals = c.open_arrivals + excluded.open_arrivals;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_steps_open_counters AFTER INSERT OR DELETE ON task_steps
  FOR EACH ROW EXECUTE FUNCTION task_steps_open_counters();
CREATE TRIGGER task_steps_open_counters_update AFTER UPDATE OF to_unit_id, to_member_id, on_date, accept_due_on, answered_on, ended_on ON task_steps
  FOR EACH ROW WHEN (OLD.to_unit_id IS DISTINCT FROM NEW.to_unit_id OR OLD.to_member_id IS DISTINCT FROM NEW.to_member_id OR OLD.on_date IS DISTINCT FROM NEW.on_date
    OR (OLD.accept_due_on IS NULL) <> (NEW.accept_due_on IS NULL) OR (OLD.answered_on IS NULL) <> (NEW.answered_on IS NULL) OR (OLD.ended_on IS NULL) <> (NEW.ended_on IS NULL))
  EXECUTE FUNCTION task_steps_open_counters();
