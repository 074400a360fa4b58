-- Members admitted by a day (issue 17; GET /members/due-full, the
-- probationary members whose 12 months have ended; store/members.go
-- memberListQuery): member_scopes carries the member's admitted_on, so
-- that the list's bounded count and its page filter the subtree's rows of
-- member_scopes alone instead of looking up each row's member (on the
-- city, 11 ms–2.5 s). The table is kept in its primary key's order
-- (WITHOUT ROWID: the walk in name order reads the day in the row), and
-- the status index ends with it (the probationary members admitted by the
-- day are one range of it). Rewritten with the rest of the row
-- (members_scopes.go); `check counters` compares it with members.
-- Not marked expand: the code before it would write the rows without the
-- day.
CREATE TABLE member_scopes_new (
  scope_id    INTEGER NOT NULL,
  sort_key    BLOB NOT NULL,
  member_id   INTEGER NOT NULL,
  status      TEXT NOT NULL,
  name_folded TEXT NOT NULL,
  admitted_on TEXT,
  PRIMARY KEY (scope_id, sort_key, member_id)
) WITHOUT ROWID;
INSERT INTO member_scopes_new (scope_id, sort_key, member_id, status, name_folded, admitted_on)
SELECT s.scope_id, s.sort_key, s.member_id, s.status, s.name_folded, m.admitted_on
FROM member_scopes s JOIN members m ON m.id = s.member_id
ORDER BY s.scope_id, s.sort_key, s.member_id;
DROP TABLE member_scopes;
ALTER TABLE member_scopes_new RENAME TO member_scopes;
CREATE INDEX member_scopes_member ON member_scopes(member_id);
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status, admitted_on);
-- The rebuilt table has no statistics: without them SQLite plans its lists
-- with default guesses until someone runs ANALYZE.
ANALYZE member_scopes;
