-- Outbreak response under "4 tại chỗ" (SQLite; see internal/outbreak).

-- Diseases as data: the closing window is the number of days without a
-- new case after which a focus may close (dengue: 14).
CREATE TABLE diseases (
  code         TEXT PRIMARY KEY,
  name_vi      TEXT NOT NULL,
  name_en      TEXT NOT NULL DEFAULT '',
  closing_days INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  updated_at   TIMESTAMP
);
INSERT INTO diseases (code, name_vi, name_en, closing_days) VALUES
  ('sot_xuat_huyet', 'Sốt xuất huyết', 'Dengue fever', 14),
  ('tay_chan_mieng', 'Tay chân miệng', 'Hand, foot and mouth disease', 14),
  ('soi', 'Sởi', 'Measles', 21),
  ('cum_a', 'Cúm A', 'Influenza A', 7);

-- A focus (ổ dịch). commune_id is the commune-level unit (grassroots
-- committee) at or above unit_id, for the board. last_case_on is the last
-- day whose report counted new cases. The four on-site: the commander
-- (command_member_id, command_phone), forces_count and the lists as JSON
-- in onsite; means_updated_at is when means or logistics last changed.
CREATE TABLE outbreaks (
  id                INTEGER PRIMARY KEY,
  unit_id           INTEGER NOT NULL REFERENCES units(id),
  commune_id        INTEGER NOT NULL REFERENCES units(id),
  disease           TEXT NOT NULL REFERENCES diseases(code),
  place             TEXT NOT NULL,
  opened_on         TEXT NOT NULL,
  first_case_on     TEXT,
  last_case_on      TEXT,
  cases_total       INTEGER NOT NULL DEFAULT 0,
  zone              TEXT,
  note              TEXT NOT NULL DEFAULT '',
  state             TEXT NOT NULL,
  closed_on         TEXT,
  close_reason      TEXT NOT NULL DEFAULT '',
  closed_early      INTEGER NOT NULL DEFAULT 0,
  command_member_id INTEGER REFERENCES members(id),
  command_phone     TEXT NOT NULL DEFAULT '',
  forces_count      INTEGER NOT NULL DEFAULT 0,
  onsite            TEXT NOT NULL DEFAULT '',
  onsite_at         TIMESTAMP,
  means_updated_at  TIMESTAMP,
  version           INTEGER NOT NULL DEFAULT 1,
  created_by        INTEGER,
  created_at        TIMESTAMP NOT NULL,
  updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX outbreaks_unit ON outbreaks(unit_id, id);
CREATE INDEX outbreaks_commune ON outbreaks(commune_id, state);
CREATE INDEX outbreaks_state ON outbreaks(state, id);

-- The daily figures: counts only, one report per focus and day.
CREATE TABLE outbreak_reports (
  id          INTEGER PRIMARY KEY,
  outbreak_id INTEGER NOT NULL REFERENCES outbreaks(id),
  day         TEXT NOT NULL,
  new_cases   INTEGER NOT NULL,
  recovered   INTEGER NOT NULL DEFAULT 0,
  actions     TEXT NOT NULL DEFAULT '',
  created_by  INTEGER,
  created_at  TIMESTAMP NOT NULL,
  UNIQUE (outbreak_id, day)
);
CREATE INDEX outbreak_reports_day ON outbreak_reports(day, outbreak_id);

-- Members mobilised to a shift; confirmed_at when the member confirmed.
CREATE TABLE outbreak_duties (
  id           INTEGER PRIMARY KEY,
  outbreak_id  INTEGER NOT NULL REFERENCES outbreaks(id),
  member_id    INTEGER NOT NULL REFERENCES members(id),
  role         TEXT NOT NULL,
  starts_at    TIMESTAMP NOT NULL,
  ends_at      TIMESTAMP NOT NULL,
  confirmed_at TIMESTAMP,
  created_by   INTEGER,
  created_at   TIMESTAMP NOT NULL
);
CREATE INDEX outbreak_duties_focus ON outbreak_duties(outbreak_id, starts_at, id);
CREATE INDEX outbreak_duties_member ON outbreak_duties(member_id, starts_at, id);

-- A funding request: its state (requested, approved, disbursed, late) is
-- the task's (task_id), never copied here.
CREATE TABLE outbreak_funding (
  id          INTEGER PRIMARY KEY,
  outbreak_id INTEGER NOT NULL REFERENCES outbreaks(id),
  task_id     INTEGER NOT NULL REFERENCES tasks(id),
  amount      INTEGER NOT NULL,
  purpose     TEXT NOT NULL,
  needed_by   TEXT NOT NULL,
  to_unit_id  INTEGER NOT NULL REFERENCES units(id),
  created_by  INTEGER,
  created_at  TIMESTAMP NOT NULL
);
CREATE INDEX outbreak_funding_focus ON outbreak_funding(outbreak_id, id);
