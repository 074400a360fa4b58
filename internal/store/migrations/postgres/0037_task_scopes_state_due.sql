-- sotay:expand
-- The task lists newest first with a due-date bound (issue 17, item 1: the
-- overdue list of a district or commune, newest first): task_scopes_state
-- ends with due_on, so that an arm (one key, state and kind) reads the
-- index backward in the list's order and checks the due date inside the
-- index (covering: the arm selects task_id and due_on), stopping after the
-- page. Before, the index held no due date: PostgreSQL read each overdue
-- range by due date from task_scopes_state_due and sorted it (the
-- district's 209 assigned overdue tasks), or read the state's range back
-- through the table's rows; SQLite read each row of the table to check the
-- bound. The order of its first five columns is unchanged, so every list
-- that used it (INDEXED BY task_scopes_state on SQLite) reads as before.
DROP INDEX task_scopes_state;
CREATE INDEX task_scopes_state ON task_scopes(rel, scope, state, kind, task_id, due_on);
-- Marked expand: the index keeps its name and first five columns, so the
-- code of the release before reads it as it did.
