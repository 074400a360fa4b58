-- sotay:expand
-- (this migration only adds: the code of the release before it runs on the
-- schema it leaves, so processes of both releases may run side by side
-- during a rolling upgrade; see docs/operations.md "Upgrades".)

-- Failed sign-ins and second-factor codes (issue 16), so that every
-- process behind a load balancer counts the same failures and a restart
-- forgets none. One row per failure and key ("u:<username>",
-- "a:<address>"); at_us is the time in microseconds since 1970 (UTC), the
-- same integer on both engines. Rows older than the window are deleted
-- when failures are recorded.
CREATE TABLE auth_failures (
  key   TEXT NOT NULL,
  at_us BIGINT NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures(key, at_us);
CREATE INDEX auth_failures_at ON auth_failures(at_us);

-- The migrations marked "-- sotay:expand" from this one on: a binary that
-- finds the database newer than it knows starts when every newer migration
-- is one of these, and refuses otherwise.
CREATE TABLE schema_expand (version INTEGER PRIMARY KEY);
