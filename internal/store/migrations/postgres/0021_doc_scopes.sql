-- The documents list's index (issue 17): one row per document and per key
-- under which a reader's list finds it (see internal/store/docs_scopes.go),
-- in the list's order (issued_on, id, read newest first), so that a page
-- is a few index ranges that stop after it. Written with the document
-- (documents are never re-addressed); the subtree rows follow a unit
-- moved in the tree. Filled here for the documents there are.
--   rel 'u', scope = the audience unit, role = a role the audience takes
--        or '*' (no roles: everyone)
--   rel 's', scope = the audience unit or a unit above it (0: every
--        document), role '' (whatever the roles: officers' supervision),
--        or a role the audience takes, or '*'
CREATE TABLE doc_scopes (
  rel       TEXT NOT NULL,
  scope     BIGINT NOT NULL,
  role      TEXT NOT NULL,
  kind      TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  doc_id    BIGINT NOT NULL,
  PRIMARY KEY (rel, scope, role, kind, issued_on, doc_id)
);
CREATE INDEX doc_scopes_doc ON doc_scopes(doc_id);

INSERT INTO doc_scopes (rel, scope, role, kind, issued_on, doc_id)
WITH anc AS (
  SELECT d.id AS doc_id, x::bigint AS unit_id FROM documents d JOIN units u ON u.id = d.audience_unit_id,
    unnest(string_to_array(trim(both '/' from u.path), '/')) x
  WHERE x ~ '^[0-9]+$'
),
tok AS (
  SELECT d.id AS doc_id, x AS role FROM documents d, unnest(string_to_array(trim(both ',' from d.audience_roles), ',')) x
  WHERE d.audience_roles <> '' AND x <> ''
  UNION ALL
  SELECT id, '*' FROM documents WHERE audience_roles = ''
)
SELECT k.rel, k.scope, k.role, d.kind, d.issued_on, d.id FROM (
  SELECT 's' AS rel, 0::bigint AS scope, '' AS role, id AS doc_id FROM documents
  UNION SELECT 's', a.unit_id, '', a.doc_id FROM anc a
  UNION SELECT 's', a.unit_id, t.role, a.doc_id FROM anc a JOIN tok t ON t.doc_id = a.doc_id
  UNION SELECT 'u', d.audience_unit_id, t.role, d.id FROM documents d JOIN tok t ON t.doc_id = d.id
) k JOIN documents d ON d.id = k.doc_id;

-- The inbox's unread count (issue 17): the account's and the member's
-- unread notifications each an index range, counted up to a bound.
CREATE INDEX notifications_account_unread ON notifications(account_id, id) WHERE account_id IS NOT NULL AND read_at IS NULL;
CREATE INDEX notifications_member_unread ON notifications(member_id, id) WHERE member_id IS NOT NULL AND read_at IS NULL;
