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

DROP TRIGGER members_counters_insert;
DROP TRIGGER members_counters_delete;
DROP TRIGGER members_counters_update;
DROP TRIGGER doc_receipts_counters_insert;
DROP TRIGGER doc_receipts_counters_delete;
DROP TABLE unit_member_counts;
DROP TABLE doc_read_counts;

-- Members of the subtree by status (every status) and gender.
CREATE TABLE subtree_member_counts (
  unit_id INTEGER NOT NULL,
  status  TEXT NOT NULL,
  gender  TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (unit_id, status, gender)
) WITHOUT ROWID;

-- ACTIVE members (probationary, full, exempt) of the subtree by month of
-- birth ('YYYY-MM', '' when unknown): the age bands of any day are rebuilt
-- from these, the members born in a band's boundary month counted from
-- their rows (index members_birth_date).
CREATE TABLE subtree_birth_counts (
  unit_id     INTEGER NOT NULL,
  birth_month TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (unit_id, birth_month)
) WITHOUT ROWID;

-- Live units of the subtree (the unit itself included) by kind and cell type.
CREATE TABLE subtree_unit_counts (
  unit_id   INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  cell_type TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (unit_id, kind, cell_type)
) WITHOUT ROWID;

-- Receipts of a document's revision by the ACTIVE members of the subtree.
CREATE TABLE subtree_read_counts (
  document_id INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (document_id, version, unit_id)
) WITHOUT ROWID;

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

CREATE TRIGGER members_subtree_insert AFTER INSERT ON members BEGIN
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, NEW.status, NEW.gender, 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, COALESCE(substr(NEW.birth_date, 1, 7), ''), 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a WHERE NEW.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER members_subtree_delete AFTER DELETE ON members BEGIN
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, OLD.status, OLD.gender, -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, COALESCE(substr(OLD.birth_date, 1, 7), ''), -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a WHERE OLD.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, a.value, -1 FROM doc_receipts r, json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a
    WHERE r.member_id = OLD.id AND OLD.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

-- A change of unit, status, gender or birth date: the old key leaves the
-- old unit's ancestors and the new key joins the new unit's, except where
-- key and ancestor are the same on both sides (a transfer within a commune
-- touches only the cells' rows).
CREATE TRIGGER members_subtree_update AFTER UPDATE OF unit_id, status, gender, birth_date ON members
WHEN OLD.unit_id <> NEW.unit_id OR OLD.status <> NEW.status OR OLD.gender <> NEW.gender OR OLD.birth_date IS NOT NEW.birth_date BEGIN
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, OLD.status, OLD.gender, -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a
    WHERE OLD.status <> NEW.status OR OLD.gender <> NEW.gender OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, NEW.status, NEW.gender, 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a
    WHERE OLD.status <> NEW.status OR OLD.gender <> NEW.gender OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, COALESCE(substr(OLD.birth_date, 1, 7), ''), -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a
    WHERE OLD.status IN ('probationary', 'full', 'exempt') AND (NEW.status NOT IN ('probationary', 'full', 'exempt') OR COALESCE(substr(OLD.birth_date, 1, 7), '') <> COALESCE(substr(NEW.birth_date, 1, 7), '') OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, COALESCE(substr(NEW.birth_date, 1, 7), ''), 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a
    WHERE NEW.status IN ('probationary', 'full', 'exempt') AND (OLD.status NOT IN ('probationary', 'full', 'exempt') OR COALESCE(substr(OLD.birth_date, 1, 7), '') <> COALESCE(substr(NEW.birth_date, 1, 7), '') OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, a.value, -1 FROM doc_receipts r, json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a
    WHERE r.member_id = OLD.id AND OLD.status IN ('probationary', 'full', 'exempt') AND (NEW.status NOT IN ('probationary', 'full', 'exempt') OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, a.value, 1 FROM doc_receipts r, json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a
    WHERE r.member_id = NEW.id AND NEW.status IN ('probationary', 'full', 'exempt') AND (OLD.status NOT IN ('probationary', 'full', 'exempt') OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER doc_receipts_subtree_insert AFTER INSERT ON doc_receipts BEGIN
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT NEW.document_id, NEW.version, a.value, 1 FROM members m, units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a
    WHERE m.id = NEW.member_id AND m.status IN ('probationary', 'full', 'exempt') AND u.id = m.unit_id
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER doc_receipts_subtree_delete AFTER DELETE ON doc_receipts BEGIN
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT OLD.document_id, OLD.version, a.value, -1 FROM members m, units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a
    WHERE m.id = OLD.member_id AND m.status IN ('probationary', 'full', 'exempt') AND u.id = m.unit_id
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

-- A live unit counts at itself and at its parent's ancestors (its own path
-- is not final yet when it is inserted: see insertUnit).
CREATE TRIGGER units_subtree_insert AFTER INSERT ON units WHEN NEW.dissolved_on IS NULL BEGIN
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n) VALUES (NEW.id, NEW.kind, NEW.cell_type, 1)
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
    SELECT a.value, NEW.kind, NEW.cell_type, 1 FROM units p, json_each('[' || replace(trim(p.path, '/'), '/', ',') || ']') a WHERE p.id = NEW.parent_id
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER units_subtree_kind AFTER UPDATE OF kind, cell_type, dissolved_on ON units
WHEN OLD.kind <> NEW.kind OR OLD.cell_type <> NEW.cell_type OR (OLD.dissolved_on IS NULL) <> (NEW.dissolved_on IS NULL) BEGIN
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
    SELECT a.value, OLD.kind, OLD.cell_type, -1 FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a WHERE OLD.dissolved_on IS NULL
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
    SELECT a.value, NEW.kind, NEW.cell_type, 1 FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a WHERE NEW.dissolved_on IS NULL
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
END;

-- A unit moved in the tree (moveSubtree rewrites the paths of its whole
-- subtree in one statement; only the moved unit's parent changes): its
-- subtree's totals, its own rows in every counter table, leave the
-- ancestors it no longer has and join the ones it gains.
CREATE TRIGGER units_subtree_move AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, c.status, c.gender, -c.n FROM subtree_member_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_member_counts (unit_id, status, gender, n)
    SELECT a.value, c.status, c.gender, c.n FROM subtree_member_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, c.birth_month, -c.n FROM subtree_birth_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_counts (unit_id, birth_month, n)
    SELECT a.value, c.birth_month, c.n FROM subtree_birth_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, birth_month) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
    SELECT a.value, c.kind, c.cell_type, -c.n FROM subtree_unit_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_unit_counts (unit_id, kind, cell_type, n)
    SELECT a.value, c.kind, c.cell_type, c.n FROM subtree_unit_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, kind, cell_type) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT c.document_id, c.version, a.value, -c.n FROM subtree_read_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_read_counts (document_id, version, unit_id, n)
    SELECT c.document_id, c.version, a.value, c.n FROM subtree_read_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;
