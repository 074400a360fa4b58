-- The durable job queue (see internal/jobs and internal/store/jobs.go).
-- A job is due when it is neither done nor failed, run_at has come and it
-- is not leased (locked_until is NULL or past). unique_key, when set, names
-- the event the job is for: enqueueing the same key again is a no-op.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  payload      TEXT NOT NULL DEFAULT '{}',
  unique_key   TEXT UNIQUE,
  run_at       TIMESTAMP NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 10 CHECK (max_attempts >= 1),
  locked_by    TEXT,
  locked_until TIMESTAMP,
  done_at      TIMESTAMP,
  failed_at    TIMESTAMP,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   TIMESTAMP NOT NULL
);
-- The claim query: open jobs in run_at order.
CREATE INDEX jobs_due ON jobs(run_at, id) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX jobs_kind ON jobs(kind, created_at);
