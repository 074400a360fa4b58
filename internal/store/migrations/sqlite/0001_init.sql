-- Organisation tree, members, accounts, sessions and the audit log (SQLite).
CREATE TABLE units (
  id           INTEGER PRIMARY KEY,
  parent_id    INTEGER REFERENCES units(id),
  kind         TEXT NOT NULL,
  cell_type    TEXT NOT NULL DEFAULT '',
  name         TEXT NOT NULL,
  name_folded  TEXT NOT NULL,
  code         TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL UNIQUE,
  depth        INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  valid_from   TEXT NOT NULL,
  dissolved_on TEXT,
  created_at   TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- One row per period during which a unit had a given place in the tree.
-- valid_to is exclusive; NULL means the period is still running.
CREATE TABLE unit_history (
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  parent_id  INTEGER,
  path       TEXT NOT NULL,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT,
  PRIMARY KEY (unit_id, valid_from)
);
CREATE INDEX unit_history_path ON unit_history(path, valid_from);

CREATE TABLE members (
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  unit_since   TEXT NOT NULL,
  temp_unit_id INTEGER REFERENCES units(id),
  full_name    TEXT NOT NULL,
  name_folded  TEXT NOT NULL,
  sort_key     BLOB NOT NULL,
  gender       TEXT NOT NULL,
  birth_date   TEXT,
  card_no      TEXT,
  biography_no TEXT NOT NULL DEFAULT '',
  citizen_id   TEXT,
  phone        TEXT NOT NULL DEFAULT '',
  email        TEXT NOT NULL DEFAULT '',
  admitted_on  TEXT,
  full_on      TEXT,
  status       TEXT NOT NULL,
  status_since TEXT,
  position     TEXT NOT NULL DEFAULT '',
  version      INTEGER NOT NULL DEFAULT 1,
  created_at   TIMESTAMP NOT NULL,
  updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX members_unit_sort ON members(unit_id, sort_key, id);
CREATE UNIQUE INDEX members_card_no ON members(card_no) WHERE card_no IS NOT NULL;
CREATE UNIQUE INDEX members_citizen_id ON members(citizen_id) WHERE citizen_id IS NOT NULL;
CREATE INDEX members_temp_unit ON members(temp_unit_id) WHERE temp_unit_id IS NOT NULL;

-- Closed periods of membership in a cell (the current one is members.unit_id).
CREATE TABLE past_memberships (
  member_id  INTEGER NOT NULL REFERENCES members(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  kind       TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT NOT NULL
);
CREATE INDEX past_memberships_unit ON past_memberships(unit_id, valid_from);
CREATE INDEX past_memberships_member ON past_memberships(member_id);

CREATE TABLE member_events (
  id           INTEGER PRIMARY KEY,
  member_id    INTEGER NOT NULL REFERENCES members(id),
  kind         TEXT NOT NULL,
  from_status  TEXT NOT NULL DEFAULT '',
  to_status    TEXT NOT NULL DEFAULT '',
  from_unit_id INTEGER,
  to_unit_id   INTEGER,
  effective_on TEXT NOT NULL,
  reason       TEXT NOT NULL DEFAULT '',
  account_id   INTEGER,
  created_at   TIMESTAMP NOT NULL
);
CREATE INDEX member_events_member ON member_events(member_id);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  member_id     INTEGER REFERENCES members(id),
  version       INTEGER NOT NULL DEFAULT 1,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TIMESTAMP NOT NULL
);

CREATE TABLE account_roles (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  role       TEXT NOT NULL,
  PRIMARY KEY (account_id, unit_id, role)
);
CREATE INDEX account_roles_unit ON account_roles(unit_id);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at  TIMESTAMP NOT NULL,
  last_seen   TIMESTAMP NOT NULL,
  expires_at  TIMESTAMP NOT NULL,
  user_agent  TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TIMESTAMP NOT NULL,
  account_id  INTEGER,
  username    TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   INTEGER,
  unit_path   TEXT NOT NULL DEFAULT '',
  before_json TEXT NOT NULL DEFAULT '',
  after_json  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_unit ON audit_log(unit_path);
