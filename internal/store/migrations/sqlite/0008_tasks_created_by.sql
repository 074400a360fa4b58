-- "Issued by me" (GET /api/v1/tasks?issuer=me, the page /cong-viec/da-giao)
-- filters on the account that created the task.
CREATE INDEX tasks_created_by ON tasks(created_by) WHERE created_by IS NOT NULL;
