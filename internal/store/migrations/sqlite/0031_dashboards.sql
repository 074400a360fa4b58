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
-- counters` recomputes it. The points are concatenated in json_each's
-- order, the array's (group_concat's ORDER BY needs SQLite 3.44, and a
-- schema using it cannot be read by an older sqlite3 shell).
ALTER TABLE fourgood_sheets ADD COLUMN rank_key TEXT NOT NULL DEFAULT '';

CREATE TRIGGER fourgood_sheets_rank_key_insert AFTER INSERT ON fourgood_sheets BEGIN
  UPDATE fourgood_sheets SET rank_key =
    printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
    || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '') FROM json_each('[' || tiebreak || ']') j
      WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
    || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id)
  WHERE id = NEW.id;
END;

CREATE TRIGGER fourgood_sheets_rank_key_update AFTER UPDATE OF stage, self_total, review_total, final_total, tiebreak, submitted_at, unit_id ON fourgood_sheets BEGIN
  UPDATE fourgood_sheets SET rank_key =
    printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
    || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '') FROM json_each('[' || tiebreak || ']') j
      WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
    || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id)
  WHERE id = NEW.id;
END;

UPDATE fourgood_sheets SET rank_key =
  printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
  || COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '') FROM json_each('[' || tiebreak || ']') j
    WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
  || '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id);

CREATE INDEX fourgood_sheets_rank ON fourgood_sheets(framework_id, period, rank_key, unit_id);

-- The conference board (attendance) sums counters instead of every
-- invited member: one row per conference and pair (the point a member is
-- expected at: 0 invited without a point, -1 not invited; the point they
-- checked in at: 0 not checked in) with how many members are in that pair
-- and how many of them were late. Kept by triggers on the attendees and
-- the check-ins; `sotay check counters` recounts it.
CREATE TABLE conference_counts (
  conference_id     INTEGER NOT NULL,
  expected_point_id INTEGER NOT NULL,
  checkin_point_id  INTEGER NOT NULL,
  n                 INTEGER NOT NULL DEFAULT 0,
  late              INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conference_id, expected_point_id, checkin_point_id)
) WITHOUT ROWID;

CREATE TRIGGER conference_counts_attendee_insert AFTER INSERT ON conference_attendees BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, -1, ck.bridge_point_id, -1, -(CASE WHEN ck.late THEN 1 ELSE 0 END) FROM conference_checkins ck
    WHERE ck.conference_id = NEW.conference_id AND ck.member_id = NEW.member_id
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, COALESCE(NEW.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), 1, CASE WHEN ck.late THEN 1 ELSE 0 END
    FROM (SELECT 1) one LEFT JOIN conference_checkins ck ON ck.conference_id = NEW.conference_id AND ck.member_id = NEW.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

CREATE TRIGGER conference_counts_attendee_delete AFTER DELETE ON conference_attendees BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, COALESCE(OLD.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), -1, -(CASE WHEN ck.late THEN 1 ELSE 0 END)
    FROM (SELECT 1) one LEFT JOIN conference_checkins ck ON ck.conference_id = OLD.conference_id AND ck.member_id = OLD.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, -1, ck.bridge_point_id, 1, CASE WHEN ck.late THEN 1 ELSE 0 END FROM conference_checkins ck
    WHERE ck.conference_id = OLD.conference_id AND ck.member_id = OLD.member_id
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

CREATE TRIGGER conference_counts_attendee_update AFTER UPDATE OF conference_id, member_id, bridge_point_id ON conference_attendees BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, COALESCE(OLD.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), -1, -(CASE WHEN ck.late THEN 1 ELSE 0 END)
    FROM (SELECT 1) one LEFT JOIN conference_checkins ck ON ck.conference_id = OLD.conference_id AND ck.member_id = OLD.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, COALESCE(NEW.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), 1, CASE WHEN ck.late THEN 1 ELSE 0 END
    FROM (SELECT 1) one LEFT JOIN conference_checkins ck ON ck.conference_id = NEW.conference_id AND ck.member_id = NEW.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

CREATE TRIGGER conference_counts_checkin_insert AFTER INSERT ON conference_checkins BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, COALESCE(a.bridge_point_id, 0), 0, -1, 0 FROM conference_attendees a
    WHERE a.conference_id = NEW.conference_id AND a.member_id = NEW.member_id
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, NEW.bridge_point_id, 1, CASE WHEN NEW.late THEN 1 ELSE 0 END
    FROM (SELECT 1) one LEFT JOIN conference_attendees a ON a.conference_id = NEW.conference_id AND a.member_id = NEW.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

CREATE TRIGGER conference_counts_checkin_delete AFTER DELETE ON conference_checkins BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, OLD.bridge_point_id, -1, -(CASE WHEN OLD.late THEN 1 ELSE 0 END)
    FROM (SELECT 1) one LEFT JOIN conference_attendees a ON a.conference_id = OLD.conference_id AND a.member_id = OLD.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, COALESCE(a.bridge_point_id, 0), 0, 1, 0 FROM conference_attendees a
    WHERE a.conference_id = OLD.conference_id AND a.member_id = OLD.member_id
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

CREATE TRIGGER conference_counts_checkin_update AFTER UPDATE OF conference_id, member_id, bridge_point_id, late ON conference_checkins BEGIN
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT OLD.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, OLD.bridge_point_id, -1, -(CASE WHEN OLD.late THEN 1 ELSE 0 END)
    FROM (SELECT 1) one LEFT JOIN conference_attendees a ON a.conference_id = OLD.conference_id AND a.member_id = OLD.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
  INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
    SELECT NEW.conference_id, CASE WHEN a.member_id IS NULL THEN -1 ELSE COALESCE(a.bridge_point_id, 0) END, NEW.bridge_point_id, 1, CASE WHEN NEW.late THEN 1 ELSE 0 END
    FROM (SELECT 1) one LEFT JOIN conference_attendees a ON a.conference_id = NEW.conference_id AND a.member_id = NEW.member_id WHERE 1
    ON CONFLICT (conference_id, expected_point_id, checkin_point_id) DO UPDATE SET n = n + excluded.n, late = late + excluded.late;
END;

INSERT INTO conference_counts (conference_id, expected_point_id, checkin_point_id, n, late)
SELECT a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
FROM conference_attendees a LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id
GROUP BY a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0)
UNION ALL
SELECT ck.conference_id, -1, ck.bridge_point_id, COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
FROM conference_checkins ck WHERE NOT EXISTS (SELECT 1 FROM conference_attendees a WHERE a.conference_id = ck.conference_id AND a.member_id = ck.member_id)
GROUP BY ck.conference_id, ck.bridge_point_id;
