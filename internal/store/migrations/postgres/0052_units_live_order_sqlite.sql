-- sotay:expand
-- SQLite's units_live_order (the units search of a reach of many units);
-- PostgreSQL has its own since 0049. The number is kept for both engines.
SELECT 1;
