-- The member list of a past day (issue 17, session 12): one row per
-- membership piece and per unit above the member's cell on the piece's
-- days, so that GET /members?as_of= reads a range of the scope's rows in
-- name order and stops after the page, instead of rebuilding the day's
-- memberships of the whole subtree (the city: 759 ms of PostgreSQL's CPU).
--
-- A membership is the members row from unit_since on (valid_to NULL) or an
-- official past_memberships row [valid_from, valid_to); each unit_history
-- row of its cell cuts it, and the piece is kept under every unit on that
-- row's path (scope_id) from max(starts) to min(ends), the consecutive
-- pieces of one membership under one scope joined. unit_id is the cell
-- (the list's unit name); status, status_since, full_on and admitted_on
-- are the member's, so that the status of a day and the count are read
-- from this table alone. seq tells apart two pieces of one member under one
-- scope that start on the same day (two overlapping memberships, which
-- the list shows twice as the statement did).
--
-- The rows are written by the store in Go (members_asof.go), in the
-- write's own transaction: the triggers of migration 0035 log every
-- changed row of members, past_memberships and unit_history, and the store
-- rewrites the rows of the members the log names (and of the members of
-- the units whose history it names) before the commit. The trigger below
-- keeps the sort key, which that log does not see. The backfill is the
-- store's too (run after this migration, in its transaction); `sotay check
-- counters` recomputes the table and `--fix` rewrites it.

CREATE TABLE member_asof_scopes (
  scope_id     INTEGER NOT NULL,
  sort_key     BLOB NOT NULL,
  member_id    INTEGER NOT NULL,
  valid_from   TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  valid_to     TEXT,
  unit_id      INTEGER NOT NULL,
  status       TEXT NOT NULL,
  status_since TEXT,
  full_on      TEXT,
  admitted_on  TEXT,
  PRIMARY KEY (scope_id, sort_key, member_id, valid_from, seq)
) WITHOUT ROWID;
CREATE INDEX member_asof_scopes_member ON member_asof_scopes(member_id);
-- The rows that began by a day: on a thin day (few of today's members had
-- joined) the count reads them instead of walking the whole scope, and
-- the page reads and sorts them (memberAsOfSparsePage). With its trailing columns the
-- count reads the index alone: through the table, the city's count on
-- 1975-01-01 took 11–13 ms on PostgreSQL (the primary key's walk 3–4 ms).
CREATE INDEX member_asof_scopes_from ON member_asof_scopes(scope_id, valid_from, valid_to, status, status_since, full_on, admitted_on);

CREATE TRIGGER members_asof_sort_key AFTER UPDATE OF sort_key ON members
WHEN OLD.sort_key IS NOT NEW.sort_key BEGIN
  UPDATE member_asof_scopes SET sort_key = NEW.sort_key WHERE member_id = NEW.id;
END;
