-- sotay:expand
-- Read-your-writes with a read replica (internal/readroute, docs/operations.md
-- "Read replica"): after a session's write succeeds, where the primary's
-- write-ahead log stood (pg_current_wal_insert_lsn(), as text) and until
-- when a heavy read of that session checks that the replica has replayed
-- that far. They come with the session on every request, so a session that
-- did not write pays nothing. Unused on SQLite (no replica).
ALTER TABLE sessions ADD COLUMN wrote_lsn TEXT;
ALTER TABLE sessions ADD COLUMN wrote_until TIMESTAMPTZ;
