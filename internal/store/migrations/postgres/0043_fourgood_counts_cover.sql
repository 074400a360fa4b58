-- sotay:expand
-- The four-good result pages (issue 17; store/fourgood_counts.go
-- readHeads): each page reads the framework's and the subtree's counters
-- by head (up to a row per distinct counted total at unit 0 and at the
-- subtree's unit, ~1,000 rows for a district of the city). Through the
-- primary key they were ~1,000 heap rows spread over ~420 pages (the
-- counters are rewritten by every score); this index holds the count
-- beside the key, so that the read is an index-only scan of ~15 pages.
-- (SQLite's fourgood_counts is WITHOUT ROWID: its key already holds it.)
CREATE INDEX IF NOT EXISTS fourgood_counts_cover ON fourgood_counts (framework_id, period, unit_id, head) INCLUDE (sheets);
