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
  -- absences without reason on the frozen roll (written at closing)
  unexcused_count INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL DEFAULT 1,
  created_by     INTEGER,
  created_at     TIMESTAMP NOT NULL,
  updated_at     TIMESTAMP NOT NULL
);
-- A cell's meetings by start (its list and calendar, keyset-paged).
CREATE INDEX meetings_unit_start ON meetings(unit_id, starts_at, id);
-- The flags of the compliance grid: a cell's closed meetings with absences
-- without reason, by month.
CREATE INDEX meetings_unexcused ON meetings(unit_id, month) WHERE state = 'closed' AND unexcused_count > 0;
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

-- The compliance grid's roll-up: per cell and year, the months with a closed
-- regular meeting and with a closed thematic one (bit 0: January), and per
-- month the closed meetings (nMM), the members expected (eMM) and present
-- (pMM). Rewritten from the cell's meetings of that year when a meeting
-- closes (one statement, internal/store/meetings.go), so that the grid of a
-- subtree reads one row per cell.
CREATE TABLE meeting_cell_years (
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  year          INTEGER NOT NULL,
  regular_mask  INTEGER NOT NULL DEFAULT 0,
  thematic_mask INTEGER NOT NULL DEFAULT 0,
  n01 INTEGER NOT NULL DEFAULT 0,
  n02 INTEGER NOT NULL DEFAULT 0,
  n03 INTEGER NOT NULL DEFAULT 0,
  n04 INTEGER NOT NULL DEFAULT 0,
  n05 INTEGER NOT NULL DEFAULT 0,
  n06 INTEGER NOT NULL DEFAULT 0,
  n07 INTEGER NOT NULL DEFAULT 0,
  n08 INTEGER NOT NULL DEFAULT 0,
  n09 INTEGER NOT NULL DEFAULT 0,
  n10 INTEGER NOT NULL DEFAULT 0,
  n11 INTEGER NOT NULL DEFAULT 0,
  n12 INTEGER NOT NULL DEFAULT 0,
  e01 INTEGER NOT NULL DEFAULT 0,
  e02 INTEGER NOT NULL DEFAULT 0,
  e03 INTEGER NOT NULL DEFAULT 0,
  e04 INTEGER NOT NULL DEFAULT 0,
  e05 INTEGER NOT NULL DEFAULT 0,
  e06 INTEGER NOT NULL DEFAULT 0,
  e07 INTEGER NOT NULL DEFAULT 0,
  e08 INTEGER NOT NULL DEFAULT 0,
  e09 INTEGER NOT NULL DEFAULT 0,
  e10 INTEGER NOT NULL DEFAULT 0,
  e11 INTEGER NOT NULL DEFAULT 0,
  e12 INTEGER NOT NULL DEFAULT 0,
  p01 INTEGER NOT NULL DEFAULT 0,
  p02 INTEGER NOT NULL DEFAULT 0,
  p03 INTEGER NOT NULL DEFAULT 0,
  p04 INTEGER NOT NULL DEFAULT 0,
  p05 INTEGER NOT NULL DEFAULT 0,
  p06 INTEGER NOT NULL DEFAULT 0,
  p07 INTEGER NOT NULL DEFAULT 0,
  p08 INTEGER NOT NULL DEFAULT 0,
  p09 INTEGER NOT NULL DEFAULT 0,
  p10 INTEGER NOT NULL DEFAULT 0,
  p11 INTEGER NOT NULL DEFAULT 0,
  p12 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, year)
);
