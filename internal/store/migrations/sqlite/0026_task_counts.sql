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
  unit_id   INTEGER NOT NULL,
  grain     TEXT NOT NULL,
  period    TEXT NOT NULL,
  member_id INTEGER NOT NULL,
  rule      TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  done_on_time INTEGER NOT NULL DEFAULT 0,
  done_late INTEGER NOT NULL DEFAULT 0,
  days_late INTEGER NOT NULL DEFAULT 0,
  escalations INTEGER NOT NULL DEFAULT 0,
  sideways INTEGER NOT NULL DEFAULT 0,
  returns INTEGER NOT NULL DEFAULT 0,
  extensions INTEGER NOT NULL DEFAULT 0,
  unanswered INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, unit_id, period, member_id, rule)
) WITHOUT ROWID;

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

CREATE TRIGGER tasks_counters_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.unit_id AS unit_id, COALESCE(NEW.accountable_member_id, 0) AS member_id, NEW.assigned_on AS d, '' AS rule, 1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE NEW.kind = 'task'
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.done_on, '', 0, CASE WHEN NEW.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 * NEW.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.accountable_member_id, 0) AS member_id, OLD.assigned_on AS d, '' AS rule, -1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.kind = 'task'
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), OLD.done_on, '', 0, CASE WHEN OLD.days_late = 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 * OLD.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER tasks_counters_update AFTER UPDATE OF kind, unit_id, accountable_member_id, assigned_on, done_on, days_late ON tasks
WHEN OLD.kind IS NOT NEW.kind OR OLD.unit_id IS NOT NEW.unit_id OR OLD.accountable_member_id IS NOT NEW.accountable_member_id OR OLD.assigned_on IS NOT NEW.assigned_on OR OLD.done_on IS NOT NEW.done_on OR OLD.days_late IS NOT NEW.days_late BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.accountable_member_id, 0) AS member_id, OLD.assigned_on AS d, '' AS rule, -1 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.kind = 'task'
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), OLD.done_on, '', 0, CASE WHEN OLD.days_late = 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 ELSE 0 END, CASE WHEN OLD.days_late > 0 THEN -1 * OLD.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.assigned_on, '', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task'
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), NEW.done_on, '', 0, CASE WHEN NEW.days_late = 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 ELSE 0 END, CASE WHEN NEW.days_late > 0 THEN 1 * NEW.days_late ELSE 0 END, 0, 0, 0, 0, 0, 0 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_steps_counters_insert AFTER INSERT ON task_steps BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.from_unit_id AS unit_id, COALESCE(NEW.from_member_id, 0) AS member_id, NEW.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN NEW.action = 'escalate' THEN 1 ELSE 0 END AS escalations, CASE WHEN NEW.action = 'forward' THEN 1 ELSE 0 END AS sideways, CASE WHEN NEW.action = 'return' THEN 1 ELSE 0 END AS returns, CASE WHEN NEW.action = 'extend' THEN 1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE NEW.capacity = 'holder' AND NEW.from_unit_id IS NOT NULL AND (NEW.action IN ('escalate', 'return', 'extend') OR (NEW.action = 'forward' AND NEW.direction = 'sideways'))
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND ((NEW.answered_on IS NULL AND NEW.ended_on IS NOT NULL AND NEW.accept_due_on < NEW.ended_on) OR NEW.answered_on > NEW.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_steps_counters_delete AFTER DELETE ON task_steps BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.from_unit_id AS unit_id, COALESCE(OLD.from_member_id, 0) AS member_id, OLD.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN OLD.action = 'escalate' THEN -1 ELSE 0 END AS escalations, CASE WHEN OLD.action = 'forward' THEN -1 ELSE 0 END AS sideways, CASE WHEN OLD.action = 'return' THEN -1 ELSE 0 END AS returns, CASE WHEN OLD.action = 'extend' THEN -1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.capacity = 'holder' AND OLD.from_unit_id IS NOT NULL AND (OLD.action IN ('escalate', 'return', 'extend') OR (OLD.action = 'forward' AND OLD.direction = 'sideways'))
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), OLD.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, -1, 0 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND ((OLD.answered_on IS NULL AND OLD.ended_on IS NOT NULL AND OLD.accept_due_on < OLD.ended_on) OR OLD.answered_on > OLD.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_steps_counters_update AFTER UPDATE OF action, capacity, direction, on_date, from_unit_id, from_member_id, to_unit_id, to_member_id, accept_due_on, answered_on, ended_on ON task_steps
WHEN OLD.action IS NOT NEW.action OR OLD.capacity IS NOT NEW.capacity OR OLD.direction IS NOT NEW.direction OR OLD.on_date IS NOT NEW.on_date OR OLD.from_unit_id IS NOT NEW.from_unit_id OR OLD.from_member_id IS NOT NEW.from_member_id OR OLD.to_unit_id IS NOT NEW.to_unit_id OR OLD.to_member_id IS NOT NEW.to_member_id OR OLD.accept_due_on IS NOT NEW.accept_due_on OR OLD.answered_on IS NOT NEW.answered_on OR OLD.ended_on IS NOT NEW.ended_on BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.from_unit_id AS unit_id, COALESCE(OLD.from_member_id, 0) AS member_id, OLD.on_date AS d, '' AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, CASE WHEN OLD.action = 'escalate' THEN -1 ELSE 0 END AS escalations, CASE WHEN OLD.action = 'forward' THEN -1 ELSE 0 END AS sideways, CASE WHEN OLD.action = 'return' THEN -1 ELSE 0 END AS returns, CASE WHEN OLD.action = 'extend' THEN -1 ELSE 0 END AS extensions, 0 AS unanswered, 0 AS flags WHERE OLD.capacity = 'holder' AND OLD.from_unit_id IS NOT NULL AND (OLD.action IN ('escalate', 'return', 'extend') OR (OLD.action = 'forward' AND OLD.direction = 'sideways'))
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), OLD.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, -1, 0 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND ((OLD.answered_on IS NULL AND OLD.ended_on IS NOT NULL AND OLD.accept_due_on < OLD.ended_on) OR OLD.answered_on > OLD.accept_due_on)
      UNION ALL SELECT NEW.from_unit_id, COALESCE(NEW.from_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, CASE WHEN NEW.action = 'escalate' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'forward' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'return' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'extend' THEN 1 ELSE 0 END, 0, 0 WHERE NEW.capacity = 'holder' AND NEW.from_unit_id IS NOT NULL AND (NEW.action IN ('escalate', 'return', 'extend') OR (NEW.action = 'forward' AND NEW.direction = 'sideways'))
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), NEW.on_date, '', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND ((NEW.answered_on IS NULL AND NEW.ended_on IS NOT NULL AND NEW.accept_due_on < NEW.ended_on) OR NEW.answered_on > NEW.accept_due_on)) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_flags_counters_insert AFTER INSERT ON task_flags BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT NEW.unit_id AS unit_id, COALESCE(NEW.member_id, 0) AS member_id, NEW.raised_on AS d, NEW.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, 1 AS flags WHERE NEW.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_flags_counters_delete AFTER DELETE ON task_flags BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.member_id, 0) AS member_id, OLD.raised_on AS d, OLD.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, -1 AS flags WHERE OLD.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;

CREATE TRIGGER task_flags_counters_update AFTER UPDATE OF unit_id, member_id, raised_on, rule ON task_flags
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.member_id IS NOT NEW.member_id OR OLD.raised_on IS NOT NEW.raised_on OR OLD.rule IS NOT NEW.rule BEGIN
  INSERT INTO task_counts (unit_id, grain, period, member_id, rule, received, done_on_time, done_late, days_late, escalations, sideways, returns, extensions, unanswered, flags)
  SELECT x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule, SUM(x.received), SUM(x.done_on_time), SUM(x.done_late), SUM(x.days_late), SUM(x.escalations), SUM(x.sideways), SUM(x.returns), SUM(x.extensions), SUM(x.unanswered), SUM(x.flags)
    FROM (SELECT * FROM (SELECT OLD.unit_id AS unit_id, COALESCE(OLD.member_id, 0) AS member_id, OLD.raised_on AS d, OLD.rule AS rule, 0 AS received, 0 AS done_on_time, 0 AS done_late, 0 AS days_late, 0 AS escalations, 0 AS sideways, 0 AS returns, 0 AS extensions, 0 AS unanswered, -1 AS flags WHERE OLD.unit_id IS NOT NULL
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.member_id, 0), NEW.raised_on, NEW.rule, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 WHERE NEW.unit_id IS NOT NULL) e) x CROSS JOIN (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    GROUP BY x.unit_id, g.grain, CASE WHEN g.grain = 'm' THEN substr(x.d, 1, 7) ELSE x.d END, x.member_id, x.rule
  ON CONFLICT (grain, unit_id, period, member_id, rule) DO UPDATE SET received = received + excluded.received, done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late, days_late = days_late + excluded.days_late, escalations = escalations + excluded.escalations, sideways = sideways + excluded.sideways, returns = returns + excluded.returns, extensions = extensions + excluded.extensions, unanswered = unanswered + excluded.unanswered, flags = flags + excluded.flags;
END;
