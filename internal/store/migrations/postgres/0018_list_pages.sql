-- Lists that cost a page (issue 17).
-- The inbox: the account's and the member's notifications each in inbox
-- order (created_at, id), so that a page merges two index ranges.
DROP INDEX notifications_account;
DROP INDEX notifications_member;
CREATE INDEX notifications_account_page ON notifications(account_id, created_at, id) WHERE account_id IS NOT NULL;
CREATE INDEX notifications_member_page ON notifications(member_id, created_at, id) WHERE member_id IS NOT NULL;

-- The audit list of a subtree: one row per entry and per unit on its
-- unit_path when written (the unit and its ancestors), so that a
-- subtree's page is a range of the primary key newest first. Written with
-- the entry (store.insertAuditScopes); entries keep the path they were
-- written with, so a move of a unit rewrites nothing.
CREATE TABLE audit_scopes (
  scope_id BIGINT NOT NULL,
  audit_id BIGINT NOT NULL,
  PRIMARY KEY (scope_id, audit_id)
);
INSERT INTO audit_scopes (scope_id, audit_id)
SELECT DISTINCT x::bigint, a.id FROM audit_log a, unnest(string_to_array(trim(both '/' from a.unit_path), '/')) x
WHERE a.unit_path LIKE '/%' AND x ~ '^[0-9]+$';

-- The member list of a subtree in name order: one row per member and per
-- unit on the path of the member's unit (the unit and its ancestors), so
-- that a subtree's page is a range of the primary key by (sort_key,
-- member_id); with the member's status, so that a count by status reads
-- this table alone. Rewritten with every write of a member's unit or sort key
-- and when a subtree moves (store/members_scopes.go).
CREATE TABLE member_scopes (
  scope_id  BIGINT NOT NULL,
  sort_key  BYTEA NOT NULL,
  member_id BIGINT NOT NULL,
  status    TEXT NOT NULL,
  PRIMARY KEY (scope_id, sort_key, member_id)
);
CREATE INDEX member_scopes_member ON member_scopes(member_id);
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status);
INSERT INTO member_scopes (scope_id, sort_key, member_id, status)
WITH RECURSIVE up(unit_id, scope_id) AS (
  SELECT id, id FROM units
  UNION ALL
  SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.scope_id WHERE u.parent_id IS NOT NULL
)
SELECT up.scope_id, m.sort_key, m.id, m.status FROM members m JOIN up ON up.unit_id = m.unit_id;
