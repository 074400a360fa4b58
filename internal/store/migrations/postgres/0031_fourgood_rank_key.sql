-- sotay:expand
-- The four-good results read a subtree's sheets in rank order and their
-- ranks from an index, instead of every sheet of the framework sorted in
-- Go (docs/benchmarks.md, "Every dashboard on the city"). rank_key is the
-- documented order (docs/api.md, "Tie-break rule") as text that sorts
-- ascending from the first rank down: the counted total (the last
-- completed stage's) and the counted points of each top-level criterion,
-- each as 10^18 minus the points in 19 digits (trailing zero points left
-- out: '|' sorts after every digit, so a list that stops ranks after one
-- that goes on with points), then the self-assessment's submission (UTC,
-- microseconds; none: '~', after every time), then the unit id. Kept by a
-- trigger on every write of the row; `sotay check counters` recomputes
-- it. COLLATE "C": byte order, whatever the database's collation.
ALTER TABLE fourgood_sheets ADD COLUMN rank_key TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE FUNCTION fourgood_rank_key(stage TEXT, self_total BIGINT, review_total BIGINT, final_total BIGINT, tiebreak TEXT, submitted_at TIMESTAMPTZ, unit_id BIGINT)
RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT lpad((1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)::text, 19, '0')
    || COALESCE((SELECT string_agg(lpad((1000000000000000000 - t.x::bigint)::text, 19, '0'), '' ORDER BY t.i)
        FROM unnest(string_to_array(NULLIF(tiebreak, ''), ',')) WITH ORDINALITY AS t(x, i)
        WHERE t.i <= (SELECT max(k.i) FROM unnest(string_to_array(NULLIF(tiebreak, ''), ',')) WITH ORDINALITY AS k(x, i) WHERE k.x::bigint <> 0)), '')
    || '|' || COALESCE(to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '~') || '|' || lpad(unit_id::text, 19, '0')
$$;

CREATE FUNCTION fourgood_sheets_rank_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.rank_key := fourgood_rank_key(NEW.stage, NEW.self_total, NEW.review_total, NEW.final_total, NEW.tiebreak, NEW.submitted_at, NEW.unit_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER fourgood_sheets_rank_key BEFORE INSERT OR UPDATE ON fourgood_sheets
  FOR EACH ROW EXECUTE FUNCTION fourgood_sheets_rank_key();

UPDATE fourgood_sheets SET rank_key = fourgood_rank_key(stage, self_total, review_total, final_total, tiebreak, submitted_at, unit_id);

CREATE INDEX fourgood_sheets_rank ON fourgood_sheets(framework_id, period, rank_key) INCLUDE (unit_id);
