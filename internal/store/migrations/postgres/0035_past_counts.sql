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
  prefix TEXT COLLATE "C" NOT NULL,
  grain  TEXT NOT NULL,
  period TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL,
  gender TEXT NOT NULL,
  band   TEXT NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (prefix, grain, period, status, gender, band)
);

CREATE TABLE past_stat_log (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         TEXT NOT NULL,
  sign         INTEGER NOT NULL,
  member_id    BIGINT,
  unit_id      BIGINT,
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

-- Statement-level like 0025's: an update logs only the rows it changed
-- (old EXCEPT ALL new, and new EXCEPT ALL old, on the columns that count).
CREATE FUNCTION past_log_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date)
  SELECT 'm', -1, x.* FROM (SELECT id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM ot EXCEPT ALL SELECT id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM nt) x
  UNION ALL SELECT 'm', 1, x.* FROM (SELECT id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM nt EXCEPT ALL SELECT id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM ot) x;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_members_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date)
  SELECT 'm', 1, id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM nt;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_members_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, from_day, status, status_since, full_on, admitted_on, gender, birth_date)
  SELECT 'm', -1, id, unit_id, unit_since, status, status_since, full_on, admitted_on, gender, birth_date FROM ot;
  RETURN NULL;
END $$;

CREATE TRIGGER members_past_log_insert AFTER INSERT ON members REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_members_insert();
CREATE TRIGGER members_past_log_delete AFTER DELETE ON members REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_members_delete();
CREATE TRIGGER members_past_log_update AFTER UPDATE ON members REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_members();

CREATE FUNCTION past_log_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day)
  SELECT 'p', -1, x.* FROM (SELECT member_id, unit_id, kind, valid_from, valid_to FROM ot EXCEPT ALL SELECT member_id, unit_id, kind, valid_from, valid_to FROM nt) x
  UNION ALL SELECT 'p', 1, x.* FROM (SELECT member_id, unit_id, kind, valid_from, valid_to FROM nt EXCEPT ALL SELECT member_id, unit_id, kind, valid_from, valid_to FROM ot) x;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_memberships_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day)
  SELECT 'p', 1, member_id, unit_id, kind, valid_from, valid_to FROM nt;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_memberships_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, member_id, unit_id, pkind, from_day, to_day)
  SELECT 'p', -1, member_id, unit_id, kind, valid_from, valid_to FROM ot;
  RETURN NULL;
END $$;

CREATE TRIGGER past_memberships_log_insert AFTER INSERT ON past_memberships REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_memberships_insert();
CREATE TRIGGER past_memberships_log_delete AFTER DELETE ON past_memberships REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_memberships_delete();
CREATE TRIGGER past_memberships_log_update AFTER UPDATE ON past_memberships REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_memberships();

CREATE FUNCTION past_log_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day)
  SELECT 'h', -1, x.* FROM (SELECT unit_id, path, valid_from, valid_to FROM ot EXCEPT ALL SELECT unit_id, path, valid_from, valid_to FROM nt) x
  UNION ALL SELECT 'h', 1, x.* FROM (SELECT unit_id, path, valid_from, valid_to FROM nt EXCEPT ALL SELECT unit_id, path, valid_from, valid_to FROM ot) x;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_history_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day)
  SELECT 'h', 1, unit_id, path, valid_from, valid_to FROM nt;
  RETURN NULL;
END $$;

CREATE FUNCTION past_log_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day, to_day)
  SELECT 'h', -1, unit_id, path, valid_from, valid_to FROM ot;
  RETURN NULL;
END $$;

CREATE TRIGGER unit_history_past_log_insert AFTER INSERT ON unit_history REFERENCING NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_history_insert();
CREATE TRIGGER unit_history_past_log_delete AFTER DELETE ON unit_history REFERENCING OLD TABLE AS ot
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_history_delete();
CREATE TRIGGER unit_history_past_log_update AFTER UPDATE ON unit_history REFERENCING OLD TABLE AS ot NEW TABLE AS nt
  FOR EACH STATEMENT EXECUTE FUNCTION past_log_history();
