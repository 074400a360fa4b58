-- Meetings (see internal/store/meetings.go): "as of" a past month counts
-- the meetings closed by then; a cell's closed meetings of a range of
-- months by closing time, for the cells that have one closed later.
CREATE INDEX meetings_unit_closed ON meetings(unit_id, month, closed_at) WHERE state = 'closed';
