-- Member name search (issue 17; docs/api.md "Members"; store/members_search.go).
-- 1. The subtree's walk in name order reads the names from member_scopes
--    alone: the rows carry the member's folded name, and the primary key
--    includes the status and the name (an index-only scan of a range, no
--    visit of members per row). Rewritten with the rest of the row
--    (members_scopes.go).
-- 2. A rare word is found through a trigram index of the folded name
--    without walking the subtree. The spaces are written as '0' so that
--    pg_trgm, which splits words at every character that is not a letter
--    or a digit, keeps the trigrams across words ("van nguyen" is one run
--    of letters); a query's text gets the same translation, and the
--    matches are checked again with name_folded LIKE, so that the index
--    only narrows (a digit in a name is still found).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE member_scopes_new (
  scope_id    BIGINT NOT NULL,
  sort_key    BYTEA NOT NULL,
  member_id   BIGINT NOT NULL,
  status      TEXT NOT NULL,
  name_folded TEXT NOT NULL
);
INSERT INTO member_scopes_new (scope_id, sort_key, member_id, status, name_folded)
SELECT s.scope_id, s.sort_key, s.member_id, s.status, m.name_folded
FROM member_scopes s JOIN members m ON m.id = s.member_id
ORDER BY s.scope_id, s.sort_key, s.member_id;
DROP TABLE member_scopes;
ALTER TABLE member_scopes_new RENAME TO member_scopes;
ALTER TABLE member_scopes ADD CONSTRAINT member_scopes_pkey PRIMARY KEY (scope_id, sort_key, member_id) INCLUDE (status, name_folded);
CREATE INDEX member_scopes_member ON member_scopes(member_id);
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status);

CREATE INDEX IF NOT EXISTS members_name_trgm ON members USING gin (translate(name_folded, ' ', '0') gin_trgm_ops);
-- The rebuilt table has no statistics until autovacuum comes: analyze it
-- where it has rows (an empty database keeps the planner's defaults for
-- never-analyzed tables, which the plan tests rely on).
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM member_scopes) THEN
    ANALYZE member_scopes;
  END IF;
END $$;
