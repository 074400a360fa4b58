-- The four-good frameworks list costs its page (issue 17, item 1), as the
-- foci and conference lists do (0027): one row per framework and per unit
-- whose subtree holds its owner — the owner, every unit above it, and 0
-- (the root's reach) — with its year, so that "the frameworks owned within
-- a subtree" is one index range in the list's order (year, id, newest
-- first) that stops after the page, instead of the subtree's units joined
-- to the frameworks and sorted. The frameworks owned above a unit are read
-- by fourgood_frameworks_owner. Written with the framework (create, and an
-- update that may change its owner or year), rewritten for the frameworks
-- of a subtree moved in the tree (store.moveListScopes).
CREATE TABLE fourgood_framework_scopes (
  scope_id     BIGINT NOT NULL,
  year         INTEGER NOT NULL,
  framework_id BIGINT NOT NULL,
  PRIMARY KEY (scope_id, year, framework_id)
);
CREATE INDEX fourgood_framework_scopes_framework ON fourgood_framework_scopes(framework_id);
INSERT INTO fourgood_framework_scopes (scope_id, year, framework_id)
SELECT a.id, f.year, f.id FROM fourgood_frameworks f JOIN units u ON u.id = f.owner_unit_id
  JOIN units a ON substr(u.path, 1, length(a.path)) = a.path
UNION ALL SELECT 0, year, id FROM fourgood_frameworks;
