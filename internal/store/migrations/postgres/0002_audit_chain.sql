-- The audit log becomes a hash chain (see internal/store/auditchain.go).
-- seq numbers the entries 1, 2, 3, … without gaps (identity values can have
-- gaps after a rollback, so id cannot serve); hash is the SHA-256 of the
-- entry and of prev_hash, the hash of the entry before it.
--
-- The entries already there get seq in id order and an empty hash; the
-- chain code hashes them, in seq order, the first time the chain is
-- extended or verified (audit_chain.legacy_seq says how far they go).
ALTER TABLE audit_log
  ADD COLUMN seq BIGINT,
  ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '',
  ADD COLUMN hash TEXT NOT NULL DEFAULT '';
UPDATE audit_log a SET seq = r.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) r
  WHERE r.id = a.id;
ALTER TABLE audit_log
  ALTER COLUMN seq SET NOT NULL,
  ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);

-- legacy_seq: entries 1..legacy_seq were written before the chain existed
-- and still wait to be hashed; 0 once they are.
CREATE TABLE audit_chain (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  legacy_seq BIGINT NOT NULL
);
INSERT INTO audit_chain (id, legacy_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_log;
