-- sotay:expand
-- The history of one object (issue 17): a unit's page lists its last
-- changes (org.Changes: object unit:ID, the actions unit.create,
-- unit.update, …), and the audit log keeps far more reads of the same
-- object than changes (every page of its member list is audited as
-- member.list of the unit: 9,443 of 12,006 entries in a demo district
-- after an afternoon of benchmarks). The list walked the unit's
-- audit_scopes newest first and skipped every read: the demo district's
-- page cost 12 ms, growing with the log. With the action and the id in
-- the object's index, the history is one short range per action
-- (auditListSQL). It replaces the index of (object_type, object_id),
-- which it begins with; the release before runs on it (it reads the
-- same columns first).
DROP INDEX audit_log_object;
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, action, id);
