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

-- The conference board (attendance) sums counters instead of every
-- invited member: one row per conference and pair (the point a member is
-- expected at: 0 invited without a point, -1 not invited; the point they
-- checked in at: 0 not checked in) with how many members are in that pair
-- and how many of them were late. Kept by statement-level triggers (with
-- transition tables: a conference's creation invites a whole city in one
-- statement, each pair's rows summed once) on the attendees and the
-- check-ins; `sotay check counters` recounts it.
CREATE TABLE conference_counts (
  conference_id     BIGINT NOT NULL,
  expected_point_id BIGINT NOT NULL,
  checkin_point_id  BIGINT NOT NULL,
  n                 BIGINT NOT NULL DEFAULT 0,
  late              BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (conference_id, expected_point_id, checkin_point_id)
);

CREATE FUNCTION conference_counts_attendees() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT o.conference_id, COALESCE(o.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), -COUNT(*), -SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
      FROM old_rows o LEFT JOIN conference_checkins ck ON ck.conference_id = o.conference_id AND ck.member_id = o.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT o.conference_id, -1, ck.bridge_point_id, COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
      FROM old_rows o JOIN conference_checkins ck ON ck.conference_id = o.conference_id AND ck.member_id = o.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT w.conference_id, COALESCE(w.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
      FROM new_rows w LEFT JOIN conference_checkins ck ON ck.conference_id = w.conference_id AND ck.member_id = w.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT w.conference_id, -1, ck.bridge_point_id, -COUNT(*), -SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
      FROM new_rows w JOIN conference_checkins ck ON ck.conference_id = w.conference_id AND ck.member_id = w.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER conference_counts_attendee_insert AFTER INSERT ON conference_attendees
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_attendees();
CREATE TRIGGER conference_counts_attendee_delete AFTER DELETE ON conference_attendees
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_attendees();
CREATE TRIGGER conference_counts_attendee_update AFTER UPDATE ON conference_attendees
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_attendees();

CREATE FUNCTION conference_counts_checkins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT o.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, o.bridge_point_id, -COUNT(*), -SUM(CASE WHEN o.late THEN 1 ELSE 0 END)
      FROM old_rows o LEFT JOIN conference_attendees a ON a.conference_id = o.conference_id AND a.member_id = o.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT o.conference_id, COALESCE(a.bridge_point_id, 0), 0, COUNT(*), 0
      FROM old_rows o JOIN conference_attendees a ON a.conference_id = o.conference_id AND a.member_id = o.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT w.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, w.bridge_point_id, COUNT(*), SUM(CASE WHEN w.late THEN 1 ELSE 0 END)
      FROM new_rows w LEFT JOIN conference_attendees a ON a.conference_id = w.conference_id AND a.member_id = w.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
      SELECT w.conference_id, COALESCE(a.bridge_point_id, 0), 0, -COUNT(*), 0
      FROM new_rows w JOIN conference_attendees a ON a.conference_id = w.conference_id AND a.member_id = w.member_id
      GROUP BY 1, 2, 3
      ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = conference_counts.n + excluded.n, late = conference_counts.late + excluded.late;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER conference_counts_checkin_insert AFTER INSERT ON conference_checkins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_checkins();
CREATE TRIGGER conference_counts_checkin_delete AFTER DELETE ON conference_checkins
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_checkins();
CREATE TRIGGER conference_counts_checkin_update AFTER UPDATE ON conference_checkins
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conference_counts_checkins();

INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
SELECT a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
FROM conference_attendees a LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id
GROUP BY a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0)
UNION ALL
SELECT ck.conference_id, -1, ck.bridge_point_id, COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
FROM conference_checkins ck WHERE NOT EXISTS (SELECT 1 FROM conference_attendees a WHERE a.conference_id = ck.conference_id AND a.member_id = ck.member_id)
GROUP BY ck.conference_id, ck.bridge_point_id;
