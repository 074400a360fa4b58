-- Conferences across bridge points (SQLite; see internal/conference).

-- Keys the server makes for itself at first use (the conference passes'
-- HMAC key): random, never shown, kept with the data they sign for.
CREATE TABLE server_keys (
  name       TEXT PRIMARY KEY,
  key        BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE conferences (
  id               INTEGER PRIMARY KEY,
  title            TEXT NOT NULL,
  agenda           TEXT NOT NULL DEFAULT '',
  starts_at        TIMESTAMP NOT NULL,
  ends_at          TIMESTAMP,
  host_unit_id     INTEGER NOT NULL REFERENCES units(id),
  audience_unit_id INTEGER NOT NULL REFERENCES units(id),
  audience_roles   TEXT NOT NULL DEFAULT '',
  created_by       INTEGER,
  created_at       TIMESTAMP NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conferences_host ON conferences(host_unit_id, id);

CREATE TABLE conference_documents (
  conference_id INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  document_id   INTEGER NOT NULL REFERENCES documents(id),
  PRIMARY KEY (conference_id, position)
);

CREATE TABLE conference_points (
  id              INTEGER PRIMARY KEY,
  conference_id   INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  name            TEXT NOT NULL,
  host_account_id INTEGER REFERENCES accounts(id),
  stream_url      TEXT NOT NULL DEFAULT '',
  last_heartbeat  TIMESTAMP,
  created_at      TIMESTAMP NOT NULL,
  UNIQUE (conference_id, unit_id)
);
CREATE INDEX conference_points_host ON conference_points(host_account_id) WHERE host_account_id IS NOT NULL;

-- The invited members, and the bridge point where each is expected: the
-- point of the nearest unit above their cell, unless set by hand (manual).
CREATE TABLE conference_attendees (
  conference_id   INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
  member_id       INTEGER NOT NULL REFERENCES members(id),
  bridge_point_id INTEGER REFERENCES conference_points(id),
  manual          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conference_id, member_id)
);
CREATE INDEX conference_attendees_point ON conference_attendees(conference_id, bridge_point_id);
CREATE INDEX conference_attendees_member ON conference_attendees(member_id);

-- One check-in per member and conference (a repeat changes nothing); the
-- client id of an offline queue is unique too.
CREATE TABLE conference_checkins (
  conference_id   INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
  member_id       INTEGER NOT NULL REFERENCES members(id),
  bridge_point_id INTEGER NOT NULL REFERENCES conference_points(id),
  at              TIMESTAMP NOT NULL,
  recorded_at     TIMESTAMP NOT NULL,
  by_account_id   INTEGER,
  method          TEXT NOT NULL,
  client_id       TEXT,
  late            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conference_id, member_id)
);
CREATE UNIQUE INDEX conference_checkins_client ON conference_checkins(conference_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX conference_checkins_point ON conference_checkins(conference_id, bridge_point_id);
