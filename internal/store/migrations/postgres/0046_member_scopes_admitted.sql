-- Members admitted by a day (issue 17; GET /members/due-full, the
-- probationary members whose 12 months have ended; store/members.go
-- memberListQuery): member_scopes carries the member's admitted_on, so
-- that the list's bounded count and its page filter the subtree's rows of
-- member_scopes alone (an index-only range) instead of looking up each
-- row's member (~4,800 look-ups of members for the city, 7–13 ms of
-- CPU). The primary key includes it (the walk in name order), and the
-- status index ends with it (the probationary members admitted by the
-- day are one range of it). Rewritten with the rest of the row
-- (members_scopes.go); `check counters` compares it with members.
-- Not marked expand: the code before it would write the rows without the
-- day.
CREATE TABLE member_scopes_new (
  scope_id    BIGINT NOT NULL,
  sort_key    BYTEA NOT NULL,
  member_id   BIGINT NOT NULL,
  status      TEXT NOT NULL,
  name_folded TEXT NOT NULL,
  admitted_on TEXT
);
INSERT INTO member_scopes_new (scope_id, sort_key, member_id, status, name_folded, admitted_on)
SELECT s.scope_id, s.sort_key, s.member_id, s.status, s.name_folded, m.admitted_on
FROM member_scopes s JOIN members m ON m.id = s.member_id
ORDER BY s.scope_id, s.sort_key, s.member_id;
DROP TABLE member_scopes;
ALTER TABLE member_scopes_new RENAME TO member_scopes;
ALTER TABLE member_scopes ADD CONSTRAINT member_scopes_pkey PRIMARY KEY (scope_id, sort_key, member_id) INCLUDE (status, name_folded, admitted_on);
CREATE INDEX member_scopes_member ON member_scopes(member_id);
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status, admitted_on);
-- The rebuilt table has no statistics until autovacuum comes: analyze it
-- where it has rows (an empty database keeps the planner's defaults for
-- never-analyzed tables, which the plan tests rely on).
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM member_scopes) THEN
    ANALYZE member_scopes;
  END IF;
END $$;
