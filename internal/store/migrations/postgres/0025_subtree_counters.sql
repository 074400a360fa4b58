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

CREATE INDEX members_birth_date ON members(birth_date);

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

-- A member written: the old key leaves the old unit's ancestors and the new
-- key joins the new unit's, except where key and ancestor are the same on
-- both sides (a transfer within a commune touches only the cells' rows).
CREATE FUNCTION members_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT[] := '{}';
  na BIGINT[] := '{}';
  oact BOOLEAN := false;
  nact BOOLEAN := false;
  obm TEXT := '';
  nbm TEXT := '';
  keyc BOOLEAN := true;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.unit_id = NEW.unit_id AND OLD.status = NEW.status AND OLD.gender = NEW.gender
     AND OLD.birth_date IS NOT DISTINCT FROM NEW.birth_date THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT path_ids(path) INTO oa FROM units WHERE id = OLD.unit_id;
    oact := OLD.status IN ('probationary', 'full', 'exempt');
    obm := COALESCE(substr(OLD.birth_date, 1, 7), '');
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT path_ids(path) INTO na FROM units WHERE id = NEW.unit_id;
    nact := NEW.status IN ('probationary', 'full', 'exempt');
    nbm := COALESCE(substr(NEW.birth_date, 1, 7), '');
  END IF;
  IF TG_OP = 'UPDATE' THEN
    keyc := OLD.status <> NEW.status OR OLD.gender <> NEW.gender;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, OLD.status, OLD.gender, -1 FROM unnest(oa) a WHERE keyc OR a <> ALL (na)
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    IF oact THEN
      INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
        SELECT a, obm, -1 FROM unnest(oa) a WHERE NOT nact OR obm <> nbm OR a <> ALL (na)
        ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
      INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
        SELECT r.document_id, r.version, a, -1 FROM doc_receipts r, unnest(oa) a
        WHERE r.member_id = OLD.id AND (NOT nact OR a <> ALL (na))
        ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO subtree_member_counts AS c (unit_id, status, gender, n)
      SELECT a, NEW.status, NEW.gender, 1 FROM unnest(na) a WHERE keyc OR a <> ALL (oa)
      ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = c.n + excluded.n;
    IF nact THEN
      INSERT INTO subtree_birth_counts AS c (unit_id, birth_month, n)
        SELECT a, nbm, 1 FROM unnest(na) a WHERE NOT oact OR obm <> nbm OR a <> ALL (oa)
        ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = c.n + excluded.n;
      IF TG_OP = 'UPDATE' THEN
        INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
          SELECT r.document_id, r.version, a, 1 FROM doc_receipts r, unnest(na) a
          WHERE r.member_id = NEW.id AND (NOT oact OR a <> ALL (oa))
          ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER members_subtree AFTER INSERT OR DELETE OR UPDATE OF unit_id, status, gender, birth_date ON members
  FOR EACH ROW EXECUTE FUNCTION members_subtree();

CREATE FUNCTION doc_receipts_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT NEW.document_id, NEW.version, a, 1 FROM members m JOIN units u ON u.id = m.unit_id, unnest(path_ids(u.path)) a
      WHERE m.id = NEW.member_id AND m.status IN ('probationary', 'full', 'exempt')
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO subtree_read_counts AS c (document_id, version, unit_id, n)
      SELECT OLD.document_id, OLD.version, a, -1 FROM members m JOIN units u ON u.id = m.unit_id, unnest(path_ids(u.path)) a
      WHERE m.id = OLD.member_id AND m.status IN ('probationary', 'full', 'exempt')
      ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER doc_receipts_subtree AFTER INSERT OR DELETE ON doc_receipts
  FOR EACH ROW EXECUTE FUNCTION doc_receipts_subtree();

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
