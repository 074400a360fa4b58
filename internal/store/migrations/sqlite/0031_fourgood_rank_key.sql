-- sotay:expand
-- The four-good results read a subtree's sheets in rank order and their
-- ranks from an index, instead of every sheet of the framework sorted in
-- Go (docs/benchmarks.md, "Every dashboard on the city"). rank_key is the
-- documented order (docs/api.md, "Tie-break rule") as text that sorts
-- ascending from the first rank down: the counted total (the last
-- completed stage's) and the counted points of each top-level criterion,
-- each as 10^18 minus the points in 19 digits (trailing zero points left
-- out: '|' sorts after every digit, so a list that stops ranks after one
-- that goes on with points), then the self-assessment's submission (the
-- stored UTC text; none: '~', after every time), then the unit id. Kept by
-- triggers on every write of the columns it is made of; `sotay check
-- counters` recomputes it.
ALTER TABLE fourgood_sheets ADD COLUMN rank_key TEXT NOT NULL DEFAULT '';

CREATE TRIGGER fourgood_sheets_rank_key_insert AFTER INSERT ON fourgood_sheets BEGIN
  UPDATE fourgood_sheets SET rank_key =
    printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
    || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '' ORDER BY j.key) FROM json_each('[' || tiebreak || ']') j
      WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
    || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id)
  WHERE id = NEW.id;
END;

CREATE TRIGGER fourgood_sheets_rank_key_update AFTER UPDATE OF stage, self_total, review_total, final_total, tiebreak, submitted_at, unit_id ON fourgood_sheets BEGIN
  UPDATE fourgood_sheets SET rank_key =
    printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
    || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '' ORDER BY j.key) FROM json_each('[' || tiebreak || ']') j
      WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
    || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id)
  WHERE id = NEW.id;
END;

UPDATE fourgood_sheets SET rank_key =
  printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
  || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '' ORDER BY j.key) FROM json_each('[' || tiebreak || ']') j
    WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
  || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id);

CREATE INDEX fourgood_sheets_rank ON fourgood_sheets(framework_id, period, rank_key, unit_id);
