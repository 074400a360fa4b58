-- sotay:expand
-- The units search of a rare word: a trigram index of the live units'
-- names on PostgreSQL (pg_trgm). SQLite has no such index of a plain
-- table; its units search is unchanged. The number is kept for both
-- engines.
SELECT 1;
