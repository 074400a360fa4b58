-- The outbreak foci and conference lists cost their page (issue 17, item
-- 1), as the task, member, audit and document lists do: one row per
-- focus (conference) and per unit whose subtree holds it — the focus's
-- unit (the conference's host unit), every unit above it, and 0 (the
-- root's reach: everything) — so that a
-- reach's list is one index range per top unit of the reach, newest first,
-- stopped after the page. Written with the focus (conference), the focus's
-- state kept with each close, moved with a unit moved in the tree
-- (store.moveListScopes).
CREATE TABLE outbreak_scopes (
  scope_id    BIGINT NOT NULL,
  state       TEXT NOT NULL,
  outbreak_id BIGINT NOT NULL,
  PRIMARY KEY (scope_id, outbreak_id)
);
CREATE INDEX outbreak_scopes_state ON outbreak_scopes(scope_id, state, outbreak_id);
CREATE INDEX outbreak_scopes_focus ON outbreak_scopes(outbreak_id);
INSERT INTO outbreak_scopes (scope_id, state, outbreak_id)
SELECT a.id, o.state, o.id FROM outbreaks o JOIN units u ON u.id = o.unit_id
  JOIN units a ON substr(u.path, 1, length(a.path)) = a.path
UNION ALL SELECT 0, state, id FROM outbreaks;

CREATE TABLE conference_scopes (
  scope_id      BIGINT NOT NULL,
  conference_id BIGINT NOT NULL,
  PRIMARY KEY (scope_id, conference_id)
);
CREATE INDEX conference_scopes_conference ON conference_scopes(conference_id);
INSERT INTO conference_scopes (scope_id, conference_id)
SELECT a.id, c.id FROM conferences c JOIN units u ON u.id = c.host_unit_id
  JOIN units a ON substr(u.path, 1, length(a.path)) = a.path
UNION ALL SELECT 0, id FROM conferences;

-- A member's invitations and an account's bridge points, newest first.
DROP INDEX conference_attendees_member;
CREATE INDEX conference_attendees_member ON conference_attendees(member_id, conference_id);
DROP INDEX conference_points_host;
CREATE INDEX conference_points_host ON conference_points(host_account_id, conference_id) WHERE host_account_id IS NOT NULL;
