-- The statistics of a past day without member rows (issue 16, item 4).
-- The statement of a past day (asOfMembers) counts, for the subtree a path
-- had on day d, every membership open on d (members.unit_since <= d; the
-- official past_memberships with valid_from <= d < valid_to) of a unit
-- whose unit_history row of d lies under the path, by the status the
-- record's dates give on d (status_since, full_on, admitted_on), gender and
-- age band on d. Each of those is a step function of d, so one membership
-- is a few pieces [from, to) with one (status, gender, band) each, and the
-- figures of a subtree on d are the sum of +1 at every piece's start and -1
-- at every piece's end up to d. past_stat_counts holds those sums per path
-- prefix of the unit's history row (the subtrees of depth 0 and 1: a
-- province or a city, and its districts) and per year, month and day of the
-- change (grain 'y', 'm', 'd'), so the figures of d are the years before
-- d's year, the months of d's year before d's month and the days of d's
-- month up to d: a few thousand rows whatever the subtree's size.
--
-- The pieces need date arithmetic on the age bands (born after d minus 30
-- years…), which the two engines do not do alike, so they are computed by
-- the store in Go (pastcounts.go), in the write's own transaction: the
-- triggers below only log each changed row (old image -1, new image +1) of
-- members, past_memberships and unit_history into past_stat_log, and the
-- store turns the log into counter changes before the commit and empties
-- it. The backfill is the store's too (run after this migration, in its
-- transaction). `sotay check counters` recounts the table.

CREATE TABLE past_stat_counts (
  prefix TEXT NOT NULL,
  grain  TEXT NOT NULL,
  period TEXT NOT NULL,
  status TEXT NOT NULL,
  gender TEXT NOT NULL,
  band   TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (prefix, grain, period, status, gender, band)
) WITHOUT ROWID;

CREATE TABLE past_stat_log (
  seq          INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  sign         INTEGER NOT NULL,
  member_id    INTEGER,
  unit_id      INTEGER,
  path         TEXT,
  pkind        TEXT,
  from_day     TEXT,
  to_day       TEXT,
  status       TEXT,
  status_since TEXT,
  full_on      TEXT,
  admitted_on  TEXT,
  gender       TEXT,
  birth_date   TEXT
);

CREATE TRIGGER members_past_log_insert AFTER INSERT ON members BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date) VALUES ('m', 1, NEW.id, NEW.unit_id, NEW.unit_since, NEW.status, NEW.status_since, NEW.full_on, NEW.admitted_on, NEW.gender, NEW.birth_date);
END;

CREATE TRIGGER members_past_log_delete AFTER DELETE ON members BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date) VALUES ('m', -1, OLD.id, OLD.unit_id, OLD.unit_since, OLD.status, OLD.status_since, OLD.full_on, OLD.admitted_on, OLD.gender, OLD.birth_date);
END;

CREATE TRIGGER members_past_log_update AFTER UPDATE OF id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date ON members
WHEN OLD.id IS NOT NEW.id OR OLD.unit_id IS NOT NEW.unit_id OR OLD.unit_since IS NOT NEW.unit_since OR OLD.status IS NOT NEW.status OR OLD.status_since IS NOT NEW.status_since OR OLD.full_on IS NOT NEW.full_on OR OLD.admitted_on IS NOT NEW.admitted_on OR OLD.gender IS NOT NEW.gender OR OLD.birth_date IS NOT NEW.birth_date BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date) VALUES ('m', -1, OLD.id, OLD.unit_id, OLD.unit_since, OLD.status, OLD.status_since, OLD.full_on, OLD.admitted_on, OLD.gender, OLD.birth_date);
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date) VALUES ('m', 1, NEW.id, NEW.unit_id, NEW.unit_since, NEW.status, NEW.status_since, NEW.full_on, NEW.admitted_on, NEW.gender, NEW.birth_date);
END;

CREATE TRIGGER past_memberships_log_insert AFTER INSERT ON past_memberships BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day) VALUES ('p', 1, NEW.member_id, NEW.unit_id, NEW.kind, NEW.valid_from, NEW.valid_to);
END;

CREATE TRIGGER past_memberships_log_delete AFTER DELETE ON past_memberships BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day) VALUES ('p', -1, OLD.member_id, OLD.unit_id, OLD.kind, OLD.valid_from, OLD.valid_to);
END;

CREATE TRIGGER past_memberships_log_update AFTER UPDATE OF member_id, unit_id, kind, valid_from, valid_to ON past_memberships
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.unit_id IS NOT NEW.unit_id OR OLD.kind IS NOT NEW.kind OR OLD.valid_from IS NOT NEW.valid_from OR OLD.valid_to IS NOT NEW.valid_to BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day) VALUES ('p', -1, OLD.member_id, OLD.unit_id, OLD.kind, OLD.valid_from, OLD.valid_to);
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day) VALUES ('p', 1, NEW.member_id, NEW.unit_id, NEW.kind, NEW.valid_from, NEW.valid_to);
END;

CREATE TRIGGER unit_history_past_log_insert AFTER INSERT ON unit_history BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day) VALUES ('h', 1, NEW.unit_id, NEW.path, NEW.valid_from, NEW.valid_to);
END;

CREATE TRIGGER unit_history_past_log_delete AFTER DELETE ON unit_history BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day) VALUES ('h', -1, OLD.unit_id, OLD.path, OLD.valid_from, OLD.valid_to);
END;

CREATE TRIGGER unit_history_past_log_update AFTER UPDATE OF unit_id, path, valid_from, valid_to ON unit_history
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.path IS NOT NEW.path OR OLD.valid_from IS NOT NEW.valid_from OR OLD.valid_to IS NOT NEW.valid_to BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day) VALUES ('h', -1, OLD.unit_id, OLD.path, OLD.valid_from, OLD.valid_to);
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day) VALUES ('h', 1, NEW.unit_id, NEW.path, NEW.valid_from, NEW.valid_to);
END;
