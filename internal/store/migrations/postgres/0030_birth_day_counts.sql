-- sotay:expand
-- The age bands of a unit's statistics without member rows (issue 16,
-- item 4). A band's bound is a day (born after today minus 30, 40, …
-- years), so the members born in a bound's own month, after the bound's
-- day, were counted from member rows (0025): by unit for a small subtree,
-- by birth date across the whole tree for a large one. This table counts
-- the ACTIVE members (probationary, full, exempt) of each subtree by birth
-- DATE, at the member's unit and at every ancestor like the other
-- per-subtree counters (0025), so the part of a month after a day is a sum
-- of at most 31 rows of the unit asked for. subtree_birth_counts (by
-- month) stays: the whole months come from it (about 860 rows at a
-- province, against up to 25,000 here). Members without a birth date are
-- not here (subtree_birth_counts counts them under '').
--
-- Kept by triggers of their own beside 0025's (statement-level with
-- transition tables, like them): a member created, deleted, changing unit,
-- status or birth date; a unit moved in the tree carries its own rows (its
-- subtree's totals) from the ancestors it loses to those it gains.
-- `sotay check counters` recounts it (counters.go: ancestors by a range of
-- units.path). The backfill below finds them by the path's ids instead, as
-- the triggers do: PostgreSQL plans the range join as a nested loop over
-- every unit whose path sorts before the unit's (half the table per unit),
-- which on the nation's 253,892 units had not finished after 30 minutes;
-- by the path's ids it is one pass over the members' (unit, date) groups.

-- The key is added after the backfill (one sorted build): inserted into an
-- existing key in hash order, the nation's ~15 million rows wrote tens of
-- GB through 128 MB of shared buffers.
CREATE TABLE subtree_birth_day_counts (
  unit_id    BIGINT NOT NULL,
  birth_date TEXT NOT NULL,
  n          BIGINT NOT NULL
);

SET LOCAL work_mem = '64MB';
INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
SELECT a, c.birth_date, SUM(c.n)
FROM (SELECT unit_id, birth_date, COUNT(*) AS n FROM members WHERE status IN ('probationary', 'full', 'exempt') AND birth_date IS NOT NULL GROUP BY unit_id, birth_date) c
JOIN units u ON u.id = c.unit_id, unnest(path_ids(u.path)) a
GROUP BY a, c.birth_date;

ALTER TABLE subtree_birth_day_counts ADD PRIMARY KEY (unit_id, birth_date);

-- A statement's members are summed per date and unit before they are
-- spread to the ancestors (see members_subtree, 0025); on a change the old
-- date's -1 and the new date's +1 cancel where both sides share the
-- ancestor and the date (HAVING SUM <> 0).
CREATE FUNCTION members_birthday() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_birth_day_counts AS c (unit_id, birth_date, n)
      SELECT a, x.birth_date, SUM(x.n) FROM (SELECT unit_id, birth_date, COUNT(*) AS n FROM nt WHERE status IN ('probationary', 'full', 'exempt') AND birth_date IS NOT NULL GROUP BY 1, 2) x
        JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_date HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO subtree_birth_day_counts AS c (unit_id, birth_date, n)
      SELECT a, x.birth_date, SUM(x.n) FROM (SELECT unit_id, birth_date, -COUNT(*) AS n FROM ot WHERE status IN ('probationary', 'full', 'exempt') AND birth_date IS NOT NULL GROUP BY 1, 2) x
        JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_date HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO subtree_birth_day_counts AS c (unit_id, birth_date, n)
      SELECT a, x.birth_date, SUM(x.n) FROM (
          SELECT o.unit_id, o.birth_date, -1 AS n FROM ot o JOIN nt n ON n.id = o.id
          WHERE o.status IN ('probationary', 'full', 'exempt') AND o.birth_date IS NOT NULL
            AND (o.unit_id <> n.unit_id OR o.status <> n.status OR o.birth_date IS DISTINCT FROM n.birth_date)
          UNION ALL SELECT n.unit_id, n.birth_date, 1 FROM ot o JOIN nt n ON n.id = o.id
          WHERE n.status IN ('probationary', 'full', 'exempt') AND n.birth_date IS NOT NULL
            AND (o.unit_id <> n.unit_id OR o.status <> n.status OR o.birth_date IS DISTINCT FROM n.birth_date)) x
        JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_date HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER members_birthday_insert AFTER INSERT ON members REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION members_birthday();
CREATE TRIGGER members_birthday_delete AFTER DELETE ON members REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION members_birthday();
CREATE TRIGGER members_birthday_update AFTER UPDATE ON members REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION members_birthday();

-- A unit moved in the tree (see units_subtree, 0025): its subtree's
-- totals, its own rows, leave the ancestors it no longer has and join the
-- ones it gains, in the move's statement.
CREATE FUNCTION units_birthday() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT[] := path_ids(OLD.path);
  na BIGINT[] := path_ids(NEW.path);
BEGIN
  INSERT INTO subtree_birth_day_counts AS c (unit_id, birth_date, n)
    SELECT a, s.birth_date, -s.n FROM subtree_birth_day_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND a <> ALL (na)
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = c.n + excluded.n;
  INSERT INTO subtree_birth_day_counts AS c (unit_id, birth_date, n)
    SELECT a, s.birth_date, s.n FROM subtree_birth_day_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END
$$;

CREATE TRIGGER units_birthday AFTER UPDATE OF parent_id ON units
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION units_birthday();
