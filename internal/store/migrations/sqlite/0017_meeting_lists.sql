-- Meetings (see internal/store/meetings.go): "as of" a past month counts
-- the meetings closed by then; a cell's closed meetings of a range of
-- months by closing time, for the cells that have one closed later.
CREATE INDEX meetings_unit_closed ON meetings(unit_id, month, closed_at) WHERE state = 'closed';

-- A committee's meetings in the list's order: one row per meeting and per
-- committee above its cell (not the cell itself: a cell's list walks
-- meetings_unit_start), so that a committee's page is one range of the
-- primary key by (starts_at, meeting_id) that stops after the page, with
-- no sort of the subtree's meetings. Written with the meeting, its
-- starts_at kept in step by edits, rewritten when a subtree moves
-- (store.moveSubtree).
CREATE TABLE meeting_scopes (
  scope_id    INTEGER NOT NULL REFERENCES units(id),
  starts_at   TIMESTAMP NOT NULL,
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  PRIMARY KEY (scope_id, starts_at, meeting_id)
);
CREATE INDEX meeting_scopes_meeting ON meeting_scopes(meeting_id);
-- The meetings held so far: each cell's strict ancestors by parent_id.
INSERT INTO meeting_scopes (scope_id, starts_at, meeting_id)
WITH RECURSIVE up(unit_id, scope_id) AS (
  SELECT id, parent_id FROM units WHERE kind = 'cell' AND parent_id IS NOT NULL
  UNION ALL
  SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.scope_id WHERE u.parent_id IS NOT NULL
)
SELECT up.scope_id, m.starts_at, m.id FROM meetings m JOIN up ON up.unit_id = m.unit_id;

-- The flags' roll-up: per cell, year and member, the absences without
-- reason in the cell's closed meetings and those meetings' ids (a list
-- joined by commas). Closing a meeting rewrites its cell's year with one
-- INSERT … SELECT (store.memberRollUpSQL), like meeting_cell_years; the
-- compliance flags then read one row per member of the subtree who has
-- any, instead of every absence.
CREATE TABLE meeting_member_years (
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  year        INTEGER NOT NULL,
  member_id   INTEGER NOT NULL REFERENCES members(id),
  full_name   TEXT NOT NULL,
  absences    INTEGER NOT NULL,
  meeting_ids TEXT NOT NULL,
  PRIMARY KEY (unit_id, year, member_id)
);
-- The lines of absences without reason, covering what the roll-up and the
-- "as of" flags read.
CREATE INDEX meeting_attendance_unexcused ON meeting_attendance(meeting_id, member_id, full_name) WHERE status = 'absent' AND reason = '';
INSERT INTO meeting_member_years (unit_id, year, member_id, full_name, absences, meeting_ids)
SELECT m.unit_id, CAST(substr(m.month, 1, 4) AS INTEGER), a.member_id, MAX(a.full_name), COUNT(*), group_concat(a.meeting_id)
FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id AND a.status = 'absent' AND a.reason = ''
WHERE m.state = 'closed' AND m.unexcused_count > 0
GROUP BY m.unit_id, CAST(substr(m.month, 1, 4) AS INTEGER), a.member_id;

-- The chair's office in the cell, for the resolution's signature:
-- 'secretary' (BÍ THƯ) or 'deputy' (PHÓ BÍ THƯ).
ALTER TABLE meetings ADD COLUMN chair_role TEXT NOT NULL DEFAULT 'secretary';
