-- sotay:expand
-- The meeting compliance of a subtree per child unit and month
-- (`GET /api/v1/units/{id}/meeting-compliance?by=child`, docs/api.md):
-- per unit and month, its subtree's cells counted from their roll-up rows
-- (meeting_cell_years): how many held the month's regular meeting, how
-- many had the quarter's thematic meeting in the quarter's months up to
-- this one, and the closed meetings, members expected and present. Each
-- cell's row counts at the cell and at every ancestor, so the roll-up of
-- a unit reads twelve rows per child whatever the subtree's size. Kept in
-- the closing's transaction (store.countCellYear: the cell's old row out,
-- its new row in) and carried by a unit moved in the tree
-- (store.moveMeetingCounts); `sotay check counters` recounts it with the
-- statement below.
CREATE TABLE meeting_subtree_months (
  unit_id  BIGINT NOT NULL,
  year     INTEGER NOT NULL,
  month    INTEGER NOT NULL,
  regular  BIGINT NOT NULL,
  thematic BIGINT NOT NULL,
  meetings BIGINT NOT NULL,
  expected BIGINT NOT NULL,
  present  BIGINT NOT NULL,
  PRIMARY KEY (unit_id, year, month)
);

-- The cells a roll-up counts beside the live ones (subtree_unit_counts):
-- those dissolved in or after the months, and those created after them.
CREATE INDEX units_cells_dissolved ON units(dissolved_on, path) WHERE kind = 'cell' AND dissolved_on IS NOT NULL;
CREATE INDEX units_cells_from ON units(valid_from, path) WHERE kind = 'cell' AND dissolved_on IS NULL;

INSERT INTO meeting_subtree_months (unit_id, year, month, regular, thematic, meetings, expected, present)
SELECT a.id, c.year, c.month, SUM(c.regular), SUM(c.thematic), SUM(c.meetings), SUM(c.expected), SUM(c.present)
FROM units a CROSS JOIN units u CROSS JOIN (SELECT y.unit_id, y.year, mo.m AS month, (y.regular_mask >> (mo.m - 1)) & 1 AS regular,
		CASE WHEN (y.thematic_mask & ((1 << mo.m) - (1 << ((mo.m - 1) / 3 * 3)))) <> 0 THEN 1 ELSE 0 END AS thematic,
		CASE mo.m WHEN 1 THEN y.n01 WHEN 2 THEN y.n02 WHEN 3 THEN y.n03 WHEN 4 THEN y.n04 WHEN 5 THEN y.n05 WHEN 6 THEN y.n06 WHEN 7 THEN y.n07 WHEN 8 THEN y.n08 WHEN 9 THEN y.n09 WHEN 10 THEN y.n10 WHEN 11 THEN y.n11 WHEN 12 THEN y.n12 END AS meetings,
		CASE mo.m WHEN 1 THEN y.e01 WHEN 2 THEN y.e02 WHEN 3 THEN y.e03 WHEN 4 THEN y.e04 WHEN 5 THEN y.e05 WHEN 6 THEN y.e06 WHEN 7 THEN y.e07 WHEN 8 THEN y.e08 WHEN 9 THEN y.e09 WHEN 10 THEN y.e10 WHEN 11 THEN y.e11 WHEN 12 THEN y.e12 END AS expected,
		CASE mo.m WHEN 1 THEN y.p01 WHEN 2 THEN y.p02 WHEN 3 THEN y.p03 WHEN 4 THEN y.p04 WHEN 5 THEN y.p05 WHEN 6 THEN y.p06 WHEN 7 THEN y.p07 WHEN 8 THEN y.p08 WHEN 9 THEN y.p09 WHEN 10 THEN y.p10 WHEN 11 THEN y.p11 WHEN 12 THEN y.p12 END AS present
	FROM meeting_cell_years y CROSS JOIN (SELECT 1 AS m UNION ALL SELECT 2 AS m UNION ALL SELECT 3 AS m UNION ALL SELECT 4 AS m UNION ALL SELECT 5 AS m UNION ALL SELECT 6 AS m UNION ALL SELECT 7 AS m UNION ALL SELECT 8 AS m UNION ALL SELECT 9 AS m UNION ALL SELECT 10 AS m UNION ALL SELECT 11 AS m UNION ALL SELECT 12 AS m) mo) c
WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
GROUP BY a.id, c.year, c.month;
