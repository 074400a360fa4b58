-- Calendar subscriptions (SQLite; see internal/meeting/feed.go): a link
-- with a long random token that a phone fetches without a session. Only
-- the token's SHA-256 is kept. unit_id NULL is "my meetings" (the owner's
-- own cell and the cell hosting them); else a unit's calendar. A feed
-- answers with what its owner may reach when it is read.
CREATE TABLE meeting_feeds (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  unit_id     INTEGER REFERENCES units(id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TIMESTAMP NOT NULL,
  revoked_at  TIMESTAMP
);
CREATE INDEX meeting_feeds_account ON meeting_feeds(account_id, id) WHERE revoked_at IS NULL;
