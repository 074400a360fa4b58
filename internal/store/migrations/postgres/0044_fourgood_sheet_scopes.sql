-- sotay:expand
-- The four-good result pages of a subtree (issue 17; store/fourgood_page.go
-- pageRowsSQL): the subtree's sheets in rank-key order, so that a page of
-- a district (460 of the city's 21,333 sheets) is an index range that
-- stops after its 51 rows instead of a look-up of each of the district's
-- sheets by its unit and a sort (docs/benchmarks.md, "The four-good pages
-- of a district, session 11"). One row per sheet and per unit of its
-- cell's path (the cell and every ancestor: the ids in the path), keyed by
-- the unit first (a unit moved in the tree finds its subtree's rows by
-- it). Kept by statement-level triggers on the sheets (rank key, unit,
-- framework or period changed: the old rows deleted, the new inserted)
-- and carried by a unit moved in the tree (its subtree's rows leave the
-- ancestors it no longer has and join the new ones), as fourgood_counts
-- (0038). The backfill below finds the ancestors by the path's ids, as the
-- triggers do; `sotay check counters` recomputes the table by the range of
-- paths (counters.go), independently.
CREATE TABLE fourgood_sheet_scopes (
  unit_id      BIGINT NOT NULL,
  framework_id BIGINT NOT NULL,
  period       TEXT NOT NULL,
  rank_key     TEXT COLLATE "C" NOT NULL,
  sheet_id     BIGINT NOT NULL,
  PRIMARY KEY (unit_id, framework_id, period, rank_key)
);

INSERT INTO fourgood_sheet_scopes (unit_id, framework_id, period, rank_key, sheet_id)
SELECT a, s.framework_id, s.period, s.rank_key, s.id FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id, unnest(path_ids(u.path)) a;

CREATE FUNCTION fourgood_sheet_scopes_sheets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO fourgood_sheet_scopes AS c (unit_id, framework_id, period, rank_key, sheet_id)
      SELECT a, n.framework_id, n.period, n.rank_key, n.id FROM nt n JOIN units u ON u.id = n.unit_id, unnest(path_ids(u.path)) a
      ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM fourgood_sheet_scopes c USING ot o JOIN units u ON u.id = o.unit_id, unnest(path_ids(u.path)) a
      WHERE c.unit_id = a AND c.framework_id = o.framework_id AND c.period = o.period AND c.rank_key = o.rank_key;
  ELSE
    DELETE FROM fourgood_sheet_scopes c USING ot o JOIN nt n ON n.id = o.id JOIN units u ON u.id = o.unit_id, unnest(path_ids(u.path)) a
      WHERE (o.rank_key <> n.rank_key OR o.unit_id <> n.unit_id OR o.framework_id <> n.framework_id OR o.period <> n.period)
        AND c.unit_id = a AND c.framework_id = o.framework_id AND c.period = o.period AND c.rank_key = o.rank_key;
    INSERT INTO fourgood_sheet_scopes AS c (unit_id, framework_id, period, rank_key, sheet_id)
      SELECT a, n.framework_id, n.period, n.rank_key, n.id FROM ot o JOIN nt n ON n.id = o.id JOIN units u ON u.id = n.unit_id, unnest(path_ids(u.path)) a
      WHERE o.rank_key <> n.rank_key OR o.unit_id <> n.unit_id OR o.framework_id <> n.framework_id OR o.period <> n.period
      ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_sheet_scopes_insert AFTER INSERT ON fourgood_sheets REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_sheet_scopes_sheets();
CREATE TRIGGER fourgood_sheet_scopes_delete AFTER DELETE ON fourgood_sheets REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_sheet_scopes_sheets();
CREATE TRIGGER fourgood_sheet_scopes_update AFTER UPDATE ON fourgood_sheets REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION fourgood_sheet_scopes_sheets();

-- A unit moved in the tree (moveSubtree: only the moved unit's parent
-- changes) carries its subtree's rows (those at its own id) from the
-- ancestors it no longer has to the ones it gains.
CREATE FUNCTION fourgood_sheet_scopes_units() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT[] := path_ids(OLD.path);
  na BIGINT[] := path_ids(NEW.path);
BEGIN
  DELETE FROM fourgood_sheet_scopes c USING fourgood_sheet_scopes s, unnest(oa) a
    WHERE s.unit_id = OLD.id AND a <> ALL (na)
      AND c.unit_id = a AND c.framework_id = s.framework_id AND c.period = s.period AND c.rank_key = s.rank_key;
  INSERT INTO fourgood_sheet_scopes AS c (unit_id, framework_id, period, rank_key, sheet_id)
    SELECT a, s.framework_id, s.period, s.rank_key, s.sheet_id FROM fourgood_sheet_scopes s, unnest(na) a WHERE s.unit_id = OLD.id AND a <> ALL (oa)
    ON CONFLICT (unit_id, framework_id, period, rank_key) DO UPDATE SET sheet_id = excluded.sheet_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER fourgood_sheet_scopes_units AFTER UPDATE OF parent_id ON units
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION fourgood_sheet_scopes_units();
