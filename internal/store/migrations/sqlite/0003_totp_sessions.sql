-- Second factor (TOTP, RFC 6238) and sessions that their owner can list and end.

-- The secret is pending until totp_enabled; totp_last_step is the last time
-- step accepted, so that a code cannot be replayed. The secret is stored as
-- it is (base32): encrypting it at rest with a server key is a later step.
-- totp_exempt is set only by the demo loader.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN totp_exempt INTEGER NOT NULL DEFAULT 0;

-- Single-use recovery codes, hashed; shown once at enrolment.
CREATE TABLE recovery_codes (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  used_at    TIMESTAMP,
  PRIMARY KEY (account_id, code_hash)
);

-- A session's public id names it in lists and URLs; the token never leaves
-- the client and only its hash is stored.
ALTER TABLE sessions ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE sessions SET public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX sessions_public_id ON sessions(account_id, public_id);
