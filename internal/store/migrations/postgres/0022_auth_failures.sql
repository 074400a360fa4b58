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
