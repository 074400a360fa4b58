-- sotay:expand
-- The accountability report's figures per unit (issue 16, item 4), kept by
-- triggers on tasks, task_steps and task_flags in the transaction of every
-- write. Second attempt: one row per (unit, grain, period, person, rule)
-- with the figures as columns, where the first attempt (not merged) kept
-- one row per figure; and two grains, 'm' (period = 'YYYY-MM') and 'd'
-- (period = 'YYYY-MM-DD'), so a report reads the whole months of its
-- period from month rows and the days at its ends from day rows, with no
-- statement over the tasks. Each event is counted on the day (and month)
-- the report dates it by: received by assigned_on; done on time / late /
-- days late by done_on; escalations, sideways pushes, returns and
-- extension requests (holder steps) by the step's on_date; unanswered
-- (acceptances settled late: answered late, or not answered before the
-- holding ended) by the arrival's on_date; flags by raised_on, one row per
-- rule (rule is '' on every other row). member_id 0: nobody named.
-- The primary key leads with the grain, so the month rows of every unit
-- lie together (a whole city reads them in one range); on PostgreSQL it
-- carries the counts (INCLUDE), so a subtree's rows are read by
-- index-only scans (SQLite's WITHOUT ROWID table is its primary key).
-- What depends on the clock is not counted: running tasks overdue today
-- and open arrivals whose acceptance is past due today are read from the
-- rows (partial indexes). Rows may fall to 0 and stay.

CREATE TABLE task_counts (
  unit_id   BIGINT NOT NULL,
  grain     TEXT NOT NULL,
  period    TEXT NOT NULL,
  member_id BIGINT NOT NULL,
  rule      TEXT NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  done_on_time BIGINT NOT NULL DEFAULT 0,
  done_late BIGINT NOT NULL DEFAULT 0,
  days_late BIGINT NOT NULL DEFAULT 0,
  escalations BIGINT NOT NULL DEFAULT 0,
  sideways BIGINT NOT NULL DEFAULT 0,
  returns BIGINT NOT NULL DEFAULT 0,
  extensions BIGINT NOT NULL DEFAULT 0,
  unanswered BIGINT NOT NULL DEFAULT 0,
  flags BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, unit_id, period, member_id, rule) INCLUDE (received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
);

INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT t.unit_id AS unit_id, COALESCE(t.accountable_member_id, 0) AS member_id, t.assigned_on AS d, '' AS rule, 1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags FROM tasks t WHERE t.kind = 'task'
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), t.done_on, '', 0, CASE WHEN t.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN t.days_late > 0 THEN 1 * t.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL
      UNION ALL SELECT s.from_unit_id, COALESCE(s.from_member_id, 0), s.on_date, '', 0, 0, 0, 0, CASE WHEN s.action = 'escalate' THEN 1 ELSE 0 END, CASE WHEN s.action = 'forward' THEN 1 ELSE 0 END, CASE WHEN s.action = 'return' THEN 1 ELSE 0 END, CASE WHEN s.action = 'extend' THEN 1 ELSE 0 END, 0, 0 FROM task_steps s WHERE s.capacity = 'holder' AND s.from_unit_id IS NOT NULL AND (s.action IN ('escalate', 'return', 'extend') OR (s.action = 'forward' AND s.direction = 'sideways'))
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), s.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND ((s.answered_on IS NULL AND s.ended_on IS NOT NULL AND s.accept_due_on < s.ended_on) OR s.answered_on > s.accept_due_on)
      UNION ALL SELECT f.unit_id, COALESCE(f.member_id, 0), f.raised_on, f.rule, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM task_flags f WHERE f.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule;

CREATE INDEX task_steps_open_accept ON task_steps(to_unit_id, accept_due_on, on_date, to_member_id)
  WHERE accept_due_on IS NOT NULL AND answered_on IS NULL AND ended_on IS NULL;

CREATE FUNCTION tasks_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.unit_id AS unit_id, COALESCE(NEW.accountable_member_id, 0) AS member_id, NEW.assigned_on AS d, '' AS rule, 1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE NEW.kind = 'task'
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.done_on, '', 0, CASE WHEN NEW.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 * NEW.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.accountable_member_id, 0) AS member_id, OLD.assigned_on AS d, '' AS rule, -1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.kind = 'task'
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), OLD.done_on, '', 0, CASE WHEN OLD.days_late = 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 * OLD.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF NOT (OLD.kind IS NOT DISTINCT FROM NEW.kind AND OLD.unit_id IS NOT DISTINCT FROM NEW.unit_id AND OLD.accountable_member_id IS NOT DISTINCT FROM NEW.accountable_member_id AND OLD.assigned_on IS NOT DISTINCT FROM NEW.assigned_on AND OLD.done_on IS NOT DISTINCT FROM NEW.done_on AND OLD.days_late IS NOT DISTINCT FROM NEW.days_late) THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.accountable_member_id, 0) AS member_id, OLD.assigned_on AS d, '' AS rule, -1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.kind = 'task'
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), OLD.done_on, '', 0, CASE WHEN OLD.days_late = 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 * OLD.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.assigned_on, '', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task'
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.done_on, '', 0, CASE WHEN NEW.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 * NEW.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER tasks_counters AFTER INSERT OR DELETE OR UPDATE OF kind, unit_id, accountable_member_id, assigned_on, done_on, days_late ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_counters();

CREATE FUNCTION task_steps_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.from_unit_id AS unit_id, COALESCE(NEW.from_member_id, 0) AS member_id, NEW.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN NEW.action = 'escalate' THEN 1 ELSE 0 END AS escalations, CASE WHEN NEW.action = 'forward' THEN 1 ELSE 0 END AS sideways, CASE WHEN NEW.action = 'return' THEN 1 ELSE 0 END AS returns, CASE WHEN NEW.action = 'extend' THEN 1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE NEW.capacity = 'holder' AND NEW.from_unit_id IS NOT NULL AND (NEW.action IN ('escalate', 'return', 'extend') OR (NEW.action = 'forward' AND NEW.direction = 'sideways'))
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND ((NEW.answered_on IS NULL AND NEW.ended_on IS NOT NULL AND NEW.accept_due_on < NEW.ended_on) OR NEW.answered_on > NEW.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.from_unit_id AS unit_id, COALESCE(OLD.from_member_id, 0) AS member_id, OLD.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN OLD.action = 'escalate' THEN -1 ELSE 0 END AS escalations, CASE WHEN OLD.action = 'forward' THEN -1 ELSE 0 END AS sideways, CASE WHEN OLD.action = 'return' THEN -1 ELSE 0 END AS returns, CASE WHEN OLD.action = 'extend' THEN -1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.capacity = 'holder' AND OLD.from_unit_id IS NOT NULL AND (OLD.action IN ('escalate', 'return', 'extend') OR (OLD.action = 'forward' AND OLD.direction = 'sideways'))
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), OLD.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, -1, 0 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND ((OLD.answered_on IS NULL AND OLD.ended_on IS NOT NULL AND OLD.accept_due_on < OLD.ended_on) OR OLD.answered_on > OLD.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF NOT (OLD.action IS NOT DISTINCT FROM NEW.action AND OLD.capacity IS NOT DISTINCT FROM NEW.capacity AND OLD.direction IS NOT DISTINCT FROM NEW.direction AND OLD.on_date IS NOT DISTINCT FROM NEW.on_date AND OLD.from_unit_id IS NOT DISTINCT FROM NEW.from_unit_id AND OLD.from_member_id IS NOT DISTINCT FROM NEW.from_member_id AND OLD.to_unit_id IS NOT DISTINCT FROM NEW.to_unit_id AND OLD.to_member_id IS NOT DISTINCT FROM NEW.to_member_id AND OLD.accept_due_on IS NOT DISTINCT FROM NEW.accept_due_on AND OLD.answered_on IS NOT DISTINCT FROM NEW.answered_on AND OLD.ended_on IS NOT DISTINCT FROM NEW.ended_on) THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.from_unit_id AS unit_id, COALESCE(OLD.from_member_id, 0) AS member_id, OLD.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN OLD.action = 'escalate' THEN -1 ELSE 0 END AS escalations, CASE WHEN OLD.action = 'forward' THEN -1 ELSE 0 END AS sideways, CASE WHEN OLD.action = 'return' THEN -1 ELSE 0 END AS returns, CASE WHEN OLD.action = 'extend' THEN -1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.capacity = 'holder' AND OLD.from_unit_id IS NOT NULL AND (OLD.action IN ('escalate', 'return', 'extend') OR (OLD.action = 'forward' AND OLD.direction = 'sideways'))
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), OLD.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, -1, 0 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND ((OLD.answered_on IS NULL AND OLD.ended_on IS NOT NULL AND OLD.accept_due_on < OLD.ended_on) OR OLD.answered_on > OLD.accept_due_on)
      UNION ALL SELECT NEW.from_unit_id, COALESCE(NEW.from_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, CASE WHEN NEW.action = 'escalate' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'forward' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'return' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'extend' THEN 1 ELSE 0 END, 0, 0 WHERE NEW.capacity = 'holder' AND NEW.from_unit_id IS NOT NULL AND (NEW.action IN ('escalate', 'return', 'extend') OR (NEW.action = 'forward' AND NEW.direction = 'sideways'))
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND ((NEW.answered_on IS NULL AND NEW.ended_on IS NOT NULL AND NEW.accept_due_on < NEW.ended_on) OR NEW.answered_on > NEW.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_steps_counters AFTER INSERT OR DELETE OR UPDATE OF action, capacity, direction, on_date, from_unit_id, from_member_id, to_unit_id, to_member_id, accept_due_on, answered_on, ended_on ON task_steps
  FOR EACH ROW EXECUTE FUNCTION task_steps_counters();

CREATE FUNCTION task_flags_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.unit_id AS unit_id, COALESCE(NEW.member_id, 0) AS member_id, NEW.raised_on AS d, NEW.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 1 AS flags WHERE NEW.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.member_id, 0) AS member_id, OLD.raised_on AS d, OLD.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, -1 AS flags WHERE OLD.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  ELSIF NOT (OLD.unit_id IS NOT DISTINCT FROM NEW.unit_id AND OLD.member_id IS NOT DISTINCT FROM NEW.member_id AND OLD.raised_on IS NOT DISTINCT FROM NEW.raised_on AND OLD.rule IS NOT DISTINCT FROM NEW.rule) THEN
    INSERT INTO task_counts AS c (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.member_id, 0) AS member_id, OLD.raised_on AS d, OLD.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, -1 AS flags WHERE OLD.unit_id IS NOT NULL
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.member_id, 0), NEW.raised_on, NEW.rule, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 WHERE NEW.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = c.received + excluded.received, done_on_time = c.done_on_time + excluded.done_on_time, done_late = c.done_late + excluded.done_late, days_late = c.days_late + excluded.days_late, escalations = c.escalations + excluded.escalations, sideways = c.sideways + excluded.sideways, returns = c.returns + excluded.returns, extensions = c.extensions + excluded.extensions, unanswered = c.unanswered + excluded.unanswered, flags = c.flags + excluded.flags;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_flags_counters AFTER INSERT OR DELETE OR UPDATE OF unit_id, member_id, raised_on, rule ON task_flags
  FOR EACH ROW EXECUTE FUNCTION task_flags_counters();
