-- Report requests up the tree (internal/report): a unit asks every unit
-- directly below it for a report; each unit asked has a task (the
-- fan-out's sub-task) and at most one submission, kept as sent.
CREATE TABLE report_requests (
  id          INTEGER PRIMARY KEY,
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  title       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  due_on      TEXT NOT NULL,
  template    TEXT NOT NULL DEFAULT '',
  task_id     INTEGER NOT NULL REFERENCES tasks(id),
  created_by  INTEGER,
  created_at  TIMESTAMP NOT NULL
);
-- The requests a unit made, newest first (the list's keyset).
CREATE INDEX report_requests_unit ON report_requests(unit_id, id);

CREATE TABLE report_units (
  request_id INTEGER NOT NULL REFERENCES report_requests(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  task_id    INTEGER NOT NULL REFERENCES tasks(id),
  PRIMARY KEY (request_id, unit_id)
);
-- The requests a unit received, newest first.
CREATE INDEX report_units_unit ON report_units(unit_id, request_id);

-- A submission is never updated: one per unit and request.
CREATE TABLE report_submissions (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES report_requests(id),
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  document_id INTEGER,
  body        TEXT NOT NULL,
  figures     TEXT NOT NULL,
  sent_at     TIMESTAMP NOT NULL,
  sent_on     TEXT NOT NULL,
  sent_by     INTEGER,
  sent_by_name TEXT NOT NULL DEFAULT '',
  UNIQUE (request_id, unit_id)
);
