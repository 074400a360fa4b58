-- The task lists' index (issue 17): one row per task and per key under
-- which a list finds it (see internal/store/tasks_scopes.go), with the
-- task's state, kind and due date, so that each list is an index range in
-- the list's order that stops after the page. Kept in the transaction of
-- every write that changes it; filled here for the tasks there are.
CREATE TABLE task_scopes (
  rel     TEXT NOT NULL,   -- r (reach) | h (holder) | a (accountable) | i (issuer)
  scope   BIGINT NOT NULL, -- a unit id, 0 (everything), or minus a member (or, for i, account) id
  task_id BIGINT NOT NULL,
  state   TEXT NOT NULL,
  kind    TEXT NOT NULL,
  due_on  TEXT NOT NULL,
  PRIMARY KEY (rel, scope, task_id)
) WITHOUT ROWID;
CREATE INDEX task_scopes_due ON task_scopes(rel, scope, due_on, task_id);
CREATE INDEX task_scopes_state ON task_scopes(rel, scope, state, kind, task_id);
CREATE INDEX task_scopes_state_due ON task_scopes(rel, scope, state, kind, due_on, task_id);
CREATE INDEX task_scopes_task ON task_scopes(task_id);

WITH RECURSIVE sel AS (SELECT id FROM tasks),
anc(unit_id, anc_id) AS (
  SELECT u.id, u.id FROM units u WHERE u.id IN (
    SELECT t.holder_unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
    UNION SELECT t.unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
    UNION SELECT t.issuer_unit_id FROM tasks t WHERE t.id IN (SELECT id FROM sel))
  UNION
  SELECT a.unit_id, u.parent_id FROM anc a JOIN units u ON u.id = a.anc_id WHERE u.parent_id IS NOT NULL
)
INSERT INTO task_scopes (rel, scope, task_id, state, kind, due_on)
SELECT k.rel, k.scope, t.id, t.state, t.kind, t.due_on FROM (
  SELECT 'r' AS rel, a.anc_id AS scope, t.id AS task_id FROM tasks t JOIN anc a ON a.unit_id IN (t.holder_unit_id, t.unit_id, t.issuer_unit_id)
    WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', 0, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'r', -t.holder_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.holder_member_id IS NOT NULL
  UNION SELECT 'r', -t.accountable_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.accountable_member_id IS NOT NULL
  UNION SELECT 'r', -t.assignee_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.assignee_id IS NOT NULL
  UNION SELECT 'h', t.holder_unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'h', -t.holder_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.holder_member_id IS NOT NULL
  UNION SELECT 'a', t.unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'a', -t.accountable_member_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.accountable_member_id IS NOT NULL
  UNION SELECT 'i', t.issuer_unit_id, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel)
  UNION SELECT 'i', -t.created_by, t.id FROM tasks t WHERE t.id IN (SELECT id FROM sel) AND t.created_by IS NOT NULL
) k JOIN tasks t ON t.id = k.task_id;
