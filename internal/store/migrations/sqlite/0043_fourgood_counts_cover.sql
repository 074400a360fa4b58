-- sotay:expand
-- The four-good result pages (issue 17; store/fourgood_counts.go
-- readHeads): on PostgreSQL an index holding the counters' counts beside
-- their key (an index-only read of a page's ~1,000 heads). SQLite's
-- fourgood_counts is WITHOUT ROWID: its primary key already holds every
-- column, so nothing is added here; the number is kept for both engines.
SELECT 1;
