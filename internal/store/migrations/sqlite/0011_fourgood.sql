-- The four-good cell model (internal/scoring): frameworks of criteria per
-- owner unit and year, cells' registrations, scoresheets per period with
-- their totals kept beside them (so that results read one row per cell),
-- the points per criterion, and the committees' reports up.
CREATE TABLE fourgood_frameworks (
  id                      INTEGER PRIMARY KEY,
  name                    TEXT NOT NULL,
  year                    INTEGER NOT NULL,
  owner_unit_id           INTEGER NOT NULL REFERENCES units(id),
  cell_types              TEXT NOT NULL DEFAULT '',  -- '' (every type) or 'rural,school'
  status                  TEXT NOT NULL,             -- draft | open
  registration_deadline   TEXT NOT NULL,
  report_deadline         TEXT,
  interim_report_deadline TEXT,
  bands                   TEXT NOT NULL,             -- JSON [{level, min_points}] in tenths
  quota_level             TEXT,
  quota_share             TEXT,                      -- a decimal such as 0.2
  max_total               INTEGER NOT NULL,          -- tenths of a point
  copied_from             INTEGER REFERENCES fourgood_frameworks(id),
  version                 INTEGER NOT NULL DEFAULT 1,
  created_by              INTEGER,
  created_at              TIMESTAMP NOT NULL
);
CREATE INDEX fourgood_frameworks_owner ON fourgood_frameworks(owner_unit_id, year, id);
CREATE INDEX fourgood_frameworks_year ON fourgood_frameworks(year, id);

CREATE TABLE fourgood_criteria (
  framework_id INTEGER NOT NULL REFERENCES fourgood_frameworks(id),
  code         TEXT NOT NULL,
  position     INTEGER NOT NULL,
  parent_code  TEXT NOT NULL DEFAULT '',
  top_code     TEXT NOT NULL,
  title        TEXT NOT NULL,
  max_points   INTEGER NOT NULL,                   -- tenths of a point
  guidance     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (framework_id, code)
);

CREATE TABLE fourgood_registrations (
  framework_id  INTEGER NOT NULL REFERENCES fourgood_frameworks(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  year          INTEGER NOT NULL,
  late_reason   TEXT NOT NULL DEFAULT '',
  registered_by INTEGER,
  registered_at TIMESTAMP NOT NULL,
  PRIMARY KEY (framework_id, unit_id),
  UNIQUE (unit_id, year)
);

CREATE TABLE fourgood_sheets (
  id           INTEGER PRIMARY KEY,
  framework_id INTEGER NOT NULL REFERENCES fourgood_frameworks(id),
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  period       TEXT NOT NULL,                      -- interim | final
  stage        TEXT NOT NULL,                      -- self | review | final | done
  self_total   INTEGER NOT NULL DEFAULT 0,
  review_total INTEGER NOT NULL DEFAULT 0,
  final_total  INTEGER NOT NULL DEFAULT 0,
  scored       INTEGER NOT NULL DEFAULT 0,         -- 1 once a score is written
  -- The counted points of each top-level criterion, in the framework's
  -- order ("250,240,…"): the results' tie-break key, kept at each write.
  tiebreak     TEXT NOT NULL DEFAULT '',
  submitted_at TIMESTAMP,
  version      INTEGER NOT NULL DEFAULT 1,
  created_at   TIMESTAMP NOT NULL,
  updated_at   TIMESTAMP NOT NULL,
  UNIQUE (framework_id, period, unit_id)
);
CREATE INDEX fourgood_sheets_scored ON fourgood_sheets(framework_id, scored);

CREATE TABLE fourgood_scores (
  sheet_id      INTEGER NOT NULL REFERENCES fourgood_sheets(id),
  criterion     TEXT NOT NULL,
  top_code      TEXT NOT NULL,
  self_points   INTEGER,
  review_points INTEGER,
  final_points  INTEGER,
  evidence      TEXT NOT NULL DEFAULT '',
  links         TEXT NOT NULL DEFAULT '[]',         -- JSON [{kind, id, title}]
  comment       TEXT NOT NULL DEFAULT '',
  reason        TEXT NOT NULL DEFAULT '',
  updated_at    TIMESTAMP NOT NULL,
  PRIMARY KEY (sheet_id, criterion)
);

CREATE TABLE fourgood_reports (
  framework_id INTEGER NOT NULL REFERENCES fourgood_frameworks(id),
  period       TEXT NOT NULL,
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  sent_by      INTEGER,
  sent_at      TIMESTAMP NOT NULL,
  PRIMARY KEY (framework_id, period, unit_id)
);
