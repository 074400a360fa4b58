-- Roll-ups that do not grow with the tree (issue 16, item 4; issue 17, item 2).
--
-- Per-unit counters, NOT per-subtree: a unit's own members and its own
-- members' receipts. A roll-up over a subtree sums the counters of the
-- subtree's units (a range scan of units.path): it costs units, not members,
-- and a unit moved in the tree (its path rewritten) changes no counter.
-- The counters are kept by row triggers, so every write path (a member's
-- transfer or status change, a merge of units that moves its members, a
-- receipt, the demo's and the importers' set-based inserts, COPY) updates
-- them in the write's own transaction. Rows may fall to 0 and stay (readers
-- skip them). `sotay check counters` recomputes both tables from scratch.

-- Members per unit and status (every status, active or not).
CREATE TABLE unit_member_counts (
  unit_id BIGINT NOT NULL,
  status  TEXT NOT NULL,
  n       BIGINT NOT NULL,
  PRIMARY KEY (unit_id, status)
);

-- Receipts of a document's revision by the ACTIVE members (probationary,
-- full, exempt) of a unit: the "read" column of the read-rate roll-up. A
-- member's move or status change carries their receipts with them.
CREATE TABLE doc_read_counts (
  document_id BIGINT NOT NULL,
  version     INTEGER NOT NULL,
  unit_id     BIGINT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (document_id, version, unit_id)
);

INSERT INTO unit_member_counts (unit_id, status, n)
SELECT unit_id, status, COUNT(*) FROM members GROUP BY unit_id, status;

INSERT INTO doc_read_counts (document_id, version, unit_id, n)
SELECT r.document_id, r.version, m.unit_id, COUNT(*)
FROM doc_receipts r JOIN members m ON m.id = r.member_id
WHERE m.status IN ('probationary', 'full', 'exempt')
GROUP BY r.document_id, r.version, m.unit_id;

CREATE FUNCTION members_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.unit_id = NEW.unit_id AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE unit_member_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
    IF OLD.status IN ('probationary', 'full', 'exempt') THEN
      INSERT INTO doc_read_counts AS c (document_id, version, unit_id, n)
        SELECT r.document_id, r.version, OLD.unit_id, -1 FROM doc_receipts r WHERE r.member_id = OLD.id
        ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO unit_member_counts AS c (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
      ON CONFLICT (unit_id, status) DO UPDATE SET n = c.n + 1;
    IF TG_OP = 'UPDATE' AND NEW.status IN ('probationary', 'full', 'exempt') THEN
      INSERT INTO doc_read_counts AS c (document_id, version, unit_id, n)
        SELECT r.document_id, r.version, NEW.unit_id, 1 FROM doc_receipts r WHERE r.member_id = NEW.id
        ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER members_counters AFTER INSERT OR DELETE OR UPDATE OF unit_id, status ON members
  FOR EACH ROW EXECUTE FUNCTION members_counters();

CREATE FUNCTION doc_receipts_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO doc_read_counts AS c (document_id, version, unit_id, n)
      SELECT NEW.document_id, NEW.version, m.unit_id, 1 FROM members m
      WHERE m.id = NEW.member_id AND m.status IN ('probationary', 'full', 'exempt')
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + 1;
  ELSE
    INSERT INTO doc_read_counts AS c (document_id, version, unit_id, n)
      SELECT OLD.document_id, OLD.version, m.unit_id, -1 FROM members m
      WHERE m.id = OLD.member_id AND m.status IN ('probationary', 'full', 'exempt')
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n - 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER doc_receipts_counters AFTER INSERT OR DELETE ON doc_receipts
  FOR EACH ROW EXECUTE FUNCTION doc_receipts_counters();

-- The accountability report's figures per unit, person (0: nobody named),
-- month ('YYYY-MM') and metric, kept by triggers on tasks, task_steps and
-- task_flags. Metrics: received (by assigned_on), done_on_time, done_late
-- and days_late (by done_on), escalate, sideways, return, extend (holder
-- steps, by on_date), unanswered (acceptances settled late, by on_date),
-- flag:<rule> (by raised_on). Two figures depend on the clock and are kept
-- split by what the writes decide: running_due (running tasks, by the
-- month of due_on: "overdue" is the months before today's plus today's
-- month read from the tasks) and open_accept:<month of accept_due_on>
-- (holdings neither answered nor ended, by on_date: "unanswered" is the
-- due months before today's plus today's month read from the steps).
CREATE TABLE task_counts (
  unit_id   BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  month     TEXT NOT NULL,
  metric    TEXT NOT NULL,
  n         BIGINT NOT NULL,
  PRIMARY KEY (unit_id, month, metric, member_id)
);

INSERT INTO task_counts (unit_id, member_id, month, metric, n)
SELECT unit_id, member_id, month, metric, SUM(n) FROM (
  SELECT t.unit_id AS unit_id, COALESCE(t.accountable_member_id, 0) AS member_id, substr(t.assigned_on, 1, 7) AS month, 'received' AS metric, 1 AS n FROM tasks t WHERE t.kind = 'task'
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), substr(t.done_on, 1, 7), 'done_on_time', 1 FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL AND t.days_late = 0
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), substr(t.done_on, 1, 7), 'done_late', 1 FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL AND t.days_late > 0
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), substr(t.done_on, 1, 7), 'days_late', t.days_late FROM tasks t WHERE t.kind = 'task' AND t.done_on IS NOT NULL AND t.days_late > 0
      UNION ALL SELECT t.unit_id, COALESCE(t.accountable_member_id, 0), substr(t.due_on, 1, 7), 'running_due', 1 FROM tasks t WHERE t.kind = 'task' AND t.state IN ('assigned', 'in_progress')
  UNION ALL SELECT s.from_unit_id, COALESCE(s.from_member_id, 0), substr(s.on_date, 1, 7), CASE s.action WHEN 'forward' THEN 'sideways' ELSE s.action END, 1 FROM task_steps s WHERE s.capacity = 'holder' AND s.from_unit_id IS NOT NULL AND (s.action IN ('escalate', 'return', 'extend') OR (s.action = 'forward' AND s.direction = 'sideways'))
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), substr(s.on_date, 1, 7), 'unanswered', 1 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND ((s.answered_on IS NULL AND s.ended_on IS NOT NULL AND s.accept_due_on < s.ended_on) OR s.answered_on > s.accept_due_on)
      UNION ALL SELECT s.to_unit_id, COALESCE(s.to_member_id, 0), substr(s.on_date, 1, 7), 'open_accept:' || substr(s.accept_due_on, 1, 7), 1 FROM task_steps s WHERE s.to_unit_id IS NOT NULL AND s.accept_due_on IS NOT NULL AND s.answered_on IS NULL AND s.ended_on IS NULL
  UNION ALL SELECT f.unit_id, COALESCE(f.member_id, 0), substr(f.raised_on, 1, 7), 'flag:' || f.rule, 1 FROM task_flags f WHERE f.unit_id IS NOT NULL
) x GROUP BY unit_id, member_id, month, metric;

-- Today's month of the open acceptances (the clock's part of "unanswered").
CREATE INDEX task_steps_open_accept ON task_steps(to_unit_id, accept_due_on, on_date, to_member_id)
  WHERE accept_due_on IS NOT NULL AND answered_on IS NULL AND ended_on IS NULL;

CREATE FUNCTION tasks_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.kind IS NOT DISTINCT FROM NEW.kind AND OLD.unit_id IS NOT DISTINCT FROM NEW.unit_id AND OLD.accountable_member_id IS NOT DISTINCT FROM NEW.accountable_member_id AND OLD.assigned_on IS NOT DISTINCT FROM NEW.assigned_on AND OLD.done_on IS NOT DISTINCT FROM NEW.done_on AND OLD.days_late IS NOT DISTINCT FROM NEW.days_late AND OLD.state IS NOT DISTINCT FROM NEW.state AND OLD.due_on IS NOT DISTINCT FROM NEW.due_on THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), substr(OLD.assigned_on, 1, 7), 'received', -1 WHERE OLD.kind = 'task'
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), substr(OLD.done_on, 1, 7), 'done_on_time', -1 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL AND OLD.days_late = 0
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), substr(OLD.done_on, 1, 7), 'done_late', -1 WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL AND OLD.days_late > 0
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), substr(OLD.done_on, 1, 7), 'days_late', -OLD.days_late WHERE OLD.kind = 'task' AND OLD.done_on IS NOT NULL AND OLD.days_late > 0
      UNION ALL SELECT OLD.unit_id, COALESCE(OLD.accountable_member_id, 0), substr(OLD.due_on, 1, 7), 'running_due', -1 WHERE OLD.kind = 'task' AND OLD.state IN ('assigned', 'in_progress')) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), substr(NEW.assigned_on, 1, 7), 'received', 1 WHERE NEW.kind = 'task'
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), substr(NEW.done_on, 1, 7), 'done_on_time', 1 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL AND NEW.days_late = 0
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), substr(NEW.done_on, 1, 7), 'done_late', 1 WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL AND NEW.days_late > 0
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), substr(NEW.done_on, 1, 7), 'days_late', NEW.days_late WHERE NEW.kind = 'task' AND NEW.done_on IS NOT NULL AND NEW.days_late > 0
      UNION ALL SELECT NEW.unit_id, COALESCE(NEW.accountable_member_id, 0), substr(NEW.due_on, 1, 7), 'running_due', 1 WHERE NEW.kind = 'task' AND NEW.state IN ('assigned', 'in_progress')) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER tasks_counters AFTER INSERT OR DELETE OR UPDATE OF kind, unit_id, accountable_member_id, assigned_on, done_on, days_late, state, due_on ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_counters();

CREATE FUNCTION task_steps_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.action IS NOT DISTINCT FROM NEW.action AND OLD.capacity IS NOT DISTINCT FROM NEW.capacity AND OLD.direction IS NOT DISTINCT FROM NEW.direction AND OLD.on_date IS NOT DISTINCT FROM NEW.on_date AND OLD.from_unit_id IS NOT DISTINCT FROM NEW.from_unit_id AND OLD.from_member_id IS NOT DISTINCT FROM NEW.from_member_id AND OLD.to_unit_id IS NOT DISTINCT FROM NEW.to_unit_id AND OLD.to_member_id IS NOT DISTINCT FROM NEW.to_member_id AND OLD.accept_due_on IS NOT DISTINCT FROM NEW.accept_due_on AND OLD.answered_on IS NOT DISTINCT FROM NEW.answered_on AND OLD.ended_on IS NOT DISTINCT FROM NEW.ended_on THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT OLD.from_unit_id, COALESCE(OLD.from_member_id, 0), substr(OLD.on_date, 1, 7), CASE OLD.action WHEN 'forward' THEN 'sideways' ELSE OLD.action END, -1 WHERE OLD.capacity = 'holder' AND OLD.from_unit_id IS NOT NULL AND (OLD.action IN ('escalate', 'return', 'extend') OR (OLD.action = 'forward' AND OLD.direction = 'sideways'))
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), substr(OLD.on_date, 1, 7), 'unanswered', -1 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND ((OLD.answered_on IS NULL AND OLD.ended_on IS NOT NULL AND OLD.accept_due_on < OLD.ended_on) OR OLD.answered_on > OLD.accept_due_on)
      UNION ALL SELECT OLD.to_unit_id, COALESCE(OLD.to_member_id, 0), substr(OLD.on_date, 1, 7), 'open_accept:' || substr(OLD.accept_due_on, 1, 7), -1 WHERE OLD.to_unit_id IS NOT NULL AND OLD.accept_due_on IS NOT NULL AND OLD.answered_on IS NULL AND OLD.ended_on IS NULL) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT NEW.from_unit_id, COALESCE(NEW.from_member_id, 0), substr(NEW.on_date, 1, 7), CASE NEW.action WHEN 'forward' THEN 'sideways' ELSE NEW.action END, 1 WHERE NEW.capacity = 'holder' AND NEW.from_unit_id IS NOT NULL AND (NEW.action IN ('escalate', 'return', 'extend') OR (NEW.action = 'forward' AND NEW.direction = 'sideways'))
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), substr(NEW.on_date, 1, 7), 'unanswered', 1 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND ((NEW.answered_on IS NULL AND NEW.ended_on IS NOT NULL AND NEW.accept_due_on < NEW.ended_on) OR NEW.answered_on > NEW.accept_due_on)
      UNION ALL SELECT NEW.to_unit_id, COALESCE(NEW.to_member_id, 0), substr(NEW.on_date, 1, 7), 'open_accept:' || substr(NEW.accept_due_on, 1, 7), 1 WHERE NEW.to_unit_id IS NOT NULL AND NEW.accept_due_on IS NOT NULL AND NEW.answered_on IS NULL AND NEW.ended_on IS NULL) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_steps_counters AFTER INSERT OR DELETE OR UPDATE OF action, capacity, direction, on_date, from_unit_id, from_member_id, to_unit_id, to_member_id, accept_due_on, answered_on, ended_on ON task_steps
  FOR EACH ROW EXECUTE FUNCTION task_steps_counters();

CREATE FUNCTION task_flags_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.unit_id IS NOT DISTINCT FROM NEW.unit_id AND OLD.member_id IS NOT DISTINCT FROM NEW.member_id AND OLD.raised_on IS NOT DISTINCT FROM NEW.raised_on AND OLD.rule IS NOT DISTINCT FROM NEW.rule THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT OLD.unit_id, COALESCE(OLD.member_id, 0), substr(OLD.raised_on, 1, 7), 'flag:' || OLD.rule, -1 WHERE OLD.unit_id IS NOT NULL) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO task_counts AS c (unit_id, member_id, month, metric, n)
    SELECT * FROM (SELECT NEW.unit_id, COALESCE(NEW.member_id, 0), substr(NEW.raised_on, 1, 7), 'flag:' || NEW.rule, 1 WHERE NEW.unit_id IS NOT NULL) x
    ON CONFLICT (unit_id, month, metric, member_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_flags_counters AFTER INSERT OR DELETE OR UPDATE OF unit_id, member_id, raised_on, rule ON task_flags
  FOR EACH ROW EXECUTE FUNCTION task_flags_counters();
