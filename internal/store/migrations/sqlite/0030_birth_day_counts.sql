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
-- Kept by triggers of their own beside 0025's: a member created, deleted,
-- changing unit, status or birth date; a unit moved in the tree carries its
-- own rows (its subtree's totals) from the ancestors it loses to those it
-- gains. `sotay check counters` recounts it (counters.go, the same text as
-- the backfill below).

CREATE TABLE subtree_birth_day_counts (
  unit_id    INTEGER NOT NULL,
  birth_date TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (unit_id, birth_date)
) WITHOUT ROWID;

INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
SELECT a.id, c.birth_date, SUM(c.n)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, birth_date, COUNT(*) AS n FROM members WHERE status IN ('probationary', 'full', 'exempt') AND birth_date IS NOT NULL GROUP BY unit_id, birth_date) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.birth_date;

CREATE TRIGGER members_birthday_insert AFTER INSERT ON members
WHEN NEW.status IN ('probationary', 'full', 'exempt') AND NEW.birth_date IS NOT NULL BEGIN
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, NEW.birth_date, 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER members_birthday_delete AFTER DELETE ON members
WHEN OLD.status IN ('probationary', 'full', 'exempt') AND OLD.birth_date IS NOT NULL BEGIN
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, OLD.birth_date, -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
END;

-- A change of unit, status or birth date: the old date leaves the old
-- unit's ancestors and the new date joins the new unit's, except where
-- both sides count the same date at the same ancestor (a transfer within a
-- commune touches only the cells' rows; probationary to full touches none).
CREATE TRIGGER members_birthday_update AFTER UPDATE OF unit_id, status, birth_date ON members
WHEN OLD.unit_id <> NEW.unit_id OR OLD.status <> NEW.status OR OLD.birth_date IS NOT NEW.birth_date BEGIN
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, OLD.birth_date, -1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']') a
    WHERE OLD.status IN ('probationary', 'full', 'exempt') AND OLD.birth_date IS NOT NULL
      AND (NEW.status NOT IN ('probationary', 'full', 'exempt') OR OLD.birth_date IS NOT NEW.birth_date OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, NEW.birth_date, 1 FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = NEW.unit_id), '/'), '/', ',') || ']') a
    WHERE NEW.status IN ('probationary', 'full', 'exempt') AND NEW.birth_date IS NOT NULL
      AND (OLD.status NOT IN ('probationary', 'full', 'exempt') OR OLD.birth_date IS NOT NEW.birth_date OR a.value NOT IN (SELECT value FROM json_each('[' || replace(trim((SELECT path FROM units WHERE id = OLD.unit_id), '/'), '/', ',') || ']')))
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
END;

-- A unit moved in the tree (see units_subtree_move, 0025): its subtree's
-- totals, its own rows, leave the ancestors it no longer has and join the
-- ones it gains.
CREATE TRIGGER units_birthday_move AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, c.birth_date, -c.n FROM subtree_birth_day_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
  INSERT INTO subtree_birth_day_counts (unit_id, birth_date, n)
    SELECT a.value, c.birth_date, c.n FROM subtree_birth_day_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, birth_date) DO UPDATE SET n = n + excluded.n;
END;
