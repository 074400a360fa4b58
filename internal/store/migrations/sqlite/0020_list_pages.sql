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
  scope_id INTEGER NOT NULL,
  audit_id INTEGER NOT NULL,
  PRIMARY KEY (scope_id, audit_id)
);
INSERT INTO audit_scopes (scope_id, audit_id)
WITH RECURSIVE split(audit_id, rest) AS (
  SELECT id, substr(unit_path, 2) FROM audit_log WHERE unit_path LIKE '/%'
  UNION ALL
  SELECT audit_id, substr(rest, instr(rest, '/') + 1) FROM split WHERE instr(rest, '/') > 0
)
SELECT DISTINCT CAST(substr(rest, 1, instr(rest, '/') - 1) AS INTEGER), audit_id FROM split WHERE instr(rest, '/') > 1;
