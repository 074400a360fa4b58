-- sotay:expand
-- SQLite's documents_fts with prefix indexes; PostgreSQL's GIN index of
-- search_vector holds prefixes already. The number is kept for both engines.
SELECT 1;
