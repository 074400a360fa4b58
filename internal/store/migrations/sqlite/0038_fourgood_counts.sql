-- sotay:expand
-- The four-good result pages' counts without a pass over the framework's
-- sheets (docs/benchmarks.md, "Four-good results at city scale"): per
-- framework, period and subtree, the sheets by the head of their rank key
-- (its first 19 characters: 10^18 minus the counted total), so that the
-- registered count, those counting at least a band's least points and the
-- sheets ranked before a key's tie group are sums over at most one row per
-- distinct total. Each sheet counts at unit 0 (the framework whole, where
-- its cell may be) and at its cell and every ancestor (the ids in the
-- cell's path). Kept by triggers on the sheets (a sheet inserted counts at
-- the key it is inserted with, '' before the rank key's own trigger sets
-- it, and every change of the key's head, the unit, the framework or the
-- period moves it) and carried by a unit moved in the tree (its rows leave
-- the ancestors it no longer has and join the new ones). Rows may fall to
-- 0 and stay (readers skip them). `sotay check counters` recounts it with
-- the statement of the backfill below.
CREATE TABLE fourgood_counts (
  framework_id INTEGER NOT NULL,
  period       TEXT NOT NULL,
  unit_id      INTEGER NOT NULL,
  head         TEXT NOT NULL,
  sheets       INTEGER NOT NULL,
  PRIMARY KEY (framework_id, period, unit_id, head)
) WITHOUT ROWID;

INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
SELECT framework_id, period, 0, substr(rank_key, 1, 19), COUNT(*) FROM fourgood_sheets GROUP BY framework_id, period, substr(rank_key, 1, 19)
UNION ALL
SELECT s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19), COUNT(*)
FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id JOIN units a ON u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0'
GROUP BY s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19);

CREATE TRIGGER fourgood_counts_insert AFTER INSERT ON fourgood_sheets BEGIN
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT NEW.framework_id, NEW.period, 0, substr(NEW.rank_key, 1, 19), 1 WHERE true
    UNION ALL
    SELECT NEW.framework_id, NEW.period, a.value, substr(NEW.rank_key, 1, 19), 1
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = NEW.unit_id
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
END;

CREATE TRIGGER fourgood_counts_delete AFTER DELETE ON fourgood_sheets BEGIN
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT OLD.framework_id, OLD.period, 0, substr(OLD.rank_key, 1, 19), -1 WHERE true
    UNION ALL
    SELECT OLD.framework_id, OLD.period, a.value, substr(OLD.rank_key, 1, 19), -1
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = OLD.unit_id
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
END;

CREATE TRIGGER fourgood_counts_update AFTER UPDATE OF rank_key, unit_id, framework_id, period ON fourgood_sheets
WHEN substr(OLD.rank_key, 1, 19) <> substr(NEW.rank_key, 1, 19) OR OLD.unit_id <> NEW.unit_id OR OLD.framework_id <> NEW.framework_id OR OLD.period <> NEW.period BEGIN
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT OLD.framework_id, OLD.period, 0, substr(OLD.rank_key, 1, 19), -1 WHERE true
    UNION ALL
    SELECT OLD.framework_id, OLD.period, a.value, substr(OLD.rank_key, 1, 19), -1
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = OLD.unit_id
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT NEW.framework_id, NEW.period, 0, substr(NEW.rank_key, 1, 19), 1 WHERE true
    UNION ALL
    SELECT NEW.framework_id, NEW.period, a.value, substr(NEW.rank_key, 1, 19), 1
    FROM units u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') a WHERE u.id = NEW.unit_id
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
END;

-- A unit moved in the tree (moveSubtree: only the moved unit's parent
-- changes) carries its subtree's rows from the ancestors it no longer has
-- to the ones it gains.
CREATE TRIGGER fourgood_counts_units AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT c.framework_id, c.period, a.value, c.head, -c.sheets FROM fourgood_counts c, json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND c.sheets <> 0 AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'))
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
  INSERT INTO fourgood_counts (framework_id, period, unit_id, head, sheets)
    SELECT c.framework_id, c.period, a.value, c.head, c.sheets FROM fourgood_counts c, json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a
    WHERE c.unit_id = OLD.id AND c.sheets <> 0 AND a.value NOT IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'))
    ON CONFLICT (framework_id, period, unit_id, head) DO UPDATE SET sheets = sheets + excluded.sheets;
END;

-- A framework's registrations and scored sheets (the framework's page and
-- every read of its results: whether it may still be edited, how many
-- cells registered), counted instead of a pass over its registrations and
-- sheets. Kept by triggers on the registrations (insert, delete) and the
-- sheets (inserted scored, scored or moved to another framework,
-- deleted); recounted by `sotay check counters`.
CREATE TABLE fourgood_framework_counts (
  framework_id  INTEGER PRIMARY KEY,
  registrations INTEGER NOT NULL,
  scored        INTEGER NOT NULL
);

INSERT INTO fourgood_framework_counts (framework_id, registrations, scored)
SELECT f.id, (SELECT COUNT(*) FROM fourgood_registrations r WHERE r.framework_id = f.id), (SELECT COUNT(*) FROM fourgood_sheets s WHERE s.framework_id = f.id AND s.scored = 1)
FROM fourgood_frameworks f;

CREATE TRIGGER fourgood_framework_counts_reg_insert AFTER INSERT ON fourgood_registrations BEGIN
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (NEW.framework_id, 1, 0)
    ON CONFLICT (framework_id) DO UPDATE SET registrations = registrations + 1;
END;

CREATE TRIGGER fourgood_framework_counts_reg_delete AFTER DELETE ON fourgood_registrations BEGIN
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (OLD.framework_id, -1, 0)
    ON CONFLICT (framework_id) DO UPDATE SET registrations = registrations - 1;
END;

CREATE TRIGGER fourgood_framework_counts_insert AFTER INSERT ON fourgood_sheets WHEN NEW.scored = 1 BEGIN
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (NEW.framework_id, 0, 1)
    ON CONFLICT (framework_id) DO UPDATE SET scored = scored + 1;
END;

CREATE TRIGGER fourgood_framework_counts_delete AFTER DELETE ON fourgood_sheets WHEN OLD.scored = 1 BEGIN
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (OLD.framework_id, 0, -1)
    ON CONFLICT (framework_id) DO UPDATE SET scored = scored - 1;
END;

CREATE TRIGGER fourgood_framework_counts_update AFTER UPDATE OF scored, framework_id ON fourgood_sheets
WHEN (OLD.scored = 1) <> (NEW.scored = 1) OR (OLD.framework_id <> NEW.framework_id AND NEW.scored = 1) BEGIN
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (OLD.framework_id, 0, -(OLD.scored = 1))
    ON CONFLICT (framework_id) DO UPDATE SET scored = scored - (OLD.scored = 1);
  INSERT INTO fourgood_framework_counts (framework_id, registrations, scored) VALUES (NEW.framework_id, 0, NEW.scored = 1)
    ON CONFLICT (framework_id) DO UPDATE SET scored = scored + (NEW.scored = 1);
END;
