-- sotay:expand
-- The four-good result pages of a subtree (issue 17; store/fourgood_page.go
-- pageRowsSQL): the subtree's sheets in rank-key order, so that a page of
-- a district is a range of this table's key that stops after its rows
-- instead of a look-up of each of the district's sheets by its unit and a
-- sort (docs/benchmarks.md, "The four-good pages of a district, session
-- 11"). One row per sheet and per unit of its cell's path (the cell and
-- every ancestor), keyed by the unit first (a unit moved in the tree finds
-- its subtree's rows by it). Kept by triggers on the sheets: a sheet
-- inserted joins at its key once it has one (the rank key's own trigger
-- sets it after the insert: the update below), every change of the key,
-- the unit, the framework or the period moves its rows; and carried by a
-- unit moved in the tree (its subtree's rows leave the ancestors it no
-- longer has and join the new ones), as fourgood_counts (0038). The
-- backfill below finds the ancestors by the path's ids, as the triggers
-- do (by a range of paths this migration took 6 minutes on the city, by
-- the ids seconds); `sotay check counters` recomputes the table by the
-- range of paths (counters.go), independently.
CREATE TABLE fourgood_sheet_scopes (
  unit_id      INTEGER NOT NULL,
  framework_id INTEGER NOT NULL,
  period       TEXT NOT NULL,
  rank_key     TEXT NOT NULL,
  sheet_id     INTEGER NOT NULL,
  PRIMARY KEY (unit_id, framework_id, period, rank_key)
) WITHOUT ROWID;

INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
SELECT a.value, s.framework_id, s.period, s.rank_key, s.id
FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a;

CREATE TRIGGER fourgood_sheet_scopes_insert AFTER INSERT ON fourgood_sheets WHEN NEW.rank_key <> '' BEGIN
  INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
    SELECT a.value, NEW.framework_id, NEW.period, NEW.rank_key, NEW.id
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = NEW.unit_id
    ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
END;

CREATE TRIGGER fourgood_sheet_scopes_delete AFTER DELETE ON fourgood_sheets BEGIN
  DELETE FROM fourgood_sheet_scopes WHERE framework_id = OLD.framework_id AND period = OLD.period AND rank_key = OLD.rank_key
    AND unit_id IN (SELECT a.value FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = OLD.unit_id);
END;

CREATE TRIGGER fourgood_sheet_scopes_update AFTER UPDATE OF rank_key, unit_id, framework_id, period ON fourgood_sheets
WHEN OLD.rank_key <> NEW.rank_key OR OLD.unit_id <> NEW.unit_id OR OLD.framework_id <> NEW.framework_id OR OLD.period <> NEW.period BEGIN
  DELETE FROM fourgood_sheet_scopes WHERE framework_id = OLD.framework_id AND period = OLD.period AND rank_key = OLD.rank_key
    AND unit_id IN (SELECT a.value FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = OLD.unit_id);
  INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
    SELECT a.value, NEW.framework_id, NEW.period, NEW.rank_key, NEW.id
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = NEW.unit_id AND NEW.rank_key <> ''
    ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
END;

-- A unit moved in the tree (moveSubtree: only the moved unit's parent
-- changes) carries its subtree's rows (those at its own id) from the
-- ancestors it no longer has to the ones it gains.
CREATE TRIGGER fourgood_sheet_scopes_units AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
  DELETE FROM fourgood_sheet_scopes WHERE unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']')
      WHERE value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']')))
    AND (framework_id, period, rank_key) IN (SELECT framework_id, period, rank_key FROM fourgood_sheet_scopes WHERE unit_id = OLD.id);
  INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
    SELECT a.value, s.framework_id, s.period, s.rank_key, s.sheet_id FROM fourgood_sheet_scopes s, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE s.unit_id = OLD.id AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
END;
