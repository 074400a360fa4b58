-- The audit log becomes a hash chain (see internal/store/auditchain.go).
-- seq numbers the entries 1, 2, 3, … without gaps; hash is the SHA-256 of
-- the entry and of prev_hash, the hash of the entry before it.
--
-- SQLite cannot add a NOT NULL UNIQUE column to a table, so the table is
-- rebuilt. The entries already there get seq in id order and an empty
-- hash; the chain code hashes them, in seq order, the first time the chain
-- is extended or verified (audit_chain.legacy_seq says how far they go).
CREATE TABLE audit_log_chained (
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
  after_json  TEXT NOT NULL DEFAULT '',
  seq         INTEGER NOT NULL UNIQUE,
  prev_hash   TEXT NOT NULL DEFAULT '',
  hash        TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_log_chained (id, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json, seq)
  SELECT id, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json,
         row_number() OVER (ORDER BY id)
  FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_unit ON audit_log(unit_path);

-- legacy_seq: entries 1..legacy_seq were written before the chain existed
-- and still wait to be hashed; 0 once they are.
CREATE TABLE audit_chain (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  legacy_seq INTEGER NOT NULL
);
INSERT INTO audit_chain (id, legacy_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_log;
