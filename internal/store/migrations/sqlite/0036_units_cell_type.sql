-- sotay:expand
-- Nothing on SQLite. The PostgreSQL migration of this number adds a narrow
-- index units(id) INCLUDE (cell_type) for the units of a past day
-- (statsPast joins unit_history to units for today's cell type). SQLite
-- finds units by rowid (id INTEGER PRIMARY KEY) and its planner keeps that
-- lookup even with an index on (id, cell_type) (EXPLAIN QUERY PLAN), so
-- such an index would only cost writes here.
SELECT 1;
