-- Roll-ups that cost the children of the unit asked for (issue 16, item 4).
--
-- Per-SUBTREE counters: each member, each unit and each receipt is counted
-- at its unit and at every ancestor (the ids in its unit's path), so the
-- roll-up of a unit reads one row per child (and the statistics of a unit
-- a few rows of its own), whatever the subtree's size. They replace the
-- per-unit counters of migration 0024, whose roll-ups cost the subtree's
-- units. Kept by triggers in the transaction of every write: a member's
-- creation, transfer, status, gender or birth date changed, a receipt, a
-- unit created, its kind changed, dissolved, or moved in the tree (its
-- subtree's totals leave the old ancestors and join the new ones in the
-- move's statement). Rows may fall to 0 and stay (readers skip them).
-- `sotay check counters` recounts every table from scratch (the same
-- statements as the backfill below).

DROP TRIGGER members_counters ON members;
DROP TRIGGER doc_receipts_counters ON doc_receipts;
DROP FUNCTION members_counters();
DROP FUNCTION doc_receipts_counters();
DROP TABLE unit_member_counts;
DROP TABLE doc_read_counts;

-- Members of the subtree by status (every status) and gender.
CREATE TABLE subtree_member_counts (
  unit_id BIGINT NOT NULL,
  status  TEXT NOT NULL,
  gender  TEXT NOT NULL,
  n       BIGINT NOT NULL,
  PRIMARY KEY (unit_id, status, gender)
);

-- ACTIVE members (probationary, full, exempt) of the subtree by month of
-- birth ('YYYY-MM', '' when unknown): the age bands of any day are rebuilt
-- from these, the members born in a band's boundary month counted from
-- their rows (index members_birth_date).
CREATE TABLE subtree_birth_counts (
  unit_id     BIGINT NOT NULL,
  birth_month TEXT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (unit_id, birth_month)
);

-- Live units of the subtree (the unit itself included) by kind and cell type.
CREATE TABLE subtree_unit_counts (
  unit_id   BIGINT NOT NULL,
  kind      TEXT NOT NULL,
  cell_type TEXT NOT NULL,
  n         BIGINT NOT NULL,
  PRIMARY KEY (unit_id, kind, cell_type)
);

-- Receipts of a document's revision by the ACTIVE members of the subtree.
CREATE TABLE subtree_read_counts (
  document_id BIGINT NOT NULL,
  version     INTEGER NOT NULL,
  unit_id     BIGINT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (document_id, version, unit_id)
);

-- The members born in a band's boundary month, without their rows (an
-- index-only read: status and unit are in the index).
CREATE INDEX members_birth_date ON members(birth_date, status, unit_id);

INSERT INTO subtree_member_counts (unit_id, status, gender, n)
SELECT a.id, c.status, c.gender, SUM(c.n)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, status, gender, COUNT(*) AS n FROM members GROUP BY unit_id, status, gender) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.status, c.gender;

INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
SELECT a.id, c.birth_month, SUM(c.n)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, COALESCE(substr(birth_date, 1, 7), '') AS birth_month, COUNT(*) AS n FROM members WHERE status IN ('probationary', 'full', 'exempt') GROUP BY unit_id, COALESCE(substr(birth_date, 1, 7), '')) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.birth_month;

INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
SELECT a.id, c.kind, c.cell_type, SUM(c.n)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT id AS unit_id, kind, cell_type, 1 AS n FROM units WHERE dissolved_on IS NULL) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.kind, c.cell_type;

INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
SELECT c.document_id, c.version, a.id, SUM(c.n)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT r.document_id, r.version, m.unit_id, COUNT(*) AS n FROM doc_receipts r JOIN members m ON m.id = r.member_id WHERE m.status IN ('probationary', 'full', 'exempt') GROUP BY r.document_id, r.version, m.unit_id) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY c.document_id, c.version, a.id;

-- The ids in a unit's path, root first: its ancestors and itself.
CREATE FUNCTION path_ids(p TEXT) RETURNS BIGINT[] LANGUAGE sql IMMUTABLE AS $$
  SELECT string_to_array(trim(both '/' from p), '/')::BIGINT[]
$$;

-- Members written: a statement's members are summed per key and unit
-- before they are spread to the ancestors (statement-level triggers with
-- transition tables): a set-based write (COPY, a merge moving a cell's
-- members, the demo's receipts) updates each counter row once, not once
-- per member, which would leave PostgreSQL a chain of row versions to walk
-- per row. On a change, the old key's -1 and the new key's +1 cancel at
-- the ancestors the two sides share (HAVING SUM <> 0: a transfer within a
-- commune writes only the cells' rows).
CREATE FUNCTION members_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, x.status, x.gender, SUM(x.n) FROM (SELECT unit_id, status, gender, COUNT(*) AS n FROM nt GROUP BY unit_id, status, gender) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.status, x.gender HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
      SELECT a, x.birth_month, SUM(x.n) FROM (SELECT unit_id, COALESCE(substr(nt.birth_date, 1, 7), '') AS birth_month, COUNT(*) AS n FROM nt WHERE status IN ('probationary', 'full', 'exempt') GROUP BY 1, 2) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_month HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, x.status, x.gender, SUM(x.n) FROM (SELECT unit_id, status, gender, -COUNT(*) AS n FROM ot GROUP BY unit_id, status, gender) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.status, x.gender HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
      SELECT a, x.birth_month, SUM(x.n) FROM (SELECT unit_id, COALESCE(substr(ot.birth_date, 1, 7), '') AS birth_month, -COUNT(*) AS n FROM ot WHERE status IN ('probationary', 'full', 'exempt') GROUP BY 1, 2) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_month HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT x.document_id, x.version, a, SUM(x.n) FROM (SELECT r.document_id, r.version, ot.unit_id, -COUNT(*) AS n FROM ot JOIN doc_receipts r ON r.member_id = ot.id WHERE ot.status IN ('probationary', 'full', 'exempt') GROUP BY 1, 2, 3) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY x.document_id, x.version, a HAVING SUM(x.n) <> 0
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, x.status, x.gender, SUM(x.n) FROM (SELECT o.unit_id, o.status, o.gender, -1 AS n FROM ot o JOIN nt n ON n.id = o.id WHERE o.unit_id <> n.unit_id OR o.status <> n.status OR o.gender <> n.gender OR o.birth_date IS DISTINCT FROM n.birth_date
        UNION ALL SELECT n.unit_id, n.status, n.gender, 1 FROM ot o JOIN nt n ON n.id = o.id WHERE o.unit_id <> n.unit_id OR o.status <> n.status OR o.gender <> n.gender OR o.birth_date IS DISTINCT FROM n.birth_date) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.status, x.gender HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
      SELECT a, x.birth_month, SUM(x.n) FROM (SELECT o.unit_id, COALESCE(substr(o.birth_date, 1, 7), '') AS birth_month, -1 AS n FROM ot o JOIN nt n ON n.id = o.id WHERE o.status IN ('probationary', 'full', 'exempt') AND (o.unit_id <> n.unit_id OR o.status <> n.status OR o.gender <> n.gender OR o.birth_date IS DISTINCT FROM n.birth_date)
        UNION ALL SELECT n.unit_id, COALESCE(substr(n.birth_date, 1, 7), ''), 1 FROM ot o JOIN nt n ON n.id = o.id WHERE n.status IN ('probationary', 'full', 'exempt') AND (o.unit_id <> n.unit_id OR o.status <> n.status OR o.gender <> n.gender OR o.birth_date IS DISTINCT FROM n.birth_date)) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY a, x.birth_month HAVING SUM(x.n) <> 0
      ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT x.document_id, x.version, a, SUM(x.n) FROM (SELECT r.document_id, r.version, o.unit_id, -1 AS n FROM ot o JOIN nt n ON n.id = o.id JOIN doc_receipts r ON r.member_id = o.id WHERE o.status IN ('probationary', 'full', 'exempt') AND (o.unit_id <> n.unit_id OR (o.status IN ('probationary', 'full', 'exempt')) <> (n.status IN ('probationary', 'full', 'exempt')))
        UNION ALL SELECT r.document_id, r.version, n.unit_id, 1 FROM ot o JOIN nt n ON n.id = o.id JOIN doc_receipts r ON r.member_id = n.id WHERE n.status IN ('probationary', 'full', 'exempt') AND (o.unit_id <> n.unit_id OR (o.status IN ('probationary', 'full', 'exempt')) <> (n.status IN ('probationary', 'full', 'exempt')))) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY x.document_id, x.version, a HAVING SUM(x.n) <> 0
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER members_subtree_insert AFTER INSERT ON members REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION members_subtree();
CREATE TRIGGER members_subtree_delete AFTER DELETE ON members REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION members_subtree();
CREATE TRIGGER members_subtree_update AFTER UPDATE ON members REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION members_subtree();

-- Receipts, summed per statement likewise.
CREATE FUNCTION doc_receipts_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT x.document_id, x.version, a, SUM(x.n) FROM (SELECT nt.document_id, nt.version, m.unit_id, COUNT(*) AS n FROM nt JOIN members m ON m.id = nt.member_id WHERE m.status IN ('probationary', 'full', 'exempt') GROUP BY 1, 2, 3) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY x.document_id, x.version, a HAVING SUM(x.n) <> 0
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT x.document_id, x.version, a, SUM(x.n) FROM (SELECT ot.document_id, ot.version, m.unit_id, -COUNT(*) AS n FROM ot JOIN members m ON m.id = ot.member_id WHERE m.status IN ('probationary', 'full', 'exempt') GROUP BY 1, 2, 3) x JOIN units u ON u.id = x.unit_id, unnest(path_ids(u.path)) a
      GROUP BY x.document_id, x.version, a HAVING SUM(x.n) <> 0
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER doc_receipts_subtree_insert AFTER INSERT ON doc_receipts REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION doc_receipts_subtree();
CREATE TRIGGER doc_receipts_subtree_delete AFTER DELETE ON doc_receipts REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION doc_receipts_subtree();

-- A unit: a live unit counts at itself and at its parent's ancestors (its
-- own path is not final yet when it is inserted: see insertUnit); a kind,
-- cell type or dissolution changes its key at its ancestors; a unit moved
-- in the tree (moveSubtree rewrites the paths of its whole subtree in one
-- statement; only the moved unit's parent changes) carries its subtree's
-- totals, its own rows in every counter table, from the ancestors it no
-- longer has to the ones it gains.
CREATE FUNCTION units_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT[];
  na BIGINT[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.dissolved_on IS NULL THEN
      INSERT INTO subtree_unit_counts AS c (unit_id, kind, cell_type, n)
        SELECT a, NEW.kind, NEW.cell_type, 1
        FROM unnest(COALESCE((SELECT path_ids(p.path) FROM units p WHERE p.id = NEW.parent_id), '{}') || NEW.id) a
        ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
  END IF;
  IF OLD.parent_id IS DISTINCT FROM NEW.parent_id THEN
    oa := path_ids(OLD.path);
    na := path_ids(NEW.path);
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, s.status, s.gender, -s.n FROM subtree_member_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND a <> ALL (na)
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, s.status, s.gender, s.n FROM subtree_member_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
      SELECT a, s.birth_month, -s.n FROM subtree_birth_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND a <> ALL (na)
      ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
      SELECT a, s.birth_month, s.n FROM subtree_birth_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
      ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_unit_counts AS c (unit_id, kind, cell_type, n)
      SELECT a, s.kind, s.cell_type, -s.n FROM subtree_unit_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND a <> ALL (na)
      ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_unit_counts AS c (unit_id, kind, cell_type, n)
      SELECT a, s.kind, s.cell_type, s.n FROM subtree_unit_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
      ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT s.document_id, s.version, a, -s.n FROM subtree_read_counts s, unnest(oa) a WHERE s.unit_id = OLD.id AND a <> ALL (na)
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT s.document_id, s.version, a, s.n FROM subtree_read_counts s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF OLD.kind <> NEW.kind OR OLD.cell_type <> NEW.cell_type OR (OLD.dissolved_on IS NULL) <> (NEW.dissolved_on IS NULL) THEN
    na := path_ids(NEW.path);
    IF OLD.dissolved_on IS NULL THEN
      INSERT INTO subtree_unit_counts AS c (unit_id, kind, cell_type, n)
        SELECT a, OLD.kind, OLD.cell_type, -1 FROM unnest(na) a
        ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF NEW.dissolved_on IS NULL THEN
      INSERT INTO subtree_unit_counts AS c (unit_id, kind, cell_type, n)
        SELECT a, NEW.kind, NEW.cell_type, 1 FROM unnest(na) a
        ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = c.n + excluded.n;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER units_subtree AFTER INSERT OR UPDATE OF parent_id, kind, cell_type, dissolved_on ON units
  FOR EACH ROW EXECUTE FUNCTION units_subtree();
