-- sotay:expand
-- The four-good result pages' counts without a pass over the framework's
-- sheets (docs/benchmarks.md, "Four-good results at city scale"): per
-- framework, period and subtree, the sheets by the head of their rank key
-- (its first 19 characters: 10^18 minus the counted total), so that the
-- registered count, those counting at least a band's least points and the
-- sheets ranked before a key's tie group are sums over at most one row per
-- distinct total. Each sheet counts at unit 0 (the framework whole, where
-- its cell may be) and at its cell and every ancestor (the ids in the
-- cell's path). Kept by statement-level triggers on the sheets (rank key,
-- unit, framework or period changed; the old head's -1 and the new head's
-- +1 summed per statement) and carried by a unit moved in the tree (its
-- rows leave the ancestors it no longer has and join the new ones). Rows
-- may fall to 0 and stay (readers skip them). `sotay check counters`
-- recounts it with the statement of the backfill below.
CREATE TABLE fourgood_counts (
  framework_id BIGINT NOT NULL,
  period       TEXT NOT NULL,
  unit_id      BIGINT NOT NULL,
  head         TEXT COLLATE "C" NOT NULL,
  sheets       BIGINT NOT NULL,
  PRIMARY KEY (framework_id, period, unit_id, head)
);

INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
SELECT framework_id, period, 0, substr(rank_key, 1, 19), COUNT(*) FROM fourgood_sheets GROUP BY framework_id, period, substr(rank_key, 1, 19)
UNION ALL
SELECT s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19), COUNT(*)
FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id JOIN units a ON u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0'
GROUP BY s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19);

CREATE FUNCTION fourgood_counts_sheets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO fourgood_counts AS c (framework_id, period, unit_id, head, sheets)
      SELECT x.framework_id, x.period, a, x.head, SUM(x.n) FROM (SELECT framework_id, period, unit_id, substr(rank_key, 1, 19) AS head, COUNT(*) AS n FROM nt GROUP BY 1, 2, 3, 4) x
        JOIN units u ON u.id = x.unit_id, unnest(0 || path_ids(u.path)) a
      GROUP BY x.framework_id, x.period, a, x.head HAVING SUM(x.n) <> 0
      ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = c.sheets + excluded.sheets;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO fourgood_counts AS c (framework_id, period, unit_id, head, sheets)
      SELECT x.framework_id, x.period, a, x.head, SUM(x.n) FROM (SELECT framework_id, period, unit_id, substr(rank_key, 1, 19) AS head, -COUNT(*) AS n FROM ot GROUP BY 1, 2, 3, 4) x
        JOIN units u ON u.id = x.unit_id, unnest(0 || path_ids(u.path)) a
      GROUP BY x.framework_id, x.period, a, x.head HAVING SUM(x.n) <> 0
      ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = c.sheets + excluded.sheets;
  ELSE
    INSERT INTO fourgood_counts AS c (framework_id, period, unit_id, head, sheets)
      SELECT x.framework_id, x.period, a, x.head, SUM(x.n) FROM (
          SELECT o.framework_id, o.period, o.unit_id, substr(o.rank_key, 1, 19) AS head, -1 AS n FROM ot o JOIN nt n ON n.id = o.id
          WHERE substr(o.rank_key, 1, 19) <> substr(n.rank_key, 1, 19) OR o.unit_id <> n.unit_id OR o.framework_id <> n.framework_id OR o.period <> n.period
          UNION ALL
          SELECT n.framework_id, n.period, n.unit_id, substr(n.rank_key, 1, 19), 1 FROM ot o JOIN nt n ON n.id = o.id
          WHERE substr(o.rank_key, 1, 19) <> substr(n.rank_key, 1, 19) OR o.unit_id <> n.unit_id OR o.framework_id <> n.framework_id OR o.period <> n.period) x
        JOIN units u ON u.id = x.unit_id, unnest(0 || path_ids(u.path)) a
      GROUP BY x.framework_id, x.period, a, x.head HAVING SUM(x.n) <> 0
      ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = c.sheets + excluded.sheets;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_counts_insert AFTER INSERT ON fourgood_sheets REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_counts_sheets();
CREATE TRIGGER fourgood_counts_delete AFTER DELETE ON fourgood_sheets REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_counts_sheets();
CREATE TRIGGER fourgood_counts_update AFTER UPDATE ON fourgood_sheets REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_counts_sheets();

-- A unit moved in the tree (moveSubtree: only the moved unit's parent
-- changes) carries its subtree's rows from the ancestors it no longer has
-- to the ones it gains.
CREATE FUNCTION fourgood_counts_units() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT[] := path_ids(OLD.path);
  na BIGINT[] := path_ids(NEW.path);
BEGIN
  INSERT INTO fourgood_counts AS c (framework_id, period, unit_id, head, sheets)
    SELECT s.framework_id, s.period, a, s.head, -s.sheets FROM fourgood_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND s.sheets <> 0 AND a <> ALL (na)
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = c.sheets + excluded.sheets;
  INSERT INTO fourgood_counts AS c (framework_id, period, unit_id, head, sheets)
    SELECT s.framework_id, s.period, a, s.head, s.sheets FROM fourgood_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND s.sheets <> 0 AND a <> ALL (oa)
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = c.sheets + excluded.sheets;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_counts_units AFTER UPDATE OF parent_id ON units
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION fourgood_counts_units();

-- A framework's registrations and scored sheets (the framework's page and
-- every read of its results: whether it may still be edited, how many
-- cells registered), counted instead of a pass over its registrations and
-- sheets. Kept by statement-level triggers on the registrations (insert,
-- delete) and in fourgood_counts_sheets' statements on the sheets;
-- recounted by `sotay check counters`.
CREATE TABLE fourgood_framework_counts (
  framework_id  BIGINT PRIMARY KEY,
  registrations BIGINT NOT NULL,
  scored        BIGINT NOT NULL
);

INSERT INTO fourgood_framework_counts (framework_id, registrations, scored)
SELECT f.id, (SELECT COUNT(*) FROM fourgood_registrations r WHERE r.framework_id = f.id), (SELECT COUNT(*) FROM fourgood_sheets s WHERE s.framework_id = f.id AND s.scored = 1)
FROM fourgood_frameworks f;

CREATE FUNCTION fourgood_framework_counts_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO fourgood_framework_counts AS c (framework_id, registrations, scored) SELECT framework_id, COUNT(*), 0 FROM nt GROUP BY framework_id
      ON CONFLICT (framework_id) DO UPDATE SET registrations = c.registrations + excluded.registrations;
  ELSE
    INSERT INTO fourgood_framework_counts AS c (framework_id, registrations, scored) SELECT framework_id, -COUNT(*), 0 FROM ot GROUP BY framework_id
      ON CONFLICT (framework_id) DO UPDATE SET registrations = c.registrations + excluded.registrations;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_framework_counts_reg_insert AFTER INSERT ON fourgood_registrations REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_framework_counts_registrations();
CREATE TRIGGER fourgood_framework_counts_reg_delete AFTER DELETE ON fourgood_registrations REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_framework_counts_registrations();

CREATE FUNCTION fourgood_framework_counts_sheets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO fourgood_framework_counts AS c (framework_id, registrations, scored) SELECT framework_id, 0, COUNT(*) FROM nt WHERE scored = 1 GROUP BY framework_id
      ON CONFLICT (framework_id) DO UPDATE SET scored = c.scored + excluded.scored;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO fourgood_framework_counts AS c (framework_id, registrations, scored) SELECT framework_id, 0, -COUNT(*) FROM ot WHERE scored = 1 GROUP BY framework_id
      ON CONFLICT (framework_id) DO UPDATE SET scored = c.scored + excluded.scored;
  ELSE
    INSERT INTO fourgood_framework_counts AS c (framework_id, registrations, scored)
      SELECT x.framework_id, 0, SUM(x.n) FROM (
          SELECT o.framework_id, -1 AS n FROM ot o JOIN nt n ON n.id = o.id WHERE o.scored = 1 AND (n.scored <> 1 OR n.framework_id <> o.framework_id)
          UNION ALL
          SELECT n.framework_id, 1 FROM ot o JOIN nt n ON n.id = o.id WHERE n.scored = 1 AND (o.scored <> 1 OR n.framework_id <> o.framework_id)) x
      GROUP BY x.framework_id HAVING SUM(x.n) <> 0
      ON CONFLICT (framework_id) DO UPDATE SET scored = c.scored + excluded.scored;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_framework_counts_insert AFTER INSERT ON fourgood_sheets REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_framework_counts_sheets();
CREATE TRIGGER fourgood_framework_counts_delete AFTER DELETE ON fourgood_sheets REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_framework_counts_sheets();
CREATE TRIGGER fourgood_framework_counts_update AFTER UPDATE ON fourgood_sheets REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_framework_counts_sheets();
