-- Cell meetings (SQLite; see internal/meeting): the committees' monthly
-- guidance, the meetings with their agenda and minutes, the roll, and the
-- amendments to closed minutes.

-- A committee's orientation for a month's cell meetings, to its subtree.
-- topics and document_ids are JSON arrays.
CREATE TABLE meeting_guidance (
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  month        TEXT NOT NULL,
  topics       TEXT NOT NULL,
  document_ids TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  created_by   INTEGER,
  created_at   TIMESTAMP NOT NULL
);
CREATE INDEX meeting_guidance_unit_month ON meeting_guidance(unit_id, month, id);

-- month is the month of starts_at in Vietnam ("YYYY-MM"), for the
-- compliance grid; agenda is a JSON array of {title, document_ids, notes};
-- vote is the JSON of {for, against, abstain} or ''. expected_count and
-- present_count are the frozen roll's counts, written at closing.
CREATE TABLE meetings (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES units(id),
  kind           TEXT NOT NULL,
  month          TEXT NOT NULL,
  starts_at      TIMESTAMP NOT NULL,
  ends_at        TIMESTAMP,
  place          TEXT NOT NULL,
  topic          TEXT NOT NULL,
  guidance_id    INTEGER REFERENCES meeting_guidance(id),
  agenda         TEXT NOT NULL,
  chair          TEXT NOT NULL DEFAULT '',
  secretary      TEXT NOT NULL DEFAULT '',
  minutes        TEXT NOT NULL DEFAULT '',
  conclusions    TEXT NOT NULL DEFAULT '',
  resolution     TEXT NOT NULL DEFAULT '',
  vote           TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'open',
  closed_at      TIMESTAMP,
  ended_at       TIMESTAMP,
  expected_count INTEGER NOT NULL DEFAULT 0,
  present_count  INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL DEFAULT 1,
  created_by     INTEGER,
  created_at     TIMESTAMP NOT NULL,
  updated_at     TIMESTAMP NOT NULL
);
-- A cell's meetings by start (its list and calendar, keyset-paged).
CREATE INDEX meetings_unit_start ON meetings(unit_id, starts_at, id);
-- The compliance grid: a range of cells' closed meetings by month, covered.
CREATE INDEX meetings_compliance ON meetings(unit_id, state, month, kind, expected_count, present_count);
-- A subtree's meetings by start.
CREATE INDEX meetings_start ON meetings(starts_at, id);

-- One line of a meeting's roll. class (full, probationary, exempt), hosted
-- (1: on a temporary transfer into the cell) and full_name are recorded
-- with the line, so a closed roll stays as it was.
CREATE TABLE meeting_attendance (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  member_id  INTEGER NOT NULL REFERENCES members(id),
  status     TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  class      TEXT NOT NULL,
  hosted     INTEGER NOT NULL DEFAULT 0,
  full_name  TEXT NOT NULL,
  PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

-- Amendments to closed minutes: kept beside the original text.
CREATE TABLE meeting_amendments (
  id         INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  field      TEXT NOT NULL,
  text       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  by_name    TEXT NOT NULL,
  account_id INTEGER,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_amendments_meeting ON meeting_amendments(meeting_id, id);

-- The flags of the compliance grid probe each meeting for its absences
-- without reason: a partial index holds only those.
CREATE INDEX meeting_attendance_unexcused ON meeting_attendance(meeting_id, member_id) WHERE status = 'absent' AND reason = '';
