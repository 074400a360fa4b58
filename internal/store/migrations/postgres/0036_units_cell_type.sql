-- sotay:expand
-- The units of a past day (statsPast, `GET /units/{id}/stats?as_of=`) are
-- counted from unit_history joined to units for today's cell type: on the
-- city that hashed every units row (22,453, 4.3 MB of wide rows) for two
-- columns. This narrow index lets the join read id and cell_type alone
-- (index-only): the units' part of a city's past day from 17-20 ms to
-- 9-10 ms (docs/benchmarks.md, "Unit counts of a past day"). Same
-- statement, same answer.
CREATE INDEX units_id_cell_type ON units (id) INCLUDE (cell_type);
